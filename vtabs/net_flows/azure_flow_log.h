// vtabs/net_flows/azure_flow_log.h — Azure NSG and VNet flow log records, one row per
// flow tuple.
//
// A flow-log blob (PT1H.json) is `{"records": [...]}` (core/record_stream.h reads the
// envelope); each record holds the tuples of about a minute:
//
//   NSG, properties.Version 1 and 2:
//     properties.flows[] { rule, flows[] { mac, flowTuples[] } }
//     v1 tuple "ts,src,dst,sport,dport,T|U,I|O,A|D"                 ts: epoch seconds
//     v2 tuple "ts,src,dst,sport,dport,T|U,I|O,A|D,B|C|E,pkts>,bytes>,pkts<,bytes<"
//              (the four counters are empty for B tuples: "...,A,B,,,,")
//   VNet, flowLogVersion 4:
//     flowRecords.flows[] { aclID, flowGroups[] { rule, flowTuples[] } }, macAddress
//     tuple "ts,src,dst,sport,dport,proto,I|O,B|C|E|D,encryption,pkts>,bytes>,pkts<,bytes<"
//              ts: epoch milliseconds; proto: IANA number (6 TCP, 17 UDP, 1 ICMP);
//              D is a denied flow (no A/D field any more); counters "0,0,0,0" for B
//
// Columns: time from the tuple's ts; src/dst as in the tuple (normalised); protocol
// tcp/udp/icmp (else the letter or number as written); direction inbound/outbound;
// allowed 1/0 (A/D, or VNet state D); state B/C/E/D; encryption (VNet); flows 1 for a
// tuple that begins a flow (v1 tuples, B, D), 0 for C and E (so SUM(flows) counts
// flows, not status updates); bytes_out/packets_out source to destination, bytes_in/
// packets_in back (NULL when empty); rule, mac; resource: the NSG's name (NSG) or the
// flow log target's (VNet), the last segment of resourceId / targetResourceID;
// external_ips the public addresses (core/ip.h classes) among src and dst.
//
// Tuples come in the record's order (a VNet E tuple may precede its B tuple, with the
// same ms: nothing is sorted or merged). A tuple with the wrong number of fields, a
// time or address that cannot be read is a row with parse_error (and the raw tuple in
// `record`); a record that holds no flows where it should is one row saying so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "vtabs/net_flows/flow.h"

namespace sqlhunt::flows {

// Is `record` (an element of a `records` envelope) an NSG or VNet flow-log record?
bool is_azure_flow_record(simdjson::dom::element record);

class AzureFlowRecord {
 public:
  // Reads the record's layout and collects its tuples (views into the record). Returns
  // false, with `error`, when the record holds no flow tuples where its version says.
  bool open(simdjson::dom::element record, std::string& error);
  size_t size() const { return tuples_.size(); }
  // Fills `flow` with tuple `i` (cheap columns always; external_ips and record only
  // with kNeedExternal / kNeedRecord).
  void fill(size_t i, Flow& flow, unsigned need);

 private:
  struct Tuple {
    std::string_view text, rule, mac, acl;
  };
  simdjson::dom::element record_;
  bool vnet_ = false;
  int64_t version_ = 0;
  std::string source_;
  Text resource_;
  std::vector<Tuple> tuples_;
};

}  // namespace sqlhunt::flows
