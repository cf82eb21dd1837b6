// vtabs/audit_events — Linux audit logs (auditd) as SQL.
//
//   SELECT time, auid, exe, cmdline FROM audit_events('/var/log/audit/audit.log*')
//    WHERE syscall = 'execve' AND ses = 3;
//   CREATE VIRTUAL TABLE host_audit USING audit_events(path='case/audit.log*');
//   SELECT type, fields FROM audit_records('case/audit.log') WHERE parse_error IS NOT NULL;
//
// audit_events(path) — one row per event: every record with the same node, time and
// serial (msg=audit(SECONDS.MILLIS:SERIAL)), joined within a window of 10,000 records
// or 10 s of log time (vtabs/audit_events/event_assembler.h). `path` (HIDDEN,
// required) is a file or a glob, read oldest first (audit.log.3 .. audit.log.1,
// audit.log), `.gz` read through; a glob matching nothing gives no rows, a literal
// path that does not exist or is a directory is an error.
//
// Columns are listed in kEventColumns below (and docs/audit_events.md): identity and
// place (time, epoch, serial, node, file, line, offset), the process (pid .. exe, argv,
// cmdline, proctitle, cwd, paths), user-space fields (op, acct, account, hostname, addr,
// terminal, res, cmd), names (uid_name, auid_name, gid_name: ENRICHED logs, else the
// files set as audit.passwd / audit.group), and the whole event (records as JSON, raw
// lines). Every line of the input is in exactly one row; a line that is not a record, a
// record that came too late to join its event, a line holding two records' headers and
// EXECVE arguments the kernel would never write are flagged in parse_error.
//
// Plan: `path` is the only required input. Constraints on `time` (ISO text) and `epoch`
// are pushed down as a window (vtabs/audit_events/audit_source.h: whole files skipped,
// a seek inside a plain file); SQLite still checks every row. The seek reads nothing
// before the window unless the query reads `line` or `records` (colUsed): line numbers
// need the skipped newlines counted. `offset` (byte offset of the first record) is free. A scan costs 1e7 (1e6
// rows), a windowed one a quarter of that per bound, so SQLite reads a log once, on the
// outer side of a join. Columns are decoded only when the query reads them: count(*)
// keeps no record text at all, and the fields the columns name are picked out of each
// record in one pass (field_picks.h). Reading and assembly run on a second thread
// (vtabs/audit_events/event_pipeline.h), or on the query's with audit.threads = 1;
// SQLite is only ever called from the query's.
//
// audit_records(path) — one row per physical line, before event assembly: type, time,
// epoch, serial, node, fields (JSON object of the decoded fields), raw, file, line,
// offset, parse_error. Same inputs, window and plan.
//
// audit_events_from(sql) — audit_events' rows and columns for records that arrive as a
// query's rows (a SIEM's AuditLog_CL.RawData): the SELECT's first column is one record
// (or several lines), a column named `node` the host of records without node=
// (vtabs/audit_events/cell_lines.h). The same assembler joins them, in the SELECT's
// order, on the query's thread (the SELECT is stepped there: core/sql_source.h); file
// and offset are NULL and line is the SELECT's row. Time bounds are applied to the
// events by the base, not pushed into the SELECT. It shares audit_events' column code
// (EventsCursor, below its feed), which is why this file passes 500 lines.
//
// All three are DIRECTONLY: a view or trigger in a database someone else wrote cannot
// make them read a path of its choosing, or hand audit_events_from SQL to run.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_audit_events(sqlite3* db);
}
