#include "vtabs/audit_events/audit_events_vtab.h"

#include <array>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/error.h"
#include "core/file_kind.h"
#include "core/json_text.h"
#include "core/sql_source.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_source.h"
#include "vtabs/audit_events/cell_lines.h"
#include "vtabs/audit_events/event_assembler.h"
#include "vtabs/audit_events/event_pipeline.h"

namespace sqlhunt {
namespace {

using vtab::Column;

enum EventCol {
  kTime, kEpoch, kSerial, kNode, kType, kRecordTypes, kArch, kSyscall, kSuccess, kExit,
  kPid, kPpid, kUid, kAuid, kEuid, kSuid, kFsuid, kGid, kEgid, kSes, kTty, kComm, kExe,
  kArgc, kArgv, kCmdline, kProctitle, kCwd, kPaths, kKey, kSubj, kOp, kAcct, kAccount,
  kHostname, kAddr, kTerminal, kRes, kCmd, kUidName, kAuidName, kGidName, kRecords,
  kRecordCount, kRaw, kFile, kLine, kOffset, kParseError, kPath, kEventColumnCount
};

constexpr Column kEventColumns[] = {
    {"time", "TEXT", vtab::kTime, "the event's time, ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kRange, "the event's time as seconds since 1970 (SECONDS.MILLIS)"},
    {"serial", "INTEGER", vtab::kPlain, "the event's serial number (msg=audit(...:SERIAL))"},
    {"node", "TEXT", vtab::kPlain, "node= of the records (hosts of a merged log); NULL when absent"},
    {"type", "TEXT", vtab::kPlain, "SYSCALL if the event has one, else its first record's type"},
    {"record_types", "TEXT", vtab::kPlain, "every record's type, in order, comma-separated"},
    {"arch", "TEXT", vtab::kPlain, "x86_64, aarch64, i386 (else auditd's hex arch)"},
    {"syscall", "TEXT", vtab::kPlain, "the syscall's name for its arch (else its number)"},
    {"success", "INTEGER", vtab::kPlain, "1/0 from success=yes/no, else from res=success/failed"},
    {"exit", "INTEGER", vtab::kPlain, "the syscall's exit value"},
    {"pid", "INTEGER", vtab::kPlain, "process id"},
    {"ppid", "INTEGER", vtab::kPlain, "parent process id"},
    {"uid", "INTEGER", vtab::kPlain, "user id"},
    {"auid", "INTEGER", vtab::kPlain, "audit (login) user id; NULL when unset (4294967295)"},
    {"euid", "INTEGER", vtab::kPlain, "effective user id"},
    {"suid", "INTEGER", vtab::kPlain, "saved user id"},
    {"fsuid", "INTEGER", vtab::kPlain, "filesystem user id"},
    {"gid", "INTEGER", vtab::kPlain, "group id"},
    {"egid", "INTEGER", vtab::kPlain, "effective group id"},
    {"ses", "INTEGER", vtab::kPlain, "login session id; NULL when unset (4294967295)"},
    {"tty", "TEXT", vtab::kPlain, "controlling terminal; NULL for (none)"},
    {"comm", "TEXT", vtab::kPlain, "command name (decoded)"},
    {"exe", "TEXT", vtab::kPlain, "executable path (decoded)"},
    {"argc", "INTEGER", vtab::kPlain, "EXECVE argc"},
    {"argv", "TEXT", vtab::kPlain, "every EXECVE argument, decoded, as a JSON array"},
    {"cmdline", "TEXT", vtab::kPlain, "argv joined by spaces, shell-quoted where needed"},
    {"proctitle", "TEXT", vtab::kPlain, "PROCTITLE decoded, NULs as spaces"},
    {"cwd", "TEXT", vtab::kPlain, "CWD record's working directory (decoded)"},
    {"paths", "TEXT", vtab::kPlain, "PATH records as a JSON array of {item, name, nametype, mode, inode}"},
    {"key", "TEXT", vtab::kPlain, "the audit rule key(s), comma-separated; NULL for (null)"},
    {"subj", "TEXT", vtab::kPlain, "security context (SELinux/AppArmor)"},
    {"op", "TEXT", vtab::kPlain, "user-space op= (PAM:authentication, login, ...)"},
    {"acct", "TEXT", vtab::kPlain, "user-space acct= (the account name, decoded)"},
    {"account", "TEXT", vtab::kPlain, "who: acct=, else id= named (ENRICHED ID, audit.passwd) or as a number, else auid= the same way"},
    {"hostname", "TEXT", vtab::kPlain, "user-space hostname=; NULL for ?"},
    {"addr", "TEXT", vtab::kPlain, "user-space addr= (remote address); NULL for ?"},
    {"terminal", "TEXT", vtab::kPlain, "user-space terminal=, without a leading /dev/; NULL for ?"},
    {"res", "TEXT", vtab::kPlain, "user-space res= (success, failed)"},
    {"cmd", "TEXT", vtab::kPlain, "USER_CMD's cmd= (what sudo ran), decoded"},
    {"uid_name", "TEXT", vtab::kPlain, "the user name of uid: ENRICHED logs, else audit.passwd"},
    {"auid_name", "TEXT", vtab::kPlain, "the user name of auid: ENRICHED logs, else audit.passwd"},
    {"gid_name", "TEXT", vtab::kPlain, "the group name of gid: ENRICHED logs, else audit.group"},
    {"records", "TEXT", vtab::kPlain, "every record as JSON: [{type, line, fields: {...}}]"},
    {"record_count", "INTEGER", vtab::kPlain, "how many lines the row holds"},
    {"raw", "TEXT", vtab::kPlain, "the original lines, joined by newlines"},
    {"file", "TEXT", vtab::kPlain, "the file the event's first record was read from"},
    {"line", "INTEGER", vtab::kPlain, "the line of the event's first record (a window reads the lines before it to count them)"},
    {"offset", "INTEGER", vtab::kPlain, "byte offset of the event's first record in its file (decompressed, for .gz); free to read"},
    {"parse_error", "TEXT", vtab::kPlain, "NULL, or what was wrong (not a record, late record, cut line)"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (rotated, .gz)"},
};
static_assert(vtab::count(kEventColumns) == kEventColumnCount, "one Column per EventCol");

// What core/file_kind.h points an audit log given to another table to.
const files::ReadsKinds kReads("audit_events", {files::Kind::kAuditLog});

const vtab::TableSpec kEventsSpec = {
    "audit_events", "one row per Linux audit event (records joined by node, time and serial)",
    kEventColumns, vtab::count(kEventColumns), 1e7, 1e6, vtab::Trust::kDirectOnly,
    "reads the files its path names"};

// audit_events_from(sql): audit_events' columns, the last argument a SELECT instead of
// a path; file and offset are NULL, line is the SELECT's row.
constexpr std::array<Column, kEventColumnCount> events_from_columns() {
  std::array<Column, kEventColumnCount> c{};
  for (int i = 0; i < kEventColumnCount; ++i) c[static_cast<size_t>(i)] = kEventColumns[i];
  c[kFile].doc = "NULL: the records came from a query";
  c[kLine].doc = "the row of the SELECT that held the event's first record (1-based)";
  c[kOffset].doc = "NULL: the records came from a query";
  c[kPath] = {"sql", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired,
              "a SELECT whose first column is one raw record a row (or several lines), with an optional `node` column"};
  return c;
}
constexpr std::array<Column, kEventColumnCount> kEventsFromColumns = events_from_columns();

const vtab::TableSpec kEventsFromSpec = {
    "audit_events_from", "one row per Linux audit event of the records a query returns (joined by node, time and serial)",
    kEventsFromColumns.data(), kEventColumnCount, 1e7, 1e6, vtab::Trust::kDirectOnly, sql::kRunsSqlReason};

enum RecordCol {
  kRType, kRTime, kREpoch, kRSerial, kRNode, kRFields, kRRaw, kRFile, kRLine, kROffset, kRParseError, kRPath,
};

constexpr Column kRecordColumns[] = {
    {"type", "TEXT", vtab::kPlain, "the record type (SYSCALL, EXECVE, USER_LOGIN, ...)"},
    {"time", "TEXT", vtab::kTime, "the record's time, ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kRange, "the record's time as seconds since 1970"},
    {"serial", "INTEGER", vtab::kPlain, "the serial of the event it belongs to"},
    {"node", "TEXT", vtab::kPlain, "node=; NULL when absent"},
    {"fields", "TEXT", vtab::kPlain, "every field, decoded, as a JSON object"},
    {"raw", "TEXT", vtab::kPlain, "the line as read"},
    {"file", "TEXT", vtab::kPlain, "the file it was read from"},
    {"line", "INTEGER", vtab::kPlain, "its line number (a window reads the lines before it to count them)"},
    {"offset", "INTEGER", vtab::kPlain, "byte offset of its line in the file (decompressed, for .gz)"},
    {"parse_error", "TEXT", vtab::kPlain, "NULL, or why the line is not (wholly) a record"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (rotated, .gz)"},
};

const vtab::TableSpec kRecordsSpec = {
    "audit_records", "one row per line of a Linux audit log",
    kRecordColumns, vtab::count(kRecordColumns), 1e7, 1e6, vtab::Trust::kDirectOnly,
    "reads the files its path names"};

// Text from the log is whatever bytes it held; SQLite's TEXT promises UTF-8 (Python's
// driver fails on anything else), so a byte that is not is shown as U+FFFD, as in the
// JSON columns. `raw` keeps the exact bytes instead: a BLOB when they are not UTF-8.
// (Handed over NUL-terminated: sqlfn::result_text_z says why; `scratch` is the copy's
// buffer, kept by the caller.)
void result_raw(sqlite3_context* ctx, std::string_view v) {
  if (json::is_valid_utf8(v)) return sqlfn::result_text(ctx, v);
  sqlite3_result_blob64(ctx, v.data(), v.size(), SQLITE_TRANSIENT);
}
// JSON built by core/json_text: valid UTF-8 already.
void result_json(sqlite3_context* ctx, const std::optional<std::string>& json_text) {
  if (json_text) sqlfn::result_text_z(ctx, *json_text);
  else sqlite3_result_null(ctx);
}

// Line numbers start at 1; 0 is "not counted", which only a query that does not read
// the line column sees (never reached through xColumn), but say NULL rather than lie.
void result_line(sqlite3_context* ctx, uint64_t line) {
  if (line == 0) return sqlite3_result_null(ctx);
  sqlite3_result_int64(ctx, static_cast<int64_t>(line));
}

void result_time(sqlite3_context* ctx, int64_t epoch_ms) {
  char buf[timefmt::kIsoLength + 1];
  timefmt::format_iso_ms(epoch_ms, buf);
  buf[timefmt::kIsoLength] = 0;
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);  // terminated: sqlfn::result_text_z
}

// The window the query's time/epoch constraints allow, in milliseconds.
audit::TimeWindow window_of(const vtab::FilterArgs& args, int time_col, int epoch_col) {
  audit::TimeWindow w;
  auto narrow = [&w](const vtab::FilterArgs::Range& r) {
    if (r.lower && std::isfinite(*r.lower) && std::fabs(*r.lower) < 1e14) {
      const auto ms = static_cast<int64_t>(std::floor(*r.lower * 1000));
      if (!w.lower_ms || ms > *w.lower_ms) w.lower_ms = ms;
    }
    if (r.upper && std::isfinite(*r.upper) && std::fabs(*r.upper) < 1e14) {
      const auto ms = static_cast<int64_t>(std::ceil(*r.upper * 1000));
      if (!w.upper_ms || ms < *w.upper_ms) w.upper_ms = ms;
    }
  };
  narrow(args.time_range(time_col));
  narrow(args.real_range(epoch_col));
  return w;
}

// The path the query gave (a NULL one never gets here: the base answers it with no
// rows, and a missing one with "path is required").
std::string path_argument(const vtab::FilterArgs& args, int col) {
  auto path = args.text(col);
  if (!path) throw Error("path is required");
  return *path;
}

// The fields (field_picks.h) a column reads by name; 0 for a column that reads none
// or reads whole records (argv, paths, records).
audit::PickMask picks_of(int col) {
  using audit::pick_bit;
  switch (col) {
    case kArch: return pick_bit(audit::kPickArch);
    case kSyscall: return pick_bit(audit::kPickArch) | pick_bit(audit::kPickSyscall);
    case kSuccess: return pick_bit(audit::kPickSuccess) | pick_bit(audit::kPickRes);
    case kExit: return pick_bit(audit::kPickExit);
    case kPid: return pick_bit(audit::kPickPid);
    case kPpid: return pick_bit(audit::kPickPpid);
    case kUid: return pick_bit(audit::kPickUid);
    case kAuid: return pick_bit(audit::kPickAuid);
    case kEuid: return pick_bit(audit::kPickEuid);
    case kSuid: return pick_bit(audit::kPickSuid);
    case kFsuid: return pick_bit(audit::kPickFsuid);
    case kGid: return pick_bit(audit::kPickGid);
    case kEgid: return pick_bit(audit::kPickEgid);
    case kSes: return pick_bit(audit::kPickSes);
    case kTty: return pick_bit(audit::kPickTty);
    case kComm: return pick_bit(audit::kPickComm);
    case kExe: return pick_bit(audit::kPickExe);
    case kProctitle: return pick_bit(audit::kPickProctitle);
    case kCwd: return pick_bit(audit::kPickCwd);
    case kKey: return pick_bit(audit::kPickKey);
    case kSubj: return pick_bit(audit::kPickSubj);
    case kOp: return pick_bit(audit::kPickOp);
    case kAcct: return pick_bit(audit::kPickAcct);
    case kAccount:
      return pick_bit(audit::kPickAcct) | pick_bit(audit::kPickId) | pick_bit(audit::kPickEId) |
             pick_bit(audit::kPickAuid) | pick_bit(audit::kPickEAuid);
    case kHostname: return pick_bit(audit::kPickHostname);
    case kAddr: return pick_bit(audit::kPickAddr);
    case kTerminal: return pick_bit(audit::kPickTerminal);
    case kRes: return pick_bit(audit::kPickRes);
    case kCmd: return pick_bit(audit::kPickCmd);
    case kUidName: return pick_bit(audit::kPickEUid) | pick_bit(audit::kPickUid);
    case kAuidName: return pick_bit(audit::kPickEAuid) | pick_bit(audit::kPickAuid);
    case kGidName: return pick_bit(audit::kPickEGid) | pick_bit(audit::kPickGid);
    default: return 0;
  }
}

// audit.passwd / audit.group, loaded (and kept while unchanged) when set.
std::shared_ptr<const audit::IdNames> names_from(const char* setting) {
  const auto path = config::get(setting);
  if (!path) return nullptr;
  return audit::IdNames::load(*path, setting);
}

// The columns of one event, whatever the events come from: the files of
// audit_events(path) or the rows of audit_events_from(sql) (Feed below).
class EventsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    // count(*), or only the identity: no record text needs keeping.
    bool keep_text = false;
    audit::PickMask picks = 0;
    for (int c = 0; c < kPath; ++c) {
      if (!args.used(c)) continue;
      const bool identity = c == kTime || c == kEpoch || c == kSerial || c == kNode ||
                            c == kRecordCount || c == kFile || c == kLine || c == kOffset;
      keep_text |= !identity;
      picks |= picks_of(c);
    }
    // Names for ids, when the query shows names and the analyst gave the files.
    users_ = args.used(kUidName) || args.used(kAuidName) || args.used(kAccount) ? names_from("audit.passwd") : nullptr;
    groups_ = args.used(kGidName) ? names_from("audit.group") : nullptr;
    view_.set_names(users_.get(), groups_.get());
    current_ = nullptr;
    start(args, keep_text, picks);  // a new scan on the same cursor (the inner side of a join)
    advance();
  }

  void next() override { advance(); }
  bool eof() const override { return current_ == nullptr; }
  // A line that is no record has no time: a time bound leaves it out, as SQLite would.
  std::optional<int64_t> time_ms() const override {
    if (!current_->is_record) return std::nullopt;
    return current_->epoch_ms;
  }

  void column(sqlite3_context* ctx, int col) override {
    const audit::Event& e = *current_;
    if (!e.is_record) {
      switch (col) {
        case kRecordCount: return sqlite3_result_int64(ctx, static_cast<int64_t>(e.record_count));
        case kRaw: return result_raw(ctx, std::string_view(e.raw).substr(0, e.raw.empty() ? 0 : e.raw.size() - 1));
        case kFile: return files_.empty() ? sqlite3_result_null(ctx) : sqlfn::result_text(ctx, files_[e.file]);
        case kLine: return result_line(ctx, e.line);
        case kOffset:
          if (files_.empty()) return sqlite3_result_null(ctx);
          return sqlite3_result_int64(ctx, static_cast<int64_t>(e.offset));
        case kParseError: return sqlfn::result_text(ctx, e.error);
        case kRecords: return sqlfn::result_text(ctx, "[]");
        default: return sqlite3_result_null(ctx);
      }
    }
    audit::EventView& v = view_;
    switch (col) {
      case kTime: return result_time(ctx, e.epoch_ms);
      case kEpoch: return sqlite3_result_double(ctx, static_cast<double>(e.epoch_ms) / 1000.0);
      case kSerial: return sqlite3_result_int64(ctx, static_cast<int64_t>(e.serial));
      case kNode:
        if (e.node.empty()) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, e.node);
      case kType: return sqlfn::result_text(ctx, v.type());
      case kRecordTypes: return sqlfn::result_text(ctx, v.record_types());
      case kArch: return sqlfn::result_opt(ctx, v.arch());
      case kSyscall: return sqlfn::result_opt(ctx, v.syscall());
      case kSuccess: return sqlfn::result_opt(ctx, v.success());
      case kExit: return sqlfn::result_opt(ctx, v.integer("exit"));
      case kPid: return sqlfn::result_opt(ctx, v.id("pid"));
      case kPpid: return sqlfn::result_opt(ctx, v.id("ppid"));
      case kUid: return sqlfn::result_opt(ctx, v.id("uid"));
      case kAuid: return sqlfn::result_opt(ctx, v.id("auid"));
      case kEuid: return sqlfn::result_opt(ctx, v.id("euid"));
      case kSuid: return sqlfn::result_opt(ctx, v.id("suid"));
      case kFsuid: return sqlfn::result_opt(ctx, v.id("fsuid"));
      case kGid: return sqlfn::result_opt(ctx, v.id("gid"));
      case kEgid: return sqlfn::result_opt(ctx, v.id("egid"));
      case kSes: return sqlfn::result_opt(ctx, v.id("ses"));
      case kTty: return sqlfn::result_opt(ctx, v.text("tty", true));
      case kComm: return sqlfn::result_opt(ctx, v.text("comm"));
      case kExe: return sqlfn::result_opt(ctx, v.text("exe"));
      case kArgc: return sqlfn::result_opt(ctx, v.argc());
      case kArgv: return sqlfn::result_opt(ctx, v.argv_json());
      case kCmdline: return sqlfn::result_opt(ctx, v.cmdline());
      case kProctitle: return sqlfn::result_opt(ctx, v.text("proctitle"));
      case kCwd: return sqlfn::result_opt(ctx, v.text("cwd"));
      case kPaths: return result_json(ctx, v.paths_json());
      case kKey: return sqlfn::result_opt(ctx, v.text("key"));
      case kSubj: return sqlfn::result_opt(ctx, v.text("subj"));
      case kOp: return sqlfn::result_opt(ctx, v.text("op"));
      case kAcct: return sqlfn::result_opt(ctx, v.text("acct", true));
      case kAccount: return sqlfn::result_opt(ctx, v.account());
      case kHostname: return sqlfn::result_opt(ctx, v.text("hostname", true));
      case kAddr: return sqlfn::result_opt(ctx, v.text("addr", true));
      case kTerminal: return sqlfn::result_opt(ctx, v.terminal());
      case kRes: return sqlfn::result_opt(ctx, v.text("res"));
      case kCmd: return sqlfn::result_opt(ctx, v.text("cmd"));
      case kUidName: return sqlfn::result_opt(ctx, v.id_name("uid", "UID", v.users()));
      case kAuidName: return sqlfn::result_opt(ctx, v.id_name("auid", "AUID", v.users()));
      case kGidName: return sqlfn::result_opt(ctx, v.id_name("gid", "GID", v.groups()));
      case kRecords: return sqlfn::result_text_z(ctx, v.records_json());
      case kRecordCount: return sqlite3_result_int64(ctx, static_cast<int64_t>(e.record_count));
      case kRaw: return result_raw(ctx, std::string_view(e.raw).substr(0, e.raw.empty() ? 0 : e.raw.size() - 1));
      case kFile: return files_.empty() ? sqlite3_result_null(ctx) : sqlfn::result_text(ctx, files_[e.file]);
      case kLine: return result_line(ctx, e.line);
      case kOffset:
        if (files_.empty()) return sqlite3_result_null(ctx);
        return sqlite3_result_int64(ctx, static_cast<int64_t>(e.offset));
      case kParseError: {
        // The assembler's findings, and what argv could not keep in place.
        const std::string& argv = v.argv_problem();
        if (argv.empty()) return e.error.empty() ? sqlite3_result_null(ctx) : sqlfn::result_text(ctx, e.error);
        if (e.error.empty()) return sqlfn::result_text(ctx, argv);
        return sqlfn::result_text(ctx, e.error + "; " + argv);
      }
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  void advance() {
    try {
      current_ = fetch();
    } catch (...) {
      current_ = nullptr;
      throw;
    }
    if (current_) view_.reset(current_);
  }

 protected:
  // Starts the events of a scan; fetch() hands them out, nullptr at the end (valid until
  // the next call). `picks`: the fields to pick ahead (audit_event.h: prepare_event).
  virtual void start(const vtab::FilterArgs& args, bool keep_text, audit::PickMask picks) = 0;
  virtual audit::Event* fetch() = 0;

  std::vector<std::string> files_;  // the files events name; empty: events from a query
                                    // (file and offset are NULL, line the SELECT's row)

 private:
  audit::Event* current_ = nullptr;
  audit::EventView view_;
  std::shared_ptr<const audit::IdNames> users_, groups_;
};

// audit_events(path): the files' events, read and assembled on the pipeline's thread.
class FileEventsCursor : public EventsCursor {
  void start(const vtab::FilterArgs& args, bool keep_text, audit::PickMask picks) override {
    pipeline_.reset();
    const std::string path = path_argument(args, kPath);
    const bool threaded = config::get_number("audit.threads") == 2;
    // Line numbers cost a read of what a window skips: counted only for the columns
    // that show them (parse_error names a record by its offset instead).
    auto source = std::make_unique<audit::AuditSource>(path, window_of(args, kTime, kEpoch),
                                                       args.used(kLine) || args.used(kRecords));
    files_ = source->files();
    // The fields the columns read are picked out of the records on the reader's thread.
    pipeline_ = std::make_unique<audit::EventPipeline>(std::move(source), keep_text, picks, threaded);
  }
  audit::Event* fetch() override { return pipeline_->next(); }

  std::unique_ptr<audit::EventPipeline> pipeline_;
};

// audit_events_from(sql): the records are the first column of the SELECT's rows (a
// `node` column, if there is one, is their host), stepped on this thread (SQLite is not
// to be called from the pipeline's) and assembled here, by the same assembler.
class SqlEventsCursor : public EventsCursor {
 public:
  explicit SqlEventsCursor(sqlite3* db) : db_(db) {}

 private:
  void start(const vtab::FilterArgs& args, bool keep_text, audit::PickMask picks) override {
    source_.reset();
    current_.reset();
    const auto select = args.text(kPath);
    if (!select) throw Error("sql is NULL");  // not reached: the base answers a NULL argument with no rows
    source_ = std::make_unique<sql::SqlSource>(db_, *select, "audit_events_from");
    node_col_ = source_->find("node");
    if (node_col_ == 0) node_col_ = -1;  // the first column is the record itself
    assembler_ = std::make_unique<audit::EventAssembler>(keep_text);
    picks_ = picks;
    finished_ = false;
    cell_ = audit::CellLines();
  }

  audit::Event* fetch() override {
    if (current_) assembler_->recycle(std::move(current_));
    for (;;) {
      if ((current_ = assembler_->take())) {
        if (picks_) prepare_event(*current_, picks_);
        return current_.get();
      }
      if (finished_) return nullptr;
      if (cell_.next(line_)) {
        assembler_->add(line_);
        continue;
      }
      if (source_->step()) {
        // The value stays valid until the next step(): every line of it is added first.
        sqlite3_value* v = source_->value(0);
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
        const std::string_view node = node_col_ >= 0 ? sqlfn::text_arg(source_->value(node_col_)) : "";
        cell_.reset(sqlite3_value_type(v) == SQLITE_NULL ? nullptr : text,
                    static_cast<size_t>(sqlite3_value_bytes(v)), node, source_->rows());
        continue;
      }
      assembler_->finish();
      finished_ = true;
    }
  }

  sqlite3* db_;
  std::unique_ptr<sql::SqlSource> source_;
  int node_col_ = -1;
  std::unique_ptr<audit::EventAssembler> assembler_;
  audit::PickMask picks_ = 0;
  audit::CellLines cell_;
  audit::SourceLine line_;
  bool finished_ = false;
  std::unique_ptr<audit::Event> current_;
};

class RecordsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    const std::string path = path_argument(args, kRPath);
    source_ = std::make_unique<audit::AuditSource>(path, window_of(args, kRTime, kREpoch), args.used(kRLine));
    advance();
  }
  void next() override { advance(); }
  bool eof() const override { return eof_; }
  std::optional<int64_t> time_ms() const override {
    if (!line_.is_record) return std::nullopt;
    return line_.header.epoch_ms;
  }

  void column(sqlite3_context* ctx, int col) override {
    const bool rec = line_.is_record;
    const audit::RecordHeader& h = line_.header;
    switch (col) {
      case kRType: return rec ? sqlfn::result_text(ctx, h.type) : sqlite3_result_null(ctx);
      case kRTime: return rec ? result_time(ctx, h.epoch_ms) : sqlite3_result_null(ctx);
      case kREpoch:
        return rec ? sqlite3_result_double(ctx, static_cast<double>(h.epoch_ms) / 1000.0) : sqlite3_result_null(ctx);
      case kRSerial: return rec ? sqlite3_result_int64(ctx, static_cast<int64_t>(h.serial)) : sqlite3_result_null(ctx);
      case kRNode: return rec && !h.node.empty() ? sqlfn::result_text(ctx, h.node) : sqlite3_result_null(ctx);
      case kRFields: {
        if (!rec) return sqlite3_result_null(ctx);
        audit::ParsedRecord parsed;
        audit::parse_fields(h, parsed);
        std::string json;
        audit::append_fields_json(json, parsed);
        return sqlfn::result_text(ctx, json);
      }
      case kRRaw: return result_raw(ctx, line_.line.text);
      case kRFile: return sqlfn::result_text(ctx, source_->files()[line_.file]);
      case kRLine: return result_line(ctx, line_.line.number);
      case kROffset: return sqlite3_result_int64(ctx, static_cast<int64_t>(line_.line.offset));
      case kRParseError: return line_.error.empty() ? sqlite3_result_null(ctx) : sqlfn::result_text(ctx, line_.error);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  void advance() {
    // Only rows inside a pushed-down window (SQLite checks them again anyway).
    const audit::TimeWindow& w = source_->window();
    do {
      eof_ = !source_->next(line_);
    } while (!eof_ && !w.empty() && (!line_.is_record || !w.contains(line_.header.epoch_ms)));
  }

  std::unique_ptr<audit::AuditSource> source_;
  audit::SourceLine line_;
  bool eof_ = true;
};

}  // namespace

int register_audit_events(sqlite3* db) {
  int rc = vtab::register_table(db, kEventsSpec, vtab::cursor_table<FileEventsCursor>);
  if (rc == SQLITE_OK) rc = vtab::register_table(db, kRecordsSpec, vtab::cursor_table<RecordsCursor>);
  if (rc == SQLITE_OK) rc = vtab::register_table(db, kEventsFromSpec, vtab::cursor_table<SqlEventsCursor>);
  return rc;
}

}  // namespace sqlhunt
