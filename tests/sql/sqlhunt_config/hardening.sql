-- Settings that could be turned against the analyst are refused with a reason:
-- a key or URL holding CR/LF (it would write its own request headers), a number out of
-- its range (a timeout of 0 or 1e20 once hung), an unknown cache source (a typo is not
-- an empty part of the cache), a cache file in a folder that does not exist (only the
-- default folder is created).
.headers off
.mode list
select sqlhunt_config('virustotal.key', 'abc' || char(13, 10) || 'X-Injected: yes');
select sqlhunt_config('virustotal.key') is null;
select sqlhunt_config('http.timeout', '0');
select sqlhunt_config('http.timeout', '99999999999999999999');
select sqlhunt_config('http.max_connections', '0');
select sqlhunt_config('offline', 'maybe');
select sqlhunt_cache_clear('nope');
select sqlhunt_config('offline', 1), sqlhunt_config('cache.path', '/nonexistent/sqlhunt/dir/c.db');
select rdns, json_extract(status, '$.cache') from ip_enrichment where ip = '8.8.8.8';
-- Settings files are read through the file policy and bounded: /dev/zero as the RDAP
-- bootstrap or the GeoIP database is refused at once (it once filled 5.6 GB in 12 s).
select sqlhunt_config('rdap.bootstrap_v4', '/dev/zero'), sqlhunt_config('geoip.city_v4', '/dev/zero');
select country, json_extract(status, '$.geoip') from ip_enrichment where ip = '8.8.8.8';
