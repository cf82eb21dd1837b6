-- logins: every login attempt on every host, Linux and Windows, one row each.
-- Plain SQL over the case tables: any SQLite client reads it, with or without the
-- extension. `.read` it over a case database (a TEMP view: nothing is written into the
-- database); scripts/case-db stores it in the database it writes, made of the parts
-- (`-- part: TABLES` up to the next part) whose tables exist. The runbook
-- (sql/investigate.sql) reads the same file.
--   time, epoch  when; os: linux or windows; host: the host logged in to
--   account      who (Linux: the account auditd names, by the host's passwd file when
--                the case has it; Windows: DOMAIN\user)
--   ip           where from; method: the terminal (ssh, pts/0) or the logon type name
--   success      1 or 0; session: the session it opened (auditd ses, Windows logon id)
--   source, file, line: the row it comes from
DROP VIEW IF EXISTS temp.logins;
CREATE TEMP VIEW logins AS
-- part: case_audit_events
SELECT time, epoch, 'linux' AS os, node AS host, account, addr AS ip, terminal AS method, success,
       CAST(ses AS TEXT) AS session, 'case_audit_events' AS source, file, line
FROM case_audit_events
WHERE type = 'USER_LOGIN'
UNION ALL
-- part: case_win_events
SELECT time, epoch, 'windows', computer,
       CASE WHEN target_domain IS NOT NULL THEN target_domain || '\' ELSE '' END || target_user,
       ip_address, logon_type_name, event_id = 4624, CAST(target_logon_id AS TEXT),
       'case_win_events', file, line
FROM case_win_events
WHERE event_id IN (4624, 4625);
