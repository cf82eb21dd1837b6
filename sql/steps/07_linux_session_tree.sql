-- Step 7. What the attacker's Linux session ran, as a process tree: process_tree()
-- links each execve to its parent by pid and time (the login shell's sshd parent is
-- not in the log: it is inferred), every argument hex-decoded, records joined across
-- the log's rotation.
DROP TABLE IF EXISTS temp.linux_tree;
CREATE TEMP TABLE linux_tree AS
SELECT * FROM process_tree('SELECT host, pid, ppid, time, image, session AS logon_id,
                                   command_line AS cmdline, account
                            FROM process_creations WHERE os = ''linux''');

.print
.print "== 7. Linux host: the attacker's session as a process tree"
SELECT substr(t.time, 12, 12) AS time, t.pid, json_extract(t.extra, '$.account') AS account,
       printf('%*s', 2 * t.depth, '') || coalesce(json_extract(t.extra, '$.cmdline'), '(its parent, not in the log)')
         AS process
FROM linux_tree t
WHERE t.root_key IN (SELECT root_key FROM linux_tree
                     WHERE logon_id IN (SELECT session FROM attack_sessions WHERE os = 'linux'))
ORDER BY t.path;

INSERT INTO observations
SELECT 7, 'What the attacker ran on the Linux host',
       count(*) || ' programs in session ' || group_concat(DISTINCT logon_id) || ' from ' || substr(min(time), 12, 8)
       || ' to ' || substr(max(time), 12, 8) || ': '
       || group_concat(DISTINCT replace(image, rtrim(image, replace(image, '/', '')), '')),
       json_group_array(json_extract(extra, '$.cmdline'))
FROM (SELECT * FROM linux_tree WHERE inferred = 0
      AND logon_id IN (SELECT session FROM attack_sessions WHERE os = 'linux') ORDER BY path);
