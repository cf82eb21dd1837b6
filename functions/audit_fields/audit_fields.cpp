#include "functions/audit_fields/audit_fields.h"

#include <optional>
#include <string>

#include "core/json_text.h"
#include "core/sql_function.h"
#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/audit_value.h"

namespace sqlhunt {
namespace {

void audit_fields_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    std::string_view line = sqlfn::text_arg(argv[0]);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    audit::RecordHeader h;
    std::string error;
    if (!audit::parse_header(line, h, error)) {
      audit::set_fields_text(line, h);  // no header: the fields alone, as some exports keep them
    }
    audit::ParsedRecord rec;
    audit::parse_fields(h, rec);
    std::string json;
    audit::append_fields_json(json, rec);
    sqlfn::result_text(ctx, json);
  });
}

void audit_decode_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    std::optional<std::string_view> field;
    if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) field = sqlfn::text_arg(argv[1]);
    auto v = audit::decode_for_sql(sqlfn::text_arg(argv[0]), field);
    if (!v) return sqlite3_result_null(ctx);
    // Decoded bytes that are not UTF-8 show as U+FFFD, as in audit_events' columns.
    std::string text;
    json::append_valid_utf8(text, *v);
    sqlfn::result_text(ctx, text);
  });
}

}  // namespace

int register_audit_fields(sqlite3* db) {
  int rc = sqlite3_create_function(db, "audit_fields", 1, sqlfn::kPure, nullptr, audit_fields_fn, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "audit_decode", 1, sqlfn::kPure, nullptr, audit_decode_fn, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "audit_decode", 2, sqlfn::kPure, nullptr, audit_decode_fn, nullptr, nullptr);
  return rc;
}

}  // namespace sqlhunt
