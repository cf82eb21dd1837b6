-- iocs() whose optional second argument (types) comes from another table of the join:
-- the planner must read that table first. Before core/vtab.cpp refused such plans,
-- SQLite scanned iocs() between t and u with types unset, then checked `types = u.ty`
-- against a NULL column and every query below but the CROSS JOIN gave no rows.
.mode list
.headers on
create table t(d);
create table u(ty);
insert into t values ('1.2.3.4 and evil.com'), ('5.6.7.8 bad.org');
insert into u values ('ipv4'), ('domain');
-- Every FROM order gives the same four rows.
select t.rowid as t, u.ty, i.value from t, u, iocs(t.d, u.ty) i order by 1, 2, 3;
select t.rowid as t, u.ty, i.value from iocs(t.d, u.ty) i, t, u order by 1, 2, 3;
select t.rowid as t, u.ty, i.value from t cross join u cross join iocs(t.d, u.ty) i order by 1, 2, 3;
-- The same argument as a WHERE equality, and overriding a CREATE default.
select t.rowid as t, u.ty, i.value from t, u, iocs(t.d) i where i.types = u.ty order by 1, 2, 3;
create virtual table ip4 using iocs(types='ipv4');
select t.rowid as t, u.ty, i.value from t, u, ip4 i where i.text = t.d and i.types = u.ty order by 1, 2, 3;
select t.rowid as t, i.value from t, ip4 i where i.text = t.d order by 1, 2;
-- The plan: iocs() innermost, with both arguments handed to it.
explain query plan select i.value from t, u, iocs(t.d, u.ty) i;
-- A hidden argument compared with a column of the same table is never usable: the
-- query still runs (SQLite compares it with the unset, NULL, column).
select count(*) as n from iocs('1.2.3.4') i where i.types = i.type;
