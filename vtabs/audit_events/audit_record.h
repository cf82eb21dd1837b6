// vtabs/audit_events/audit_record.h — one line of a Linux audit log, parsed in place.
//
// A record line is
//
//   [node=NAME ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): k=v k=v ...[\x1dK=V ...]
//
// parse_header() finds the event identity (node, time, serial) and the record type
// without touching the fields: it is all event assembly and `count(*)` need, so it is
// the hot path (a memchr-style scan of the first ~60 bytes). The same header is also
// found in syslog/dmesg copies of kernel records ("... audit: type=1400
// audit(1551485405.594:7507): ..."), where the type is a number.
//
// FieldScanner walks the fields of the body when a column needs them:
//
//   * `key=value` is split on the first '=' (`subj==unconfined` is subj "=unconfined");
//   * a value is "double-quoted" (no escapes: auditd hex-encodes any value holding a
//     quote), 'single-quoted' (the user-space `msg='op=... res=success'`), or bare up to
//     the next space; runs of spaces between fields are allowed;
//   * the fields inside a user-space msg='...' are returned as fields of the record
//     (`inner` set), as ausearch shows them; a msg='...' that holds no `=` stays one
//     field named msg;
//   * after a 0x1d byte come the ENRICHED fields (`UID="root" AUID="alice"`), returned
//     with `enriched` set (their keys are upper case, so they never collide);
//   * SELinux/AppArmor AVC words become fields the way libauparse names them:
//     "avc:  denied  { read write } for" gives seresult=denied, seperms=read write;
//     any other word that is not key=value is returned as a field with an empty key,
//     so nothing in the line is lost (the caller joins them as `text`).
//
// Nothing is copied and nothing is decoded here: values are views into the line, quotes
// kept, so the decoding rule (vtabs/audit_events/audit_value.h) sees what auditd wrote.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::audit {

struct RecordHeader {
  std::string_view node;      // empty when the line has no node= prefix
  std::string_view type;      // "SYSCALL", "USER_LOGIN", or a number ("1400") from syslog
  int64_t epoch_ms = 0;       // SECONDS.MILLIS as milliseconds since 1970
  uint64_t serial = 0;
  std::string_view body;      // the fields, up to the 0x1d byte or the end of the line
  std::string_view enriched;  // the fields after the 0x1d byte (ENRICHED format), or ""
};

// Parses the header of `line`. On failure returns false and sets `error` to why the
// line is not an audit record (for the row's parse_error).
bool parse_header(std::string_view line, RecordHeader& header, std::string& error);

// Where the text after a record's header holds another record's header ("audit(" with
// a SECONDS.MILLIS:SERIAL) after "msg=" or a space), or npos: two records merged into
// one line, as when a byte flip turns the newline between them into a CR. The parser
// does not split them (every line stays one row); the reader flags the row.
size_t find_another_header(std::string_view fields);

// Sets header.body and header.enriched from the text after the header (split at the
// 0x1d byte of the ENRICHED format).
void set_fields_text(std::string_view fields, RecordHeader& header);

struct Field {
  std::string_view key;    // empty for a word that is not key=value
  std::string_view value;  // raw: quotes kept, not decoded
  bool inner = false;      // from inside a user-space msg='...'
  bool enriched = false;   // after the 0x1d byte
};

// The first byte in [p, end) equal to `a` or `b`, or end: eight bytes at a time (keys
// and values are short, so this beats a memchr call and a byte loop alike). The lowest
// byte flagged by the zero-byte test is exact; only bytes above it can be false.
inline const char* find_either(const char* p, const char* end, char a, char b) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  const uint64_t ma = kOnes * static_cast<unsigned char>(a), mb = kOnes * static_cast<unsigned char>(b);
  for (; end - p >= 8; p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    const uint64_t x = w ^ ma, y = w ^ mb;
    const uint64_t hit = (((x - kOnes) & ~x) | ((y - kOnes) & ~y)) & kHighs;
    if (hit) return p + (__builtin_ctzll(hit) >> 3);
  }
  while (p < end && *p != a && *p != b) ++p;
  return p;
}

// Iterates the fields of one record (header already parsed).
class FieldScanner {
 public:
  explicit FieldScanner(const RecordHeader& h) : body_(h.body), enriched_(h.enriched) {}
  explicit FieldScanner(std::string_view body, std::string_view enriched = {})
      : body_(body), enriched_(enriched) {}

  // The next field, or false when there are no more.
  bool next(Field& f) {
    // Nearly every field is key=value with a bare or double-quoted value: quick()
    // reads those inline; next_slow() reads every form (the two agree: a unit test and
    // the fuzz target compare them).
    if (in_inner_) {
      if (quick(inner_, inner_pos_, f)) {
        f.inner = true;
        return true;
      }
    } else if (stage_ == 0 && quick(body_, pos_, f)) {
      return true;
    }
    return next_slow(f);
  }
  // The same as next(), never taking the inline path (for tests).
  bool next_slow(Field& f);
  // Set when a quoted value had no closing quote (the value runs to the end).
  bool unterminated_quote() const { return unterminated_quote_; }

 private:
  bool scan(std::string_view s, size_t& pos, Field& f);
  // key=value at `pos` of `s` when the value is bare or double-quoted and closed, the
  // key starts after spaces (no tab) and is not empty; else false, `pos` unchanged.
  bool quick(std::string_view s, size_t& pos, Field& f) {
    const char* const base = s.data();
    const char* const end = base + s.size();
    const char* p = base + pos;
    while (p < end && *p == ' ') ++p;
    if (p == end || *p == '\t') return false;
    const char* const start = p;
    p = find_either(p, end, '=', ' ');
    if (p == end || *p != '=' || p == start) return false;
    const char* const v = p + 1;
    const char* stop;
    if (v == end) {
      stop = v;
    } else if (*v == '"') {
      const void* c = std::memchr(v + 1, '"', static_cast<size_t>(end - v - 1));
      if (!c) return false;
      stop = static_cast<const char*>(c) + 1;
    } else if (*v == '\'') {
      return false;
    } else {
      stop = find_either(v, end, ' ', ' ');
    }
    f.key = std::string_view(start, static_cast<size_t>(p - start));
    f.value = std::string_view(v, static_cast<size_t>(stop - v));
    f.inner = f.enriched = false;
    pos = static_cast<size_t>(stop - base);
    after_avc_ = false;
    return true;
  }

  std::string_view body_, enriched_;
  std::string_view inner_;     // the msg='...' being walked, if any
  size_t pos_ = 0, inner_pos_ = 0, enriched_pos_ = 0;
  int stage_ = 0;              // 0 body, 1 enriched
  bool in_inner_ = false;
  bool after_avc_ = false;     // the previous word was "avc:" (AVC seresult follows)
  bool unterminated_quote_ = false;
};

// Records that hold only their own fields (EXECVE: argc, aN; CWD: cwd; PATH: item,
// name, ...; PROCTITLE: proctitle). A lookup of any other field skips them unparsed;
// general records (SYSCALL, user-space, ...) are searched for every field.
enum class RecordKind { kGeneral, kExecve, kCwd, kPath, kProctitle, kEoe };
RecordKind record_kind(std::string_view type);

// One record's fields, parsed.
struct ParsedRecord {
  RecordHeader header;
  std::vector<Field> fields;
  RecordKind kind = RecordKind::kGeneral;
  bool fields_parsed = false;
  uint64_t line = 0;
  bool execve() const { return kind == RecordKind::kExecve; }
};

// Parses a record line (header already known to be valid) into `out`.
void parse_fields(const RecordHeader& h, ParsedRecord& out);
// Scans the fields of a record whose header, kind and execve are already set.
void scan_fields(ParsedRecord& r);

}  // namespace sqlhunt::audit
