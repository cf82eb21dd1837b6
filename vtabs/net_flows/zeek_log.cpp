#include "vtabs/net_flows/zeek_log.h"

#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "core/hex.h"
#include "core/json_text.h"
#include "core/text.h"
#include "core/time.h"

namespace sqlhunt::flows {
namespace {

using records::Value;
using simdjson::dom::element;

// "\x09" -> tab: Zeek escapes the separator and unprintable bytes this way.
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      const int hi = hex::digit_value(static_cast<unsigned char>(s[i + 2]));
      const int lo = hex::digit_value(static_cast<unsigned char>(s[i + 3]));
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi << 4 | lo));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

Text direction_of(Text local_orig, Text local_resp) {
  if (!local_orig || !local_resp) return std::nullopt;
  const bool o = *local_orig == "T", r = *local_resp == "T";
  if (o && !r) return std::string_view("outbound");
  if (!o && r) return std::string_view("inbound");
  return o ? std::string_view("internal") : std::string_view("external");
}

// A JSON number as Zeek writes one (-?digits[.digits], no leading zero: RFC 8259);
// anything else is written as a string.
bool number_text(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  const size_t int_from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const size_t int_digits = i - int_from;
  if (int_digits == 0 || (int_digits > 1 && s[int_from] == '0')) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac_from = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_from) return false;
  }
  return i == s.size();
}

bool numeric_type(std::string_view t) {
  return t == "time" || t == "interval" || t == "count" || t == "int" || t == "port" || t == "double";
}

std::optional<double> real(std::string_view s) {
  if (!number_text(s)) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

}  // namespace

std::optional<int64_t> zeek_time_ms(std::string_view s) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  size_t i = 0;
  int64_t sec = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 15) sec = sec * 10 + (s[i++] - '0');
  if (i == 0) return std::nullopt;
  int64_t ms = 0;
  int digits = 0;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 3) ms = ms * 10 + (s[i] - '0'), ++digits;
      else if (digits++ == 3) round_up = s[i] >= '5';
      ++i;
    }
    if (i == from) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  for (; digits < 3; ++digits) ms *= 10;
  const int64_t total = sec * 1000 + ms + (round_up ? 1 : 0);
  return negative ? -total : total;
}

// ---------------------------------------------------------------------------------- TSV

bool ZeekTsv::header(std::string_view line) {
  if (text::starts_with(line, "#separator ")) {
    const std::string v = unescape(text::trim(line.substr(11)));
    if (v.size() == 1) sep_ = v[0];
    return true;
  }
  const size_t cut = line.find(sep_);
  const std::string_view key = line.substr(0, cut);
  const std::string_view rest = cut == std::string_view::npos ? std::string_view() : line.substr(cut + 1);
  auto list = [&](std::vector<std::string>& out) {
    out.clear();
    size_t from = 0;
    while (from <= rest.size()) {
      size_t to = rest.find(sep_, from);
      if (to == std::string_view::npos) to = rest.size();
      out.emplace_back(rest.substr(from, to - from));
      from = to + 1;
    }
  };
  if (key == "#set_separator") set_sep_ = unescape(rest);
  else if (key == "#empty_field") empty_ = unescape(rest);
  else if (key == "#unset_field") unset_ = unescape(rest);
  else if (key == "#path") path_ = std::string(rest);
  else if (key == "#types") list(types_);
  else if (key == "#open" || key == "#close") return true;  // processing times: bound nothing
  else if (key != "#fields") return false;
  else {
    list(names_);
    types_.clear();
    int* const slots[] = {&ts_, &uid_, &orig_h_, &orig_p_, &resp_h_, &resp_p_, &proto_, &service_, &duration_,
                          &orig_bytes_, &resp_bytes_, &conn_state_, &local_orig_, &local_resp_, &orig_pkts_,
                          &orig_ip_bytes_, &resp_pkts_, &resp_ip_bytes_};
    static constexpr const char* kNames[] = {
        "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration",
        "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "orig_pkts", "orig_ip_bytes",
        "resp_pkts", "resp_ip_bytes"};
    for (size_t k = 0; k < sizeof kNames / sizeof kNames[0]; ++k) {
      *slots[k] = -1;
      for (size_t j = 0; j < names_.size(); ++j)
        if (names_[j] == kNames[k]) *slots[k] = static_cast<int>(j);
    }
    source_ = "zeek_" + (path_.empty() ? std::string("log") : path_);
  }
  return true;
}

bool ZeekTsv::split(std::string_view line, std::string& error) {
  values_.clear();
  // The separators of a line found eight bytes at a time (a conn.log line is ~130 bytes
  // with 20 separators: one memchr call per field cost more than the scan itself).
  const char* const data = line.data();
  const size_t n = line.size();
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  const uint64_t pattern = kOnes * static_cast<unsigned char>(sep_);
  size_t from = 0, i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__  // byte k of w is data[i + k]
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    const uint64_t x = w ^ pattern;
    // A byte of x is 0 where the separator stands: its high bit is set here (and only
    // there: the borrow trick's false positives occur above a real zero, which splits
    // the word anyway, so every hit is checked).
    uint64_t hits = (x - kOnes) & ~x & kHighs;
    while (hits) {
      const size_t at = i + static_cast<size_t>(__builtin_ctzll(hits) >> 3);
      if (data[at] == sep_) {
        values_.emplace_back(data + from, at - from);
        from = at + 1;
      }
      hits &= hits - 1;
    }
  }
#endif
  for (; i < n; ++i)
    if (data[i] == sep_) {
      values_.emplace_back(data + from, i - from);
      from = i + 1;
    }
  values_.emplace_back(data + from, n - from);
  if (values_.size() == names_.size()) return true;
  error = "Zeek line with " + std::to_string(values_.size()) + " fields, #fields names " +
          std::to_string(names_.size());
  return false;
}

Text ZeekTsv::field(int i) const {
  if (i < 0 || static_cast<size_t>(i) >= values_.size()) return std::nullopt;
  const std::string_view v = values_[static_cast<size_t>(i)];
  // "-" and "(empty)": compared by size and first byte before the bytes (hot path).
  auto is = [&v](const std::string& s) { return v.size() == s.size() && v[0] == s[0] && v == s; };
  if (v.empty() || is(unset_) || is(empty_)) return std::nullopt;
  return v;
}

Text ZeekTsv::address(int i, std::string& buf) const {
  const Text raw = field(i);
  if (!raw) return std::nullopt;
  return canonical_ip(*raw, buf);
}

std::optional<int64_t> ZeekTsv::time_ms() const {
  const Text ts = field(ts_);
  if (!ts) return std::nullopt;
  const auto ms = zeek_time_ms(*ts);
  if (!ms || !plausible_time_ms(*ms)) return std::nullopt;
  return ms;
}

void ZeekTsv::fill(Flow& flow, unsigned need) {
  flow.source = std::string_view(source_);
  if (!flow.time_ms) {
    flow.time_ms = time_ms();
    if (!flow.time_ms && field(ts_)) flow.parse_error = "ts: '" + std::string(*field(ts_)) + "' is not epoch seconds";
  }
  // An address field that holds no address is NULL, and said.
  auto address = [&](int i, Text& ip, std::string& buf, const char* name) {
    if (!ip) ip = this->address(i, buf);
    const Text raw = field(i);
    if (!ip && raw) {
      if (!flow.parse_error.empty()) flow.parse_error += "; ";
      flow.parse_error += std::string(name) + ": '" + excerpt(*raw) + "' is not an IP address";
    }
  };
  if (need & (kNeedSrc | kNeedExternal)) {
    address(orig_h_, flow.src_ip, flow.src_buf, "id.orig_h");
    if (auto p = field(orig_p_)) flow.src_port = parse_count(*p);
  }
  if (need & (kNeedDst | kNeedExternal)) {
    address(resp_h_, flow.dst_ip, flow.dst_buf, "id.resp_h");
    if (auto p = field(resp_p_)) flow.dst_port = parse_count(*p);
  }
  if (need & kNeedProto) {
    flow.protocol = field(proto_);
    flow.service = field(service_);
  }
  if (need & kNeedState) flow.state = field(conn_state_);
  if (need & kNeedDirection) flow.direction = direction_of(field(local_orig_), field(local_resp_));
  if (need & kNeedFlows) flow.flows = 1;
  if (need & kNeedDuration) {
    if (auto d = field(duration_)) flow.duration = real(*d);
    if (flow.duration && flow.time_ms) flow.end_time_ms = *flow.time_ms + static_cast<int64_t>(*flow.duration * 1000 + 0.5);
  }
  auto count = [&](int i, int fallback) {
    if (auto v = field(i)) return parse_count(*v);
    if (auto v = field(fallback)) return parse_count(*v);
    return std::optional<int64_t>();
  };
  if (need & kNeedBytes) {
    flow.bytes_out = count(orig_ip_bytes_, orig_bytes_);
    flow.bytes_in = count(resp_ip_bytes_, resp_bytes_);
  }
  if (need & kNeedPackets) {
    flow.packets_out = count(orig_pkts_, -1);
    flow.packets_in = count(resp_pkts_, -1);
  }
  if (need & kNeedContext) flow.flow_id = field(uid_);
  if (need & kNeedExternal) {
    ExternalIps ext;
    ext.add_if_public(flow.src_ip);
    ext.add_if_public(flow.dst_ip);
    ext.write(flow.external_ips);
  }
  if (need & kNeedRecord) record_json(flow.record);
}

void ZeekTsv::record_json(std::string& out) const {
  out = "{";
  for (size_t i = 0; i < names_.size() && i < values_.size(); ++i) {
    const std::string_view v = values_[i];
    if (v == unset_) continue;  // unset fields are left out, as Zeek's JSON writer does
    const std::string_view type = i < types_.size() ? std::string_view(types_[i]) : std::string_view();
    if (out.size() > 1) out.push_back(',');
    json::append_string(out, names_[i]);
    out.push_back(':');
    const bool container = text::starts_with(type, "set[") || text::starts_with(type, "vector[");
    if (container) {
      const std::string_view inner = type.substr(type.find('[') + 1, type.size() - type.find('[') - 2);
      out.push_back('[');
      if (v != empty_ && !v.empty()) {
        size_t from = 0;
        bool first = true;
        while (from <= v.size()) {
          size_t to = set_sep_.empty() ? std::string_view::npos : v.find(set_sep_, from);
          if (to == std::string_view::npos) to = v.size();
          const std::string_view item = v.substr(from, to - from);
          if (!first) out.push_back(',');
          first = false;
          if (numeric_type(inner) && number_text(item)) out.append(item);
          else json::append_string(out, unescape(item));
          if (to == v.size()) break;
          from = to + set_sep_.size();
        }
      }
      out.push_back(']');
    } else if (numeric_type(type) && number_text(v)) {
      out.append(v);
    } else if (type == "bool" && (v == "T" || v == "F")) {
      out += v == "T" ? "true" : "false";
    } else {
      json::append_string(out, v == empty_ ? std::string() : unescape(v));
    }
  }
  out.push_back('}');
}

// --------------------------------------------------------------------------------- JSON

namespace {
enum JsonSlot {
  kTs, kUid, kOrigH, kOrigP, kRespH, kRespP, kProto, kService, kDuration, kOrigBytes, kRespBytes, kConnState,
  kLocalOrig, kLocalResp, kOrigPkts, kOrigIpBytes, kRespPkts, kRespIpBytes, kPath,
};

// A JSON bool, or Zeek's T/F as text.
Text bool_text(const Value& v) {
  if (!v) return std::nullopt;
  bool b;
  if (v->get_bool().get(b) == simdjson::SUCCESS) return b ? std::string_view("T") : std::string_view("F");
  return records::string_view_of(v);
}
}  // namespace

bool is_zeek_json(element record) {
  if (!record.is_object()) return false;
  const Value r(record);
  return records::member(r, "id.orig_h") || records::member(r, "id.resp_h");
}

ZeekJson::ZeekJson()
    : fields_({{"ts"}, {"uid"}, {"id.orig_h"}, {"id.orig_p"}, {"id.resp_h"}, {"id.resp_p"}, {"proto"}, {"service"},
               {"duration"}, {"orig_bytes"}, {"resp_bytes"}, {"conn_state"}, {"local_orig"}, {"local_resp"},
               {"orig_pkts"}, {"orig_ip_bytes"}, {"resp_pkts"}, {"resp_ip_bytes"}, {"_path"}}) {}

void ZeekJson::fill(element record, Flow& flow, unsigned need) {
  fields_.pick(record);
  const auto& f = fields_;
  const auto path = records::string_view_of(f[kPath]);
  source_ = "zeek_" + std::string(path.value_or("log"));
  flow.source = std::string_view(source_);
  double seconds = 0;
  switch (records::read_time(f[kTs], seconds)) {
    case records::TimeRead::kOk: flow.time_ms = timefmt::epoch_ms_from_seconds(seconds); break;
    case records::TimeRead::kBad: flow.parse_error = "ts: cannot read '" + records::shown(f[kTs]) + "' as a time"; break;
    case records::TimeRead::kAbsent: flow.parse_error = "no ts: time is NULL"; break;
  }
  auto address = [&](const Value& v, std::string& buf) -> Text {
    const auto raw = records::string_view_of(v);
    if (!raw) return std::nullopt;
    const Text ip = canonical_ip(*raw, buf);
    if (!ip) {
      if (!flow.parse_error.empty()) flow.parse_error += "; ";
      flow.parse_error += "'" + excerpt(*raw) + "' is not an IP address";
    }
    return ip;
  };
  flow.src_ip = address(f[kOrigH], flow.src_buf);
  flow.dst_ip = address(f[kRespH], flow.dst_buf);
  flow.src_port = records::integer(f[kOrigP]);
  flow.dst_port = records::integer(f[kRespP]);
  if (need & kNeedProtocol) {
    flow.protocol = records::string_view_of(f[kProto]);
    flow.service = records::string_view_of(f[kService]);
    flow.state = records::string_view_of(f[kConnState]);
    flow.direction = direction_of(bool_text(f[kLocalOrig]), bool_text(f[kLocalResp]));
  }
  if (need & kNeedCounts) {
    flow.flows = 1;
    flow.duration = records::number(f[kDuration]);
    if (flow.duration && flow.time_ms) flow.end_time_ms = *flow.time_ms + static_cast<int64_t>(*flow.duration * 1000 + 0.5);
    flow.bytes_out = f[kOrigIpBytes] ? records::integer(f[kOrigIpBytes]) : records::integer(f[kOrigBytes]);
    flow.bytes_in = f[kRespIpBytes] ? records::integer(f[kRespIpBytes]) : records::integer(f[kRespBytes]);
    flow.packets_out = records::integer(f[kOrigPkts]);
    flow.packets_in = records::integer(f[kRespPkts]);
  }
  if (need & kNeedContext) flow.flow_id = records::string_view_of(f[kUid]);
  if (need & kNeedExternal) {
    ExternalIps ext;
    ext.add_if_public(flow.src_ip);
    ext.add_if_public(flow.dst_ip);
    ext.write(flow.external_ips);
  }
  if (need & kNeedRecord) flow.record = simdjson::minify(record);
}

}  // namespace sqlhunt::flows
