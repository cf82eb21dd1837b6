// vtabs/net_flows — network flows as SQL: Azure NSG and VNet flow logs, Sentinel's
// AzureNetworkAnalytics_CL exports and Zeek logs, one row per flow, the same columns
// whatever the source.
//
//   SELECT * FROM net_flows('case/flows/**/PT1H.json');
//   SELECT protocol, direction, count(*) FROM net_flows('case/zeek/conn.*.log.gz')
//     WHERE src_ip = '23.97.60.214' OR dst_ip = '23.97.60.214' GROUP BY 1, 2;
//   CREATE VIRTUAL TABLE flows USING net_flows(path='case/az_net_flows.csv');
//
// net_flows(path) — one row per flow tuple (NSG/VNet), per exported row
// (AzureNetworkAnalytics_CL), per line (Zeek). `path` (HIDDEN, required) is a file or a
// glob (natural order; a glob that matches nothing gives no rows, a literal path that
// does not exist is an error); `.gz` files are read through. Each file's format is
// recognised from its content (vtabs/net_flows/flow_reader.h), and files of different
// formats mix in one glob.
//
//   time, epoch          when the flow started (tuple ts, FlowStartTime, Zeek ts):
//                        ISO-8601 UTC with ms, and REAL seconds
//   end_time, duration   when it ended (FlowEndTime, ts + duration), seconds between
//   src_ip, src_port, dst_ip, dst_port   the flow's ends, addresses normalised as
//                        ip_normalize() does (core/ip.h)
//   protocol             tcp, udp, icmp (else the source's letter or IANA number)
//   service              the application protocol (L7Protocol, Zeek service)
//   direction            inbound / outbound (Zeek: also internal / external)
//   allowed              1 allowed, 0 denied, NULL unknown (Zeek)
//   state, encryption    NSG/VNet flow state B/C/E/D and VNet encryption; Zeek conn_state
//   flows                the flows this row begins, so SUM(flows) counts flows
//   bytes_out, bytes_in, packets_out, packets_in, packets   source to destination,
//                        back, and the packets of both (NULL when either is unknown)
//   vm, subnet, rule, flow_type, resource, mac, flow_id   where the flow was seen: see
//                        docs/net_flows.md for each source
//   external_ips         JSON array, the distinct union of every external address the
//                        source names (AllExtIPs and PublicIPs...) and the public ends
//   source               nsg_v1, nsg_v2, vnet_v4, network_analytics, zeek_conn, zeek_ssh...
//   record               the source record as JSON (for a tuple: its record's fields,
//                        rule, mac and the tuple as written)
//   file, line           where it came from (physical line where the record starts)
//   parse_error          NULL, or why (part of) the row could not be read
//
// Plan: `path` is the input. `src_ip = ...` and `dst_ip = ...` (and `IN (...)`, taken
// as one batch) are applied by the table itself and not re-checked by SQLite: a tuple
// or line whose address is not wanted is dropped before the rest of it is decoded.
// Bounds on `time` are instants (core/vtab.h's kTime) and bounds on `epoch` hints; both
// drop rows early, and skip whole Azure flow-log blobs whose path names an hour outside
// them (flow_reader.h says exactly what is skipped). A scan costs 1e6 (1e5 rows), a
// tenth of that per address equality, so in a join the flows are read once, on the
// outer side, unless an address comes from the other table. xFilter reads colUsed:
// external_ips and record are built only when read. Reading files, net_flows is
// DIRECTONLY.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_net_flows(sqlite3* db);
}
