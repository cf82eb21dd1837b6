-- requires: datasets
-- A time bound means the instant it names, in every table with a time column, whatever
-- form it is written in: T or a space, Z or not, a zone offset, a fraction or none, a
-- date, a month, a year, epoch seconds. Before, `time >= '2019-03-02 00:40:00'` was
-- compared as text (' ' sorts before 'T') and gave all 938 events instead of 284.
.headers off
.mode list
select 'audit_events, space', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02 00:40:00';
select 'audit_events, ISO Z', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02T00:40:00Z';
select 'audit_events, no Z, ms', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02T00:40:00.000';
select 'audit_events, +01:00', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02T01:40:00+01:00';
select 'audit_events, minutes', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02 00:40';
select 'audit_events, epoch number', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= 1551487200;
select 'audit_events, by epoch', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where epoch >= 1551487200;
select 'audit_events, whole day', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02' and time < '2019-03-03';
select 'audit_events, the month', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03' and time < '2019-04';
select 'audit_events, the year', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time < '2019';
select 'audit_events, = instant', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time = '2019-03-02 00:10:05.594';
select 'audit_records, space', count(*) from audit_records('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02 00:40:00';
select 'audit_records, ISO Z', count(*) from audit_records('${DATASETS}/linux/auditd_log.txt') where time >= '2019-03-02T00:40:00Z';
-- alerts_list.jsonl: 25 alerts, 2019-02-15 to 2019-02-18.
select 'alerts, space', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time >= '2019-02-18 00:00:00';
select 'alerts, ISO Z', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time >= '2019-02-18T00:00:00Z';
select 'alerts, date', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time >= '2019-02-18';
select 'alerts, by epoch', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where epoch >= unixepoch('2019-02-18');
-- A bound from another table (a join) is read the same way; NULL matches nothing.
select 'join', count(*) from (select '2019-03-02 00:40:00' as t) b join audit_events('${DATASETS}/linux/auditd_log.txt') e on e.time >= b.t;
select 'NULL bound', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= NULL;
-- A bound that is no time is an error that says which forms work.
select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= 'yesterday';
select count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time < '2019-02-30';
