#include "vtabs/net_flows/network_analytics.h"

#include "core/error.h"
#include "core/ip.h"
#include "core/text.h"
#include "core/time.h"

namespace sqlhunt::flows {
namespace {

using records::Value;
using simdjson::dom::element;

enum Slot {
  kStart, kEnd, kSrc, kDst, kVmIp, kAllExt, kPublic, kSrcPublic, kDstPublic, kDstPort, kSrcPort, kL4, kL7,
  kDirection, kStatus, kAllowedIn, kAllowedOut, kDeniedIn, kDeniedOut, kFlowCount, kOutBytes, kInBytes,
  kOutPackets, kInPackets, kVmName, kVm, kSubnet, kRule, kFlowType, kNsgList, kMac,
};

void add_error(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

// The entries of one list token run: "['1.2.3.4', '5.6.7.8']", "1.2.3.4|1|0 5.6.7.8|2|0".
void read_tokens(std::string_view s, const char* name, std::vector<std::string>& out, std::string& errors) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (text::is_blank(s[i]) || s[i] == ',' || s[i] == '[' || s[i] == ']')) ++i;
    const size_t from = i;
    while (i < s.size() && !(text::is_blank(s[i]) || s[i] == ',' || s[i] == ']')) ++i;
    std::string_view token = s.substr(from, i - from);
    if (token.empty()) continue;
    token = token.substr(0, token.find('|'));  // Log Analytics' "ip|counters"
    while (!token.empty() && (token.front() == '\'' || token.front() == '"')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == '\'' || token.back() == '"')) token.remove_suffix(1);
    if (token.empty()) continue;
    if (auto n = ip::normalize(token)) out.push_back(std::move(*n));
    else add_error(errors, std::string(name) + ": '" + excerpt(token) + "' is not an IP address");
  }
}

// The canonical addresses a list value names, appended to `out`; how many.
size_t read_list(const Value& v, const char* name, std::vector<std::string>& out, std::string& errors,
                 simdjson::dom::parser& inner) {
  const size_t before = out.size();
  if (!v) return 0;
  element list = *v;
  if (list.is_string()) {
    const std::string_view s = text::trim(list.get_string().value_unsafe());
    element parsed;
    // JSON text of an array; a Python literal (single quotes) fails here and is read as
    // tokens, like Log Analytics' space-separated text.
    if (s.empty() || s.front() != '[' || inner.parse(s.data(), s.size()).get(parsed) || !parsed.is_array()) {
      read_tokens(s, name, out, errors);
      return out.size() - before;
    }
    list = parsed;
  }
  if (list.is_array()) {
    for (element e : simdjson::dom::array(list)) {
      if (e.is_string()) read_tokens(e.get_string().value_unsafe(), name, out, errors);
      else if (!e.is_null()) add_error(errors, std::string(name) + ": " + simdjson::minify(e) + " is not an IP address");
    }
  } else if (!list.is_null()) {
    add_error(errors, std::string(name) + ": " + simdjson::minify(list) + " is not a list of addresses");
  }
  return out.size() - before;
}

Text text_of(const Value& v) { return records::string_view_of(v); }

// "resourcegroup/vmname" -> vmname
Text after_slash(const Value& v) {
  Text s = text_of(v);
  if (!s) return s;
  const size_t slash = s->rfind('/');
  if (slash != std::string_view::npos) s = s->substr(slash + 1);
  if (s->empty()) return std::nullopt;
  return s;
}

std::optional<int64_t> sum(std::initializer_list<std::optional<double>> parts) {
  std::optional<int64_t> total;
  for (const auto& p : parts)
    if (p) total = total.value_or(0) + static_cast<int64_t>(*p);
  return total;
}

}  // namespace

NetworkAnalytics::NetworkAnalytics()
    : fields_({{"FlowStartTime", "TimeGenerated"},
               {"FlowEndTime"},
               {"SrcIP"},
               {"DestIP"},
               {"VMIP", "VMIPAddress"},
               {"AllExtIPs"},
               {"PublicIPs"},
               {"SrcPublicIPs"},
               {"DestPublicIPs"},
               {"DestPort"},
               {"SrcPort"},
               {"L4Protocol"},
               {"L7Protocol"},
               {"FlowDirection"},
               {"FlowStatus"},
               {"AllowedInFlows"},
               {"AllowedOutFlows"},
               {"DeniedInFlows"},
               {"DeniedOutFlows"},
               {"FlowCount"},
               {"OutboundBytes"},
               {"InboundBytes"},
               {"OutboundPackets"},
               {"InboundPackets"},
               {"VMName"},
               {"VM", "VM1", "VM2"},
               {"Subnet", "Subnet1", "Subnet2"},
               {"NSGRule", "NSGRules"},
               {"FlowType"},
               {"NSGList"},
               {"MACAddress"}},
              records::FieldPicker::kCustomLogSuffix) {}

void NetworkAnalytics::fill(element record, Flow& flow, unsigned need) {
  fields_.pick(record);
  const auto& f = fields_;
  flow.source = std::string_view("network_analytics");
  bool known = false;
  for (int s : {kFlowType, kDirection, kSrc, kDst, kVmIp, kL4, kAllExt, kPublic, kSrcPublic, kDstPublic})
    known |= f[static_cast<size_t>(s)].has_value();
  if (!known) {
    flow.parse_error =
        "not a flow record: none of FlowType, FlowDirection, SrcIP, DestIP, VMIP, L4Protocol, AllExtIPs, PublicIPs";
    return;
  }

  double start = 0, end = 0;
  switch (records::read_time(f[kStart], start)) {
    case records::TimeRead::kOk: flow.time_ms = timefmt::epoch_ms_from_seconds(start); break;
    case records::TimeRead::kBad:
      add_error(flow.parse_error, "FlowStartTime: cannot read '" + records::shown(f[kStart]) + "' as a time");
      break;
    case records::TimeRead::kAbsent: add_error(flow.parse_error, "no FlowStartTime or TimeGenerated: time is NULL"); break;
  }
  const std::string_view direction = text_of(f[kDirection]).value_or("");
  flow.direction = direction == "I" ? Text("inbound") : direction == "O" ? Text("outbound") : text_of(f[kDirection]);

  if (need & (kNeedEndpoints | kNeedExternal)) {
    // Lists first, all of them, so views into listed_ stay valid.
    listed_.clear();
    const size_t all_ext = read_list(f[kAllExt], "AllExtIPs", listed_, flow.parse_error, inner_);
    const size_t src_pub_from = listed_.size();
    const size_t src_pub = read_list(f[kSrcPublic], "SrcPublicIPs", listed_, flow.parse_error, inner_);
    const size_t dst_pub_from = listed_.size();
    const size_t dst_pub = read_list(f[kDstPublic], "DestPublicIPs", listed_, flow.parse_error, inner_);
    const size_t pub_from = listed_.size();
    const size_t pub = read_list(f[kPublic], "PublicIPs", listed_, flow.parse_error, inner_);

    auto address = [&](const Value& v, const char* name, std::string& buf) -> Text {
      const Text raw = text_of(v);
      if (!raw) return std::nullopt;
      Text ip = canonical_ip(*raw, buf);
      if (!ip) add_error(flow.parse_error, std::string(name) + ": '" + excerpt(*raw) + "' is not an IP address");
      return ip;
    };
    flow.src_ip = address(f[kSrc], "SrcIP", flow.src_buf);
    flow.dst_ip = address(f[kDst], "DestIP", flow.dst_buf);
    // The one external address of this row, for the side the VM is not on.
    auto one_external = [&](size_t side_from, size_t side_count) -> Text {
      if (all_ext == 1) return std::string_view(listed_[0]);
      if (side_count == 1) return std::string_view(listed_[side_from]);
      if (pub == 1) return std::string_view(listed_[pub_from]);
      return std::nullopt;
    };
    std::string vm_buf;
    if (!flow.src_ip || !flow.dst_ip) {
      Text vm_ip;
      if (f[kVmIp]) vm_ip = canonical_ip(text_of(f[kVmIp]).value_or(""), vm_buf);
      if (direction == "O") {
        if (!flow.src_ip && vm_ip) flow.src_ip = flow.src_buf = std::string(*vm_ip);
        if (!flow.dst_ip) flow.dst_ip = one_external(dst_pub_from, dst_pub);
      } else if (direction == "I") {
        if (!flow.dst_ip && vm_ip) flow.dst_ip = flow.dst_buf = std::string(*vm_ip);
        if (!flow.src_ip) flow.src_ip = one_external(src_pub_from, src_pub);
      }
    }
    if (auto p = records::integer(f[kSrcPort])) flow.src_port = *p;
    if (auto p = records::integer(f[kDstPort])) flow.dst_port = *p;
    if (need & kNeedExternal) {
      ExternalIps ext;
      for (const auto& a : listed_) ext.add(a);
      ext.add_if_public(flow.src_ip);
      ext.add_if_public(flow.dst_ip);
      ext.write(flow.external_ips);
    }
  }
  if (need & kNeedProtocol) {
    const std::string_view l4 = text_of(f[kL4]).value_or("");
    flow.protocol = l4 == "T" ? Text("tcp") : l4 == "U" ? Text("udp") : text_of(f[kL4]);
    flow.service = text_of(f[kL7]);
    const std::string_view status = text_of(f[kStatus]).value_or("");
    if (status == "A") {
      flow.allowed = 1;
    } else if (status == "D") {
      flow.allowed = 0;
    } else {
      const auto allowed = sum({records::number(f[kAllowedIn]), records::number(f[kAllowedOut])});
      const auto denied = sum({records::number(f[kDeniedIn]), records::number(f[kDeniedOut])});
      if (allowed.value_or(0) > 0 && denied.value_or(0) == 0) flow.allowed = 1;
      else if (denied.value_or(0) > 0 && allowed.value_or(0) == 0) flow.allowed = 0;
    }
  }
  if (need & kNeedCounts) {
    flow.flows = sum({records::number(f[kAllowedIn]), records::number(f[kAllowedOut]), records::number(f[kDeniedIn]),
                      records::number(f[kDeniedOut])});
    if (!flow.flows) flow.flows = records::integer(f[kFlowCount]);
    flow.bytes_out = records::integer(f[kOutBytes]);
    flow.bytes_in = records::integer(f[kInBytes]);
    flow.packets_out = records::integer(f[kOutPackets]);
    flow.packets_in = records::integer(f[kInPackets]);
    if (records::read_time(f[kEnd], end) == records::TimeRead::kOk) {
      flow.end_time_ms = timefmt::epoch_ms_from_seconds(end);
      if (flow.time_ms) flow.duration = static_cast<double>(*flow.end_time_ms - *flow.time_ms) / 1000.0;
    }
  }
  if (need & kNeedContext) {
    flow.vm = text_of(f[kVmName]);
    if (!flow.vm) flow.vm = after_slash(f[kVm]);
    flow.subnet = text_of(f[kSubnet]);
    flow.rule = text_of(f[kRule]);
    flow.flow_type = text_of(f[kFlowType]);
    flow.resource = text_of(f[kNsgList]);
    flow.mac = text_of(f[kMac]);
  }
  if (need & kNeedRecord) flow.record = simdjson::minify(record);
}

}  // namespace sqlhunt::flows
