// core/json_scan.h — cutting a stream of JSON into values without parsing it whole.
//
// A Scanner walks the bytes of a ReadBuffer (a file, a gzip stream or memory) and
// hands out one JSON value at a time as compact text (blanks outside strings dropped),
// so a 10 GB array or envelope costs one element of memory: the caller parses each
// value on its own (simdjson's DOM parser, reused). Only the byte structure is checked
// here — strings and escapes, bracket depth, where a '{' may stand —; the parser checks
// the rest. It counts physical lines as it goes, so every value knows where it started.
//
// Why not simdjson's document_stream: it splits JSON lines, but not the elements of an
// array or of an envelope's array without the whole input in memory.
//
// Also here: the reasons a text is not JSON, in words an analyst can act on (error
// paths only).
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "core/file_source.h"

namespace sqlhunt::json {

enum class Read {
  kOk,
  kEnd,        // nothing but blanks before the end of the data
  kTruncated,  // the data ends inside the value
  kTooLong,    // longer than the cap: not kept (its bytes were read past)
  kCut,        // a '{' stood where no value may (after a value, with no ',' between):
               // the value lacks its closing bracket and that '{' starts the next one
               // (left unread)
};

class Scanner {
 public:
  explicit Scanner(files::ReadBuffer& buf) : buf_(buf) {}

  // The next byte (0..255), or -1 at the end of the data.
  int peek() {
    if (buf_.pending() == 0 && !buf_.fill()) return -1;
    return static_cast<unsigned char>(buf_.data()[buf_.begin()]);
  }
  // Takes the byte peek() returned.
  void advance() {
    if (buf_.data()[buf_.begin()] == '\n') ++line_;
    buf_.consume(1);
  }
  // Skips blanks (space, tab, CR, LF); the next byte after them, or -1.
  int peek_nonblank();
  // Skips a UTF-8 byte-order mark at the next non-blank position, if there is one.
  void skip_bom();

  // Reads one JSON value (object, array, string or scalar) starting at the next
  // non-blank byte, appending it to `out` as compact JSON. `out` null: skip it, keeping
  // nothing. At most `cap` bytes are kept (kTooLong past it).
  Read read_value(std::string* out, size_t cap);

  // Reads the rest of the current line into `out` (its "\r\n" or "\n" left out). False
  // at the end of the data with nothing read. Keeps at most `cap` bytes.
  bool read_line(std::string& out, size_t cap, bool& too_long, bool* terminated = nullptr);

  // The physical line (1-based) of the next unread byte.
  uint64_t line() const { return line_; }

 private:
  files::ReadBuffer& buf_;
  uint64_t line_ = 1;
  std::string nest_;  // read_value's open brackets
};

// Why `text` is not JSON, in nlohmann's words (they name the line, column and what was
// expected; simdjson's error codes do not), cut with cut_message(); `fallback` when
// nlohmann accepts it (simdjson refused it for depth or the like). Read with nlohmann's
// SAX interface, which builds nothing: parsing into a tree to get the message cost 90
// bytes per bracket of a text nested millions deep.
std::string why_not_json(std::string_view text, const std::string& fallback);

// An nlohmann exception's message without its "[json.exception.parse_error.101] "
// prefix, cut with cut_message().
std::string exception_message(const std::exception& e);

// How a byte reads in a message: "'x'", "byte 0x1F", or "the end of the file" for -1.
std::string shown_char(int c);

}  // namespace sqlhunt::json
