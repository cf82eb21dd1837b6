// vtabs/alerts/alert_reader.h — Sentinel SecurityAlert exports as a stream of records.
//
// The pure reader behind alerts() (no SQLite). It takes a file (gzip transparent) or
// bytes in memory, recognises the export's shape from its first bytes, and yields one
// record per alert: the source record as a JSON object (`value`, names as the source
// writes them), its JSON text (`json`, the `record` column) and the physical line where
// it starts. Shapes:
//
//   kJsonLines     one object per line (`{...}\n{...}\n`): read line by line, so a
//                  malformed line is one error record and the next line reads as usual
//   kJsonArray     `[ {...}, {...} ]`, pretty-printed or not
//   kJsonObjects   objects one after another, pretty-printed (`{\n ...\n}\n{...}`)
//   kGraph         `{"@odata.context": ..., "value": [ {...}, ... ]}` (Microsoft Graph
//                  security alerts); keys before and after "value" are skipped
//   kLogAnalytics  `{"tables": [{"name", "columns": [{"name","type"}...], "rows":
//                  [[...], ...]}]}` (the Log Analytics query API): each row of the first
//                  table becomes an object keyed by the column names
//   kCsv           a CSV export with a header row (core/csv.h: quoted multi-line JSON
//                  cells, BOM, CRLF, the pandas index column, which is left out)
//
// The first non-blank byte decides: `[` array, `{` one of the object shapes (decided
// by walking the first object's keys: a "value" or "tables" key holding an array makes
// it an envelope; an object that ends on the line it started on, with the next one on a
// later line, makes it JSON lines), anything else CSV.
//
// Memory stays flat whatever the file's size: the reader never holds more than one
// record. Arrays and envelopes are not parsed as one document; a hand-written byte
// scanner (strings and escapes aware, bracket depth counted) cuts the stream into
// elements, and only one element at a time is parsed. So a 100 MB (or 10 GB) array
// costs one element of memory. A record longer than `max_record` bytes becomes an
// error record (its bytes are skipped, not kept).
//
// JSON library: the byte scanner above cuts records (simdjson's document_stream would
// split JSON lines too, but not arrays or envelopes without the whole input in memory);
// each record is then parsed with simdjson's DOM parser, reused from record to record
// (no allocation per record). simdjson keeps the source's key order when it
// re-serialises (entities, extended_properties) and parses at several GB/s: measured
// on 100 MB of JSON lines, parsing every record with nlohmann/json (ordered_json) took
// 3x the time of Python's json module and made nlohmann's lexer and serializer 55% of
// the profile; with simdjson it is faster than Python (bench/alerts_bench.sh). nlohmann
// is still used where its messages matter (the reason a malformed record is
// malformed, on the error path only) and where objects are built (Log Analytics rows).
//
// Bad data is never a silent skip: a line or element that is not valid JSON, not an
// object, too long, or cut short by the end of the file becomes a SourceRecord with
// `error` set (and `value` null); a broken array structure ends the file with one
// error record saying where.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace sqlhunt::files {
class ByteReader;
}
namespace sqlhunt::csv {
class Reader;
}

namespace sqlhunt::alerts {

using Json = nlohmann::ordered_json;

enum class Shape { kUnknown, kEmpty, kJsonLines, kJsonArray, kJsonObjects, kGraph, kLogAnalytics, kCsv };
const char* shape_name(Shape shape);

// `m` cut to about `max` bytes (on a UTF-8 character boundary) with "..." appended, so
// a message quoting a 10 MB record stays readable and valid text.
inline std::string cut_message(std::string m, size_t max = 200) {
  if (m.size() <= max) return m;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(m[n]) & 0xC0) == 0x80) --n;
  m.resize(n);
  return m + "...";
}

// Why `text` is not JSON, in nlohmann's words (they name the line, column and what was
// expected; simdjson's error codes do not), cut with cut_message(); `fallback` when
// nlohmann accepts it (simdjson refused it for depth or the like). Only on error paths.
// Read with nlohmann's SAX interface, which builds nothing: parsing into a tree to get
// the message cost 90 bytes per bracket of a text nested millions deep.
std::string why_not_json(std::string_view text, const std::string& fallback);

struct SourceRecord {
  uint64_t line = 0;   // physical line (1-based) where the record starts
  std::string json;    // the whole record as JSON text; empty when it could not be read
  // The record as an object (valid until the reader's next call to next()); when
  // `has_value` is false nothing could be read and `error` says why.
  simdjson::dom::element value;
  bool has_value = false;
  std::string error;   // empty when the record was read whole
};

class RecordReader {
 public:
  static constexpr size_t kDefaultMaxRecord = 64u << 20;

  // Throws sqlhunt::Error when the file cannot be opened.
  explicit RecordReader(const std::string& path, size_t max_record = kDefaultMaxRecord);
  static std::unique_ptr<RecordReader> from_string(std::string_view text,
                                                   size_t max_record = kDefaultMaxRecord);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // The next record; false at the end of the file.
  bool next(SourceRecord& record);
  // Known after the first call to next().
  Shape shape() const { return shape_; }
  // A read error (truncated gzip, I/O) that ended the file early; empty otherwise.
  std::string read_error() const;

 private:
  struct Impl;
  RecordReader();
  std::unique_ptr<Impl> impl_;
  Shape shape_ = Shape::kUnknown;
};

}  // namespace sqlhunt::alerts
