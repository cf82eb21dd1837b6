#include "vtabs/net_flows/flow.h"

#include <algorithm>

#include "core/ip.h"
#include "core/json_text.h"

namespace sqlhunt::flows {

void Flow::clear() {
  time_ms.reset();
  end_time_ms.reset();
  src_ip.reset();
  dst_ip.reset();
  src_port.reset();
  dst_port.reset();
  protocol.reset();
  service.reset();
  direction.reset();
  allowed.reset();
  state.reset();
  encryption.reset();
  flows.reset();
  bytes_out.reset();
  bytes_in.reset();
  packets_out.reset();
  packets_in.reset();
  duration.reset();
  vm.reset();
  subnet.reset();
  rule.reset();
  flow_type.reset();
  resource.reset();
  mac.reset();
  flow_id.reset();
  source.reset();
  external_ips.clear();
  record.clear();
  parse_error.clear();
  line = 0;
}

namespace {
bool wanted(const std::vector<std::string>& values, Text ip) {
  if (!ip) return false;
  return std::find(values.begin(), values.end(), *ip) != values.end();
}
}  // namespace

bool Filter::wants_src(Text ip) const { return !src_set || wanted(src_ips, ip); }
bool Filter::wants_dst(Text ip) const { return !dst_set || wanted(dst_ips, ip); }

std::optional<int64_t> parse_count(std::string_view s) {
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.remove_suffix(2);
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

void ExternalIps::add(std::string_view ip) {
  for (const auto& s : seen_)
    if (s == ip) return;
  seen_.emplace_back(ip);
}

void ExternalIps::add_if_public(Text ip) {
  if (!ip) return;
  const auto a = ip::parse(*ip);
  if (a && ip::classify(*a) == ip::Class::kPublic) add(*ip);
}

void ExternalIps::write(std::string& out) const {
  out = "[";
  for (const auto& s : seen_) {
    if (out.size() > 1) out.push_back(',');
    json::append_string(out, s);
  }
  out.push_back(']');
}

Text canonical_ip(std::string_view raw, std::string& buf) {
  // A strict dotted quad prints as itself: no copy (the address columns of a Zeek log
  // and of most exports are nothing else).
  if (raw.find(':') == std::string_view::npos && raw.find('[') == std::string_view::npos &&
      ip::parse_v4(raw))
    return raw;
  auto n = ip::normalize(raw);
  if (!n) return std::nullopt;
  buf = std::move(*n);
  return std::string_view(buf);
}

}  // namespace sqlhunt::flows
