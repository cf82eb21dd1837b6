-- The sqlhunt demo. Until the demo case lands, a smoke run: the extension loads and
-- decodes what auditd hex-encodes.
.print 'sqlhunt' 
select sqlhunt_version() as version,
       json_extract(sqlhunt_debug(), '$.commit') as git_commit,
       json_extract(sqlhunt_debug(), '$.build_type') as build;
.print ''
.print 'auditd hex-encodes a proctitle that has spaces; hex_decode reads it back:'
select hex_decode('2F62696E2F7368002D63006964', ' ') as proctitle;
