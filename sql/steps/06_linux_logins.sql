-- Step 6. Linux host: the successful logins and the session each one opened (the
-- logins and sessions views). `account` is the name, not an empty `acct`: sshd writes
-- the uid (id=1001) on a successful login, and the host's passwd file names it.
.print
.print "== 6. Linux host: successful logins, and the sessions they opened"
SELECT l.time, l.host, l.account, l.ip, l.method, l.session, s.end, s.commands,
       CASE WHEN l.ip IN (SELECT ip FROM suspect_ips) THEN 'suspect' ELSE '' END AS note
FROM logins l
JOIN sessions s ON s.os = l.os AND s.host = l.host AND s.session = l.session
WHERE l.os = 'linux' AND l.success = 1
ORDER BY l.time;

-- The attacker's sessions; later steps add the others they find.
DROP TABLE IF EXISTS temp.attack_sessions;
CREATE TEMP TABLE attack_sessions AS
SELECT os, host, session, 'login from ' || ip AS why FROM logins
WHERE success = 1 AND ip IN (SELECT ip FROM suspect_ips);

INSERT INTO observations
SELECT 6, 'Attacker login on ' || l.host, l.account || ' logged in from ' || l.ip || ' over ' || l.method || ' at '
       || l.time || ' (session ' || l.session || ', ' || s.commands || ' programs run)',
       json_object('account', l.account, 'ip', l.ip, 'session', l.session, 'time', l.time)
FROM logins l JOIN sessions s ON s.os = l.os AND s.host = l.host AND s.session = l.session
WHERE l.os = 'linux' AND l.success = 1 AND l.ip IN (SELECT ip FROM suspect_ips);
