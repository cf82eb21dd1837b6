-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} empty.log rotated
-- A glob matching nothing and an empty file: no rows. A missing file, a directory, no
-- path, a NULL path: errors that say what is wrong.
.headers on
.mode list
select count(*) from audit_events('${TMP}/nothing*.log');
select count(*) from audit_records('${TMP}/nothing*.log');
select count(*) from audit_events('${TMP}/empty.log');
select count(*) from audit_records('${TMP}/empty.log');
select count(*) from audit_events('${TMP}/no-such.log');
select count(*) from audit_records('${TMP}/no-such.log');
select count(*) from audit_events('${TMP}/rotated');
select count(*) from audit_events;
select count(*) from audit_events(NULL);
create virtual table host_audit using audit_events(path='${TMP}/rotated/audit.log*');
select count(*), sum(record_count) from host_audit;
