-- requires: datasets
-- Pushdown on the shared sample (1,708 lines, 938 events, 2019-03-02T00:10:05.594Z to
-- 00:45:25.634Z; auditd's own small disorder): each windowed query equals the same WHERE
-- over a materialised copy (extra/missing: rows in one and not the other).
.headers on
.mode list
create temp table ev as select * from audit_events('${DATASETS}/linux/auditd_log.txt');
select count(*), sum(record_count), min(time), max(time) from ev;
select 'one minute' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00') as pushed,
  (select count(*) from ev where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00' except select file, line, serial, record_count, raw from ev where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00' except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:20:00' AND '2019-03-02T00:21:00')) as missing;
.headers off
select 'the session 237 commands' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z') as pushed,
  (select count(*) from ev where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z' except select file, line, serial, record_count, raw from ev where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z' except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time BETWEEN '2019-03-02T00:43:56.365Z' AND '2019-03-02T00:44:48.346Z')) as missing;
select 'epoch window' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch >= 1551486000 AND epoch < 1551486600.5) as pushed,
  (select count(*) from ev where epoch >= 1551486000 AND epoch < 1551486600.5) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch >= 1551486000 AND epoch < 1551486600.5 except select file, line, serial, record_count, raw from ev where epoch >= 1551486000 AND epoch < 1551486600.5)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch >= 1551486000 AND epoch < 1551486600.5 except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch >= 1551486000 AND epoch < 1551486600.5)) as missing;
select 'the first event' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time <= '2019-03-02T00:10:05.594Z') as pushed,
  (select count(*) from ev where time <= '2019-03-02T00:10:05.594Z') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time <= '2019-03-02T00:10:05.594Z' except select file, line, serial, record_count, raw from ev where time <= '2019-03-02T00:10:05.594Z')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time <= '2019-03-02T00:10:05.594Z' except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time <= '2019-03-02T00:10:05.594Z')) as missing;
select 'the last minute' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time > '2019-03-02T00:44:25') as pushed,
  (select count(*) from ev where time > '2019-03-02T00:44:25') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time > '2019-03-02T00:44:25' except select file, line, serial, record_count, raw from ev where time > '2019-03-02T00:44:25')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time > '2019-03-02T00:44:25' except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where time > '2019-03-02T00:44:25')) as missing;
select 'one event by epoch' as q,
  (select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch = 1551487424.869) as pushed,
  (select count(*) from ev where epoch = 1551487424.869) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch = 1551487424.869 except select file, line, serial, record_count, raw from ev where epoch = 1551487424.869)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch = 1551487424.869 except select file, line, serial, record_count, raw from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch = 1551487424.869)) as missing;
