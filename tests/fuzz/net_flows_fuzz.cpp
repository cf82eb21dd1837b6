// libFuzzer target for vtabs/net_flows: any bytes, read as a flow log of any format
// (Zeek TSV or JSON, NSG/VNet flow-log blobs, AzureNetworkAnalytics CSV or JSON), give
// rows without crashing, looping or reading out of bounds, and every row keeps the
// table's promises: addresses in canonical form, external_ips and record valid JSON,
// times within the years 0..9999. The first byte also picks a filter, and the filtered
// rows must be exactly the unfiltered rows that match it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ip.h"
#include "vtabs/net_flows/flow_reader.h"

using namespace sqlhunt::flows;

namespace {

struct Seen {
  uint64_t line;
  std::string src, dst;
  std::optional<int64_t> time_ms;
};

std::vector<Seen> read_all(std::string_view text, const Filter& filter) {
  FlowReader reader;
  reader.start_text(text, "fuzz", filter, kNeedAll);
  Flow f;
  std::vector<Seen> rows;
  while (reader.next(f)) {
    if (rows.size() > 200000) std::abort();  // every row consumes input: no endless loop
    for (const Text& ip : {f.src_ip, f.dst_ip})
      if (ip && sqlhunt::ip::normalize(*ip) != std::string(*ip)) std::abort();
    if (!f.external_ips.empty() && !nlohmann::json::accept(f.external_ips)) std::abort();
    if (!f.record.empty() && !nlohmann::json::accept(f.record)) std::abort();
    if (f.time_ms && (*f.time_ms < -62167219200000 || *f.time_ms > 253402300799999)) std::abort();
    if (f.parse_error.empty() && f.source && f.source->empty()) std::abort();
    rows.push_back({f.line, f.src_ip ? std::string(*f.src_ip) : "", f.dst_ip ? std::string(*f.dst_ip) : "", f.time_ms});
  }
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::vector<Seen> all = read_all(text, Filter());
  // A filter from the rows themselves (an address and a time that occur), so it matches.
  Filter filter;
  const uint8_t pick = data[0];
  if (!all.empty()) {
    const Seen& s = all[pick % all.size()];
    if ((pick & 1) && !s.src.empty()) filter.src_set = true, filter.src_ips = {s.src};
    if ((pick & 2) && !s.dst.empty()) filter.dst_set = true, filter.dst_ips = {s.dst};
    if ((pick & 4) && s.time_ms) filter.lo_ms = *s.time_ms - 1000, filter.hi_ms = *s.time_ms + (pick >> 4) * 1000;
  }
  if (!filter.any()) return 0;
  std::vector<Seen> expected;
  for (const Seen& s : all)
    if ((!filter.src_set || s.src == filter.src_ips[0]) && (!filter.dst_set || s.dst == filter.dst_ips[0]) &&
        filter.wants_time(s.time_ms))
      expected.push_back(s);
  const std::vector<Seen> got = read_all(text, filter);
  if (got.size() != expected.size()) std::abort();
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i].line != expected[i].line || got[i].src != expected[i].src || got[i].dst != expected[i].dst) std::abort();
  return 0;
}
