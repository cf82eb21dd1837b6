-- sqlhunt_config(): set, show, forget; secrets are never shown; environment-only and
-- unknown settings; numbers are checked; the cache can be switched off.
.mode list
select quote(sqlhunt_config('otx.key'));
select sqlhunt_config('otx.key', 'otx-secret-value-123');
select sqlhunt_config('otx.key');
select quote(sqlhunt_config('otx.key', NULL));
select sqlhunt_config('http.timeout', '2.5'), sqlhunt_config('http.timeout');
select sqlhunt_config('cache.path', 'off'), sqlhunt_cache_clear(), sqlhunt_cache_clear('virustotal');
select sqlhunt_config('otx.url', 'https://attacker.example/');
select sqlhunt_config('rdap.url', 'https://attacker.example/');
select sqlhunt_config('virustotl.key', 'x');
select sqlhunt_config('virustotal.rate', 'fast');
select sqlhunt_config(NULL);
