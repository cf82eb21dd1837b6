#include "functions/sqlhunt_config/sqlhunt_config.h"

#include "core/cache.h"
#include "core/config.h"
#include "core/error.h"
#include "core/sql_function.h"

namespace sqlhunt {
namespace {

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
    auto cache = cache::Cache::current();
    if (!cache) return sqlite3_result_int64(ctx, 0);
    sqlite3_result_int64(ctx, cache->clear(source));
  });
}

}  // namespace

int register_sqlhunt_config(sqlite3* db) {
  int rc = SQLITE_OK;
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
