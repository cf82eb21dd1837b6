// functions/audit_fields — one audit record, or one value, decoded by auditd's rules.
//
// For audit lines that reach SQL as text rather than as a file: a SIEM export's
// RawData column (Sentinel's AuditLog_CL, Splunk's _raw), a syslog copy.
//
//   audit_fields(line) -> TEXT (JSON object)
//       Every field of one record line, decoded the way audit_events decodes them
//       (quoted values unquoted, hex-encoded names/paths/arguments decoded, (null) as
//       JSON null); the fields inside a user-space msg='...' are flattened in, ENRICHED
//       fields (after 0x1d) keep their upper-case names, words that are not key=value
//       are kept under "text". The header (type, time, serial) is not a field: a line
//       without one is read as fields alone. NULL in, NULL out.
//         SELECT json_extract(audit_fields(RawData), '$.exe') FROM AuditLog_CL;
//
//   audit_decode(value [, field]) -> TEXT
//       auditd's rule for one value: "quoted" -> unquoted; hex -> decoded (NULs as
//       spaces, bytes that are not UTF-8 as U+FFFD); (null) -> NULL; anything else
//       unchanged. With `field`, hex is decoded
//       only for fields auditd hex-encodes (name, exe, comm, proctitle, aN, ...), so a
//       number stays a number: audit_decode('1234', 'pid') = '1234'.
//
// Both are pure (DETERMINISTIC | INNOCUOUS): they read nothing but their arguments.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_audit_fields(sqlite3* db);
}
