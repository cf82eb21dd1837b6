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
