-- cmdline_pattern(): the examples of docs/clustering.md, NULLs, numbers, and that it is
-- usable where pure functions are (an index on an expression, a generated column).
select cmdline_pattern('sleep 5');
select cmdline_pattern('Failed password for root from 61.184.247.3 port 4242 ssh2');
select cmdline_pattern('C:\Users\alice\AppData\Local\Temp\tmp8f3a.ps1 -id {7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}');
select cmdline_pattern('connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005');
select cmdline_pattern('powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA');
select quote(cmdline_pattern(null)), cmdline_pattern(''), cmdline_pattern(12345), cmdline_pattern(2.5);
select cmdline_pattern(cmdline_pattern('x 10.0.0.1:443 /home/bob 0x3e7')) = cmdline_pattern('x 10.0.0.1:443 /home/bob 0x3e7');
create table ev(cmd text, pattern text as (cmdline_pattern(cmd)));
create index ev_pattern on ev(cmdline_pattern(cmd));
insert into ev(cmd) values ('sleep 1'), ('sleep 20'), ('/bin/cat /proc/1/stat'), ('/bin/cat /proc/77/stat'), ('id');
select pattern, count(*) from ev group by pattern order by 2 desc, 1;
select cmdline_pattern();
