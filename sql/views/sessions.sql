-- sessions: each login session with who opened it, from where, and what it ran.
-- Over the case tables, made of parts (see logins.sql).
--   os, host, session   auditd ses on a host / Windows logon id on a computer
--   start, end          its first and last event
--   account, ip         from its login (USER_LOGIN / 4624); a cron session has no
--                       login, its account is the one its LOGIN record names
--   events, commands    its events, and of them programs started (execve / 4688)
DROP VIEW IF EXISTS temp.sessions;
CREATE TEMP VIEW sessions AS
-- part: case_audit_events
SELECT 'linux' AS os, node AS host, CAST(ses AS TEXT) AS session,
       min(time) AS start, max(time) AS end,
       coalesce(max(CASE WHEN type = 'USER_LOGIN' THEN account END), max(CASE WHEN type = 'LOGIN' THEN account END))
         AS account,
       max(CASE WHEN type = 'USER_LOGIN' THEN addr END) AS ip,
       count(*) AS events,
       count(*) FILTER (WHERE syscall = 'execve') AS commands
FROM case_audit_events
WHERE ses IS NOT NULL
GROUP BY node, ses
UNION ALL
-- part: case_win_events
SELECT 'windows', computer, CAST(logon_id AS TEXT), min(time), max(time),
       max(CASE WHEN event_id = 4624 THEN account END), max(CASE WHEN event_id = 4624 THEN ip_address END),
       count(*), count(*) FILTER (WHERE event_id = 4688)
FROM (SELECT computer, target_logon_id AS logon_id, time, event_id, ip_address,
             CASE WHEN target_domain IS NOT NULL THEN target_domain || '\' ELSE '' END || target_user AS account
      FROM case_win_events WHERE event_id IN (4624, 4634, 4647) AND target_logon_id IS NOT NULL
      UNION ALL
      SELECT computer, subject_logon_id, time, event_id, NULL, NULL
      FROM case_win_events WHERE subject_logon_id IS NOT NULL AND event_id NOT IN (4624, 4634, 4647))
GROUP BY computer, logon_id;
