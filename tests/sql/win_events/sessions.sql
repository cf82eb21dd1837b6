-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} logons.evtx getwinevent.json getwinevent7.jsonl
-- The notebook's Windows steps over logons.evtx: logons by account and type, failed
-- logons with their status names, and the processes of one logon session, joined on the
-- logon id, which is an integer whatever form the source writes it in (0x1a2b3c).
.headers on
.mode list
select target_domain || '\' || target_user as account, logon_type, logon_type_name, count(*) as logons
from win_events('${TMP}/logons.evtx') where event_id = 4624 group by 1, 2, 3 order by 1;
select time, target_user, ip_address, status, status_name, sub_status, sub_status_name
from win_events('${TMP}/logons.evtx') where event_id = 4625 order by time;
select l.time as logon, l.target_user, l.ip_address, p.time, p.process_id, p.parent_process_id,
       p.process_name, p.parent_process_name, p.command_line, p.token_elevation, o.time as logoff
from win_events('${TMP}/logons.evtx') l
join win_events('${TMP}/logons.evtx') p on p.event_id = 4688 and p.subject_logon_id = l.target_logon_id
left join win_events('${TMP}/logons.evtx') o on o.event_id = 4634 and o.target_logon_id = l.target_logon_id
where l.event_id = 4624 and l.logon_type = 10
order by p.time;
-- The same session id joins a Get-WinEvent export (written 0x77aa there, as Properties
-- without names in one file and as XML in the other).
select a.record_id, a.event_id, a.target_logon_id, b.record_id, b.event_id, b.subject_logon_id, b.process_name
from win_events('${TMP}/getwinevent.json') a join win_events('${TMP}/getwinevent7.jsonl') b
  on b.subject_logon_id = a.target_logon_id;
