// vtabs/kql/kusto_response.h — reading a Kusto query answer: the Log Analytics query
// API's, and Azure Data Explorer's v1 and v2 (pure; no SQLite, no network).
//
// The three documented shapes:
//   kLogAnalytics  {"tables": [{"name", "columns": [{"name", "type"}], "rows": [[...]]}],
//                   "error": {...}}   — "error" (code PartialError, details) only when the
//                   query failed part way: the rows are then not the whole answer
//   kAdxV1         {"Tables": [{"TableName", "Columns": [{"ColumnName", "DataType",
//                   "ColumnType"}], "Rows"}]} — with more than two tables, the last is
//                   the table of contents (Ordinal, Kind, Name, Id, PrettyName) naming
//                   each: QueryResult, QueryProperties, QueryStatus (whose rows of
//                   Severity <= 2 are errors: the answer is partial)
//   kAdxV2         [ {FrameType: DataSetHeader}, {FrameType: DataTable, TableKind,
//                   TableName, Columns: [{ColumnName, ColumnType}], Rows}, ...,
//                   {FrameType: DataSetCompletion, HasErrors, Cancelled, OneApiErrors} ]
//                   — or progressive: TableHeader, TableFragment (DataAppend /
//                   DataReplace), TableProgress, TableCompletion; a
//                   QueryCompletionInformation table's rows of Level <= 2 are errors
//
// What it reports, never a silent partial answer: summary() says whether the server
// marked the answer partial (an error section, HasErrors, Cancelled, an error row in
// QueryStatus / QueryCompletionInformation, or a v2 answer without its closing
// DataSetCompletion frame), whether the cause is the result-size limit
// (E_QUERY_RESULT_SET_TOO_LARGE: 500,000 rows or 64 MB; then a caller splits the
// query), the server's words, and `malformed` when the body is not one of the shapes
// at all (then no row of it is trusted).
//
// How it reads: the body is one response held in memory (the caller's); it is read
// twice with core/json_scan.h's Scanner, never parsed whole: the first pass walks the
// structure, skipping the rows of result tables (their offsets are kept) and reading
// the small tables and error sections; next() then streams the rows of the primary
// result tables, one row parsed at a time (simdjson, one parser reused), so memory
// beyond the body is one row.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "vtabs/kql/kql_types.h"

namespace sqlhunt::kql {

enum class Dialect { kLogAnalytics, kAdxV1, kAdxV2 };
const char* dialect_name(Dialect d);

struct ColumnInfo {
  std::string name;
  Type type = Type::kUnknown;
  std::string type_name;  // as the answer wrote it
};

struct TableInfo {
  std::string name;
  std::string kind;  // PrimaryResult, QueryCompletionInformation, ... ("" when unknown)
  std::vector<ColumnInfo> columns;
  std::vector<uint64_t> fragments;  // body offsets of the '[' of each rows array
  int64_t id = -1;                  // v2 TableId
};

struct Summary {
  std::vector<TableInfo> tables;  // every table, in the answer's order
  std::vector<size_t> primary;    // indexes into `tables` of the query's result tables
  bool partial = false;    // the server says rows are missing
  bool truncated = false;  // ... because the result passed the size or row limit
  std::string message;     // the server's words, when partial
  std::string malformed;   // not a documented answer: why ("" when it is)
};

class ResponseReader {
 public:
  static constexpr size_t kMaxRow = 64u << 20;

  // `body` must outlive the reader. Reads the structure at once (the first pass).
  ResponseReader(std::string_view body, Dialect dialect, size_t max_row = kMaxRow);
  ~ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  const Summary& summary() const;

  struct Row {
    size_t table = 0;     // index into summary().tables
    uint64_t index = 0;   // 0-based, within its table
    simdjson::dom::array values;  // valid until the next call; not to be read when
    std::string error;            // `error` is set: a row that could not be read
  };
  // The next row of the primary result tables, tables in order; false at the end.
  bool next(Row& row);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The message of an error body (a OneAPI error object: {"error": {"code", "message",
// "innererror" / "details" ...}}, or Azure AD's {"error", "error_description"}): the
// distinct messages from outside in, joined with ": ", and the innermost code in
// parentheses first when there is one. The body as text (cut) when it is no JSON.
std::string error_message(std::string_view body);

// Does `text` (an error object, a status message) name the result-size limit?
bool names_result_limit(std::string_view text);

}  // namespace sqlhunt::kql
