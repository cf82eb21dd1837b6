// The SQLite side of every table: x_connect/x_best_index/x_filter/... over a TableSpec,
// the generic planner, argument and time-bound reading (FilterArgs), and the registry
// of specs. Over ~500 lines because these are the xMethods of one sqlite3_module and
// share its private state (the table and cursor wrappers); the pieces with a job of
// their own already live apart (vtab_stored: stored tables; time: bounds; error).
#include "core/vtab.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>

#include "core/error.h"
#include "core/interrupt.h"
#include "core/progress.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab_or_merge.h"
#include "core/vtab_stored.h"

namespace sqlhunt::vtab {
namespace {

bool trace_plans() {
  static const bool on = [] {
    const char* v = std::getenv("SQLHUNT_TRACE_PLAN");
    return v && *v && std::strcmp(v, "0") != 0;
  }();
  return on;
}

bool is_range_op(unsigned char op) {
  return op == SQLITE_INDEX_CONSTRAINT_GT || op == SQLITE_INDEX_CONSTRAINT_GE ||
         op == SQLITE_INDEX_CONSTRAINT_LT || op == SQLITE_INDEX_CONSTRAINT_LE;
}

struct Module {
  const TableSpec* spec;
  TableFactory factory;
  sqlite3_module methods;
};

struct VCursor;

struct VTab : sqlite3_vtab {
  std::unique_ptr<Table> table;
  sqlite3* db = nullptr;
  std::string schema, name;  // where CREATE VIRTUAL TABLE put it (for xDestroy, xRename)
  bool guard_reads = false;  // a stored table this process did not create (vtab_stored.h)
  // An OR answered one scan per branch: SQLite opens each branch's cursor in the slot
  // of the last branch's, which it closes then, read to its end (core/vtab_or_merge.h).
  OrMerge or_merge;
  std::vector<VCursor*> cursors;  // open ones
};

struct VCursor : sqlite3_vtab_cursor {
  std::unique_ptr<Cursor> cursor;
  sqlite3_int64 rowid = 0;  // 1, 2, 3, ... within one scan (an OR's branches go on)
  std::vector<TimeWindow> windows;  // one per kTime column the query bounds
  bool empty = false;       // a NULL argument or time bound: no row can match
  bool reading = false;     // between xFilter and the end of its rows (core/progress.h)
  // An OR over a stored table, one scan per branch (core/vtab_or_merge.h):
  bool filtered = false;            // xFilter was called
  VCursor* opened_after = nullptr;  // read to its end, then this one was opened
  bool follows_scan = false;        // it took the slot of a cursor read to its end
  sqlite3_int64 rowid_before = 0;   // that cursor's last rowid
  bool merging = false;             // this scan is a later branch of an OR

  // Moves past the rows outside the time windows, and those an earlier branch of an
  // OR returned (a no-op without either).
  void skip_outside_window() {
    if (windows.empty() && !merging) return;
    while (!cursor->eof() && (!inside_windows() || (merging && seen_before()))) cursor->next();
  }
  bool seen_before() const {
    return static_cast<const VTab*>(pVtab)->or_merge.seen_before([this](int col) { return cursor->time_ms_of(col); });
  }
  bool inside_windows() const {
    for (const TimeWindow& w : windows)
      if (!w.contains(cursor->time_ms_of(w.column))) return false;
    return true;
  }
  // The values the query gave to hidden argument columns, answered by xColumn.
  std::vector<sqlite3_value*> arguments;

  void clear_arguments() {
    for (auto*& v : arguments) {
      sqlite3_value_free(v);
      v = nullptr;
    }
  }
};

// The one place a table's name is put before its error messages ("alerts: ..."). A
// message that already starts with it (from a pure layer that names the table) is
// left as it is.
std::string with_table(const TableSpec& spec, std::string_view msg) {
  const size_t n = std::strlen(spec.name);
  if (msg.size() > n + 1 && msg.compare(0, n, spec.name) == 0 && msg[n] == ':') return std::string(msg);
  return std::string(spec.name) + ": " + std::string(msg);
}

const TableSpec& spec_of(sqlite3_vtab* vt) { return static_cast<VTab*>(vt)->table->spec(); }

void set_error(sqlite3_vtab* vt, std::string_view msg) {
  sqlite3_free(vt->zErrMsg);
  // A message may quote an input (a 10 MB argument): never more than a screenful.
  const std::string m = sqlfn::safe_message(with_table(spec_of(vt), msg));
  vt->zErrMsg = sqlite3_mprintf("%s", m.c_str());
}

// xCreate and xConnect must be the same function for a module to be eponymous (usable
// as a table-valued function), so which one SQLite called is told apart by what the
// connection is running: a CREATE VIRTUAL TABLE statement (core/vtab_stored.h).
int x_connect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out, char** err) {
  const auto* mod = static_cast<const Module*>(aux);
  const TableSpec& spec = *mod->spec;
  try {
    std::vector<std::string_view> args;
    for (int i = 3; i < argc; ++i) args.emplace_back(argv[i]);
    std::vector<std::string> names;
    for (int i = 0; i < spec.column_count; ++i)
      if (spec.columns[i].flags & kArgument) names.emplace_back(spec.columns[i].name);
    Params params = parse_params(args, names);
    const char* schema = argv[1];
    const char* table = argv[2];
    const bool create = stored::creating(db);
    const bool eponymous = !create && argc == 3 && std::strcmp(table, spec.name) == 0;
    bool guard_reads = false;
    if (create) stored::on_create(db, spec, schema, table, params);
    else if (!eponymous) guard_reads = stored::on_connect(db, spec, schema, table, params);

    auto vt = std::make_unique<VTab>();
    std::memset(static_cast<sqlite3_vtab*>(vt.get()), 0, sizeof(sqlite3_vtab));
    vt->table = mod->factory(db, spec, std::move(params));
    if (create) stored::keep_learned(db, schema, table, vt->table->learned());
    vt->db = db;
    vt->schema = schema;
    vt->name = table;
    vt->guard_reads = guard_reads;
    // The table's own spec: usually the module's, or columns it learned when made.
    const TableSpec& made = vt->table->spec();
    int rc = sqlite3_declare_vtab(db, schema_sql(made).c_str());
    if (rc != SQLITE_OK) {
      *err = sqlite3_mprintf("%s: cannot declare schema: %s", spec.name, sqlite3_errmsg(db));
      return rc;
    }
    sqlite3_vtab_config(db, made.trust == Trust::kDirectOnly ? SQLITE_VTAB_DIRECTONLY
                                                             : SQLITE_VTAB_INNOCUOUS);
    *out = vt.release();
    return SQLITE_OK;
  } catch (const std::exception& e) {
    *err = sqlite3_mprintf("%s", sqlfn::safe_message(with_table(spec, e.what())).c_str());
    return SQLITE_ERROR;
  }
}


int x_disconnect(sqlite3_vtab* vt) {
  delete static_cast<VTab*>(vt);
  return SQLITE_OK;
}

int x_destroy(sqlite3_vtab* base) {
  auto* vt = static_cast<VTab*>(base);
  stored::on_destroy(vt->db, vt->schema.c_str(), vt->name.c_str());
  delete vt;
  return SQLITE_OK;
}

int x_rename(sqlite3_vtab* base, const char* to) {
  auto* vt = static_cast<VTab*>(base);
  const int rc = stored::on_rename(vt->db, vt->schema.c_str(), vt->name.c_str(), to);
  if (rc == SQLITE_OK) vt->name = to;
  return rc;
}

int best_index(sqlite3_vtab* base, sqlite3_index_info* info) {
  auto* vt = static_cast<VTab*>(base);
  const TableSpec& spec = vt->table->spec();
  const Params& defaults = vt->table->params();

  std::vector<bool> has_usable_eq(spec.column_count, false), has_any_eq(spec.column_count, false);
  std::string plan;
  int argv_index = 0;
  double cost = spec.scan_cost, rows = spec.scan_rows;

  // Take at most one equality per argument column (the first usable one), and every
  // usable range bound on kRange columns.
  std::vector<int> limit_terms;  // LIMIT and OFFSET, decided after the others
  bool all_exact = true;         // every constraint taken is omitted (applied exactly)
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.op == SQLITE_INDEX_CONSTRAINT_LIMIT || c.op == SQLITE_INDEX_CONSTRAINT_OFFSET) {
      if (c.usable) limit_terms.push_back(i);
      continue;
    }
    if (c.iColumn < 0 || c.iColumn >= spec.column_count) continue;
    const Column& col = spec.columns[c.iColumn];
    const bool eq = c.op == SQLITE_INDEX_CONSTRAINT_EQ;
    if (eq && (col.flags & kArgument)) has_any_eq[c.iColumn] = true;
    if (!c.usable) continue;
    bool take = false, batch = false;
    if (eq && (col.flags & kArgument) && !has_usable_eq[c.iColumn]) {
      take = true;
      has_usable_eq[c.iColumn] = true;
      info->aConstraintUsage[i].omit = 1;
      if ((col.flags & kBatch) && sqlite3_vtab_in(info, i, -1)) {
        sqlite3_vtab_in(info, i, 1);
        batch = true;
      }
      if (!(col.flags & kRequired)) {
        cost /= 10;
        rows /= 10;
      }
    } else if ((col.flags & kRange) && (eq || is_range_op(c.op))) {
      take = true;
      cost /= eq ? 100 : 4;
      rows /= eq ? 100 : 4;
      // A kTime bound is the instant it names: the base applies it (x_filter), SQLite
      // must not compare the text again.
      if ((col.flags & kTime) == kTime) info->aConstraintUsage[i].omit = 1;
    }
    if (!take) continue;
    all_exact &= info->aConstraintUsage[i].omit != 0;
    info->aConstraintUsage[i].argvIndex = ++argv_index;
    plan += std::to_string(c.iColumn) + ":" + std::to_string(c.op) + (batch ? "b" : "") + ",";
  }
  // LIMIT/OFFSET (column -1 in the plan), after every other term as SQLite wants them:
  // only when the table can use them and the rows it returns are exactly the rows
  // SQLite keeps (nothing re-checked, no ORDER BY to apply first).
  if (spec.limit && all_exact && info->nOrderBy == 0 && !limit_terms.empty()) {
    for (int i : limit_terms) {
      info->aConstraintUsage[i].argvIndex = ++argv_index;
      plan += "-1:" + std::to_string(info->aConstraint[i].op) + ",";
    }
  }

  // An input given by an equality that is not usable yet (the inner side of a join)
  // -> refuse this plan, so SQLite picks an order where its value is known:
  //   * a required input without a CREATE default, which filter() cannot do without;
  //   * any hidden argument, required or not, default or not: SQLite would check
  //     `hidden = value` itself against xColumn, which answers only the values a plan
  //     handed to filter() (NULL otherwise), so the join would silently lose every row
  //     (`t, u, iocs(t.d, u.ty)` scanned before u gave nothing).
  // A required input with no equality at all: accept the plan so xFilter can say what
  // is missing (SQLite would otherwise only say "no query solution").
  for (int i = 0; i < spec.column_count; ++i) {
    const Column& col = spec.columns[i];
    if (has_usable_eq[i]) continue;
    const bool hidden_argument = (col.flags & kHidden) && (col.flags & kArgument);
    const bool needed = (col.flags & kRequired) && !defaults.count(col.name);
    if (has_any_eq[i] && (hidden_argument || needed)) {
      if (trace_plans())
        std::fprintf(stderr, "sqlhunt plan %s: refused, %s not usable yet\n", spec.name, col.name);
      return SQLITE_CONSTRAINT;
    }
    if (needed) cost = 1e30;  // the error plan: only taken when nothing better exists
  }

  char used[24];
  std::snprintf(used, sizeof used, "u%llx;", static_cast<unsigned long long>(info->colUsed));
  info->idxStr = sqlite3_mprintf("%s%s", used, plan.c_str());
  info->needToFreeIdxStr = 1;
  info->idxNum = argv_index;
  info->estimatedCost = cost;
  info->estimatedRows = static_cast<sqlite3_int64>(std::max(1.0, std::ceil(rows)));
  if (trace_plans())
    std::fprintf(stderr, "sqlhunt plan %s: idxStr=%s cost=%g rows=%lld\n", spec.name,
                 info->idxStr, cost, static_cast<long long>(info->estimatedRows));
  return SQLITE_OK;
}

// The planner allocates (a plan string, vectors): memory running out is the only
// exception it can meet, and it must not cross into SQLite.
int x_best_index(sqlite3_vtab* base, sqlite3_index_info* info) {
  try {
    return best_index(base, info);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (const std::exception& e) {
    set_error(base, e.what());
    return SQLITE_ERROR;
  }
}

// Ctrl-C while a scan was reading or waiting (core/interrupt.h).
int interrupted(sqlite3_vtab_cursor* base) {
  set_error(base->pVtab, "interrupted");
  return SQLITE_INTERRUPT;
}

int x_open(sqlite3_vtab* base, sqlite3_vtab_cursor** out) {
  auto* vt = static_cast<VTab*>(base);
  try {
    auto cur = std::make_unique<VCursor>();
    std::memset(static_cast<sqlite3_vtab_cursor*>(cur.get()), 0, sizeof(sqlite3_vtab_cursor));
    cur->cursor = vt->table->open();
    cur->arguments.assign(vt->table->spec().column_count, nullptr);
    for (VCursor* other : vt->cursors)
      if (other->filtered && !other->opened_after && (other->empty || other->cursor->eof()))
        other->opened_after = cur.get();
    vt->cursors.push_back(cur.get());
    progress::scan_opened();
    interrupt::scan_opened();
    *out = cur.release();
    return SQLITE_OK;
  } catch (const std::exception& e) {
    set_error(base, e.what());
    return SQLITE_ERROR;
  } catch (...) {
    return SQLITE_NOMEM;
  }
}

int x_close(sqlite3_vtab_cursor* base) {
  auto* cur = static_cast<VCursor*>(base);
  auto& open = static_cast<VTab*>(base->pVtab)->cursors;
  open.erase(std::remove(open.begin(), open.end(), cur), open.end());
  for (VCursor* other : open) {
    if (other->opened_after == cur) other->opened_after = nullptr;
    // Closed right after the next cursor was opened and before that one is filtered:
    // SQLite put the next one in this one's slot, as it does for an OR's next branch.
    if (cur->opened_after == other && !other->filtered)
      other->follows_scan = true, other->rowid_before = cur->rowid;
  }
  cur->clear_arguments();
  if (cur->reading) progress::scan_ended();
  delete cur;
  progress::scan_closed();
  interrupt::scan_closed();
  return SQLITE_OK;
}

int x_filter(sqlite3_vtab_cursor* base, int idx_num, const char* idx_str, int argc,
             sqlite3_value** argv) {
  auto* cur = static_cast<VCursor*>(base);
  auto* vt = static_cast<VTab*>(base->pVtab);
  const TableSpec& spec = vt->table->spec();
  if (!cur->reading) {
    progress::scan_reading();
    cur->reading = true;
  }
  try {
    // Decode the plan written by x_best_index.
    uint64_t used = ~uint64_t{0};
    std::vector<Constraint> constraints;
    std::optional<int64_t> limit, offset;
    std::string_view s = idx_str ? idx_str : "";
    if (!s.empty() && s[0] == 'u') {
      used = std::strtoull(std::string(s.substr(1, s.find(';'))).c_str(), nullptr, 16);
      s.remove_prefix(s.find(';') + 1);
    }
    for (int i = 0; i < idx_num && i < argc; ++i) {
      const size_t colon = s.find(':'), comma = s.find(',');
      if (colon == std::string_view::npos || comma == std::string_view::npos)
        throw Error("internal error: bad plan '" + std::string(idx_str ? idx_str : "") + "'");
      Constraint c;
      c.column = std::atoi(std::string(s.substr(0, colon)).c_str());
      std::string_view op = s.substr(colon + 1, comma - colon - 1);
      c.batch = !op.empty() && op.back() == 'b';
      c.op = static_cast<unsigned char>(std::atoi(std::string(op).c_str()));
      c.value = argv[i];
      s.remove_prefix(comma + 1);
      if (c.column < 0) {  // LIMIT or OFFSET
        const int64_t v = sqlite3_value_int64(c.value);
        (c.op == SQLITE_INDEX_CONSTRAINT_LIMIT ? limit : offset) = v;
        continue;
      }
      constraints.push_back(c);
    }
    // A negative LIMIT is no limit; a negative OFFSET is none.
    if (limit && *limit < 0) limit.reset();
    if (limit && offset && *offset > 0) *limit += *offset;

    if (vt->guard_reads) stored::check_reads(spec, vt->name.c_str(), vt->table->params());
    // Remember the values of hidden arguments (xColumn answers them) and check the
    // required ones.
    cur->clear_arguments();
    const Params& defaults = vt->table->params();
    for (const auto& c : constraints) {
      const Column& col = spec.columns[c.column];
      if ((col.flags & kHidden) && (col.flags & kArgument) && !c.batch &&
          c.op == SQLITE_INDEX_CONSTRAINT_EQ && !cur->arguments[c.column])
        cur->arguments[c.column] = sqlite3_value_dup(c.value);
    }
    for (int i = 0; i < spec.column_count; ++i) {
      const Column& col = spec.columns[i];
      if (!(col.flags & kRequired) || defaults.count(col.name)) continue;
      bool given = false;
      for (const auto& c : constraints) given |= c.column == i;
      if (!given) {
        const bool hidden = col.flags & kHidden;
        std::string how = hidden ? std::string(spec.name) + "('...')" + " or WHERE " + col.name + " = ..."
                                 : std::string("WHERE ") + col.name + " = ... (or IN (...))";
        throw Error(std::string(col.name) + " is required: " + how);
      }
    }
    FilterArgs args(spec, defaults, used, std::move(constraints), limit);
    cur->windows.clear();
    bool null_time_bound = false;
    for (int i = 0; i < spec.column_count; ++i) {
      if ((spec.columns[i].flags & kTime) != kTime) continue;
      TimeWindow w;
      w.column = i;
      for (const auto& c : args.constraints())
        if (c.column == i) w.active = true, w.none |= sqlite3_value_type(c.value) == SQLITE_NULL;
      if (!w.active) continue;
      null_time_bound |= w.none;
      const FilterArgs::Range r = args.time_range(i);
      if (r.lower) w.lower = timefmt::epoch_ms_from_seconds(*r.lower), w.lower_strict = r.lower_strict;
      if (r.upper) w.upper = timefmt::epoch_ms_from_seconds(*r.upper), w.upper_strict = r.upper_strict;
      cur->windows.push_back(w);
    }
    cur->merging = vt->or_merge.start(spec, idx_str ? idx_str : "", args.constraints(), cur->windows,
                                      cur->follows_scan);
    // A cursor SQLite opened in the slot of one read to its end goes on counting from
    // it, so no merge by rowid drops a row, whatever the scans are.
    cur->rowid = cur->follows_scan ? cur->rowid_before + 1 : 1;
    cur->follows_scan = false;
    cur->filtered = true;
    for (VCursor* other : vt->cursors)
      if (other->opened_after == cur) other->opened_after = nullptr;
    // One rule for NULL inputs, in every table: `path = NULL` (audit_events(NULL), a
    // NULL from the outer side of a join) matches nothing, as `x = NULL` does in SQL —
    // no rows, no error, nothing read.
    cur->empty = null_time_bound;
    for (const auto& c : args.constraints())
      if ((spec.columns[c.column].flags & kArgument) && !c.batch && c.op == SQLITE_INDEX_CONSTRAINT_EQ &&
          sqlite3_value_type(c.value) == SQLITE_NULL)
        cur->empty = true;
    if (cur->empty) return SQLITE_OK;
    cur->cursor->filter(args);
    cur->skip_outside_window();
    if (interrupt::requested()) return interrupted(base);
    return SQLITE_OK;
  } catch (const std::exception& e) {
    set_error(base->pVtab, e.what());
    return SQLITE_ERROR;
  }
}

int x_next(sqlite3_vtab_cursor* base) {
  auto* cur = static_cast<VCursor*>(base);
  try {
    cur->cursor->next();
    cur->skip_outside_window();
    ++cur->rowid;
    if (interrupt::requested()) return interrupted(base);
    return SQLITE_OK;
  } catch (const std::exception& e) {
    set_error(base->pVtab, e.what());
    return SQLITE_ERROR;
  }
}

int x_eof(sqlite3_vtab_cursor* base) {
  auto* cur = static_cast<VCursor*>(base);
  const bool eof = cur->empty || cur->cursor->eof();
  if (eof && cur->reading) {
    // The progress line goes before SQLite hands out a result computed from this scan.
    cur->reading = false;
    progress::scan_ended();
  }
  return eof ? 1 : 0;
}

int x_column(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int col) {
  auto* cur = static_cast<VCursor*>(base);
  try {
    if (col >= 0 && static_cast<size_t>(col) < cur->arguments.size() && cur->arguments[col]) {
      sqlite3_result_value(ctx, cur->arguments[col]);
      return SQLITE_OK;
    }
    cur->cursor->column(ctx, col);
    return SQLITE_OK;
  } catch (const std::exception& e) {
    sqlfn::result_error(ctx, with_table(spec_of(base->pVtab), e.what()));
    return SQLITE_ERROR;
  }
}

int x_rowid(sqlite3_vtab_cursor* base, sqlite3_int64* rowid) {
  *rowid = static_cast<VCursor*>(base)->rowid;
  return SQLITE_OK;
}

std::mutex& specs_mutex() {
  static std::mutex m;
  return m;
}
std::vector<const TableSpec*>& specs() {
  static std::vector<const TableSpec*> v;
  return v;
}

}  // namespace

const char* trust_name(Trust trust) {
  return trust == Trust::kDirectOnly ? "directonly" : "innocuous";
}

int TableSpec::index_of(const char* column_name) const {
  for (int i = 0; i < column_count; ++i)
    if (std::strcmp(columns[i].name, column_name) == 0) return i;
  return -1;
}

std::string schema_sql(const TableSpec& spec) {
  std::string sql = "CREATE TABLE x(";
  for (int i = 0; i < spec.column_count; ++i) {
    const Column& c = spec.columns[i];
    if (i) sql += ", ";
    sql += '"';
    sql += c.name;
    sql += '"';
    if (c.type && *c.type) {
      sql += ' ';
      sql += c.type;
    }
    if (c.flags & kHidden) sql += " HIDDEN";
  }
  sql += ")";
  return sql;
}

std::optional<std::string> FilterArgs::text(int col) const {
  for (const auto& c : constraints_) {
    if (c.column != col || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c.batch) {
      auto all = texts(col);
      if (all.empty()) return std::nullopt;
      return all.front();
    }
    const unsigned char* t = sqlite3_value_text(c.value);
    if (!t) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(t),
                       static_cast<size_t>(sqlite3_value_bytes(c.value)));
  }
  auto d = defaults_.find(spec_.columns[col].name);
  if (d != defaults_.end()) return d->second;
  return std::nullopt;
}

std::vector<std::string> FilterArgs::texts(int col) const {
  std::vector<std::string> out;
  bool given = false;
  for (const auto& c : constraints_) {
    if (c.column != col || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    given = true;
    auto add = [&](sqlite3_value* v) {
      const unsigned char* t = sqlite3_value_text(v);
      if (t) out.emplace_back(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(v)));
    };
    if (c.batch) {
      sqlite3_value* v = nullptr;
      for (int rc = sqlite3_vtab_in_first(c.value, &v); rc == SQLITE_OK && v;
           rc = sqlite3_vtab_in_next(c.value, &v))
        add(v);
    } else {
      add(c.value);
    }
    break;  // x_best_index passes at most one equality per column
  }
  if (!given) {
    auto d = defaults_.find(spec_.columns[col].name);
    if (d != defaults_.end()) out.push_back(d->second);
  }
  return out;
}

namespace {
// Bounds(v) gives the pair (as a lower bound, as an upper bound) a value stands for:
// the same number for REAL, an interval for ISO text (timefmt::iso_text_bound).
template <class Bounds>
FilterArgs::Range range_of(const std::vector<Constraint>& constraints, int col, Bounds bounds,
                           bool exact) {
  FilterArgs::Range r;
  for (const auto& c : constraints) {
    if (c.column != col) continue;
    std::optional<timefmt::TextBound> v = bounds(c.value);
    if (!v) continue;
    const bool eq = c.op == SQLITE_INDEX_CONSTRAINT_EQ;
    if (eq || c.op == SQLITE_INDEX_CONSTRAINT_GT || c.op == SQLITE_INDEX_CONSTRAINT_GE) {
      const bool strict = exact && c.op == SQLITE_INDEX_CONSTRAINT_GT;
      if (!r.lower || v->lower > *r.lower || (v->lower == *r.lower && strict)) {
        r.lower = v->lower;
        r.lower_strict = strict;
      }
    }
    if (eq || c.op == SQLITE_INDEX_CONSTRAINT_LT || c.op == SQLITE_INDEX_CONSTRAINT_LE) {
      const bool strict = exact && c.op == SQLITE_INDEX_CONSTRAINT_LT;
      if (!r.upper || v->upper < *r.upper || (v->upper == *r.upper && strict)) {
        r.upper = v->upper;
        r.upper_strict = strict;
      }
    }
  }
  return r;
}
}  // namespace

FilterArgs::Range FilterArgs::real_range(int col) const {
  return range_of(constraints_, col, [](sqlite3_value* v) -> std::optional<timefmt::TextBound> {
    const int t = sqlite3_value_numeric_type(v);
    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return std::nullopt;  // text vs REAL: let SQLite decide
    const double d = sqlite3_value_double(v);
    return timefmt::TextBound{d, d};
  }, /*exact=*/true);
}

FilterArgs::Range FilterArgs::time_range(int col) const {
  const char* name = spec_.columns[col].name;
  return range_of(constraints_, col, [name](sqlite3_value* v) -> std::optional<timefmt::TextBound> {
    const int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) return std::nullopt;  // matches nothing: the base knows
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
      const double d = sqlite3_value_double(v);  // epoch seconds
      return timefmt::TextBound{d, d};
    }
    const char* t = reinterpret_cast<const char*>(sqlite3_value_text(v));
    const std::string_view text(t ? t : "", t ? static_cast<size_t>(sqlite3_value_bytes(v)) : 0);
    // A year or a month alone ('2023', '2023-11') is where it starts, as a date alone
    // is its midnight; bare digits otherwise are epoch seconds.
    std::optional<double> s;
    if (text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      s = timefmt::parse(std::string(text) + "-01-01");
    else if (text.size() == 7 && text[4] == '-')
      s = timefmt::parse(std::string(text) + "-01");
    else
      s = timefmt::parse(text);
    if (!s)
      throw Error(std::string("'") + cut_message(std::string(text), 60) + "' is not a time for " + name +
                  ": write it as '2019-03-02T00:40:00Z', '2019-03-02 00:40:00.123', "
                  "'2019-03-02T01:40:00+01:00', '2019-03-02' (midnight UTC) or epoch seconds "
                  "(a time without a zone is UTC)");
    return timefmt::TextBound{*s, *s};
  }, /*exact=*/true);
}

std::optional<int64_t> Cursor::time_ms_of(int) const { return time_ms(); }

std::optional<int64_t> Cursor::time_ms() const {
  throw Error("internal error: the table has a time column but its cursor gives no time_ms()");
}

int register_table(sqlite3* db, const TableSpec& spec, TableFactory factory) {
  auto* mod = new Module{&spec, factory, {}};
  sqlite3_module& m = mod->methods;
  m.iVersion = 3;  // xShadowName
  m.xCreate = x_connect;
  m.xConnect = x_connect;  // the same function: the module is eponymous too
  m.xBestIndex = x_best_index;
  m.xDisconnect = x_disconnect;
  m.xDestroy = x_destroy;
  m.xRename = x_rename;
  m.xShadowName = stored::is_shadow_name;
  m.xOpen = x_open;
  m.xClose = x_close;
  m.xFilter = x_filter;
  m.xNext = x_next;
  m.xEof = x_eof;
  m.xColumn = x_column;
  m.xRowid = x_rowid;
  {
    std::lock_guard<std::mutex> lock(specs_mutex());
    bool known = false;
    for (const auto* s : specs()) known |= s == &spec;
    if (!known) specs().push_back(&spec);
  }
  return sqlite3_create_module_v2(db, spec.name, &m, mod,
                                  [](void* p) { delete static_cast<Module*>(p); });
}

const std::vector<const TableSpec*>& registered_specs() { return specs(); }

}  // namespace sqlhunt::vtab
