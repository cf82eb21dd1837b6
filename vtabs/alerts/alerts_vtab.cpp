#include "vtabs/alerts/alerts_vtab.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_kind.h"
#include "core/file_source.h"
#include "core/record_stream.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/alerts/alert.h"
#include "vtabs/alerts/entities.h"

namespace sqlhunt {
namespace {

using vtab::Column;

// ---------------------------------------------------------------------------------
// alerts(path)

enum AlertCol {
  kTime, kEpoch, kTimeGenerated, kAlertName, kAlertType, kSeverity, kStatus, kDescription,
  kProviderName, kVendorName, kProductName, kCompromisedEntity, kStartTime, kEndTime,
  kSystemAlertId, kTactics, kTechniques, kRemediationSteps, kEntities, kExtendedProperties,
  kRecord, kFile, kLine, kParseError, kPath,
};

constexpr Column kAlertColumns[] = {
    {"time", "TEXT", vtab::kTime, "TimeGenerated, ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kPlain, "TimeGenerated as seconds since 1970"},
    {"time_generated", "TEXT", vtab::kTime, "TimeGenerated (or Graph createdDateTime), ISO form"},
    {"alert_name", "TEXT", vtab::kPlain, "AlertName (else AlertDisplayName, Graph title)"},
    {"alert_type", "TEXT", vtab::kPlain, "AlertType (Graph category)"},
    {"severity", "TEXT", vtab::kPlain, "Severity: High, Medium, Low, Informational"},
    {"status", "TEXT", vtab::kPlain, "Status (New, InProgress, Resolved...)"},
    {"description", "TEXT", vtab::kPlain, "Description"},
    {"provider_name", "TEXT", vtab::kPlain, "ProviderName (Graph vendorInformation.provider)"},
    {"vendor_name", "TEXT", vtab::kPlain, "VendorName (Graph vendorInformation.vendor)"},
    {"product_name", "TEXT", vtab::kPlain, "ProductName"},
    {"compromised_entity", "TEXT", vtab::kPlain, "CompromisedEntity, else ExtendedProperties' \"Compromised Host\""},
    {"start_time", "TEXT", vtab::kTime, "StartTimeUtc, ISO form"},
    {"end_time", "TEXT", vtab::kTime, "EndTimeUtc, ISO form"},
    {"system_alert_id", "TEXT", vtab::kPlain, "SystemAlertId (Graph id)"},
    {"tactics", "TEXT", vtab::kPlain, "Tactics as a JSON array"},
    {"techniques", "TEXT", vtab::kPlain, "Techniques as a JSON array"},
    {"remediation_steps", "TEXT", vtab::kPlain, "RemediationSteps as a JSON array"},
    {"entities", "TEXT", vtab::kPlain, "Entities, JSON (decoded from JSON text); see alert_entities()"},
    {"extended_properties", "TEXT", vtab::kPlain, "ExtendedProperties, JSON object"},
    {"record", "TEXT", vtab::kPlain, "the whole source record as a JSON object"},
    {"file", "TEXT", vtab::kPlain, "the file the record was read from"},
    {"line", "INTEGER", vtab::kPlain, "the physical line where the record starts"},
    {"parse_error", "TEXT", vtab::kPlain, "why (part of) the record could not be read; NULL when it was"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (.gz read through)"},
};

// JSON exports (and CSV, which is text): what check() points a JSON file to.
const files::ReadsKinds kReads("alerts", {files::Kind::kJson});

const vtab::TableSpec kAlertsSpec = {
    "alerts", "one row per Sentinel SecurityAlert record of an export file",
    kAlertColumns, vtab::count(kAlertColumns), 1e6, 1e4, vtab::Trust::kDirectOnly,
    "reads the files its path names"};

class AlertsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    files_.clear();
    file_index_ = 0;
    reader_.reset();
    eof_ = false;
    // Decode only what the query reads (parse_error needs everything, to be complete).
    need_ = 0;
    if (args.used(kParseError)) {
      need_ = alerts::kNeedAll;
    } else {
      if (args.used(kTime) || args.used(kEpoch) || args.used(kTimeGenerated)) need_ |= alerts::kNeedTime;
      for (const auto& c : args.constraints()) {  // the base filters on the times (time_ms_of)
        if (c.column == kTime || c.column == kTimeGenerated) need_ |= alerts::kNeedTime;
        if (c.column == kStartTime || c.column == kEndTime) need_ |= alerts::kNeedTimes;
      }
      for (int c : {kAlertName, kAlertType, kSeverity, kStatus, kDescription, kProviderName, kVendorName,
                    kProductName, kSystemAlertId})
        if (args.used(c)) need_ |= alerts::kNeedText;
      if (args.used(kStartTime) || args.used(kEndTime)) need_ |= alerts::kNeedTimes;
      if (args.used(kTactics) || args.used(kTechniques) || args.used(kRemediationSteps)) need_ |= alerts::kNeedLists;
      if (args.used(kEntities)) need_ |= alerts::kNeedEntities;
      if (args.used(kExtendedProperties)) need_ |= alerts::kNeedExtended;
      if (args.used(kCompromisedEntity)) need_ |= alerts::kNeedCompromised;
    }
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
  std::optional<int64_t> time_ms() const override {
    if (!alert_.epoch) return std::nullopt;
    return timefmt::epoch_ms_from_seconds(*alert_.epoch);
  }
  // start_time and end_time are kTime columns too: their bounds mean instants.
  std::optional<int64_t> time_ms_of(int col) const override {
    if (col != kStartTime && col != kEndTime) return time_ms();
    const std::optional<std::string>& text = col == kStartTime ? alert_.start_time : alert_.end_time;
    const std::optional<double> s = text ? timefmt::parse(*text) : std::nullopt;
    if (!s) return std::nullopt;
    return timefmt::epoch_ms_from_seconds(*s);
  }
  void column(sqlite3_context* ctx, int col) override {
    switch (col) {
      case kTime:
      case kTimeGenerated: return sqlfn::result_opt(ctx, alert_.time);
      case kEpoch: return sqlfn::result_opt(ctx, alert_.epoch);
      case kAlertName: return sqlfn::result_opt(ctx, alert_.alert_name);
      case kAlertType: return sqlfn::result_opt(ctx, alert_.alert_type);
      case kSeverity: return sqlfn::result_opt(ctx, alert_.severity);
      case kStatus: return sqlfn::result_opt(ctx, alert_.status);
      case kDescription: return sqlfn::result_opt(ctx, alert_.description);
      case kProviderName: return sqlfn::result_opt(ctx, alert_.provider_name);
      case kVendorName: return sqlfn::result_opt(ctx, alert_.vendor_name);
      case kProductName: return sqlfn::result_opt(ctx, alert_.product_name);
      case kCompromisedEntity: return sqlfn::result_opt(ctx, alert_.compromised_entity);
      case kStartTime: return sqlfn::result_opt(ctx, alert_.start_time);
      case kEndTime: return sqlfn::result_opt(ctx, alert_.end_time);
      case kSystemAlertId: return sqlfn::result_opt(ctx, alert_.system_alert_id);
      case kTactics: return sqlfn::result_opt(ctx, alert_.tactics);
      case kTechniques: return sqlfn::result_opt(ctx, alert_.techniques);
      case kRemediationSteps: return sqlfn::result_opt(ctx, alert_.remediation_steps);
      case kEntities: return sqlfn::result_opt(ctx, alert_.entities);
      case kExtendedProperties: return sqlfn::result_opt(ctx, alert_.extended_properties);
      case kRecord:
        if (record_.json.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, record_.json);
        return;
      case kFile: return sqlfn::result_text(ctx, current_file_);
      case kLine:
        if (record_.line) sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(record_.line));
        else sqlite3_result_null(ctx);
        return;
      case kParseError:
        if (alert_.parse_error.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, alert_.parse_error);
        return;
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  // Moves to the next record of this file or the next file; sets eof_ at the end.
  void advance() {
    for (;;) {
      if (!reader_) {
        if (file_index_ >= files_.size()) {
          eof_ = true;
          return;
        }
        current_file_ = files_[file_index_++];
        try {
          files::check(current_file_, "alerts", {files::Kind::kJson});  // an .evtx is named, not read as junk
          reader_ = std::make_unique<records::Reader>(current_file_);
        } catch (const Error& e) {
          if (!from_glob_) throw;
          // A file the glob matched that cannot be read: a row of its own says why.
          record_ = records::Record();
          alert_ = alerts::Alert();
          alert_.parse_error = e.what();
          return;
        }
      }
      if (reader_->next(record_)) {
        alert_ = normalise_(record_, need_);
        return;
      }
      // A read error (a truncated .gz) ends the file early: say so in a row of its own.
      const std::string err = reader_->read_error();
      reader_.reset();
      if (!err.empty()) {
        record_ = records::Record();
        alert_ = alerts::Alert();
        alert_.parse_error = err;
        return;
      }
    }
  }

  std::vector<std::string> files_;
  size_t file_index_ = 0;
  std::unique_ptr<records::Reader> reader_;
  std::string current_file_;
  records::Record record_;
  alerts::Normaliser normalise_;
  unsigned need_ = alerts::kNeedAll;
  alerts::Alert alert_;
  bool from_glob_ = false;
  bool eof_ = true;
};

// ---------------------------------------------------------------------------------
// alert_entities(entities_json)

enum EntityCol {
  kEntityId, kType, kName, kAddress, kHostName, kAccountName, kCommandLine, kProcessId,
  kParentEntityId, kProperties, kEntityParseError, kEntitiesJson,
};

constexpr Column kEntityColumns[] = {
    {"entity_id", "TEXT", vtab::kPlain, "the entity's $id"},
    {"type", "TEXT", vtab::kPlain, "Type as written: host, ip, account, process, file, filehash, url, ..."},
    {"name", "TEXT", vtab::kPlain, "a readable value: host name, IP, account, command line, file name, URL"},
    {"address", "TEXT", vtab::kPlain, "ip: Address"},
    {"host_name", "TEXT", vtab::kPlain, "host: HostName; others: their Host's HostName"},
    {"account_name", "TEXT", vtab::kPlain, "account: Name; process, logon session: their Account's Name"},
    {"command_line", "TEXT", vtab::kPlain, "process: CommandLine"},
    {"process_id", "INTEGER", vtab::kPlain, "process: ProcessId (0x4e55 or 6699 in the source)"},
    {"parent_entity_id", "TEXT", vtab::kPlain, "process: the $id of its ParentProcess"},
    {"properties", "TEXT", vtab::kPlain, "the entity as JSON, $ref references replaced"},
    {"parse_error", "TEXT", vtab::kPlain, "unknown $ref, duplicate $id, bad ProcessId, input not JSON"},
    {"entities_json", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "an alert's Entities JSON"},
};

const vtab::TableSpec kEntitiesSpec = {
    "alert_entities", "one row per entity of a Sentinel alert's Entities JSON",
    kEntityColumns, vtab::count(kEntityColumns), 1, 10, vtab::Trust::kInnocuous,
    "reads nothing but its argument, in memory and time bounded by it (entities.h), so views of"
    " any schema may use it, also with trusted_schema=OFF"};

class EntitiesCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    list_ = alerts::EntityList();
    index_ = 0;
    const auto text = args.text(kEntitiesJson);
    if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) {
      size_ = 0;
      return;
    }
    list_ = alerts::parse_entities(*text);
    // Input that is not JSON at all: one row that says so.
    size_ = list_.entities.empty() && !list_.error.empty() ? 1 : list_.entities.size();
  }
  void next() override { ++index_; }
  bool eof() const override { return index_ >= size_; }

  void column(sqlite3_context* ctx, int col) override {
    if (list_.entities.empty()) {
      if (col == kEntityParseError) sqlfn::result_text(ctx, list_.error);
      else sqlite3_result_null(ctx);
      return;
    }
    const alerts::Entity& e = list_.entities[index_];
    switch (col) {
      case kEntityId: return sqlfn::result_text(ctx, e.entity_id);
      case kType: return sqlfn::result_text(ctx, e.type);
      case kName: return sqlfn::result_opt(ctx, e.name);
      case kAddress: return sqlfn::result_opt(ctx, e.address);
      case kHostName: return sqlfn::result_opt(ctx, e.host_name);
      case kAccountName: return sqlfn::result_opt(ctx, e.account_name);
      case kCommandLine: return sqlfn::result_opt(ctx, e.command_line);
      case kProcessId:
        if (e.process_id) sqlite3_result_int64(ctx, *e.process_id);
        else sqlite3_result_null(ctx);
        return;
      case kParentEntityId: return sqlfn::result_opt(ctx, e.parent_entity_id);
      case kProperties: return sqlfn::result_text(ctx, e.properties);
      case kEntityParseError: {
        std::string err = e.error;
        if (!list_.error.empty()) err = err.empty() ? list_.error : err + "; " + list_.error;
        if (err.empty()) sqlite3_result_null(ctx);
        else sqlfn::result_text(ctx, err);
        return;
      }
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  alerts::EntityList list_;
  size_t index_ = 0, size_ = 0;
};

}  // namespace

int register_alerts(sqlite3* db) {
  int rc = vtab::register_table(db, kAlertsSpec, vtab::cursor_table<AlertsCursor>);
  if (rc == SQLITE_OK) rc = vtab::register_table(db, kEntitiesSpec, vtab::cursor_table<EntitiesCursor>);
  return rc;
}

}  // namespace sqlhunt
