// The envelopes of records::Reader: an object whose one array holds the records.
//   "value"    Microsoft Graph / OData answers: the elements are the records
//   "records"  Azure resource and diagnostic logs (NSG/VNet flow log blobs)
//   "tables"   the Log Analytics query API: only the first table (PrimaryResult) holds
//              the query's rows; each row (an array) becomes an object keyed by the
//              table's column names
#include <nlohmann/json.hpp>

#include "core/record_stream_impl.h"

namespace sqlhunt::records {
namespace {

using Json = nlohmann::ordered_json;

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    default: return "a number";
  }
}

}  // namespace

Shape Reader::Impl::enter_envelope(const std::string& key) {
  if (key != "value" && key != "records" && key != "tables") return Shape::kUnknown;
  scan->advance();  // the '['
  array_first = true;
  if (key == "tables") {
    tables_first = true;
    mode = Mode::kTablesArray;
    return Shape::kLogAnalytics;
  }
  mode = Mode::kEnvelopeArray;
  return key == "value" ? Shape::kGraph : Shape::kAzureRecords;
}

bool Reader::Impl::tables_step(Record& r) {
  array_first = tables_first;
  const int step = array_step(r, "the \"tables\" array", '{');
  tables_first = false;
  if (step < 0 || step == 2) {  // an error row; the file ends, or the array goes on
    if (step < 0) mode = Mode::kDone;
    return true;
  }
  if (step == 0) {
    mode = Mode::kTopKeys;
    return false;
  }
  if (scan->peek_nonblank() != '{') {
    if (table_index == 0) {
      r.line = scan->line();
      r.error = "a table in \"tables\" is not an object";
      scan->read_value(nullptr, 0);
      ++table_index;
      return true;
    }
    scan->read_value(nullptr, 0);
    return false;
  }
  if (table_index > 0) {
    // Only the first table (PrimaryResult) holds the query's rows.
    scan->read_value(nullptr, 0);
    ++table_index;
    return false;
  }
  scan->advance();
  object_first = true;
  have_columns = false;
  columns.clear();
  mode = Mode::kTableKeys;
  return false;
}

bool Reader::Impl::table_keys_step(Record& r) {
  std::string key;
  const int k = key_step(r, key, nullptr);
  if (k < 0) {
    mode = Mode::kDone;
    return true;
  }
  if (k == 0) {
    ++table_index;
    mode = Mode::kTablesArray;
    return false;
  }
  if (key == "columns") {
    read_columns(r);
    return !r.error.empty();
  }
  if (key == "rows" && scan->peek_nonblank() == '[') {
    if (!have_columns) {
      r.line = scan->line();
      r.error = "the table's \"rows\" come before (or without) its \"columns\": its rows are not read";
      scan->read_value(nullptr, 0);
      return true;
    }
    scan->advance();
    array_first = true;
    mode = Mode::kRows;
    return false;
  }
  scan->read_value(nullptr, 0);
  return false;
}

bool Reader::Impl::top_keys_step(Record& r) {
  std::string key;
  const int k = key_step(r, key, nullptr);
  if (k < 0) {
    mode = Mode::kDone;
    return true;
  }
  if (k == 0) {
    mode = Mode::kTrailing;
    return false;
  }
  scan->read_value(nullptr, 0);
  return false;
}

// A row of a Log Analytics table (r.json, an array), as an object keyed by the column
// names.
void Reader::Impl::row_to_object(Record& r) {
  Json row;
  try {
    row = Json::parse(r.json);
  } catch (const std::exception& e) {
    r.error = "not valid JSON: " + json::exception_message(e);
    r.json.clear();
    return;
  }
  if (!row.is_array()) {
    r.error = std::string("a row is not an array (") + type_name(row) + ")";
    r.json.clear();
    return;
  }
  std::string mismatch;
  if (row.size() != columns.size())
    mismatch = "row has " + std::to_string(row.size()) + " values, the table has " +
               std::to_string(columns.size()) + " columns";
  Json obj = Json::object();
  for (size_t i = 0; i < row.size(); ++i) {
    const std::string name = i < columns.size() ? columns[i] : "column" + std::to_string(i + 1);
    obj[name] = std::move(row[i]);
  }
  r.json = obj.dump(-1, ' ', false, Json::error_handler_t::replace);
  parse_object(r);
  if (!mismatch.empty()) r.error = r.error.empty() ? mismatch : mismatch + "; " + r.error;
}

void Reader::Impl::read_columns(Record& r) {
  std::string text;
  const uint64_t at = scan->line();
  const json::Read st = scan->read_value(&text, max_record);
  columns.clear();
  have_columns = false;
  try {
    if (st != json::Read::kOk) throw std::runtime_error("unreadable");
    const Json cols = Json::parse(text);
    for (const auto& c : cols) {
      if (c.is_object() && c.contains("name") && c["name"].is_string()) columns.push_back(c["name"].get<std::string>());
      else if (c.is_string()) columns.push_back(c.get<std::string>());
      else throw std::runtime_error("a column has no name");
    }
    have_columns = true;
  } catch (const std::exception& e) {
    r.line = at;
    r.error = "the table's \"columns\" cannot be read (" + json::exception_message(e) + ")";
  }
}

}  // namespace sqlhunt::records
