-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} logons.evtx zero_time.evtx
-- event_id = / IN reach the table as one batch and are applied by it (not re-checked by
-- SQLite); time, epoch and record_id bounds reach it as hints. Each answer equals the
-- same WHERE over a copy of the whole file. (That records and chunks are skipped, not
-- expanded, is counted in tests/unit/win_events_test.cpp.)
-- logons.evtx: chunk 0 records 1-6, chunk 1 records 7-12, one a minute from
-- 2020-09-13T12:26:40Z: 4624 x4, 4625 x3, 4688 x3, 4634 x2.
.headers on
.mode list
create temp table everything as select * from win_events('${TMP}/logons.evtx');
select event_id, count(*) from everything group by 1;
explain query plan select * from win_events('${TMP}/logons.evtx') where event_id in (4624, 4625) and time >= '2020-09-13T12:30';
select 'event_id IN' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where event_id in (4625, 4634)) as pushed,
  (select group_concat(record_id) from everything where event_id in (4625, 4634)) as whole;
select 'event_id =' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where event_id = 4688) as pushed,
  (select group_concat(record_id) from everything where event_id = 4688) as whole;
select 'event_id = text' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where event_id = '4688') as pushed,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where event_id = 4688.5) as none;
select 'time range' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where time >= '2020-09-13T12:29:40.000Z' and time < '2020-09-13T12:33:40.000Z') as pushed,
  (select group_concat(record_id) from everything where time >= '2020-09-13T12:29:40.000Z' and time < '2020-09-13T12:33:40.000Z') as whole;
-- A bound is the instant it names (docs/README.md, "Time"): '...12:33:40Z' is the same
-- instant as '...12:33:40.000Z', and '2020-09-13 12:29:40' (a space, no zone) too.
select 'time instants' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where time >= '2020-09-13 12:29:40' and time < '2020-09-13T12:33:40Z') as pushed,
  (select group_concat(record_id) from everything where epoch >= 1600000180 and epoch < 1600000420) as whole;
select 'time prefix' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where time between '2020-09-13T12:30' and '2020-09-13T12:32') as pushed,
  (select group_concat(record_id) from everything where time between '2020-09-13T12:30' and '2020-09-13T12:32') as whole;
select 'epoch' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where epoch > 1600000180 and epoch <= 1600000420) as pushed,
  (select group_concat(record_id) from everything where epoch > 1600000180 and epoch <= 1600000420) as whole;
select 'record_id' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where record_id between 5 and 8) as pushed,
  (select group_concat(record_id) from everything where record_id between 5 and 8) as whole;
select 'all together' as q,
  (select group_concat(record_id) from win_events('${TMP}/logons.evtx') where event_id in (4624, 4688) and record_id > 3 and time < '2020-09-13T12:36') as pushed,
  (select group_concat(record_id) from everything where event_id in (4624, 4688) and record_id > 3 and time < '2020-09-13T12:36') as whole;
-- In a join, the event ids come from the other table.
select w.record_id, w.event_id from (select 4634 as id union all select 4625) ids join win_events('${TMP}/logons.evtx') w on w.event_id = ids.id order by 1;
-- A record whose TimeCreated is 0 has its written time, and a time bound finds it by
-- that (the probe cannot decide on a TimeCreated of 0: the record is expanded).
select time, event_id, target_user from win_events('${TMP}/zero_time.evtx');
select count(*) from win_events('${TMP}/zero_time.evtx') where time >= '2020-09-13T12:26:40Z';
