-- sqlhunt_version() and sqlhunt_debug(): the shape, not the values (they vary by build).
select sqlhunt_version() glob '[0-9]*.[0-9]*.[0-9]*';
select json_valid(sqlhunt_debug());
select json_extract(sqlhunt_debug(), '$.version') = sqlhunt_version();
select json_type(sqlhunt_debug(), '$.commit'), json_type(sqlhunt_debug(), '$.build_type'),
       json_type(sqlhunt_debug(), '$.libraries'), json_type(sqlhunt_debug(), '$.options.network') in ('true', 'false');
select json_extract(sqlhunt_debug(), '$.libraries.sqlite_runtime') = sqlite_version();
select key from json_each(sqlhunt_debug(), '$.libraries') where key not in ('libcurl', 'c-ares') order by key;
