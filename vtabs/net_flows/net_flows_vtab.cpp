#include "vtabs/net_flows/net_flows_vtab.h"

#include <cmath>
#include <optional>
#include <utility>
#include <string>

#include "core/file_kind.h"
#include "core/ip.h"
#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/net_flows/flow_reader.h"

namespace sqlhunt {
namespace {

using vtab::Column;

enum Col {
  kTime, kEpoch, kEndTime, kSrcIp, kSrcPort, kDstIp, kDstPort, kProtocol, kService, kDirection, kAllowed, kState,
  kEncryption, kFlows, kBytesOut, kBytesIn, kPacketsOut, kPacketsIn, kPackets, kDuration, kVm, kSubnet, kRule,
  kFlowType, kResource, kMac, kFlowId, kExternalIps, kSource, kRecord, kFile, kLine, kParseError, kPath,
  kColumnCount,
};

constexpr Column kColumns[] = {
    {"time", "TEXT", vtab::kTime, "when the flow started, ISO-8601 UTC with milliseconds"},
    {"epoch", "REAL", vtab::kRange, "the same instant as seconds since 1970"},
    {"end_time", "TEXT", vtab::kPlain, "when it ended (FlowEndTime, Zeek ts + duration), ISO form"},
    {"src_ip", "TEXT", vtab::kArgument | vtab::kBatch, "source (originator) address, normalised"},
    {"src_port", "INTEGER", vtab::kPlain, "source port"},
    {"dst_ip", "TEXT", vtab::kArgument | vtab::kBatch, "destination (responder) address, normalised"},
    {"dst_port", "INTEGER", vtab::kPlain, "destination port"},
    {"protocol", "TEXT", vtab::kPlain, "tcp, udp, icmp, else as the source writes it"},
    {"service", "TEXT", vtab::kPlain, "application protocol: L7Protocol, Zeek service"},
    {"direction", "TEXT", vtab::kPlain, "inbound, outbound (Zeek: also internal, external)"},
    {"allowed", "INTEGER", vtab::kPlain, "1 allowed, 0 denied, NULL unknown"},
    {"state", "TEXT", vtab::kPlain, "flow state: NSG/VNet B, C, E, D; Zeek conn_state"},
    {"encryption", "TEXT", vtab::kPlain, "VNet flow encryption: X, NX, NX_HW_NOT_SUPPORTED..."},
    {"flows", "INTEGER", vtab::kPlain, "flows this row begins: SUM(flows) counts flows"},
    {"bytes_out", "INTEGER", vtab::kPlain, "bytes source to destination"},
    {"bytes_in", "INTEGER", vtab::kPlain, "bytes destination to source"},
    {"packets_out", "INTEGER", vtab::kPlain, "packets source to destination"},
    {"packets_in", "INTEGER", vtab::kPlain, "packets destination to source"},
    {"packets", "INTEGER", vtab::kPlain, "packets both ways (NULL when either is unknown)"},
    {"duration", "REAL", vtab::kPlain, "seconds from start to end"},
    {"vm", "TEXT", vtab::kPlain, "the Azure VM (AzureNetworkAnalytics VMName or VM)"},
    {"subnet", "TEXT", vtab::kPlain, "the subnet (AzureNetworkAnalytics Subnet)"},
    {"rule", "TEXT", vtab::kPlain, "the NSG or VNet rule that decided"},
    {"flow_type", "TEXT", vtab::kPlain, "AzureNetworkAnalytics FlowType: AzurePublic, ExternalPublic, IntraVNet..."},
    {"resource", "TEXT", vtab::kPlain, "the NSG (NSG logs, NSGList) or VNet flow log target"},
    {"mac", "TEXT", vtab::kPlain, "the network interface's MAC address"},
    {"flow_id", "TEXT", vtab::kPlain, "Zeek uid"},
    {"external_ips", "TEXT", vtab::kPlain, "JSON array: every external address the source names, and the public ends"},
    {"source", "TEXT", vtab::kPlain, "nsg_v1, nsg_v2, vnet_v4, network_analytics, zeek_conn, zeek_<path>"},
    {"record", "TEXT", vtab::kPlain, "the source record (for a tuple: its context and the tuple) as JSON"},
    {"file", "TEXT", vtab::kPlain, "the file the row was read from"},
    {"line", "INTEGER", vtab::kPlain, "the physical line where its record starts"},
    {"parse_error", "TEXT", vtab::kPlain, "why (part of) the row could not be read; NULL when it was"},
    {"path", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired | vtab::kPath, "file or glob to read (.gz read through)"},
};
static_assert(vtab::count(kColumns) == kColumnCount, "one Column per Col");

// Zeek TSV is net_flows' own; JSON it shares (an NSG blob or Zeek JSON is JSON).
const files::ReadsKinds kReads("net_flows", {files::Kind::kZeekTsv, files::Kind::kJson});

const vtab::TableSpec kSpec = {
    "net_flows", "one row per network flow: NSG/VNet flow tuple, AzureNetworkAnalytics_CL row, Zeek log line",
    kColumns, vtab::count(kColumns), 1e6, 1e5, vtab::Trust::kDirectOnly, "reads the files its path names"};

// The wanted addresses of an equality on `col`: only canonical texts can equal a column
// value, so others are dropped (`src_ip = '010.1.1.1'` matches nothing, as SQLite's
// comparison would).
std::vector<std::string> wanted_addresses(const vtab::FilterArgs& args, int col, bool& set) {
  set = false;
  for (const auto& c : args.constraints())
    if (c.column == col && c.op == SQLITE_INDEX_CONSTRAINT_EQ) set = true;
  std::vector<std::string> out;
  if (!set) return out;
  for (auto& v : args.texts(col)) {
    const auto n = ip::normalize(v);
    if (n && *n == v) out.push_back(std::move(v));
  }
  return out;
}

class Cursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    eof_ = false;
    flows::Filter f;
    f.src_ips = wanted_addresses(args, kSrcIp, f.src_set);
    f.dst_ips = wanted_addresses(args, kDstIp, f.dst_set);
    // Bounds as inclusive whole milliseconds, widened: the base applies the exact ones.
    auto bound = [&](const vtab::FilterArgs::Range& r) {
      if (r.lower) {
        const int64_t lo = static_cast<int64_t>(std::floor(*r.lower * 1000));
        if (!f.lo_ms || lo > *f.lo_ms) f.lo_ms = lo;
      }
      if (r.upper) {
        const int64_t hi = static_cast<int64_t>(std::ceil(*r.upper * 1000));
        if (!f.hi_ms || hi < *f.hi_ms) f.hi_ms = hi;
      }
    };
    bound(args.time_range(kTime));
    bound(args.real_range(kEpoch));

    unsigned need = flows::kNeedTime;
    if (args.used(kParseError)) {
      need = flows::kNeedAll;  // every reason, so the column is complete
    } else {
      static constexpr std::pair<int, unsigned> kColumnNeeds[] = {
          {kSrcIp, flows::kNeedSrc}, {kSrcPort, flows::kNeedSrc}, {kDstIp, flows::kNeedDst},
          {kDstPort, flows::kNeedDst}, {kProtocol, flows::kNeedProto}, {kService, flows::kNeedProto},
          {kDirection, flows::kNeedDirection}, {kAllowed, flows::kNeedState}, {kState, flows::kNeedState},
          {kEncryption, flows::kNeedState}, {kFlows, flows::kNeedFlows}, {kBytesOut, flows::kNeedBytes},
          {kBytesIn, flows::kNeedBytes}, {kPacketsOut, flows::kNeedPackets}, {kPacketsIn, flows::kNeedPackets},
          {kPackets, flows::kNeedPackets}, {kDuration, flows::kNeedDuration}, {kEndTime, flows::kNeedDuration},
          {kVm, flows::kNeedContext}, {kSubnet, flows::kNeedContext}, {kRule, flows::kNeedContext},
          {kFlowType, flows::kNeedContext}, {kResource, flows::kNeedContext}, {kMac, flows::kNeedContext},
          {kFlowId, flows::kNeedContext}};
      for (const auto& [col, bits] : kColumnNeeds)
        if (args.used(col)) need |= bits;
      if (args.used(kExternalIps)) need |= flows::kNeedExternal;
      if (args.used(kRecord)) need |= flows::kNeedRecord;
    }
    const auto path = args.text(kPath);
    if (!path) {
      eof_ = true;  // path = NULL matches nothing
      return;
    }
    reader_.start(*path, std::move(f), need);
    next();
  }

  void next() override { eof_ = !reader_.next(flow_); }
  bool eof() const override { return eof_; }
  std::optional<int64_t> time_ms() const override { return flow_.time_ms; }

  void column(sqlite3_context* ctx, int col) override {
    const flows::Flow& f = flow_;
    switch (col) {
      case kTime: return iso(ctx, f.time_ms);
      case kEpoch:
        if (f.time_ms) sqlite3_result_double(ctx, static_cast<double>(*f.time_ms) / 1000.0);
        else sqlite3_result_null(ctx);
        return;
      case kEndTime: return iso(ctx, f.end_time_ms);
      case kSrcIp: return ip_text(ctx, f.src_ip);
      case kSrcPort: return sqlfn::result_opt(ctx, f.src_port);
      case kDstIp: return ip_text(ctx, f.dst_ip);
      case kDstPort: return sqlfn::result_opt(ctx, f.dst_port);
      case kProtocol: return sqlfn::result_opt(ctx, f.protocol);
      case kService: return sqlfn::result_opt(ctx, f.service);
      case kDirection: return sqlfn::result_opt(ctx, f.direction);
      case kAllowed: return sqlfn::result_opt(ctx, f.allowed);
      case kState: return sqlfn::result_opt(ctx, f.state);
      case kEncryption: return sqlfn::result_opt(ctx, f.encryption);
      case kFlows: return sqlfn::result_opt(ctx, f.flows);
      case kBytesOut: return sqlfn::result_opt(ctx, f.bytes_out);
      case kBytesIn: return sqlfn::result_opt(ctx, f.bytes_in);
      case kPacketsOut: return sqlfn::result_opt(ctx, f.packets_out);
      case kPacketsIn: return sqlfn::result_opt(ctx, f.packets_in);
      case kPackets:
        if (f.packets_out && f.packets_in) sqlite3_result_int64(ctx, *f.packets_out + *f.packets_in);
        else sqlite3_result_null(ctx);
        return;
      case kDuration: return sqlfn::result_opt(ctx, f.duration);
      case kVm: return sqlfn::result_opt(ctx, f.vm);
      case kSubnet: return sqlfn::result_opt(ctx, f.subnet);
      case kRule: return sqlfn::result_opt(ctx, f.rule);
      case kFlowType: return sqlfn::result_opt(ctx, f.flow_type);
      case kResource: return sqlfn::result_opt(ctx, f.resource);
      case kMac: return sqlfn::result_opt(ctx, f.mac);
      case kFlowId: return sqlfn::result_opt(ctx, f.flow_id);
      case kExternalIps: return text_or_null(ctx, f.external_ips);
      case kSource: return sqlfn::result_opt(ctx, f.source);
      case kRecord: return text_or_null(ctx, f.record);
      case kFile: return sqlfn::result_text(ctx, reader_.file());
      case kLine:
        if (f.line) sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(f.line));
        else sqlite3_result_null(ctx);
        return;
      case kParseError: return text_or_null(ctx, f.parse_error);
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  // A canonical address is ASCII (core/ip.h prints it): no UTF-8 check needed.
  static void ip_text(sqlite3_context* ctx, const flows::Text& ip) {
    if (ip) sqlfn::result_text_valid(ctx, *ip);
    else sqlite3_result_null(ctx);
  }
  static void iso(sqlite3_context* ctx, const std::optional<int64_t>& ms) {
    if (!ms) return sqlite3_result_null(ctx);
    char buf[timefmt::kIsoLength];
    timefmt::format_iso_ms(*ms, buf);
    sqlite3_result_text(ctx, buf, static_cast<int>(timefmt::kIsoLength), SQLITE_TRANSIENT);
  }
  static void text_or_null(sqlite3_context* ctx, const std::string& s) {
    if (s.empty()) sqlite3_result_null(ctx);
    else sqlfn::result_text(ctx, s);
  }

  flows::FlowReader reader_;
  flows::Flow flow_;
  bool eof_ = true;
};

}  // namespace

int register_net_flows(sqlite3* db) {
  return vtab::register_table(db, kSpec, vtab::cursor_table<Cursor>);
}

}  // namespace sqlhunt
