// office_activity's pure normaliser: both dialects of an Office 365 audit record, the
// documented enumerations, the user agent's second place, and what text fields hold.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/record_stream.h"
#include "vtabs/office_activity/activity.h"
#include "vtabs/office_activity/record_types.h"

using namespace sqlhunt;
using Json = nlohmann::json;

namespace {

std::vector<office::Activity> read(const std::string& text, std::vector<std::string>* records = nullptr) {
  auto r = records::Reader::from_string(text);
  office::Normaliser n;
  std::vector<office::Activity> out;
  records::Record rec;
  while (r->next(rec)) {
    out.push_back(n(rec));
    if (records) records->push_back(n.record_json(rec));
  }
  return out;
}

std::string s(const std::optional<std::string>& v) { return v ? *v : "NULL"; }

}  // namespace

TEST(OfficeActivity, ManagementApiRecord) {
  auto rows = read(R"J([{"CreationTime": "2015-06-29T20:03:19", "Id": "80c76bd2", "Operation": "PasswordLogonInitialAuthUsingPassword",
    "OrganizationId": "41463f53", "RecordType": 9, "ResultStatus": "failed", "UserKey": "1153977025279851686@contoso",
    "UserType": 0, "Workload": "AzureActiveDirectory", "ClientIP": "134.170.188.221", "ObjectId": "admin@contoso",
    "UserId": "admin@contoso.onmicrosoft.com",
    "ExtendedProperties": [{"Name": "ResultStatusDetail", "Value": "Redirect"}, {"Name": "UserAgent", "Value": "Mozilla/5.0 (X11)"}]}])J");
  ASSERT_EQ(rows.size(), 1u);
  const auto& a = rows[0];
  EXPECT_EQ(s(a.time), "2015-06-29T20:03:19.000Z");
  EXPECT_DOUBLE_EQ(*a.epoch, 1435608199);
  EXPECT_EQ(s(a.id), "80c76bd2");
  EXPECT_EQ(s(a.record_type), "AzureActiveDirectoryAccountLogon");
  EXPECT_EQ(a.record_type_id, 9);
  EXPECT_EQ(s(a.user_type), "Regular");
  EXPECT_EQ(s(a.workload), "AzureActiveDirectory");
  EXPECT_EQ(s(a.client_ip), "134.170.188.221");
  EXPECT_FALSE(a.client_port);
  // By name, not the first entry (the notebook's $[0].Value would give "Redirect").
  EXPECT_EQ(s(a.user_agent), "Mozilla/5.0 (X11)");
  EXPECT_EQ(s(a.object_id), "admin@contoso");
  EXPECT_EQ(a.parse_error, "");
}

TEST(OfficeActivity, SentinelExportRecord) {
  // The portal's CSV: BOM, unit suffix, US 12-hour time, names for numbers, the number
  // of a type Sentinel has no name for, flattened duplicates, JSON in cells.
  const std::string csv =
      "\xEF\xBB\xBF" "TenantId,RecordType,TimeGenerated [UTC],Operation,UserType,OfficeWorkload,OfficeObjectId,UserId,"
      "UserId_,ClientIP,ClientIP_,Client_IPAddress,OfficeId,ExtraProperties,Parameters\n"
      "t1,SharePointFileOperation,\"4/28/2021, 3:05:26.000 PM\",FileAccessed,Regular,SharePoint,https://x/a.docx,,"
      "adelev@x,175.45.176.99:17362,,,id-1,\"[{\"\"Key\"\":\"\"UserAgent\"\",\"\"Value\"\":\"\"Teams\"\"}]\",\"[\n  {\n"
      "    \"\"Name\"\": \"\"Identity\"\",\n    \"\"Value\"\": \"\"x\"\"\n  }\n]\"\n"
      "t1,36,\"4/28/2021, 4:43:51.000 AM\",ListViewed,Admin,SharePoint,,u,u,,,[2603:1036:4:3f::5]:1672,id-2,[],not json [\n"
      "t1,232,\"4/28/2021, 12:00:00.000 PM\",X,9,Exchange,,u,u,\"[2603:1036:4:3F::5]:1672\",,,id-3,,\n"
      "t1,Mystery,yesterday,X,Regular,Exchange,,u,u,no-ip,,,id-4,,\n";
  std::vector<std::string> records;
  auto rows = read(csv, &records);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(s(rows[0].time), "2021-04-28T15:05:26.000Z");
  EXPECT_EQ(s(rows[0].record_type), "SharePointFileOperation");
  EXPECT_EQ(rows[0].record_type_id, 6);
  EXPECT_EQ(s(rows[0].user_id), "adelev@x");  // UserId empty: UserId_ stands in
  EXPECT_EQ(s(rows[0].client_ip), "175.45.176.99");
  EXPECT_EQ(rows[0].client_port, 17362);
  EXPECT_EQ(s(rows[0].user_agent), "Teams");  // ExtraProperties' {Key, Value}
  EXPECT_EQ(s(rows[0].id), "id-1");
  EXPECT_EQ(s(rows[0].object_id), "https://x/a.docx");
  const Json r0 = Json::parse(records[0]);
  EXPECT_EQ(r0["Parameters"][0]["Name"], "Identity");  // JSON text decoded
  EXPECT_EQ(r0["TimeGenerated [UTC]"], "4/28/2021, 3:05:26.000 PM");
  EXPECT_EQ(r0["UserId"], "");

  EXPECT_EQ(s(rows[1].time), "2021-04-28T04:43:51.000Z");
  EXPECT_EQ(s(rows[1].record_type), "SharePointListOperation");  // "36"
  EXPECT_EQ(rows[1].record_type_id, 36);
  EXPECT_EQ(s(rows[1].client_ip), "2603:1036:4:3f::5");  // from Client_IPAddress
  EXPECT_EQ(rows[1].client_port, 1672);
  EXPECT_EQ(Json::parse(records[1])["Parameters"], "not json [");  // not JSON: stays text
  EXPECT_EQ(s(rows[1].user_agent), "NULL");

  EXPECT_EQ(s(rows[2].time), "2021-04-28T12:00:00.000Z");
  EXPECT_EQ(s(rows[2].record_type), "232");  // no documented name: the number stays
  EXPECT_EQ(rows[2].record_type_id, 232);
  EXPECT_EQ(s(rows[2].user_type), "9");
  EXPECT_EQ(s(rows[2].client_ip), "2603:1036:4:3f::5");

  EXPECT_EQ(s(rows[3].time), "NULL");
  EXPECT_EQ(s(rows[3].record_type), "Mystery");
  EXPECT_FALSE(rows[3].record_type_id);
  EXPECT_EQ(s(rows[3].client_ip), "NULL");
  EXPECT_NE(rows[3].parse_error.find("time: cannot read 'yesterday'"), std::string::npos) << rows[3].parse_error;
  EXPECT_NE(rows[3].parse_error.find("ClientIP: 'no-ip' is not an IP address"), std::string::npos);
  EXPECT_EQ(rows[3].operation, "X");  // the rest is still filled
}

TEST(OfficeActivity, UserAgentPlaces) {
  auto rows = read(
      "{\"CreationTime\":\"2020-01-01T00:00:00\",\"ExtendedProperties\":\"[{\\\"Name\\\":\\\"UserAgent\\\",\\\"Value\\\":\\\"A\\\"}]\"}\n"
      "{\"CreationTime\":\"2020-01-01T00:00:00\",\"UserAgent\":\"B\",\"ExtendedProperties\":[{\"Name\":\"UserAgent\",\"Value\":\"A\"}]}\n"
      "{\"CreationTime\":\"2020-01-01T00:00:00\",\"ExtendedProperties\":{\"useragent\":\"C\"}}\n"
      "{\"CreationTime\":\"2020-01-01T00:00:00\",\"ExtendedProperties\":[{\"Name\":\"RequestType\",\"Value\":\"D\"}]}\n"
      "{\"TimeGenerated\":\"2020-01-01T00:00:00Z\"}\n"
      "{\"Operation\":\"no time\"}\n");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(s(rows[0].user_agent), "A");  // JSON text (Sentinel)
  EXPECT_EQ(s(rows[1].user_agent), "B");  // the UserAgent field first
  EXPECT_EQ(s(rows[2].user_agent), "C");
  EXPECT_EQ(s(rows[3].user_agent), "NULL");
  EXPECT_EQ(s(rows[4].time), "2020-01-01T00:00:00.000Z");
  EXPECT_NE(rows[5].parse_error.find("no CreationTime or TimeGenerated"), std::string::npos);
}

TEST(OfficeActivity, NeedLeavesColumnsOut) {
  auto r = records::Reader::from_string(R"({"CreationTime":"2020-01-01T00:00:00","Operation":"X","ClientIP":"bad"})");
  records::Record rec;
  ASSERT_TRUE(r->next(rec));
  office::Normaliser n;
  const auto a = n(rec, office::kNeedText);
  EXPECT_EQ(s(a.operation), "X");
  EXPECT_FALSE(a.time);
  EXPECT_EQ(a.parse_error, "");  // the ClientIP was not asked for, so not judged
}

TEST(OfficeActivity, EnumerationsAsDocumented) {
  // Spot values of the schema document's tables (record_types.h names the commit).
  EXPECT_STREQ(office::record_type_name(1), "ExchangeAdmin");
  EXPECT_STREQ(office::record_type_name(15), "AzureActiveDirectoryStsLogon");
  EXPECT_STREQ(office::record_type_name(36), "SharePointListOperation");
  EXPECT_STREQ(office::record_type_name(50), "ExchangeItemAggregated");
  EXPECT_STREQ(office::record_type_name(56), "SharePointFieldOperation");
  EXPECT_STREQ(office::record_type_name(231), "PlannerRosterSensitivityLabel");
  EXPECT_EQ(office::record_type_name(5), nullptr);  // the document skips 5, 12, 26, 27
  EXPECT_EQ(office::record_type_name(12), nullptr);
  EXPECT_EQ(office::record_type_value("sharepointfileoperation"), 6);
  EXPECT_FALSE(office::record_type_value("Nothing"));
  size_t count = 0;
  const auto* all = office::record_types(&count);
  EXPECT_EQ(count, 122u);
  std::set<int> values;
  std::set<std::string> names;
  for (size_t i = 0; i < count; ++i) {
    values.insert(all[i].value);
    names.insert(all[i].name);
    if (i > 0) {
      EXPECT_LT(all[i - 1].value, all[i].value);  // in the document's order
    }
  }
  EXPECT_EQ(values.size(), count);
  EXPECT_EQ(names.size(), count);
  EXPECT_STREQ(office::user_type_name(0), "Regular");
  EXPECT_STREQ(office::user_type_name(3), "DcAdmin");
  EXPECT_STREQ(office::user_type_name(8), "SystemPolicy");
  EXPECT_EQ(office::user_type_name(9), nullptr);
  EXPECT_EQ(office::user_type_name(-1), nullptr);
}
