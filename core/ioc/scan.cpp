// core/ioc/scan.cpp — the scanner's driver: the two event streams merged in order of
// position (trigger bytes, hash-length hex runs), dispatch to the handlers of
// names.cpp, urls.cpp and paths.cpp, and the two small types read here: hashes and
// CVE ids. See scan.h for the layout and ioc.h for the contract.
#include "core/ioc/scan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/ioc/refang.h"

namespace sqlhunt::ioc::detail {

namespace {

// How far a hash search from `from` looks: past the next trigger `tp`, and at least 4 KB
// (one search per line of a log, as when it looked to the end; a few per 4 KB of a long
// value: small calls for every trigger cost 3% of the scan).
size_t ahead(size_t from, size_t tp) {
  constexpr size_t kAtLeast = 4096;
  return std::max(tp, from > std::numeric_limits<size_t>::max() - kAtLeast ? from : from + kAtLeast);
}

}  // namespace

bool Scan::run(size_t want) {
  if (done_) return false;
  std::vector<Match>& out = *out_;
  const size_t have = out.size();
  const size_t target = want > std::numeric_limits<size_t>::max() - have ? std::numeric_limits<size_t>::max() : have + want;
  // The position lives in locals (registers) while the loop runs and in the members
  // between calls; the handlers never touch it.
  size_t i = i_, h = h_, hash_end = hash_end_, tp = tp_, hstop = hstop_;
  if (!started_) {
    started_ = true;
    tp = next_trigger(0);
    h = find_hash(0, hash_end, ahead(0, tp), hstop);
  }
  // tp is the next trigger at or after i, kept while i has not passed it: a hex run that
  // is no hash leaves i where it was, and searching again from i for every such run
  // (32-digit numbers with no trigger byte after them) made the scan quadratic.
  bool more = true;
  while (out.size() < target) {
    if (tp < i) tp = next_trigger(i);
    // The hash search runs ahead of the scan only so far (see ahead()): whether a run of
    // a hash's length starts before the next trigger is all this loop needs, and a
    // caller that stops at the first indicator (whole()) has not searched the rest of a
    // long text.
    if (h < i || (h == n_ && hstop < tp)) {
      const size_t from = std::max(i, hstop);
      h = find_hash(from, hash_end, ahead(from, tp), hstop);
    }
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
      h = find_hash(hash_end, hash_end, ahead(hash_end, tp), hstop);
      continue;
    }
    if (tp >= n_) {
      more = false;
      break;
    }
    const size_t nx = trigger(tp);
    i = nx > tp ? nx : tp + 1;
  }
  i_ = i, h_ = h, hash_end_ = hash_end, tp_ = tp, hstop_ = hstop;
  done_ = !more;
  return more;
}

// ------------------------------------------------------------------- the two event streams
// The next trigger byte at or after i (. : @ / \ [ ( { -, or the space of " dot "):
// 16 bytes at a time with SSE2, the tail byte by byte.
size_t Scan::next_trigger(size_t i) const {
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
// 64 or 128 bytes long, among the runs that start before `limit`; n_ when none. `stop`
// says how far it looked (where to go on from; n_ at the end of the text). Skips 32
// bytes whenever the 32nd is no hex digit.
size_t Scan::find_hash(size_t from, size_t& end, size_t limit, size_t& stop) const {
  size_t i = from;
  // A run starting before `limit` covers byte limit + 30 at the latest: the windows that
  // start before `limit` see every one of them.
  while (i + 32 <= n_ && i < limit) {
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
      end = stop = b;
      return a;
    }
    i = b;
  }
  stop = i + 32 <= n_ ? i : n_;
  end = n_;
  return n_;
}

size_t Scan::trigger(size_t p) {
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
      if (p >= floor_ + 3 && iequals(t_.substr(p - 3, 3), "cve") &&
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

bool Scan::hash(size_t rs, size_t e) {
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
  emit(hash_type(len), rs, e, ascii_lower(t_.substr(rs, len)), false);
  return true;
}

size_t Scan::cve(size_t rs) {
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

}  // namespace sqlhunt::ioc::detail
