-- process_creations: every program started on every host, Linux and Windows.
-- Over the case tables, made of parts (see logins.sql). process_tree() links these
-- rows into trees.
--   time, epoch, os, host
--   account      who ran it (Linux: the uid's name, else the uid; Windows: the subject)
--   pid, ppid    process and parent ids (integers on both systems)
--   image        the program (Linux: exe; Windows: the new process's path)
--   command_line every argument (Linux: hex-decoded argv)
--   session      auditd ses / Windows logon id; source, file, line
DROP VIEW IF EXISTS temp.process_creations;
CREATE TEMP VIEW process_creations AS
-- part: case_audit_events
SELECT time, epoch, 'linux' AS os, node AS host,
       coalesce(uid_name, CAST(uid AS TEXT)) AS account, pid, ppid, exe AS image,
       cmdline AS command_line, CAST(ses AS TEXT) AS session,
       'case_audit_events' AS source, file, line
FROM case_audit_events
WHERE syscall = 'execve'
UNION ALL
-- part: case_win_events
SELECT time, epoch, 'windows', computer,
       CASE WHEN subject_domain IS NOT NULL THEN subject_domain || '\' ELSE '' END || subject_user,
       process_id, parent_process_id, process_name, command_line, CAST(subject_logon_id AS TEXT),
       'case_win_events', file, line
FROM case_win_events
WHERE event_id = 4688 OR (event_id = 1 AND channel = 'Microsoft-Windows-Sysmon/Operational');
