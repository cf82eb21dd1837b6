-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} many.log rotated late_window.log
-- time/epoch constraints are pushed down (files skipped, a seek inside a file, reading
-- stopped past the window) and the answer is the same as without: each query is compared
-- with the same WHERE over a copy of the whole log materialised in a temp table.
-- pushed: rows with the pushdown; whole: rows from the copy; extra/missing: rows (file,
-- line, serial, record_count, raw) in one and not the other, which must be 0.
-- many.log: 4,000 events, 2023-11-14T23:13:22.700Z to 2023-11-15T02:13:19.995Z, one every
-- 2.7 s; the 500th, 1000th... logged 5 ms before the event written before them.
.headers on
.mode list
-- The constraints reach the table (plan 3: time and epoch usable).
explain query plan select count(*) from audit_events('${TMP}/many.log') where time between '2023-11-15T00:30' and '2023-11-15T00:31';
create temp table ev as select * from audit_events('${TMP}/many.log');
create temp table rot as select * from audit_events('${TMP}/rotated/audit.log*');
select count(*), sum(record_count) from ev;
select 'one minute, text bounds' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00') as pushed,
  (select count(*) from ev where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00' except select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00' AND '2023-11-15T00:31:00')) as missing;
.headers off
select 'one minute, full ISO bounds' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z') as pushed,
  (select count(*) from ev where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z' except select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30:00.000Z' AND '2023-11-15T00:31:00.000Z')) as missing;
select 'exact event times, >= and <' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z') as pushed,
  (select count(*) from ev where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z' except select file, line, serial, record_count, raw from ev where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time >= '2023-11-15T00:30:00.800Z' AND time < '2023-11-15T00:30:06.200Z')) as missing;
select 'time = one event' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time = '2023-11-15T00:30:00.800Z') as pushed,
  (select count(*) from ev where time = '2023-11-15T00:30:00.800Z') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time = '2023-11-15T00:30:00.800Z' except select file, line, serial, record_count, raw from ev where time = '2023-11-15T00:30:00.800Z')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time = '2023-11-15T00:30:00.800Z' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time = '2023-11-15T00:30:00.800Z')) as missing;
select 'epoch > and <=' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch > 1700008200.8 AND epoch <= 1700008206.2) as pushed,
  (select count(*) from ev where epoch > 1700008200.8 AND epoch <= 1700008206.2) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch > 1700008200.8 AND epoch <= 1700008206.2 except select file, line, serial, record_count, raw from ev where epoch > 1700008200.8 AND epoch <= 1700008206.2)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch > 1700008200.8 AND epoch <= 1700008206.2 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch > 1700008200.8 AND epoch <= 1700008206.2)) as missing;
select 'epoch = one event' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch = 1700008200.8) as pushed,
  (select count(*) from ev where epoch = 1700008200.8) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch = 1700008200.8 except select file, line, serial, record_count, raw from ev where epoch = 1700008200.8)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch = 1700008200.8 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch = 1700008200.8)) as missing;
select 'epoch BETWEEN text numbers' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch BETWEEN '1700008000' AND '1700008100') as pushed,
  (select count(*) from ev where epoch BETWEEN '1700008000' AND '1700008100') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch BETWEEN '1700008000' AND '1700008100' except select file, line, serial, record_count, raw from ev where epoch BETWEEN '1700008000' AND '1700008100')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch BETWEEN '1700008000' AND '1700008100' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch BETWEEN '1700008000' AND '1700008100')) as missing;
select 'epoch > integer' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch > 1700014000) as pushed,
  (select count(*) from ev where epoch > 1700014000) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch > 1700014000 except select file, line, serial, record_count, raw from ev where epoch > 1700014000)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch > 1700014000 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch > 1700014000)) as missing;
select 'time and epoch together' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230) as pushed,
  (select count(*) from ev where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230 except select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:30' AND '2023-11-15T00:31' AND epoch > 1700008230)) as missing;
select 'the event logged 5 ms early' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch BETWEEN 1700007647.29 AND 1700007647.299) as pushed,
  (select count(*) from ev where epoch BETWEEN 1700007647.29 AND 1700007647.299) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch BETWEEN 1700007647.29 AND 1700007647.299 except select file, line, serial, record_count, raw from ev where epoch BETWEEN 1700007647.29 AND 1700007647.299)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch BETWEEN 1700007647.29 AND 1700007647.299 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch BETWEEN 1700007647.29 AND 1700007647.299)) as missing;
select 'around it, text' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48') as pushed,
  (select count(*) from ev where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48' except select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time BETWEEN '2023-11-15T00:20:47' AND '2023-11-15T00:20:48')) as missing;
-- A bound means the instant it names, whatever its form (a space for T, a zone offset):
-- compared with the copy filtered on epoch (SQLite alone would compare the text).
select 'a space for T is the same instant' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time > '2023-11-15 02:00') as pushed,
  (select count(*) from ev where epoch > unixepoch('2023-11-15 02:00')) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15 02:00' except select file, line, serial, record_count, raw from ev where epoch > unixepoch('2023-11-15 02:00'))) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch > unixepoch('2023-11-15 02:00') except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15 02:00')) as missing;
select 'a zone offset is applied' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time < '2023-11-15T01:00:00+01:00') as pushed,
  (select count(*) from ev where epoch < unixepoch('2023-11-15T01:00:00+01:00')) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time < '2023-11-15T01:00:00+01:00' except select file, line, serial, record_count, raw from ev where epoch < unixepoch('2023-11-15T01:00:00+01:00'))) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch < unixepoch('2023-11-15T01:00:00+01:00') except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time < '2023-11-15T01:00:00+01:00')) as missing;
select 'date only' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time >= '2023-11-15') as pushed,
  (select count(*) from ev where time >= '2023-11-15') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time >= '2023-11-15' except select file, line, serial, record_count, raw from ev where time >= '2023-11-15')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time >= '2023-11-15' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time >= '2023-11-15')) as missing;
select 'the last minutes' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time > '2023-11-15T02:13') as pushed,
  (select count(*) from ev where time > '2023-11-15T02:13') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15T02:13' except select file, line, serial, record_count, raw from ev where time > '2023-11-15T02:13')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time > '2023-11-15T02:13' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15T02:13')) as missing;
select 'the first minute' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time < '2023-11-14T23:14') as pushed,
  (select count(*) from ev where time < '2023-11-14T23:14') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time < '2023-11-14T23:14' except select file, line, serial, record_count, raw from ev where time < '2023-11-14T23:14')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time < '2023-11-14T23:14' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time < '2023-11-14T23:14')) as missing;
select 'no date in the bound' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time > '2023') as pushed,
  (select count(*) from ev where time > '2023') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023' except select file, line, serial, record_count, raw from ev where time > '2023')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time > '2023' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023')) as missing;
select 'after the file' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time > '2030-01-01') as pushed,
  (select count(*) from ev where time > '2030-01-01') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2030-01-01' except select file, line, serial, record_count, raw from ev where time > '2030-01-01')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time > '2030-01-01' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2030-01-01')) as missing;
select 'before the file' as q,
  (select count(*) from audit_events('${TMP}/many.log') where epoch < 946684800) as pushed,
  (select count(*) from ev where epoch < 946684800) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch < 946684800 except select file, line, serial, record_count, raw from ev where epoch < 946684800)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where epoch < 946684800 except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where epoch < 946684800)) as missing;
select 'an empty window' as q,
  (select count(*) from audit_events('${TMP}/many.log') where time > '2023-11-15T01' AND time < '2023-11-15T00') as pushed,
  (select count(*) from ev where time > '2023-11-15T01' AND time < '2023-11-15T00') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15T01' AND time < '2023-11-15T00' except select file, line, serial, record_count, raw from ev where time > '2023-11-15T01' AND time < '2023-11-15T00')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from ev where time > '2023-11-15T01' AND time < '2023-11-15T00' except select file, line, serial, record_count, raw from audit_events('${TMP}/many.log') where time > '2023-11-15T01' AND time < '2023-11-15T00')) as missing;
select 'rotated: a minute of audit.log.1 only' as q,
  (select count(*) from audit_events('${TMP}/rotated/audit.log*') where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31') as pushed,
  (select count(*) from rot where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31') as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31' except select file, line, serial, record_count, raw from rot where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from rot where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31' except select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where time BETWEEN '2023-11-14T22:38:30' AND '2023-11-14T22:38:31')) as missing;
select 'rotated: the newest event' as q,
  (select count(*) from audit_events('${TMP}/rotated/audit.log*') where epoch >= 1700001530) as pushed,
  (select count(*) from rot where epoch >= 1700001530) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where epoch >= 1700001530 except select file, line, serial, record_count, raw from rot where epoch >= 1700001530)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from rot where epoch >= 1700001530 except select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where epoch >= 1700001530)) as missing;
select 'rotated: the oldest events' as q,
  (select count(*) from audit_events('${TMP}/rotated/audit.log*') where epoch < 1700001500.5) as pushed,
  (select count(*) from rot where epoch < 1700001500.5) as whole,
  (select count(*) from (select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where epoch < 1700001500.5 except select file, line, serial, record_count, raw from rot where epoch < 1700001500.5)) as extra,
  (select count(*) from (select file, line, serial, record_count, raw from rot where epoch < 1700001500.5 except select file, line, serial, record_count, raw from audit_events('${TMP}/rotated/audit.log*') where epoch < 1700001500.5)) as missing;
-- A record late by 40 s of log time (inside the 60 s slack): its own row with the window too.
create temp table late as select * from audit_events('${TMP}/late_window.log');
select 'late record, windowed' as q,
  (select count(*) from audit_events('${TMP}/late_window.log') where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41') as pushed,
  (select count(*) from late where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41') as whole,
  (select count(*) from (select file, line, serial, record_count, raw, parse_error from audit_events('${TMP}/late_window.log') where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41' except select file, line, serial, record_count, raw, parse_error from late where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41')) as extra,
  (select count(*) from (select file, line, serial, record_count, raw, parse_error from late where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41' except select file, line, serial, record_count, raw, parse_error from audit_events('${TMP}/late_window.log') where time BETWEEN '2023-11-14T22:31:40' AND '2023-11-14T22:31:41')) as missing;
.headers on
-- Bounds from another table, one window per row: the table is filtered again for each.
create temp table bounds(lo, hi);
insert into bounds values ('2023-11-14T23:20', '2023-11-14T23:21'), ('2023-11-15T01:00', '2023-11-15T01:00:30'), ('2023-11-15T02:13', '2023-11-15T03');
select b.lo, b.hi, (select count(*) from ev where ev.time between b.lo and b.hi) as whole,
  count(e.serial) as pushed, group_concat(e.line) = (select group_concat(line) from ev where ev.time between b.lo and b.hi) as same_lines
from bounds b left join audit_events('${TMP}/many.log') e on e.time between b.lo and b.hi group by b.lo, b.hi;
