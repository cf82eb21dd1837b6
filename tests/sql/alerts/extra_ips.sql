-- requires: datasets
-- PENDING on iocs() (the IoC extractor, written concurrently): rename to extra_ips.sql
-- and extra_ips.expected.pending to extra_ips.expected once iocs() is merged, then run
-- it. SQLHUNT_UPDATE_EXPECTED is not needed: this file and its expected output pass
-- as they are on a tree of this branch plus the iocs branch at d431d2e (checked), and
-- a plain IPv4 regex over the same columns gives the same two addresses.
-- The notebook's "IP addresses not contained in entities": IPs that iocs() finds in the
-- alerts' description and extended properties, minus those the entities name.
.headers on
.mode list
select distinct i.value as ip
from alerts('${DATASETS}/alerts/alerts_list.jsonl') a,
     iocs(coalesce(a.description, '') || ' ' || coalesce(a.extended_properties, '')) i
where i.type = 'ipv4'
except
select e.address
from alerts('${DATASETS}/alerts/alerts_list.jsonl') a, alert_entities(a.entities) e
where e.type = 'ip'
order by 1;
