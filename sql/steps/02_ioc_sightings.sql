-- Step 2. Which of the report's indicators appear in the evidence, and where?
-- ioc_sightings (sql/views) matches addresses in every address column of every source
-- and every indicator inside command lines and alert texts.
.print
.print "== 2. The report's indicators in the evidence: which source, which column, when"
SELECT type, value, source, field, count(*) AS rows, min(time) AS first, max(time) AS last
FROM ioc_sightings
GROUP BY type, value, source, field
ORDER BY min(time), value, source, field;

INSERT INTO observations
SELECT 2, 'Report indicators seen in the evidence',
       count(DISTINCT value) || ' of ' || (SELECT count(DISTINCT value) FROM case_iocs) || ' indicators appear, in '
       || count(DISTINCT source) || ' sources; never seen: '
       || (SELECT group_concat(value, ', ') FROM (SELECT DISTINCT value FROM case_iocs
           WHERE value NOT IN (SELECT value FROM ioc_sightings) AND type IN ('ipv4', 'domain') ORDER BY value)),
       (SELECT json_group_object(value, sources) FROM (SELECT value, json_group_array(DISTINCT source) AS sources
        FROM ioc_sightings GROUP BY value))
FROM ioc_sightings;
