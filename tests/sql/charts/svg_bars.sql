-- svg_bars: categories in first-seen order, series stacked with a legend, totals, a
-- category given twice adds up, unusable values counted; one series without a legend.
.mode list
create table f(port, flows, nsg);
insert into f values ('inbound 22/tcp', 435, 'LXVM2'), ('outbound 53/udp', 360, 'LXVM2'), ('outbound 53/udp', 360, 'WIN1'),
                     ('inbound 22/tcp', 2, 'LXVM2'), ('outbound 21/tcp', 1, 'WIN1'), ('x', null, 'WIN1'), ('y', -3, 'WIN1'),
                     ('z', 'many', 'WIN1');
select svg_bars(port, flows, nsg) from f;
select (length(s) - length(replace(s, '<g class="bar"', ''))) / 14 as bars, instr(s, '>437</text>') > 0 as summed,
       instr(s, 'class="legend"') > 0 as legend, instr(s, '3 rows without a usable value') > 0 as noted
from (select svg_bars(port, flows, nsg) as s from f);
select instr(s, 'class="legend"') = 0 from (select svg_bars(port, flows) as s from f);
select svg_bars(port, flows) from f where 0;
