-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} events.xml events_bare.xml events_broken.xml logons.evtx
-- Files of event XML (make_fixtures.py): Event Viewer's "Save as XML" (a declaration,
-- <Events>, CRLF layout), wevtutil's <Event> elements with no root, and a file cut
-- inside a tag (the events before it, then one error row). Each event's line is where
-- its <Event> starts; raw is its XML without the layout.
.headers on
.mode list
select replace(file, '${TMP}/', '') as file, line, time, event_id, record_id, target_user, target_logon_id,
       subject_logon_id, process_id, command_line, event_data, parse_error
from win_events('${TMP}/events*.xml');
select raw from win_events('${TMP}/events.xml') where event_id = 4688;
-- The same logon id joins the XML file's 4624, 4688, 1102 and the bare file's 4634.
select a.record_id, a.event_id, b.record_id, b.event_id
from win_events('${TMP}/events.xml') a join win_events('${TMP}/events_bare.xml') b on b.target_logon_id = a.target_logon_id;
-- An EVTX file's raw XML, written out as a file of events, reads back the same.
.headers off
.once ${TMP}/roundtrip.xml
select '<Events>' || group_concat(raw, char(10)) || '</Events>' from win_events('${TMP}/logons.evtx');
.headers on
select (select group_concat(record_id || ':' || event_id || ':' || time || ':' || event_data, '|') from win_events('${TMP}/logons.evtx')) =
       (select group_concat(record_id || ':' || event_id || ':' || time || ':' || event_data, '|') from win_events('${TMP}/roundtrip.xml')) as same;
