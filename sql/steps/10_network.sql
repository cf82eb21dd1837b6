-- Step 10. The network view: NSG flow logs of both hosts, every flow to or from the
-- suspect address or an address the report names, by host, direction and port. A flow
-- is counted once (sum(flows): its B tuple; C/E tuples update its counters).
.print
.print "== 10. Network: flows with the suspect and the report's addresses, by host, direction and port"
SELECT f.resource AS nsg, f.direction, f.protocol,
       CASE f.direction WHEN 'inbound' THEN f.src_ip ELSE f.dst_ip END AS remote,
       CASE WHEN f.direction = 'inbound' THEN f.dst_port ELSE f.dst_port END AS port,
       sum(f.flows) AS flows, sum(f.bytes_in) FILTER (WHERE f.state = 'E') AS bytes_in,
       sum(f.bytes_out) FILTER (WHERE f.state = 'E') AS bytes_out, min(f.time) AS first, max(f.time) AS last
FROM case_net_flows f
WHERE f.src_ip IN (SELECT ip FROM suspect_ips UNION SELECT value FROM case_iocs WHERE type = 'ipv4')
   OR f.dst_ip IN (SELECT ip FROM suspect_ips UNION SELECT value FROM case_iocs WHERE type = 'ipv4')
GROUP BY 1, 2, 3, 4, 5
ORDER BY min(f.time);

-- The hosts that talked to the suspect (by their NSG), for the next steps.
DROP TABLE IF EXISTS temp.suspect_contacts;
CREATE TEMP TABLE suspect_contacts AS
SELECT resource AS nsg, CASE direction WHEN 'inbound' THEN dst_ip ELSE src_ip END AS host_ip, direction, dst_port,
       min(time) AS first, max(time) AS last, sum(flows) AS flows
FROM case_net_flows
WHERE src_ip IN (SELECT ip FROM suspect_ips) OR dst_ip IN (SELECT ip FROM suspect_ips)
GROUP BY 1, 2, 3, 4;

INSERT INTO observations
SELECT 10, 'Network: both hosts talked to ' || (SELECT group_concat(ip) FROM suspect_ips),
       group_concat(nsg || ' ' || direction || ' port ' || dst_port || ' (' || flows || ' flows from ' || substr(first, 12, 8)
                    || ')', '; '),
       json_group_array(json_object('nsg', nsg, 'direction', direction, 'port', dst_port, 'flows', flows))
FROM (SELECT * FROM suspect_contacts ORDER BY first);
