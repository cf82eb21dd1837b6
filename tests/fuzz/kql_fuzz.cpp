// libFuzzer target for vtabs/kql's answer reader: the first byte picks the shape (Log
// Analytics, ADX v1, ADX v2), the rest is the body. Any bytes give a summary and rows
// without crashing, reading out of bounds or looping; every value converted for a
// typed column that claims JSON is valid JSON, every row object kql() would show is
// valid JSON, and every datetime read back from its ISO text gives the same ticks. The
// error-message reader and the KQL literal writer take the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "vtabs/kql/kql_text.h"
#include "vtabs/kql/kql_types.h"
#include "vtabs/kql/kusto_response.h"

using namespace sqlhunt::kql;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Dialect d = data[0] % 3 == 0 ? Dialect::kLogAnalytics : data[0] % 3 == 1 ? Dialect::kAdxV1 : Dialect::kAdxV2;
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  ResponseReader reader(body, d, 4096);
  const Summary& s = reader.summary();
  if (!s.malformed.empty() && !s.primary.empty()) std::abort();
  ResponseReader::Row row;
  size_t n = 0;
  while (reader.next(row)) {
    if (++n > 100000) std::abort();  // every row consumes input
    if (!row.error.empty()) continue;
    const auto& cols = s.tables.at(row.table).columns;
    std::string object = "{";
    size_t i = 0;
    for (auto v : row.values) {
      const Type t = i < cols.size() ? cols[i].type : Type::kUnknown;
      Value out;
      convert(v, t, out);
      if (out.kind == Value::kText && !sqlhunt::json::is_valid_utf8(out.text)) std::abort();
      if (out.json_text && !nlohmann::json::accept(out.text)) std::abort();
      if (out.ticks && parse_ticks(iso_ticks(*out.ticks)) != out.ticks) std::abort();
      if (i) object += ",";
      sqlhunt::json::append_string(object, i < cols.size() ? cols[i].name : "c");
      object += ":";
      append_json(object, v, t);
      ++i;
    }
    object += "}";
    if (!nlohmann::json::accept(object)) std::abort();
  }
  if (!sqlhunt::json::is_valid_utf8(error_message(body))) std::abort();
  if (auto lit = string_literal(body)) {
    if (lit->size() < body.size() + 2 || lit->front() != '"' || lit->back() != '"') std::abort();
  }
  (void)identifier(body);
  return 0;
}
