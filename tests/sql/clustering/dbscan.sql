-- dbscan(): one row per SELECT row in order, keys of any type, the four scalings,
-- defaults, joins back to the rows, and every error.
create table pts(id, x, y);
insert into pts values (1, 0, 0), (2, 0, 0.1), (3, 0.1, 0), ('four', 5, 5), (5, 5, 5.1), (x'06', 9, 0);
select quote(key), cluster_id, cluster_size, is_core from dbscan('select id, x, y from pts', 0.5, 2, 'none');
select cluster_id, cluster_size from dbscan('select id, x, y from pts', 0.5, 2);
select count(*), count(cluster_id) from dbscan('select id, x, y from pts');
select cluster_id, count(*) from dbscan('select id, x, y from pts', 0.01, 2, 'unit') group by 1;
select cluster_id, count(*) from dbscan('select id, x, y from pts', 0.05, 2, 'MinMax') group by 1;
-- first and last time per cluster are ordinary SQL
create table ev(t, bytes);
insert into ev values ('10:00', 100), ('10:01', 101), ('10:02', 99), ('10:03', 5000), ('10:04', 100);
select c.cluster_id, min(e.t), max(e.t), count(*) from dbscan('select rowid, bytes from ev', 10, 2, 'none') c
  join ev e on e.rowid = c.key group by c.cluster_id order by 2;
-- text that reads as a number is a number; a key may be NULL
select key, cluster_id from dbscan('select null, ''1.5'' union all select 2, 1.5', 0.1, 2, 'none');
select count(*) from dbscan('select 1, 2 where 0');
-- errors
select * from dbscan('select id from pts');
select * from dbscan('select id, x, y from pts', 0);
select * from dbscan('select id, x, y from pts', 'far');
select * from dbscan('select id, x, y from pts', 0.5, 0);
select * from dbscan('select id, x, y from pts', 0.5, 2.5);
select * from dbscan('select id, x, y from pts', 0.5, 2, 'zscore');
select * from dbscan('select id, x, null as z from pts');
select * from dbscan('select id, x, ''abc'' from pts');
select * from dbscan('select 1, 1e999');
select * from dbscan('update pts set x = 1');
select * from dbscan;
create view v as select * from dbscan('select 1, 2');
select * from v;
-- A NULL argument matches nothing (the rule of every table): no rows, no error
select 'null', count(*), (select count(*) from dbscan('select 1, 2', NULL)) from dbscan(NULL);
