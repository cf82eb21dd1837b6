// libFuzzer target for vtabs/alerts: any bytes, read as an alert export of any shape,
// give records without crashing or reading out of bounds; every record that was read
// whole has valid JSON in `json`, and its normalised JSON columns are valid JSON; every
// Entities text resolves to entities with finite, valid JSON properties. Reading on
// after damage (core/json_scan.h) invents nothing: a record read whole from JSON stands
// in the input as one run of bytes (blanks aside).
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/record_stream.h"
#include "vtabs/alerts/alert.h"
#include "vtabs/alerts/entities.h"

namespace {
void check_json(const std::optional<std::string>& text) {
  if (text && !nlohmann::json::accept(*text)) std::abort();
}

// Whether a line inside an element of the array `text` (valid JSON) starts with a
// bracket at or left of the column the element's own first line starts at. No
// pretty-printer writes that, and core/json_scan.h reads it as damage (the next
// element's '{', or the element's own closing line with brackets still open), so the
// exactness oracle below leaves such input out.
// `text` without blanks (space, tab, CR, LF), inside strings too: a record's compact
// text and the input it came from compare equal that way whatever their layout.
std::string without_blanks(std::string_view text) {
  std::string out;
  for (const char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out.push_back(c);
  return out;
}

bool outdented_bracket(std::string_view text) {
  int depth = 0, col = 0, element_col = -1;
  bool in_string = false, escaped = false, line_start = true;
  for (const char c : text) {
    if (in_string) {  // valid JSON: no line break inside a string
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '\n') {
      col = 0, line_start = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      if (line_start) ++col;
      continue;
    }
    const bool starts_line = line_start;
    line_start = false;
    const bool outdented = starts_line && element_col >= 0 && col <= element_col;
    if (c == '{' || c == '[') {
      if (depth == 1) element_col = starts_line ? col : -1;  // an element opens
      else if (depth >= 2 && outdented) return true;
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth >= 3 && outdented) return true;
      --depth;
    } else if (c == '"') {
      in_string = true;
    }
  }
  return false;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto reader = sqlhunt::records::Reader::from_string(text, 4096);
  sqlhunt::records::Record r;
  int n = 0;
  const std::string input_bytes = without_blanks(text);
  while (reader->next(r)) {
    if (++n > 100000) std::abort();  // every record consumes input: no endless loop
    if (!r.json.empty() && !nlohmann::json::accept(r.json)) std::abort();
    // CSV cells and Log Analytics rows are made into objects here; JSON records are
    // the input's own bytes.
    const auto shape = reader->shape();
    if (!r.json.empty() && shape != sqlhunt::records::Shape::kCsv &&
        shape != sqlhunt::records::Shape::kLogAnalytics && input_bytes.find(without_blanks(r.json)) == std::string::npos)
      std::abort();
    const auto a = sqlhunt::alerts::normalise(r);
    check_json(a.entities);
    check_json(a.extended_properties);
    check_json(a.tactics);
    check_json(a.techniques);
    check_json(a.remediation_steps);
    if (a.entities) {
      for (const auto& e : sqlhunt::alerts::parse_entities(*a.entities).entities)
        if (!nlohmann::json::accept(e.properties)) std::abort();
    }
  }
  // Oracle: when nlohmann reads the whole input as an array of objects, the streaming
  // scanner must cut it into exactly those objects (same values, same order), unless
  // its indentation says otherwise (outdented_bracket). nlohmann's lexer takes a NUL
  // byte for the end of the input ("[]\0junk" is an empty array to it), so input with
  // one is left out too.
  if (size < 3500 && text.find('\0') == std::string_view::npos && !outdented_bracket(text)) {
    const auto doc = nlohmann::ordered_json::parse(text, nullptr, false);
    bool objects = !doc.is_discarded() && doc.is_array();
    if (objects)
      for (const auto& e : doc) objects = objects && e.is_object();
    if (objects) {
      auto again = sqlhunt::records::Reader::from_string(text, 4096);
      size_t i = 0;
      while (again->next(r)) {
        if (r.error.find("too deep") != std::string::npos) return 0;  // simdjson's depth limit
        if (i >= doc.size() || !r.error.empty()) std::abort();
        if (nlohmann::ordered_json::parse(r.json) != doc[i]) std::abort();
        ++i;
      }
      if (i != doc.size()) std::abort();
    }
  }
  // The whole input as an Entities text too.
  for (const auto& e : sqlhunt::alerts::parse_entities(text).entities)
    if (!nlohmann::json::accept(e.properties)) std::abort();
  return 0;
}
