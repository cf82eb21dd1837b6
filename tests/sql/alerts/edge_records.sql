-- setup: printf '{\n  "AlertName": "a",\n  "TimeGenerated": 1550200269000\n}\n{\n  "AlertName": "b",\n  "TimeGenerated": 1550200269123\n\n{\n  "AlertName": "a",\n  "TimeGenerated": 1550200269\n}\n' > concat.json
-- setup: printf ' \n\357\273\277{"@odata.context":"x","value":[{"title":"g","createdDateTime":"2019-02-15T03:51:09Z"}]}\n' > graph.json
-- Records at the edges of the formats: a pretty-printed record that lacks its '}' (an
-- error row, and the next record is still read), epoch seconds and milliseconds as
-- JSON numbers, the same alert twice (two rows: nothing is merged), a Graph envelope
-- after a blank line and a byte-order mark.
.headers on
.mode list
select line, alert_name, time, parse_error from alerts('${TMP}/concat.json');
select alert_name, count(*) as rows, group_concat(line) as lines from alerts('${TMP}/concat.json')
where parse_error is null group by 1;
select line, alert_name, time from alerts('${TMP}/graph.json');
