-- ti_lookup's ioc_type column is ioc_type()'s answer (one classifier, core/ioc): the
-- file names and non-public names a second classifier once called domains, defanged
-- values (asked about refanged), and every indicator of the Hafnium advisory as
-- written and refanged. Local provider only: nothing leaves the machine.
.mode list
select observable, quote(ioc_type), quote(ioc_type(observable)) from ti_lookup
where observable in ('report.zip', 'foo.py', 'x.mov', 'host.local', 'a_b.com', 'evil[.]com',
                     'hxxp://evil[.]com/a', 'tcp://203.0.113.5:4444', 'o''brien@example.org')
  and provider = 'local' order by observable;
with v(x) as (select raw from iocs(readfile('${FIXTURES}/iocs/hafnium_advisory.txt'))
              union select value from iocs(readfile('${FIXTURES}/iocs/hafnium_advisory.txt')))
select count(*), sum(t.ioc_type is ioc_type(v.x)), count(t.ioc_type)
from v join ti_lookup t on t.observable = v.x and t.provider = 'local';
