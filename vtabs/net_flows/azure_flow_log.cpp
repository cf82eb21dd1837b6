#include "vtabs/net_flows/azure_flow_log.h"

#include "core/error.h"
#include "core/json_text.h"
#include "core/record_fields.h"
#include "core/text.h"

namespace sqlhunt::flows {
namespace {

using records::member;
using records::Value;
using simdjson::dom::element;

void add_error(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

// The last segment of a resource path: ".../NETWORKSECURITYGROUPS/WADVM-NSG" -> WADVM-NSG.
Text last_segment(const Value& v) {
  const auto s = records::string_view_of(v);
  if (!s) return std::nullopt;
  std::string_view p = *s;
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  const size_t slash = p.rfind('/');
  if (slash != std::string_view::npos) p = p.substr(slash + 1);
  if (p.empty()) return std::nullopt;
  return p;
}

// Calls `f` with each element of an array (nothing when `v` is no array).
template <class F>
void each(const Value& v, F f) {
  if (v && v->is_array())
    for (element e : simdjson::dom::array(*v)) f(e);
}

constexpr size_t kMaxFields = 16;

// Splits a tuple at its commas; the number of fields (more than kMaxFields: kMaxFields + 1).
size_t split(std::string_view t, std::string_view (&f)[kMaxFields]) {
  size_t n = 0, from = 0;
  for (;;) {
    const size_t comma = t.find(',', from);
    if (n == kMaxFields) return kMaxFields + 1;
    f[n++] = t.substr(from, comma == std::string_view::npos ? std::string_view::npos : comma - from);
    if (comma == std::string_view::npos) return n;
    from = comma + 1;
  }
}

Text protocol_name(std::string_view p) {
  if (p == "T" || p == "t" || p == "6") return std::string_view("tcp");
  if (p == "U" || p == "u" || p == "17") return std::string_view("udp");
  if (p == "1") return std::string_view("icmp");
  if (p == "58") return std::string_view("ipv6-icmp");
  if (p.empty()) return std::nullopt;
  return p;
}

Text direction_name(std::string_view d) {
  if (d == "I") return std::string_view("inbound");
  if (d == "O") return std::string_view("outbound");
  if (d.empty()) return std::nullopt;
  return d;
}

// An optional counter: "" is absent (B tuples of version 2); anything else must be one.
void counter(std::string_view s, std::optional<int64_t>& out, const char* name, std::string& errors) {
  if (s.empty()) return;
  out = parse_count(s);
  if (!out) add_error(errors, std::string(name) + ": '" + std::string(s) + "' is not a count");
}

}  // namespace

bool is_azure_flow_record(element record) {
  if (!record.is_object()) return false;
  const Value r(record);
  return member(member(r, "properties"), "flows") || member(r, "flowRecords");
}

bool AzureFlowRecord::open(element record, std::string& error) {
  record_ = record;
  tuples_.clear();
  const Value r(record);
  const Value flow_records = member(r, "flowRecords");
  vnet_ = flow_records.has_value();
  if (vnet_) {
    version_ = records::integer(member(r, "flowLogVersion")).value_or(0);
    resource_ = last_segment(member(r, "targetResourceID"));
    if (!resource_) resource_ = last_segment(member(r, "flowLogResourceID"));
    const Text mac = records::string_view_of(member(r, "macAddress"));
    each(member(flow_records, "flows"), [&](element acl) {
      const Text acl_id = records::string_view_of(member(acl, "aclID"));
      each(member(acl, "flowGroups"), [&](element group) {
        const Text rule = records::string_view_of(member(group, "rule"));
        each(member(group, "flowTuples"), [&](element t) {
          if (t.is_string())
            tuples_.push_back({t.get_string().value_unsafe(), rule.value_or(""), mac.value_or(""), acl_id.value_or("")});
        });
      });
    });
    source_ = "vnet_v" + std::to_string(version_);
  } else {
    const Value properties = member(r, "properties");
    version_ = records::integer(member(properties, "Version")).value_or(0);
    resource_ = last_segment(member(r, "resourceId"));
    each(member(properties, "flows"), [&](element by_rule) {
      const Text rule = records::string_view_of(member(by_rule, "rule"));
      each(member(by_rule, "flows"), [&](element by_mac) {
        const Text mac = records::string_view_of(member(by_mac, "mac"));
        each(member(by_mac, "flowTuples"), [&](element t) {
          if (t.is_string()) tuples_.push_back({t.get_string().value_unsafe(), rule.value_or(""), mac.value_or(""), ""});
        });
      });
    });
    source_ = "nsg_v" + std::to_string(version_);
  }
  if (tuples_.empty()) {
    error = vnet_ ? "VNet flow log record without flow tuples (flowRecords.flows[].flowGroups[].flowTuples)"
                  : "NSG flow log record without flow tuples (properties.flows[].flows[].flowTuples)";
    return false;
  }
  return true;
}

void AzureFlowRecord::fill(size_t i, Flow& flow, unsigned need) {
  const Tuple& t = tuples_[i];
  flow.source = std::string_view(source_);
  flow.resource = resource_;
  if (!t.rule.empty()) flow.rule = t.rule;
  if (!t.mac.empty()) flow.mac = t.mac;

  std::string_view f[kMaxFields];
  const size_t n = split(t.text, f);
  // NSG v1 has 8 fields, v2 and VNet v4 13; which layout a tuple has is told by its
  // record kind and its field count, so a v2 tuple in a record that claims v1 still reads.
  const bool full = n == 13;
  if (!(n == 13 || (!vnet_ && n == 8))) {
    flow.parse_error = (vnet_ ? "VNet flow tuple with " : "NSG flow tuple with ") +
                       (n > kMaxFields ? std::string("more than 16") : std::to_string(n)) +
                       (vnet_ ? " fields (13 expected): '" : " fields (8 in version 1, 13 in version 2): '") +
                       excerpt(t.text, 80) + "'";
  } else {
    const auto ts = parse_count(f[0]);
    // NSG writes seconds, VNet milliseconds; the size tells them apart either way.
    const auto ms = ts ? std::optional<int64_t>(*ts >= 100000000000 ? *ts : *ts * 1000) : std::nullopt;
    if (ms && plausible_time_ms(*ms)) {
      flow.time_ms = ms;
    } else {
      add_error(flow.parse_error, "time: '" + std::string(f[0]) + "' is not epoch seconds or milliseconds");
    }
    flow.src_ip = canonical_ip(f[1], flow.src_buf);
    flow.dst_ip = canonical_ip(f[2], flow.dst_buf);
    if (!flow.src_ip) add_error(flow.parse_error, "source '" + std::string(f[1]) + "' is not an IP address");
    if (!flow.dst_ip) add_error(flow.parse_error, "destination '" + std::string(f[2]) + "' is not an IP address");
    counter(f[3], flow.src_port, "source port", flow.parse_error);
    counter(f[4], flow.dst_port, "destination port", flow.parse_error);
    flow.protocol = protocol_name(f[5]);
    flow.direction = direction_name(f[6]);
    std::string_view state;
    if (vnet_) {
      state = f[7];
      flow.allowed = state == "D" ? 0 : 1;
      if (!f[8].empty()) flow.encryption = f[8];
    } else {
      if (f[7] == "A") flow.allowed = 1;
      else if (f[7] == "D") flow.allowed = 0;
      if (full) state = f[8];
    }
    if (!state.empty()) flow.state = state;
    flow.flows = state.empty() || state == "B" || state == "D" ? 1 : 0;
    if (full) {
      counter(f[9], flow.packets_out, "packets sent", flow.parse_error);
      counter(f[10], flow.bytes_out, "bytes sent", flow.parse_error);
      counter(f[11], flow.packets_in, "packets received", flow.parse_error);
      counter(f[12], flow.bytes_in, "bytes received", flow.parse_error);
    }
  }

  if (need & kNeedExternal) {
    ExternalIps ext;
    ext.add_if_public(flow.src_ip);
    ext.add_if_public(flow.dst_ip);
    ext.write(flow.external_ips);
  }
  if (need & kNeedRecord) {
    // The record's own fields (not its flows: every tuple would carry all of them),
    // then where this tuple sits, then the tuple as written.
    std::string& out = flow.record;
    out = "{";
    for (auto field : simdjson::dom::object(record_)) {
      if (field.value.is_object() || field.value.is_array()) continue;
      if (out.size() > 1) out.push_back(',');
      json::append_string(out, field.key);
      out.push_back(':');
      out += simdjson::minify(field.value);
    }
    auto add = [&](const char* key, std::string_view value) {
      if (value.empty()) return;
      if (out.size() > 1) out.push_back(',');
      json::append_string(out, key);
      out.push_back(':');
      json::append_string(out, value);
    };
    if (!vnet_) {
      if (out.size() > 1) out.push_back(',');
      out += "\"Version\":" + std::to_string(version_);
    }
    add("aclID", t.acl);
    add("rule", t.rule);
    add("mac", t.mac);
    add("flowTuple", t.text);
    out.push_back('}');
  }
}

}  // namespace sqlhunt::flows
