-- ip_enrichment without any database or network: version and class of every kind of
-- address (only these columns are read, so no source is asked), values that are not
-- addresses, duplicates, NULL, and the error without `ip`.
.mode list
select ip, version, class from ip_enrichment
where ip in ('0.0.0.0', '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.1.1',
             '192.0.2.1', '224.0.0.1', '240.0.0.1', '255.255.255.255', '8.8.8.8', '::', '::1', 'fc00::1',
             'fe80::1', '2001:db8::1', 'ff02::1', '2001:4860:4860::8888', '::ffff:10.0.0.1', '::ffff:8.8.8.8',
             '8.8.8.8', 'FE80::1')
order by ip;
select quote(ip), quote(version), quote(class) from ip_enrichment where ip in ('1.2.3.256', '010.1.1.1', 'fe80::1%eth0', '', ' 8.8.8.8');
select count(*) from ip_enrichment where ip = NULL;
select ip, class from ip_enrichment where ip = '10.9.9.9';
select g.ip, g.class from (select '192.168.0.7' as a union all select '127.0.0.2') v join ip_enrichment g on g.ip = v.a order by 1;
select * from ip_enrichment;
select class from ip_enrichment where ip like '10.%';
-- Direct-only: a view or trigger (someone else's schema) cannot use the table or change settings.
create view v as select class from ip_enrichment where ip = '10.0.0.1';
select * from v;
create table t(x);
create trigger tr after insert on t begin select sqlhunt_config('http.timeout', '1'); end;
insert into t values (1);
create view w as select sqlhunt_cache_clear();
select * from w;
