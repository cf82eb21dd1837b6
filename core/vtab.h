// core/vtab.h — the virtual-table base every sqlhunt table is built on.
//
// A table is declared once, as a TableSpec: its name, a constexpr list of columns
// (name, SQL type, flags, one line of doc) and its planner costs. That one list drives
//   * the schema given to sqlite3_declare_vtab (hidden columns marked HIDDEN),
//   * xBestIndex, one generic planner for every table (below),
//   * the docs and the surface tests (sqlhunt_columns() lists every spec).
// so the three cannot drift apart.
//
// Column flags:
//   kHidden    HIDDEN in the schema. A hidden kArgument column is a table-valued-function
//              argument: audit_events('x.log') sets the first one. When its value comes
//              from a table not read yet (`t, u, iocs(t.d, u.ty)`), the plan is refused
//              (SQLITE_CONSTRAINT), required or not, so SQLite reads that table first.
//   kArgument  an input: `col = value` is handed to the cursor's filter(). With
//              CREATE VIRTUAL TABLE t USING m(col='value') it has a default.
//   kRequired  a query must give it (`=`, `IN`, or the CREATE default). Without one the
//              query fails with "<table>: <col> is required ..."; when the constraint
//              exists but is not usable yet (the inner side of a join), the plan is
//              refused (SQLITE_CONSTRAINT) so SQLite picks one where it is.
//   kBatch     `col IN (...)` reaches filter() as one batch of values
//              (sqlite3_vtab_in), so remote lookups can run concurrently.
//   kRange     `=, <, <=, >, >=` on the column are handed to filter() as hints (time
//              windows); SQLite still checks them, so a reader may return more rows.
//   kPath      an argument naming files (a path or glob): made absolute when a table
//              is created, and checked when a database's stored table is opened again
//              (core/vtab_stored.h).
//   kTime      a column of ISO times (implies kRange; the table's `time`, and any other
//              such as alerts' start_time, through Cursor::time_ms_of). Its bounds are read as
//              instants, whatever form they are written in ('2019-03-02T00:40:00Z',
//              '2019-03-02 00:40:00', '2019-03-02T01:40+01:00', '2019-03-02', '2019-03'
//              and '2019' (where they start), epoch seconds as a number), without a zone
//              meaning UTC, to the millisecond: a bound that is no time is an error saying which
//              forms work, a NULL bound matches nothing. SQLite would compare the text
//              ('2019-03-02 00:40' sorts before every 'T' time of that day), so the
//              base takes those constraints over (omit) and drops the rows outside
//              them itself, through Cursor::time_ms(); the reader gets the same bounds
//              (FilterArgs::time_range) to skip work.
//
// The plan (xBestIndex -> xFilter), written into idxStr so it can be read in
// EXPLAIN output and traced:  "u<colUsed hex>;<col>:<op>[b],..."  — one entry per
// argv value, in order; `b` marks an IN batch. idxNum is the number of entries.
// Costs are honest: spec.scan_cost for a scan with its required inputs, divided by 10
// for each optional equality on an argument, by 4 for each range bound on a kRange
// column, and by 100 for `=` on a kRange column (an instant is a window of one value),
// so SQLite puts cheap lookups on the inner side of a join and expensive scans on the
// outer side. SQLHUNT_TRACE_PLAN=1 in the environment prints every planning decision
// to stderr.
//
// Trust (TableSpec::trust, one field, with its reason in TableSpec::trust_reason):
//   kDirectOnly  SQLITE_VTAB_DIRECTONLY: the table reads files or the network, so a
//                view or trigger in a database someone else wrote cannot make us read
//   kInnocuous   SQLITE_VTAB_INNOCUOUS: it reads only its arguments, in time and memory
//                bounded by them, so views of any schema may use it (trusted_schema=OFF)
//
// LIMIT (TableSpec::limit): a table that can stop early at its source (a remote query
// that appends `| take N`) sets it, and then gets FilterArgs::limit(): the LIMIT plus
// the OFFSET of a query, handed over only when SQLite allows it (the statement reads
// this one table, every WHERE term is one the plan took) and, in addition, only when
// the query has no ORDER BY and every constraint the plan took is one SQLite does not
// check again (an equality on an argument, a kTime bound): then the first N rows the
// table returns are rows SQLite keeps. SQLite still counts the LIMIT itself.
//
// Columns decided when the table is made: a factory may return a Table whose spec()
// is its own (built from what it learned: a remote query's result columns); the schema
// is declared from the Table's spec, not the module's. The module's spec still names
// the CREATE arguments (its kArgument columns) and is the one sqlhunt_columns lists.
//
// Rowids: the base numbers the rows of each scan 1, 2, 3, ... (one rule for every
// table; a cursor never computes one), except that a cursor SQLite opens in the slot
// of one it read to its end goes on from that one's: an OR over a stored table is
// answered one scan per branch, merged by rowid (core/vtab_or_merge.h).
//
// Errors: a Cursor throws sqlhunt::Error; the trampolines turn it into the vtab's
// error message, prefixed with the table's name ("alerts: cannot open 'x'") in this
// one place — a cursor never adds the prefix itself. No C++ exception crosses into
// SQLite, xBestIndex included.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/params.h"
#include "core/sqlite.h"

namespace sqlhunt::vtab {

enum ColumnFlag : unsigned {
  kPlain = 0,
  kHidden = 1u << 0,
  kArgument = 1u << 1,
  kRequired = 1u << 2,
  kBatch = 1u << 3,
  kRange = 1u << 4,
  kTime = 1u << 5 | kRange,
  kPath = 1u << 6,
};

struct Column {
  const char* name;
  const char* type;  // "TEXT", "INTEGER", "REAL", "" (any)
  unsigned flags;
  const char* doc;
};

enum class Trust { kDirectOnly, kInnocuous };
const char* trust_name(Trust trust);  // "directonly", "innocuous"

struct TableSpec {
  const char* name;
  const char* doc;             // one line: what a row is
  const Column* columns;
  int column_count;
  double scan_cost;            // cost of one filter() with its required inputs
  double scan_rows;            // rows it returns, as a guess
  Trust trust;                 // see above
  const char* trust_reason;    // why: "reads the files its path names", ...
  bool limit = false;          // the table can use LIMIT (see above)

  int index_of(const char* column_name) const;  // -1 when unknown
};

template <size_t N>
constexpr int count(const Column (&)[N]) { return static_cast<int>(N); }

// The schema text: CREATE TABLE x(a TEXT, b INTEGER HIDDEN, ...).
std::string schema_sql(const TableSpec& spec);

struct Constraint {
  int column;
  unsigned char op;          // SQLITE_INDEX_CONSTRAINT_*
  bool batch;                // value is an IN list (see FilterArgs::values)
  sqlite3_value* value;
};

// What a query asked for, as handed to Cursor::filter(). Valid only during filter().
class FilterArgs {
 public:
  FilterArgs(const TableSpec& spec, const Params& defaults, uint64_t columns_used,
             std::vector<Constraint> constraints, std::optional<int64_t> limit = std::nullopt)
      : spec_(spec), defaults_(defaults), columns_used_(columns_used),
        constraints_(std::move(constraints)), limit_(limit) {}

  const std::vector<Constraint>& constraints() const { return constraints_; }

  // LIMIT + OFFSET of the query when the plan took them (TableSpec::limit): the table
  // may return only that many rows. nullopt: return them all.
  std::optional<int64_t> limit() const { return limit_; }

  // Is column `col` read by the query? (Decode lazily: skip work for unread columns.)
  bool used(int col) const {
    return col >= 63 ? (columns_used_ >> 63) != 0 : ((columns_used_ >> col) & 1) != 0;
  }

  // The text of `col = value` (or the CREATE VIRTUAL TABLE default); nullopt when the
  // query gives neither. A NULL value gives nullopt too (`x = NULL` matches nothing).
  std::optional<std::string> text(int col) const;
  // Every value of `col = v` / `col IN (...)`, as text, in the order SQLite gives them
  // (duplicates kept; NULLs left out). Falls back to the CREATE default.
  std::vector<std::string> texts(int col) const;
  // Bounds pushed on a kRange column as REAL: lower/upper and whether each is strict.
  // They are hints: SQLite re-checks every row, so a reader may widen them (treat them
  // as inclusive, or seek a little early) but must never return fewer rows.
  struct Range {
    std::optional<double> lower, upper;
    bool lower_strict = false, upper_strict = false;
  };
  Range real_range(int col) const;
  // Same, for a kTime column: the instants the bounds name, in epoch seconds, exact
  // (strict where the operator is). Rows outside them never reach SQLite (the base
  // drops them), so a reader may use them as they are.
  Range time_range(int col) const;

  const TableSpec& spec() const { return spec_; }

 private:
  const TableSpec& spec_;
  const Params& defaults_;
  uint64_t columns_used_;
  std::vector<Constraint> constraints_;
  std::optional<int64_t> limit_;
};

class Cursor {
 public:
  virtual ~Cursor() = default;
  // Starts a scan. May be called again on the same cursor (a join's inner side).
  virtual void filter(const FilterArgs& args) = 0;
  virtual void next() = 0;
  virtual bool eof() const = 0;
  // Sets column `col` of the current row with sqlite3_result_*. Hidden kArgument
  // columns are answered by the base (the value the query gave) and never reach this.
  virtual void column(sqlite3_context* ctx, int col) = 0;
  // The current row's time in epoch milliseconds (nullopt: none), for tables with a
  // kTime column: the base drops rows outside the query's time bounds with it.
  virtual std::optional<int64_t> time_ms() const;
  // The same for kTime column `col`, for a table with several (alerts' start_time and
  // end_time, process_tree's exit_time); by default the row's time_ms().
  virtual std::optional<int64_t> time_ms_of(int col) const;
};

class Table {
 public:
  Table(sqlite3* db, const TableSpec& spec, Params params)
      : db_(db), spec_(spec), params_(std::move(params)) {}
  virtual ~Table() = default;
  virtual std::unique_ptr<Cursor> open() = 0;

  sqlite3* db() const { return db_; }
  const TableSpec& spec() const { return spec_; }
  const Params& params() const { return params_; }
  // Arguments the table learned when it was created (a remote query's columns): kept
  // with the table in its database beside the CREATE arguments (core/vtab_stored.h) and
  // handed back as arguments when the database is opened again, so connecting then
  // needs nothing the CREATE needed. Each name must be one of the spec's arguments.
  virtual Params learned() const { return {}; }

 private:
  sqlite3* db_;
  const TableSpec& spec_;
  Params params_;
};

// Makes the table object for one connection (CREATE VIRTUAL TABLE or eponymous use).
// `params` are the CREATE arguments, already checked against the spec's kArgument
// columns. Throws sqlhunt::Error to refuse.
using TableFactory = std::unique_ptr<Table> (*)(sqlite3* db, const TableSpec& spec,
                                                Params params);

// Registers `spec.name` as both an eponymous (table-valued) module and one that
// CREATE VIRTUAL TABLE can use. `spec` must outlive the connection (make it static).
int register_table(sqlite3* db, const TableSpec& spec, TableFactory factory);

// Convenience: a factory for a Table subclass whose constructor takes the same arguments.
template <class T>
std::unique_ptr<Table> make_table(sqlite3* db, const TableSpec& spec, Params params) {
  return std::make_unique<T>(db, spec, std::move(params));
}

// The table most modules need: no state of its own, open() makes a C — from the
// connection when C takes one (a cursor that runs SQL: core/sql_source.h), else
// default-constructed. register_table(db, spec, cursor_table<C>).
template <class C>
class CursorTable : public Table {
 public:
  using Table::Table;
  std::unique_ptr<Cursor> open() override {
    if constexpr (std::is_constructible_v<C, sqlite3*>) return std::make_unique<C>(db());
    else return std::make_unique<C>();
  }
};
template <class C>
std::unique_ptr<Table> cursor_table(sqlite3* db, const TableSpec& spec, Params params) {
  return std::make_unique<CursorTable<C>>(db, spec, std::move(params));
}

// Every spec registered so far in this process (for sqlhunt_columns() and docs checks).
const std::vector<const TableSpec*>& registered_specs();

}  // namespace sqlhunt::vtab
