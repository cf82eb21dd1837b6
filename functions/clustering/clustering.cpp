#include "functions/clustering/clustering.h"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/sql_function.h"
#include "core/sql_source.h"
#include "core/vtab.h"
#include "functions/clustering/dbscan.h"
#include "functions/clustering/pattern.h"

namespace sqlhunt {
namespace {

using vtab::Column;

void cmdline_pattern_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    std::string out;
    clustering::append_pattern(out, sqlfn::text_arg(argv[0]));
    sqlfn::result_text_valid(ctx, out);  // the pattern is valid UTF-8 by construction
  });
}

// ---------------------------------------------------------------------------------
// dbscan(sql, eps, min_samples, scale)

enum DbscanCol { kKey, kClusterId, kClusterSize, kIsCore, kSql, kEps, kMinSamples, kScale };

constexpr Column kDbscanColumns[] = {
    {"key", "", vtab::kPlain, "the SELECT's first column, as it was"},
    {"cluster_id", "INTEGER", vtab::kPlain, "cluster number from 0 (scikit-learn's); NULL for noise"},
    {"cluster_size", "INTEGER", vtab::kPlain, "rows in the cluster; 1 for noise"},
    {"is_core", "INTEGER", vtab::kPlain, "1 when the row is a core point"},
    {"sql", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired,
     "a SELECT: a row key, then the numeric features"},
    {"eps", "REAL", vtab::kHidden | vtab::kArgument, "neighbourhood radius in scaled units (default 0.5)"},
    {"min_samples", "INTEGER", vtab::kHidden | vtab::kArgument,
     "rows within eps (itself included) that make a core point (default 5)"},
    {"scale", "TEXT", vtab::kHidden | vtab::kArgument, "standard (default), minmax, unit or none"},
};
static_assert(vtab::count(kDbscanColumns) == kScale + 1, "one enum value per column");

const vtab::TableSpec kDbscanSpec = {
    "dbscan", "one row per row of the SELECT, with its DBSCAN cluster",
    kDbscanColumns, vtab::count(kDbscanColumns), 1e6, 1e5, vtab::Trust::kDirectOnly,
    sql::kRunsSqlReason};

double number_arg(const vtab::FilterArgs& args, int col, double fallback) {
  const auto text = args.text(col);
  if (!text) return fallback;
  const char* begin = text->c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (end == begin || *end != '\0' || !std::isfinite(v))
    throw Error(std::string("dbscan: ") + kDbscanColumns[col].name + " must be a number, not '" +
                excerpt(*text) + "'");
  return v;
}

struct ValueFree {
  void operator()(sqlite3_value* v) const { sqlite3_value_free(v); }
};

class DbscanCursor : public vtab::Cursor {
 public:
  explicit DbscanCursor(sqlite3* db) : db_(db) {}

  void filter(const vtab::FilterArgs& args) override {
    keys_.clear();
    result_ = clustering::DbscanResult();
    index_ = 0;
    const auto sql_text = args.text(kSql);
    if (!sql_text) return;  // sql = NULL: no rows
    const double eps = number_arg(args, kEps, 0.5);
    const double min_samples = number_arg(args, kMinSamples, 5);
    if (!(eps > 0)) throw Error("dbscan: eps must be greater than 0, not " + args.text(kEps).value_or("?"));
    if (min_samples < 1 || min_samples != std::floor(min_samples) || min_samples > 1e9)
      throw Error("dbscan: min_samples must be a whole number from 1, not " + args.text(kMinSamples).value_or("?"));
    const std::string scale_name = args.text(kScale).value_or("standard");
    const auto how = clustering::scale_from_name(scale_name);
    if (!how)
      throw Error("dbscan: scale must be standard, minmax, unit or none, not '" + excerpt(scale_name) + "'");

    sql::SqlSource src(db_, *sql_text, "dbscan");
    const int columns = src.column_count();
    if (columns < 2)
      throw Error("dbscan: the SELECT must give a row key and then at least one numeric feature (it gives only '" +
                  src.column_name(0) + "')");
    const size_t dims = static_cast<size_t>(columns - 1);
    std::vector<double> x;
    while (src.step()) {
      keys_.emplace_back(sqlite3_value_dup(src.value(0)));
      if (!keys_.back()) throw std::bad_alloc();
      for (int c = 1; c < columns; ++c) {
        sqlite3_value* v = src.value(c);
        const int type = sqlite3_value_numeric_type(v);
        const double d = sqlite3_value_double(v);
        if ((type != SQLITE_INTEGER && type != SQLITE_FLOAT) || !std::isfinite(d)) {
          const char* what = type == SQLITE_NULL ? "NULL" : type == SQLITE_FLOAT ? "not finite" : "not a number";
          const auto* key = reinterpret_cast<const char*>(sqlite3_value_text(keys_.back().get()));
          throw Error("dbscan: row " + std::to_string(keys_.size()) + " (key " +
                      (key ? "'" + excerpt(key) + "'" : std::string("NULL")) + "): feature '" +
                      src.column_name(c) + "' is " + what +
                      "; every feature must be a number (filter or coalesce it in the SELECT)");
        }
        x.push_back(d);
      }
      if (keys_.size() >= 0xFFFFFFF0u) throw Error("dbscan: more than 4 billion rows");
    }
    clustering::scale(x, dims, *how);
    result_ = clustering::dbscan(x, dims, eps, static_cast<size_t>(min_samples));
  }

  void next() override { ++index_; }
  bool eof() const override { return index_ >= keys_.size(); }

  void column(sqlite3_context* ctx, int col) override {
    const int64_t label = result_.label[index_];
    switch (col) {
      case kKey: return sqlite3_result_value(ctx, keys_[index_].get());
      case kClusterId:
        if (label < 0) return sqlite3_result_null(ctx);
        return sqlite3_result_int64(ctx, label);
      case kClusterSize:
        return sqlite3_result_int64(ctx, label < 0 ? 1 : result_.size[static_cast<size_t>(label)]);
      case kIsCore: return sqlite3_result_int(ctx, result_.core[index_]);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  sqlite3* db_;
  std::vector<std::unique_ptr<sqlite3_value, ValueFree>> keys_;
  clustering::DbscanResult result_;
  size_t index_ = 0;
};

}  // namespace

int register_clustering(sqlite3* db) {
  const int rc = sqlite3_create_function(db, "cmdline_pattern", 1, sqlfn::kPure, nullptr,
                                         cmdline_pattern_fn, nullptr, nullptr);
  if (rc != SQLITE_OK) return rc;
  return vtab::register_table(db, kDbscanSpec, vtab::cursor_table<DbscanCursor>);
}

}  // namespace sqlhunt
