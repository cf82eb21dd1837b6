#include "core/sql_function.h"

#include "core/json_text.h"

namespace sqlhunt::sqlfn {

void result_text(sqlite3_context* ctx, std::string_view s) {
  if (json::is_valid_utf8(s)) return result_text_valid(ctx, s);
  std::string fixed;
  json::append_valid_utf8(fixed, s);
  result_text_valid(ctx, fixed);
}

void result_opt(sqlite3_context* ctx, const std::optional<std::string>& v) {
  if (v) result_text(ctx, *v);
  else sqlite3_result_null(ctx);
}

void result_opt(sqlite3_context* ctx, const std::optional<std::string_view>& v) {
  if (v) result_text(ctx, *v);
  else sqlite3_result_null(ctx);
}

void result_opt(sqlite3_context* ctx, const std::optional<int64_t>& v) {
  if (v) sqlite3_result_int64(ctx, *v);
  else sqlite3_result_null(ctx);
}

void result_opt(sqlite3_context* ctx, const std::optional<double>& v) {
  if (v) sqlite3_result_double(ctx, *v);
  else sqlite3_result_null(ctx);
}

}  // namespace sqlhunt::sqlfn
