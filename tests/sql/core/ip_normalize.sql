-- ip_normalize(): one spelling for an address, whatever a log wrapped it in (core/ip.h).
.headers on
.mode list
select column1 as value, ip_normalize(column1) as normalized from (values
  ('175.45.176.99:17362'), ('[2603:1036:4:3F::5]:1672'), ('::1'), ('2603:10B6:5:345:0:0:0:11'),
  ('::ffff:10.0.0.4'), ('::FFFF:0a00:0004'), ('[::ffff:1.2.3.4]:80'), ('fe80::1%eth0'), ('[fe80::1%11]:3389'),
  (' 23.97.60.214 '), ('2001:db8::1:443'), ('64:ff9b::1.2.3.4'),
  ('localhost'), ('1.2.3.4/32'), ('010.1.1.1'), ('1.2.3.4:65536'), ('-'), ('<null>'), (''), ('[1.2.3.4'));
-- NULL and numbers (read as their text).
select ip_normalize(NULL) is null as null_in_null_out, ip_normalize(1234) is null as a_number;
-- A pure function: usable in an index and a generated column, in a view of any schema.
create table seen(raw text, ip text as (ip_normalize(raw)));
insert into seen(raw) values ('[2603:1036:4:3f::5]:1672'), ('2603:1036:4:3F:0::5'), ('10.0.0.1:443'), ('10.0.0.1');
create index seen_ip on seen(ip_normalize(raw));
select ip, count(*) from seen group by ip order by ip;
select count(*) from seen where ip_normalize(raw) = '10.0.0.1';
