-- setup: /usr/bin/python3 ${SOURCE}/tests/fixtures/audit/make_fixtures.py ${TMP} long_argv.log chunked_args.log empty_args.log hex_fields.log
-- argv, argc, cmdline and proctitle of EXECVE events (make_fixtures.py says how each
-- fixture is written).
.headers on
.mode list
.nullvalue NULL
-- argc=12 and argc=15: a10.. come after a9 (a numeric order, not the text order of names).
select serial, argc, json_array_length(argv) as n, argv, cmdline, proctitle from audit_events('${TMP}/long_argv.log');
select json_extract(argv, '$[9]') as a9, json_extract(argv, '$[10]') as a10, json_extract(argv, '$[11]') as a11 from audit_events('${TMP}/long_argv.log') where serial = 100;
-- An argument of 10,000 bytes in three hex chunks over three EXECVE records (a2_len=20000,
-- a2[0], a2[1], a2[2]), arguments after it in the last record; then a quoted argument
-- chunked only because the first record was full (a3_len=3000, a3[0], a3[1]).
select serial, argc, record_types, json_array_length(argv) as n, length(json_extract(argv, '$[2]')) as len2,
       json_extract(argv, '$[2]') = printf('%.*c%.*c%.*c%.*c', 3000, 'A', 3000, 'B', 3000, 'C', 1000, 'D') as a2_whole,
       json_extract(argv, '$[0]') as a0, json_extract(argv, '$[1]') as a1, json_extract(argv, '$[3]') as a3,
       json_extract(argv, '$[4]') as a4, length(cmdline) as cmdline_len, length(proctitle) as proctitle_len
from audit_events('${TMP}/chunked_args.log') where serial = 200;
select serial, argc, record_types, json_array_length(argv) as n,
       json_extract(argv, '$[2]') = printf('%.*c', 6000, 'x') as a2_whole,
       json_extract(argv, '$[3]') = printf('%.*c', 3000, 'y') as a3_whole,
       json_extract(argv, '$[4]') as a4, length(cmdline) as cmdline_len
from audit_events('${TMP}/chunked_args.log') where serial = 201;
-- Empty arguments: "" in argv, '' in cmdline; proctitle keeps the NUL between them.
select serial, argc, argv, cmdline, proctitle from audit_events('${TMP}/empty_args.log');
-- Hex-encoded arguments (space, double quote, tab, non-ASCII) decoded; cmdline quotes the
-- ones a shell would need quoted.
select serial, argv, cmdline, proctitle from audit_events('${TMP}/hex_fields.log') where serial = 400;
-- No EXECVE: argc, argv and cmdline are NULL, proctitle still there.
select serial, argc, argv, cmdline, proctitle from audit_events('${TMP}/hex_fields.log') where serial = 402;
