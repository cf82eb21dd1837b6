-- Step 12. What that Windows session ran, as a process tree (4688 events linked by
-- process id and time), and what changed on the host: accounts, groups, the registry,
-- scheduled tasks, and what the task started.
DROP TABLE IF EXISTS temp.windows_tree;
CREATE TEMP TABLE windows_tree AS
SELECT * FROM process_tree('SELECT host, pid, ppid, time, image, session AS logon_id,
                                   command_line AS cmdline, account
                            FROM process_creations WHERE os = ''windows''');

.print
.print "== 12. Windows host: the session as a process tree, and what it changed"
SELECT substr(t.time, 12, 12) AS time, printf('0x%x', t.pid) AS pid,
       printf('%*s', 2 * t.depth, '') || coalesce(json_extract(t.extra, '$.cmdline'), '(its parent, not in the log)')
         AS process
FROM windows_tree t
WHERE t.root_key IN (SELECT root_key FROM windows_tree
                     WHERE logon_id IN (SELECT session FROM attack_sessions WHERE os = 'windows'))
ORDER BY t.path;

SELECT substr(time, 12, 12) AS time, kind, account, summary
FROM timeline
WHERE lane LIKE 'Windows %' AND (kind IN ('account', 'registry', 'task')
   OR (kind = 'process' AND lower(summary) IN (SELECT lower(value) FROM case_iocs WHERE type = 'windows_path')))
ORDER BY time;

INSERT INTO observations
SELECT 12, 'What the intruder did on the Windows host',
       group_concat(replace(summary, '  ', ' '), '; '), json_group_array(summary)
FROM (SELECT summary FROM timeline
      WHERE lane LIKE 'Windows %' AND kind = 'process'
        AND (lower(summary) IN (SELECT lower(value) FROM case_iocs WHERE type = 'windows_path')
             -- what was typed: the session's programs but the logon's own and net's helper
             OR (session IN (SELECT session FROM attack_sessions WHERE os = 'windows')
                 AND summary NOT LIKE '%\net1 %' AND summary NOT LIKE '%userinit%'
                 AND summary NOT LIKE '%Explorer%' AND summary NOT LIKE '%cmd.exe%'))
      ORDER BY time);
