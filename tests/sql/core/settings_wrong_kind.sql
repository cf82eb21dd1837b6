-- requires: datasets
-- A settings file of another kind is named the way a table's file is (an .evtx given as
-- ti.local once said "no indicator column", as audit.passwd it was read as no names).
.headers off
.mode list
select sqlhunt_config('ti.local', '${DATASETS}/windows/evtx/security.evtx');
select status from ti_lookup where observable = '45.77.65.211' and provider = 'local';
select sqlhunt_config('audit.passwd', '${DATASETS}/windows/evtx/security.evtx');
select uid_name from audit_events('tests/fixtures/audit/sample.log') limit 1;
-- JSON lines and CSV stay what ti.local reads.
select sqlhunt_config('ti.local', 'tests/fixtures/ti_lookup/indicators.jsonl');
select status, severity from ti_lookup where observable = '6.6.6.6' and provider = 'local';
