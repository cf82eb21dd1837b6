-- ip_sightings: every place an IP address appears, one row per (address, row), over
-- every address column of every source: the audit log's addr, the alerts' ip
-- entities, Windows events' IpAddress, both ends of every flow, Office's ClientIP,
-- and the reports' addresses. scripts/case-db writes its own
-- ip_sightings of the same columns, over every address column of whatever tables a case has.
--   ip                  the address (as each table normalises it)
--   source, field       the table and column
--   time, host          when, and on which host (NULL where the source has none)
--   file, line          the row it comes from
DROP VIEW IF EXISTS temp.ip_sightings;
CREATE TEMP VIEW ip_sightings AS
SELECT addr AS ip, 'case_audit_events' AS source, 'addr' AS field, time, node AS host, file, line
FROM case_audit_events WHERE addr IS NOT NULL AND addr <> '?'
UNION ALL
SELECT address, 'case_alert_entities', 'address', time, NULL, file, line
FROM case_alert_entities WHERE address IS NOT NULL
UNION ALL
SELECT ip_address, 'case_win_events', 'ip_address', time, computer, file, line
FROM case_win_events WHERE ip_address IS NOT NULL
UNION ALL
SELECT src_ip, 'case_net_flows', 'src_ip', time, vm, file, line FROM case_net_flows WHERE src_ip IS NOT NULL
UNION ALL
SELECT dst_ip, 'case_net_flows', 'dst_ip', time, vm, file, line FROM case_net_flows WHERE dst_ip IS NOT NULL
UNION ALL
SELECT client_ip, 'case_office_activity', 'client_ip', time, NULL, file, line
FROM case_office_activity WHERE client_ip IS NOT NULL
UNION ALL
SELECT value, 'case_iocs', 'value', NULL, NULL, file, NULL FROM case_iocs WHERE type IN ('ipv4', 'ipv6');
