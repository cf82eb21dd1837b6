-- logins: every login attempt on every host, Linux and Windows, one row each.
-- Plain SQL over the case tables (sql/case.sql, or a database scripts/case-db wrote):
-- any SQLite client reads it, with or without the extension. `.read` it on your own
-- case; the same view of the same name and columns as sql/case-db/logins.sql.
--   time, epoch  when; os: linux or windows; host: the host logged in to
--   account      who (Linux: the account auditd names, by the host's passwd file when
--                the case has it; Windows: DOMAIN\user)
--   ip           where from; method: the terminal (ssh, pts/0) or the logon type name
--   success      1 or 0; session: the session it opened (auditd ses, Windows logon id)
--   source, file, line: the row it comes from
DROP VIEW IF EXISTS temp.logins;
CREATE TEMP VIEW logins AS
SELECT time, epoch, 'linux' AS os, node AS host, account, addr AS ip, terminal AS method, success,
       CAST(ses AS TEXT) AS session, 'case_audit_events' AS source, file, line
FROM case_audit_events
WHERE type = 'USER_LOGIN'
UNION ALL
SELECT time, epoch, 'windows', computer,
       CASE WHEN target_domain IS NOT NULL THEN target_domain || '\' ELSE '' END || target_user,
       ip_address, logon_type_name, event_id = 4624, CAST(target_logon_id AS TEXT),
       'case_win_events', file, line
FROM case_win_events
WHERE event_id IN (4624, 4625);
