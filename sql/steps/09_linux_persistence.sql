-- Step 9. Sessions clustered by what they do: dbscan() over each session's programs,
-- events, length and user. Cron's jobs fall into clusters; a cluster of dbadmin's own
-- is the crontab the attacker installed, running the dropper every five minutes.
.print
.print "== 9. Linux host: sessions clustered (dbscan); one cluster per kind of job, logins apart"
DROP TABLE IF EXISTS temp.linux_session_clusters;
CREATE TEMP TABLE linux_session_clusters AS
SELECT d.cluster_id, s.*
FROM dbscan('SELECT s.session, s.commands, s.events, (julianday(s.end) - julianday(s.start)) * 86400,
                    (SELECT count(DISTINCT image) FROM process_creations p
                     WHERE p.os = ''linux'' AND p.host = s.host AND p.session = s.session),
                    (SELECT max(uid) FROM case_audit_events e WHERE e.node = s.host AND CAST(e.ses AS TEXT) = s.session)
             FROM sessions s WHERE s.os = ''linux'' ORDER BY s.start', 0.5, 3) d
JOIN sessions s ON s.os = 'linux' AND s.session = d.key;

SELECT coalesce(c.cluster_id, 'noise') AS cluster, count(*) AS sessions, c.account, max(c.ip) AS ip,
       min(c.start) AS first, max(c.start) AS last,
       CASE WHEN count(*) > 1 THEN CAST(round((julianday(max(c.start)) - julianday(min(c.start))) * 86400
                                         / (count(*) - 1)) AS INTEGER) END AS every_s,
       (SELECT group_concat(DISTINCT replace(p.image, rtrim(p.image, replace(p.image, '/', '')), ''))
        FROM process_creations p WHERE p.os = 'linux' AND p.session = min(c.session)) AS programs
FROM linux_session_clusters c
GROUP BY c.cluster_id, CASE WHEN c.cluster_id IS NULL THEN c.session END
ORDER BY min(c.start);

-- Sessions that run what the report names are the attacker's too.
INSERT INTO attack_sessions
SELECT DISTINCT 'linux', p.host, p.session, 'runs ' || i.value
FROM process_creations p JOIN (SELECT DISTINCT value FROM case_iocs WHERE type IN ('linux_path', 'domain')) i
  ON instr(p.command_line, i.value) > 0
WHERE p.os = 'linux' AND p.session NOT IN (SELECT session FROM attack_sessions WHERE os = 'linux');

INSERT INTO observations
SELECT 9, 'Persistence: a cron job on the Linux host',
       count(*) || ' cron sessions of ' || min(account) || ', every ' || CAST(round((julianday(max(start))
       - julianday(min(start))) * 86400 / (count(*) - 1)) AS INTEGER) || ' s from ' || min(start) || ' to ' || max(start)
       || ', run ' || (SELECT group_concat(DISTINCT command_line) FROM process_creations p
                       WHERE p.os = 'linux' AND p.session = min(c.session) AND p.command_line LIKE '/bin/bash %'),
       json_object('sessions', count(*), 'first', min(start), 'last', max(start))
FROM linux_session_clusters c
WHERE session IN (SELECT session FROM attack_sessions WHERE os = 'linux' AND why LIKE 'runs %');
