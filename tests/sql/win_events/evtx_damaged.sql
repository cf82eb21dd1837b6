-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/win_events/make_fixtures.py ${TMP} damaged.evtx truncated.evtx not_evtx.bin logons.evtx
-- Damaged EVTX files: every record is a row, every loss a parse_error row, never a
-- stop. damaged.evtx (make_fixtures.py): chunk 0 with records 4-5 zeroed and record 6's
-- size copy overwritten; chunk 1 with its header zeroed (its records come back as
-- recovered); chunk 2 all zeros (nothing to report); chunk 3 whole, with an old copy of
-- its record 21 in its slack (left out) and an older record 15 whose template was
-- overwritten (a recovered row with parse_error).
.headers on
.mode list
select line, offset, record_id, event_id, recovered, target_user, parse_error
from win_events('${TMP}/damaged.evtx');
-- A file cut short inside its second chunk: the chunk's whole records are read, the cut
-- one is a row with parse_error, and reading stops cleanly.
select line, record_id, event_id, parse_error from win_events('${TMP}/truncated.evtx') where record_id >= 6 or parse_error is not null;
select count(*), count(parse_error) from win_events('${TMP}/truncated.evtx');
-- A file that is neither EVTX nor an export: one error naming what it is.
select count(*) from win_events('${TMP}/not_evtx.bin');
-- A chunk saved alone (64 KiB starting with ElfChnk, as carved from a disk image) reads
-- like the file it came from.
.shell tail -c +4097 ${TMP}/logons.evtx | head -c 65536 > ${TMP}/chunk0.bin
select group_concat(record_id) from win_events('${TMP}/chunk0.bin');
-- A gzip-compressed log reads the same as the plain one.
.shell gzip -c ${TMP}/logons.evtx > ${TMP}/logons.evtx.gz
select (select group_concat(record_id || ':' || event_id) from win_events('${TMP}/logons.evtx')) =
       (select group_concat(record_id || ':' || event_id) from win_events('${TMP}/logons.evtx.gz'));
-- Errors that stop the query: a literal path that does not exist.
select count(*) from win_events('${TMP}/missing.evtx');
