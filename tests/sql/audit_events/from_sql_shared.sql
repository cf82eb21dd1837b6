-- requires: datasets
-- audit_events_from on the shared sample (1,708 lines, 938 events, out-of-order
-- records and all): its lines handed over as rows give audit_events' 938 events, the
-- same in every column but file/line/offset, both ways round; with the host as a node
-- column, every event carries it.
.headers off
.mode list
CREATE TEMP TABLE lines AS SELECT raw FROM audit_records('${DATASETS}/linux/auditd_log.txt');
CREATE TEMP TABLE a AS SELECT time, epoch, serial, node, type, record_types, syscall, success, exit, pid, ppid, uid, auid, ses, comm, exe, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, res, records, record_count, raw, parse_error FROM audit_events('${DATASETS}/linux/auditd_log.txt');
CREATE TEMP TABLE b AS SELECT time, epoch, serial, node, type, record_types, syscall, success, exit, pid, ppid, uid, auid, ses, comm, exe, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, res, records, record_count, raw, parse_error FROM audit_events_from('SELECT raw FROM lines');
SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), (SELECT sum(record_count) FROM b);
SELECT count(*) FROM (SELECT * FROM a EXCEPT SELECT * FROM b);
SELECT count(*) FROM (SELECT * FROM b EXCEPT SELECT * FROM a);
SELECT node, count(*) FROM audit_events_from('SELECT raw, ''MSTICAlertsLxVM2'' AS node FROM lines') GROUP BY 1;
