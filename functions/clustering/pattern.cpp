// cmdline_pattern's tokenizer: one pass over the text that replaces variable tokens
// (numbers, hex ids, hashes, base64, IPs, UUIDs, times, user and temp paths, key=value
// values) with typed placeholders. It is longer than our ~500-line rule because the
// recognisers share one cursor and one character-class table and are tried in an
// order that matters (a UUID before hex, a time before a number); split across files
// they would need that cursor and order as a public interface for no reader's gain.
#include "functions/clustering/pattern.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/ip.h"
#include "core/json_text.h"
#include "core/ioc/ioc.h"
#include "core/text.h"

namespace sqlhunt::clustering {
namespace {

using text::iequals;

// Character classes, one table lookup each.
enum : uint8_t {
  kDigit = 1,
  kAlpha = 2,   // A-Z a-z and every byte >= 0x80 (letters of other scripts)
  kHex = 4,
  kDelim = 8,   // ends a token
  kB64 = 16,    // A-Z a-z 0-9 + / =
  kHostChar = 32,  // A-Z a-z 0-9 - . (a DNS name's characters)
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t v = 0;
    if (c >= '0' && c <= '9') v |= kDigit | kHex | kB64 | kHostChar;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) v |= kAlpha | kB64 | kHostChar;
    if ((c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) v |= kHex;
    if (c >= 0x80) v |= kAlpha;
    if (c == '+' || c == '/' || c == '=') v |= kB64;
    if (c == '-' || c == '.') v |= kHostChar;
    t[static_cast<size_t>(c)] = v;
  }
  // Tokens end at whitespace, quotes, brackets and the separators of key=value lists
  // and shell syntax. ':', '/', '\\', '.', '-', '@', '%' stay inside: they hold
  // addresses, paths, URLs and times together.
  for (unsigned char c : std::string_view(" \t\r\n\v\f\"'`()[]{}<>,;=|&!"))
    t[c] |= kDelim;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

inline bool is(unsigned char c, uint8_t cls) { return (kClass[c] & cls) != 0; }
inline bool digit(char c) { return is(static_cast<unsigned char>(c), kDigit); }
inline bool alpha(char c) { return is(static_cast<unsigned char>(c), kAlpha); }
inline bool alnum(char c) { return is(static_cast<unsigned char>(c), kDigit | kAlpha); }
inline bool hex(char c) { return is(static_cast<unsigned char>(c), kHex); }
inline bool delim(char c) { return is(static_cast<unsigned char>(c), kDelim); }

// Month and weekday names as logs write them: Jun, June, JUN.
bool is_month(std::string_view w) {
  static constexpr std::string_view kMonths[] = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
      "january", "february", "march", "april", "june", "july", "august", "september",
      "sept", "october", "november", "december"};
  for (auto m : kMonths)
    if (iequals(w, m)) return true;
  return false;
}
bool is_weekday(std::string_view w) {
  static constexpr std::string_view kDays[] = {
      "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
      "thursday", "friday", "saturday", "sunday"};
  for (auto d : kDays)
    if (iequals(w, d)) return true;
  return false;
}
bool is_zone(std::string_view w) {
  static constexpr std::string_view kZones[] = {
      "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
      "CET", "CEST", "EET", "EEST", "WET", "WEST", "BST", "IST", "JST", "KST", "AEST", "AEDT"};
  for (auto z : kZones)
    if (w == z) return true;
  return false;
}

class Scanner {
 public:
  Scanner(std::string& out, std::string_view s) : out_(out), s_(s) {}

  void run() {
    const size_t n = s_.size();
    size_t i = 0;
    while (i < n) {
      if (delim(s_[i])) {
        out_ += s_[i++];
        continue;
      }
      size_t e = i;
      while (e < n && !delim(s_[e])) ++e;
      i = token(i, e);
    }
  }

 private:
  enum class Last { kOther, kTime };

  size_t digits(size_t i, size_t end, size_t max) const {
    size_t j = i;
    while (j < end && j - i < max && digit(s_[j])) ++j;
    return j - i;
  }
  int number(size_t i, size_t len) const {
    int v = 0;
    for (size_t k = 0; k < len; ++k) v = v * 10 + (s_[i + k] - '0');
    return v;
  }

  void emit(const char* placeholder) {
    out_ += placeholder;
    last_ = Last::kOther;
  }

  // Emits <TIME> for s_[b, e) and takes what belongs to it after e (a zone, and a
  // year when `year_may_follow`); returns the input position after it. A time right
  // after a time (a date, then its clock time) merges into the one before.
  size_t emit_time(size_t b, size_t e, bool year_may_follow) {
    bool merged = false;
    if (last_ == Last::kTime && b >= last_in_end_ && b - last_in_end_ <= 3) {
      bool only_space = true;
      for (size_t k = last_in_end_; k < b; ++k) only_space &= s_[k] == ' ' || s_[k] == 'T';
      if (only_space) {
        out_.resize(last_out_end_);
        merged = true;
      }
    }
    if (!merged) out_ += "<TIME>";
    // A zone, then (ctime's order) a year: " EDT 2004", " +0000", " 2005".
    for (int part = 0; part < 2; ++part) {
      size_t k = e;
      while (k < s_.size() && s_[k] == ' ') ++k;
      if (k == e || k >= s_.size()) break;
      size_t w = k;
      while (w < s_.size() && !delim(s_[w])) ++w;
      const std::string_view word = s_.substr(k, w - k);
      const bool offset = word.size() == 5 && (word[0] == '+' || word[0] == '-') &&
                          digits(k + 1, w, 4) == 4;
      const bool year = year_may_follow && word.size() == 4 && digits(k, w, 4) == 4 &&
                        (word[0] == '1' || word[0] == '2');
      if (part == 0 && (is_zone(word) || offset)) {
        e = w;
        continue;
      }
      if (year) e = w;
      break;
    }
    last_ = Last::kTime;
    last_in_end_ = e;
    last_out_end_ = out_.size();
    return e;
  }

  // A clock time at i: H:MM or HH:MM[:SS[.fff]] with an optional Z or +hh[:mm];
  // returns its length (0: none). The next byte must not continue a word.
  size_t clock_at(size_t i, size_t end) const {
    const size_t h = digits(i, end, 2);
    if (h == 0 || i + h >= end || s_[i + h] != ':' || number(i, h) > 23) return 0;
    size_t k = i + h + 1;
    if (digits(k, end, 3) != 2 || number(k, 2) > 59) return 0;
    k += 2;
    if (k + 2 < end && s_[k] == ':' && digits(k + 1, end, 3) == 2 && number(k + 1, 2) <= 60) {
      k += 3;
      if (k + 1 < end && (s_[k] == '.' || s_[k] == ',') && digit(s_[k + 1])) {
        ++k;
        while (k < end && digit(s_[k])) ++k;
      }
    } else if (k < end && s_[k] == ':') {
      return 0;  // 12:34:5x is no time (a MAC, an IPv6 address)
    }
    if (k < end && s_[k] == 'Z') ++k;
    else if (k + 2 < end && (s_[k] == '+' || s_[k] == '-') && digits(k + 1, end, 2) == 2) {
      size_t z = k + 3;
      if (z < end && s_[z] == ':') ++z;
      if (digits(z, end, 2) == 2) z += 2;
      k = z;
    }
    if (k < end && (alnum(s_[k]) || s_[k] == ':')) return 0;
    return k - i;
  }

  // A date (and maybe its time) at the start of s_[b, e): returns its length, 0 when none.
  size_t date_at(size_t b, size_t e) const {
    const size_t d1 = digits(b, e, 5);
    size_t k = 0;
    if (d1 == 4 && b + 4 < e && (s_[b + 4] == '-' || s_[b + 4] == '/')) {
      // 2019-01-15, 2019/01/15
      const char sep = s_[b + 4];
      size_t m = b + 5;
      const size_t dm = digits(m, e, 3);
      if (dm < 1 || dm > 2 || m + dm >= e || s_[m + dm] != sep) return 0;
      const size_t dd = digits(m + dm + 1, e, 3);
      if (dd < 1 || dd > 2) return 0;
      if (number(m, dm) < 1 || number(m, dm) > 12 || number(m + dm + 1, dd) < 1 || number(m + dm + 1, dd) > 31)
        return 0;
      k = m + dm + 1 + dd;
      if (k < e && s_[k] == 'T' && k + 1 < e) {
        const size_t c = clock_at(k + 1, e);
        if (c) k += 1 + c;
      }
    } else if ((d1 == 1 || d1 == 2) && b + d1 < e && (s_[b + d1] == '/' || s_[b + d1] == '.')) {
      // 1/15/2019, 15.01.2019, 15/Jan/2019:05:24:24
      const char sep = s_[b + d1];
      size_t m = b + d1 + 1;
      size_t mlen = digits(m, e, 3);
      bool month_name = false;
      if (mlen == 0) {
        while (m + mlen < e && alpha(s_[m + mlen])) ++mlen;
        if (!is_month(s_.substr(m, mlen))) return 0;
        month_name = true;
      } else if (mlen > 2) {
        return 0;
      }
      if (m + mlen >= e || s_[m + mlen] != sep) return 0;
      const size_t y = m + mlen + 1;
      if (digits(y, e, 5) != 4) return 0;
      k = y + 4;
      if (month_name && k < e && s_[k] == ':') {
        const size_t c = clock_at(k + 1, e);
        if (c) k += 1 + c;
      }
    } else {
      return 0;
    }
    if (k < e && (alnum(s_[k]) || s_[k] == ':' || s_[k] == '-')) return 0;
    return k - b;
  }

  // "Jun 14 15:16:01", "Jun 14, 2019", "May  8 09:25:42": a month word at b (a token of
  // its own), a day, then a clock time or a year. Returns the end, 0 when not a date.
  size_t month_date_at(size_t word_end) const {
    size_t k = word_end;
    if (k < s_.size() && s_[k] == '.') ++k;
    size_t sp = k;
    while (sp < s_.size() && s_[sp] == ' ') ++sp;
    if (sp == k) return 0;
    const size_t dd = digits(sp, s_.size(), 3);
    if (dd < 1 || dd > 2 || number(sp, dd) < 1 || number(sp, dd) > 31) return 0;
    k = sp + dd;
    if (k < s_.size() && s_[k] == ',') ++k;
    sp = k;
    while (sp < s_.size() && s_[sp] == ' ') ++sp;
    if (sp == k) return 0;
    size_t c = clock_at(sp, s_.size());
    if (c) return sp + c;
    if (digits(sp, s_.size(), 5) == 4 && (sp + 4 == s_.size() || !alnum(s_[sp + 4]))) {
      k = sp + 4;
      size_t sp2 = k;
      while (sp2 < s_.size() && s_[sp2] == ' ') ++sp2;
      if (sp2 > k && (c = clock_at(sp2, s_.size()))) return sp2 + c;
      return k;
    }
    return 0;
  }

  // Drops a weekday (and its ", ") written just before a date ("Fri Jun 17 ...").
  void drop_weekday_before() {
    size_t k = out_.size();
    while (k > 0 && (out_[k - 1] == ' ' || out_[k - 1] == ',')) --k;
    size_t w = k;
    while (w > 0 && alpha(out_[w - 1])) --w;
    if (w == k || (w > 0 && (alnum(out_[w - 1]) || out_[w - 1] == '>'))) return;
    if (is_weekday(std::string_view(out_).substr(w, k - w))) out_.resize(w);
  }

  size_t mac_at(size_t b, size_t e) const {
    if (e - b < 17) return 0;
    const char sep = s_[b + 2];
    if (sep != ':' && sep != '-') return 0;
    for (size_t g = 0; g < 6; ++g) {
      const size_t p = b + g * 3;
      if (!hex(s_[p]) || !hex(s_[p + 1])) return 0;
      if (g < 5 && s_[p + 2] != sep) return 0;
    }
    if (b + 17 < e && (alnum(s_[b + 17]) || s_[b + 17] == sep)) return 0;
    return 17;
  }

  size_t ipv6_at(size_t b, size_t e) const {
    size_t k = b, colons = 0;
    while (k < e && (hex(s_[k]) || s_[k] == ':' || s_[k] == '.')) colons += s_[k++] == ':';
    if (colons < 2) return 0;
    size_t end = k;
    // A trailing '.' or a lone ':' ends a sentence or a field ("from ::1:" / "::1.").
    while (end > b && (s_[end - 1] == '.' || (s_[end - 1] == ':' && (end < b + 2 || s_[end - 2] != ':')))) --end;
    if (!ip::parse_v6(s_.substr(b, end - b))) return 0;
    if (end < e && s_[end] == '%') {  // a zone index: fe80::1%eth0
      size_t z = end + 1;
      while (z < e && alnum(s_[z])) ++z;
      if (z > end + 1) end = z;
    }
    return end - b;
  }

  size_t host_run(size_t i, size_t end) const {
    while (i < end && is(static_cast<unsigned char>(s_[i]), kHostChar)) ++i;
    return i;
  }
  bool ends_name(size_t i, size_t end) const { return i == end || s_[i] == ':' || s_[i] == '/'; }

  // Is s_[b, e) a DNS name with a real public suffix (the IoC scanner's rule)?
  bool host(size_t b, size_t e) const {
    if (e - b < 4 || e - b > 253) return false;
    size_t last_dot = std::string_view::npos;
    for (size_t k = b; k < e; ++k) {
      if (!is(static_cast<unsigned char>(s_[k]), kHostChar)) return false;
      if (s_[k] == '.') last_dot = k;
    }
    if (last_dot == std::string_view::npos || last_dot == b || e - last_dot < 3) return false;
    for (size_t k = last_dot + 1; k < e; ++k)
      if (!alpha(s_[k])) return false;
    const auto t = ioc::whole_type(s_.substr(b, e - b));
    return t && *t == ioc::Type::kDomain;
  }

  // Digits that are shell or awk syntax, not values: a file descriptor in a
  // redirection (2>&1, 2>/dev/null), a positional parameter or awk field ($1), and a
  // one-digit option (ip -4, ssh -6). They read the same in every command line.
  bool shell_syntax(size_t b, size_t j) const {
    const size_t len = j - b, n = s_.size();
    const char before = b > 0 ? s_[b - 1] : ' ';
    const char after = j < n ? s_[j] : ' ';
    if (before == '$' && len <= 2) return true;
    if (len != 1) return false;
    if ((after == '>' || after == '<') && (b == 0 || delim(before))) return true;
    if (before == '&' && b >= 2 && s_[b - 2] == '>') return true;
    return before == '-' && (b < 2 || delim(s_[b - 2])) && delim(after);
  }

  // Where the token s_[b, e) says an account name starts, or npos:
  //   "user alice", "Invalid user admin"          the word after `user `
  //   user=root, acct="root", ruser=, username=    the value of a key naming an account
  //   "Failed password for root from", "Accepted publickey for git from"
  //                                                sshd's "<method> for <account>"
  size_t account_expected_at(size_t b, size_t e) const {
    constexpr size_t npos = std::string_view::npos;
    const std::string_view w = s_.substr(b, e - b), rest = s_.substr(e);
    if (iequals(w, "user") && rest.size() > 1 && rest[0] == ' ') return e + 1;
    static constexpr std::string_view kKeys[] = {"user", "acct", "ruser", "suser", "duser",
                                                 "username", "account", "logname"};
    for (auto k : kKeys) {
      if (!iequals(w, k) || rest.empty() || rest[0] != '=') continue;
      return rest.size() > 1 && rest[1] == '"' ? e + 2 : e + 1;
    }
    static constexpr std::string_view kMethods[] = {
        "password", "publickey", "none", "hostbased", "keyboard-interactive/pam",
        "keyboard-interactive", "gssapi-with-mic", "gssapi-keyex"};
    if (rest.size() > 5 && rest.substr(0, 5) == " for ")
      for (auto m : kMethods)
        if (iequals(w, m)) return e + 5;
    return npos;
  }

  // An account name: letters, digits, . _ - $ @ (user@realm), not one of
  // the words that follow "user" in prose ("user unknown", "user logged in").
  bool account_name(size_t b, size_t e) const {
    if (e <= b || e - b > 64) return false;
    for (size_t k = b; k < e; ++k)
      if (!alnum(s_[k]) && (s_[k] == '\0' || !std::strchr("._-$@\\", s_[k]))) return false;
    static constexpr std::string_view kProse[] = {
        "unknown", "not",    "is",      "was",     "has",     "had",     "does",  "did",
        "logged",  "added",  "removed", "deleted", "created", "changed", "name",  "names",
        "id",      "ids",    "account", "session", "request", "login",   "logout", "mode",
        "agent",   "space",  "data",    "input",   "with",    "from",    "to",    "for",
        "by",      "in",     "on",      "and",     "or",      "the",     "a",     "an",
        "of",      "at",     "as",      "cannot",  "can",     "must",    "will",  "should",
        "invalid", "illegal"};
    const std::string_view w = s_.substr(b, e - b);
    for (auto p : kProse)
      if (iequals(w, p)) return false;
    return true;
  }

  bool base64(size_t b, size_t e) const {
    if (e - b < 32) return false;
    bool upper = false, lower_case = false, dig = false;
    size_t run = 0, longest = 0, k = b;
    for (; k < e && s_[k] != '='; ++k) {
      const char c = s_[k];
      if (!is(static_cast<unsigned char>(c), kB64) || static_cast<unsigned char>(c) >= 0x80) return false;
      upper |= c >= 'A' && c <= 'Z';
      lower_case |= c >= 'a' && c <= 'z';
      dig |= digit(c);
      run = c == '/' ? 0 : run + 1;
      if (run > longest) longest = run;
    }
    const size_t pad = e - k;
    for (; k < e; ++k)
      if (s_[k] != '=') return false;
    return pad <= 2 && upper && lower_case && dig && longest >= 24;
  }

  // One token: s_[b, e) holds no delimiter. Returns where scanning goes on (past e
  // when a date took the words after it).
  size_t token(size_t b, size_t e) {
    // The token without what ends a sentence or a field: "1.2.3.4.", "host.com:".
    size_t core = e;
    while (core > b && (s_[core - 1] == '.' || s_[core - 1] == ':')) --core;

    // An account name where the words before say one comes (account_expected_at).
    const bool account_here = b == account_at_;
    if (account_at_ == std::string_view::npos || b >= account_at_)  // not over words between
      account_at_ = account_expected_at(b, e);
    if (account_here && account_name(b, core)) {
      emit("<USER>");
      words(core, e);
      return e;
    }

    if (alpha(s_[b])) {
      size_t w = b;
      while (w < e && alpha(s_[w])) ++w;
      if ((w == e || (w + 1 == e && s_[w] == '.')) && is_month(s_.substr(b, w - b))) {
        if (const size_t end = month_date_at(w)) {
          drop_weekday_before();
          return emit_time(b, end, /*year_may_follow=*/true);
        }
      }
    }
    if (hex(s_[b]) || s_[b] == ':') {
      if (const size_t m = mac_at(b, e)) {
        emit("<MAC>");
        words(b + m, e);
        return e;
      }
      if (const size_t v6 = ipv6_at(b, e)) {
        emit("<IP>");
        words(b + v6, e);
        return e;
      }
    }
    if (digit(s_[b])) {
      if (const size_t d = date_at(b, e)) {
        const size_t end = emit_time(b, b + d, false);
        words(std::min(end, e), e);
        return std::max(end, e);
      }
      if (const size_t c = clock_at(b, e)) {
        const size_t end = emit_time(b, b + c, false);
        words(std::min(end, e), e);
        return std::max(end, e);
      }
    }
    last_ = Last::kOther;

    const std::string_view tok = s_.substr(b, core - b);
    if (const size_t scheme_end = tok.find("://"); scheme_end != std::string_view::npos && scheme_end > 0) {
      bool scheme = true;
      for (size_t k = b; k < b + scheme_end; ++k) scheme &= alnum(s_[k]) || s_[k] == '+' || s_[k] == '-' || s_[k] == '.';
      if (scheme) {
        out_.append(s_.data() + b, scheme_end + 3);
        size_t h = b + scheme_end + 3, he = h;
        while (he < e && s_[he] != '/' && s_[he] != '?' && s_[he] != '#') ++he;
        const size_t at = s_.substr(h, he - h).rfind('@');
        if (at != std::string_view::npos) {
          out_.append(s_.data() + h, at + 1);  // user:password@ — rare, kept as written
          h += at + 1;
        }
        size_t port = h;
        while (port < he && s_[port] != ':') ++port;
        const std::string_view name = s_.substr(h, port - h);
        if (ip::parse(name)) emit("<IP>");
        else if (name.find('.') != std::string_view::npos) emit("<HOST>");
        else out_.append(name);
        words(port, e);
        return e;
      }
    }
    // A host (or an e-mail's domain) may have a port or a path after it in the same
    // token ("example.com:443/x"): the name is the run of DNS characters, and what
    // follows it is matched word by word. (Requiring the whole token would make the
    // pattern depend on what the number rule later removes: not idempotent.)
    if (const size_t at = tok.find('@'); at != std::string_view::npos && at > 0 && at + 1 < tok.size()) {
      bool local = true;
      for (size_t k = b; k < b + at; ++k)
        local &= alnum(s_[k]) || (s_[k] != '\0' && std::strchr("._%+-", s_[k]) != nullptr);
      const size_t d = b + at + 1, d_end = host_run(d, core);
      if (local && ends_name(d_end, core) && host(d, d_end)) {
        emit("<EMAIL>");
        words(d_end, e);
        return e;
      }
    }
    if (alnum(s_[b])) {
      const size_t h_end = host_run(b, core);
      if (ends_name(h_end, core) && host(b, h_end)) {
        emit("<HOST>");
        words(h_end, e);
        return e;
      }
    }
    if (base64(b, core)) {
      emit("<B64>");
      words(core, e);
      return e;
    }
    words(b, e);
    return e;
  }

  // The parts of a token no whole-token rule took: path components, then words.
  void words(size_t b, size_t e) {
    enum class Next { kPlain, kUser, kTmp } next = Next::kPlain;
    size_t comp = b;             // start of the current path component
    std::string_view prev_comp;  // the component before it
    size_t i = b;
    while (i < e) {
      const char c = s_[i];
      if (c == '/' || c == '\\') {
        const std::string_view this_comp = s_.substr(comp, i - comp);
        if (iequals(this_comp, "home") || iequals(this_comp, "users")) next = Next::kUser;
        else if (iequals(this_comp, "tmp") || iequals(this_comp, "temp") || iequals(this_comp, "%temp%") ||
                 iequals(this_comp, "%tmp%") || (this_comp == "shm" && prev_comp == "dev"))
          next = Next::kTmp;
        else next = Next::kPlain;
        prev_comp = this_comp;
        out_ += c;
        comp = ++i;
        if (next == Next::kPlain) continue;
        size_t k = i;
        while (k < e && s_[k] != '/' && s_[k] != '\\') ++k;
        const std::string_view name = s_.substr(i, k - i);
        if (name.empty() || name == "." || name == "..") continue;
        if (next == Next::kUser) {
          if (iequals(name, "public") || iequals(name, "default") || iequals(name, "shared") ||
              iequals(name, "all users") || iequals(name, "default user") || name[0] == '%' ||
              name[0] == '<')
            continue;
          emit("<USER>");
        } else {
          emit("<TMP>");
          const size_t dot = name.rfind('.');
          if (dot != std::string_view::npos && dot > 0 && name.size() - dot - 1 >= 1 && name.size() - dot - 1 <= 5) {
            bool ext = true, letter = false;
            for (size_t x = dot + 1; x < name.size(); ++x) {
              ext &= alnum(name[x]);
              letter |= alpha(name[x]);
            }
            if (ext && letter) out_.append(name.substr(dot));
          }
        }
        prev_comp = name;
        i = k;
        comp = k;
        continue;
      }
      if (alnum(c)) {
        size_t j = i;
        while (j < e && alnum(s_[j])) ++j;
        i = word(i, j, e);
        continue;
      }
      out_ += c;
      ++i;
    }
  }

  // One word (letters and digits) s_[b, j) inside a token ending at e. Returns the
  // position after what it took (more than the word for a GUID, a SID, an IPv4
  // address or a dotted number).
  size_t word(size_t b, size_t j, size_t e) {
    const size_t len = j - b;
    // GUID: 8-4-4-4-12
    if (len == 8 && b + 36 <= e) {
      static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
      size_t k = b;
      bool ok = true;
      for (size_t g = 0; g < 5 && ok; ++g) {
        for (size_t x = 0; x < kGroups[g] && ok; ++x) ok = hex(s_[k++]);
        if (g < 4 && ok) ok = s_[k++] == '-';
      }
      if (ok && (k == e || !alnum(s_[k]))) {
        emit("<GUID>");
        return k;
      }
    }
    // SID: S-1-5-21-...
    if (len == 1 && s_[b] == 'S' && b + 4 < e && s_[b + 1] == '-' && s_[b + 2] == '1' && s_[b + 3] == '-' && digit(s_[b + 4])) {
      size_t k = b + 3;
      while (k + 1 < e && s_[k] == '-' && digit(s_[k + 1])) {
        ++k;
        while (k < e && digit(s_[k])) ++k;
      }
      emit("<SID>");
      return k;
    }
    bool all_digits = true, all_hex = true, has_letter = false, has_digit = false;
    int transitions = 0;
    for (size_t k = b; k < j; ++k) {
      const bool d = digit(s_[k]);
      all_digits &= d;
      all_hex &= hex(s_[k]);
      has_letter |= !d;
      has_digit |= d;
      if (k > b && d != digit(s_[k - 1])) ++transitions;
    }
    if (all_digits && shell_syntax(b, j)) {
      out_.append(s_.data() + b, len);
      last_ = Last::kOther;
      return j;
    }
    if (all_digits) {
      // An IPv4 address, else a number with its decimal parts: 3.14, 2.6.5, 1,024.
      if (j < e && s_[j] == '.') {
        size_t k = j;
        while (k < e && (digit(s_[k]) || s_[k] == '.')) ++k;
        size_t end = k;
        while (end > b && s_[end - 1] == '.') --end;
        if ((end == e || !alpha(s_[end])) && ip::parse_v4(s_.substr(b, end - b))) {
          emit("<IP>");
          return end;
        }
      }
      size_t k = j;
      while (k + 1 < e && (s_[k] == '.' || s_[k] == ',') && digit(s_[k + 1])) {
        size_t x = k + 1;
        while (x < e && digit(s_[x])) ++x;
        k = x;  // "1.5GB": <NUM>GB (the letters after it are a word of their own)
      }
      emit("<NUM>");
      return k;
    }
    if (len > 2 && s_[b] == '0' && (s_[b + 1] == 'x' || s_[b + 1] == 'X')) {
      bool ok = true;
      for (size_t k = b + 2; k < j; ++k) ok &= hex(s_[k]);
      if (ok) {
        emit("<HEX>");
        return j;
      }
    }
    if (all_hex && len >= 6 && has_letter && has_digit) {
      emit("<HEX>");
      return j;
    }
    if (len >= 8 && transitions >= 3) {
      emit("<ID>");
      return j;
    }
    // Letters and digits: a digit run glued to letters before it stays when short
    // (ssh2, x86, sha256); a longer one, or one that starts the word, is a number.
    last_ = Last::kOther;
    size_t k = b;
    while (k < j) {
      if (!digit(s_[k])) {
        out_ += s_[k++];
        continue;
      }
      size_t d = k;
      while (d < j && digit(s_[d])) ++d;
      if (k > b && d - k <= 3) out_.append(s_.data() + k, d - k);
      else out_ += "<NUM>";
      k = d;
    }
    return j;
  }

  std::string& out_;
  std::string_view s_;
  Last last_ = Last::kOther;
  size_t last_in_end_ = 0;   // input position after the last <TIME>
  size_t last_out_end_ = 0;  // output size right after it
  size_t account_at_ = std::string_view::npos;  // where an account name is expected
};

// A placeholder written inside a token ("/proc/<NUM>/stat", "<NUM>fe80::1") splits it:
// read again, the pieces on either side are tokens of their own and a rule may now see
// them differently ("fe80::1" after a delimiter is an address). So the pattern is read
// again until nothing changes, which makes cmdline_pattern idempotent: the pattern of a
// pattern is itself. Only text with such a glued placeholder needs another pass; in
// practice the second pass changes nothing and the loop ends there.
bool has_glued_placeholder(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i > 0 && !delim(s[i - 1])) return true;
    if (s[i] == '>' && i + 1 < s.size() && !delim(s[i + 1])) return true;
  }
  return false;
}

}  // namespace

void append_pattern(std::string& out, std::string_view text) {
  // Bytes that are not UTF-8 become U+FFFD first, so every pass reads the same text
  // (and the result is valid UTF-8: placeholders are ASCII, words keep their bytes).
  std::string repaired;
  if (!json::is_valid_utf8(text)) {
    json::append_valid_utf8(repaired, text);
    text = repaired;
  }
  std::string cur, next;
  cur.reserve(text.size() + 16);
  Scanner(cur, text).run();
  constexpr int kMaxPasses = 4;
  for (int pass = 1; pass < kMaxPasses && has_glued_placeholder(cur); ++pass) {
    next.clear();
    Scanner(next, cur).run();
    if (next == cur) break;
    cur.swap(next);
  }
  out += cur;
}

}  // namespace sqlhunt::clustering
