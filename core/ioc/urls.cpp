// core/ioc/urls.cpp — URLs: scheme (plain or defanged), authority, path, query and
// fragment, then the URL's host as its own match and what its path and query hold once
// percent-decoded (a URL inside a URL), scanned by a nested Scan.
#include <optional>

#include "core/ioc/refang.h"
#include "core/ioc/scan.h"
#include "core/ip.h"

namespace sqlhunt::ioc::detail {

size_t Scan::url(size_t p) {
  size_t sep = 0;
  bool defanged = false;
  bool backslashes = false;   // "hxxp:\\evil.com": a defanged "://", after a known scheme only
  bool json_escaped = false;  // "http:\/\/x.com\/a" in JSON that escapes '/'
  if (s_[p] == ':') {
    const unsigned char c1 = at(p + 1), c2 = at(p + 2);
    if (c1 == '/' && c2 == '/') sep = 3;
    else if (c1 == '\\' && c2 == '\\') sep = 3, defanged = backslashes = true;
    else if (c1 == '\\' && c2 == '/' && at(p + 3) == '\\' && at(p + 4) == '/') sep = 5, json_escaped = true;
    else return 0;
  } else if (t_.compare(p, 5, "[:]//") == 0 || t_.compare(p, 5, "[://]") == 0) {
    sep = 5, defanged = true;
  }
  if (!sep) return 0;
  // The scheme: a letter, then letters, digits, '+' or '-' (git+ssh, ms-settings), at
  // most 32 bytes. RFC 3986 allows '.' too, but in text a '.' before "http" ends a
  // sentence ("see...http://").
  auto scheme_byte = [](unsigned char c) { return is(c, kAlnum) || c == '+' || c == '-'; };
  size_t ss = p;
  while (ss > floor_ && p - ss < 32 && scheme_byte(s_[ss - 1])) --ss;
  if (ss > floor_ && scheme_byte(s_[ss - 1])) return 0;  // longer than any scheme
  while (ss < p && (s_[ss] == '+' || s_[ss] == '-')) ++ss;
  if (p - ss < 2 || !((s_[ss] | 0x20) >= 'a' && (s_[ss] | 0x20) <= 'z')) return 0;
  const std::string_view scheme_raw = t_.substr(ss, p - ss);
  const bool known = known_scheme(scheme_raw);
  if (backslashes && !known) return 0;  // "C:\\x" in JSON is a path
  std::string scheme(plain_scheme(scheme_raw));
  if (!scheme.empty()) defanged = true;
  else scheme = ascii_lower(scheme_raw);

  // Authority: [userinfo@]host[:port]
  const size_t a = p + sep;
  size_t hs = a;
  {
    size_t j = a;
    while (j < n_ && j - a < 128 && is(s_[j], kUserinfo)) ++j;
    if (j > a && at(j) == '@') hs = j + 1;
  }
  enum { kHostName, kHostV4, kHostV6 } host_kind = kHostName;
  size_t he;
  Name nm;
  std::string host_value;
  std::optional<ip::Address> v6;
  bool dd = false;
  if (at(hs) == '[' && !dot_length(t_, hs, dd)) {
    size_t close = t_.substr(hs, 48).find(']');
    if (close == std::string_view::npos) return 0;
    close += hs;
    v6 = ip::parse_v6(t_.substr(hs + 1, close - hs - 1));
    if (!v6) return 0;
    host_kind = kHostV6;
    host_value = "[" + ip::to_string(*v6) + "]";
    he = close + 1;
  } else {
    // A '_' is no DNS label byte, but hosts have them in practice (build_01.example.org).
    if (!(is(at(hs), kAlnum) || at(hs) == '_')) return 0;
    nm = parse_name(hs, /*underscore=*/true);
    if (nm.labels == 0 || nm.bad_label) return 0;
    he = nm.end;
    if (nm.all_numeric) {
      if (nm.labels != 4 || !ip::parse_v4(text_of(nm))) return 0;
      host_kind = kHostV4;
      host_value = text_of(nm);
    } else {
      host_value = ascii_lower(text_of(nm));
    }
    defanged |= nm.defanged;
  }
  // A scheme we do not know is a URL's only with a host that is clearly one.
  if (!known && host_kind == kHostName && !valid_domain(nm, true)) return 0;
  size_t pe = he;
  if (at(pe) == ':' && is(at(pe + 1), kDigit)) {
    size_t j = pe + 1;
    while (j < n_ && j - pe <= 6 && is(s_[j], kDigit)) ++j;
    if (j - pe <= 6 && !is(at(j), kAlnum)) pe = j;
  }
  size_t ue = pe;
  const unsigned char nx = at(pe);
  if (nx == '/' || nx == '?' || nx == '#' || slash_length(t_, pe) ||
      (json_escaped && nx == '\\' && at(pe + 1) == '/')) {
    // A ',' is legal in a URL but in text it mostly separates (CSV fields, lists):
    // it ends the URL unless the URL is in double quotes or <angle brackets>, which
    // then end it ('"' and '>' are no URL bytes).
    const bool delimited = ss > 0 && (s_[ss - 1] == '"' || s_[ss - 1] == '<');
    // In single quotes ('https://x/a','b.png'), the closing quote ends it: decided
    // while reading, since reading on and cutting afterwards read the rest of a text
    // of 'http://a.com/'http://a.com/'... once per URL, quadratic.
    const bool quoted = ss > 0 && s_[ss - 1] == '\'';
    for (;;) {
      if (ue < n_ && is(s_[ue], kUrl) && (delimited || s_[ue] != ',') && !(quoted && s_[ue] == '\'')) ++ue;
      else if (json_escaped && ue < n_ && s_[ue] == '\\' && at(ue + 1) == '/') ue += 2;
      else if (size_t sl = slash_length(t_, ue)) ue += sl;  // "{/}" ("[/]" and "(/)" are URL bytes)
      else break;
    }
    // Trailing punctuation and unbalanced closing brackets belong to the prose.
    long paren = 0, square = 0;  // opening minus closing brackets in the URL
    for (size_t k = ss; k < ue; ++k) {
      paren += s_[k] == '(' ? 1 : s_[k] == ')' ? -1 : 0;
      square += s_[k] == '[' ? 1 : s_[k] == ']' ? -1 : 0;
    }
    while (ue > pe + 1) {
      const unsigned char c = s_[ue - 1];
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*') {
        --ue;
      } else if (c == ')' && paren < 0) {
        --ue, ++paren;
      } else if (c == ']' && square < 0 && t_.compare(ue - 3, 3, "[.]") != 0) {  // "[.]" stays
        --ue, ++square;
      } else {
        break;
      }
    }
    if (ue == pe + 1 && nx != '/') ue = pe;  // a lone '?' or '#'
  }
  std::string value = scheme + "://";
  if (hs > a) value.append(t_.substr(a, hs - a));
  value += host_value;
  value.append(t_.substr(he, pe - he));
  const std::string_view rest = t_.substr(pe, ue - pe);
  std::string unescaped;
  if (json_escaped) {
    unescaped.reserve(rest.size());
    for (size_t k = 0; k < rest.size(); ++k)
      if (!(rest[k] == '\\' && k + 1 < rest.size() && rest[k + 1] == '/')) unescaped += rest[k];
  }
  const std::string_view plain = json_escaped ? std::string_view(unescaped) : rest;
  std::string rest_refanged = refang(plain);
  if (rest_refanged != plain) defanged = true;
  value += rest_refanged;
  emit(Type::kUrl, ss, ue, std::move(value), defanged);

  // The host, for pivoting.
  if (host_kind == kHostV6) {
    emit(Type::kIpv6, hs + 1, he - 1, ip::to_string(*v6), false);
  } else if (host_kind == kHostV4) {
    emit(Type::kIpv4, hs, he, host_value, nm.defanged);
  } else if (valid_domain(nm, true)) {
    emit(Type::kDomain, hs, he, host_value, nm.defanged);
  }
  // What the path, query and fragment hold, percent-decoded (a URL in a URL).
  if (depth_ < kMaxUrlDepth && ue > pe) rescan(pe, ue);
  floor_ = std::max(floor_, ue);
  return ue;
}

void Scan::rescan(size_t from, size_t to) {
  const std::string_view rest = t_.substr(from, to - from);
  std::vector<Match> inner;
  const TypeMask mask = mask_ & ~bit(Type::kLinuxPath);
  auto hexval = [](unsigned char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  bool encoded = false;
  for (size_t i = 0; i + 2 < rest.size() && !encoded; ++i)
    encoded = rest[i] == '%' && hexval(rest[i + 1]) >= 0 && hexval(rest[i + 2]) >= 0;
  if (!encoded) {
    Scan sub(rest, inner, mask, depth_ + 1);
    sub.run();
    for (auto& m : inner) {
      m.start += from;
      m.end += from;
      out_->push_back(std::move(m));
    }
    return;
  }
  std::string decoded;
  std::vector<uint32_t> src;  // src[k]: offset in `rest` of decoded byte k; src[size] = rest.size()
  decoded.reserve(rest.size());
  src.reserve(rest.size() + 1);
  for (size_t i = 0; i < rest.size();) {
    src.push_back(static_cast<uint32_t>(i));
    int h, l;
    if (rest[i] == '%' && i + 2 < rest.size() + 0 && (h = hexval(rest[i + 1])) >= 0 &&
        (l = hexval(rest[i + 2])) >= 0) {
      decoded += static_cast<char>(h * 16 + l);
      i += 3;
    } else {
      decoded += rest[i];
      ++i;
    }
  }
  src.push_back(static_cast<uint32_t>(rest.size()));
  Scan sub(decoded, inner, mask, depth_ + 1);
  sub.run();
  for (auto& m : inner) {
    m.start = from + src[m.start];
    m.end = from + src[m.end];
    out_->push_back(std::move(m));
  }
}

}  // namespace sqlhunt::ioc::detail
