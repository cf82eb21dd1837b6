-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} winlogbeat7.jsonl getwinevent.json getwinevent7.jsonl securityevent.csv
-- Exports recognised by their keys (make_fixtures.py): winlogbeat 7 ECS, Get-WinEvent
-- JSON from Windows PowerShell ("/Date(ms)/", Properties without names) and from
-- PowerShell 7 (ISO times with an offset, the event's XML), a SecurityEvent CSV whose
-- EventData column is XML with CRLF line breaks.
.headers on
.mode list
select line, time, event_id, record_id, computer, channel, provider, activity, level, user_sid,
       target_user, target_logon_id, logon_type_name, ip_address, ip_port, process_id,
       process_name, process_guid, parent_process_guid, subject_user, subject_domain,
       subject_logon_id, parse_error
from win_events('${TMP}/winlogbeat7.jsonl');
select json_extract(event_data, '$.ElevatedToken') as elevated, json_extract(event_data, '$.SubjectLogonId') as user_data
from win_events('${TMP}/winlogbeat7.jsonl') where event_id in (4624, 1102);
-- Get-WinEvent: the 27 values of a 4624 version 2 are named; an unknown event's values
-- are param1, param2.
select line, time, event_id, record_id, computer, user_sid, subject_logon_id, target_user,
       target_logon_id, logon_type, ip_address, ip_port, process_id, process_name, parse_error
from win_events('${TMP}/getwinevent.json');
select json_extract(event_data, '$.ElevatedToken', '$.TargetLinkedLogonId') from win_events('${TMP}/getwinevent.json') where event_id = 4624;
select event_data from win_events('${TMP}/getwinevent.json') where event_id = 9999;
select line, time, event_id, record_id, subject_logon_id, target_logon_id, process_id,
       parent_process_id, process_name, command_line, parse_error
from win_events('${TMP}/getwinevent7.jsonl');
-- SecurityEvent CSV: EventData XML (entities resolved, the CRLF layout dropped); XML
-- that is not well-formed is a parse_error row with what could be read.
select line, time, event_id, activity, target_user, target_user_sid, subject_user,
       subject_logon_id, json_extract(event_data, '$.MemberSid') as member, parse_error
from win_events('${TMP}/securityevent.csv');
