#include "vtabs/office_activity/office_activity_vtab.h"

#include <optional>
#include <string>

#include "core/file_kind.h"
#include "core/record_files.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/office_activity/activity.h"

namespace sqlhunt {
namespace {

using vtab::Column;

enum Col {
  kTime, kEpoch, kId, kRecordType, kRecordTypeId, kOperation, kWorkload, kResultStatus, kUserId, kUserType,
  kUserKey, kClientIp, kClientPort, kUserAgent, kObjectId, kOrganizationId, kRecord, kFile, kLine,
  kParseError, kPath, kColumnCount,
};

constexpr Column kColumns[] = {
    {"time", "TEXT", vtab::kTime, "CreationTime (API) or TimeGenerated (Sentinel), ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kPlain, "the same instant as seconds since 1970"},
    {"id", "TEXT", vtab::kPlain, "the record's Id (Sentinel: OfficeId)"},
    {"record_type", "TEXT", vtab::kPlain, "AuditLogRecordType name, from the name or the number"},
    {"record_type_id", "INTEGER", vtab::kPlain, "AuditLogRecordType number"},
    {"operation", "TEXT", vtab::kPlain, "Operation: FileAccessed, UserLoggedIn, New-InboxRule..."},
    {"workload", "TEXT", vtab::kPlain, "Workload (Sentinel: OfficeWorkload): Exchange, SharePoint, OneDrive..."},
    {"result_status", "TEXT", vtab::kPlain, "ResultStatus as written: Succeeded, Failed, True, Success..."},
    {"user_id", "TEXT", vtab::kPlain, "UserId: the UPN (or system account) that acted"},
    {"user_type", "TEXT", vtab::kPlain, "UserType name: Regular, Admin, DcAdmin, System, Application..."},
    {"user_key", "TEXT", vtab::kPlain, "UserKey: the user's alternative id (PUID)"},
    {"client_ip", "TEXT", vtab::kPlain, "ClientIP normalised: port, brackets, zone, ::ffff: removed"},
    {"client_port", "INTEGER", vtab::kPlain, "the port ClientIP carried, else NULL"},
    {"user_agent", "TEXT", vtab::kPlain, "UserAgent, else the UserAgent of ExtendedProperties/ExtraProperties"},
    {"object_id", "TEXT", vtab::kPlain, "ObjectId (Sentinel: OfficeObjectId): file URL, mailbox, object acted on"},
    {"organization_id", "TEXT", vtab::kPlain, "OrganizationId: the Office 365 tenant"},
    {"record", "TEXT", vtab::kPlain, "every field of the record as a JSON object, JSON text decoded"},
    {"file", "TEXT", vtab::kPlain, "the file the record was read from"},
    {"line", "INTEGER", vtab::kPlain, "the physical line where the record starts"},
    {"parse_error", "TEXT", vtab::kPlain, "why (part of) the record could not be read; NULL when it was"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (.gz read through)"},
};
static_assert(vtab::count(kColumns) == kColumnCount, "one Column per Col");

// JSON exports (CSV is text): what check() points a JSON file to.
const files::ReadsKinds kReads("office_activity", {files::Kind::kJson});

const vtab::TableSpec kSpec = {
    "office_activity", "one row per Office 365 audit record (Sentinel OfficeActivity, Management Activity API)",
    kColumns, vtab::count(kColumns), 1e6, 1e4, vtab::Trust::kDirectOnly, "reads the files its path names"};

class Cursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    eof_ = false;
    need_ = 0;
    if (args.used(kParseError)) {
      need_ = office::kNeedAll;  // every reason, so the column is complete
    } else {
      if (args.used(kTime) || args.used(kEpoch)) need_ |= office::kNeedTime;
      for (const auto& c : args.constraints())  // the base filters on the time (time_ms)
        if (c.column == kTime) need_ |= office::kNeedTime;
      for (int c : {kId, kOperation, kWorkload, kResultStatus, kUserId, kUserKey, kObjectId, kOrganizationId})
        if (args.used(c)) need_ |= office::kNeedText;
      if (args.used(kRecordType) || args.used(kRecordTypeId) || args.used(kUserType)) need_ |= office::kNeedTypes;
      if (args.used(kClientIp) || args.used(kClientPort)) need_ |= office::kNeedClient;
      if (args.used(kUserAgent)) need_ |= office::kNeedUserAgent;
    }
    const auto path = args.text(kPath);
    if (!path) {
      eof_ = true;  // path = NULL matches nothing
      return;
    }
    records_.start(*path);
    next();
  }

  void next() override {
    if (!records_.next(record_)) {
      eof_ = true;
      return;
    }
    activity_ = normalise_(record_, need_);
  }
  bool eof() const override { return eof_; }
  std::optional<int64_t> time_ms() const override {
    if (!activity_.epoch) return std::nullopt;
    return timefmt::epoch_ms_from_seconds(*activity_.epoch);
  }

  void column(sqlite3_context* ctx, int col) override {
    const office::Activity& a = activity_;
    switch (col) {
      case kTime: return sqlfn::result_opt(ctx, a.time);
      case kEpoch: return sqlfn::result_opt(ctx, a.epoch);
      case kId: return sqlfn::result_opt(ctx, a.id);
      case kRecordType: return sqlfn::result_opt(ctx, a.record_type);
      case kRecordTypeId: return sqlfn::result_opt(ctx, a.record_type_id);
      case kOperation: return sqlfn::result_opt(ctx, a.operation);
      case kWorkload: return sqlfn::result_opt(ctx, a.workload);
      case kResultStatus: return sqlfn::result_opt(ctx, a.result_status);
      case kUserId: return sqlfn::result_opt(ctx, a.user_id);
      case kUserType: return sqlfn::result_opt(ctx, a.user_type);
      case kUserKey: return sqlfn::result_opt(ctx, a.user_key);
      case kClientIp: return sqlfn::result_opt(ctx, a.client_ip);
      case kClientPort: return sqlfn::result_opt(ctx, a.client_port);
      case kUserAgent: return sqlfn::result_opt(ctx, a.user_agent);
      case kObjectId: return sqlfn::result_opt(ctx, a.object_id);
      case kOrganizationId: return sqlfn::result_opt(ctx, a.organization_id);
      case kRecord: {
        const std::string json = normalise_.record_json(record_);
        if (json.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, json);
        return;
      }
      case kFile: return sqlfn::result_text(ctx, records_.file());
      case kLine:
        if (record_.line) sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(record_.line));
        else sqlite3_result_null(ctx);
        return;
      case kParseError:
        if (a.parse_error.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, a.parse_error);
        return;
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  records::FileRecords records_{"office_activity", {files::Kind::kJson}};
  records::Record record_;
  office::Normaliser normalise_;
  office::Activity activity_;
  unsigned need_ = office::kNeedAll;
  bool eof_ = true;
};

}  // namespace

int register_office_activity(sqlite3* db) {
  return vtab::register_table(db, kSpec, vtab::cursor_table<Cursor>);
}

}  // namespace sqlhunt
