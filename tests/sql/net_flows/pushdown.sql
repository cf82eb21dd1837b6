-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/net_flows/make_fixtures.py ${TMP} conn.log blobs analytics.csv
-- src_ip / dst_ip equality (and IN) are applied by net_flows itself, not re-checked by
-- SQLite; time and epoch bounds drop rows early and skip blobs. Each answer must equal
-- the same WHERE over a copy of the whole file in a temp table (SQLite's own filtering):
-- pushed and whole count the rows, same says the rows are the same (line, port).
-- (That rows are dropped before they are built, and blobs not opened, is counted in
-- tests/unit/net_flows_test.cpp.) conn.log: 3,000 connections, 2023-11-14T22:13:15Z
-- to 23:13:18Z; every 50th originator written 2001:DB8:0:0::A, every 60th responder
-- ::ffff:10.1.0.2.
.headers on
.mode list
-- The equalities and bounds reach the table (the plan's constraint list).
explain query plan select count(*) from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.3' and dst_ip in ('10.1.0.1', '10.1.0.2') and time > '2023-11-14T22:30';
create temp table conn as select * from net_flows('${TMP}/conn.log');
create temp table blobs as select * from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json');
create temp table analytics as select * from net_flows('${TMP}/analytics.csv');
select (select count(*) from conn) as conn, (select count(*) from blobs) as blob_tuples, (select count(*) from analytics) as analytics;
select 'src_ip =' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.3') as pushed,
  (select count(*) from conn where src_ip = '10.0.0.3') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.3' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip = '10.0.0.3' order by 1)) as same;
.headers off
select 'dst_ip =' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where dst_ip = '23.97.60.214') as pushed,
  (select count(*) from conn where dst_ip = '23.97.60.214') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where dst_ip = '23.97.60.214' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where dst_ip = '23.97.60.214' order by 1)) as same;
select 'src_ip IN' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip in ('10.0.0.1', '10.0.0.9', '2001:db8::a')) as pushed,
  (select count(*) from conn where src_ip in ('10.0.0.1', '10.0.0.9', '2001:db8::a')) as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip in ('10.0.0.1', '10.0.0.9', '2001:db8::a') order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip in ('10.0.0.1', '10.0.0.9', '2001:db8::a') order by 1)) as same;
select 'both' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.2' and dst_ip = '10.1.0.2') as pushed,
  (select count(*) from conn where src_ip = '10.0.0.2' and dst_ip = '10.1.0.2') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip = '10.0.0.2' and dst_ip = '10.1.0.2' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip = '10.0.0.2' and dst_ip = '10.1.0.2' order by 1)) as same;
select 'a mapped address is its IPv4' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where dst_ip = '10.1.0.2') as pushed,
  (select count(*) from conn where dst_ip = '10.1.0.2') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where dst_ip = '10.1.0.2' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where dst_ip = '10.1.0.2' order by 1)) as same;
select 'non-canonical value matches nothing' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip = '2001:DB8::A') as pushed,
  (select count(*) from conn where src_ip = '2001:DB8::A') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip = '2001:DB8::A' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip = '2001:DB8::A' order by 1)) as same;
select 'NULL matches nothing' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip = NULL) as pushed,
  (select count(*) from conn where src_ip = NULL) as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip = NULL order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip = NULL order by 1)) as same;
select 'OR of the two ends' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214') as pushed,
  (select count(*) from conn where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214' order by 1)) as same;
select 'time window, text' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where time between '2023-11-14T22:30' and '2023-11-14T22:31') as pushed,
  (select count(*) from conn where time between '2023-11-14T22:30' and '2023-11-14T22:31') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where time between '2023-11-14T22:30' and '2023-11-14T22:31' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where time between '2023-11-14T22:30' and '2023-11-14T22:31' order by 1)) as same;
-- A bound is the instant it names (a zone offset, a space for T): compared with the copy
-- filtered on epoch (SQLite alone would compare the text).
select 'time window, instants' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where time >= '2023-11-14 23:30:00+01:00' and time < '2023-11-14T22:31:00.000Z') as pushed,
  (select count(*) from conn where epoch >= unixepoch('2023-11-14 23:30:00+01:00') and epoch < unixepoch('2023-11-14T22:31:00Z')) as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where time >= '2023-11-14 23:30:00+01:00' and time < '2023-11-14T22:31:00.000Z' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where epoch >= unixepoch('2023-11-14 23:30:00+01:00') and epoch < unixepoch('2023-11-14T22:31:00Z') order by 1)) as same;
select 'time = one connection' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where time = '2023-11-14T22:13:21.200Z') as pushed,
  (select count(*) from conn where time = '2023-11-14T22:13:21.200Z') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where time = '2023-11-14T22:13:21.200Z' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where time = '2023-11-14T22:13:21.200Z' order by 1)) as same;
select 'epoch range' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where epoch > 1700000100 and epoch <= 1700000200.4) as pushed,
  (select count(*) from conn where epoch > 1700000100 and epoch <= 1700000200.4) as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where epoch > 1700000100 and epoch <= 1700000200.4 order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where epoch > 1700000100 and epoch <= 1700000200.4 order by 1)) as same;
select 'address and time' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where dst_ip = '23.97.60.214' and time < '2023-11-14T22:20') as pushed,
  (select count(*) from conn where dst_ip = '23.97.60.214' and time < '2023-11-14T22:20') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where dst_ip = '23.97.60.214' and time < '2023-11-14T22:20' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where dst_ip = '23.97.60.214' and time < '2023-11-14T22:20' order by 1)) as same;
select 'before the file' as q,
  (select count(*) from net_flows('${TMP}/conn.log') where time < '2023-11-14') as pushed,
  (select count(*) from conn where time < '2023-11-14') as whole,
  (select group_concat(k) from (select line || ':' || src_port as k from net_flows('${TMP}/conn.log') where time < '2023-11-14' order by 1))
    is (select group_concat(k) from (select line || ':' || src_port as k from conn where time < '2023-11-14' order by 1)) as same;
select 'blobs: one hour' as q,
  (select count(*) from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time >= '2018-07-18T12:00' and time < '2018-07-18T13:00') as pushed,
  (select count(*) from blobs where time >= '2018-07-18T12:00' and time < '2018-07-18T13:00') as whole,
  (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time >= '2018-07-18T12:00' and time < '2018-07-18T13:00' order by 1))
    is (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from blobs where time >= '2018-07-18T12:00' and time < '2018-07-18T13:00' order by 1)) as same;
select 'blobs: a minute' as q,
  (select count(*) from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time between '2018-07-18T10:31:00.000Z' and '2018-07-18T10:32:00.000Z') as pushed,
  (select count(*) from blobs where time between '2018-07-18T10:31:00.000Z' and '2018-07-18T10:32:00.000Z') as whole,
  (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time between '2018-07-18T10:31:00.000Z' and '2018-07-18T10:32:00.000Z' order by 1))
    is (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from blobs where time between '2018-07-18T10:31:00.000Z' and '2018-07-18T10:32:00.000Z' order by 1)) as same;
select 'blobs: before them' as q,
  (select count(*) from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time < '2018-07-18') as pushed,
  (select count(*) from blobs where time < '2018-07-18') as whole,
  (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where time < '2018-07-18' order by 1))
    is (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from blobs where time < '2018-07-18' order by 1)) as same;
select 'blobs: source address and hours' as q,
  (select count(*) from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where src_ip = '185.208.209.13' and time > '2018-07-18T12:59:59') as pushed,
  (select count(*) from blobs where src_ip = '185.208.209.13' and time > '2018-07-18T12:59:59') as whole,
  (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from net_flows('${TMP}/blobs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG/y=2018/m=07/d=18/h=*/m=00/*/PT1H.json') where src_ip = '185.208.209.13' and time > '2018-07-18T12:59:59' order by 1))
    is (select group_concat(k) from (select file || ':' || line || ':' || src_port || ':' || time as k from blobs where src_ip = '185.208.209.13' and time > '2018-07-18T12:59:59' order by 1)) as same;
select 'analytics: the external end' as q,
  (select count(*) from net_flows('${TMP}/analytics.csv') where dst_ip = '23.97.60.214') as pushed,
  (select count(*) from analytics where dst_ip = '23.97.60.214') as whole,
  (select group_concat(k) from (select line as k from net_flows('${TMP}/analytics.csv') where dst_ip = '23.97.60.214' order by 1))
    is (select group_concat(k) from (select line as k from analytics where dst_ip = '23.97.60.214' order by 1)) as same;
select 'analytics: inbound from it' as q,
  (select count(*) from net_flows('${TMP}/analytics.csv') where src_ip = '23.97.60.214') as pushed,
  (select count(*) from analytics where src_ip = '23.97.60.214') as whole,
  (select group_concat(k) from (select line as k from net_flows('${TMP}/analytics.csv') where src_ip = '23.97.60.214' order by 1))
    is (select group_concat(k) from (select line as k from analytics where src_ip = '23.97.60.214' order by 1)) as same;
select 'analytics: the VM' as q,
  (select count(*) from net_flows('${TMP}/analytics.csv') where src_ip = '10.0.3.4' or dst_ip = '10.0.3.4') as pushed,
  (select count(*) from analytics where src_ip = '10.0.3.4' or dst_ip = '10.0.3.4') as whole,
  (select group_concat(k) from (select line as k from net_flows('${TMP}/analytics.csv') where src_ip = '10.0.3.4' or dst_ip = '10.0.3.4' order by 1))
    is (select group_concat(k) from (select line as k from analytics where src_ip = '10.0.3.4' or dst_ip = '10.0.3.4' order by 1)) as same;
select 'analytics: a window' as q,
  (select count(*) from net_flows('${TMP}/analytics.csv') where time between '2019-02-12T11:00' and '2019-02-12T11:30') as pushed,
  (select count(*) from analytics where time between '2019-02-12T11:00' and '2019-02-12T11:30') as whole,
  (select group_concat(k) from (select line as k from net_flows('${TMP}/analytics.csv') where time between '2019-02-12T11:00' and '2019-02-12T11:30' order by 1))
    is (select group_concat(k) from (select line as k from analytics where time between '2019-02-12T11:00' and '2019-02-12T11:30' order by 1)) as same;
.headers on
-- Addresses from another table: the table is filtered again for each (a join's inner side).
create temp table wanted(ip);
insert into wanted values ('23.97.60.214'), ('10.1.0.7'), ('10.1.0.2'), ('nothing');
select w.ip, count(f.line) as flows, (select count(*) from conn where dst_ip = w.ip) as whole
from wanted w left join net_flows('${TMP}/conn.log') f on f.dst_ip = w.ip group by w.ip order by w.ip;
