// vtabs/alerts — Microsoft Sentinel SecurityAlert exports, and their entity graph, as SQL.
//
//   SELECT * FROM alerts('case/alerts*.jsonl');
//   CREATE VIRTUAL TABLE case_alerts USING alerts(path='case/alertlist.csv');
//   SELECT e.* FROM alerts('case/alerts.jsonl') a, alert_entities(a.entities) e;
//
// alerts(path) — one row per alert. `path` (HIDDEN, required) is a file or a glob
// (natural order; a glob that matches nothing gives no rows, a literal path that does
// not exist is an error); `.gz` files are read through. Each file's shape is recognised
// from its first bytes (vtabs/alerts/alert_reader.h): JSON lines, a JSON array,
// pretty-printed objects, a Microsoft Graph `{"value": [...]}` envelope, a Log
// Analytics `{"tables": [...]}` result, or a CSV export with a header row.
//
//   time, epoch          TimeGenerated as ISO-8601 UTC text with ms, and REAL seconds
//   time_generated       the same instant (TimeGenerated | createdDateTime)
//   alert_name .. remediation_steps   see vtabs/alerts/alert.h for the source names
//   compromised_entity   CompromisedEntity, else ExtendedProperties' "Compromised Host"
//   start_time, end_time StartTimeUtc / EndTimeUtc, ISO form
//   tactics, techniques, remediation_steps   JSON arrays
//   entities, extended_properties   JSON (decoded a second time when the source holds
//                        them as JSON text, as Sentinel exports do)
//   record               the whole source record as a JSON object: every field of the
//                        source, the unknown ones too (json_extract(record, '$.TenantId'))
//   file, line           where the record starts (physical line)
//   parse_error          NULL, or why (part of) the record could not be read: malformed
//                        JSON, a CSV record with the wrong field count, a time that is
//                        not a time, a truncated file. The row is still there.
//
// Plan: `path` is the only input (an equality or the table-valued argument); every
// other constraint is checked by SQLite. A scan is planned at cost 1e6 / 1e4 rows
// (exports are thousands of alerts), so in a join SQLite reads the file once on the
// outer side. xFilter reads colUsed (FilterArgs::used) and decodes only the columns
// the query reads: Entities and ExtendedProperties are decoded a second time only
// when asked for (parse_error asks for everything, so its reasons are complete). Reading files, alerts is DIRECTONLY: a view or trigger in a database
// someone else wrote cannot make it read a path of their choosing.
//
// alert_entities(entities_json) — one row per entity of one alert's Entities: every
// object with "$id" and "Type", nested ones too, $ref references resolved
// (vtabs/alerts/entities.h). `entities_json` (HIDDEN, required) is the Entities text
// (alerts.entities, or Sentinel's raw Entities column). NULL or '' gives no rows;
// text that is not JSON gives one row with parse_error set and the rest NULL.
//
//   entity_id, type, name, address, host_name, account_name, command_line,
//   process_id (INTEGER, from 0x4e55 or 6699), parent_entity_id (a process's
//   ParentProcess), properties (the entity as JSON, references replaced by what they
//   name, cycles left as {"$ref"}), parse_error (unknown $ref, duplicate $id, a bad
//   ProcessId, or the input not being JSON)
//
// alert_entities reads nothing but its argument (like json_each), so it is not
// DIRECTONLY but SQLITE_VTAB_INNOCUOUS: views and triggers may use it, also with
// trusted_schema=OFF. Its cost is small (1 per call, 10 rows),
// so it goes on the inner side of a join with alerts.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_alerts(sqlite3* db);
}
