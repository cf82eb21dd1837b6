-- requires: datasets
-- office_activity() over the three shared Office 365 exports: Sentinel's OfficeActivity CSV
-- (266 records, 131 columns, BOM, "TimeGenerated [UTC]", US 12-hour times, multi-line JSON
-- cells), the Management Activity API's records as JSON lines (4) and one content blob
-- (a JSON array of 3, CRLF). Checked against Python's csv/json in
-- tests/python/test_office_activity_oracle.py; here the SQL-visible facts and the
-- notebook's Office steps.
.headers on
.mode list
select file, count(*) as records, count(parse_error) as errors, count(distinct id) as ids, count(time) as timed,
       min(time), max(time), max(line)
from office_activity('${DATASETS}/office/*.json*') group by file
union all
select 'office_activity.csv', count(*), count(parse_error), count(distinct id), count(time), min(time), max(time), max(line)
from office_activity('${DATASETS}/office/office_activity.csv');
-- RecordType: names whether the export wrote the name or the number ("36", "56", "50").
select json_extract(record, '$.RecordType') as written, record_type, record_type_id, count(*) as n
from office_activity('${DATASETS}/office/office_activity.csv') group by 1, 2, 3 order by n desc, 1;
select record_type, record_type_id, user_type, operation, result_status, workload
from office_activity('${DATASETS}/office/o365_*') order by time;
-- ClientIP as written and normalised: ports and brackets dropped, the port kept apart.
select json_extract(record, '$.ClientIP') as written, client_ip, client_port, count(*) as n
from office_activity('${DATASETS}/office/office_activity.csv')
where written like '%:%' or client_ip like '%:%' group by 1, 2, 3 order by 1;
select count(*) as rows, count(client_ip) as with_ip, count(*) filter (where json_extract(record, '$.ClientIP') = '') as empty_clientip
from office_activity('${DATASETS}/office/office_activity.csv');
-- The JSON that text cells hold is JSON in `record`.
select json_type(record, '$.ModifiedProperties') as modified_properties, count(*)
from office_activity('${DATASETS}/office/office_activity.csv') group by 1 order by 1;
-- Time bounds are instants (the CSV's times are US 12-hour text).
select count(*) from office_activity('${DATASETS}/office/office_activity.csv') where time >= '2021-04-28 15:00';
select count(*) from office_activity('${DATASETS}/office/office_activity.csv') where time >= '2021-04-28T17:00+02:00';
-- Notebook: Office operations from the alert IPs (none: the notebook's answer too,
-- "No activity detected"), then from the busiest client address.
select o.user_id, o.record_type, o.operation, count(*) as operations
from alerts('${DATASETS}/alerts/alerts_list.jsonl') a, alert_entities(a.entities) e
join office_activity('${DATASETS}/office/office_activity.csv') o on o.client_ip = e.address
where e.type = 'ip' group by 1, 2, 3;
select client_ip, count(*) as operations, count(distinct user_id) as users
from office_activity('${DATASETS}/office/office_activity.csv') where client_ip is not null
group by 1 order by 2 desc limit 5;
select lower(user_id) as user_id, record_type, operation, count(*) as operations
from office_activity('${DATASETS}/office/office_activity.csv') where client_ip = '175.45.176.99'
group by 1, 2, 3 order by operations desc, 3 limit 8;
-- Notebook: user agents seen from more than one IP in a day.
select user_agent, date(time) as day, count(distinct client_ip) as ips, group_concat(distinct client_ip) as addresses
from office_activity('${DATASETS}/office/office_activity.csv') where user_agent is not null and client_ip is not null
group by 1, 2 having ips > 1 order by ips desc, 1;
-- Notebook: 10-second bursts (more than 10 of one operation: about one a second or more).
select lower(user_id) as user_id, client_ip, record_type, operation,
       datetime(cast(epoch / 10 as int) * 10, 'unixepoch') as slot, count(*) as operations
from office_activity('${DATASETS}/office/office_activity.csv')
group by 1, 2, 3, 4, cast(epoch / 10 as int) having count(*) > 10 order by slot;
