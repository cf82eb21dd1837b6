-- requires: datasets
-- net_flows() over every shared network sample: AzureNetworkAnalytics_CL as the notebook
-- projects it (460 rows), NSG flow logs v1 (3 records, 38 tuples) and v2 (1 + 2 records,
-- 8 + 11 tuples; the aks file's trailing comma read), VNet flow logs v4 (19 + 2 tuples),
-- Zeek conn.log (92), ssh.log (22) and its JSON streaming twin (22). Each row's fields
-- are compared with Python's json/csv parse and a zeek-cut-style awk in
-- tests/python/test_net_flows_oracle.py; here the counts the README states and the
-- notebook's network steps.
.headers on
.mode list
select replace(file, '${DATASETS}/network/', '') as file, source, count(*) as rows, count(parse_error) as errors,
       count(distinct line) as records, sum(flows) as flows, min(time), max(time)
from net_flows('${DATASETS}/network/*/*.json') group by 1, 2
union all
select replace(file, '${DATASETS}/network/', ''), source, count(*), count(parse_error), count(distinct line), sum(flows), min(time), max(time)
from net_flows('${DATASETS}/network/zeek/*.log') group by 1, 2
union all
select replace(file, '${DATASETS}/network/', ''), source, count(*), count(parse_error), count(distinct line), sum(flows), min(time), max(time)
from net_flows('${DATASETS}/network/az_net_flows.csv') group by 1, 2;
-- NSG and VNet: flow states, decisions, protocols.
select source, protocol, direction, allowed, state, encryption, count(*) as tuples, sum(flows) as flows,
       sum(packets) as packets, sum(bytes_out) as bytes_out, sum(bytes_in) as bytes_in
from net_flows('${DATASETS}/network/*/*.json') where source like 'nsg%' or source like 'vnet%'
group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6;
select rule, resource, mac, count(*) from net_flows('${DATASETS}/network/*/*.json') where rule is not null group by 1, 2, 3 order by 1, 2;
-- AzureNetworkAnalytics: flow types and directions, every row with both ends.
select flow_type, direction, protocol, count(*) as rows, sum(flows) as flows, count(src_ip) as src, count(dst_ip) as dst,
       count(*) filter (where json_array_length(external_ips) = 2) as two_external
from net_flows('${DATASETS}/network/az_net_flows.csv') group by 1, 2, 3 order by 1, 2, 3;
-- Zeek: a row of each log, every column.
.mode line
select * from net_flows('${DATASETS}/network/zeek/conn_wrccdc2018.log') where flow_id = 'C8Tful1TvM3Zf5x8fl';
select time, src_ip, src_port, dst_ip, dst_port, source, flow_id, json_extract(record, '$.auth_success') as auth_success, line
from net_flows('${DATASETS}/network/zeek/ssh_wrccdc2018.log') limit 1;
select time, src_ip, src_port, dst_ip, dst_port, source, flow_id, json_extract(record, '$.auth_success') as auth_success, line
from net_flows('${DATASETS}/network/zeek/ssh_wrccdc2018_jsonstreaming.json') limit 1;
.mode list
-- The TSV and JSON ssh logs are the same 22 events.
select count(*) as same from net_flows('${DATASETS}/network/zeek/ssh_wrccdc2018.log') t
join net_flows('${DATASETS}/network/zeek/ssh_wrccdc2018_jsonstreaming.json') j
  on j.flow_id = t.flow_id and j.time = t.time and j.src_ip = t.src_ip and j.dst_port = t.dst_port;
-- Notebook: flows to and from the attacker IP, by protocol and direction. The attacker
-- (23.97.60.214) is in none of these exports (it is in the alerts only), so the
-- question is asked of the VM's busiest external peer as well.
select count(*) as rows from net_flows('${DATASETS}/network/*')
where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214';
select protocol, direction, service, count(*) as rows, sum(flows) as flows, min(time) as first, max(time) as last
from net_flows('${DATASETS}/network/az_net_flows.csv')
where src_ip = '65.55.44.109' or dst_ip = '65.55.44.109' group by 1, 2, 3;
-- Notebook: which other hosts talked to those addresses (NSG: the internet scanners
-- denied at WADVM-NSG; Zeek: every host that talked to the busiest responder).
select src_ip, count(*) as tuples, group_concat(distinct dst_port) as ports, max(allowed) as ever_allowed
from net_flows('${DATASETS}/network/nsg/nsg_v1_wadvm-nsg.json') where direction = 'inbound'
group by 1 order by tuples desc, 1;
select dst_ip, count(*) as connections, count(distinct src_ip) as talkers, group_concat(distinct state) as states
from net_flows('${DATASETS}/network/zeek/conn_wrccdc2018.log') group by 1 order by connections desc, 1 limit 3;
