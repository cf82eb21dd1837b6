-- The sqlhunt demo: the "Step-by-Step Linux-Windows-Office Investigation" notebook's
-- Linux story as SQL, over the case that examples/make_case.py generates in
-- examples/case/ (an SSH intrusion on msticalertslxvm2 from 23.97.60.214).
-- Run it with `make demo`; every step is a plain query you can change at the prompt.

.print "== 1. The threat report: which indicators does it name, and how often? (defanged ones refanged)"
SELECT type, value, count(*) AS mentions, max(defanged) AS defanged
FROM iocs(readfile('examples/case/threat_report.txt'))
GROUP BY type, value
ORDER BY min(start);

.print
.print "== 2. The alerts Sentinel raised, and the entities each one names"
SELECT a.time, a.alert_name, a.severity, a.compromised_entity,
       group_concat(e.type || '=' || e.name, ', ') AS entities
FROM alerts('examples/case/alerts.jsonl') a, alert_entities(a.entities) e
GROUP BY a.system_alert_id
ORDER BY a.time;

.print
.print "== 3. Indicators in the alerts' text that their entities do not name"
SELECT DISTINCT i.type, i.value
FROM alerts('examples/case/alerts.jsonl') a,
     iocs(a.description || ' ' || a.extended_properties) i
WHERE i.type IN ('ipv4', 'domain', 'url', 'sha256')
  AND i.value NOT IN (SELECT e.name FROM alerts('examples/case/alerts.jsonl') a2,
                                         alert_entities(a2.entities) e)
ORDER BY i.type, i.value;

.print
.print "== 4. Basic IP checks: where do the report's addresses come from, and what does our own threat intel say?"
SELECT sqlhunt_config('ti.local', 'examples/case/ti_feed.csv') IS NOT NULL AS local_ti_loaded;
SELECT g.ip, g.class, g.country, g.city, g.asn, g.as_org, t.severity AS local_ti, t.result
FROM ip_enrichment g
LEFT JOIN ti_lookup t ON t.observable = g.ip AND t.provider = 'local'
WHERE g.ip IN (SELECT value FROM iocs(readfile('examples/case/threat_report.txt')) WHERE type = 'ipv4')
ORDER BY g.ip;

.print
.print "== 5. Linux host: SSH authentication by source address (three rotated audit logs, one .gz)"
SELECT addr, count(*) FILTER (WHERE success = 0) AS failed,
       count(*) FILTER (WHERE success = 1) AS succeeded,
       min(time) AS first_seen, max(time) AS last_seen
FROM audit_events('examples/case/audit/audit.log*')
WHERE type = 'USER_AUTH'
GROUP BY addr
ORDER BY failed DESC;

.print
.print "== 6. The attacker's logins, and the session each one opened (account named by the host's own passwd file)"
SELECT sqlhunt_config('audit.passwd', 'examples/case/etc/passwd') IS NOT NULL AS host_passwd_loaded;
SELECT time, account, auid, ses, addr, terminal, res
FROM audit_events('examples/case/audit/audit.log*')
WHERE type = 'USER_LOGIN' AND addr = '23.97.60.214' AND success = 1;

.print
.print "== 7. What that session ran (every argument, hex-decoded, records joined across the rotation)"
SELECT e.time, e.uid, e.exe, e.cmdline, e.cwd
FROM audit_events('examples/case/audit/audit.log*') e
WHERE e.syscall = 'execve'
  AND e.ses IN (SELECT ses FROM audit_events('examples/case/audit/audit.log*')
                WHERE type = 'USER_LOGIN' AND addr = '23.97.60.214' AND success = 1)
ORDER BY e.epoch;

.print
.print "== 8. Commands that touch an indicator from the threat report"
SELECT e.time, i.type, i.value, e.cmdline
FROM audit_events('examples/case/audit/audit.log*') e,
     iocs(e.cmdline) i
WHERE i.value IN (SELECT value FROM iocs(readfile('examples/case/threat_report.txt')))
ORDER BY e.epoch;

.print
.print "== 9. Summary"
SELECT (SELECT count(*) FROM audit_events('examples/case/audit/audit.log*')) AS audit_events,
       (SELECT count(*) FROM audit_events('examples/case/audit/audit.log*')
        WHERE type = 'USER_AUTH' AND success = 0) AS failed_ssh_logins,
       (SELECT count(DISTINCT addr) FROM audit_events('examples/case/audit/audit.log*')
        WHERE type = 'USER_AUTH' AND success = 0) AS guessing_sources,
       (SELECT min(time) FROM audit_events('examples/case/audit/audit.log*')
        WHERE type = 'USER_LOGIN' AND addr = '23.97.60.214' AND success = 1) AS attacker_login,
       (SELECT count(*) FROM audit_events('examples/case/audit/audit.log*')
        WHERE syscall = 'execve' AND ses = 12) AS attacker_commands;
