-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/alerts/make_fixtures.py
-- Every bad input of issue 5 gives a row with parse_error (or a NULL field and the
-- reason) and the rest of the file is still read.
.headers on
.mode list
-- Malformed JSON on a line, a line that is not an object: one error row each.
select line, alert_name, parse_error from alerts('${TMP}/bad_lines.jsonl');
-- CSV: malformed JSON in a cell, too few fields, a time that is not a time, a quote
-- left open at the end of the file.
select line, time, alert_name, quote(entities) as entities, parse_error from alerts('${TMP}/bad_cells.csv');
-- A missing column: time is NULL and parse_error says why.
select line, quote(time), alert_name, severity, parse_error from alerts('${TMP}/missing_column.csv');
-- A JSON array cut in the middle of its last element.
select line, alert_name, parse_error from alerts('${TMP}/truncated.json');
-- A gzip stream cut in half: the lines before the cut, the cut line, then the read error.
select count(*) as whole from alerts('${TMP}/truncated.jsonl.gz') where parse_error is null;
select line, parse_error from alerts('${TMP}/truncated.jsonl.gz') where parse_error is not null;
-- A $ref to an unknown $id, a reference cycle, a ProcessId that is not a number.
select e.entity_id, e.type, e.name, e.host_name, e.process_id, e.parent_entity_id, e.properties, e.parse_error
from alerts('${TMP}/refs.jsonl') a, alert_entities(a.entities) e;
-- Errors that stop the query name what is wrong.
select * from alerts('${TMP}/no-such-file.json');
select * from alerts;
select * from alerts('${TMP}');
