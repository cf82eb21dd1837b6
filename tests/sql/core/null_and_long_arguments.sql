-- One rule for NULL inputs in every table: a NULL argument (or a NULL time bound)
-- matches nothing, as `x = NULL` does in SQL: no rows, no error, nothing read. In a
-- join, one NULL on the outer side costs that row only, never the query.
.headers off
.mode list
select 'audit_events', count(*) from audit_events(NULL);
select 'audit_records', count(*) from audit_records(NULL);
select 'alerts', count(*) from alerts(NULL);
select 'alert_entities', count(*) from alert_entities(NULL);
select 'iocs', count(*) from iocs(NULL);
select 'iocs types', count(*) from iocs('1.2.3.4', NULL);
select 'time = NULL', count(*) from audit_events('${SOURCE}/tests/fixtures/audit/sample.log') where time = NULL;
select 'join', count(*) from (select '${SOURCE}/tests/fixtures/audit/sample.log' as p union all select NULL) f, audit_events(f.p);
-- An error message quotes at most a screenful of its input (a 10 MB argument was once
-- repeated whole), and is valid UTF-8.
select length(extract_iocs('x', 'nosuchtype' || zeroblob(1000000)));
select count(*) from audit_events('/nonexistent/' || printf('%.2000c', 'a'));
select sqlhunt_config(printf('%.100000c', 'k'));
select count(*) from iocs('x', printf('%.100000c', 'z'));
