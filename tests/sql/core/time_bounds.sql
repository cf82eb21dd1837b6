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
-- alerts' other time columns are instants too (before: 15 alerts 'after' 23:00 by text).
select 'alerts time_generated, space', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time_generated >= '2019-02-18 00:00:00';
select 'alerts time_generated, ISO Z', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time_generated >= '2019-02-18T00:00:00Z';
select 'alerts time_generated, late', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time_generated >= '2019-02-18 23:00:00';
select 'alerts start_time, space', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where start_time >= '2019-02-18 00:00:00';
select 'alerts start_time, ISO Z', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where start_time >= '2019-02-18T00:00:00Z';
select 'alerts end_time, space', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where end_time < '2019-02-16 00:00:00';
select 'alerts end_time, ISO Z', count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where end_time < '2019-02-16T00:00:00Z';
-- The newer readers, one line each: the space form counts what the ISO form does.
select 'win_events, space', count(*) from win_events('${DATASETS}/windows/evtx/security.evtx') where time >= '2017-01-01 00:00:00';
select 'win_events, ISO Z', count(*) from win_events('${DATASETS}/windows/evtx/security.evtx') where time >= '2017-01-01T00:00:00Z';
select 'net_flows, space', count(*) from net_flows('${DATASETS}/network/az_net_flows.csv') where time >= '2019-02-13 12:00:00';
select 'net_flows, ISO Z', count(*) from net_flows('${DATASETS}/network/az_net_flows.csv') where time >= '2019-02-13T12:00:00Z';
select 'office_activity, space', count(*) from office_activity('${DATASETS}/office/office_activity.csv') where time >= '2021-04-28 12:00:00';
select 'office_activity, ISO Z', count(*) from office_activity('${DATASETS}/office/office_activity.csv') where time >= '2021-04-28T12:00:00Z';
-- process_tree's time and exit_time: starts at 00:30 and 00:50, the first exiting at 00:55.
create temp view procs as select 'h' as host, 10 as pid, 1 as ppid, '2019-03-02T00:30:00Z' as time, 'a' as image, 0 as is_exit union all select 'h', 11, 1, '2019-03-02T00:50:00Z', 'b', 0 union all select 'h', 10, 1, '2019-03-02T00:55:00Z', 'a', 1;
select 'process_tree time, space', count(*) from process_tree('select * from procs') where time >= '2019-03-02 00:40:00';
select 'process_tree time, ISO Z', count(*) from process_tree('select * from procs') where time >= '2019-03-02T00:40:00Z';
select 'process_tree exit_time, space', count(*) from process_tree('select * from procs') where exit_time >= '2019-03-02 00:54:00';
select 'process_tree exit_time, none', count(*) from process_tree('select * from procs') where exit_time >= '2019-03-02 00:56';
-- A bound from another table (a join) is read the same way; NULL matches nothing.
select 'join', count(*) from (select '2019-03-02 00:40:00' as t) b join audit_events('${DATASETS}/linux/auditd_log.txt') e on e.time >= b.t;
select 'NULL bound', count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= NULL;
-- A bound that is no time is an error that says which forms work.
select count(*) from audit_events('${DATASETS}/linux/auditd_log.txt') where time >= 'yesterday';
select count(*) from alerts('${DATASETS}/alerts/alerts_list.jsonl') where time < '2019-02-30';
