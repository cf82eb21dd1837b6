-- alert_entities(): $id/$ref resolution, nesting, process ids (0x1a2b and 6699 are the
-- same number, written both ways), and its errors.
.headers on
.mode list
select entity_id, type, name, address, host_name, account_name, command_line, process_id, parent_entity_id, parse_error
from alert_entities('[
  {"$id":"4","HostName":"web01","DnsDomain":"contoso.com","Type":"host"},
  {"$id":"5","ProcessId":"6699","CommandLine":"bash","Host":{"$ref":"4"},"Type":"process",
   "Account":{"$id":"6","Name":"root","Host":{"$ref":"4"},"Type":"account"}},
  {"$id":"8","ProcessId":"0x1a2b","CommandLine":"curl http://evil","ParentProcess":{"$ref":"5"},
   "ImageFile":{"$id":"7","Directory":"/usr/bin","Name":"curl","Type":"file"},"Host":{"$ref":"4"},"Type":"process"},
  {"$id":"9","Url":"http://evil/x.sh","Type":"url"},
  {"$id":"10","Algorithm":"SHA256","Value":"e3b0c44298fc1c149afbf4c8996fb924","Type":"filehash"},
  {"$id":"11","DomainName":"evil.example","Type":"dns"},
  {"$id":"12","Hive":"HKEY_LOCAL_MACHINE","Key":"SOFTWARE\\Run","Type":"registry-key"},
  {"$id":"13","Key":{"$ref":"12"},"ValueType":"String","Type":"registry-value"},
  {"$id":"14","Address":"23.97.60.214","Type":"ip"}
]');
-- properties: references replaced by the objects they name.
select properties from alert_entities('[{"$id":"1","HostName":"h","Type":"host"},
  {"$id":"2","Name":"a","Host":{"$ref":"1"},"Type":"account"}]') where entity_id = '2';
-- A JSON string holding the Entities text is decoded again; a single object is one entity.
select type, name from alert_entities(json_quote('[{"$id":"1","Address":"10.1.1.1","Type":"ip"}]'));
select type, name from alert_entities('{"$id":"1","Url":"http://x","Type":"url"}');
-- NULL, '' and [] give no rows; text that is not JSON gives one row that says so.
select count(*) from alert_entities(NULL);
select count(*) from alert_entities('');
select count(*) from alert_entities('[]');
select quote(entity_id), parse_error from alert_entities('[{"$id": "1", "Type": ');
select quote(entity_id), parse_error from alert_entities('"just text"');
-- A required argument: a clear error without it.
select * from alert_entities;
-- alert_entities is pure, so a view may use it; alerts reads files, so a view may not.
create view v_entities as select type, name from alert_entities('[{"$id":"1","Address":"10.2.2.2","Type":"ip"}]');
select * from v_entities;
-- It is innocuous too: the view works with trusted_schema off (a database someone else
-- wrote), as json_each would.
pragma trusted_schema = off;
select * from v_entities;
pragma trusted_schema = on;
create view v_alerts as select * from alerts('/etc/passwd');
select count(*) from v_alerts;
-- The plan: alerts scanned once on the outer side, alert_entities called per alert.
explain query plan select * from alerts('x.jsonl') a, alert_entities(a.entities) e;
