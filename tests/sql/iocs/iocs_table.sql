-- iocs(): the table-valued form over the realistic advisory, the types argument,
-- joins, errors, and use from a view with trusted_schema off (it is innocuous).
.mode list
.headers on
select type, value, raw, start, "end", defanged from iocs(readfile('${FIXTURES}/iocs/hafnium_advisory.txt'));
select type, count(*) as n from iocs(readfile('${FIXTURES}/iocs/hafnium_advisory.txt')) group by type order by type;
select value from iocs('1.2.3.4 hxxp://evil[.]com/x', 'domain,ipv4');
select rowid, type from iocs('a 8.8.8.8 b 9.9.9.9');
-- A join: indicators from a column of free text.
create table alerts(name, description);
insert into alerts values ('C2 beacon', 'host contacted 45[.]77[.]65[.]211 and evil[.]com'),
                          ('Web shell', 'C:\inetpub\wwwroot\aspnet_client\supp0rt.aspx written'),
                          ('Nothing', NULL);
select a.name, i.type, i.value from alerts a, iocs(a.description) i order by a.name, i.start;
select a.name, i.value from alerts a join iocs(a.description, 'ipv4') i;
-- The plan: alerts outside, iocs() inside with its text from the outer row.
explain query plan select a.name, i.value from alerts a, iocs(a.description) i;
explain query plan select a.name, i.value from iocs(a.description) i, alerts a;
-- Safe from a schema: a view over iocs() and extract_iocs() works with trusted_schema off.
pragma trusted_schema = off;
create view alert_iocs as select a.name, i.value, extract_iocs(a.description, 'domain') as d
  from alerts a, iocs(a.description) i;
select * from alert_iocs order by name, value;
.headers off
select * from iocs;
select * from iocs('x', 'nope');
