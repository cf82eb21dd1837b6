-- process_tree(): the linking rules on small synthetic rows (proc_tree.h), the columns,
-- exits, skew, guids, text pids and times, notes, and every error.
create table ev(host, pid, ppid, time, image, parent_image, guid, parent_guid, is_exit, cmd);
insert into ev values
  ('w', '0x100', '0x4', '2019-01-15 05:00:00.000', 'C:\Windows\explorer.exe', 'C:\Windows\System32\userinit.exe', null, null, 0, 'explorer'),
  ('w', '0x200', '0x100', '2019-01-15 05:00:01.000', 'C:\Windows\System32\cmd.exe', 'C:\WINDOWS\EXPLORER.EXE', null, null, 0, 'cmd /c x'),
  ('w', '0x300', '0x200', '2019-01-15 05:00:00.995', 'C:\x.exe', 'C:\Windows\System32\cmd.exe', null, null, 0, 'x.exe (5 ms early)'),
  ('w', '0x200', null, '2019-01-15 05:00:02.000', 'C:\Windows\System32\cmd.exe', null, null, null, 1, null),
  ('w', '0x400', '0x200', '2019-01-15 05:00:03.000', 'C:\y.exe', 'C:\Windows\System32\cmd.exe', null, null, 0, 'after cmd exited'),
  ('w', '0x500', '0x100', '2019-01-15 05:00:04.000', 'C:\z.exe', 'C:\Windows\svchost.exe', null, null, 0, 'image mismatch'),
  ('s', 10, 4, 1547528400.0, 'a.exe', null, '{A}', null, 0, 'a'),
  ('s', 10, 4, 1547528401.0, 'b.exe', null, '{B}', null, 0, 'b, pid 10 again'),
  ('s', 11, 10, 1547528402.0, 'c.exe', null, '{C}', '{A}', 0, 'c: guid says a'),
  ('s', 'twelve', 10, 1547528403.0, 'd.exe', null, null, null, 0, 'bad pid');
.headers on
select path, proc_key, parent_key, depth, is_root, is_leaf, inferred, image,
       exit_time, note, json_extract(extra, '$.cmd') as cmd
  from process_tree('select * from ev');
select proc_key, time, epoch, pid, ppid, host, root_key from process_tree('select * from ev') where host = 's';
.headers off
-- skew_ms = 0: the child logged 5 ms before its parent gets an inferred parent
select proc_key, parent_key from process_tree('select * from ev', 0) where pid = 0x300;
-- extra carries every other column as JSON, types kept
select extra from process_tree('select 1 as pid, 0 as ppid, 0 as time, 2.5 as r, x''00ff'' as b, null as n, ''t'' as s') where not inferred;
-- errors
select * from process_tree('select 1 as pid, 2 as ppid');
select * from process_tree('select 1 as pid, 2 as ppid, 3 as time, 4 as pid');
select * from process_tree('delete from ev');
select * from process_tree('select 1 as pid, 0 as ppid, 0 as time; select 2');
select * from process_tree('  -- nothing');
select * from process_tree('select * from no_such_table');
select * from process_tree('select * from ev', 'fast');
select * from process_tree('select * from ev', -1);
select count(*) from process_tree('select 1 as pid, 0 as ppid, 0 as time; -- a comment is fine');
select count(*) from process_tree(null);
select * from process_tree;
-- DIRECTONLY: a view (whose SQL someone else may have written) cannot use it
create view v as select * from process_tree('select 1 as pid, 0 as ppid, 0 as time');
select count(*) from v;
-- A NULL argument matches nothing (the rule of every table): no rows, no error
select 'null', count(*), (select count(*) from process_tree('select 1 as pid, 0 as ppid, 0 as time', NULL)) from process_tree(NULL);
