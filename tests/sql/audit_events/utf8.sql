-- setup: printf 'type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=59 success=yes exit=0 pid=7 comm=6361FF exe=2F746D702FFF2F78\ntype=EXECVE msg=audit(1.000:1): argc=3 a0="echo" a1=4869E9 a2="hi!"\n\377\376 binary \001 garbage\n' > ${TMP}/bytes.log
-- Text columns are valid UTF-8 whatever bytes the log decodes to: a byte that is not
-- shows as U+FFFD (EF BF BD), in plain columns as in JSON; raw keeps the exact bytes,
-- as a BLOB when they are not UTF-8. '!' is quoted in cmdline (bash history expansion).
.mode list
.nullvalue NULL
select hex(comm), hex(exe), hex(cmdline), json_extract(argv, '$[1]') = char(0x48, 0x69, 0xfffd) from audit_events('${TMP}/bytes.log') where serial = 1;
select line, typeof(raw), hex(raw), parse_error from audit_events('${TMP}/bytes.log') where serial is null;
select line, typeof(raw), length(raw) from audit_records('${TMP}/bytes.log');
select hex(audit_decode('FF41')), audit_decode('"'), audit_decode('""'), audit_decode('"a b"');
