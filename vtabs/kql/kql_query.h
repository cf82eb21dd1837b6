// vtabs/kql/kql_query.h — the KQL sqlhunt sends: the analyst's query plus what SQL's
// WHERE and LIMIT let the engine do itself (pure; no SQLite).
//
//   SQL                                            appended to the query
//   Computer = 'web01'                             | where Computer == "web01"
//   EventID IN (4624, 4625)                        | where EventID in (4624, 4625)
//   TimeGenerated >= '2019-03-02T00:40:00Z'        | where TimeGenerated >= datetime(2019-03-02T00:40:00Z)
//     AND TimeGenerated <= '2019-03-02T01:00:00Z'      and TimeGenerated < datetime(2019-03-02T01:00:00.001Z)
//   LIMIT 10                                       | take 10
//
// The where clauses keep exactly the rows SQL's WHERE keeps (so SQLite need not check
// them again and LIMIT can be pushed too): string and number equality is Kusto's `==`
// / `in` (case-sensitive, as SQLite's `=` with its default collation), and a time bound
// is an exact tick range: sqlhunt shows a datetime cut to the millisecond, so `<= T`
// keeps every tick before T + 1 ms (see kql_text.h). Clauses come in this order: the
// equalities, the time window, take.
//
// When an answer must be split by time (kql_run.h), each part gets its own window on
// the time column (a narrower one than SQL's), or `isnull(T)` for the rows without a
// time, and the same equalities and take.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sqlhunt::kql {

// Ticks [lo, hi): either side may be open.
struct Window {
  std::optional<int64_t> lo, hi;
  bool bounded() const { return lo || hi; }
};

// `column == literal` (one literal) or `column in (literals...)`; literals are KQL text
// written by kql_text.h.
struct Condition {
  std::string column;
  std::vector<std::string> literals;
};

struct QuerySpec {
  std::string query;                       // the analyst's KQL
  std::vector<Condition> where;            // equalities pushed down from SQL
  std::optional<std::string> time_column;  // known up front (a typed table), else learned
  Window window;                           // SQL's bounds on the time column
  std::optional<int64_t> take;             // SQL's LIMIT (+ OFFSET)
};

struct PartBounds {
  Window window;       // this part's window on the time column
  bool nulls = false;  // instead: the rows whose time is null
};

// The text for one request: the query, the equalities, the part's time clause (when
// the time column is known), take. `with_take` false leaves take out (a probe).
std::string part_kql(const QuerySpec& spec, const std::optional<std::string>& time_column,
                     const PartBounds& part, bool with_take = true);

// The time clause alone ("TimeGenerated >= datetime(...) and TimeGenerated < ..."),
// empty for an open window.
std::string window_clause(const std::string& time_column, const Window& w);

}  // namespace sqlhunt::kql
