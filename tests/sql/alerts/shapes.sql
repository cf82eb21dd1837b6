-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/alerts/make_fixtures.py
-- alerts() reads every export shape the same way: JSON array, JSON lines, gzip, glob,
-- a Graph envelope, a Log Analytics result, and CREATE VIRTUAL TABLE.
.headers on
.mode list
select 'array' as shape, line, time, alert_name, severity, compromised_entity, tactics from alerts('${TMP}/alerts.json');
select 'lines' as shape, line, time, alert_name, severity, compromised_entity, tactics from alerts('${TMP}/alerts.jsonl');
select 'loganalytics' as shape, line, time, alert_name, json_array_length(entities) as entities,
       json_extract(extended_properties, '$."Compromised Host"') as host from alerts('${TMP}/la.json');
-- The portal's CSV export: BOM, "TimeGenerated [UTC]" headers, US-locale times.
select line, time, start_time, alert_name, severity, entities from alerts('${TMP}/portal.csv');
-- A glob reads files in natural order; .gz is read through.
select replace(file, '${TMP}/', '') as file, line, alert_name from alerts('${TMP}/alerts*.json*');
-- Graph security alerts (v1): title, category, vendorInformation, createdDateTime.
.mode line
select * from alerts('${TMP}/graph.json');
.mode list
-- Unknown source fields stay reachable through record; the same records whatever the shape.
select json_extract(record, '$.VendorOriginalId') as kept from alerts('${TMP}/alerts.jsonl') where line = 3;
select count(*) as same from alerts('${TMP}/alerts.json') a join alerts('${TMP}/alerts.jsonl') b
  on a.record = b.record and a.entities = b.entities and a.time = b.time;
-- CREATE VIRTUAL TABLE with a path parameter, then ordinary SQL.
create virtual table case_alerts using alerts(path='${TMP}/alerts.jsonl');
select alert_name, count(*) from case_alerts group by 1 order by 1;
-- An empty file and a glob that matches nothing give no rows, not an error.
select count(*) from alerts('${TMP}/empty.json');
select count(*) from alerts('${TMP}/nothing-*.json');
select count(*) from alerts(NULL);
