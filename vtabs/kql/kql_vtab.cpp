#include "vtabs/kql/kql_vtab.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/sql_function.h"
#include "core/text.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/kql/kql_scan.h"
#include "vtabs/kql/kql_typed.h"

namespace sqlhunt {
namespace {

using vtab::Column;
using namespace kql;

// ---------------------------------------------------------------------------------
// kql(query, workspace, timespan, time_column) and adx(cluster, database, query,
// time_column): one row per result row, as JSON.

enum KqlCol { kWorkspaceId, kTableName, kRowIndex, kRow, kWarning, kQuery, kWorkspace, kTimespan, kKqlTimeColumn, kKqlColumnsArg };

constexpr Column kKqlColumns[] = {
    {"workspace_id", "TEXT", vtab::kPlain, "the workspace the row came from"},
    {"table_name", "TEXT", vtab::kPlain, "its result table (PrimaryResult; more with fork or batches)"},
    {"row_index", "INTEGER", vtab::kPlain, "0-based row of its table, counted across the parts of a split"},
    {"row", "TEXT", vtab::kPlain, "the row as a JSON object keyed by column name"},
    {"warning", "TEXT", vtab::kPlain, "NULL; on a warning row, why rows are missing (partial, truncated, offline)"},
    {"query", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "the KQL to run"},
    {"workspace", "TEXT", vtab::kHidden | vtab::kArgument, "workspace ID or JSON array of them (default loganalytics.workspace)"},
    {"timespan", "TEXT", vtab::kHidden | vtab::kArgument, "the API's timespan (ISO 8601 duration or interval)"},
    {"time_column", "TEXT", vtab::kHidden | vtab::kArgument, "the datetime column a cut answer is split by"},
    {"columns", "TEXT", vtab::kHidden | vtab::kArgument, "CREATE only: the columns as 'Name:type, ...' (sends nothing)"},
};
static_assert(vtab::count(kKqlColumns) == kKqlColumnsArg + 1, "one column per KqlCol");

enum AdxCol { kAdxTableName, kAdxRowIndex, kAdxRow, kAdxWarning, kCluster, kDatabase, kAdxQuery, kAdxTimeColumn, kAdxColumnsArg };

constexpr Column kAdxColumns[] = {
    {"table_name", "TEXT", vtab::kPlain, "its result table (PrimaryResult; more with fork or batches)"},
    {"row_index", "INTEGER", vtab::kPlain, "0-based row of its table, counted across the parts of a split"},
    {"row", "TEXT", vtab::kPlain, "the row as a JSON object keyed by column name"},
    {"warning", "TEXT", vtab::kPlain, "NULL; on a warning row, why rows are missing (partial, truncated, offline)"},
    {"cluster", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "the cluster's name, put into adx.url"},
    {"database", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "the database"},
    {"query", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "the KQL to run"},
    {"time_column", "TEXT", vtab::kHidden | vtab::kArgument, "the datetime column a cut answer is split by"},
    {"columns", "TEXT", vtab::kHidden | vtab::kArgument, "CREATE only: the columns as 'Name:type, ...' (sends nothing)"},
};
static_assert(vtab::count(kAdxColumns) == kAdxColumnsArg + 1, "one column per AdxCol");

constexpr const char* kTrustReason =
    "sends queries to the SIEM with the analyst's credentials, which a view or trigger in a database someone "
    "else wrote must not do";

const vtab::TableSpec kKqlSpec = {
    "kql", "one row per row of a KQL query's answer from Log Analytics", kKqlColumns, vtab::count(kKqlColumns),
    1e7, 1e5, vtab::Trust::kDirectOnly, kTrustReason, /*limit=*/true};
const vtab::TableSpec kAdxSpec = {
    "adx", "one row per row of a KQL query's answer from Azure Data Explorer", kAdxColumns,
    vtab::count(kAdxColumns), 1e7, 1e5, vtab::Trust::kDirectOnly, kTrustReason, /*limit=*/true};

// The row as a JSON object keyed by its table's column names.
std::string row_object(const OutRow& r) {
  std::string j = "{";
  size_t i = 0;
  for (auto v : r.values) {
    if (i) j += ",";
    const ColumnInfo* c = i < r.table->columns.size() ? &r.table->columns[i] : nullptr;
    json::append_string(j, c ? c->name : "Column" + std::to_string(i + 1));
    j += ":";
    append_json(j, v, c ? c->type : Type::kUnknown);
    ++i;
  }
  return j + "}";
}

class JsonCursor : public vtab::Cursor {
 public:
  JsonCursor(bool adx, std::shared_ptr<LastRun> last) : adx_(adx), last_(std::move(last)) {}

  void filter(const vtab::FilterArgs& args) override {
    scan_.reset();
    eof_ = false;
    Setup s;
    s.adx = adx_;
    auto text = [&](int col) { return args.text(col); };
    if (adx_) {
      const auto cluster = text(kCluster), database = text(kDatabase), query = text(kAdxQuery);
      if (!cluster || !database || !query) return finish_empty();  // a NULL argument matches nothing
      s.cluster = *cluster, s.database = *database, s.query = *query;
      s.time_column = text(kAdxTimeColumn);
    } else {
      const auto query = text(kQuery);
      if (!query) return finish_empty();
      s.query = *query;
      s.workspace = text(kWorkspace);
      s.timespan = text(kTimespan);
      s.time_column = text(kKqlTimeColumn);
    }
    QuerySpec spec;
    spec.query = s.query;
    spec.time_column = s.time_column;
    spec.take = args.limit();
    scan_ = std::make_unique<Scan>(s, std::move(spec), last_);
    advance();
  }
  void next() override { advance(); }
  bool eof() const override { return eof_; }

  void column(sqlite3_context* ctx, int col) override {
    // Columns of adx() are kql()'s without workspace_id.
    const int c = adx_ ? col + 1 : col;
    const bool warning_row = row_.table == nullptr;
    switch (c) {
      case kWorkspaceId: return sqlfn::result_text(ctx, scan_->label(row_.source));
      case kTableName:
        if (warning_row) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, row_.table->name);
      case kRowIndex:
        if (warning_row) return sqlite3_result_null(ctx);
        return sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(row_.index));
      case kRow:
        if (warning_row || !row_.row_error.empty()) return sqlite3_result_null(ctx);
        return sqlfn::result_text_valid(ctx, row_object(row_));
      case kWarning:
        if (!row_.row_error.empty()) return sqlfn::result_text(ctx, "row " + std::to_string(row_.index) + ": " + row_.row_error);
        if (!warning_row) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, row_.warning);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  void finish_empty() {
    last_->record_empty();
    eof_ = true;
  }
  void advance() {
    if (!scan_ || !scan_->next(row_)) {
      eof_ = true;
      scan_.reset();
    }
  }

  bool adx_;
  std::shared_ptr<LastRun> last_;
  std::unique_ptr<Scan> scan_;
  OutRow row_;
  bool eof_ = true;
};

// ---------------------------------------------------------------------------------
// Factories: no arguments -> the table-valued function; CREATE arguments -> typed.

template <bool Adx>
std::unique_ptr<vtab::Table> make_table(sqlite3* db, const vtab::TableSpec& spec, Params params) {
  auto last = last_run(db);
  if (params.empty()) {
    struct JsonTable : vtab::Table {
      JsonTable(sqlite3* db, const vtab::TableSpec& spec, Params p, std::shared_ptr<LastRun> l)
          : vtab::Table(db, spec, std::move(p)), last(std::move(l)) {}
      std::unique_ptr<vtab::Cursor> open() override { return std::make_unique<JsonCursor>(Adx, last); }
      std::shared_ptr<LastRun> last;
    };
    return std::make_unique<JsonTable>(db, spec, std::move(params), last);
  }
  return make_typed_table(db, spec, std::move(params), Adx);
}

void last_query_fn(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* last = static_cast<LastRun*>(sqlite3_user_data(ctx));
  std::lock_guard<std::mutex> lock(last->m);
  sqlfn::result_opt(ctx, last->query);
}

void last_status_fn(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* last = static_cast<LastRun*>(sqlite3_user_data(ctx));
  std::lock_guard<std::mutex> lock(last->m);
  sqlfn::result_opt(ctx, last->status);
}

// Forgets the connection's record when it closes (the function's destructor runs then).
void forget_connection(void* p) { forget_last_run(static_cast<const LastRun*>(p)); }

}  // namespace

int register_kql(sqlite3* db) {
  int rc = vtab::register_table(db, kKqlSpec, make_table<false>);
  if (rc == SQLITE_OK) rc = vtab::register_table(db, kAdxSpec, make_table<true>);
  LastRun* last = last_run(db).get();
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "kql_last_query", 0, sqlfn::kDirectOnly, last, last_query_fn, nullptr,
                                    nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "kql_last_status", 0, sqlfn::kDirectOnly, last, last_status_fn, nullptr,
                                    nullptr, forget_connection);
  return rc;
}

}  // namespace sqlhunt
