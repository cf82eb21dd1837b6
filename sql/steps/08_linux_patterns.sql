-- Step 8. Thousands of processes, few patterns: cmdline_pattern() replaces what varies
-- (numbers, addresses, temp names, times) with typed placeholders, so the host's
-- routine collapses into a few lines and what is left can be read.
.print
.print "== 8. Linux host: every process, collapsed to patterns; the routine, then the rest"
SELECT count(*) AS processes, count(DISTINCT command_line) AS command_lines,
       count(DISTINCT cmdline_pattern(command_line)) AS patterns
FROM process_creations WHERE os = 'linux';

DROP TABLE IF EXISTS temp.linux_patterns;
CREATE TEMP TABLE linux_patterns AS
SELECT cmdline_pattern(command_line) AS pattern, count(*) AS runs, group_concat(DISTINCT account) AS accounts,
       count(DISTINCT session) AS sessions, min(time) AS first, max(time) AS last
FROM process_creations WHERE os = 'linux'
GROUP BY 1;

-- The routine: run often, by root only.
SELECT substr(pattern, 1, 64) AS routine_pattern, runs, accounts
FROM linux_patterns WHERE runs >= 5 AND accounts = 'root'
ORDER BY runs DESC, pattern;
-- The rest: rare, or run by someone else.
SELECT substr(first, 12, 8) AS first, runs, accounts, substr(pattern, 1, 64) AS other_pattern
FROM linux_patterns WHERE NOT (runs >= 5 AND accounts = 'root')
ORDER BY first, pattern;

INSERT INTO observations
SELECT 8, 'Linux processes clustered by pattern',
       sum(runs) || ' processes in ' || count(*) || ' patterns; ' || sum(runs) FILTER (WHERE runs >= 5 AND accounts = 'root')
       || ' are root''s routine (' || count(*) FILTER (WHERE runs >= 5 AND accounts = 'root') || ' patterns); '
       || count(*) FILTER (WHERE NOT (runs >= 5 AND accounts = 'root')) || ' patterns are left to read, '
       || count(*) FILTER (WHERE accounts LIKE '%dbadmin%') || ' of them dbadmin''s',
       (SELECT json_group_array(pattern) FROM linux_patterns WHERE accounts LIKE '%dbadmin%')
FROM linux_patterns;
