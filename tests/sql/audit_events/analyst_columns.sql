-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} names enriched.log
-- The columns an analyst reads to say who did what: account, cmd (sudo's history),
-- terminal in one spelling, and uid/auid/gid names from the log host's own passwd and
-- group files (audit.passwd, audit.group) when the log carries no ENRICHED names.
.headers on
.mode list
.nullvalue NULL
-- Without the files: account is acct, else id/auid as a number; no names.
select serial, type, acct, account, uid_name, auid_name, gid_name, terminal, cmd
from audit_events('${TMP}/names/names.log') order by serial;
-- With them (first line of a uid wins; comments, NIS entries and broken lines are no users).
select sqlhunt_config('audit.passwd', '${TMP}/names/passwd') is not null as passwd,
       sqlhunt_config('audit.group', '${TMP}/names/group') is not null as grp;
select serial, uid, uid_name, auid, auid_name, gid, gid_name, account
from audit_events('${TMP}/names/names.log') order by serial;
-- ENRICHED names win over the files (the log says who it was on that host).
select serial, uid, uid_name, auid_name, account from audit_events('${TMP}/enriched.log') order by serial;
-- The sudo history: what ran, by whom, from which terminal (cmd is hex in the log).
select time, account, terminal, cmd from audit_events('${TMP}/names/names.log') where type = 'USER_CMD';
-- sudo's PAM record says /dev/pts/1 and its USER_CMD pts/1: one terminal, one spelling.
select count(distinct terminal) from audit_events('${TMP}/names/names.log') where terminal like '%pts%';
-- A file that cannot be read is an error naming the setting; unset, names are NULL again.
select sqlhunt_config('audit.passwd', '${TMP}/names/missing');
select count(*) from audit_events('${TMP}/names/names.log') where uid_name is not null;
select sqlhunt_config('audit.passwd', '${TMP}/names');
select count(*) from audit_events('${TMP}/names/names.log') where account is not null;
select sqlhunt_config('audit.passwd', NULL) is null, sqlhunt_config('audit.group', NULL) is null;
select count(*) from audit_events('${TMP}/names/names.log') where uid_name is not null or gid_name is not null;
