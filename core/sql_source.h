// core/sql_source.h — a SELECT given as text, run on the caller's own connection: the
// input of table-valued functions that take a query's rows (process_tree(sql),
// dbscan(sql, ...), and later audit_events_from(sql)).
//
//   SqlSource src(db, "SELECT host, pid, ppid, time FROM t", "process_tree");
//   const int pid = src.require("pid");          // error naming it when absent
//   const int guid = src.find("guid");           // -1 when the SELECT has none
//   while (src.step()) use(src.value(pid));
//
// What it accepts: exactly one statement, read-only (sqlite3_stmt_readonly: a SELECT,
// a VALUES, a WITH ... SELECT, a read-only PRAGMA), with at least one result column.
// Anything else is an Error that says which rule it broke and quotes the start of the
// text. Result columns are found by name, case-insensitively as SQL names are; a name
// given twice (`SELECT a.pid, b.pid`) is an error when it is asked for, since either
// answer would be a guess.
//
// How it runs: the statement is prepared on `db` from inside the caller's xFilter and
// stepped there, so rows stream (step() copies nothing; value() is valid until the
// next step()). A runtime error of the SELECT, an interrupt (Ctrl-C in the shell
// reaches the inner statement too) or a full disk comes back as an Error with
// SQLite's message. rows() counts the rows stepped, so a test can check what was read.
//
// SECURITY — read this before registering a table that uses it. A statement prepared
// here is a top-level statement to SQLite: the checks that keep SQLITE_DIRECTONLY
// functions and tables (readfile(), audit_events(), the network lookups) out of views
// and triggers do not apply to what it calls. A table whose argument is SQL must
// therefore itself be DIRECTONLY (TableSpec::trust = vtab::Trust::kDirectOnly, with
// kRunsSqlReason as its trust_reason): then only SQL the user typed can hand it SQL,
// and a view or trigger in a database someone else wrote cannot use it to reach what
// DIRECTONLY keeps from them.
//
// Such a table's cursors need the connection: give the cursor a constructor taking
// the sqlite3*, and vtab::cursor_table<C> passes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/sqlite.h"
#include "core/vtab.h"

namespace sqlhunt::sql {

inline constexpr const char* kRunsSqlReason =
    "runs the SQL it is given as a top-level statement, where DIRECTONLY checks do not reach";

class SqlSource {
 public:
  // Prepares `select` on `db`. `who` starts every error message ("process_tree: ...").
  // Throws sqlhunt::Error.
  SqlSource(sqlite3* db, std::string_view select, std::string who);
  ~SqlSource();
  SqlSource(const SqlSource&) = delete;
  SqlSource& operator=(const SqlSource&) = delete;

  int column_count() const { return static_cast<int>(names_.size()); }
  const std::string& column_name(int col) const { return names_[static_cast<size_t>(col)]; }
  // The index of the result column called `name`; -1 when there is none. Throws when
  // two columns have that name.
  int find(std::string_view name) const;
  // The same, but a missing column is an error: "<who>: the SELECT has no column 'pid'
  // (it gives: a, b, c)", followed by `hint` when given.
  int require(std::string_view name, std::string_view hint = {}) const;

  // Moves to the next row; false after the last. Throws on a runtime error.
  bool step();
  // The current row's value of `col` (valid until the next step()).
  sqlite3_value* value(int col) const;
  uint64_t rows() const { return rows_; }
  const std::string& who() const { return who_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string who_;
  std::vector<std::string> names_;
  uint64_t rows_ = 0;
  bool done_ = false;
};

}  // namespace sqlhunt::sql
