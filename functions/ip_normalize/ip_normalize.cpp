#include "functions/ip_normalize/ip_normalize.h"

#include "core/ip.h"
#include "core/sql_function.h"

namespace sqlhunt {
namespace {

void ip_normalize_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    // The canonical text is ASCII: valid UTF-8 by construction.
    if (auto n = ip::normalize(sqlfn::text_arg(argv[0]))) sqlfn::result_text_valid(ctx, *n);
    else sqlite3_result_null(ctx);
  });
}

}  // namespace

int register_ip_normalize(sqlite3* db) {
  return sqlite3_create_function(db, "ip_normalize", 1, sqlfn::kPure, nullptr, ip_normalize_fn, nullptr, nullptr);
}

}  // namespace sqlhunt
