// core/csv.h — a streaming CSV reader (RFC 4180 and the exports people really write).
//
// Reads records one at a time from a file (plain or gzip, through ByteReader) or from
// memory, with a buffer that grows only to the longest record (capped: memory stays
// flat whatever the file's size). It knows no table: a reader of CSV exports (alerts,
// Windows, Office, TI feeds) takes the header and the fields and maps them itself.
//
// What it accepts:
//   * fields separated by `,` (or Options::delimiter), records ended by LF or CRLF;
//   * quoted fields ("...") holding delimiters, quotes written twice ("") and line
//     breaks of any kind. A quoted cell's bytes are kept as written except for the
//     "" -> " unescaping: the `\r\r\n` breaks Sentinel's alertlist.csv has inside its
//     JSON cells come back as `\r\r\n`;
//   * a UTF-8 byte-order mark at the start (skipped);
//   * a header row (Options::header): header() gives its names; when its first cell is
//     empty (pandas writes the DataFrame index that way) index_column() is true;
//   * blank lines between records are not records (pandas skips them too); they are
//     counted in blank_lines() so nothing goes unnoticed;
//   * a last record without a line break at the end of the file.
//
// What it reports (Record::error, never a silent skip; the next record is read as usual):
//   * a record with fewer or more fields than the header ("3 fields, the header has 25");
//     its fields are still given;
//   * a character after a closing quote (`"ab"c,`): kept as text, and reported;
//   * a quoted field still open at the end of the file ("unterminated quoted field
//     (the file ends inside it)"): the record is given with what was read;
//   * a record longer than Options::max_record bytes: its fields are not given, the
//     reader skips to its end without keeping it (so one runaway quote cannot eat the
//     memory), and the error says how long it was;
//   * a read error (truncated gzip, I/O): next() returns false and error() says why.
//
// Record::line is the physical line (1-based) where a record starts, and end_line the
// line where it ends, so a row can always be traced back to the file.
//
// Speed: fields are string_views into the reader's buffer (valid until the next call
// to next()); unquoted fields are never copied, quoted ones are unescaped in place.
// The scanner looks for the next special byte with memchr-style searches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/file_source.h"

namespace sqlhunt::csv {

struct Options {
  char delimiter = ',';
  bool header = true;  // the first record is the header row
  // A record (its raw bytes) longer than this is reported and skipped, not kept.
  size_t max_record = 64u << 20;
  size_t buffer_size = 1u << 20;  // initial buffer; grows up to max_record
};

struct Record {
  std::vector<std::string_view> fields;  // valid until the next call to next()
  uint64_t line = 0;      // physical line where the record starts (1-based)
  uint64_t end_line = 0;  // physical line where it ends
  uint64_t offset = 0;    // byte offset of its start in the (decompressed) stream
  std::string error;      // empty when the record is well-formed
};

class Reader {
 public:
  // Reads a file (gzip transparent). Throws sqlhunt::Error when it cannot be opened.
  // With Options::header, the header row is read here (an empty file has none:
  // header() is empty and next() returns false).
  explicit Reader(const std::string& path, Options options = {});
  // Reads bytes held in memory (tests, fuzzing, a cell that holds CSV).
  static std::unique_ptr<Reader> from_string(std::string_view text, Options options = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The header's names (Options::header), quotes removed, as written otherwise.
  const std::vector<std::string>& header() const { return header_; }
  // The position of the header cell named `name` (exact match, the first one when
  // names repeat); -1 when there is none.
  int index_of(std::string_view name) const;
  // The header's first cell is empty: the first column is a pandas index.
  bool index_column() const { return !header_.empty() && header_[0].empty(); }
  // Set when the header row itself was malformed (its fields are still in header()).
  const std::string& header_error() const { return header_error_; }
  uint64_t header_line() const { return header_line_; }

  // The next record; false at the end of the data or on a read error (see error()).
  bool next(Record& record);

  uint64_t blank_lines() const { return blank_lines_; }
  // A read error that ended the stream early (empty otherwise).
  const std::string& error() const;

 private:
  Reader(std::unique_ptr<files::ByteReader> bytes, Options options);
  void init();
  // Finds the end of the record at the buffer's start; false at EOF with nothing pending.
  bool read_record(Record& record);

  Options opt_;
  std::unique_ptr<files::ByteReader> bytes_;
  files::ReadBuffer buf_;     // grows to the longest record, up to max_record
  uint64_t line_ = 1;         // physical line of the buffer's first unread byte
  uint64_t blank_lines_ = 0;
  std::vector<std::string> header_;
  std::string header_error_;
  uint64_t header_line_ = 0;
  std::string error_;
};

}  // namespace sqlhunt::csv
