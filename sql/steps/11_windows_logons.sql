-- Step 11. The Windows host talked to the suspect address too (step 10: ftp and
-- HTTPS out). Who was logged on to it then? Its logons first, then the session that
-- was open when the first of those flows began.
.print
.print "== 11. Windows host: logons by account, type and source; then who was on when it called the suspect"
SELECT host, account, method AS logon_type, coalesce(ip, '-') AS ip, sum(success) AS succeeded,
       sum(1 - success) AS failed, min(time) AS first, max(time) AS last
FROM logins WHERE os = 'windows'
GROUP BY host, account, method, ip
ORDER BY min(time);

-- The Windows host's address in the flows is its NSG's: the first flow between it and
-- the suspect, and the interactive sessions open at that moment.
DROP TABLE IF EXISTS temp.windows_suspect_session;
CREATE TEMP TABLE windows_suspect_session AS
SELECT s.*, c.first AS contact, c.dst_port AS contact_port
FROM sessions s
JOIN (SELECT * FROM suspect_contacts WHERE nsg LIKE '%WIN%' ORDER BY first LIMIT 1) c
  ON s.start <= c.first AND c.first <= s.end
WHERE s.os = 'windows' AND s.ip IS NOT NULL;
SELECT session, host, account, ip, start, end, commands, contact, contact_port FROM windows_suspect_session;

INSERT INTO attack_sessions
SELECT os, host, session, 'on when ' || host || ' called the suspect' FROM windows_suspect_session;

INSERT INTO observations
SELECT 11, 'RDP logon on ' || host, account || ' logged on from ' || ip || ' (' || (SELECT method FROM logins
       WHERE os = 'windows' AND session = w.session AND success = 1) || ') at ' || start || '; the session was open when '
       || host || ' connected to the suspect on port ' || contact_port || ' at ' || contact,
       json_object('account', account, 'ip', ip, 'session', session, 'start', start, 'end', end)
FROM windows_suspect_session w;
