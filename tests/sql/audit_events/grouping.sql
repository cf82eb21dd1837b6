-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} interleaved.log missing_eoe.log late_record.log late_window.log login_syscall.log garbage.log truncated.log crlf.log rotated
-- Which records make one event (DESIGN.md, "Audit events: what one event means"), and
-- every line in exactly one row.
.headers on
.mode list
.nullvalue NULL
-- Two events of one millisecond, their records alternating: two events, by serial.
select time, serial, record_types, record_count, line, pid, exe, argv from audit_events('${TMP}/interleaved.log');
-- EOE missing on some events: no error, the next event's records do not join.
select serial, record_types, record_count, line, parse_error from audit_events('${TMP}/missing_eoe.log');
-- LOGIN shares its serial with cron's write(2) SYSCALL: one event, type SYSCALL (ausearch: two).
select serial, type, record_types, syscall, ses, auid, tty, line from audit_events('${TMP}/login_syscall.log');
-- A PATH after its event's EOE, within the window: back in its event (ausearch: a third event).
select serial, record_types, record_count, json_extract(paths, '$[2].name') as path2, line, parse_error from audit_events('${TMP}/late_record.log');
-- A PATH 40 s of log time after its event: a row of its own that says why.
select serial, record_types, record_count, line, parse_error from audit_events('${TMP}/late_window.log');
-- Lines that are not records: one row each, parse_error set, the events around them whole.
select serial, record_types, record_count, line, length(cast(raw as blob)) as raw_bytes, parse_error from audit_events('${TMP}/garbage.log');
-- The last line cut without a newline: kept in its event, the event says so.
select serial, record_types, record_count, line, parse_error from audit_events('${TMP}/truncated.log');
select substr(raw, -40) as raw_end from audit_events('${TMP}/truncated.log') where serial = 1302;
-- CRLF: read as LF, no CR left in values or raw.
select serial, record_types, cwd, res, instr(raw, char(13)) as cr_at from audit_events('${TMP}/crlf.log');
-- Rotated: audit.log.2.gz, audit.log.1, audit.log read oldest first as one stream; the
-- events that span two files are whole, file/line where they start.
select serial, record_types, record_count, replace(file, '${TMP}/', '') as file, line from audit_events('${TMP}/rotated/audit.log*');
-- sum(record_count) is the number of lines, for every fixture here.
select 'interleaved' as f, sum(record_count) from audit_events('${TMP}/interleaved.log')
union all select 'missing_eoe', sum(record_count) from audit_events('${TMP}/missing_eoe.log')
union all select 'login_syscall', sum(record_count) from audit_events('${TMP}/login_syscall.log')
union all select 'late_record', sum(record_count) from audit_events('${TMP}/late_record.log')
union all select 'late_window', sum(record_count) from audit_events('${TMP}/late_window.log')
union all select 'garbage', sum(record_count) from audit_events('${TMP}/garbage.log')
union all select 'truncated', sum(record_count) from audit_events('${TMP}/truncated.log')
union all select 'crlf', sum(record_count) from audit_events('${TMP}/crlf.log')
union all select 'rotated', sum(record_count) from audit_events('${TMP}/rotated/audit.log*');
-- audit_records: one row per line, the same parse errors.
select line, type, serial, parse_error from audit_records('${TMP}/garbage.log') where parse_error is not null or line in (7, 10);
