#include "vtabs/audit_events/audit_record.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace sqlhunt::audit {
namespace {

constexpr std::string_view kType = "type=";
constexpr std::string_view kMsgAudit = "msg=audit(";
constexpr std::string_view kAudit = "audit(";

bool starts_with(std::string_view s, size_t pos, std::string_view prefix) {
  return s.size() >= pos + prefix.size() && std::memcmp(s.data() + pos, prefix.data(), prefix.size()) == 0;
}

size_t skip_spaces(std::string_view s, size_t p) {
  while (p < s.size() && s[p] == ' ') ++p;
  return p;
}

size_t token_end(std::string_view s, size_t p) {
  const void* sp = p < s.size() ? std::memchr(s.data() + p, ' ', s.size() - p) : nullptr;
  return sp ? static_cast<size_t>(static_cast<const char*>(sp) - s.data()) : s.size();
}

// Reads 1..max_digits decimal digits at s[p]; false when there are none or too many.
bool digits(std::string_view s, size_t& p, size_t max_digits, uint64_t& value, size_t& count) {
  const size_t start = p, stop = std::min(s.size(), p + max_digits + 1);
  uint64_t v = 0;
  for (unsigned d; p < stop && (d = static_cast<unsigned char>(s[p]) - '0') <= 9; ++p) v = v * 10 + d;
  count = p - start;
  value = v;
  return count > 0 && count <= max_digits;
}

// "SECONDS.MILLIS:SERIAL)" at s[p]; leaves p after the ')'.
bool timestamp(std::string_view s, size_t& p, RecordHeader& h) {
  uint64_t sec = 0, frac = 0, serial = 0;
  size_t n = 0, frac_digits = 0;
  // What auditd writes (10 digits, a dot, 3 digits, a colon) without a branch per digit;
  // any other form takes the general path below.
  if (s.size() >= p + 16 && s[p + 10] == '.' && s[p + 14] == ':') {
    const auto* d = reinterpret_cast<const unsigned char*>(s.data() + p);
    unsigned bad = 0;
    for (int i = 0; i < 10; ++i) {
      const unsigned v = d[i] - '0';
      bad |= v > 9;
      sec = sec * 10 + v;
    }
    for (int i = 11; i < 14; ++i) {
      const unsigned v = d[i] - '0';
      bad |= v > 9;
      frac = frac * 10 + v;
    }
    if (!bad) {
      size_t q = p + 15;
      if (digits(s, q, 20, serial, n) && q < s.size() && s[q] == ')') {
        h.epoch_ms = static_cast<int64_t>(sec) * 1000 + static_cast<int64_t>(frac);
        h.serial = serial;
        p = q + 1;
        return true;
      }
    }
    sec = frac = serial = 0;
  }
  if (!digits(s, p, 12, sec, n) || p >= s.size() || s[p++] != '.') return false;
  if (!digits(s, p, 9, frac, frac_digits) || p >= s.size() || s[p++] != ':') return false;
  if (!digits(s, p, 20, serial, n) || p >= s.size() || s[p++] != ')') return false;
  // auditd writes exactly 3 fraction digits; scale any other count to milliseconds
  while (frac_digits < 3) frac *= 10, ++frac_digits;
  while (frac_digits > 3) frac /= 10, --frac_digits;
  h.epoch_ms = static_cast<int64_t>(sec) * 1000 + static_cast<int64_t>(frac);
  h.serial = serial;
  return true;
}

// The header anywhere in the line: syslog/dmesg copies ("... kernel: audit: type=1400
// audit(...): ...") and lines with a prefix before node=/type=.
bool find_embedded_header(std::string_view line, RecordHeader& h, size_t& p) {
  const size_t a = line.find(kAudit);
  if (a == std::string_view::npos) return false;
  const size_t t = line.rfind(kType, a);
  if (t == std::string_view::npos || (t > 0 && line[t - 1] != ' ')) return false;
  const size_t type_end = token_end(line, t + kType.size());
  if (type_end > a) return false;
  h.type = line.substr(t + kType.size(), type_end - t - kType.size());
  const size_t n = line.rfind("node=", t);
  if (n != std::string_view::npos && (n == 0 || line[n - 1] == ' ')) {
    const size_t node_end = token_end(line, n + 5);
    if (node_end <= t) h.node = line.substr(n + 5, node_end - n - 5);
  }
  p = a + kAudit.size();
  return true;
}

}  // namespace

bool parse_header(std::string_view line, RecordHeader& h, std::string& error) {
  h = RecordHeader{};
  size_t p = 0;
  if (starts_with(line, 0, "node=")) {
    const size_t end = token_end(line, 5);
    h.node = line.substr(5, end - 5);
    p = skip_spaces(line, end);
  }
  bool found = false;
  if (starts_with(line, p, kType)) {
    const size_t end = token_end(line, p + kType.size());
    h.type = line.substr(p + kType.size(), end - p - kType.size());
    p = skip_spaces(line, end);
    if (starts_with(line, p, kMsgAudit)) {
      p += kMsgAudit.size();
      found = true;
    }
  }
  if (!found) {
    h.node = {};
    if (!find_embedded_header(line, h, p)) {
      error = "not an audit record: no \"type=... msg=audit(...)\" header";
      return false;
    }
  }
  if (h.type.empty()) {
    error = "not an audit record: empty type=";
    return false;
  }
  if (!timestamp(line, p, h)) {
    error = "not an audit record: msg=audit(...) is not SECONDS.MILLIS:SERIAL";
    return false;
  }
  if (p < line.size() && line[p] == ':') ++p;
  p = skip_spaces(line, p);
  set_fields_text(line.substr(p), h);
  return true;
}

size_t find_another_header(std::string_view s) {
  // '(' is rare in records ("(none)", "(null)"): look at each and what surrounds it.
  for (size_t at = 0;; ++at) {
    const void* found = at < s.size() ? std::memchr(s.data() + at, '(', s.size() - at) : nullptr;
    if (!found) return std::string_view::npos;
    at = static_cast<size_t>(static_cast<const char*>(found) - s.data());
    if (at < kAudit.size() - 1 || s.compare(at + 1 - kAudit.size(), kAudit.size(), kAudit) != 0) continue;
    const size_t word = at + 1 - kAudit.size();
    if (word > 0 && s[word - 1] != ' ' && s[word - 1] != '=') continue;
    size_t p = at + 1;
    RecordHeader scratch;
    if (timestamp(s, p, scratch)) return word;
  }
}

void set_fields_text(std::string_view fields, RecordHeader& h) {
  if (const void* gs = std::memchr(fields.data(), 0x1d, fields.size())) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(gs) - fields.data());
    h.body = fields.substr(0, at);
    h.enriched = fields.substr(at + 1);
  } else {
    h.body = fields;
    h.enriched = {};
  }
}

bool FieldScanner::scan(std::string_view s, size_t& pos, Field& f) {
  // Pointer loops: this runs for every field of every record a query reads, so it is
  // the hot path of column queries (values are short: find_either, not memchr).
  const char* const base = s.data();
  const char* const end = base + s.size();
  const char* p = base + pos;
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  if (p >= end) {
    pos = s.size();
    return false;
  }
  f.inner = f.enriched = false;
  const char* const start = p;
  p = find_either(p, end, '=', ' ');
  if (p < end && *p == '=' && p > start) {
    f.key = std::string_view(start, static_cast<size_t>(p - start));
    const char* const v = p + 1;
    const char q = v < end ? *v : '\0';
    const char* stop;
    if (q == '"' || q == '\'') {
      // A single quote closes only before a space or the end: the user-space msg='...'
      // holds double-quoted values, and a stray ' inside must not end it early.
      const char* c = static_cast<const char*>(std::memchr(v + 1, q, static_cast<size_t>(end - v - 1)));
      while (q == '\'' && c && c + 1 < end && c[1] != ' ')
        c = static_cast<const char*>(std::memchr(c + 1, q, static_cast<size_t>(end - c - 1)));
      if (!c) {
        unterminated_quote_ = true;
        stop = end;
      } else {
        stop = c + 1;
      }
    } else {
      stop = find_either(v, end, ' ', ' ');
    }
    f.value = std::string_view(v, static_cast<size_t>(stop - v));
    pos = static_cast<size_t>(stop - base);
    after_avc_ = false;
    return true;
  }
  // A word that is not key=value.
  f.key = {};
  const size_t word_start = static_cast<size_t>(start - base);
  const size_t word_end = token_end(s, word_start);
  std::string_view word = s.substr(word_start, word_end - word_start);
  if (word == "{") {
    // AVC permissions: "{ read write }" -> seperms="read write"
    const size_t close = s.find(" }", word_end);
    const size_t last = close == std::string_view::npos ? s.size() : close;
    size_t b = word_end;
    while (b < last && s[b] == ' ') ++b;
    f.key = "seperms";
    f.value = s.substr(b, last - b);
    pos = close == std::string_view::npos ? s.size() : close + 2;
    return true;
  }
  if (after_avc_ && (word == "denied" || word == "granted")) f.key = "seresult";
  after_avc_ = word == "avc:";
  f.value = word;
  pos = word_end;
  return true;
}

bool FieldScanner::next_slow(Field& f) {
  for (;;) {
    if (in_inner_) {
      if (scan(inner_, inner_pos_, f)) {
        f.inner = true;
        return true;
      }
      in_inner_ = false;
    }
    if (stage_ == 0) {
      if (scan(body_, pos_, f)) {
        if (f.key == "msg" && !f.value.empty() && f.value.front() == '\'') {
          std::string_view inner = f.value.substr(1);
          if (!inner.empty() && inner.back() == '\'') inner.remove_suffix(1);
          if (inner.find('=') != std::string_view::npos) {
            inner_ = inner;
            inner_pos_ = 0;
            in_inner_ = true;
            continue;
          }
        }
        return true;
      }
      stage_ = 1;
    }
    if (stage_ == 1) {
      if (scan(enriched_, enriched_pos_, f)) {
        f.enriched = true;
        return true;
      }
      stage_ = 2;
    }
    return false;
  }
}

RecordKind record_kind(std::string_view type) {
  // By length first: called for every record a column query keeps.
  switch (type.size()) {
    case 3:
      if (type == "CWD") return RecordKind::kCwd;
      if (type == "EOE") return RecordKind::kEoe;
      break;
    case 4:
      if (type == "PATH") return RecordKind::kPath;
      break;
    case 6:
      if (type == "EXECVE") return RecordKind::kExecve;
      break;
    case 9:
      if (type == "PROCTITLE") return RecordKind::kProctitle;
      break;
  }
  return RecordKind::kGeneral;
}

void parse_fields(const RecordHeader& h, ParsedRecord& out) {
  out.header = h;
  out.kind = record_kind(h.type);
  scan_fields(out);
}

void scan_fields(ParsedRecord& r) {
  r.fields.clear();
  FieldScanner scan(r.header);
  Field f;
  while (scan.next(f)) r.fields.push_back(f);
  r.fields_parsed = true;
}

}  // namespace sqlhunt::audit
