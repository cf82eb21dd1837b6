-- Step 5. Linux host: SSH authentication by source address. The audit log's three
-- rotated files (one gzip) read as one; `acct` is the account each guess tried.
.print
.print "== 5. Linux host: SSH password checks by source address (a guessing run, then a success)"
SELECT addr, count(*) FILTER (WHERE success = 0) AS failed, count(*) FILTER (WHERE success = 1) AS succeeded,
       count(DISTINCT acct) AS accounts_tried, min(time) AS first, max(time) AS last,
       CASE WHEN addr IN (SELECT ip FROM suspect_ips) THEN 'alert'
            WHEN addr IN (SELECT value FROM case_iocs) THEN 'report' ELSE '' END AS named_in
FROM case_audit_events
WHERE type = 'USER_AUTH'
GROUP BY addr
ORDER BY failed DESC, addr;

INSERT INTO observations
SELECT 5, 'SSH password guessing on ' || min(node),
       sum(success = 0) || ' failed password checks from ' || count(DISTINCT addr) FILTER (WHERE success = 0)
       || ' addresses, ' || min(time) || ' to ' || max(time) FILTER (WHERE success = 0) || '; then '
       || (SELECT group_concat(acct || ' from ' || addr, ', ') FROM case_audit_events
           WHERE type = 'USER_AUTH' AND success = 1 AND addr IN (SELECT ip FROM suspect_ips)) || ' succeeded',
       json_object('failed', sum(success = 0), 'sources', count(DISTINCT addr) FILTER (WHERE success = 0))
FROM case_audit_events WHERE type = 'USER_AUTH';
