-- requires: datasets
-- win_events over the shared Windows samples: every EVTX record and every export
-- record read; the notebook's Windows steps as SQL. (Record-by-record agreement with
-- evtxexport and python-evtx: tests/python/test_win_events_oracle.py.)
.headers on
.mode list
-- Rows, errors, recovered records and the time span per file; every event_data is JSON.
select replace(file, '${DATASETS}/windows/', '') as file, count(*) as rows, count(parse_error) as errors,
       sum(recovered) as recovered, count(distinct event_id) as event_ids, min(time), max(time),
       sum(json_valid(event_data)) = count(event_data) as json_ok
from win_events('${DATASETS}/windows/*.*') group by file order by file;
select replace(file, '${DATASETS}/windows/evtx/', '') as file, count(*) as rows, count(parse_error) as errors,
       sum(recovered) as recovered, count(record_id) - count(parse_error) as read_whole, min(time), max(time)
from win_events('${DATASETS}/windows/evtx/*.evtx') group by file order by file;
-- What the errors of the damaged samples say, in kinds.
select replace(file, '${DATASETS}/windows/evtx/', '') as file, recovered,
       case when recovered then 'recovered, its XML unreadable (template or names overwritten)'
            when parse_error like '%is damaged%' then 'record end overwritten'
            when parse_error like '%not in it%' then 'records named by the chunk header missing'
            when parse_error like '%not a record%' then 'bytes between records'
            when parse_error like '%no chunk signature%' then 'chunk header damaged'
            when parse_error like '%cut off%' or parse_error like '%file ends%' then 'file cut short'
            else parse_error end as kind, count(*) as n
from win_events('${DATASETS}/windows/evtx/*.evtx') where parse_error is not null group by 1, 2, 3 order by 1, 2, 3;
-- Logons by account and type (security.evtx and the SecurityEvent projection).
select target_domain || '\' || target_user as account, logon_type_name, count(*) as logons
from win_events('${DATASETS}/windows/evtx/security.evtx') where event_id = 4624 and parse_error is null
group by 1, 2 order by 3 desc, 1 limit 8;
select target_domain || '\' || target_user as account, logon_type, logon_type_name, count(*) as logons, min(ip_address)
from win_events('${DATASETS}/windows/host_logons.csv') group by 1, 2, 3 order by 4 desc, 1;
-- Failed logons with the names of their status codes.
select 'evtx' as source, time, target_user, logon_type_name, ip_address, status, status_name, sub_status,
       sub_status_name, failure_reason
from win_events('${DATASETS}/windows/evtx/*.evtx') where event_id = 4625 and parse_error is null
union all
select 'SecurityEvent', time, target_user, logon_type_name, ip_address, status, status_name, sub_status,
       sub_status_name, failure_reason
from win_events('${DATASETS}/windows/failed_logons.jsonl') where event_id = 4625 order by 1, 2;
-- Account changes with their EventData (new-user-security.evtx).
select time, activity, target_user, target_user_sid, subject_user,
       json_extract(event_data, '$.MemberSid') as member_sid, json_extract(event_data, '$.SamAccountName') as sam
from win_events('${DATASETS}/windows/evtx/new-user-security.evtx') order by record_id;
-- Sysmon process creations: the process columns with their GUIDs, EVTX and winlogbeat.
select time, computer, process_id, parent_process_id, process_name, parent_process_name, process_guid, parent_process_guid,
       subject_user, subject_logon_id
from win_events('${DATASETS}/windows/evtx/sysmon.evtx') where event_id = 1 order by time limit 5;
select count(*), count(distinct process_guid), count(parent_process_guid), sum(subject_logon_id = 999)
from win_events('${DATASETS}/windows/evtx/sysmon.evtx') where event_id = 1;
select time, computer, process_id, parent_process_id, process_name, command_line, process_guid, subject_user, subject_logon_id
from win_events('${DATASETS}/windows/winlogbeat670_empire_enable_rdp_slice.jsonl') where event_id = 1 and channel like '%Sysmon%' order by time;
-- 4688 process creations of the SecurityEvent projection: ids as integers, hex in the source.
select process_id, printf('0x%x', process_id) as hex, parent_process_id, process_name, token_elevation, subject_logon_id
from win_events('${DATASETS}/windows/processes_on_host.csv') order by time limit 4;
