-- svg_timeline: lanes in first-seen order, a density strip for unlabelled events, dots
-- with labels, the marked event's line across every lane, rows without a time counted;
-- time as ISO text, other forms sqlhunt reads, or epoch seconds; NULL inputs; no rows.
.mode list
create table ev(t, lane, label, mark);
insert into ev values
  ('2019-02-18T15:20:00Z', 'Linux', null, 0), ('2019-02-18 15:21:00', 'Linux', null, 0),
  (1550503262.5, 'Linux', null, 0), ('2019-02-18T15:29:22.301Z', 'Linux', 'dbadmin logs in <ssh>', 0),
  ('2019-02-18T15:31:02.104Z', 'Alerts', 'SSH Anomalous Login ML', 1),
  ('2019-02-18T15:50:10Z', 'Windows', 'ian from 13.67.35.176', 0),
  ('not a time', 'Linux', 'x', 0), (null, 'Linux', 'y', 0), ('2019-02-18T15:40:00Z', null, null, 0);
select svg_timeline(t, lane, label, mark) from ev;
-- The parts, counted.
select (length(s) - length(replace(s, '<circle class="event"', ''))) / 21 as dots,
       (length(s) - length(replace(s, 'class="mark-line"', ''))) / 17 as marks,
       (length(s) - length(replace(s, 'class="lane"', ''))) / 12 as lanes,
       instr(s, '2 rows without a time are not drawn') > 0 as untimed_noted,
       instr(s, 'dbadmin logs in &lt;ssh&gt;') > 0 as escaped
from (select svg_timeline(t, lane, label, mark) as s from ev);
-- Two arguments: every event in the strip.
select instr(s, 'class="density"') > 0, instr(s, '<circle') = 0 from (select svg_timeline(t, lane) as s from ev);
-- No rows: a chart that says so, not NULL.
select svg_timeline(t, lane) from ev where 0;
-- A group per host.
select lane, length(svg_timeline(t, label)) > 100 from ev where lane is not null group by lane order by lane;
select svg_timeline(1);
