#include "vtabs/kql/kql_typed.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json_text.h"
#include "core/sql_function.h"
#include "core/text.h"
#include "core/time.h"
#include "vtabs/kql/kql_scan.h"
#include "vtabs/kql/kql_text.h"

namespace sqlhunt::kql {
namespace {

using vtab::Column;

void result_value(sqlite3_context* ctx, const Value& v) {
  switch (v.kind) {
    case Value::kNull: return sqlite3_result_null(ctx);
    case Value::kInteger: return sqlite3_result_int64(ctx, v.i);
    case Value::kReal: return sqlite3_result_double(ctx, v.d);
    case Value::kText: return sqlfn::result_text_valid(ctx, v.text);
  }
}

// A column of a typed table: what SQL sees and what the answer calls it.
struct TypedColumn {
  std::string name;     // in SQL (unique without regard to case)
  std::string source;   // in the answer ("" for workspace_id / warning)
  Type type = Type::kUnknown;
  std::string doc;
  unsigned flags = vtab::kPlain;
};

// The spec of one typed table, owning its strings.
struct OwnedSpec {
  std::vector<TypedColumn> columns;
  std::vector<Column> spec_columns;
  int time_col = -1, workspace_col = -1, warning_col = -1;
  vtab::TableSpec spec{};

  void finish(const vtab::TableSpec& module) {
    spec_columns.clear();
    for (const auto& c : columns) spec_columns.push_back({c.name.c_str(), sqlite_type(c.type), c.flags, c.doc.c_str()});
    spec = module;
    spec.columns = spec_columns.data();
    spec.column_count = static_cast<int>(spec_columns.size());
  }
};

bool pushable(Type t) { return t == Type::kString || t == Type::kLong || t == Type::kInt || t == Type::kReal; }

// The columns as a stored table keeps them: [{"name": ..., "type": ...}] (any name).
std::string columns_json(const std::vector<ColumnInfo>& cols) {
  std::string j = "[";
  for (size_t i = 0; i < cols.size(); ++i) {
    j += i ? ",{\"name\":" : "{\"name\":";
    json::append_string(j, cols[i].name);
    j += ",\"type\":";
    json::append_string(j, type_name(cols[i].type));
    j += "}";
  }
  return j + "]";
}

// 'Name:type, Name2:type2' (KQL's schema syntax), or the JSON columns_json() writes ->
// columns.
std::vector<ColumnInfo> parse_columns(const std::string& text) {
  std::vector<ColumnInfo> out;
  if (text::trim(text).substr(0, 1) == "[") {
    simdjson::dom::parser p;
    simdjson::dom::element e;
    simdjson::dom::array a;
    if (p.parse(text).get(e) || e.get_array().get(a)) throw Error("columns: not a JSON array of {name, type}");
    for (auto c : a) {
      std::string_view name, type;
      if (c["name"].get_string().get(name) || c["type"].get_string().get(type))
        throw Error("columns: every element needs a name and a type");
      ColumnInfo ci{std::string(name), parse_type(type), std::string(type)};
      if (ci.name.empty() || ci.type == Type::kUnknown)
        throw Error("columns: '" + cut_message(ci.name + ":" + ci.type_name, 60) + "' has no Kusto type");
      out.push_back(std::move(ci));
    }
    if (out.empty()) throw Error("columns: no column given");
    return out;
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view part = text::trim(rest.substr(0, comma));
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    if (part.empty()) continue;
    const size_t colon = part.rfind(':');
    ColumnInfo c;
    c.name = std::string(text::trim(part.substr(0, colon == std::string_view::npos ? part.size() : colon)));
    c.type_name = colon == std::string_view::npos ? "string" : std::string(text::trim(part.substr(colon + 1)));
    c.type = parse_type(c.type_name);
    if (c.name.size() > 2 && c.name.front() == '[' && c.name.back() == ']') c.name = sql_unquote(c.name.substr(1, c.name.size() - 2));
    if (c.name.empty() || c.type == Type::kUnknown)
      throw Error("columns: '" + cut_message(std::string(part), 60) +
                  "' is not 'Name:type' with a Kusto type (string, datetime, long, int, real, bool, dynamic, guid, "
                  "timespan, decimal)");
    out.push_back(std::move(c));
  }
  if (out.empty()) throw Error("columns: no column given");
  return out;
}

// The answer's columns: from `columns=`, else from the server (`query | take 0`).
std::vector<ColumnInfo> learn_columns(const Setup& s, const Params& params) {
  if (auto it = params.find("columns"); it != params.end()) return parse_columns(it->second);
  auto fetcher = make_fetcher(s);
  const std::string kql = append_clauses(s.query, {"take 0"});
  auto replies = fetcher->fetch({FetchRequest{0, kql}});
  const FetchReply& r = replies.at(0);
  if (r.kind == FetchReply::kOffline)
    throw Error("the columns of a typed table come from the server, and sqlhunt is offline: give them with "
                "columns='Name:type, ...'");
  if (r.kind != FetchReply::kBody) throw Error(r.detail);
  ResponseReader reader(r.body, fetcher->dialect());
  const Summary& sum = reader.summary();
  if (!sum.malformed.empty()) throw Error("the answer cannot be read: " + sum.malformed);
  if (sum.partial) throw Error("the server reported errors while describing the query: " + sum.message);
  if (sum.primary.empty()) throw Error("the query returns no table");
  return sum.tables[sum.primary[0]].columns;
}

std::unique_ptr<OwnedSpec> typed_spec(const vtab::TableSpec& module, const std::vector<ColumnInfo>& answer,
                                      const std::optional<std::string>& time_column, bool with_workspace) {
  auto o = std::make_unique<OwnedSpec>();
  std::set<std::string> taken;  // lower-cased: SQLite's names ignore case
  auto unique = [&](std::string name) {
    std::string n = name;
    for (int k = 2; taken.count(text::ascii_lower(n)); ++k) n = name + "_" + std::to_string(k);
    taken.insert(text::ascii_lower(n));
    return n;
  };
  for (const auto& c : answer) {
    TypedColumn t;
    t.source = c.name;
    t.name = unique(c.name);
    t.type = c.type;
    t.doc = std::string(type_name(c.type)) + " column " + c.name + " of the answer";
    if (pushable(c.type)) t.flags = vtab::kArgument | vtab::kBatch;
    o->columns.push_back(std::move(t));
  }
  // The time column: named, else TimeGenerated, else the first datetime.
  int time_col = -1;
  for (int i = 0; i < static_cast<int>(answer.size()); ++i) {
    const auto& c = answer[static_cast<size_t>(i)];
    if (time_column ? c.name == *time_column : c.name == "TimeGenerated" && c.type == Type::kDatetime) time_col = i;
  }
  if (time_column && time_col < 0) throw Error("time_column: the answer has no column '" + *time_column + "'");
  if (time_col >= 0 && answer[static_cast<size_t>(time_col)].type != Type::kDatetime)
    throw Error("time_column: '" + answer[static_cast<size_t>(time_col)].name + "' is no datetime column");
  if (time_col < 0)
    for (int i = 0; i < static_cast<int>(answer.size()) && time_col < 0; ++i)
      if (answer[static_cast<size_t>(i)].type == Type::kDatetime) time_col = i;
  if (time_col >= 0) {
    o->time_col = time_col;
    o->columns[static_cast<size_t>(time_col)].flags = vtab::kTime;
    o->columns[static_cast<size_t>(time_col)].doc += " (the time column: its bounds are pushed down)";
  }
  if (with_workspace) {
    o->workspace_col = static_cast<int>(o->columns.size());
    o->columns.push_back({taken.count("workspace_id") ? unique("kql_workspace_id") : unique("workspace_id"), "",
                          Type::kString, "the workspace the row came from", vtab::kPlain});
  }
  o->warning_col = static_cast<int>(o->columns.size());
  o->columns.push_back({taken.count("warning") ? unique("kql_warning") : unique("warning"), "", Type::kString,
                        "NULL; on a warning row, why rows are missing", vtab::kPlain});
  o->finish(module);
  return o;
}

class TypedTable;

class TypedCursor : public vtab::Cursor {
 public:
  explicit TypedCursor(const TypedTable& table);
  void filter(const vtab::FilterArgs& args) override;
  void next() override { advance(); }
  bool eof() const override { return eof_; }
  std::optional<int64_t> time_ms() const override;
  void column(sqlite3_context* ctx, int col) override;

 private:
  // Local equality filters (values no KQL literal can hold): column -> allowed texts.
  struct LocalFilter {
    int col;
    std::set<std::string> values;
  };
  bool push_values(int col, const vtab::Constraint& c, QuerySpec& spec);
  void advance();
  bool passes_local();
  void remap();
  bool cell(int col, Value& v) const;

  const TypedTable& table_;
  std::unique_ptr<Scan> scan_;
  OutRow row_;
  bool eof_ = true;
  std::vector<LocalFilter> local_;
  std::vector<int> map_;  // spec column -> index in the row's table (-1: absent)
  const TableInfo* mapped_ = nullptr;
  uint64_t mapped_part_ = 0;  // the answer map_ was made for (a pointer may be reused)
  Window window_;
};

class TypedTable : public vtab::Table {
 public:
  TypedTable(sqlite3* db, std::unique_ptr<OwnedSpec> owned, Params params, Setup setup, Params learned)
      : vtab::Table(db, owned->spec, std::move(params)), owned_(std::move(owned)), setup_(std::move(setup)),
        last_(last_run(db)), learned_(std::move(learned)) {}
  // owned->spec is on the heap: moving the pointer into owned_ keeps the base's
  // reference to it valid.
  std::unique_ptr<vtab::Cursor> open() override { return std::make_unique<TypedCursor>(*this); }

  const OwnedSpec& owned() const { return *owned_; }
  const Setup& setup() const { return setup_; }
  const std::shared_ptr<LastRun>& last() const { return last_; }
  // The columns learned from the server: kept with a stored table, so opening its
  // database again sends nothing.
  Params learned() const override { return learned_; }

 private:
  std::unique_ptr<OwnedSpec> owned_;
  Setup setup_;
  std::shared_ptr<LastRun> last_;
  Params learned_;
};

TypedCursor::TypedCursor(const TypedTable& table) : table_(table) {}

// The KQL literals for `col = value` / `col IN (...)`; false when a value needs local
// filtering. An empty literal list (no value can match) is left in `spec` and means
// nothing is sent.
bool TypedCursor::push_values(int col, const vtab::Constraint& c, QuerySpec& spec) {
  const TypedColumn& tc = table_.owned().columns[static_cast<size_t>(col)];
  Condition cond;
  cond.column = tc.source;
  LocalFilter local{col, {}};
  bool local_needed = false;
  // One value of `col = v` / `col IN (...)` (read at once: SQLite reuses an IN list's
  // value objects).
  auto add = [&](sqlite3_value* v) {
    const int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL || type == SQLITE_BLOB) return;  // equals no stored value
    if (tc.type == Type::kString) {
      // A number compared with a TEXT column is compared as its text (column affinity).
      const std::string t(sqlfn::text_arg(v));
      local.values.insert(t);
      if (auto lit = string_literal(t)) cond.literals.push_back(*lit);
      else if (json::is_valid_utf8(t)) local_needed = true;  // a control character: filtered here
      return;
    }
    // long, int, real: a text value is taken as the number it reads as (numeric
    // affinity); one that is no number equals no stored number.
    double d = 0;
    int64_t i = 0;
    bool is_int = false;
    if (type == SQLITE_INTEGER) {
      i = sqlite3_value_int64(v), is_int = true;
    } else if (type == SQLITE_FLOAT) {
      d = sqlite3_value_double(v);
    } else {
      const std::string t(text::trim(sqlfn::text_arg(v)));
      char* end = nullptr;
      errno = 0;
      const long long ll = std::strtoll(t.c_str(), &end, 10);
      if (!t.empty() && end == t.c_str() + t.size() && errno == 0) {
        i = ll, is_int = true;
      } else {
        d = std::strtod(t.c_str(), &end);
        if (t.empty() || end != t.c_str() + t.size()) return;
      }
    }
    if (is_int) {
      cond.literals.push_back(long_literal(i));
    } else if (tc.type == Type::kReal) {
      cond.literals.push_back(real_literal(d));
    } else if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      cond.literals.push_back(long_literal(static_cast<int64_t>(d)));
    }  // else: a fraction never equals a long
  };
  if (c.batch) {
    sqlite3_value* v = nullptr;
    for (int rc = sqlite3_vtab_in_first(c.value, &v); rc == SQLITE_OK && v; rc = sqlite3_vtab_in_next(c.value, &v))
      add(v);
  } else {
    add(c.value);
  }
  // IN lists may repeat a value; KQL needs it once (first occurrences, in order).
  std::set<std::string> seen;
  std::vector<std::string> once;
  for (auto& l : cond.literals)
    if (seen.insert(l).second) once.push_back(std::move(l));
  cond.literals = std::move(once);
  if (local_needed) {
    local_.push_back(std::move(local));
    return false;
  }
  spec.where.push_back(std::move(cond));
  return true;
}

void TypedCursor::filter(const vtab::FilterArgs& args) {
  scan_.reset();
  local_.clear();
  mapped_ = nullptr;
  mapped_part_ = 0;
  row_ = OutRow();
  eof_ = true;
  window_ = Window();
  const OwnedSpec& o = table_.owned();
  QuerySpec spec;
  spec.query = table_.setup().query;
  if (o.time_col >= 0) spec.time_column = o.columns[static_cast<size_t>(o.time_col)].source;
  bool exact = true, nothing = false;
  for (const auto& c : args.constraints()) {
    if (c.column == o.time_col) {
      nothing |= sqlite3_value_type(c.value) == SQLITE_NULL;
      continue;
    }
    if (c.column < 0 || c.column >= static_cast<int>(o.columns.size())) continue;
    if (!(o.columns[static_cast<size_t>(c.column)].flags & vtab::kArgument)) continue;
    exact &= push_values(c.column, c, spec);
  }
  for (const auto& cond : spec.where) nothing |= cond.literals.empty();
  if (o.time_col >= 0) {
    // Exact tick bounds for the instants SQL names (kql_text.h: a time is cut to the ms).
    const auto r = args.time_range(o.time_col);
    if (r.lower) {
      const int64_t ms = timefmt::epoch_ms_from_seconds(*r.lower);
      window_.lo = (ms + (r.lower_strict ? 1 : 0)) * kTicksPerMs;
    }
    if (r.upper) {
      const int64_t ms = timefmt::epoch_ms_from_seconds(*r.upper);
      window_.hi = (ms + (r.upper_strict ? 0 : 1)) * kTicksPerMs;
    }
    if (window_.lo && window_.hi && *window_.lo >= *window_.hi) nothing = true;
  }
  if (nothing) {
    table_.last()->record_empty();
    return;
  }
  spec.window = window_;
  if (exact) spec.take = args.limit();
  scan_ = std::make_unique<Scan>(table_.setup(), std::move(spec), table_.last());
  eof_ = false;
  advance();
}

void TypedCursor::remap() {
  mapped_ = row_.table;
  mapped_part_ = row_.part;
  const OwnedSpec& o = table_.owned();
  map_.assign(o.columns.size(), -1);
  for (size_t i = 0; i < o.columns.size(); ++i) {
    if (o.columns[i].source.empty()) continue;
    for (size_t k = 0; k < mapped_->columns.size(); ++k)
      if (mapped_->columns[k].name == o.columns[i].source) map_[i] = static_cast<int>(k);
  }
}

bool TypedCursor::cell(int col, Value& v) const {
  v = Value();
  if (!row_.table || !row_.row_error.empty() || map_[static_cast<size_t>(col)] < 0) return false;
  simdjson::dom::element e;
  if (row_.values.at(static_cast<size_t>(map_[static_cast<size_t>(col)])).get(e) != simdjson::SUCCESS) return false;
  const Type t = mapped_->columns[static_cast<size_t>(map_[static_cast<size_t>(col)])].type;
  convert(e, t == Type::kUnknown ? table_.owned().columns[static_cast<size_t>(col)].type : t, v);
  return true;
}

bool TypedCursor::passes_local() {
  for (const auto& f : local_) {
    Value v;
    if (!cell(f.col, v) || v.kind != Value::kText || !f.values.count(v.text)) return false;
  }
  return true;
}

void TypedCursor::advance() {
  while (scan_) {
    if (!scan_->next(row_)) {
      scan_.reset();
      eof_ = true;
      return;
    }
    if (!row_.table) return;          // a warning row
    if (row_.ordinal > 0) continue;   // a typed table shows the first result table
    if (row_.part != mapped_part_ || row_.table != mapped_) remap();
    if (!row_.row_error.empty()) return;  // shown with its warning
    if (passes_local()) return;
  }
  eof_ = true;
}

std::optional<int64_t> TypedCursor::time_ms() const {
  const OwnedSpec& o = table_.owned();
  if (!row_.table || !row_.row_error.empty()) {
    // A warning row must pass the time bounds the base applies: a time inside them.
    if (window_.lo) return floor_ms(*window_.lo);
    if (window_.hi) return floor_ms(*window_.hi - 1);
    return 0;
  }
  Value v;
  if (o.time_col < 0 || !const_cast<TypedCursor*>(this)->cell(o.time_col, v) || !v.ticks) return std::nullopt;
  return floor_ms(*v.ticks);
}

void TypedCursor::column(sqlite3_context* ctx, int col) {
  const OwnedSpec& o = table_.owned();
  if (col == o.workspace_col) return sqlfn::result_text(ctx, scan_ ? scan_->label(row_.source) : "");
  if (col == o.warning_col) {
    if (!row_.row_error.empty()) return sqlfn::result_text(ctx, "row " + std::to_string(row_.index) + ": " + row_.row_error);
    if (row_.table) return sqlite3_result_null(ctx);
    return sqlfn::result_text(ctx, row_.warning);
  }
  Value v;
  if (col < 0 || col >= static_cast<int>(o.columns.size()) || !cell(col, v)) return sqlite3_result_null(ctx);
  result_value(ctx, v);
}

}  // namespace

std::unique_ptr<vtab::Table> make_typed_table(sqlite3* db, const vtab::TableSpec& module, Params params, bool adx) {
  Setup s;
  s.adx = adx;
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = params.find(k);
    if (it == params.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  const auto query = get("query");
  if (!query) throw Error("query is required: CREATE VIRTUAL TABLE t USING " + std::string(module.name) + "(query='...')");
  s.query = *query;
  s.time_column = get("time_column");
  if (adx) {
    const auto cluster = get("cluster"), database = get("database");
    if (!cluster || !database)
      throw Error("cluster and database are required: CREATE VIRTUAL TABLE t USING adx(cluster='...', "
                  "database='...', query='...')");
    s.cluster = *cluster, s.database = *database;
  } else {
    s.workspace = get("workspace");
    s.timespan = get("timespan");
  }
  const auto answer = learn_columns(s, params);
  Params learned;
  if (!params.count("columns")) learned["columns"] = columns_json(answer);
  auto owned = typed_spec(module, answer, s.time_column, /*with_workspace=*/!adx);
  return std::make_unique<TypedTable>(db, std::move(owned), std::move(params), std::move(s), std::move(learned));
}

}  // namespace sqlhunt::kql
