-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} values.evtx
-- Every EVTX value type, rendered as Windows renders it (values.evtx, written byte by
-- byte by make_fixtures.py): integers of every size, reals, bools (any non-zero is
-- true), binary as hex, GUIDs, size_t and hex integers as 0x..., FILETIME with 7
-- digits, SYSTEMTIME, SIDs, ANSI (windows-1252: 0x80 is the euro sign); arrays repeat
-- their Data element (event_data: a JSON array); an optional NULL value creates no
-- element; character and entity references and CDATA are text; a nested Binary XML
-- value is expanded in place.
.headers on
.mode list
select record_id, event_id, provider, channel, user_sid, time, parse_error from win_events('${TMP}/values.evtx');
select key, value, type from json_each((select event_data from win_events('${TMP}/values.evtx') where record_id = 1));
select json_extract(event_data, '$.Nested2', '$.Nested3') from win_events('${TMP}/values.evtx') where record_id = 2;
-- Classic events: Data without a Name are param1, param2; Binary keeps its name; the
-- second has no Binary (its optional value is NULL).
select record_id, event_data from win_events('${TMP}/values.evtx') where record_id in (3, 4);
select raw from win_events('${TMP}/values.evtx') where record_id = 3;
-- Every TEXT is valid UTF-8 and every event_data valid JSON.
select count(*), sum(json_valid(event_data)), sum(raw is not null) from win_events('${TMP}/values.evtx');
