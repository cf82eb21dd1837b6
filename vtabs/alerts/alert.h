// vtabs/alerts/alert.h — one SecurityAlert record mapped to the alerts table's columns.
//
// normalise() takes a record from alert_reader.h (names as the source writes them) and
// fills the columns. Names are matched without regard to case and without a unit
// suffix (the portal writes "TimeGenerated [UTC]"), Sentinel's first and then
// Microsoft Graph's (alerts v1 and v2):
//
//   time_generated   TimeGenerated | createdDateTime
//   alert_name       AlertName | AlertDisplayName | title
//   alert_type       AlertType | category
//   severity         Severity | AlertSeverity
//   status           Status
//   description      Description
//   provider_name    ProviderName | vendorInformation.provider | serviceSource
//   vendor_name      VendorName | vendorInformation.vendor
//   product_name     ProductName | productName
//   compromised_entity CompromisedEntity, else ExtendedProperties' "Compromised Host"
//                    (what the notebook does: most alerts leave the column empty)
//   start_time       StartTimeUtc | StartTime | eventDateTime | firstActivityDateTime
//   end_time         EndTimeUtc | EndTime | lastEventDateTime | lastActivityDateTime
//   system_alert_id  SystemAlertId | id
//   tactics          Tactics | mitreTactics           -> JSON array
//   techniques       Techniques | mitreTechniques     -> JSON array
//   remediation_steps RemediationSteps | recommendedActions -> JSON array
//   entities         Entities | evidence              -> JSON
//   extended_properties ExtendedProperties | additionalData -> JSON
//
// Times are parsed with core/time.h (ISO-8601 with any fraction, "2019-01-11 06:31:40",
// the portal's "4/28/2021, 3:05:26.000 PM") and given in the one DESIGN.md form.
// Entities and ExtendedProperties are JSON *text* in Sentinel exports (and in CSV cells
// always): a string that holds JSON is decoded again. Lists written as text
// ("Persistence, Execution") become JSON arrays; a JSON array written as text
// ('["T1078"]') is decoded. Empty strings are NULL.
//
// Nothing throws: a time that cannot be read, JSON that does not parse, a record
// without TimeGenerated leave that column NULL and say why in `parse_error` (several
// reasons are joined with "; "), and every other column is still filled.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/record_stream.h"

namespace sqlhunt::alerts {

struct Alert {
  std::optional<std::string> time;  // ISO form of TimeGenerated
  std::optional<double> epoch;
  std::optional<std::string> alert_name, alert_type, severity, status, description, provider_name,
      vendor_name, product_name, compromised_entity, start_time, end_time, system_alert_id, tactics,
      techniques, remediation_steps, entities, extended_properties;
  std::string parse_error;
};

// Which columns to fill (bits of Need); kAll for every one. Columns left out stay
// nullopt and cost nothing (the adapter passes what the query reads). parse_error is
// complete only when every column is asked for.
enum Need : unsigned {
  kNeedTime = 1u << 0, kNeedText = 1u << 1, kNeedTimes = 1u << 2, kNeedLists = 1u << 3,
  kNeedEntities = 1u << 4, kNeedExtended = 1u << 5, kNeedCompromised = 1u << 6,
  kNeedAll = ~0u,
};

// Maps records to columns. Holds a parser for the JSON held in text fields (Entities,
// ExtendedProperties), reused from record to record.
class Normaliser {
 public:
  Alert operator()(const records::Record& record, unsigned need = kNeedAll);

 private:
  simdjson::dom::parser inner_;
};

// One record, every column (tests and tools; a scan reuses one Normaliser).
Alert normalise(const records::Record& record);

}  // namespace sqlhunt::alerts
