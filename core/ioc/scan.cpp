#include "core/ioc/ioc.h"

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/ip.h"
#include "core/ioc/refang.h"

namespace sqlhunt::ioc {
namespace {

// ---------------------------------------------------------------------------------
// Byte classes (one table lookup per byte in the hot loop).
enum : uint16_t {
  kAlnum = 1 << 0,    // [A-Za-z0-9]
  kHex = 1 << 1,      // [0-9A-Fa-f]
  kLabel = 1 << 2,    // DNS label byte: [A-Za-z0-9-]
  kTrigger = 1 << 3,  // . : @ / \ [ ( { -
  kUrl = 1 << 4,      // may appear in a URL's path, query or fragment
  kLocal = 1 << 5,    // e-mail local part: [A-Za-z0-9._%+-]
  kWinSeg = 1 << 6,   // ASCII byte of a Windows path segment (no space)
  kLinSeg = 1 << 7,   // ASCII byte of a Linux path segment
  kUserinfo = 1 << 8, // URL userinfo
  kDigit = 1 << 9,
};

constexpr std::array<uint16_t, 256> make_classes() {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint16_t v = 0;
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit) v |= kDigit;
    if (digit || alpha) v |= kAlnum | kLabel | kLocal | kWinSeg | kLinSeg | kUserinfo;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= kHex;
    if (c == '-') v |= kLabel;
    if (c == '.' || c == ':' || c == '@' || c == '/' || c == '\\' || c == '[' || c == '(' || c == '{' ||
        c == '-')
      v |= kTrigger;
    if (c > 0x20 && c < 0x7f) {
      const bool not_url = c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
                           c == '{' || c == '}' || c == '|';
      if (!not_url) v |= kUrl;
      // ',' and ';' are legal in file names but in text they separate lists far more
      // often (CSV fields, PATH=C:\a;C:\b).
      const bool not_win = c == '\\' || c == '/' || c == ':' || c == '*' || c == '?' || c == '"' ||
                           c == '<' || c == '>' || c == '|' || c == ',' || c == ';';
      if (!not_win) v |= kWinSeg;
    }
    if (c == '.' || c == '_' || c == '%' || c == '+' || c == '-') v |= kLocal;
    if (c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || c == '%' || c == '~' || c == '=' ||
        c == ',')
      v |= kLinSeg;
    if (c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '!' || c == '$' || c == '&' ||
        c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' ||
        c == ':')
      v |= kUserinfo;
    t[c] = v;
  }
  return t;
}
constexpr std::array<uint16_t, 256> kCls = make_classes();

inline bool is(unsigned char c, uint16_t cls) { return (kCls[c] & cls) != 0; }
inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }
std::string to_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower(c);
  return r;
}
bool eq_ci(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower_b[i]) return false;
  return true;
}

// Length of a valid UTF-8 sequence at s[i] that may be part of a name (a path
// segment): not a space or punctuation block character (curly quotes, CJK and
// full-width punctuation, no-break space, « »), else 0.
size_t utf8_name_char(const unsigned char* s, size_t i, size_t n) {
  const unsigned char c = s[i];
  uint32_t cp;
  size_t len;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7) return 0;  // C1, nbsp, « », ×, ÷
  if (cp >= 0x2000 && cp <= 0x206F) return 0;                            // general punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return 0;                            // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return 0;                            // CJK compatibility forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return 0;                            // full-width ! " # ... /
  if (cp >= 0xFF1A && cp <= 0xFF20) return 0;                            // full-width : ; < = > ? @
  if (cp >= 0xFF3B && cp <= 0xFF40) return 0;
  if (cp >= 0xFF5B && cp <= 0xFF65) return 0;
  if (cp == 0xFEFF) return 0;
  return len;
}

// ---------------------------------------------------------------------------------
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
  if (!ctx) throw std::runtime_error("extract_iocs: the public suffix list (libpsl) is not available");
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

// A Linux path starts in one of the top-level directories of the filesystem
// hierarchy (or at ~/): "/api/v1/users" in a web log or an Azure resource id
// ("/subscriptions/...") is not a path on a host.
constexpr std::string_view kFhsRoots[] = {"bin",  "boot", "dev",  "etc",  "home", "lib", "lib32",
                                          "lib64", "libx32", "media", "mnt", "opt", "proc", "root",
                                          "run",  "sbin", "snap", "srv",  "sys",  "tmp", "usr", "var"};

constexpr std::string_view kHives[] = {"hklm",
                                       "hkcu",
                                       "hkcr",
                                       "hku",
                                       "hkcc",
                                       "hkey_local_machine",
                                       "hkey_current_user",
                                       "hkey_classes_root",
                                       "hkey_users",
                                       "hkey_current_config",
                                       "hkey_performance_data"};

Type hash_type(size_t len) {
  switch (len) {
    case 32: return Type::kMd5;
    case 40: return Type::kSha1;
    case 64: return Type::kSha256;
    default: return Type::kSha512;
  }
}
inline bool hash_length(size_t len) { return len == 32 || len == 40 || len == 64 || len == 128; }

constexpr int kMaxUrlDepth = 3;

// A dotted name read forward: labels separated by plain or defanged dots.
struct Name {
  size_t start = 0, end = 0;
  int labels = 0;
  bool defanged = false;
  bool bad_label = false;    // empty, > 63 bytes, or a leading/trailing '-'
  bool all_numeric = true;
  size_t last_label_start = 0;
  std::string text;          // refanged, as written (case kept)
};

class Scan {
 public:
  Scan(std::string_view text, std::vector<Match>& out, TypeMask mask, int depth)
      : t_(text), s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()),
        out_(out), mask_(mask), depth_(depth) {}

  void run() {
    size_t i = 0;
    size_t hash_end = 0;
    size_t h = find_hash(0, hash_end);
    // The next trigger at or after i. Kept while i has not passed it: a hex run that is
    // no hash leaves i where it was, and searching again from i for every such run
    // (32-digit numbers with no trigger byte after them) made the scan quadratic.
    size_t tp = next_trigger(0);
    for (;;) {
      if (tp < i) tp = next_trigger(i);
      if (h < i) h = find_hash(i, hash_end);
      if (h < tp) {
        // A hex run of a hash's length. Part of a dotted name ("<hash>.evil.com",
        // "<hash>.exe")? Then the name decides, at its '.'.
        bool d = false;
        const size_t sl = dot_length(t_, hash_end, d);
        if (!(sl && is(at(hash_end + sl), kLabel))) {
          // The local part of an e-mail address ("<md5>@evil.com", "<md5>[at]evil.com")?
          // Then the address it is, not a hash (and not a hash and a domain).
          const size_t e = at_length(t_, hash_end, d) ? email(hash_end) : 0;
          if (e) i = e;
          else if (hash(h, hash_end)) i = hash_end;
        }
        h = find_hash(hash_end, hash_end);
        continue;
      }
      if (tp >= n_) break;
      const size_t nx = trigger(tp);
      i = nx > tp ? nx : tp + 1;
    }
  }

 private:
  std::string_view t_;
  const unsigned char* s_;
  size_t n_;
  std::vector<Match>& out_;
  TypeMask mask_;
  int depth_;
  size_t floor_ = 0;  // end of the last match: nothing backs up past it

  unsigned char at(size_t i) const { return i < n_ ? s_[i] : 0; }

  void emit(Type type, size_t start, size_t end, std::string value, bool defanged) {
    if (mask_ & bit(type)) out_.push_back(Match{type, defanged, start, end, std::move(value)});
    floor_ = std::max(floor_, end);
  }

  // ------------------------------------------------------------------- the two event streams
  // The next trigger byte at or after i (. : @ / \ [ ( { -, or the space of " dot "):
  // 16 bytes at a time with SSE2, the tail byte by byte.
  size_t next_trigger(size_t i) const {
#ifdef __SSE2__
    const __m128i c_dot = _mm_set1_epi8('.'), c_colon = _mm_set1_epi8(':'), c_at = _mm_set1_epi8('@'),
                  c_slash = _mm_set1_epi8('/'), c_bs = _mm_set1_epi8('\\'), c_sq = _mm_set1_epi8('['),
                  c_par = _mm_set1_epi8('('), c_brace = _mm_set1_epi8('{'), c_dash = _mm_set1_epi8('-'),
                  c_sp = _mm_set1_epi8(' '), c_d = _mm_set1_epi8('d'), c_o = _mm_set1_epi8('o'),
                  c_t = _mm_set1_epi8('t'), c_case = _mm_set1_epi8(0x20);
    while (i + 20 <= n_) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_ + i));
      __m128i m = _mm_or_si128(_mm_cmpeq_epi8(b, c_dot), _mm_cmpeq_epi8(b, c_colon));
      m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(b, c_at), _mm_cmpeq_epi8(b, c_slash)));
      m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(b, c_bs), _mm_cmpeq_epi8(b, c_sq)));
      m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(b, c_par), _mm_cmpeq_epi8(b, c_brace)));
      m = _mm_or_si128(m, _mm_cmpeq_epi8(b, c_dash));
      const __m128i sp = _mm_cmpeq_epi8(b, c_sp);
      if (_mm_movemask_epi8(sp)) {
        auto ld = [&](size_t k) {
          return _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s_ + i + k)), c_case);
        };
        __m128i dm = _mm_and_si128(sp, _mm_cmpeq_epi8(ld(1), c_d));
        dm = _mm_and_si128(dm, _mm_cmpeq_epi8(ld(2), c_o));
        dm = _mm_and_si128(dm, _mm_cmpeq_epi8(ld(3), c_t));
        dm = _mm_and_si128(
            dm, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s_ + i + 4)), c_sp));
        m = _mm_or_si128(m, dm);
      }
      const int mask = _mm_movemask_epi8(m);
      if (mask) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
      i += 16;
    }
#endif
    bool d = false;
    for (; i < n_; ++i)
      if (is(s_[i], kTrigger) || (s_[i] == ' ' && dot_length(t_, i, d) == 5)) return i;
    return n_;
  }

  // The next maximal alphanumeric run at or after `from` that is all hex and 32, 40,
  // 64 or 128 bytes long; n_ when none. Skips 32 bytes whenever the 32nd is no hex digit.
  size_t find_hash(size_t from, size_t& end) const {
    size_t i = from;
    while (i + 32 <= n_) {
      if (!is(s_[i + 31], kHex)) {
        i += 32;
        continue;
      }
      size_t a = i + 31;
      while (a > i && is(s_[a - 1], kHex)) --a;
      size_t b = i + 32;
      while (b < n_ && is(s_[b], kHex)) ++b;
      if (hash_length(b - a) && (a == 0 || !is(s_[a - 1], kAlnum)) && (b == n_ || !is(s_[b], kAlnum)) &&
          (a > from || a == 0 || !is(s_[a - 1], kHex))) {
        end = b;
        return a;
      }
      i = b;
    }
    end = n_;
    return n_;
  }

  // ------------------------------------------------------------------- dispatch
  size_t trigger(size_t p) {
    bool d = false;
    switch (s_[p]) {
      case '.':
        // Fast exit for the common "word. Next": a dotted name has label bytes on both sides.
        if (p == 0 || !is(s_[p - 1], kLabel) || !is(at(p + 1), kLabel)) return 0;
        return dotted(p);
      case ' ':  // " dot "
        if (p > floor_ && is(s_[p - 1], kLabel)) return dotted(p);
        return 0;
      case '-':
        if (p >= floor_ + 3 && eq_ci(t_.substr(p - 3, 3), "cve") &&
            (p == 3 || !(is(s_[p - 4], kAlnum) || s_[p - 4] == '_')))
          return cve(p - 3);
        return 0;
      case '[':
      case '(':
      case '{':
        if (dot_length(t_, p, d) && d && p > floor_ && is(s_[p - 1], kLabel)) return dotted(p);
        if (at_length(t_, p, d) && d) return email(p);
        if (s_[p] == '[') return url(p);
        return 0;
      case ':': {
        if (size_t r = url(p)) return r;
        if (size_t r = drive_path(p)) return r;
        if (size_t r = registry(p)) return r;
        return ipv6(p);
      }
      case '@': return email(p);
      case '/': return linux_path(p);
      case '\\': {
        if (size_t r = unc_path(p)) return r;
        if (size_t r = env_path(p)) return r;
        return registry(p);
      }
      default: return 0;
    }
  }

  // ------------------------------------------------------------------- hashes, CVE
  bool hash(size_t rs, size_t e) {
    const size_t len = e - rs;
    int digits = 0, lowers = 0, uppers = 0;
    for (size_t i = rs; i < e; ++i) {
      const unsigned char c = s_[i];
      if (!is(c, kHex)) return false;
      if (c <= '9') ++digits;
      else if (c >= 'a') ++lowers;
      else ++uppers;
    }
    // All digits, no digit at all, or mixed case: a number, a word, base64 — not a hash.
    if (digits == static_cast<int>(len) || digits == 0 || (lowers && uppers)) return false;
    // Hex-encoded text (auditd's proctitle "7375646f00617564697463746c002d6c" is
    // "sudo auditctl -l"): every byte printable ASCII, tab, newline or NUL. A real
    // hash is that by chance once in ~10^7 (md5) or far less.
    bool text = true;
    for (size_t i = rs; i < e && text; i += 2) {
      auto nib = [](unsigned char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
      const int b = nib(s_[i]) * 16 + nib(s_[i + 1]);
      text = (b >= 0x20 && b < 0x7f) || b == 0 || b == '\t' || b == '\n' || b == '\r';
    }
    if (text) return false;
    emit(hash_type(len), rs, e, to_lower(t_.substr(rs, len)), false);
    return true;
  }

  size_t cve(size_t rs) {
    size_t i = rs + 4;  // after "CVE-"
    size_t y = i;
    while (i < n_ && is(s_[i], kDigit)) ++i;
    if (i - y != 4 || !(t_.compare(y, 2, "19") == 0 || t_.compare(y, 2, "20") == 0)) return 0;
    if (at(i) != '-') return 0;
    const size_t ids = ++i;
    while (i < n_ && is(s_[i], kDigit)) ++i;
    if (i - ids < 4 || i - ids > 7 || is(at(i), kAlnum) || at(i) == '_') return 0;
    std::string v = "CVE-";
    v.append(t_.substr(y, i - y));
    emit(Type::kCve, rs, i, std::move(v), false);
    return i;
  }

  // ------------------------------------------------------------------- dotted names
  Name parse_name(size_t pos) const {
    Name nm;
    nm.start = nm.end = pos;
    size_t i = pos;
    for (;;) {
      const size_t ls = i;
      while (i < n_ && is(s_[i], kLabel)) ++i;
      if (i == ls) break;
      const size_t len = i - ls;
      if (len > 63 || s_[ls] == '-' || s_[i - 1] == '-') nm.bad_label = true;
      for (size_t k = ls; k < i && nm.all_numeric; ++k)
        if (!is(s_[k], kDigit)) nm.all_numeric = false;
      nm.text.append(t_.substr(ls, len));
      nm.last_label_start = ls;
      nm.end = i;
      ++nm.labels;
      bool d = false;
      const size_t sl = dot_length(t_, i, d);
      if (!sl || i + sl >= n_ || !is(s_[i + sl], kLabel)) break;
      nm.text += '.';
      nm.defanged |= d;
      i += sl;
    }
    return nm;
  }

  // Is `nm` a domain? `host` relaxes the file-extension stop-list (a URL's host or an
  // e-mail's domain is a domain whatever its TLD).
  bool valid_domain(const Name& nm, bool host) const {
    if (nm.labels < 2 || nm.bad_label || nm.all_numeric || nm.text.size() > 253) return false;
    const std::string_view tld = std::string_view(nm.text).substr(nm.text.rfind('.') + 1);
    if (tld.size() < 2) return false;
    if (tld.compare(0, 4, "xn--") != 0 && tld.compare(0, 4, "XN--") != 0)
      for (char c : tld)
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return false;
    // "i.e" and the like: two one-letter labels.
    if (nm.labels == 2 && nm.text.size() == 3) return false;
    const std::string ltld = to_lower(tld);
    if (!real_tld(ltld)) return false;
    if (!host && !nm.defanged && stop_listed(ltld) && single_label_suffix(to_lower(nm.text))) return false;
    return true;
  }

  // Exactly four numeric labels from `pos`: a dotted quad (defanged dots allowed).
  size_t quad(size_t pos, std::string& v, bool& defanged) const {
    size_t i = pos;
    for (int part = 0; part < 4; ++part) {
      const size_t ds = i;
      while (i < n_ && i - ds < 4 && is(s_[i], kDigit)) ++i;
      if (i == ds || i - ds > 3) return 0;
      v.append(t_.substr(ds, i - ds));
      if (part == 3) break;
      bool d = false;
      const size_t sl = dot_length(t_, i, d);
      if (!sl || (sl == 5 && s_[i] == ' ')) return 0;  // " dot " between numbers: no
      defanged |= d;
      v += '.';
      i += sl;
    }
    // Not followed by more of a dotted name or by a word character.
    const unsigned char a = at(i);
    if (is(a, kAlnum) || a == '_') return 0;
    bool d = false;
    if (size_t sl = dot_length(t_, i, d); sl && is(at(i + sl), kAlnum)) return 0;
    return i;
  }

  size_t dotted(size_t p) {
    // Back up over the label before the separator.
    const size_t lim = std::max(floor_, p > 130 ? p - 130 : size_t{0});
    size_t st = p;
    while (st > lim && is(s_[st - 1], kLabel)) --st;
    if (st == lim && st > floor_ && is(s_[st - 1], kLabel)) return 0;  // far too long a label
    while (st < p && s_[st] == '-') ++st;
    if (st == p) return 0;
    const unsigned char before = st > 0 ? s_[st - 1] : 0;
    // After '/' only when that is "//" (an unknown scheme's "://"): "path/to/x.com" is a path.
    const bool bad_before = before == '_' || before == '$' || before == '~' || before == '\\' ||
                            (before == '/' && (st < 2 || s_[st - 2] != '/')) || before == '.' ||
                            before == '%';

    if (!bad_before && is(s_[st], kDigit)) {
      std::string v;
      bool d = false;
      if (size_t e = quad(st, v, d)) {
        if (ip::parse_v4(v)) {
          emit(Type::kIpv4, st, e, std::move(v), d);
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
      emit(Type::kDomain, st, nm.end, to_lower(nm.text), nm.defanged);
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

  // ------------------------------------------------------------------- e-mail
  size_t email(size_t p) {
    bool d = false;
    const size_t al = at_length(t_, p, d);
    if (!al) return 0;
    const size_t lim = std::max(floor_, p > 64 ? p - 64 : size_t{0});
    size_t ls = p;
    while (ls > lim && is(s_[ls - 1], kLocal)) --ls;
    if (ls == lim && ls > floor_ && is(s_[ls - 1], kLocal)) return 0;
    while (ls < p && (s_[ls] == '.' || s_[ls] == '-')) ++ls;
    if (ls == p || s_[p - 1] == '.') return 0;
    const size_t ds = p + al;
    if (!is(at(ds), kLabel)) return 0;
    Name nm = parse_name(ds);
    if (!valid_domain(nm, true)) return 0;
    std::string v(t_.substr(ls, p - ls));
    v += '@';
    v += to_lower(nm.text);
    emit(Type::kEmail, ls, nm.end, std::move(v), d || nm.defanged);
    return nm.end;
  }

  // ------------------------------------------------------------------- URLs
  size_t url(size_t p) {
    size_t sep = 0;
    bool defanged = false;
    bool json_escaped = false;  // "http:\/\/x.com\/a" in JSON that escapes '/'
    if (s_[p] == ':') {
      const unsigned char c1 = at(p + 1), c2 = at(p + 2);
      if (c1 == '/' && c2 == '/') sep = 3;
      else if (c1 == '\\' && c2 == '\\') sep = 3, defanged = true;
      else if (c1 == '\\' && c2 == '/' && at(p + 3) == '\\' && at(p + 4) == '/') sep = 5, json_escaped = true;
      else return 0;
    } else if (t_.compare(p, 5, "[:]//") == 0 || t_.compare(p, 5, "[://]") == 0) {
      sep = 5, defanged = true;
    }
    if (!sep) return 0;
    size_t ss = p;
    while (ss > floor_ && p - ss < 7 && is(s_[ss - 1], kAlnum) && !is(s_[ss - 1], kDigit)) --ss;
    if (ss == p) return 0;
    if (ss > 0 && (is(s_[ss - 1], kAlnum) || s_[ss - 1] == '+' || s_[ss - 1] == '-' || s_[ss - 1] == '.'))
      return 0;
    const std::string scheme_raw = to_lower(t_.substr(ss, p - ss));
    if (!is_scheme_word(scheme_raw)) return 0;
    std::string scheme = scheme_raw;
    if (scheme == "hxxp") scheme = "http", defanged = true;
    else if (scheme == "hxxps") scheme = "https", defanged = true;
    else if (scheme == "fxp") scheme = "ftp", defanged = true;

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
      if (!is(at(hs), kAlnum)) return 0;
      nm = parse_name(hs);
      if (nm.labels == 0 || nm.bad_label) return 0;
      he = nm.end;
      if (nm.all_numeric) {
        if (nm.labels != 4 || !ip::parse_v4(nm.text)) return 0;
        host_kind = kHostV4;
        host_value = nm.text;
      } else {
        host_value = to_lower(nm.text);
      }
      defanged |= nm.defanged;
    }
    size_t pe = he;
    if (at(pe) == ':' && is(at(pe + 1), kDigit)) {
      size_t j = pe + 1;
      while (j < n_ && j - pe <= 6 && is(s_[j], kDigit)) ++j;
      if (j - pe <= 6 && !is(at(j), kAlnum)) pe = j;
    }
    size_t ue = pe;
    const unsigned char nx = at(pe);
    if (nx == '/' || nx == '?' || nx == '#' || (json_escaped && nx == '\\' && at(pe + 1) == '/')) {
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

  void rescan(size_t from, size_t to) {
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
        out_.push_back(std::move(m));
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
      out_.push_back(std::move(m));
    }
  }

  // ------------------------------------------------------------------- Windows paths
  // Segments after a separator at `pos` (sep = 1 for '\', 2 for an escaped "\\").
  // Returns the end of the last segment and counts them; a segment may hold single
  // spaces when what follows them reaches another separator ("Program Files\").
  // `quoted`: the path follows a single quote ('C:\x\a.exe',High), so the next one
  // ends it. That is decided here, while reading: reading on to the end of the
  // segments and cutting at the quote afterwards read the rest of a text of
  // '\\a\b'\\a\b'... once per path, quadratic.
  size_t win_segments(size_t pos, size_t sep, int& segs, bool quoted) const {
    size_t i = pos, end = pos;
    segs = 0;
    for (;;) {
      const size_t ss = i;
      bool dot_in_segment = false;
      for (;;) {
        if (i >= n_) break;
        const unsigned char c = s_[i];
        if (c < 0x80) {
          if (is(c, kWinSeg) && !(quoted && c == '\'')) {
            dot_in_segment |= c == '.';
            ++i;
            continue;
          }
          if (c == ' ' && i > ss && !dot_in_segment) {
            size_t j = i;
            int spaces = 0;
            bool ok = false;
            while (j < n_ && j - i < 64) {
              const unsigned char d = s_[j];
              if (d == ' ') {
                if (++spaces > 3 || at(j + 1) == ' ') break;
                ++j;
                continue;
              }
              if (d == '\\') {
                // Not when the last word starts a registry key of its own ("HKLM\a HKCU\b").
                size_t w = j;
                while (w > i && s_[w - 1] != ' ') --w;
                bool hive = false;
                for (auto h : kHives) hive = hive || eq_ci(t_.substr(w, j - w), h);
                ok = s_[j - 1] != ' ' && !hive;
                break;
              }
              if (d == '%') break;
              if (d < 0x80) {
                if (!is(d, kWinSeg) || (quoted && d == '\'')) break;
                ++j;
                continue;
              }
              const size_t l = utf8_name_char(s_, j, n_);
              if (!l) break;
              j += l;
            }
            if (ok) {
              i = j;
              continue;
            }
          }
          break;
        }
        const size_t l = utf8_name_char(s_, i, n_);
        if (!l) break;
        i += l;
      }
      if (i == ss) break;
      ++segs;
      end = i;
      if (at(i) != '\\' || (sep == 2 && at(i + 1) != '\\')) break;
      // A doubled separator inside an unescaped path ("x64\\Release") is one.
      const size_t step = sep == 1 && at(i + 1) == '\\' ? 2 : sep;
      const unsigned char next = at(i + step);
      if (!(next >= 0x80 || is(next, kWinSeg))) break;
      i += step;
    }
    return end;
  }

  // Trim trailing punctuation and unbalanced ')' / ']' off [start, end).
  size_t trim_path(size_t start, size_t end) const {
    long paren = 0, square = 0;  // opening minus closing brackets in the path
    for (size_t k = start; k < end; ++k) {
      paren += s_[k] == '(' ? 1 : s_[k] == ')' ? -1 : 0;
      square += s_[k] == '[' ? 1 : s_[k] == ']' ? -1 : 0;
    }
    while (end > start) {
      const unsigned char c = s_[end - 1];
      if (c == '.' || c == ',' || c == ';' || c == '!' || c == '\'' || c == '`') --end;
      else if (c == ')' && paren < 0) --end, ++paren;
      else if (c == ']' && square < 0) --end, ++square;
      else break;
    }
    return end;
  }

  bool after_quote(size_t start) const { return start > 0 && s_[start - 1] == '\''; }

  size_t emit_win(Type type, size_t start, size_t end, size_t sep) {
    std::string v(t_.substr(start, end - start));
    if (sep == 2) {  // escaped (JSON, C strings): "\\" -> "\"
      std::string u;
      u.reserve(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        u += v[i];
        if (v[i] == '\\' && i + 1 < v.size() && v[i + 1] == '\\') ++i;
      }
      v.swap(u);
    }
    emit(type, start, end, std::move(v), false);
    return end;
  }

  static bool boundary_before_path(unsigned char c) {
    return !(is(c, kAlnum) || c == '_' || c == '\\' || c == '/' || c == '.' || c == '-' || c == '%' || c == '$');
  }

  size_t drive_path(size_t p) {
    if (p == 0 || at(p + 1) != '\\') return 0;
    const size_t ds = p - 1;
    const unsigned char letter = s_[ds];
    if (!((letter | 0x20) >= 'a' && (letter | 0x20) <= 'z')) return 0;
    if (ds > 0 && !boundary_before_path(s_[ds - 1])) return 0;
    if (ds < floor_) return 0;
    const size_t sep = at(p + 2) == '\\' ? 2 : 1;
    // "C:\Program Files\App\x.exe" in double quotes: the quotes delimit it.
    if (ds > 0 && s_[ds - 1] == '"' && sep == 1) {
      size_t q = p + 2;
      while (q < n_ && q - ds < 300 && s_[q] != '"' && s_[q] != '\n' && s_[q] != ':' && s_[q] != '*' &&
             s_[q] != '?' && s_[q] != '<' && s_[q] != '>' && s_[q] != '|' && s_[q] != '\r' && s_[q] != '\t')
        ++q;
      if (at(q) == '"') {
        size_t e = q;
        while (e > p + 2 && (s_[e - 1] == ' ' || s_[e - 1] == '.' || s_[e - 1] == '\\')) --e;
        // Not a quoted command line ("C:\x\net1  group ""Domain Admins"" /domain"):
        // no double space, no " /" or " -" switch, no CSV-doubled quote at the end.
        bool valid = e > p + 2 && at(q + 1) != '"';
        for (size_t k = p + 2; k < e && valid; ++k)
          valid = s_[k] >= 0x20 && s_[k] != 0x7f &&
                  !(s_[k] == ' ' && (s_[k + 1] == ' ' || s_[k + 1] == '/' || s_[k + 1] == '-'));
        if (valid) {
          return emit_win(Type::kWindowsPath, ds, e, 1);
        }
      }
    }
    int segs = 0;
    size_t e = win_segments(p + 1 + sep, sep, segs, after_quote(ds));
    if (!segs) return 0;
    e = trim_path(p + 1 + sep, e);
    if (e <= p + 1 + sep) return 0;
    return emit_win(Type::kWindowsPath, ds, e, sep);
  }

  size_t unc_path(size_t p) {
    if (at(p + 1) != '\\') return 0;
    if (p > 0 && !boundary_before_path(s_[p - 1])) return 0;
    size_t sep = 1, i = p + 2;
    if (at(i) == '\\' && at(i + 1) == '\\') sep = 2, i = p + 4;
    const size_t hs = i;
    while (i < n_ && i - hs < 256 &&
           (is(s_[i], kLabel) || s_[i] == '.' || s_[i] == '_' || s_[i] == '$' || s_[i] == '?'))
      ++i;
    if (i == hs || at(i) != '\\' || (sep == 2 && at(i + 1) != '\\')) return 0;
    int segs = 0;
    size_t e = win_segments(i + sep, sep, segs, after_quote(p));
    if (!segs) return 0;
    e = trim_path(i + sep, e);
    if (e <= i + sep) return 0;
    return emit_win(Type::kWindowsPath, p, e, sep);
  }

  size_t env_path(size_t p) {
    if (p < 3 || s_[p - 1] != '%') return 0;
    size_t vs = p - 1;
    while (vs > floor_ && p - vs < 40 && (is(s_[vs - 1], kAlnum) || s_[vs - 1] == '_' || s_[vs - 1] == '(' ||
                                          s_[vs - 1] == ')'))
      --vs;
    if (vs == p - 1 || vs == 0 || s_[vs - 1] != '%') return 0;
    const size_t st = vs - 1;
    if (st > 0 && !boundary_before_path(s_[st - 1])) return 0;
    const size_t sep = at(p + 1) == '\\' ? 2 : 1;
    int segs = 0;
    size_t e = win_segments(p + sep, sep, segs, after_quote(st));
    if (!segs) return 0;
    e = trim_path(p + sep, e);
    if (e <= p + sep) return 0;
    return emit_win(Type::kWindowsPath, st, e, sep);
  }

  // HKLM\..., HKEY_LOCAL_MACHINE\..., HKLM:\... (PowerShell); p is the '\' or ':'.
  size_t registry(size_t p) {
    if (p == 0 || !is(s_[p - 1], kAlnum)) return 0;
    size_t ws = p;
    while (ws > floor_ && p - ws < 22 && (is(s_[ws - 1], kAlnum) || s_[ws - 1] == '_')) --ws;
    if (ws == p || (s_[ws] | 0x20) != 'h' || (ws > 0 && (is(s_[ws - 1], kAlnum) || s_[ws - 1] == '_')))
      return 0;
    const std::string_view word = t_.substr(ws, p - ws);
    bool hive = false;
    for (auto h : kHives) hive = hive || eq_ci(word, h);
    if (!hive) return 0;
    size_t i = p;
    if (s_[i] == ':') ++i;
    if (at(i) != '\\') return 0;
    const size_t sep = at(i + 1) == '\\' ? 2 : 1;
    int segs = 0;
    size_t e = win_segments(i + sep, sep, segs, after_quote(ws));
    if (!segs) return 0;
    e = trim_path(i + sep, e);
    if (e <= i + sep) return 0;
    return emit_win(Type::kRegistryKey, ws, e, sep);
  }

  // ------------------------------------------------------------------- Linux paths
  size_t linux_path(size_t p) {
    if (depth_ > 0) return 0;  // inside a URL, a path is the URL's
    size_t st = p;
    if (p > 0) {
      const unsigned char b = s_[p - 1];
      const bool boundary = b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '"' || b == '\'' ||
                            b == '`' || b == '=' || b == '(' || b == '[' || b == '{' || b == ',' || b == ';' ||
                            b == '>' || b == '|' || b == ':' || b == '&' || b >= 0x80;
      if (b == '~' && (p == 1 || !is(s_[p - 2], kAlnum))) st = p - 1;
      else if (!boundary) return 0;
    }
    if (st < floor_) return 0;
    size_t i = p;
    int segs = 0;
    bool all_numeric = true;
    std::string_view first;
    size_t end = p;
    while (i < n_ && s_[i] == '/') {
      const size_t ss = i + 1;
      size_t j = ss;
      while (j < n_) {
        const unsigned char c = s_[j];
        if (c < 0x80) {
          if (!is(c, kLinSeg)) break;
          ++j;
          continue;
        }
        const size_t l = utf8_name_char(s_, j, n_);
        if (!l) break;
        j += l;
      }
      if (j == ss) break;
      if (segs == 0) {
        // The first segment decides before the rest is read: a '/' after ',', '=' or
        // a non-ASCII letter starts another candidate inside this one, and reading
        // every rejected candidate to its end ("/data/x,/y,/z,...") was quadratic.
        first = t_.substr(ss, j - ss);
        if (!is(static_cast<unsigned char>(first[0]), kAlnum) && first[0] != '.' && first[0] != '_') return 0;
        if (st == p) {
          bool root = false;
          for (auto r : kFhsRoots) root = root || r == first;
          if (!root) return 0;
        }
      }
      for (size_t k = ss; k < j && all_numeric; ++k) all_numeric = is(s_[k], kDigit);
      ++segs;
      end = i = j;
    }
    if (!segs || all_numeric) return 0;
    if (st != p && segs < 2 && first.size() < 2) {
      return 0;  // "~/" and one character
    }
    while (end > p + 1 && (s_[end - 1] == '.' || s_[end - 1] == ',')) --end;
    if (end <= p + 1) return 0;
    emit(Type::kLinuxPath, st, end, std::string(t_.substr(st, end - st)), false);
    return end;
  }

  // ------------------------------------------------------------------- IPv6
  size_t ipv6(size_t p) {
    const size_t lim = std::max(floor_, p > 40 ? p - 40 : size_t{0});
    size_t st = p;
    while (st > lim && (is(s_[st - 1], kHex) || s_[st - 1] == ':')) --st;
    if (st > 0) {
      const unsigned char b = s_[st - 1];
      if (is(b, kAlnum) || b == '_' || b == '-' || b == '.' || b == ':') return 0;
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
};

}  // namespace

const char* type_name(Type t) {
  switch (t) {
    case Type::kIpv4: return "ipv4";
    case Type::kIpv6: return "ipv6";
    case Type::kDomain: return "domain";
    case Type::kUrl: return "url";
    case Type::kEmail: return "email";
    case Type::kMd5: return "md5";
    case Type::kSha1: return "sha1";
    case Type::kSha256: return "sha256";
    case Type::kSha512: return "sha512";
    case Type::kWindowsPath: return "windows_path";
    case Type::kLinuxPath: return "linux_path";
    case Type::kCve: return "cve";
    case Type::kRegistryKey: return "registry_key";
  }
  return "?";
}

std::optional<Type> type_from_name(std::string_view name) {
  for (int i = 0; i < kTypeCount; ++i) {
    const auto t = static_cast<Type>(i);
    if (eq_ci(name, type_name(t))) return t;
  }
  return std::nullopt;
}

TypeMask parse_types(std::string_view list) {
  TypeMask mask = 0;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view item = list.substr(i, j - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) {
      auto t = type_from_name(item);
      if (!t) {
        std::string known;
        for (int k = 0; k < kTypeCount; ++k) {
          if (k) known += ", ";
          known += type_name(static_cast<Type>(k));
        }
        throw std::invalid_argument("unknown type '" + std::string(item) + "' (known types: " + known + ")");
      }
      mask |= bit(*t);
    }
    i = j + 1;
  }
  if (!mask) throw std::invalid_argument("no type given in '" + std::string(list) + "'");
  return mask;
}

void extract(std::string_view text, std::vector<Match>& out, TypeMask mask) {
  Scan(text, out, mask, 0).run();
}

std::vector<Match> extract(std::string_view text, TypeMask mask) {
  std::vector<Match> out;
  extract(text, out, mask);
  return out;
}

std::optional<Type> whole_type(std::string_view text) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!text.empty() && ws(text.front())) text.remove_prefix(1);
  while (!text.empty() && ws(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  for (const auto& m : extract(text))
    if (m.start == 0 && m.end == text.size()) return m.type;
  return std::nullopt;
}

}  // namespace sqlhunt::ioc
