#include "core/sql_function.h"

#include "core/error.h"
#include "core/json_text.h"

namespace sqlhunt::sqlfn {

void result_text(sqlite3_context* ctx, std::string_view s) {
  // Handed over NUL-terminated (result_text_z): see there why that is cheaper. The
  // scratch copy is per thread, so no value costs an allocation of its own.
  thread_local std::string scratch;
  if (json::is_valid_utf8(s)) return result_text_z(ctx, s, scratch);
  scratch.clear();
  json::append_valid_utf8(scratch, s);
  result_text_z(ctx, scratch);
}

std::string safe_message(std::string_view msg) {
  std::string m;
  json::append_valid_utf8(m, msg.substr(0, 4096));
  return cut_message(std::move(m), 600);
}

void result_error(sqlite3_context* ctx, const std::string& msg) {
  const std::string m = safe_message(msg);
  sqlite3_result_error(ctx, m.c_str(), static_cast<int>(m.size()));
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
