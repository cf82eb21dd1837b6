// core/record_stream_impl.h — the state of records::Reader, shared by its two source
// files: record_stream.cpp (shapes, JSON lines, arrays, CSV) and
// record_envelopes.cpp (Graph, Azure "records" and Log Analytics envelopes).
// Not for use outside them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/file_source.h"
#include "core/json_scan.h"
#include "core/record_stream.h"

namespace sqlhunt::records {

enum class Mode {
  kStart,
  kFirst,        // the first object was read while detecting the shape; hand it out
  kLines,        // JSON lines
  kConcat,       // pretty-printed objects one after another
  kArray,        // elements of a top-level array
  kEnvelopeArray,// elements of an envelope's array ("value", "records")
  kTablesArray,  // the "tables" array of a Log Analytics result
  kTableKeys,    // the keys of one table object
  kRows,         // a table's "rows"
  kTopKeys,      // the envelope's keys after its array
  kTrailing,     // after the top-level document: only blanks may follow
  kCsv,
  kDone,
};

struct Reader::Impl {
  std::string path;
  bool in_memory = false;
  std::string text;  // from_string: the bytes (a CSV reader re-reads them)
  std::unique_ptr<files::ByteReader> bytes;
  std::unique_ptr<files::ReadBuffer> buf;
  std::unique_ptr<json::Scanner> scan;
  size_t max_record = kDefaultMaxRecord;
  bool trailing_commas = false;  // allow_trailing_commas()

  Shape shape = Shape::kUnknown;
  Mode mode = Mode::kStart, after_first = Mode::kDone;
  Record first;
  bool array_first = true;  // the next array element is the array's first
  bool object_first = true; // the next key is the object's first
  bool resync = false;      // the next element starts here with no ',' before it: the
                            // last was cut short (Read::kCut) or skipped (read_on)
  int element_col = -2;     // the column the current array's elements start at
                            // (Scanner::column(); -1 compact), -2 before the first
  std::string first_key;    // its first whole element's first key, quoted as written
  simdjson::dom::parser parser;

  // Log Analytics tables (record_envelopes.cpp).
  bool tables_first = true;  // the next table is the "tables" array's first
  int table_index = 0;
  bool have_columns = false;
  std::vector<std::string> columns;

  // CSV.
  std::unique_ptr<csv::Reader> csv;
  std::vector<std::string> csv_names;
  size_t csv_skip = 0;  // 1 when the first column is a pandas index
  bool header_reported = false;

  // record_stream.cpp
  void start();
  Shape walk_first();
  void parse_object(Record& r);
  bool element(Record& r, bool row = false);
  std::string cut_error() const;
  bool read_on(Record& r, char open);
  int array_step(Record& r, const char* what, char open);
  int key_step(Record& r, std::string& key, std::string* raw);
  bool next_csv(Record& r);
  bool next_line(Record& r);
  bool next(Record& r);

  // record_envelopes.cpp
  // The envelope whose array key is `key` ("value", "records", "tables"), after the
  // '[' that opens it; kUnknown when `key` names none.
  Shape enter_envelope(const std::string& key);
  // One step of the Log Analytics states (kTablesArray, kTableKeys): true with `r` set
  // when a record (an error) is to be returned, false to go on with the next state.
  bool tables_step(Record& r);
  bool table_keys_step(Record& r);
  bool top_keys_step(Record& r);
  void row_to_object(Record& r);
  void read_columns(Record& r);
};

}  // namespace sqlhunt::records
