// core/record_stream.h — the records of a JSON or CSV export, one at a time.
//
// The pure reader behind every table that reads exported records (alerts, and the
// Windows, Office and flow-log readers): it takes a file (gzip transparent) or bytes
// in memory, recognises the export's shape from its first bytes, and yields one record
// per element: the record as a JSON object (`value`, names as the source writes them),
// its JSON text (`json`) and the physical line where it starts. It knows no table; a
// table maps the object's fields to its columns. Shapes:
//
//   kJsonLines     one object per line (`{...}\n{...}\n`): read line by line, so a
//                  malformed line is one error record and the next line reads as usual
//   kJsonArray     `[ {...}, {...} ]`, pretty-printed or not
//   kJsonObjects   objects one after another, pretty-printed (`{\n ...\n}\n{...}`)
//   kGraph         `{"@odata.context": ..., "value": [ {...}, ... ]}` (Microsoft Graph,
//                  OData): the elements of "value"; keys before and after it skipped
//   kAzureRecords  `{"records": [ {...}, ... ]}` (Azure resource and diagnostic logs:
//                  NSG and VNet flow logs, the PT1H.json blobs)
//   kLogAnalytics  `{"tables": [{"name", "columns": [{"name","type"}...], "rows":
//                  [[...], ...]}]}` (the Log Analytics query API): each row of the first
//                  table becomes an object keyed by the column names
//   kCsv           a CSV export with a header row (core/csv.h: quoted multi-line JSON
//                  cells, BOM, CRLF, the pandas index column, which is left out); every
//                  cell is a JSON string in the record
//
// The first non-blank byte decides: `[` array, `{` one of the object shapes (decided
// by walking the first object's keys: a "value", "records" or "tables" key holding an
// array, with only "@" annotations before it, makes it an envelope; an object that
// ends on the line it started on, with the next one on a later line, makes it JSON
// lines), anything else CSV. A byte-order mark is skipped.
//
// Memory stays flat whatever the file's size: the reader never holds more than one
// record (core/json_scan.h cuts the stream; each record is then parsed with simdjson's
// DOM parser, reused from record to record, which keeps the source's key order and
// parses at several GB/s). A record longer than `max_record` bytes becomes an error
// record (its bytes are skipped, not kept).
//
// Trailing commas (`[1,2,]`, `{"a":1,}`) are not JSON, and a record holding one is an
// error record, unless allow_trailing_commas() is set: then it is read as if the comma
// were not there (what Newtonsoft.Json and JSON5 accept, and what hand-trimmed Azure
// flow-log fixtures contain).
//
// Bad data is never a silent skip: a line or element that is not valid JSON, not an
// object, too long, or cut short by the end of the file becomes a Record with `error`
// set (and no value). Damage that breaks an array's structure (a quote missing or one
// too many, a stray ']' or '}', a missing ',') is one error record saying which line
// reading goes on at: the reader skips to the next line that starts an element at the
// column the array's first element started at (a compact array: the next "},{"), so
// the elements after the damage are read. An element missing its `}` directly followed
// by `{` is still swallowed by the next one, because that is valid syntax, except where
// indentation tells: in a pretty-printed record (its inner lines indented deeper than
// its first), a line starting at or left of the record's own column with a '{' starts
// the next record, and with a '}' or ']' while brackets are still open ends this one.
// Valid JSON is therefore always read whole, unless a line inside a record starts with
// a bracket at or left of the record's column, which no pretty-printer writes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace sqlhunt::records {

enum class Shape {
  kUnknown, kEmpty, kJsonLines, kJsonArray, kJsonObjects, kGraph, kAzureRecords,
  kLogAnalytics, kCsv,
};
const char* shape_name(Shape shape);

struct Record {
  uint64_t line = 0;   // physical line (1-based) where the record starts
  std::string json;    // the whole record as JSON text; empty when it could not be read
  // The record as an object (valid until the reader's next call to next()); when
  // `has_value` is false nothing could be read and `error` says why.
  simdjson::dom::element value;
  bool has_value = false;
  std::string error;   // empty when the record was read whole
};

class Reader {
 public:
  static constexpr size_t kDefaultMaxRecord = 64u << 20;

  // Throws sqlhunt::Error when the file cannot be opened.
  explicit Reader(const std::string& path, size_t max_record = kDefaultMaxRecord);
  // Reads a copy of `text` (tests, fuzzing, a cell that holds an export).
  static std::unique_ptr<Reader> from_string(std::string_view text,
                                             size_t max_record = kDefaultMaxRecord);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next record; false at the end of the file.
  bool next(Record& record);
  // Known after the first call to next().
  Shape shape() const;
  // Reads a record with a comma before a closing ']' or '}' as if it were not there
  // (off by default: a strict reader reports the record).
  void allow_trailing_commas(bool on);
  // A read error (truncated gzip, I/O) that ended the file early; empty otherwise.
  std::string read_error() const;

  struct Impl;

 private:
  Reader();
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqlhunt::records
