// core/error.h — the one exception type readers and parsers throw.
//
// Parsers report bad *data* as values (a parse_error field on the row they return),
// because one bad line must never stop a scan. sqlhunt::Error is for what stops a
// query: a missing file, a bad argument, a setting that makes no sense. Its message is
// shown to the analyst as is, so it says what was wrong and with what ("audit_events:
// no such file: 'case/audit.log'"), and never contains a secret. Adapters catch it at
// the SQLite boundary (no C++ exception ever crosses into SQLite).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sqlhunt {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `m` cut to about `max` bytes (on a UTF-8 character boundary) with "..." appended: what
// a message may quote of an input, so one quoting a 10 MB record stays readable.
inline std::string cut_message(std::string m, size_t max = 200) {
  if (m.size() <= max) return m;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(m[n]) & 0xC0) == 0x80) --n;
  m.resize(n);
  return m + "...";
}

// The start of an input, for a message that quotes it: at most `max` bytes, cut on a
// character boundary, "..." when cut.
inline std::string excerpt(std::string_view text, size_t max = 60) {
  return cut_message(std::string(text.substr(0, max + 4)), max);
}

}  // namespace sqlhunt
