-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/net_flows/make_fixtures.py ${TMP} conn.log
-- An OR over a table made with CREATE VIRTUAL TABLE: SQLite answers it with one scan per
-- branch (MULTI-INDEX OR) and merges them by rowid (core/vtab_or_merge.h). Numbered 1,
-- 2, 3 per scan, the second branch lost every row whose number the first had used:
-- `time < a OR time > b` gave 89 flows of 90 on the shared conn.log, and an OR of
-- src_ip and dst_ip 46 of 62, silently. Each answer here must equal the table-valued
-- form's, which reads the file once; an OR the base cannot merge is an error saying how
-- to write it. conn.log: 3,000 connections, 2023-11-14T22:13:15Z to 23:13:18Z.
.headers on
.mode list
create virtual table f using net_flows(path='${TMP}/conn.log');
-- The plan is the one that lost rows.
explain query plan select count(*) from f where time < '2023-11-14T22:30' or time > '2023-11-14T23:00';
.headers off
select 'disjoint time bounds', (select count(*) from f where time < '2023-11-14T22:30' or time > '2023-11-14T23:00'),
  (select count(*) from net_flows('${TMP}/conn.log') where time < '2023-11-14T22:30' or time > '2023-11-14T23:00');
-- A row inside both windows comes once (the base skips, in the second scan, the rows the
-- first one returned).
select 'overlapping time bounds', (select count(*) from f where time < '2023-11-14T22:50' or time > '2023-11-14T22:40'),
  (select count(*) from net_flows('${TMP}/conn.log') where time < '2023-11-14T22:50' or time > '2023-11-14T22:40');
select 'with a shared equality', (select count(*) from f where (time < '2023-11-14T22:30' or time > '2023-11-14T22:20') and src_ip = '10.0.0.3'),
  (select count(*) from net_flows('${TMP}/conn.log') where (time < '2023-11-14T22:30' or time > '2023-11-14T22:20') and src_ip = '10.0.0.3');
.headers on
explain query plan select count(*) from f where time < '2023-11-14T22:20' or (time > '2023-11-14T22:40' and time < '2023-11-14T22:45') or time > '2023-11-14T22:42';
.headers off
select 'three branches', (select count(*) from f where time < '2023-11-14T22:20' or (time > '2023-11-14T22:40' and time < '2023-11-14T22:45') or time > '2023-11-14T22:42'),
  (select count(*) from net_flows('${TMP}/conn.log') where time < '2023-11-14T22:20' or (time > '2023-11-14T22:40' and time < '2023-11-14T22:45') or time > '2023-11-14T22:42');
-- The same rows, not only as many.
select 'same rows', (select group_concat(line) from (select line from f where time < '2023-11-14T22:30' or time > '2023-11-14T23:00' order by 1))
  is (select group_concat(line) from (select line from net_flows('${TMP}/conn.log') where time < '2023-11-14T22:30' or time > '2023-11-14T23:00' order by 1));
-- On the inner side of a join: each outer row's OR is merged on its own.
create temp table w(lo, hi);
insert into w values ('2023-11-14T22:30', '2023-11-14T23:00'), ('2023-11-14T22:50', '2023-11-14T22:40');
select 'join', w.lo, count(*) from w join f on f.time < w.lo or f.time > w.hi group by 1, 2 order by 2;
select 'join, table-valued', w.lo, count(*) from w join net_flows('${TMP}/conn.log') n on n.time < w.lo or n.time > w.hi group by 1, 2 order by 2;
-- Known limit: branches with the same plan and other values cannot be told from a
-- subquery run again, so they are not merged: nothing is lost, but a row inside both
-- windows comes twice (here the 50 flows of 22:44 to 22:45: 1,349 rows for 1,299).
select 'same plan, other values', (select count(*) from f where (time > '2023-11-14T22:20' and time < '2023-11-14T22:45') or (time > '2023-11-14T22:44' and time < '2023-11-14T22:46')),
  (select count(*) from net_flows('${TMP}/conn.log') where (time > '2023-11-14T22:20' and time < '2023-11-14T22:45') or (time > '2023-11-14T22:44' and time < '2023-11-14T22:46'));
-- Scans of the same table that are no OR's branches are left alone: two subqueries, a
-- UNION (each scan counts every row of its window, shared ones too).
select 'two subqueries', (select count(*) from f where time < '2023-11-14T22:50'), (select count(*) from f where time > '2023-11-14T22:40'),
  (select count(*) from net_flows('${TMP}/conn.log') where time < '2023-11-14T22:50'), (select count(*) from net_flows('${TMP}/conn.log') where time > '2023-11-14T22:40');
select 'union all', count(*) from (select line from f where time < '2023-11-14T22:50' union all select line from f where time > '2023-11-14T22:40');
-- src_ip = x OR dst_ip = x: the base cannot see a row's address, so it says so.
select count(*) from f where src_ip = '10.0.0.3' or dst_ip = '23.97.60.214';
select 'as a union', count(*) from (select line from f where src_ip = '10.0.0.3' union select line from f where dst_ip = '23.97.60.214');
select 'table-valued', count(*) from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.3' or dst_ip = '23.97.60.214';
