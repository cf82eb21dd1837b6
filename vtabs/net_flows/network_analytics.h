// vtabs/net_flows/network_analytics.h — rows of Sentinel's AzureNetworkAnalytics_CL
// (Traffic Analytics' flow summaries), as exported (CSV or JSON), one row per record.
//
// Both the raw table's names (SrcIP_s, DestPort_d, FlowStartTime_t: Log Analytics'
// custom-log type suffixes) and a notebook's projection of them (SrcIP, DestPort,
// FlowStartTime, VMIPAddress, AllExtIPs, as msticpy's az_net_analytics query writes
// them) are read, names matched by core/record_fields.h with the suffix dropped.
//
//   time, end_time   FlowStartTime (else TimeGenerated), FlowEndTime
//   src_ip, dst_ip   SrcIP, DestIP. External flows (AzurePublic, ExternalPublic) leave
//                    them empty and name the VM's address (VMIP / VMIPAddress) and the
//                    public ones instead; the row's ends are then derived from
//                    FlowDirection: outbound VM -> external, inbound external -> VM,
//                    the external side being the one address the record names for it
//                    (AllExtIPs after the notebook's mv-expand, or a one-entry
//                    DestPublicIPs/SrcPublicIPs/PublicIPs); with several, it is NULL and
//                    external_ips lists them all
//   dst_port         DestPort ("443.0" as pandas writes it is 443)
//   protocol         L4Protocol T/U -> tcp/udp;  service  L7Protocol (https, ssh, ...)
//   direction        FlowDirection I/O -> inbound/outbound
//   allowed          FlowStatus A/D; else 1 when only allowed flows were counted, 0 when
//                    only denied ones, NULL when both or none
//   flows            AllowedInFlows + AllowedOutFlows + DeniedInFlows + DeniedOutFlows
//                    (else FlowCount)
//   bytes_out/in, packets_out/in   OutboundBytes, InboundBytes, OutboundPackets,
//                    InboundPackets (newer schema; NULL in older exports)
//   vm               VMName, else the VM of VM ("resourcegroup/vm"), VM1, VM2
//   subnet           Subnet, Subnet1, Subnet2;  rule  NSGRule, NSGRules
//   flow_type        FlowType: AzurePublic, ExternalPublic, IntraVNet, MaliciousFlow...
//   resource         NSGList;  mac  MACAddress
//   external_ips     the distinct union of AllExtIPs, PublicIPs, SrcPublicIPs and
//                    DestPublicIPs, then any public src/dst
//
// The list columns are read in every form they are exported in: a JSON array, JSON text
// of one, a Python list literal (`['13.71.172.130', '13.71.172.128']`, the shared
// msticpy export), or Log Analytics' own text, entries separated by spaces with their
// counters after '|' ("13.71.172.130|1|0|0|0|0|0 13.71.172.128|..."). An entry that is
// no address is named in parse_error.
//
// A record with none of the table's names (FlowType, FlowDirection, SrcIP, DestIP,
// VMIP, L4Protocol, the lists) is not read as an empty flow: it is a row with
// parse_error saying it is not a flow record.
#pragma once

#include <simdjson.h>

#include "core/record_fields.h"
#include "vtabs/net_flows/flow.h"

namespace sqlhunt::flows {

class NetworkAnalytics {
 public:
  NetworkAnalytics();
  // Fills `flow` from one record (an object).
  void fill(simdjson::dom::element record, Flow& flow, unsigned need);

 private:
  records::FieldPicker fields_;
  simdjson::dom::parser inner_;  // list columns held as JSON text
  std::vector<std::string> listed_;  // canonical addresses of the list columns
};

}  // namespace sqlhunt::flows
