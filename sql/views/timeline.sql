-- timeline: what happened, in time order, across every source: alerts, logins,
-- programs started, account and system changes on Windows, sudo on Linux, flows as
-- they begin, Office operations. One row per event, with the lane it belongs to on a
-- timeline (the host, "Network", "Office 365", "Alerts"). Needs the logins and
-- process_creations views first.
--   time, epoch   when
--   lane          'Linux <host>', 'Windows <host>', 'Network', 'Office 365', 'Alerts';
--                 a host the source does not name (an audit log written without
--                 node=) is '(unnamed host)', so its events still share one lane
--   kind          alert, login, failed login, process, sudo, account, registry, task,
--                 flow, office
--   summary       one line for people: the alert's name, who logged in from where, the
--                 command line, the flow's ends, the Office operation
--   account, ip, session   who, which address, which session, where the source says
--   is_alert      1 for alerts
--   source, file, line     the row it comes from
DROP VIEW IF EXISTS temp.timeline;
CREATE TEMP VIEW timeline AS
-- part: case_alerts
SELECT time, epoch, 'Alerts' AS lane, 'alert' AS kind, alert_name AS summary, NULL AS account,
       NULL AS ip, NULL AS session, 1 AS is_alert, 'case_alerts' AS source, file, line
FROM case_alerts
UNION ALL
-- part: logins
SELECT time, epoch, CASE os WHEN 'linux' THEN 'Linux ' ELSE 'Windows ' END || coalesce(host, '(unnamed host)'),
       CASE WHEN success THEN 'login' ELSE 'failed login' END,
       coalesce(account, '?') || ' from ' || coalesce(ip, 'the host') || ' (' || coalesce(method, '?') || ')',
       account, ip, session, 0, source, file, line
FROM logins
UNION ALL
-- part: process_creations
SELECT time, epoch, CASE os WHEN 'linux' THEN 'Linux ' ELSE 'Windows ' END || coalesce(host, '(unnamed host)'), 'process', command_line,
       account, NULL, session, 0, source, file, line
FROM process_creations
UNION ALL
-- part: case_audit_events
SELECT time, epoch, 'Linux ' || coalesce(node, '(unnamed host)'), 'sudo', account || ': sudo ' || cmd, account, NULL, CAST(ses AS TEXT), 0,
       'case_audit_events', file, line
FROM case_audit_events WHERE type = 'USER_CMD'
UNION ALL
-- part: case_win_events
SELECT time, epoch, 'Windows ' || coalesce(computer, '(unnamed host)'),
       CASE WHEN event_id IN (4720, 4732) THEN 'account' WHEN event_id = 4657 THEN 'registry' ELSE 'task' END,
       activity || ' ' || CASE event_id
         WHEN 4720 THEN target_user
         WHEN 4732 THEN json_extract(event_data, '$.MemberSid') || ' to ' || target_user
         WHEN 4657 THEN json_extract(event_data, '$.ObjectName') || '\' || json_extract(event_data, '$.ObjectValueName')
                        || ' = ' || json_extract(event_data, '$.NewValue')
         ELSE json_extract(event_data, '$.TaskName') END,
       subject_user, NULL, CAST(subject_logon_id AS TEXT), 0, 'case_win_events', file, line
FROM case_win_events WHERE event_id IN (4720, 4732, 4657, 4698)
UNION ALL
-- part: case_net_flows
SELECT time, epoch, 'Network', 'flow',
       direction || ' ' || protocol || ' ' || src_ip || ':' || src_port || ' -> ' || dst_ip || ':' || dst_port
       || CASE WHEN allowed = 0 THEN ' (denied)' ELSE '' END,
       NULL, CASE direction WHEN 'inbound' THEN src_ip ELSE dst_ip END, NULL, 0, 'case_net_flows', file, line
FROM case_net_flows WHERE flows > 0
UNION ALL
-- part: case_office_activity
SELECT time, epoch, 'Office 365', 'office',
       operation || ' by ' || user_id || coalesce(' on ' || replace(object_id, rtrim(object_id, replace(object_id, '/', '')), ''), ''),
       user_id, client_ip, NULL, 0, 'case_office_activity', file, line
FROM case_office_activity;
