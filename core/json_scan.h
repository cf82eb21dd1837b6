// core/json_scan.h — cutting a stream of JSON into values without parsing it whole.
//
// A Scanner walks the bytes of a ReadBuffer (a file, a gzip stream or memory) and
// hands out one JSON value at a time as compact text (blanks outside strings dropped),
// so a 10 GB array or envelope costs one element of memory: the caller parses each
// value on its own (simdjson's DOM parser, reused). Only the byte structure is checked
// here — strings and escapes, bracket depth, where a '{' may stand, no line break inside
// a string —; the parser checks the rest. It counts physical lines as it goes, so every
// value knows where it started, and after damage it can find where the next element of
// an array starts (skip_to_element).
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
  kCut,        // a '{' stood where no value may (after a value, with no ',' between,
               // or starting a line at the column of the value's own first line when
               // its inner lines are indented deeper): the value lacks its closing
               // bracket and that '{' starts the next one (left unread)
  kUnbalanced, // a pretty-printed value's own closing line (a '}' or ']' at its first
               // line's column) came while brackets it opened were still open (one
               // too many, or a closing one missing): read up to that bracket and not
               // kept
  kStray,      // a byte JSON allows only inside a string stood outside one (a quote
               // missing or one too many turned strings inside out): read up to that
               // byte and not kept
  kOpenString, // a line ended inside a string (JSON strings hold no raw line break, so
               // a quote is missing or one too many): the value is not kept, and the
               // scanner stands at the start of the next line
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
    const char ch = buf_.data()[buf_.begin()];
    if (ch == '\n') ++line_, col_ = 0;
    else if (col_ >= 0 && (ch == ' ' || ch == '\t' || ch == '\r')) ++col_;
    else col_ = -1;
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

  // After damage inside an array whose elements open with `open` ('{' records, '['
  // table rows): skips to where the next element seems to start, and leaves that byte
  // unread. The damaged bytes' brackets and quotes are not trusted, so no depth or
  // string state is kept. `column` >= 0 (a pretty-printed array, its elements each
  // starting a line at that column): the next line whose first non-blank byte is
  // `open` at that column, or a ']' at that column or left of it (the array's end).
  // `column` -1 (a compact array): the next `open` after a closing bracket and a ','
  // ("},{", blanks allowed). `first_key` (the elements' first key as written, quotes
  // included, e.g. "\"TimeGenerated\""), when known, must follow a compact array's
  // `open` (the elements of an export share their first key, and an element's inner
  // objects, "Entities": [{...},{...}], then do not pass for one), and with it an
  // element may also start inside the damaged line of a pretty-printed array. False at
  // the end of the data.
  bool skip_to_element(int column, char open, std::string_view first_key = {});

  // Reads the rest of the current line into `out` (its "\r\n" or "\n" left out). False
  // at the end of the data with nothing read. Keeps at most `cap` bytes.
  bool read_line(std::string& out, size_t cap, bool& too_long, bool* terminated = nullptr);

  // The physical line (1-based) of the next unread byte.
  uint64_t line() const { return line_; }
  // The column (0-based, in bytes) of the next unread byte when only blanks stand
  // before it on its line, -1 when something else does: where an array's elements
  // start, for skip_to_element().
  int column() const { return col_; }

 private:
  // Whether `text` follows the next byte, blanks between allowed (none read).
  bool follows(std::string_view text);
  // Skips to the next `open` followed by `first_key` on this line (true), or to the
  // line's end (false).
  bool skip_in_line_to(char open, std::string_view first_key);

  files::ReadBuffer& buf_;
  uint64_t line_ = 1;
  int col_ = 0;       // column(): blanks since the line's start, or -1
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

// What a Read other than kOk means, in a few words for a message ("a string is not
// closed at the end of its line", ...).
const char* describe(Read r);

}  // namespace sqlhunt::json
