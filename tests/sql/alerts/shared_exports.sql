-- requires: datasets
-- alerts() over the two shared Sentinel exports: the CSV (189 alerts, older column set,
-- JSON cells with "" escapes and \r\r\n breaks) and the JSON lines (25 alerts).
.headers on
.mode list
-- Every record read, none with an error.
select count(*) as alerts, count(parse_error) as errors, count(entities) as with_entities,
       count(compromised_entity) as with_compromised, count(distinct system_alert_id) as ids,
       min(time), max(time), max(line)
from alerts('${DATASETS}/alerts/alertlist.csv');
select count(*) as alerts, count(parse_error) as errors, count(entities) as with_entities,
       count(compromised_entity) as with_compromised, count(distinct system_alert_id) as ids,
       min(time), max(time), max(line)
from alerts('${DATASETS}/alerts/alerts_list.jsonl');
-- Counts by alert_name.
select alert_name, count(*) as n from alerts('${DATASETS}/alerts/alertlist.csv') group by 1 order by 2 desc, 1;
select alert_name, count(*) as n from alerts('${DATASETS}/alerts/alerts_list.jsonl') group by 1 order by 2 desc, 1;
-- The notebook's first alert step: alerts in a time window by name and compromised entity.
select alert_name, compromised_entity, count(*) as n, min(time) as first, max(time) as last
from alerts('${DATASETS}/alerts/alerts_list.jsonl')
where time between '2019-02-15' and '2019-02-19'
group by 1, 2 order by n desc, 1, 2;
-- One alert's columns, every one (the first "Detected suspicious file download").
.mode line
select time, epoch, time_generated, alert_name, alert_type, severity, status, description, provider_name,
       vendor_name, product_name, compromised_entity, start_time, end_time, system_alert_id, tactics,
       techniques, remediation_steps, json_array_length(entities) as entity_count,
       json_extract(extended_properties, '$."Suspicious Process Id"') as suspicious_pid,
       json_extract(record, '$.VendorOriginalId') as vendor_original_id, line, parse_error
from alerts('${DATASETS}/alerts/alerts_list.jsonl')
where alert_name = 'Detected suspicious file download' order by time limit 1;
.mode list
-- Its entities, resolved.
select a.time, e.entity_id, e.type, e.name, e.address, e.host_name, e.account_name, e.command_line,
       e.process_id, e.parent_entity_id, e.parse_error
from alerts('${DATASETS}/alerts/alerts_list.jsonl') a, alert_entities(a.entities) e
where a.alert_name = 'Detected suspicious file download'
order by a.time, cast(e.entity_id as integer);
-- Entity types across the CSV export (nested and referenced objects counted once).
select e.type, count(*) as n, count(e.parse_error) as errors
from alerts('${DATASETS}/alerts/alertlist.csv') a, alert_entities(a.entities) e
group by 1 order by 2 desc, 1;
-- The IPs the entities name (the right-hand side of the "extra IPs" EXCEPT in docs/alerts.md).
select distinct e.address from alerts('${DATASETS}/alerts/alerts_list.jsonl') a, alert_entities(a.entities) e
where e.type = 'ip' order by 1;
-- The shapes of typed columns on real data.
select typeof(time), typeof(epoch), typeof(line), typeof(entities), count(*)
from alerts('${DATASETS}/alerts/alertlist.csv') group by 1, 2, 3, 4 order by 5 desc;
