-- Step 1. The threat report: which indicators does it name?
-- iocs() finds them in the text, defanged or not (23.97.60[.]214, hxxp://...), and
-- gives each back refanged; each indicator once, with how often the report names it.
.print "== 1. The threat report: its indicators, each once, with how often it names them"
SELECT type, value, count(*) AS mentions, max(defanged) AS defanged, file AS report
FROM case_iocs
GROUP BY type, value, file
ORDER BY min(start);

INSERT INTO observations
SELECT 1, 'Indicators in the threat report',
       count(DISTINCT value) || ' distinct indicators in ' || count(DISTINCT file) || ' report(s): '
       || count(DISTINCT value) FILTER (WHERE type IN ('ipv4', 'ipv6')) || ' addresses, '
       || count(DISTINCT value) FILTER (WHERE type IN ('domain', 'url')) || ' domains and URLs, '
       || count(DISTINCT value) FILTER (WHERE type IN ('md5', 'sha1', 'sha256')) || ' hashes',
       (SELECT json_group_array(value) FROM (SELECT DISTINCT value FROM case_iocs WHERE type IN ('ipv4', 'ipv6')))
FROM case_iocs;
