-- Step 13. Office 365: what the suspect address did there (the notebook found nothing
-- in its tenant; here the attacker signed in as ian).
.print
.print "== 13. Office 365: operations from the suspect address"
SELECT substr(time, 12, 12) AS time, user_id, workload, operation, replace(object_id, rtrim(object_id, replace(object_id, '/', '')), '') AS object,
       coalesce(client_port, '') AS port
FROM case_office_activity
WHERE client_ip IN (SELECT ip FROM suspect_ips)
ORDER BY time;

INSERT INTO observations
SELECT 13, 'Office 365 from ' || min(client_ip),
       sum(n) || ' operations as ' || group_concat(DISTINCT user_id) || ' from ' || min(time) || ': '
       || group_concat(operation || ' x' || n, ', '),
       json_group_object(operation, n)
FROM (SELECT client_ip, user_id, operation, count(*) AS n, min(time) AS time FROM case_office_activity
      WHERE client_ip IN (SELECT ip FROM suspect_ips) GROUP BY client_ip, user_id, operation ORDER BY min(time));
