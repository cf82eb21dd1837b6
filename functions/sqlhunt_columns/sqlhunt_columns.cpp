#include "functions/sqlhunt_columns/sqlhunt_columns.h"

#include <vector>

#include "core/sql_function.h"
#include "core/vtab.h"

namespace sqlhunt {
namespace {

using vtab::Column;

// ---- sqlhunt_columns -------------------------------------------------------------

enum ColumnsCol { kTable, kColumn, kType, kPosition, kHidden, kArgument, kRequired, kBatch, kPushdown, kDoc };

constexpr Column kColumnsColumns[] = {
    {"table_name", "TEXT", vtab::kPlain, "the table (or table-valued function)"},
    {"column_name", "TEXT", vtab::kPlain, "the column"},
    {"type", "TEXT", vtab::kPlain, "its declared SQL type (empty: any)"},
    {"position", "INTEGER", vtab::kPlain, "0-based position in the table's schema"},
    {"hidden", "INTEGER", vtab::kPlain, "1: HIDDEN (a table-valued function's argument)"},
    {"argument", "INTEGER", vtab::kPlain, "1: an input (`col = value` reaches the reader)"},
    {"required", "INTEGER", vtab::kPlain, "1: a query must give it"},
    {"batch", "INTEGER", vtab::kPlain, "1: `col IN (...)` reaches the reader as one batch"},
    {"pushdown", "INTEGER", vtab::kPlain, "1: range bounds on it are taken by sqlhunt (times as instants)"},
    {"doc", "TEXT", vtab::kPlain, "one line: what the column holds"},
};

const vtab::TableSpec kColumnsSpec = {
    "sqlhunt_columns", "one row per column of every sqlhunt table", kColumnsColumns,
    vtab::count(kColumnsColumns), 100, 500, vtab::Trust::kInnocuous,
    "reads only the table specs compiled into the extension"};

struct Item {
  const vtab::TableSpec* spec;
  int column;
};

class ColumnsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs&) override {
    items_.clear();
    pos_ = 0;
    for (const auto* spec : vtab::registered_specs())
      for (int i = 0; i < spec->column_count; ++i) items_.push_back({spec, i});
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= items_.size(); }
  void column(sqlite3_context* ctx, int col) override {
    const auto& it = items_[pos_];
    const Column& c = it.spec->columns[it.column];
    auto flag = [&](unsigned f) { sqlite3_result_int(ctx, (c.flags & f) ? 1 : 0); };
    switch (col) {
      case kTable: return sqlite3_result_text(ctx, it.spec->name, -1, SQLITE_STATIC);
      case kColumn: return sqlite3_result_text(ctx, c.name, -1, SQLITE_STATIC);
      case kType: return sqlite3_result_text(ctx, c.type, -1, SQLITE_STATIC);
      case kPosition: return sqlite3_result_int(ctx, it.column);
      case kHidden: return flag(vtab::kHidden);
      case kArgument: return flag(vtab::kArgument);
      case kRequired: return flag(vtab::kRequired);
      case kBatch: return flag(vtab::kBatch);
      case kPushdown: return flag(vtab::kRange);
      case kDoc: return sqlite3_result_text(ctx, c.doc, -1, SQLITE_STATIC);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  std::vector<Item> items_;
  size_t pos_ = 0;
};

// ---- sqlhunt_tables --------------------------------------------------------------

enum TablesCol { kTName, kTDoc, kTTrust, kTTrustReason, kTScanCost, kTScanRows };

constexpr Column kTablesColumns[] = {
    {"table_name", "TEXT", vtab::kPlain, "the table (or table-valued function)"},
    {"doc", "TEXT", vtab::kPlain, "one line: what a row is"},
    {"trust", "TEXT", vtab::kPlain, "directonly (reads files or the network) or innocuous"},
    {"trust_reason", "TEXT", vtab::kPlain, "why it has that trust level"},
    {"scan_cost", "REAL", vtab::kPlain, "the planner's cost of one scan with its required inputs"},
    {"scan_rows", "REAL", vtab::kPlain, "the planner's guess of the rows one scan returns"},
};

const vtab::TableSpec kTablesSpec = {
    "sqlhunt_tables", "one row per sqlhunt table", kTablesColumns, vtab::count(kTablesColumns),
    100, 20, vtab::Trust::kInnocuous, "reads only the table specs compiled into the extension"};

class TablesCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs&) override {
    specs_ = vtab::registered_specs();
    pos_ = 0;
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= specs_.size(); }
  void column(sqlite3_context* ctx, int col) override {
    const vtab::TableSpec& s = *specs_[pos_];
    switch (col) {
      case kTName: return sqlite3_result_text(ctx, s.name, -1, SQLITE_STATIC);
      case kTDoc: return sqlite3_result_text(ctx, s.doc, -1, SQLITE_STATIC);
      case kTTrust: return sqlite3_result_text(ctx, vtab::trust_name(s.trust), -1, SQLITE_STATIC);
      case kTTrustReason: return sqlite3_result_text(ctx, s.trust_reason, -1, SQLITE_STATIC);
      case kTScanCost: return sqlite3_result_double(ctx, s.scan_cost);
      case kTScanRows: return sqlite3_result_double(ctx, s.scan_rows);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  std::vector<const vtab::TableSpec*> specs_;
  size_t pos_ = 0;
};

}  // namespace

int register_sqlhunt_columns(sqlite3* db) {
  int rc = vtab::register_table(db, kColumnsSpec, vtab::cursor_table<ColumnsCursor>);
  if (rc == SQLITE_OK) rc = vtab::register_table(db, kTablesSpec, vtab::cursor_table<TablesCursor>);
  return rc;
}

}  // namespace sqlhunt
