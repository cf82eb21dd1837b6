-- setup: mkdir ${TMP}/case && printf '{"CreationTime":"2022-05-07T12:55:53","Id":"a","Operation":"Set-Mailbox","RecordType":1,"ClientIP":"[2603:1036:4:3f::5]:1672"}\n{"CreationTime": "2022-05-07T12:56:18", "Id": "b",\n{"CreationTime":"someday","Id":"c","RecordType":"232","ClientIP":"not an address","UserType":2}\n["not", "an object"]\n{"Id":"d"}\n' > ${TMP}/case/api.jsonl && printf '[{"CreationTime":"2015-06-29T20:03:19","Id":"e"},\n {"CreationTime":"2015-06-29T20:03:34","Id":"f"' > ${TMP}/case/blob.json && printf 'TimeGenerated [UTC],Operation,OfficeId\n"4/28/2021, 3:05:26.000 PM",FileAccessed,g\n"4/28/2021, 3:06:26.000 PM",FileAccessed\n"4/31/2021, 3:07:26.000 PM",FileAccessed,h\n' > ${TMP}/case/export.csv && cp ${SOURCE}/tests/fixtures/audit/sample.log ${TMP}/case/audit.log
-- Bad input is never a silent skip: a record that cannot be read is a row saying why,
-- with what could be read; the next record reads as usual.
.headers on
.mode list
select replace(file, '${TMP}/case/', '') as file, line, id, time, record_type, user_type, client_ip, client_port, parse_error
from office_activity('${TMP}/case/*') order by file, line;
-- Named alone, a file of another kind is an error that says which table reads it.
select count(*) from office_activity('${TMP}/case/audit.log');
select count(*) from office_activity('${TMP}/case/missing.json');
select count(*) from office_activity('${TMP}/case/none*.json');
select count(*) from office_activity('${TMP}/case/api.jsonl') where time > 'soon';
