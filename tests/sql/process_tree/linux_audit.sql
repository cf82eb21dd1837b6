-- requires: datasets
-- process_tree() over the execve events of the shared auditd log (audit_events):
-- the shell of login session 237 and what ran under it.
create temp table tree as
  select * from process_tree('select node as host, pid, ppid, time, exe as image,
                                     ses as logon_id, cmdline
                              from audit_events(''${DATASETS}/linux/auditd_log.txt'')
                              where syscall = ''execve''');
select count(*), sum(inferred), sum(is_root), max(depth) from tree;
select printf('%*s', 2 * depth, '') || coalesce(json_extract(extra, '$.cmdline'), '(not in the log)')
       || '  [pid ' || pid || coalesce(', ses ' || logon_id, '') || ']'
  from tree
 where root_key in (select root_key from tree where logon_id = '237')
 order by path;
