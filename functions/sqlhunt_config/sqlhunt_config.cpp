#include "functions/sqlhunt_config/sqlhunt_config.h"

#include "core/cache.h"
#include "core/config.h"
#include "core/error.h"
#include "core/sql_function.h"
#include "core/vtab.h"

namespace sqlhunt {
namespace {

// ---- sqlhunt_settings: every registered setting ----------------------------------

enum SettingsCol { kKey, kEnv, kDefault, kKind, kSql, kMin, kMax, kValue, kDoc };

constexpr vtab::Column kSettingsColumns[] = {
    {"key", "TEXT", vtab::kPlain, "the sqlhunt_config() key"},
    {"env", "TEXT", vtab::kPlain, "the environment variable"},
    {"default_value", "TEXT", vtab::kPlain, "the default, as written (${DATA}, ${CACHE} unexpanded); NULL: unset"},
    {"kind", "TEXT", vtab::kPlain, "text, path, url, secret, number or flag"},
    {"sql", "INTEGER", vtab::kPlain, "1: sqlhunt_config() may set it; 0: environment only"},
    {"min", "REAL", vtab::kPlain, "numbers: the smallest value accepted"},
    {"max", "REAL", vtab::kPlain, "numbers: the largest value accepted"},
    {"value", "TEXT", vtab::kPlain, "what sqlhunt_config(key) shows now ('set' for a secret that is set)"},
    {"doc", "TEXT", vtab::kPlain, "one line: what it is"},
};

const vtab::TableSpec kSettingsSpec = {
    "sqlhunt_settings", "one row per setting", kSettingsColumns, vtab::count(kSettingsColumns), 100, 50,
    vtab::Trust::kDirectOnly,
    "shows the values in force (local paths among them), which a view in a database someone else wrote must not read"};

class SettingsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs&) override {
    settings_ = config::settings();
    pos_ = 0;
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= settings_.size(); }
  void column(sqlite3_context* ctx, int col) override {
    const config::Setting& s = settings_[pos_];
    const bool number = s.kind == config::Kind::kNumber;
    switch (col) {
      case kKey: return sqlfn::result_text(ctx, s.key);
      case kEnv: return sqlfn::result_text(ctx, s.env);
      case kDefault:
        if (!*s.default_value) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, s.default_value);
      case kKind: return sqlfn::result_text(ctx, config::kind_name(s.kind));
      case kSql: return sqlite3_result_int(ctx, s.sql ? 1 : 0);
      case kMin: return number ? sqlite3_result_double(ctx, s.min) : sqlite3_result_null(ctx);
      case kMax: return number ? sqlite3_result_double(ctx, s.max) : sqlite3_result_null(ctx);
      case kValue: return sqlfn::result_opt(ctx, config::show(s.key));
      case kDoc: return sqlfn::result_text(ctx, s.doc);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  std::vector<config::Setting> settings_;
  size_t pos_ = 0;
};

// ---- the functions ---------------------------------------------------------------

void config_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) throw Error("sqlhunt_config: the setting name is NULL");
    const std::string name(sqlfn::text_arg(argv[0]));
    if (argc == 2) {
      std::optional<std::string> value;
      if (sqlite3_value_type(argv[1]) != SQLITE_NULL) value = std::string(sqlfn::text_arg(argv[1]));
      config::set(name, value);
    }
    const auto shown = config::show(name);
    if (!shown) return sqlite3_result_null(ctx);
    sqlfn::result_text(ctx, *shown);
  });
}

void cache_clear_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    std::optional<std::string> source;
    if (argc == 1 && sqlite3_value_type(argv[0]) != SQLITE_NULL) source = std::string(sqlfn::text_arg(argv[0]));
    // Every cached source has its TTL setting (<source>.ttl): a name without one is a
    // typo, not an empty part of the cache.
    if (source && !config::find(*source + ".ttl")) {
      std::string known;
      for (const auto& s : config::settings()) {
        const std::string_view k = s.key;
        if (k.size() > 4 && k.substr(k.size() - 4) == ".ttl")
          known += (known.empty() ? "" : ", ") + std::string(k.substr(0, k.size() - 4));
      }
      throw Error("sqlhunt_cache_clear: no cached source '" + cut_message(*source, 40) + "' (sources: " + known + ")");
    }
    auto cache = cache::Cache::current();
    if (!cache) return sqlite3_result_int64(ctx, 0);
    sqlite3_result_int64(ctx, cache->clear(source));
  });
}

}  // namespace

int register_sqlhunt_config(sqlite3* db) {
  int rc = vtab::register_table(db, kSettingsSpec, vtab::cursor_table<SettingsCursor>);
  for (int n : {1, 2})
    if (rc == SQLITE_OK)
      rc = sqlite3_create_function(db, "sqlhunt_config", n, sqlfn::kDirectOnly, nullptr, config_fn, nullptr, nullptr);
  for (int n : {0, 1})
    if (rc == SQLITE_OK)
      rc = sqlite3_create_function(db, "sqlhunt_cache_clear", n, sqlfn::kDirectOnly, nullptr, cache_clear_fn,
                                   nullptr, nullptr);
  return rc;
}

}  // namespace sqlhunt
