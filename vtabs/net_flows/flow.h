// vtabs/net_flows/flow.h — one network flow, whatever log it came from, and what a
// query asks of the reader.
//
// A Flow is one row of net_flows: one flow tuple of an Azure NSG or VNet flow log, one
// row of a Sentinel AzureNetworkAnalytics_CL export, one line of a Zeek log. Its text
// values are string_views into the source (the record or line being read) or into the
// Flow's own buffers, valid until the reader moves on; numbers are plain optionals.
// The meaning of each column, per source, is documented in docs/net_flows.md and at
// the parser that fills it (azure_flow_log.h, network_analytics.h, zeek_log.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::flows {

using Text = std::optional<std::string_view>;

struct Flow {
  std::optional<int64_t> time_ms, end_time_ms;  // epoch milliseconds
  Text src_ip, dst_ip;                          // canonical (core/ip.h normalize)
  std::optional<int64_t> src_port, dst_port;
  Text protocol;       // tcp, udp, icmp, or the IANA number as digits
  Text service;        // application protocol: https, ssh, ... (L7Protocol, Zeek service)
  Text direction;      // inbound, outbound (Zeek also internal, external)
  std::optional<int64_t> allowed;  // 1 allowed, 0 denied, NULL unknown
  Text state;          // NSG/VNet B C E D; Zeek conn_state
  Text encryption;     // VNet: X, NX, NX_HW_NOT_SUPPORTED, ...
  std::optional<int64_t> flows;  // flows this row begins (see docs)
  std::optional<int64_t> bytes_out, bytes_in, packets_out, packets_in;
  std::optional<double> duration;  // seconds
  Text vm, subnet, rule, flow_type, resource, mac;
  Text flow_id;        // Zeek uid
  Text source;         // nsg_v1, nsg_v2, vnet_v4, network_analytics, zeek_conn, ...
  std::string external_ips;  // JSON array; empty when not asked for
  std::string record;        // JSON object; empty when not asked for
  std::string parse_error;
  uint64_t line = 0;

  // Buffers behind views that are not in the source (normalised addresses).
  std::string src_buf, dst_buf;

  void clear();
};

// Which columns a query reads (bits): what is not needed is not decoded. Readers of
// record formats decode by group (kNeedEndpoints, kNeedProtocol, kNeedCounts: any bit
// of a group asks for the whole group); the Zeek TSV reader, the hot path of large
// logs, decodes by the single bit.
enum Need : unsigned {
  kNeedTime = 1u << 0,       // time_ms (also for a time bound)
  kNeedSrc = 1u << 1,        // src_ip, src_port
  kNeedDst = 1u << 2,        // dst_ip, dst_port
  kNeedProto = 1u << 3,      // protocol, service
  kNeedDirection = 1u << 4,  // direction
  kNeedState = 1u << 5,      // allowed, state, encryption
  kNeedFlows = 1u << 6,      // flows
  kNeedBytes = 1u << 7,      // bytes_out, bytes_in
  kNeedPackets = 1u << 8,    // packets_out, packets_in, packets
  kNeedDuration = 1u << 9,   // duration, end_time
  kNeedContext = 1u << 10,   // vm, subnet, rule, flow_type, resource, mac, flow_id
  kNeedExternal = 1u << 11,  // external_ips
  kNeedRecord = 1u << 12,    // record
  kNeedEndpoints = kNeedSrc | kNeedDst,
  kNeedProtocol = kNeedProto | kNeedDirection | kNeedState,
  kNeedCounts = kNeedFlows | kNeedBytes | kNeedPackets | kNeedDuration,
  kNeedAll = ~0u,
};

// What a query asks for, applied by the reader (core/vtab.h hands the constraints over):
// rows outside it are never built. Addresses are compared with the canonical column
// values, so a wanted value that is not canonical matches nothing (as `=` would).
struct Filter {
  std::vector<std::string> src_ips, dst_ips;  // empty: any; else one of them
  bool src_set = false, dst_set = false;      // an equality was given (possibly matching nothing)
  std::optional<int64_t> lo_ms, hi_ms;        // inclusive, widened to whole ms

  bool wants_src(Text ip) const;
  bool wants_dst(Text ip) const;
  bool wants_time(std::optional<int64_t> ms) const {
    if (!lo_ms && !hi_ms) return true;
    if (!ms) return false;
    return (!lo_ms || *ms >= *lo_ms) && (!hi_ms || *ms <= *hi_ms);
  }
  bool any() const { return src_set || dst_set || lo_ms || hi_ms; }
};

// Epoch milliseconds within the years 1..9999, the times a source can write (the ISO
// form shows no others; a 15-digit ts is damage, not a time).
inline bool plausible_time_ms(int64_t ms) { return ms >= -62135596800000 && ms < 253402300800000; }

// A count or port as logs write it: decimal digits (a trailing ".0", as pandas writes
// integers, allowed); nullopt for "", "-" and anything else.
std::optional<int64_t> parse_count(std::string_view s);

// Builds external_ips: the distinct addresses a source lists as external, then the
// public ones (core/ip.h classes) among the flow's own, in the order first seen.
class ExternalIps {
 public:
  void clear() { seen_.clear(); }
  void add(std::string_view canonical_ip);
  void add_if_public(Text ip);
  // The JSON array, into `out`.
  void write(std::string& out) const;

 private:
  std::vector<std::string> seen_;
};

// The canonical text of `raw` into `buf` (or `raw` itself when it already is one, the
// common case of a plain dotted quad): the value of an address column. nullopt when it
// holds no address.
Text canonical_ip(std::string_view raw, std::string& buf);

}  // namespace sqlhunt::flows
