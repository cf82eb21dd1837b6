#include "functions/process_tree/process_tree.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/json_text.h"
#include "core/sql_function.h"
#include "core/sql_source.h"
#include "core/time.h"
#include "core/vtab.h"
#include "functions/process_tree/proc_tree.h"
#include "core/text.h"

namespace sqlhunt {
namespace {

using vtab::Column;

enum Col {
  kProcKey, kParentKey, kRootKey, kDepth, kPath, kIsRoot, kIsLeaf, kInferred, kHost, kPid,
  kPpid, kTime, kEpoch, kImage, kParentImage, kGuid, kParentGuid, kLogonId, kExitTime, kExtra,
  kNote, kSql, kSkewMs,
};

constexpr Column kColumns[] = {
    {"proc_key", "TEXT", vtab::kPlain, "host|pid|time of the start ('?' for an inferred parent's time)"},
    {"parent_key", "TEXT", vtab::kPlain, "proc_key of its parent; NULL for a root"},
    {"root_key", "TEXT", vtab::kPlain, "proc_key of the root of its tree"},
    {"depth", "INTEGER", vtab::kPlain, "0 for a root, its parent's depth + 1 otherwise"},
    {"path", "TEXT", vtab::kPlain, "ancestry: depth-first positions root/../self, zero-padded"},
    {"is_root", "INTEGER", vtab::kPlain, "1 when it has no parent"},
    {"is_leaf", "INTEGER", vtab::kPlain, "1 when it has no children"},
    {"inferred", "INTEGER", vtab::kPlain, "1 for a parent synthesized because its start is not in the data"},
    {"host", "TEXT", vtab::kPlain, "the SELECT's host"},
    {"pid", "INTEGER", vtab::kPlain, "process id"},
    {"ppid", "INTEGER", vtab::kPlain, "parent process id as the row gave it"},
    {"time", "TEXT", vtab::kTime, "start time, ISO-8601 UTC with milliseconds; NULL for an inferred parent"},
    {"epoch", "REAL", vtab::kPlain, "start time as seconds since 1970"},
    {"image", "TEXT", vtab::kPlain, "executable (an inferred parent's: its children's parent_image)"},
    {"parent_image", "TEXT", vtab::kPlain, "the creator's executable as the row gave it"},
    {"guid", "TEXT", vtab::kPlain, "process GUID (Sysmon)"},
    {"parent_guid", "TEXT", vtab::kPlain, "parent process GUID (Sysmon)"},
    {"logon_id", "TEXT", vtab::kPlain, "the SELECT's logon_id, as text"},
    {"exit_time", "TEXT", vtab::kTime, "time of the exit event matched to this start, if the SELECT has exits"},
    {"extra", "TEXT", vtab::kPlain, "the SELECT's other columns as a JSON object"},
    {"note", "TEXT", vtab::kPlain, "why the row is placed as it is, when that needs saying"},
    {"sql", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "a SELECT of process start (and exit) rows"},
    {"skew_ms", "REAL", vtab::kHidden | vtab::kArgument, "clock skew tolerated between a parent and its child (default 10)"},
};
static_assert(vtab::count(kColumns) == kSkewMs + 1, "one enum value per column");

const vtab::TableSpec kSpec = {
    "process_tree", "one row per process start (and per inferred parent), linked to its parent",
    kColumns, vtab::count(kColumns), 1e6, 1e5, vtab::Trust::kDirectOnly, sql::kRunsSqlReason};

std::string text_of(sqlite3_value* v) {
  const auto t = sqlfn::text_arg(v);
  return std::string(t);
}

// A pid as sources write it: an integer, an integral REAL, decimal or 0x-hex text.
// nullopt for NULL; `bad` gets the text when it is no number.
std::optional<int64_t> pid_of(sqlite3_value* v, std::string& bad) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return std::nullopt;
    case SQLITE_INTEGER: return sqlite3_value_int64(v);
    case SQLITE_FLOAT: {
      const double d = sqlite3_value_double(v);
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e18) return static_cast<int64_t>(d);
      break;
    }
    default: {
      const std::string_view t = sqlfn::text_arg(v);
      if (t.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;  // blank: unknown
      if (auto id = text::parse_id(t)) return id;  // the one reader of 0x-hex and decimal ids (core/text.h)
      break;
    }
  }
  bad = text_of(v);
  return std::nullopt;
}

std::optional<double> time_of(sqlite3_value* v, std::string& bad) {
  const int type = sqlite3_value_type(v);
  if (type == SQLITE_NULL) return std::nullopt;
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
    const double d = sqlite3_value_double(v);
    if (std::isfinite(d)) return d;
  } else if (auto t = timefmt::parse(sqlfn::text_arg(v))) {
    return t;
  }
  bad = text_of(v);
  return std::nullopt;
}

void append_json_value(std::string& out, sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: out += "null"; return;
    case SQLITE_INTEGER: json::append_int(out, sqlite3_value_int64(v)); return;
    case SQLITE_FLOAT: {
      const double d = sqlite3_value_double(v);
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      if (std::strtod(buf, nullptr) != d) std::snprintf(buf, sizeof buf, "%.17g", d);
      out += buf;
      return;
    }
    case SQLITE_BLOB: {  // as hex text: JSON has no bytes
      static const char* digits = "0123456789abcdef";
      const auto* p = static_cast<const unsigned char*>(sqlite3_value_blob(v));
      std::string hex;
      for (int i = 0; i < sqlite3_value_bytes(v); ++i) {
        hex += digits[p[i] >> 4];
        hex += digits[p[i] & 15];
      }
      json::append_string(out, hex);
      return;
    }
    default: json::append_string(out, sqlfn::text_arg(v)); return;
  }
}

struct Carried {  // what a start row keeps beyond the linking fields
  std::string logon_id, extra;
  bool has_logon = false;
};

class ProcessTreeCursor : public vtab::Cursor {
 public:
  explicit ProcessTreeCursor(sqlite3* db) : db_(db) {}

  void filter(const vtab::FilterArgs& args) override {
    events_.clear();
    carried_.clear();
    tree_ = proctree::Tree();
    index_ = 0;
    const auto sql_text = args.text(kSql);
    if (!sql_text) return;
    proctree::Options options;
    if (const auto skew = args.text(kSkewMs)) {
      char* end = nullptr;
      const double ms = std::strtod(skew->c_str(), &end);
      if (end == skew->c_str() || *end != '\0' || !std::isfinite(ms) || ms < 0)
        throw Error("process_tree: skew_ms must be a number of milliseconds >= 0, not '" + excerpt(*skew) + "'");
      options.skew = ms / 1000;
    }
    read(*sql_text);
    tree_ = proctree::build(events_, options);
  }

  void next() override { ++index_; }
  bool eof() const override { return index_ >= tree_.nodes.size(); }
  // time and exit_time are kTime columns: their bounds are instants, whatever their form
  // (the base drops the rows outside them; the tree is built from every row first).
  std::optional<int64_t> time_ms() const override {
    const proctree::Node& n = tree_.nodes[index_];
    if (n.event < 0 || !events_[static_cast<size_t>(n.event)].time) return std::nullopt;
    return timefmt::epoch_ms_from_seconds(*events_[static_cast<size_t>(n.event)].time);
  }
  std::optional<int64_t> time_ms_of(int col) const override {
    if (col != kExitTime) return time_ms();
    const proctree::Node& n = tree_.nodes[index_];
    if (!n.has_exit) return std::nullopt;
    return timefmt::epoch_ms_from_seconds(n.exit_time);
  }

  void column(sqlite3_context* ctx, int col) override {
    const proctree::Node& n = tree_.nodes[index_];
    const proctree::Event* e = n.event >= 0 ? &events_[static_cast<size_t>(n.event)] : nullptr;
    static const proctree::InferredParent kNone;
    const proctree::InferredParent& inf = n.inferred ? tree_.inferred_parents[n.inferred - 1] : kNone;
    auto text = [&](const std::string& s) {
      if (s.empty()) sqlite3_result_null(ctx);
      else sqlfn::result_text(ctx, s);
    };
    auto opt_int = [&](const std::optional<int64_t>& v) {
      if (v) sqlite3_result_int64(ctx, *v);
      else sqlite3_result_null(ctx);
    };
    switch (col) {
      case kProcKey: return sqlfn::result_text(ctx, proctree::key(tree_, events_, index_));
      case kParentKey:
        if (n.parent < 0) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, proctree::key(tree_, events_, static_cast<size_t>(n.parent)));
      case kRootKey: return sqlfn::result_text(ctx, proctree::key(tree_, events_, static_cast<size_t>(n.root)));
      case kDepth: return sqlite3_result_int(ctx, n.depth);
      case kPath: return sqlfn::result_text(ctx, proctree::path(tree_, index_));
      case kIsRoot: return sqlite3_result_int(ctx, n.parent < 0);
      case kIsLeaf: return sqlite3_result_int(ctx, n.leaf);
      case kInferred: return sqlite3_result_int(ctx, e == nullptr);
      case kHost: return text(e ? e->host : inf.host);
      case kPid: return opt_int(e ? e->pid : inf.pid);
      case kPpid: return opt_int(e ? e->ppid : std::nullopt);
      case kTime:
        if (!e || !e->time) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, timefmt::iso_from_epoch(*e->time));
      case kEpoch:
        if (!e || !e->time) return sqlite3_result_null(ctx);
        return sqlite3_result_double(ctx, *e->time);
      case kImage: return text(e ? e->image : inf.image);
      case kParentImage: return text(e ? e->parent_image : std::string());
      case kGuid: return text(e ? e->guid : inf.guid);
      case kParentGuid: return text(e ? e->parent_guid : std::string());
      case kLogonId: {
        const Carried* c = e ? &carried_[static_cast<size_t>(n.event)] : nullptr;
        if (!c || !c->has_logon) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, c->logon_id);
      }
      case kExitTime:
        if (!n.has_exit) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, timefmt::iso_from_epoch(n.exit_time));
      case kExtra: return sqlfn::result_text(ctx, e ? carried_[static_cast<size_t>(n.event)].extra : "{}");
      case kNote: {
        auto it = tree_.notes.find(index_);
        return text(it == tree_.notes.end() ? std::string() : it->second);
      }
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  void read(const std::string& sql_text) {
    sql::SqlSource src(db_, sql_text, "process_tree");
    const char* hint = "name the columns with AS (SELECT NewProcessId AS pid, ProcessId AS ppid, ...)";
    const int pid = src.require("pid", hint), ppid = src.require("ppid", hint), time = src.require("time", hint);
    const int host = src.find("host"), image = src.find("image"), parent_image = src.find("parent_image");
    const int guid = src.find("guid"), parent_guid = src.find("parent_guid"), logon = src.find("logon_id");
    const int is_exit = src.find("is_exit");
    std::vector<int> others;
    for (int c = 0; c < src.column_count(); ++c)
      if (c != pid && c != ppid && c != time && c != host && c != image && c != parent_image && c != guid &&
          c != parent_guid && c != logon && c != is_exit)
        others.push_back(c);
    auto opt_text = [&](int col) { return col >= 0 ? text_of(src.value(col)) : std::string(); };

    while (src.step()) {
      proctree::Event e;
      std::string bad;
      e.pid = pid_of(src.value(pid), bad);
      if (!bad.empty()) e.note = "pid is not a number: '" + excerpt(bad) + "'";
      bad.clear();
      e.ppid = pid_of(src.value(ppid), bad);
      if (!bad.empty()) e.note += (e.note.empty() ? "" : "; ") + std::string("ppid is not a number: '") + excerpt(bad) + "'";
      bad.clear();
      e.time = time_of(src.value(time), bad);
      if (!bad.empty()) e.note += (e.note.empty() ? "" : "; ") + std::string("time is not a time: '") + excerpt(bad) + "'";
      e.host = opt_text(host);
      e.image = opt_text(image);
      e.parent_image = opt_text(parent_image);
      e.guid = opt_text(guid);
      e.parent_guid = opt_text(parent_guid);
      e.exit = is_exit >= 0 && sqlite3_value_type(src.value(is_exit)) != SQLITE_NULL &&
               sqlite3_value_int64(src.value(is_exit)) != 0;
      Carried c;
      if (!e.exit) {
        if (logon >= 0 && sqlite3_value_type(src.value(logon)) != SQLITE_NULL) {
          c.has_logon = true;
          c.logon_id = text_of(src.value(logon));
        }
        c.extra = "{";
        for (size_t k = 0; k < others.size(); ++k) {
          if (k) c.extra += ',';
          json::append_string(c.extra, src.column_name(others[k]));
          c.extra += ':';
          append_json_value(c.extra, src.value(others[k]));
        }
        c.extra += '}';
      }
      events_.push_back(std::move(e));
      carried_.push_back(std::move(c));
      if (events_.size() >= 0xFFFFFFF0u) throw Error("process_tree: more than 4 billion rows");
    }
  }

  sqlite3* db_;
  std::vector<proctree::Event> events_;
  std::vector<Carried> carried_;
  proctree::Tree tree_;
  size_t index_ = 0;
};

}  // namespace

int register_process_tree(sqlite3* db) {
  return vtab::register_table(db, kSpec, vtab::cursor_table<ProcessTreeCursor>);
}

}  // namespace sqlhunt
