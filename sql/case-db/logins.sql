-- logins: every login attempt on every host, Linux and Windows, one row each.
-- A view of the case database scripts/case-db writes; each part is used when its
-- tables exist. Plain SQL: any SQLite client reads it, without the extension.
--   time, epoch  when; os: linux or windows; host: the host logged in to
--   account      who (Linux: audit_events' account, named by etc/passwd when the case
--                has it; Windows: DOMAIN\user)
--   ip           where from; method: the terminal (ssh, tty1) or the logon type
--   success      1 or 0; session: the session it opened (auditd ses, Windows logon id)
--   source, file, line: the row it comes from

-- part: case_audit_events
SELECT time, epoch, 'linux' AS os, node AS host,
       account,
       addr AS ip, terminal AS method, success, CAST(ses AS TEXT) AS session,
       'case_audit_events' AS source, file, line
FROM case_audit_events
WHERE type = 'USER_LOGIN'

-- part: case_win_events
SELECT time, epoch, 'windows', computer,
       CASE WHEN target_domain IS NOT NULL THEN target_domain || '\' ELSE '' END || target_user,
       ip_address, logon_type_name, event_id = 4624, CAST(target_logon_id AS TEXT),
       'case_win_events', file, line
FROM case_win_events
WHERE event_id IN (4624, 4625)
