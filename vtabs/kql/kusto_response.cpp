// vtabs/kql/kusto_response.cpp — reading the Kusto answers (Log Analytics' tables, ADX's
// v1 and v2 frames) into rows, streamed (kusto_response.h). A little over 500 lines
// because the three shapes share one cell reader and its error and cut-off rules;
// splitting them would put those rules in three places.
#include "vtabs/kql/kusto_response.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "core/error.h"
#include "core/file_source.h"
#include "core/json_scan.h"
#include "core/json_text.h"
#include "core/text.h"

namespace sqlhunt::kql {
namespace {

using ET = simdjson::dom::element_type;

constexpr size_t kSmallCap = 1u << 20;  // columns, error sections, frame fields

bool key_is(std::string_view key, std::string_view name) { return text::iequals(key, name); }

// Element `i` of `row`; nullopt when the row is shorter.
std::optional<simdjson::dom::element> cell(simdjson::dom::array row, int i) {
  simdjson::dom::element e;
  if (i < 0 || row.at(static_cast<size_t>(i)).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

std::string element_text(std::optional<simdjson::dom::element> o) {
  if (!o || o->type() == ET::NULL_VALUE) return std::string();
  const simdjson::dom::element e = *o;
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(e);
}

// Collects "code" and "message" strings of a OneAPI error, outside in.
void collect(simdjson::dom::element e, std::vector<std::string>& messages, std::string& code) {
  simdjson::dom::array a;
  if (e.get_array().get(a) == simdjson::SUCCESS) {
    for (auto x : a) collect(x, messages, code);
    return;
  }
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return;
  for (auto field : o) {
    const std::string_view k = field.key;
    std::string_view s;
    if ((k == "message" || k == "@message" || k == "error_description" || k == "Message") &&
        field.value.get_string().get(s) == simdjson::SUCCESS) {
      const std::string m(text::trim(s));
      if (!m.empty() && std::find(messages.begin(), messages.end(), m) == messages.end()) messages.push_back(m);
    } else if ((k == "code" || k == "error") && code.empty() && field.value.get_string().get(s) == simdjson::SUCCESS) {
      code.assign(s);
    }
  }
  for (auto field : o)
    if (field.value.type() == ET::OBJECT || field.value.type() == ET::ARRAY) collect(field.value, messages, code);
}

std::string join_messages(simdjson::dom::element e) {
  std::vector<std::string> messages;
  std::string code;
  collect(e, messages, code);
  std::string out = code;
  for (const auto& m : messages) {
    if (!out.empty()) out += ": ";
    out += m;
  }
  return out;
}

}  // namespace

const char* dialect_name(Dialect d) {
  switch (d) {
    case Dialect::kLogAnalytics: return "Log Analytics";
    case Dialect::kAdxV1: return "ADX v1";
    case Dialect::kAdxV2: return "ADX v2";
  }
  return "?";
}

bool names_result_limit(std::string_view t) {
  for (std::string_view marker : {"E_QUERY_RESULT_SET_TOO_LARGE", "80DA0003", "-2133196797", "ResponseSizeError",
                                  "Response size too large", "result set has exceeded"})
    if (t.find(marker) != std::string_view::npos) return true;
  return false;
}

std::string error_message(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(body.data(), body.size()).get(e) == simdjson::SUCCESS) {
    std::string m = join_messages(e);
    if (!m.empty()) return cut_message(m, 1000);
  }
  // Not JSON (an HTML error page, bytes): shown as text, repaired to UTF-8 (the message
  // ends up in an SQL error, which a client decodes as UTF-8).
  std::string text;
  json::append_valid_utf8(text, text::trim(body));
  return cut_message(std::move(text), 300);
}

struct ResponseReader::Impl {
  std::string_view body;
  Dialect dialect;
  size_t max_row;
  Summary summary;
  simdjson::dom::parser parser;  // rows, keys and small values
  std::vector<std::string> errors;  // error texts found (raw JSON or messages)

  // The reader of the current pass.
  std::unique_ptr<files::ByteReader> bytes;
  std::unique_ptr<files::ReadBuffer> buf;
  std::unique_ptr<json::Scanner> scan;

  // Rows (pass two).
  size_t primary_at = 0, fragment_at = 0;
  bool in_fragment = false, fragment_first = true;
  uint64_t row_index = 0;
  std::string row_text;

  // Positions the scanner at `offset` of the body.
  void open_at(uint64_t offset) {
    if (!bytes) {
      bytes = std::make_unique<files::ByteReader>(body, "response");
      buf = std::make_unique<files::ReadBuffer>(*bytes, 64u << 10, max_row + 16);
    }
    bytes->seek(offset);
    buf->restart(offset);
    scan = std::make_unique<json::Scanner>(*buf);
  }

  // Why a value or row (`what`) could not be read: cut short, or not JSON.
  static std::string unreadable(json::Read r, const char* what) {
    if (r == json::Read::kTruncated || r == json::Read::kEnd)
      return std::string("the answer ends inside ") + what + " (cut short?)";
    return std::string("not valid JSON in ") + what + ": " + json::describe(r);
  }
  [[noreturn]] void fail(const std::string& why) {
    throw Error(why + " (at byte " + std::to_string(buf->offset()) + ")");
  }
  bool take(char c) {
    if (scan->peek_nonblank() != c) return false;
    scan->advance();
    return true;
  }
  void expect(char c, const char* what) {
    if (!take(c)) fail(std::string("expected ") + what + ", found " + json::shown_char(scan->peek_nonblank()));
  }
  void skip() {
    const json::Read r = scan->read_value(nullptr, 0);
    if (r != json::Read::kOk) fail(unreadable(r, "a value"));
  }
  // A small value (a key, columns, an error section), parsed.
  simdjson::dom::element small(std::string& text) {
    text.clear();
    const json::Read r = scan->read_value(&text, kSmallCap);
    if (r == json::Read::kTooLong) fail("a value is longer than " + std::to_string(kSmallCap) + " bytes");
    if (r != json::Read::kOk) fail(unreadable(r, "a value"));
    simdjson::dom::element e;
    if (parser.parse(text).get(e)) fail("not valid JSON: " + json::why_not_json(text, "unreadable value"));
    return e;
  }
  std::string key() {
    std::string t;
    if (scan->peek_nonblank() != '"') fail("expected an object key, found " + json::shown_char(scan->peek_nonblank()));
    const simdjson::dom::element e = small(t);
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS) fail("an object key is no string");
    return std::string(s);
  }
  // Walks an object, calling on_key(key) for each member; on_key consumes the value.
  void object(const std::function<void(const std::string&)>& on_key) {
    expect('{', "'{'");
    if (take('}')) return;
    for (;;) {
      const std::string k = key();
      expect(':', "':'");
      on_key(k);
      if (take(',')) continue;
      expect('}', "',' or '}'");
      return;
    }
  }
  void array(const std::function<void()>& on_element) {
    expect('[', "'['");
    if (take(']')) return;
    for (;;) {
      on_element();
      if (take(',')) continue;
      expect(']', "',' or ']'");
      return;
    }
  }
  // The '[' of a rows array: its offset is kept and the array skipped.
  uint64_t rows_here() {
    if (scan->peek_nonblank() != '[') fail("the rows are not an array");
    const uint64_t at = buf->offset();
    skip();
    return at;
  }
  std::vector<ColumnInfo> columns(simdjson::dom::element e) {
    std::vector<ColumnInfo> out;
    simdjson::dom::array a;
    if (e.get_array().get(a)) fail("the columns are not an array");
    for (auto c : a) {
      ColumnInfo ci;
      std::string_view s;
      if (c.get_string().get(s) == simdjson::SUCCESS) {
        ci.name.assign(s);
      } else if (c.type() == ET::OBJECT) {
        std::string type, data_type;
        simdjson::dom::object obj;
        if (c.get_object().get(obj) != simdjson::SUCCESS) fail("a column is no object");
        for (auto f : obj) {
          if (f.value.get_string().get(s) != simdjson::SUCCESS) continue;
          if (key_is(f.key, "name") || key_is(f.key, "ColumnName")) ci.name.assign(s);
          else if (key_is(f.key, "type") || key_is(f.key, "ColumnType")) type.assign(s);
          else if (key_is(f.key, "DataType")) data_type.assign(s);
        }
        ci.type_name = !type.empty() ? type : data_type;
        ci.type = parse_type(ci.type_name);
        if (ci.type == Type::kUnknown && !data_type.empty()) ci.type = parse_type(data_type);
      } else {
        fail("a column is neither a name nor an object");
      }
      out.push_back(std::move(ci));
    }
    return out;
  }

  // One table object of a "tables" (Log Analytics) or "Tables" (ADX v1) array.
  void table_object() {
    TableInfo t;
    std::string text;
    object([&](const std::string& k) {
      if (key_is(k, "name") || key_is(k, "TableName")) {
        t.name = element_text(small(text));
      } else if (key_is(k, "columns")) {
        t.columns = columns(small(text));
      } else if (key_is(k, "rows")) {
        t.fragments.push_back(rows_here());
      } else if (key_is(k, "Exceptions")) {  // v1: an error after the rows began
        errors.push_back(simdjson::minify(small(text)));
        summary.partial = true;
      } else {
        skip();
      }
    });
    summary.tables.push_back(std::move(t));
  }

  void walk_tables_envelope() {
    std::string text;
    bool tables = false;
    object([&](const std::string& k) {
      if (key_is(k, "tables")) {
        tables = true;
        array([&] { table_object(); });
      } else if (key_is(k, "error")) {
        const auto e = small(text);
        errors.push_back(join_messages(e));
        errors.push_back(text);
        summary.partial = true;
      } else {
        skip();
      }
    });
    if (scan->peek_nonblank() >= 0) fail("more follows the answer's object");
    if (!tables && !summary.partial) fail("no \"tables\" in the answer");
  }

  void walk_frames() {
    bool completion = false;
    array([&] {
      std::string text, type, kind, name, fragment_type;
      int64_t id = -1;
      std::vector<ColumnInfo> cols;
      std::vector<uint64_t> rows;
      bool has_errors = false, cancelled = false;
      object([&](const std::string& k) {
        if (k == "FrameType") type = element_text(small(text));
        else if (k == "TableKind") kind = element_text(small(text));
        else if (k == "TableName") name = element_text(small(text));
        else if (k == "TableFragmentType") fragment_type = element_text(small(text));
        else if (k == "TableId") {
          int64_t v;
          if (small(text).get_int64().get(v) == simdjson::SUCCESS) id = v;
        } else if (k == "Columns") {
          cols = columns(small(text));
        } else if (k == "Rows") {
          rows.push_back(rows_here());
        } else if (k == "HasErrors") {
          bool b;
          has_errors = small(text).get_bool().get(b) == simdjson::SUCCESS && b;
        } else if (k == "Cancelled") {
          bool b;
          cancelled = small(text).get_bool().get(b) == simdjson::SUCCESS && b;
        } else if (k == "OneApiErrors") {
          const auto e = small(text);
          errors.push_back(join_messages(e));
          errors.push_back(text);
        } else {
          skip();
        }
      });
      if (type == "DataTable" || type == "TableHeader") {
        TableInfo t;
        t.name = name;
        t.kind = kind;
        t.id = id;
        t.columns = std::move(cols);
        t.fragments = std::move(rows);
        summary.tables.push_back(std::move(t));
      } else if (type == "TableFragment") {
        auto it = std::find_if(summary.tables.begin(), summary.tables.end(),
                               [&](const TableInfo& t) { return t.id == id; });
        if (it == summary.tables.end()) fail("a TableFragment names a table (" + std::to_string(id) + ") with no header");
        if (fragment_type == "DataReplace") it->fragments.clear();
        for (auto r : rows) it->fragments.push_back(r);
      } else if (type == "DataSetCompletion") {
        completion = true;
        if (has_errors || cancelled) summary.partial = true;
        if (cancelled) errors.push_back("the query was cancelled before it completed");
      }
    });
    if (scan->peek_nonblank() >= 0) fail("more follows the answer's frames");
    if (!completion) {
      summary.partial = true;
      errors.push_back("the answer ends without its DataSetCompletion frame (cut short?)");
    }
  }

  // Calls on_row(values) for every row of table `t` (small tables: status, contents).
  void each_row(const TableInfo& t, const std::function<void(simdjson::dom::array)>& on_row) {
    for (uint64_t at : t.fragments) {
      open_at(at);
      std::string text;
      array([&] {
        text.clear();
        if (scan->read_value(&text, kSmallCap) != json::Read::kOk) fail("a status row cannot be read");
        simdjson::dom::element e;
        simdjson::dom::array a;
        if (parser.parse(text).get(e) || e.get_array().get(a)) return;
        on_row(a);
      });
    }
  }

  int column_index(const TableInfo& t, std::string_view name) {
    for (size_t i = 0; i < t.columns.size(); ++i)
      if (key_is(t.columns[i].name, name)) return static_cast<int>(i);
    return -1;
  }

  // Errors in a QueryStatus (v1) or QueryCompletionInformation (v2) table: rows whose
  // severity (Severity / Level) is 2 (Error) or less (Critical).
  void read_status(const TableInfo& t) {
    const int level = std::max(column_index(t, "Severity"), column_index(t, "Level"));
    const int desc = std::max(column_index(t, "StatusDescription"), column_index(t, "Payload"));
    if (level < 0) return;
    each_row(t, [&](simdjson::dom::array row) {
      int64_t sev = 99;
      const auto lv = cell(row, level);
      if (!lv || lv->get_int64().get(sev) != simdjson::SUCCESS || sev > 2) return;
      summary.partial = true;
      std::string m = desc >= 0 ? element_text(cell(row, desc)) : "error";
      // v2 Payload is JSON text ({"Text": ...}) or plain text.
      simdjson::dom::parser p;
      simdjson::dom::element pe;
      std::string_view txt;
      if (!m.empty() && m.front() == '{' && p.parse(m).get(pe) == simdjson::SUCCESS &&
          pe["Text"].get_string().get(txt) == simdjson::SUCCESS)
        m.assign(txt);
      errors.push_back(m);
    });
  }

  void classify() {
    auto& tables = summary.tables;
    if (dialect == Dialect::kLogAnalytics) {
      // Every table of the answer is a result (PrimaryResult, and more for batches).
      for (size_t i = 0; i < tables.size(); ++i) {
        if (tables[i].kind.empty()) tables[i].kind = "PrimaryResult";
        summary.primary.push_back(i);
      }
    } else if (dialect == Dialect::kAdxV1) {
      if (tables.size() <= 2) {
        if (!tables.empty()) tables[0].kind = "PrimaryResult", summary.primary.push_back(0);
        if (tables.size() == 2) tables[1].kind = "QueryProperties";
      } else {
        TableInfo& toc = tables.back();
        toc.kind = "TableOfContents";
        const int kind = column_index(toc, "Kind"), name = column_index(toc, "Name");
        if (kind < 0) throw Error("the last table is no table of contents (no Kind column)");
        size_t i = 0;
        each_row(toc, [&](simdjson::dom::array row) {
          if (i + 1 >= tables.size()) return;
          const std::string k = element_text(cell(row, kind));
          tables[i].kind = k == "QueryResult" ? "PrimaryResult" : k;
          if (name >= 0) tables[i].name = element_text(cell(row, name));
          ++i;
        });
        for (size_t t = 0; t + 1 < tables.size(); ++t) {
          if (tables[t].kind == "PrimaryResult") summary.primary.push_back(t);
          if (tables[t].kind == "QueryStatus") read_status(tables[t]);
        }
      }
    } else {
      for (size_t t = 0; t < tables.size(); ++t) {
        if (tables[t].kind == "PrimaryResult") summary.primary.push_back(t);
        if (tables[t].kind == "QueryCompletionInformation") read_status(tables[t]);
      }
    }
  }

  void first_pass() {
    try {
      open_at(0);
      scan->skip_bom();
      if (dialect == Dialect::kAdxV2) walk_frames();
      else walk_tables_envelope();
      classify();
    } catch (const Error& e) {
      summary.malformed = std::string("not a ") + dialect_name(dialect) + " answer: " + e.what();
      summary.primary.clear();
    }
    if (summary.partial) {
      std::string all;
      for (const auto& e : errors) all += e + "\n";
      summary.truncated = names_result_limit(all);
      // The messages (the even entries after join_messages are raw JSON: skip those).
      for (const auto& e : errors) {
        if (e.empty() || e.front() == '{' || e.front() == '[') continue;
        if (summary.message.find(e) != std::string::npos) continue;
        if (!summary.message.empty()) summary.message += "; ";
        summary.message += e;
      }
      if (summary.message.empty()) summary.message = "the server reported errors";
      summary.message = cut_message(summary.message, 2000);
    }
  }

  bool next(Row& row) {
    for (;;) {
      if (!summary.malformed.empty() || primary_at >= summary.primary.size()) return false;
      const TableInfo& t = summary.tables[summary.primary[primary_at]];
      if (!in_fragment) {
        if (fragment_at >= t.fragments.size()) {
          ++primary_at, fragment_at = 0, row_index = 0;
          continue;
        }
        open_at(t.fragments[fragment_at]);
        expect('[', "'['");
        in_fragment = true;
        fragment_first = true;
      }
      if (take(']')) {
        in_fragment = false;
        ++fragment_at;
        continue;
      }
      if (!fragment_first) expect(',', "',' or ']'");
      fragment_first = false;
      row_text.clear();
      const json::Read r = scan->read_value(&row_text, max_row);
      row.table = summary.primary[primary_at];
      row.index = row_index++;
      row.error.clear();
      row.values = simdjson::dom::array();
      if (r == json::Read::kTooLong) {
        row.error = "row longer than " + std::to_string(max_row) + " bytes: skipped";
        return true;
      }
      if (r != json::Read::kOk) fail(unreadable(r, "a row"));
      simdjson::dom::element e;
      if (parser.parse(row_text).get(e)) {
        row.error = "not valid JSON: " + json::why_not_json(row_text, "unreadable row");
      } else if (e.get_array().get(row.values)) {
        row.error = "a row is not an array";
      }
      return true;
    }
  }
};

ResponseReader::ResponseReader(std::string_view body, Dialect dialect, size_t max_row)
    : impl_(std::make_unique<Impl>()) {
  impl_->body = body;
  impl_->dialect = dialect;
  impl_->max_row = max_row;
  impl_->first_pass();
}

ResponseReader::~ResponseReader() = default;

const Summary& ResponseReader::summary() const { return impl_->summary; }

bool ResponseReader::next(Row& row) {
  try {
    return impl_->next(row);
  } catch (const Error& e) {
    // The first pass walked the same bytes, so this is a bug or memory trouble.
    impl_->summary.malformed = e.what();
    return false;
  }
}

}  // namespace sqlhunt::kql
