// core/ioc/names.cpp — dotted names and addresses: domains (labels, the public suffix
// list's ICANN section, the file-extension stop-list), IPv4 dotted quads, e-mail
// addresses, IPv6. valid_domain() here is the one rule for "is this name a domain" that
// extraction, ioc_type() and ti_lookup share.
#include <libpsl.h>

#include <stdexcept>
#include <unordered_map>

#include "core/ioc/refang.h"
#include "core/ioc/scan.h"
#include "core/ip.h"

namespace sqlhunt::ioc::detail {
namespace {

// Public suffix list.
const psl_ctx_t* psl() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    if (!c) c = psl_builtin();
    return c;
  }();
  return ctx;
}

// Is `tld` (lower case) a top-level domain in the public suffix list (ICANN section,
// the implicit "*" rule not counted)?
// Answers are cached per thread (a text names few distinct TLDs; libpsl's lookup was
// the biggest single cost of the scan). The cache is dropped when it grows past 4096
// entries, so hostile text cannot grow it without bound.
bool real_tld(const std::string& tld) {
  thread_local std::unordered_map<std::string, bool> cache;
  if (auto it = cache.find(tld); it != cache.end()) return it->second;
  const psl_ctx_t* ctx = psl();
  if (!ctx) throw std::runtime_error("the public suffix list (libpsl) is not available");
  const bool real = psl_is_public_suffix2(ctx, tld.c_str(), PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
  if (cache.size() >= 4096) cache.clear();
  cache.emplace(tld, real);
  return real;
}

// Is the public suffix of `domain` (lower case) a single label ("com", not "co.uk")?
bool single_label_suffix(const std::string& domain) {
  const char* suffix = psl_unregistrable_domain(psl(), domain.c_str());
  return !suffix || std::string_view(suffix).find('.') == std::string_view::npos;
}

// The documented stop-list: TLDs that are also common file extensions. A name ending in
// one of them (with a one-label public suffix) is a file name, not a domain, unless it
// is written defanged, is a URL's host or an e-mail's domain.
// Also "shell", for COM ProgIDs (WScript.Shell), which scripts name far more often
// than anyone names a host under the Shell company's brand TLD, and "id" and "name",
// for the fields of code and logs (user.id, self.name); "x.co.id" is still a domain.
constexpr std::string_view kFileExtensionTlds[] = {
    "app", "id", "java", "map", "md", "mm", "mo", "mov", "ml", "mk", "name", "one",
    "pl",  "pm", "ps",   "py",  "rs", "run", "sh", "shell", "so", "tf", "zip",
};
bool stop_listed(std::string_view tld) {
  for (auto e : kFileExtensionTlds)
    if (e == tld) return true;
  return false;
}

}  // namespace

Name Scan::parse_name(size_t pos, bool underscore) const {
  auto label_byte = [&](unsigned char c) { return is(c, kLabel) || (underscore && c == '_'); };
  Name nm;
  nm.start = nm.end = pos;
  size_t i = pos;
  for (;;) {
    const size_t ls = i;
    while (i < n_ && label_byte(s_[i])) ++i;
    if (i == ls) break;
    const size_t len = i - ls;
    if (len > 63 || s_[ls] == '-' || s_[i - 1] == '-') nm.bad_label = true;
    for (size_t k = ls; k < i && nm.all_numeric; ++k)
      if (!is(s_[k], kDigit)) nm.all_numeric = false;
    if (nm.defanged) nm.refanged.append(t_.substr(ls, len));
    nm.last_label_start = ls;
    nm.end = i;
    ++nm.labels;
    bool d = false;
    const size_t sl = dot_length(t_, i, d);
    if (!sl || i + sl >= n_ || !label_byte(s_[i + sl])) break;
    if (d && !nm.defanged) {
      nm.defanged = true;
      nm.refanged.assign(t_.substr(nm.start, i - nm.start));  // every dot so far is plain
    }
    if (nm.defanged) nm.refanged += '.';
    i += sl;
  }
  return nm;
}

// Is `nm` a domain? `host` relaxes the file-extension stop-list (a URL's host or an
// e-mail's domain is a domain whatever its TLD).
bool Scan::valid_domain(const Name& nm, bool host) const {
  const std::string_view text = text_of(nm);
  if (nm.labels < 2 || nm.bad_label || nm.all_numeric || text.size() > 253) return false;
  const std::string_view tld = t_.substr(nm.last_label_start, nm.end - nm.last_label_start);
  if (tld.size() < 2) return false;
  if (tld.compare(0, 4, "xn--") != 0 && tld.compare(0, 4, "XN--") != 0)
    for (char c : tld)
      if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return false;
  // "i.e" and the like: two one-letter labels.
  if (nm.labels == 2 && text.size() == 3) return false;
  const std::string ltld = ascii_lower(tld);
  if (!real_tld(ltld)) return false;
  if (!host && !nm.defanged && stop_listed(ltld) && single_label_suffix(ascii_lower(text))) return false;
  return true;
}

// Exactly four numeric labels from `pos`: a dotted quad (defanged dots allowed), its end
// or 0. `defanged` is set when a dot is a defanged one; the octets are checked by the
// caller (ip::parse_v4).
size_t Scan::quad(size_t pos, bool& defanged) const {
  size_t i = pos;
  for (int part = 0; part < 4; ++part) {
    const size_t ds = i;
    while (i < n_ && i - ds < 4 && is(s_[i], kDigit)) ++i;
    if (i == ds || i - ds > 3) return 0;
    if (part == 3) break;
    bool d = false;
    const size_t sl = dot_length(t_, i, d);
    if (!sl || (sl == 5 && s_[i] == ' ')) return 0;  // " dot " between numbers: no
    defanged |= d;
    i += sl;
  }
  // Not followed by more of a dotted name or by a word character.
  const unsigned char a = at(i);
  if (is(a, kAlnum) || a == '_') return 0;
  bool d = false;
  if (size_t sl = dot_length(t_, i, d); sl && is(at(i + sl), kAlnum)) return 0;
  return i;
}

size_t Scan::dotted(size_t p) {
  // Back up over the label before the separator.
  const size_t lim = std::max(floor_, p > 130 ? p - 130 : size_t{0});
  size_t st = p;
  while (st > lim && is(s_[st - 1], kLabel)) --st;
  if (st == lim && st > floor_ && is(s_[st - 1], kLabel)) return 0;  // far too long a label
  while (st < p && s_[st] == '-') ++st;
  if (st == p) return 0;
  const unsigned char before = st > 0 ? s_[st - 1] : 0;
  // After '/' only when that is "//" (an unknown scheme's "://"): "path/to/x.com" is a path.
  // After a '.' only when that is punctuation ("servers...1.2.3.4", "list:.x.com"), not
  // the dot of a longer dotted run whose tail this would be.
  const bool bad_before = before == '_' || before == '$' || before == '~' || before == '\\' ||
                          (before == '/' && (st < 2 || s_[st - 2] != '/')) ||
                          (before == '.' && st >= 2 && (is(s_[st - 2], kLabel) || s_[st - 2] == '_')) ||
                          before == '%';

  if (!bad_before && is(s_[st], kDigit)) {
    bool d = false;
    if (size_t e = quad(st, d)) {
      // Plain, the quad is its own value; only a defanged one is copied to refang it.
      const std::string_view raw = t_.substr(st, e - st);
      std::string refanged = d ? refang(raw) : std::string();
      const std::string_view v = d ? std::string_view(refanged) : raw;
      if (ip::parse_v4(v)) {
        emit(Type::kIpv4, st, e, d ? std::move(refanged) : std::string(raw), d);
        return e;
      }
    }
  }

  Name nm = parse_name(st);
  if (nm.labels < 2) return 0;
  const unsigned char after = at(nm.end);
  bool d = false;
  if (after == '@' || (after && at_length(t_, nm.end, d) && d)) return nm.end;  // an e-mail's local part
  const bool bad_after = after == '_' || after == '$' || after == '(' || after == '\\';
  if (!bad_before && !bad_after && valid_domain(nm, false)) {
    emit(Type::kDomain, st, nm.end, ascii_lower(text_of(nm)), nm.defanged);
    return nm.end;
  }
  // Not a domain: any label may still be a hash ("<sha256>.exe").
  size_t i = st;
  while (i < nm.end) {
    const size_t ls = i;
    while (i < nm.end && is(s_[i], kLabel)) ++i;
    if (hash_length(i - ls) && !bad_before) hash(ls, i);
    bool dd = false;
    const size_t sl = dot_length(t_, i, dd);
    i += sl ? sl : 1;
  }
  return nm.end;
}

size_t Scan::email(size_t p) {
  bool d = false;
  const size_t al = at_length(t_, p, d);
  if (!al) return 0;
  const size_t lim = std::max(floor_, p > 64 ? p - 64 : size_t{0});
  size_t ls = p;
  while (ls > lim && is(s_[ls - 1], kLocal)) --ls;
  if (ls == lim && ls > floor_ && is(s_[ls - 1], kLocal)) return 0;
  // It starts with a letter, a digit or '_': a special character in front of it is the
  // text's ('quoted', **bold**, #channel), though RFC 5322 would allow it.
  while (ls < p && !(is(s_[ls], kAlnum) || s_[ls] == '_')) ++ls;
  if (ls == p || s_[p - 1] == '.') return 0;
  const size_t ds = p + al;
  if (!is(at(ds), kLabel)) return 0;
  Name nm = parse_name(ds);
  if (!valid_domain(nm, true)) return 0;
  std::string v(t_.substr(ls, p - ls));
  v += '@';
  v += ascii_lower(text_of(nm));
  emit(Type::kEmail, ls, nm.end, std::move(v), d || nm.defanged);
  return nm.end;
}

size_t Scan::ipv6(size_t p) {
  const size_t lim = std::max(floor_, p > 40 ? p - 40 : size_t{0});
  size_t st = p;
  while (st > lim && (is(s_[st - 1], kHex) || s_[st - 1] == ':')) --st;
  if (st > 0) {
    const unsigned char b = s_[st - 1];
    if (is(b, kAlnum) || b == '_' || b == '-' || b == ':') return 0;
    // A '.' before it is punctuation ("(.2001:db8::7)") unless it ends a word or number.
    if (b == '.' && st >= 2 && (is(s_[st - 2], kLabel) || s_[st - 2] == '_')) return 0;
  }
  size_t en = p;
  while (en < n_ && en - st < 46 && (is(s_[en], kHex) || s_[en] == ':' || s_[en] == '.')) ++en;
  while (en > p && s_[en - 1] == '.') --en;
  if (en - st >= 2 && s_[en - 1] == ':' && s_[en - 2] != ':') --en;
  if (en < n_ && (is(s_[en], kAlnum) || s_[en] == '_' || s_[en] == '-')) return 0;
  const std::string_view cand = t_.substr(st, en - st);
  if (cand.size() < 3) return 0;
  // Quick no: without "::" an address has 7 colons (6 before an IPv4 tail).
  if (cand.find("::") == std::string_view::npos) {
    size_t colons = 0;
    for (char c : cand) colons += c == ':';
    if (colons < 6) return 0;
  }
  bool any_hex = false;
  for (char c : cand) any_hex = any_hex || c != ':';
  if (!any_hex) return 0;
  // A MAC or EUI-64 address (every group two hex digits, no "::") is not an IPv6.
  if (cand.find("::") == std::string_view::npos) {
    bool all2 = true;
    size_t g = 0;
    for (char c : cand) {
      if (c == ':') {
        all2 = all2 && g == 2;
        g = 0;
      } else {
        ++g;
      }
    }
    if (all2 && g == 2) return 0;
  }
  // One short or digit-less group and "::" ("Add::", "1::" in prose and code) is too
  // little to go on; "fe80::", "::1" and "::ffff:1.2.3.4" are fine.
  if (cand.compare(0, 2, "::") != 0) {
    int groups = 0;
    for (size_t k = 0; k < cand.size(); ++k)
      if (cand[k] != ':' && (k == 0 || cand[k - 1] == ':')) ++groups;
    if (groups < 2) {
      const std::string_view g = cand.substr(0, cand.find(':'));
      bool digit = false;
      for (char c : g) digit = digit || (c >= '0' && c <= '9');
      if (g.size() < 3 || !digit) return 0;
    }
  }
  auto a = ip::parse_v6(cand);
  if (!a) return 0;
  emit(Type::kIpv6, st, en, ip::to_string(*a), false);
  return en;
}

}  // namespace sqlhunt::ioc::detail
