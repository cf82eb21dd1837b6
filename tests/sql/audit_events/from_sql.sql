-- audit_events_from(sql): the records of a query's rows joined into events exactly as
-- audit_events joins a file's lines. Oracle: the file read by audit_events, and the same
-- lines handed over as rows (audit_records' raw column), give the same events in every
-- column but file/line/offset, both ways round.
.mode list
.headers off
SELECT count(*) FROM audit_events('${FIXTURES}/audit/sample.log');
SELECT count(*) FROM audit_events_from('SELECT raw FROM audit_records(''${FIXTURES}/audit/sample.log'')');
CREATE TEMP VIEW from_file AS SELECT time, epoch, serial, node, type, record_types, arch, syscall, success, exit, pid, ppid, uid, auid, euid, ses, tty, comm, exe, argc, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, res, cmd, records, record_count, raw, parse_error FROM audit_events('${FIXTURES}/audit/sample.log');
SELECT 'differences', count(*) FROM (
  SELECT * FROM from_file
  EXCEPT SELECT time, epoch, serial, node, type, record_types, arch, syscall, success, exit, pid, ppid, uid, auid, euid, ses, tty, comm, exe, argc, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, res, cmd, records, record_count, raw, parse_error
  FROM audit_events_from('SELECT raw FROM audit_records(''${FIXTURES}/audit/sample.log'')'));
SELECT 'and back', count(*) FROM (
  SELECT time, epoch, serial, node, type, record_types, arch, syscall, success, exit, pid, ppid, uid, auid, euid, ses, tty, comm, exe, argc, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, res, cmd, records, record_count, raw, parse_error
  FROM audit_events_from('SELECT raw FROM audit_records(''${FIXTURES}/audit/sample.log'')')
  EXCEPT SELECT * FROM from_file);
-- file and offset are NULL, line is the SELECT's row of the event's first record.
SELECT serial, quote(file), line, quote(offset) FROM audit_events_from('SELECT raw FROM audit_records(''${FIXTURES}/audit/sample.log'')') LIMIT 3;
-- A node column names the host of records without node= (a SIEM's Computer column):
-- two hosts' records with the same time and serial stay two events.
SELECT node, serial, record_count FROM audit_events_from(
  'SELECT raw, ''web01'' AS node FROM audit_records(''${FIXTURES}/audit/sample.log'') WHERE serial = 520
   UNION ALL SELECT raw, ''web02'' FROM audit_records(''${FIXTURES}/audit/sample.log'') WHERE serial = 520');
-- A record's own node= wins over the column.
SELECT node FROM audit_events_from('SELECT ''node=db01 type=USER_START msg=audit(1551485460.000:9): pid=1'', ''web01'' AS node');
-- A value may hold several lines (LF or CRLF); NULL, empty and junk are rows with a
-- parse_error, never skipped.
SELECT line, record_count, record_types, quote(parse_error) FROM audit_events_from(
  'VALUES (NULL), (''''), (''type=SYSCALL msg=audit(1551485425.400:520): syscall=59 success=yes'' || char(13, 10) || ''type=EXECVE msg=audit(1551485425.400:520): argc=1 a0="ls"''), (''not a record'')');
SELECT cmdline FROM audit_events_from('VALUES (''type=SYSCALL msg=audit(1551485425.400:520): syscall=59 success=yes'' || char(10) || ''type=EXECVE msg=audit(1551485425.400:520): argc=2 a0="ls" a1=2D6C61'')');
-- Time bounds mean the instants, as in audit_events.
SELECT count(*) FROM audit_events_from('SELECT raw FROM audit_records(''${FIXTURES}/audit/sample.log'')') WHERE time >= '2019-03-02 00:10:25';
-- What the SELECT may be (core/sql_source.h), and trust.
SELECT * FROM audit_events_from('CREATE TABLE t(a)');
SELECT * FROM audit_events_from('SELECT 1 FROM no_such_table');
SELECT count(*) FROM audit_events_from(NULL);
-- Direct-only: a view (of a database someone else wrote) cannot hand it SQL.
CREATE VIEW v AS SELECT * FROM audit_events_from('SELECT 1');
SELECT * FROM v;
