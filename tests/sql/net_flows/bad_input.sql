-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/net_flows/make_fixtures.py ${TMP} bad.log && mkdir ${TMP}/mixed && cp ${TMP}/bad.log ${TMP}/mixed/a.log && cp ${SOURCE}/tests/fixtures/audit/sample.log ${TMP}/mixed/b.log && head -c 2000 ${TMP}/bad.log | gzip -c | head -c 300 > ${TMP}/mixed/c.log.gz && printf '{"records": [{"properties": {"Version": 2, "flows": [{"rule": "r", "flows": [{"mac": "m", "flowTuples": ["1,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,",]}]}]}}, {"properties": {"flows": "none"}}, 17, {"properties": ' > ${TMP}/mixed/d.json
-- Bad input is never a silent skip: every line that cannot be read is a row saying why,
-- and the next one reads as usual.
.headers on
.mode list
-- bad.log: a line before any header, a good line, a line with 4 fields, a bad time and
-- address, a files.log block (not a connection log: one row), a good line after it.
select line, time, src_ip, dst_ip, flow_id, parse_error from net_flows('${TMP}/bad.log');
-- In a glob, a file of the wrong kind and a truncated gzip are rows of their file.
select replace(file, '${TMP}/mixed/', '') as file, count(*) as rows, count(parse_error) as errors,
       group_concat(distinct substr(parse_error, 1, 90)) as why
from net_flows('${TMP}/mixed/*') group by 1 order by 1;
-- Named alone, the wrong kind is an error that says which table reads it.
select count(*) from net_flows('${SOURCE}/tests/fixtures/audit/sample.log');
select count(*) from net_flows('${TMP}/missing.log');
select count(*) from net_flows('${TMP}/nothing*.log');
select count(*) from net_flows(NULL);
-- A bound that is no time is an error naming the forms that work.
select count(*) from net_flows('${TMP}/bad.log') where time > 'yesterday';
