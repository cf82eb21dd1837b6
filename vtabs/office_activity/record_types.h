// vtabs/office_activity/record_types.h — the Office 365 Management Activity API's
// numbered enumerations, by name.
//
// The API writes RecordType and UserType as numbers (`"RecordType": 15`); Sentinel's
// OfficeActivity table writes most of them as names ("SharePointFileOperation") but
// leaves the types it has no name for as numbers in text ("36", "56", "50" in the
// shared export). Both become the documented name, so `record_type` groups the same
// activity the same way whatever the export. Source: the AuditLogRecordType and User
// Type tables of "Office 365 Management Activity API schema"
// (MicrosoftDocs/office-365-management-api, office-365-management-activity-api-schema.md
// at commit 0019d8dfbe68a5efe3aac66957219d35b98f1086, ms.date 01/17/2023).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sqlhunt::office {

// The member name of AuditLogRecordType `value`; nullptr when the table has none.
const char* record_type_name(int64_t value);
// The value of a member name (ASCII case ignored); nullopt when the table has none.
std::optional<int64_t> record_type_value(std::string_view name);
// Every (value, name) of the table, in the document's order (tests).
struct RecordTypeEntry {
  int value;
  const char* name;
};
const RecordTypeEntry* record_types(size_t* count);

// The member name of User Type `value` (0 Regular .. 8 SystemPolicy); nullptr otherwise.
const char* user_type_name(int64_t value);

}  // namespace sqlhunt::office
