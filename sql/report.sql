-- sql/report.sql — the investigation as one HTML page, written to the shell's output
-- (scripts/investigate sends it to report.html). Read it after sql/investigate.sql, in
-- the same session: it draws from the tables the steps made (observations,
-- attack_events, attack_sessions, linux_tree, windows_tree, suspect_ips).
--
-- The page is self-contained: the charts are SVG drawn by SQL functions (svg_timeline,
-- svg_tree, svg_map, svg_bars: docs/svg_*.md), the tables are the shell's HTML mode,
-- the style is inline; no script, font or image is fetched when it is viewed.
.headers off
.mode list

SELECT '<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sqlhunt: investigation of ' || replace(replace(replace($case, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
       || '</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
       margin: 0 auto; max-width: 1060px; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 18px 0 6px; color: #444; }
p.lead { color: #555; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e6e6e6; }
th { background: #f4f5f7; font-weight: 600; }
td { overflow-wrap: anywhere; }
svg { max-width: 100%; height: auto; display: block; margin: 6px 0; }
.chart { overflow-x: auto; }
.note { color: #777; font-size: 12px; }
.pill { display: inline-block; background: #fdecea; color: #b71c1c; border-radius: 10px; padding: 1px 8px; }
</style></head><body>';

-- Header: what was investigated.
SELECT '<h1>Investigation report</h1><p class="lead">Case <code>'
       || replace(replace(replace($case, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') || '</code>: '
       || (SELECT count(*) FROM case_alerts) || ' alerts, '
       || ((SELECT count(DISTINCT node) FROM case_audit_events) + (SELECT count(DISTINCT computer) FROM case_win_events))
       || ' hosts, evidence from ' || (SELECT substr(min(time), 1, 16) FROM timeline) || ' to '
       || (SELECT substr(max(time), 1, 16) FROM timeline) || ' UTC. Suspect address: '
       || (SELECT group_concat('<span class="pill">' || ip || '</span>', ' ') FROM suspect_ips) || '</p>';

SELECT '<h2 id="findings">Findings</h2><table>';
.mode html
.headers on
SELECT step AS "Step", caption AS "Finding", description AS "What the evidence shows" FROM observations ORDER BY step;
.headers off
.mode list
SELECT '</table>';

-- The timeline: every event of the case's sources around the attack, one lane each;
-- the attack's headline events labelled, the alerts marked.
SELECT '<h2 id="timeline">Timeline</h2><p class="lead">Every event from 10 minutes before the attack''s first to 10
minutes after its last, one lane per source (the strips are the busy routine); the attack''s main events labelled, the
alerts marked in red.</p><div class="chart">';
SELECT svg_timeline(time, lane, label, is_alert)
FROM (SELECT time, lane, NULL AS label, 0 AS is_alert FROM timeline
      WHERE epoch BETWEEN (SELECT min(epoch) - 600 FROM attack_events) AND (SELECT max(epoch) + 600 FROM attack_events)
        AND is_alert = 0
      UNION ALL
      SELECT time, lane,
             CASE WHEN is_alert = 1 OR kind IN ('login', 'account', 'registry', 'task', 'flow')
                       OR (kind = 'office' AND summary NOT LIKE 'FileAccessed %')
                       OR (kind = 'process' AND EXISTS (SELECT 1 FROM case_iocs i
                                                        WHERE instr(lower(summary), lower(i.value)) > 0))
                       OR (kind = 'process' AND lane LIKE 'Windows %' AND summary LIKE 'ftp %')
                  THEN summary END,
             is_alert
      FROM attack_events ORDER BY time);
SELECT '</div>';

-- The process trees of the attacker's sessions.
SELECT '<h2 id="trees">Process trees</h2><h3>Linux: the attacker''s session, and the first run of its cron job</h3>'
       || '<div class="chart">';
SELECT svg_tree(proc_key, parent_key, coalesce(substr(time, 12, 8) || '  ', '') ||
                coalesce(json_extract(extra, '$.cmdline'), '(parent not in the log)'),
                EXISTS (SELECT 1 FROM case_iocs i WHERE instr(json_extract(t.extra, '$.cmdline'), i.value) > 0))
FROM (SELECT * FROM linux_tree t
      WHERE root_key IN (SELECT root_key FROM linux_tree
                         WHERE logon_id IN (SELECT session FROM attack_sessions WHERE os = 'linux' AND why NOT LIKE 'runs %'
                                            UNION SELECT min(session) FROM attack_sessions
                                            WHERE os = 'linux' AND why LIKE 'runs %'))
      ORDER BY path) t;
SELECT '</div><h3>Windows: the RDP session</h3><div class="chart">';
SELECT svg_tree(proc_key, parent_key, coalesce(substr(time, 12, 8) || '  ', '') ||
                coalesce(json_extract(extra, '$.cmdline'), '(parent not in the log)'),
                EXISTS (SELECT 1 FROM case_iocs i WHERE instr(lower(json_extract(t.extra, '$.cmdline')), lower(i.value)) > 0)
                OR json_extract(t.extra, '$.cmdline') LIKE 'net %' OR json_extract(t.extra, '$.cmdline') LIKE 'reg %'
                OR json_extract(t.extra, '$.cmdline') LIKE 'schtasks %' OR json_extract(t.extra, '$.cmdline') LIKE 'ftp %')
FROM (SELECT * FROM windows_tree t
      WHERE root_key IN (SELECT root_key FROM windows_tree
                         WHERE logon_id IN (SELECT session FROM attack_sessions WHERE os = 'windows'))
      ORDER BY path) t;
SELECT '</div>';

-- Where the addresses are: every public address the case names, the suspect in red.
SELECT '<h2 id="map">Addresses</h2><p class="lead">Every public address in the evidence, located by the local GeoIP
database; the suspect in red.</p><div class="chart">';
SELECT svg_map(latitude, longitude, ip || coalesce(' ' || coalesce(city, country), ''), ip IN (SELECT ip FROM suspect_ips))
FROM ip_enrichment
WHERE ip IN (SELECT DISTINCT ip FROM ip_sightings WHERE ip_class(ip) = 'public')
ORDER BY ip IN (SELECT ip FROM suspect_ips), ip;
SELECT '</div><h3>The suspect and the addresses that acted with it</h3><table>';
.mode html
.headers on
SELECT g.ip AS "Address", g.country AS "Country", g.city AS "City", g.asn AS "ASN", g.as_org AS "Organisation",
       g.network AS "Network", coalesce(t.severity, '') AS "Threat intel", coalesce(t.result, '') AS "Says",
       (SELECT group_concat(DISTINCT replace(source, 'case_', '')) FROM ip_sightings s WHERE s.ip = g.ip) AS "Seen in"
FROM ip_enrichment g
LEFT JOIN ti_lookup t ON t.observable = g.ip AND t.provider = 'local' AND t.status = 'ok'
WHERE g.ip IN (SELECT ip FROM suspect_ips
               UNION SELECT ip FROM logins WHERE success = 1 AND ip_class(ip) = 'public'
               UNION SELECT value FROM case_iocs WHERE type = 'ipv4'
                                               AND value IN (SELECT ip FROM ip_sightings WHERE source <> 'case_iocs'))
ORDER BY g.ip IN (SELECT ip FROM suspect_ips) DESC, g.ip;
.headers off
.mode list
SELECT '</table>';

-- The network: every flow of both hosts by direction and port, one colour per host.
SELECT '<h2 id="network">Network flows</h2><p class="lead">Flows that began in the case''s NSG flow logs, by
direction and port (the ten busiest), one colour per network security group.</p><div class="chart">';
SELECT svg_bars(label, flows, resource)
FROM (SELECT f.direction || ' ' || f.dst_port || '/' || f.protocol AS label, f.resource, sum(f.flows) AS flows
      FROM case_net_flows f
      JOIN (SELECT direction, dst_port, protocol FROM case_net_flows GROUP BY 1, 2, 3 ORDER BY sum(flows) DESC LIMIT 10) top
        USING (direction, dst_port, protocol)
      GROUP BY 1, 2
      ORDER BY sum(sum(f.flows)) OVER (PARTITION BY f.direction, f.dst_port, f.protocol) DESC, label, f.resource);
SELECT '</div><h3>Flows with the suspect</h3><table>';
.mode html
.headers on
SELECT resource AS "NSG", direction AS "Direction", protocol AS "Protocol", dst_port AS "Port", sum(flows) AS "Flows",
       min(time) AS "First", max(time) AS "Last"
FROM case_net_flows
WHERE src_ip IN (SELECT ip FROM suspect_ips) OR dst_ip IN (SELECT ip FROM suspect_ips)
GROUP BY 1, 2, 3, 4 ORDER BY min(time);
.headers off
.mode list
SELECT '</table>';

SELECT '<h2 id="office">Office 365</h2><p class="lead">Operations from the suspect address.</p><table>';
.mode html
.headers on
SELECT time AS "Time", user_id AS "User", workload AS "Workload", operation AS "Operation",
       replace(object_id, rtrim(object_id, replace(object_id, '/', '')), '') AS "Object"
FROM case_office_activity WHERE client_ip IN (SELECT ip FROM suspect_ips) ORDER BY time;
.headers off
.mode list
SELECT '</table>';

SELECT '<p class="note">Written by sqlhunt ' || sqlhunt_version() || ' from sql/report.sql. World outline: Natural Earth
(public domain) through world-atlas; GeoIP: DB-IP (CC-BY-4.0). Nothing on this page is fetched from the network.</p>
</body></html>';
