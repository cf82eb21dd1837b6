-- Step 14. The attack across Linux, Windows, the network and Office 365, in time
-- order: the alerts, the suspect's logins, what the attacker's sessions ran (the cron
-- job's first run only), the changes on Windows, the first flow of each kind with the
-- suspect, and the Office operations from its address.
DROP TABLE IF EXISTS temp.attack_events;
CREATE TEMP TABLE attack_events AS
WITH interactive AS (SELECT CASE os WHEN 'linux' THEN 'Linux ' ELSE 'Windows ' END || coalesce(host, '(unnamed host)') AS lane, session
                     FROM attack_sessions WHERE why NOT LIKE 'runs %'),
     cron AS (SELECT CASE os WHEN 'linux' THEN 'Linux ' ELSE 'Windows ' END || coalesce(host, '(unnamed host)') AS lane, min(session) AS session
              FROM attack_sessions WHERE why LIKE 'runs %' GROUP BY os, host)
SELECT t.* FROM timeline t
WHERE t.is_alert = 1
   OR (t.kind = 'login' AND t.ip IN (SELECT ip FROM suspect_ips))
   OR (t.kind IN ('login', 'process') AND (t.lane, t.session) IN (SELECT lane, session FROM interactive))
   OR (t.kind = 'process' AND (t.lane, t.session) IN (SELECT lane, session FROM cron))
   OR (t.kind IN ('account', 'registry', 'task'))
   OR (t.kind = 'process' AND lower(t.summary) IN (SELECT lower(value) FROM case_iocs))
   OR (t.kind = 'office' AND t.ip IN (SELECT ip FROM suspect_ips))
UNION ALL
-- The first flow of each kind (host, direction, ends, port) with the suspect.
SELECT time, epoch, 'Network', 'flow',
       direction || ' ' || protocol || ' ' || src_ip || ' -> ' || dst_ip || ':' || dst_port
       || CASE WHEN n > 1 THEN ' (and ' || (n - 1) || ' more)' ELSE '' END,
       NULL, CASE direction WHEN 'inbound' THEN src_ip ELSE dst_ip END, NULL, 0, 'case_net_flows', file, line
FROM (SELECT *, row_number() OVER w AS k, sum(flows) OVER (PARTITION BY resource, direction, src_ip, dst_ip, dst_port) AS n
      FROM case_net_flows
      WHERE flows > 0 AND (src_ip IN (SELECT ip FROM suspect_ips) OR dst_ip IN (SELECT ip FROM suspect_ips))
      WINDOW w AS (PARTITION BY resource, direction, src_ip, dst_ip, dst_port ORDER BY epoch))
WHERE k = 1;

.print
.print "== 14. The attack across every source, in time order"
SELECT substr(time, 12, 8) AS time, lane, kind, summary
FROM attack_events
ORDER BY epoch, lane;

INSERT INTO observations
SELECT 14, 'The attack, start to end', count(*) || ' events in ' || count(DISTINCT lane) || ' lanes from ' || min(time)
       || ' to ' || max(time), json_object('first', min(time), 'last', max(time), 'lanes', json_group_array(DISTINCT lane))
FROM attack_events;
