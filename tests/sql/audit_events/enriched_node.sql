-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} enriched.log node.log hex_fields.log
-- ENRICHED logs: the names after 0x1d give uid_name/auid_name and stay in records as
-- upper-case fields; a raw log has NULL names. node= splits events with one time and serial.
.headers on
.mode list
.nullvalue NULL
select serial, type, uid, auid, uid_name, auid_name, exe, addr from audit_events('${TMP}/enriched.log');
select serial, json_extract(records, '$[0].fields') as syscall_fields, json_extract(records, '$[3].fields') as path_fields
from audit_events('${TMP}/enriched.log') where serial = 601;
select count(*) as events, count(uid_name) as with_uid_name from audit_events('${TMP}/hex_fields.log');
-- node: two hosts logged serial 500 at the same millisecond, two events.
select time, serial, node, type, record_types, pid, exe, acct, addr, success, line from audit_events('${TMP}/node.log');
select node, count(*) from audit_events('${TMP}/node.log') group by node order by node;
