-- svg_map: points on the outline of the TopoJSON file map.world names (a hand-made
-- topology here), the marked one red, points in one spot sharing a label, rows without
-- a location counted; without an outline, the points on an empty globe and a note why.
.mode list
select sqlhunt_config('map.world', '${FIXTURES}/charts/topo.json') is not null;
create table ip(lat, lon, label, mark);
insert into ip values (1.29, 103.85, '23.97.60.214 Singapore', 1), (47.6, -122.3, '13.67.35.176', 0),
                      (1.291, 103.851, 'also Singapore', 0), (null, 10, 'nowhere', 0), (91, 0, 'off the map', 0);
select svg_map(lat, lon, label, mark) from ip;
select (length(s) - length(replace(s, '<g class="place', ''))) / 15 as places,
       instr(s, '<title>Square</title>') > 0 as outline, instr(s, '2 rows without a location') > 0 as noted
from (select svg_map(lat, lon, label, mark) as s from ip);
select sqlhunt_config('map.world', '${TMP}/missing.json') is not null;
select instr(s, 'class="land"') = 0, instr(s, 'no world outline at ${TMP}/missing.json') > 0
from (select svg_map(lat, lon, label, mark) as s from ip);
-- A file that is not a topology: the note says what is wrong.
select sqlhunt_config('map.world', '${FIXTURES}/audit/sample.log') is not null;
select substr(s, instr(s, 'sample.log'), 37) from (select svg_map(lat, lon) as s from ip);
-- svg_map reads a file: a view cannot call it.
create view v as select svg_map(lat, lon) from ip;
select * from v;
