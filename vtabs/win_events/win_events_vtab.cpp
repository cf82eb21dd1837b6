#include "vtabs/win_events/win_events_vtab.h"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_kind.h"
#include "core/file_source.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/win_events/event_model.h"
#include "vtabs/win_events/event_source.h"

namespace sqlhunt {
namespace {

using vtab::Column;
using winevt::Str;

enum Col {
  kTime, kEpoch, kEventId, kRecordId, kComputer, kChannel, kProvider, kActivity, kLevel,
  kUserSid, kSubjectUserSid, kSubjectUser, kSubjectDomain, kSubjectLogonId, kTargetUserSid,
  kTargetUser, kTargetDomain, kTargetLogonId, kLogonType, kLogonTypeName, kIpAddress, kIpPort,
  kWorkstation, kStatus, kStatusName, kSubStatus, kSubStatusName, kFailureReason, kProcessId,
  kParentProcessId, kProcessName, kParentProcessName, kCommandLine, kTokenElevation,
  kProcessGuid, kParentProcessGuid, kRecovered, kEventData, kRaw, kFile, kLine, kOffset,
  kParseError, kPath, kColumnCount
};

constexpr Column kColumns[] = {
    {"time", "TEXT", vtab::kTime, "TimeCreated, ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kRange, "TimeCreated as seconds since 1970"},
    {"event_id", "INTEGER", vtab::kArgument | vtab::kBatch, "EventID (= and IN are applied by the table)"},
    {"record_id", "INTEGER", vtab::kRange, "EventRecordID"},
    {"computer", "TEXT", vtab::kPlain, "Computer"},
    {"channel", "TEXT", vtab::kPlain, "Channel: Security, System, Microsoft-Windows-Sysmon/Operational ..."},
    {"provider", "TEXT", vtab::kPlain, "Provider Name (SecurityEvent: EventSourceName)"},
    {"activity", "TEXT", vtab::kPlain, "the event's title: An account was successfully logged on."},
    {"level", "INTEGER", vtab::kPlain, "Level: 0 LogAlways, 1 Critical, 2 Error, 3 Warning, 4 Information"},
    {"user_sid", "TEXT", vtab::kPlain, "System/Security/@UserID: the account the event was logged for"},
    {"subject_user_sid", "TEXT", vtab::kPlain, "SubjectUserSid"},
    {"subject_user", "TEXT", vtab::kPlain, "SubjectUserName (Sysmon: User), or a well-known SID's name"},
    {"subject_domain", "TEXT", vtab::kPlain, "SubjectDomainName"},
    {"subject_logon_id", "INTEGER", vtab::kPlain, "SubjectLogonId (Sysmon: LogonId) as an integer"},
    {"target_user_sid", "TEXT", vtab::kPlain, "TargetUserSid, or TargetSid (the group of 4728/4732)"},
    {"target_user", "TEXT", vtab::kPlain, "TargetUserName, or a well-known SID's name"},
    {"target_domain", "TEXT", vtab::kPlain, "TargetDomainName"},
    {"target_logon_id", "INTEGER", vtab::kPlain, "TargetLogonId as an integer"},
    {"logon_type", "INTEGER", vtab::kPlain, "LogonType"},
    {"logon_type_name", "TEXT", vtab::kPlain, "Interactive, Network, RemoteInteractive ..."},
    {"ip_address", "TEXT", vtab::kPlain, "IpAddress (ClientAddress); ::ffff:a.b.c.d as a.b.c.d"},
    {"ip_port", "INTEGER", vtab::kPlain, "IpPort (ClientPort)"},
    {"workstation", "TEXT", vtab::kPlain, "WorkstationName (Workstation)"},
    {"status", "TEXT", vtab::kPlain, "Status as 0xc000006d"},
    {"status_name", "TEXT", vtab::kPlain, "what Status means: bad user name or password ..."},
    {"sub_status", "TEXT", vtab::kPlain, "SubStatus as 0xc000006a"},
    {"sub_status_name", "TEXT", vtab::kPlain, "what SubStatus means"},
    {"failure_reason", "TEXT", vtab::kPlain, "FailureReason's message (%%2313: Unknown user name or bad password.)"},
    {"process_id", "INTEGER", vtab::kPlain, "4688: NewProcessId; Sysmon: ProcessId; else the acting process"},
    {"parent_process_id", "INTEGER", vtab::kPlain, "4688: ProcessId; Sysmon: ParentProcessId"},
    {"process_name", "TEXT", vtab::kPlain, "4688: NewProcessName; Sysmon: Image; else ProcessName"},
    {"parent_process_name", "TEXT", vtab::kPlain, "4688: ParentProcessName; Sysmon: ParentImage"},
    {"command_line", "TEXT", vtab::kPlain, "CommandLine"},
    {"token_elevation", "TEXT", vtab::kPlain, "TokenElevationType's name: TokenElevationTypeDefault (1) ..."},
    {"process_guid", "TEXT", vtab::kPlain, "Sysmon ProcessGuid, lower case"},
    {"parent_process_guid", "TEXT", vtab::kPlain, "Sysmon ParentProcessGuid, lower case"},
    {"recovered", "INTEGER", vtab::kPlain, "1: an EVTX record carved from chunk slack"},
    {"event_data", "TEXT", vtab::kPlain, "every EventData/UserData field, as a JSON object"},
    {"raw", "TEXT", vtab::kPlain, "EVTX, XML files: the event's XML; exports: the source record as JSON"},
    {"file", "TEXT", vtab::kPlain, "the file the event was read from"},
    {"line", "INTEGER", vtab::kPlain, "exports, XML: physical line; EVTX: the record's position in the file"},
    {"offset", "INTEGER", vtab::kPlain, "EVTX: byte offset of the record in the file"},
    {"parse_error", "TEXT", vtab::kPlain, "why (part of) the event could not be read; NULL when it was"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (.gz read through)"},
};
static_assert(vtab::count(kColumns) == kColumnCount, "one column spec per Col");

const vtab::TableSpec kSpec = {
    "win_events", "one row per Windows event of an EVTX log or an export",
    kColumns, vtab::count(kColumns), 1e6, 1e5, vtab::Trust::kDirectOnly,
    "reads the files its path names"};

// What check() points a file of these kinds to when another table is given one: EVTX
// and event XML (only win_events reads them) and JSON (Windows event exports; CSV is
// text, read by all).
const files::ReadsKinds kReads("win_events", {files::Kind::kEvtx, files::Kind::kXml, files::Kind::kJson});

void result_str(sqlite3_context* ctx, const Str& v) { sqlfn::result_opt(ctx, v); }
void result_int(sqlite3_context* ctx, const std::optional<int64_t>& v) { sqlfn::result_opt(ctx, v); }

// A value of `event_id = v` as an integer, or nullopt when no integer equals it.
std::optional<int64_t> integer_value(const std::string& text) {
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(d) || d != std::floor(d) ||
      std::fabs(d) > 9.2e18)
    return std::nullopt;
  return static_cast<int64_t>(d);
}

class WinEventsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    files_.clear();
    file_index_ = 0;
    source_.reset();
    eof_ = false;
    raw_.clear();
    raw_ready_ = false;
    filter_ = winevt::EvtxFilter{};
    event_ids_.clear();
    by_event_id_ = false;

    need_ = winevt::kNeedSystem;
    if (args.used(kParseError)) {
      need_ = winevt::kNeedAll;
    } else {
      if (args.used(kEventData)) need_ |= winevt::kNeedJson;
      for (int c = kUserSid + 1; c <= kParentProcessGuid; ++c)
        if (args.used(c)) need_ |= winevt::kNeedFields;
    }

    // event_id = / IN: exact, applied here.
    for (const auto& c : args.constraints()) {
      if (c.column != kEventId) continue;
      by_event_id_ = true;
      for (const std::string& v : args.texts(kEventId))
        if (auto id = integer_value(v)) event_ids_.push_back(*id);
    }
    for (int64_t id : event_ids_)
      if (id >= 0) filter_.event_ids.push_back(static_cast<uint64_t>(id));
    if (by_event_id_ && filter_.event_ids.empty()) filter_.event_ids.push_back(UINT64_MAX);  // none can match
    // time (exact instants: the base drops rows outside them, through time_ms()), and
    // epoch and record_id (hints SQLite re-checks): records outside are not expanded.
    // Widened by a millisecond each way: `time` is rounded to the millisecond.
    auto bound_ms = [&](const vtab::FilterArgs::Range& r) {
      if (r.lower) {
        const int64_t v = static_cast<int64_t>(std::floor(*r.lower * 1000)) - 1;
        if (!filter_.min_time_ms || v > *filter_.min_time_ms) filter_.min_time_ms = v;
      }
      if (r.upper) {
        const int64_t v = static_cast<int64_t>(std::ceil(*r.upper * 1000)) + 1;
        if (!filter_.max_time_ms || v < *filter_.max_time_ms) filter_.max_time_ms = v;
      }
    };
    bound_ms(args.time_range(kTime));
    bound_ms(args.real_range(kEpoch));
    const auto ids = args.real_range(kRecordId);
    if (ids.lower && *ids.lower > 0) filter_.min_record_id = static_cast<uint64_t>(std::ceil(*ids.lower));
    if (ids.upper && *ids.upper >= 0 && *ids.upper < 1.8e19)
      filter_.max_record_id = static_cast<uint64_t>(std::floor(*ids.upper));

    const auto path = args.text(kPath);
    if (!path) {
      eof_ = true;  // path = NULL matches nothing
      return;
    }
    files_ = files::expand(*path);
    from_glob_ = files::is_glob(*path);
    advance();
  }

  void next() override { advance(); }
  bool eof() const override { return eof_; }
  std::optional<int64_t> time_ms() const override { return event_.time_ms; }

  void column(sqlite3_context* ctx, int col) override {
    const winevt::WinEvent& e = event_;
    switch (col) {
      case kTime:
        if (e.time_ms) {
          char buf[timefmt::kIsoLength];
          timefmt::format_iso_ms(*e.time_ms, buf);
          sqlite3_result_text(ctx, buf, sizeof buf, SQLITE_TRANSIENT);
        } else {
          sqlite3_result_null(ctx);
        }
        return;
      case kEpoch: return sqlfn::result_opt(ctx, e.epoch);
      case kEventId: return result_int(ctx, e.event_id);
      case kRecordId: return result_int(ctx, e.record_id);
      case kComputer: return result_str(ctx, e.computer);
      case kChannel: return result_str(ctx, e.channel);
      case kProvider: return result_str(ctx, e.provider);
      case kActivity: return result_str(ctx, e.activity);
      case kLevel: return result_int(ctx, e.level);
      case kUserSid: return result_str(ctx, e.user_sid);
      case kSubjectUserSid: return result_str(ctx, e.subject_user_sid);
      case kSubjectUser: return result_str(ctx, e.subject_user);
      case kSubjectDomain: return result_str(ctx, e.subject_domain);
      case kSubjectLogonId: return result_int(ctx, e.subject_logon_id);
      case kTargetUserSid: return result_str(ctx, e.target_user_sid);
      case kTargetUser: return result_str(ctx, e.target_user);
      case kTargetDomain: return result_str(ctx, e.target_domain);
      case kTargetLogonId: return result_int(ctx, e.target_logon_id);
      case kLogonType: return result_int(ctx, e.logon_type);
      case kLogonTypeName: return result_str(ctx, e.logon_type_name);
      case kIpAddress: return result_str(ctx, e.ip_address);
      case kIpPort: return result_int(ctx, e.ip_port);
      case kWorkstation: return result_str(ctx, e.workstation);
      case kStatus: return result_str(ctx, e.status);
      case kStatusName: return result_str(ctx, e.status_name);
      case kSubStatus: return result_str(ctx, e.sub_status);
      case kSubStatusName: return result_str(ctx, e.sub_status_name);
      case kFailureReason: return result_str(ctx, e.failure_reason);
      case kProcessId: return result_int(ctx, e.process_id);
      case kParentProcessId: return result_int(ctx, e.parent_process_id);
      case kProcessName: return result_str(ctx, e.process_name);
      case kParentProcessName: return result_str(ctx, e.parent_process_name);
      case kCommandLine: return result_str(ctx, e.command_line);
      case kTokenElevation: return result_str(ctx, e.token_elevation);
      case kProcessGuid: return result_str(ctx, e.process_guid);
      case kParentProcessGuid: return result_str(ctx, e.parent_process_guid);
      case kRecovered: return sqlite3_result_int(ctx, row_.recovered ? 1 : 0);
      case kEventData:  // JSON built by core/json_text: valid UTF-8
        if (e.event_data.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text_valid(ctx, e.event_data);
        return;
      case kRaw:
        if (!raw_ready_) {
          raw_.clear();
          if (row_.xml) winevt::append_xml(raw_, *row_.xml);
          else raw_.assign(row_.raw);
          raw_ready_ = true;
        }
        if (raw_.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, raw_);
        return;
      case kFile: return sqlfn::result_text(ctx, current_file_);
      case kLine: return result_int(ctx, row_.line ? std::optional<int64_t>(static_cast<int64_t>(*row_.line)) : std::nullopt);
      case kOffset: return result_int(ctx, row_.offset ? std::optional<int64_t>(static_cast<int64_t>(*row_.offset)) : std::nullopt);
      case kParseError:
        if (row_.error.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, row_.error);
        return;
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  bool wanted() const {
    if (!by_event_id_) return true;
    if (!event_.event_id) return false;
    for (int64_t id : event_ids_)
      if (id == *event_.event_id) return true;
    return false;
  }

  // Moves to the next wanted row of this file or the next file; sets eof_ at the end.
  void advance() {
    for (;;) {
      if (!source_) {
        if (file_index_ >= files_.size()) {
          eof_ = true;
          return;
        }
        current_file_ = files_[file_index_++];
        try {
          source_ = winevt::open_event_source(current_file_, filter_);
        } catch (const Error& e) {
          if (!from_glob_ || by_event_id_) {
            if (!from_glob_) throw;
            continue;  // a row without an event id would not match
          }
          // A file the glob matched that cannot be read: a row of its own says why.
          row_ = winevt::SourceRow();
          event_.clear();
          row_.error = e.what();
          raw_ready_ = false;
          return;
        }
      }
      if (source_->next(row_, need_)) {
        normalise_.run(row_.ev, need_, event_, row_.activity_text);
        raw_ready_ = false;
        if (!wanted()) continue;
        return;
      }
      // A read error (a truncated .gz) ends the file early: say so in a row of its own.
      const std::string err = source_->read_error();
      source_.reset();
      if (!err.empty() && !by_event_id_) {
        row_ = winevt::SourceRow();
        event_.clear();
        row_.error = err;
        raw_ready_ = false;
        return;
      }
    }
  }

  std::vector<std::string> files_;
  size_t file_index_ = 0;
  std::unique_ptr<winevt::EventSource> source_;
  std::string current_file_;
  winevt::SourceRow row_;
  winevt::Normaliser normalise_;
  winevt::WinEvent event_;
  winevt::EvtxFilter filter_;
  std::vector<int64_t> event_ids_;
  bool by_event_id_ = false;
  unsigned need_ = winevt::kNeedAll;
  std::string raw_;
  bool raw_ready_ = false;
  bool from_glob_ = false;
  bool eof_ = true;
};

}  // namespace

int register_win_events(sqlite3* db) {
  return vtab::register_table(db, kSpec, vtab::cursor_table<WinEventsCursor>);
}

}  // namespace sqlhunt
