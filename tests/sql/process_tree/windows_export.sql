-- requires: datasets
-- process_tree() over the shared SecurityEvent 4688 export (processes_on_host.csv),
-- loaded as the sqlite3 shell loads any CSV: counts, the inferred parents, and the
-- tree of the processes of one logon session, indented by depth.
.mode csv
.import --csv ${DATASETS}/windows/processes_on_host.csv p
.mode list
create temp view procs as
  select Computer as host, NewProcessId as pid, ProcessId as ppid, TimeGenerated as time,
         NewProcessName as image, ParentProcessName as parent_image,
         -- msticpy's effective logon id: the new process' session when 4688 names one
         case when TargetLogonId not in ('', '0x0') then TargetLogonId else SubjectLogonId end as logon_id,
         CommandLine as cmdline
  from p;
create temp table tree as select * from process_tree('select * from procs');
select count(*) as nodes, sum(inferred), sum(is_root), sum(is_leaf), max(depth),
       count(distinct proc_key), sum(note is not null) from tree;
-- every start is there once, every parent link points at a node of the tree
select (select count(*) from tree where not inferred) = (select count(*) from p);
select count(*) from tree c left join tree par on par.proc_key = c.parent_key
 where c.parent_key is not null and par.proc_key is null;
-- the inferred parents: what their children name
select proc_key, image, (select count(*) from tree c where c.parent_key = tree.proc_key)
  from tree where inferred order by proc_key;
-- the processes of MSTICAdmin's logon session as a tree, depth-first
select printf('%*s', 2 * depth, '') ||
       replace(image, rtrim(image, replace(image, '\', '')), '') || ' ' || coalesce(time, '(inferred)')
  from tree where logon_id = '0xfaac27' order by path limit 25;
select count(*) from tree where logon_id = '0xfaac27';
select depth, count(*) from tree group by depth;
