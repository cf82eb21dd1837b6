-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} hex_fields.log login_syscall.log missing_eoe.log
-- Every column of a few events: an execve with hex exe/comm/cwd/name/key (two keys), a
-- failed openat, a user-space login with a hex acct, a cron LOGIN+SYSCALL event, sudo's
-- USER_CMD. ids "unset" (4294967295) and tty (none) are NULL.
.headers on
.mode line
.nullvalue NULL
select * from audit_events('${TMP}/hex_fields.log') where serial in (400, 402, 403);
select * from audit_events('${TMP}/login_syscall.log') where serial = 1000;
select * from audit_events('${TMP}/missing_eoe.log') where serial = 803;
.mode list
-- paths of every event with PATH records, and records' types and lines.
select serial, paths, json_group_array(json_extract(r.value, '$.type') || ':' || json_extract(r.value, '$.line')) as records
from audit_events('${TMP}/hex_fields.log'), json_each(records) r group by serial;
