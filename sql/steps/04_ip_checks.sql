-- Step 4. Basic IP checks: where each address of the report and the alerts is, who
-- holds it (ASN), and what our own threat intel says. Offline: GeoIP and ASN from the
-- local databases (scripts/setup fetches them), the case's TI feed; no request leaves
-- the machine (reverse DNS, RDAP and the TI services are not asked).
.print
.print "== 4. IP checks: the report's and the alerts' addresses, located, with our threat intel"
SELECT g.ip, g.class, g.country, g.city, g.asn, g.as_org, t.severity AS ti, t.result AS ti_says
FROM ip_enrichment g
LEFT JOIN ti_lookup t ON t.observable = g.ip AND t.provider = 'local' AND t.status = 'ok'
WHERE g.ip IN (SELECT value FROM case_iocs WHERE type IN ('ipv4', 'ipv6') UNION SELECT ip FROM suspect_ips)
ORDER BY g.ip IN (SELECT ip FROM suspect_ips) DESC, t.severity IS NULL, g.ip;

INSERT INTO observations
SELECT 4, 'The suspect address', g.ip || ': ' || coalesce(g.city || ', ', '') || coalesce(g.country, '?') || ', AS'
       || coalesce(g.asn, '?') || ' ' || coalesce(g.as_org, '?') || '; local threat intel: '
       || coalesce(t.severity || ' (' || t.result || ')', 'not listed'),
       json_object('ip', g.ip, 'country', g.country, 'asn', g.asn, 'as_org', g.as_org, 'ti', t.severity)
FROM ip_enrichment g
LEFT JOIN ti_lookup t ON t.observable = g.ip AND t.provider = 'local' AND t.status = 'ok'
WHERE g.ip IN (SELECT ip FROM suspect_ips);
