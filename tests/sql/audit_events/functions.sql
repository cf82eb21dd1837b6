-- audit_fields(line) and audit_decode(value [, field]) on lines and values of every form.
.headers on
.mode list
.nullvalue NULL
-- Kernel record: quoted, hex, bare and (null) values; node= is the header's, not a field.
select audit_fields('node=web1 type=SYSCALL msg=audit(1700000300.100:400): arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=1999 pid=2000 auid=1000 tty=pts0 ses=3 comm=72756E206974 exe=2F6F70742F6D7920746F6F6C732F72756E206974 key=(null)') as fields;
-- User-space record: msg='...' fields flattened in, hex acct decoded, ? kept as it is.
select audit_fields('type=USER_LOGIN msg=audit(1700000300.400:403): pid=3000 uid=0 auid=4294967295 ses=4294967295 msg=''op=login acct=28696E76616C6964207573657229 exe="/usr/sbin/sshd" hostname=? addr=198.51.100.7 terminal=sshd res=failed''') as fields;
-- ENRICHED: the upper-case interpretations after 0x1d are fields too.
select audit_fields('type=SYSCALL msg=audit(1700000500.200:601): arch=c000003e syscall=59 auid=1000 uid=0 key=(null)' || char(29) || 'ARCH=x86_64 SYSCALL=execve AUID="alice" UID="root"') as fields;
-- EXECVE chunks stay fields of their own (argv joins them); an empty argument is "".
select audit_fields('type=EXECVE msg=audit(1.002:3): argc=3 a0="ls" a1_len=4 a1[0]=4142 a1[1]=4344 a2=""') as fields;
-- Several keys of one rule (0x01 between them) read comma-separated; a name seen twice
-- keeps both; words that are not k=v are "text"; CR of a CRLF line dropped.
select audit_fields('type=SYSCALL msg=audit(1.002:3): key=657865630173757370 x=1 x=2 bare word' || char(13)) as fields;
-- SELinux AVC text, as libauparse names its parts.
select audit_fields('type=AVC msg=audit(1551485430.500:530): avc:  denied  { read write } for  pid=2062 comm="cat" name="shadow" tclass=file permissive=0') as fields;
-- No header: fields alone. Empty, garbage, NULL.
select audit_fields('cwd=2F686F6D652F616C6963652F6D7920646F6373 argc=2') as fields, audit_fields('') as empty, audit_fields('garbage !!') as garbage, audit_fields(NULL) as null_;
-- audit_decode: quoted, hex (NULs as spaces), unchanged, (null).
select audit_decode('"/bin/ls"') as quoted, audit_decode('2F746D702F6120622E7368') as hex, audit_decode('6C73002D6C61') as nuls,
       audit_decode('C3A9') as utf8, audit_decode('ABC') as odd, audit_decode('/bin/ls') as bare, audit_decode('""') as empty,
       audit_decode('(null)') as null_text, audit_decode(NULL) as null_;
-- With a field: decoded only where auditd hex-encodes (name, exe, cwd, key, aN, aN[i]);
-- numbers and other fields stay as they are.
select audit_decode('4142', 'a1') as a1, audit_decode('4142', 'a12') as a12, audit_decode('4142', 'a1[0]') as chunk,
       audit_decode('4142', 'a1_len') as len, audit_decode('4142', 'argc') as argc, audit_decode('1234', 'pid') as pid,
       audit_decode('2F746D70', 'cwd') as cwd, audit_decode('657865630173757370', 'key') as key2, audit_decode('4142', 'saddr') as saddr;
