// vtabs/office_activity — Office 365 audit records (Sentinel OfficeActivity exports and
// the Management Activity API's JSON) as SQL.
//
//   SELECT * FROM office_activity('case/OfficeActivity.csv');
//   SELECT operation, count(*) FROM office_activity('case/o365/*.json') WHERE client_ip = '175.45.176.99' GROUP BY 1;
//   CREATE VIRTUAL TABLE o365 USING office_activity(path='case/o365_audit.jsonl');
//
// office_activity(path) — one row per audit record. `path` (HIDDEN, required) is a file
// or a glob (natural order; a glob that matches nothing gives no rows, a literal path
// that does not exist is an error); `.gz` files are read through. The shape of each
// file is recognised from its first bytes by core/record_stream.h: the Log Analytics
// portal's CSV export (UTF-8 BOM, "TimeGenerated [UTC]", US 12-hour times, multi-line
// JSON cells), JSON lines (Sentinel exports, the API's records one per line), a JSON
// array (one Management Activity API content blob), pretty-printed objects, and the
// Log Analytics query API's {"tables": ...} result. A file that is clearly something
// else (an EVTX log, a Zeek log) is one error naming the table that reads it.
//
//   time, epoch        CreationTime (API) or TimeGenerated (Sentinel): ISO-8601 UTC with
//                      ms, and REAL seconds
//   id                 Id / OfficeId
//   record_type        the AuditLogRecordType name, whether the source wrote the name or
//                      the number (vtabs/office_activity/record_types.h)
//   record_type_id     its number (NULL for a name the enumeration lacks)
//   operation, workload, result_status, user_id, user_type (named), user_key,
//   object_id, organization_id   see vtabs/office_activity/activity.h for the sources
//   client_ip          ClientIP (or ClientIPAddress, ActorIpAddress) normalised by
//                      core/ip.h: port, brackets, zone and ::ffff: removed, RFC 5952 v6
//   client_port        the port ClientIP carried ("1.2.3.4:53108"), else NULL
//   user_agent         UserAgent, else the UserAgent entry of ExtendedProperties or
//                      ExtraProperties (Azure AD logons keep it there)
//   record             every field of the source record as one JSON object, the JSON that
//                      text columns hold decoded
//   file, line         where the record starts (physical line)
//   parse_error        NULL, or why (part of) the record could not be read; the row is
//                      still there
//
// Plan: `path` is the only input. Bounds on `time` are instants applied by the base
// (core/vtab.h's kTime); every other constraint is checked by SQLite. A scan is
// planned at cost 1e6 / 1e4 rows, so in a join SQLite reads the file once, on the
// outer side. xFilter reads colUsed and decodes only what the query reads (the record
// column and user_agent's second look into ExtendedProperties cost nothing unless
// asked for; parse_error asks for everything). Reading files, office_activity is
// DIRECTONLY.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_office_activity(sqlite3* db);
}
