// vtabs/office_activity/activity.h — one Office 365 audit record mapped to the
// office_activity table's columns.
//
// The same record comes in two dialects, and both map to the same columns (names
// matched by core/record_fields.h: case ignored, the portal's " [UTC]" dropped, the
// first name with a value wins):
//
//   column          Management Activity API      Sentinel OfficeActivity
//   time            CreationTime                 TimeGenerated
//   id              Id                           OfficeId
//   record_type     RecordType (a number)        RecordType (a name, or a number as text)
//   operation       Operation                    Operation
//   workload        Workload                     OfficeWorkload
//   result_status   ResultStatus                 ResultStatus
//   user_id         UserId                       UserId, UserId_
//   user_type       UserType (a number)          UserType (a name)
//   user_key        UserKey                      UserKey
//   client_ip       ClientIP, ClientIPAddress,   ClientIP, ClientIP_, Client_IPAddress,
//                   ActorIpAddress               ActorIpAddress
//   user_agent      UserAgent, else the "UserAgent" entry of ExtendedProperties or
//                   ExtraProperties ({Name|Key, Value} lists, or JSON text of one)
//   object_id       ObjectId                     OfficeObjectId
//   organization_id OrganizationId               OrganizationId, OrganizationId_
//
// record_type and user_type are names: numbers are looked up in the API's documented
// enumerations (record_types.h); a number the document does not name stays as its
// digits, so it is never merged with another. record_type_id is the number either way
// (NULL for a name the enumeration lacks). client_ip is core/ip.h's normalize() of the
// value ("175.45.176.99:17362" -> 175.45.176.99, "[2603:1036:4:3f::5]:1672" ->
// 2603:1036:4:3f::5) and client_port the port it carried.
//
// The notebook takes the user agent of Azure AD logons as ExtendedProperties[0].Value;
// here the entry is found by its name, because newer STS logon records put
// "ResultStatusDetail" first and their first value is "Redirect", not a browser.
//
// Nothing throws: a time that is no time, a ClientIP that holds no address, a missing
// CreationTime/TimeGenerated leave that column NULL and say why in parse_error (reasons
// joined with "; "); every other column is still filled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <simdjson.h>

#include "core/record_fields.h"
#include "core/record_stream.h"

namespace sqlhunt::office {

struct Activity {
  std::optional<std::string> time;  // ISO form
  std::optional<double> epoch;
  std::optional<std::string> id, record_type;
  std::optional<int64_t> record_type_id;
  std::optional<std::string> operation, workload, result_status, user_id, user_type, user_key, client_ip;
  std::optional<int64_t> client_port;
  std::optional<std::string> user_agent, object_id, organization_id;
  std::string parse_error;
};

// Which columns to fill (bits); columns left out stay NULL and cost nothing.
enum Need : unsigned {
  kNeedTime = 1u << 0,
  kNeedText = 1u << 1,       // id, operation, workload, result_status, user_*, object_id, organization_id
  kNeedTypes = 1u << 2,      // record_type, record_type_id, user_type
  kNeedClient = 1u << 3,     // client_ip, client_port
  kNeedUserAgent = 1u << 4,
  kNeedAll = ~0u,
};

class Normaliser {
 public:
  Normaliser();
  // parse_error is complete only with kNeedAll.
  Activity operator()(const records::Record& record, unsigned need = kNeedAll);
  // The record as one JSON object: every field, with the JSON that CSV cells and
  // Sentinel's text columns hold as text (Parameters, ModifiedProperties,
  // ExtendedProperties...) decoded, so json_extract(record, '$.Parameters[0].Name')
  // reads both dialects. Text that is not JSON stays text.
  std::string record_json(const records::Record& record);

 private:
  std::optional<std::string> user_agent_in(const records::Value& v);

  records::FieldPicker fields_;
  simdjson::dom::parser inner_;  // JSON held in text fields, reused
};

}  // namespace sqlhunt::office
