-- setup: /usr/bin/python3 -c "import json; a = {'TimeGenerated': '2019-02-18T02:29:07Z', 'AlertName': 'SSH Anomalous Login ML', 'Entities': json.dumps([{'\$id': '3', 'Address': '23.97.60.214', 'Type': 'ip'}]), 'Pad': 'x' * 3000}; f = open('big.json', 'w'); f.write('[\n' + ',\n'.join(json.dumps(dict(a, SystemAlertId=str(i)), indent=1) for i in range(10000)) + '\n]\n')"
-- A 30 MB JSON array is streamed record by record (bench/alerts_bench.sh measures the
-- memory of a 100 MB one: 7 MB for the whole process).
select count(*), count(parse_error), count(distinct system_alert_id), min(line), max(line) from alerts('${TMP}/big.json');
select e.address, count(*) from alerts('${TMP}/big.json') a, alert_entities(a.entities) e group by 1;
