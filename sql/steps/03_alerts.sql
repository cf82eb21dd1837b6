-- Step 3. The alerts, and the entities each one names (hosts, addresses, accounts,
-- files, processes), out of Sentinel's Entities JSON.
.print
.print "== 3. The alerts Sentinel raised, and the entities each one names"
SELECT a.time, a.alert_name, a.severity, a.compromised_entity AS host,
       (SELECT group_concat(e.type || ': ' || e.name, char(10)) FROM case_alert_entities e
        WHERE e.system_alert_id = a.system_alert_id) AS entities
FROM case_alerts a
ORDER BY a.time;

-- The addresses the alerts name: the suspects every later step looks for.
DROP TABLE IF EXISTS temp.suspect_ips;
CREATE TEMP TABLE suspect_ips AS
SELECT DISTINCT address AS ip FROM case_alert_entities WHERE type = 'ip' AND ip_class(address) = 'public';

INSERT INTO observations
SELECT 3, 'Alerts', count(*) || ' alerts on ' || group_concat(DISTINCT compromised_entity) || ': '
       || group_concat(alert_name, '; '),
       (SELECT json_group_array(ip) FROM suspect_ips)
FROM case_alerts;
