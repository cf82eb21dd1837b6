-- ti_lookup with the local provider only (nothing leaves the machine): a JSON-lines
-- fixture, matching rules (a defanged observable matches its refanged indicator), no
-- files set (not_configured), a glob matching none (error), a bad file, an unknown
-- provider, the required observable.
.mode list
select status, status_detail from ti_lookup where observable = '6.6.6.6' and provider = 'local';
select sqlhunt_config('ti.local', '${FIXTURES}/ti_lookup/indicators.jsonl') is not null;
select observable, quote(ioc_type), status, severity, result, reference, cached
from ti_lookup where observable in ('6.6.6.6', 'EVIL.example.com', 'evil[.]example[.]com', '::ffff:6.6.6.6', '1.2.3.4', 'notepad.exe')
and provider = 'local' order by observable;
select json_extract(details, '$.matches[0].fields.source'), json_extract(details, '$.matches[0].line')
from ti_lookup where observable = 'evil.example.com' and provider = 'local';
select count(*) from ti_lookup where observable = '6.6.6.6' and provider in ('local');
select * from ti_lookup where observable = '6.6.6.6' and provider = 'virustotl';
select * from ti_lookup where provider = 'local';
select sqlhunt_config('ti.local', '${FIXTURES}/ti_lookup/no-indicator-column.csv') is not null;
select status from ti_lookup where observable = '6.6.6.6' and provider = 'local';
select sqlhunt_config('ti.local', '${TMP}/missing.csv') is not null;
select status from ti_lookup where observable = '6.6.6.6' and provider = 'local';
select sqlhunt_config('ti.local', '${TMP}/none-*.csv') is not null;
select status, status_detail from ti_lookup where observable = '6.6.6.6' and provider = 'local';
create view v as select status from ti_lookup where observable = '6.6.6.6' and provider = 'local';
select * from v;
