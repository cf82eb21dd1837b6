-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} many_args.log odd_args.log merged.log
-- What an attacker who can write into a log must not be able to hide (issue 16, section 4).
.headers on
.mode list
.nullvalue NULL
-- 131,080 arguments, as the kernel splits them over EXECVE records: every one is in argv
-- and cmdline, the last included (an older reader kept the first 131,072 and said nothing).
select argc, json_array_length(argv) as args, json_extract(argv, '$[#-1]') as last,
       cmdline like '% 131078 --hidden-past-131072' as cmdline_ends_with_it, record_count > 100 as records,
       parse_error
from audit_events('${TMP}/many_args.log');
-- EXECVE records the kernel never writes: nothing in them is left out of cmdline, and
-- the row says what was odd. a99999999 past 65,536 missing indices: at the end, not 10^8 nulls.
select serial, argv, cmdline, parse_error from audit_events('${TMP}/odd_args.log') order by serial;
-- Two records merged on one line (the newline turned into a CR, or a space): the row is
-- flagged, never a silent merge; every line is still in exactly one row.
select serial, record_count, record_types, cmdline, parse_error is not null as flagged, parse_error
from audit_events('${TMP}/merged.log') order by serial;
select line, parse_error from audit_records('${TMP}/merged.log') where parse_error is not null;
