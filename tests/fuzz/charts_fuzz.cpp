// libFuzzer target for functions/charts: the TopoJSON reader (any bytes: an error or an
// outline, never a read out of bounds, never more than kMaxWorldPoints points), and
// every chart drawn from rows made of the same bytes (labels, keys and lanes of any
// bytes, times and values of any size): the SVG is always valid UTF-8 and one element,
// and no label text ever closes or opens a tag (every '<' in the output starts markup
// the writer wrote).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "functions/charts/bars.h"
#include "functions/charts/timeline.h"
#include "functions/charts/tree.h"
#include "functions/charts/world.h"

namespace c = sqlhunt::charts;

namespace {

void check(const std::string& svg) {
  if (!sqlhunt::json::is_valid_utf8(svg)) std::abort();
  if (svg.rfind("<svg ", 0) != 0 || svg.size() < 6 || svg.compare(svg.size() - 6, 6, "</svg>") != 0) std::abort();
  // Markup the writer writes: a '<' is followed by a letter or '/'; escaped text has none.
  for (size_t i = svg.find('<'); i != std::string::npos; i = svg.find('<', i + 1)) {
    const char n = i + 1 < svg.size() ? svg[i + 1] : 0;
    if (!((n >= 'a' && n <= 'z') || n == '/')) std::abort();
  }
  if (svg.find("<script") != std::string::npos) std::abort();
}

// Splits the input into fields at NUL bytes.
std::vector<std::string> fields(const uint8_t* data, size_t size) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) out.emplace_back();
    else out.back() += static_cast<char>(data[i]);
  }
  return out;
}

double number(const std::string& s, size_t salt) {
  double v = 0;
  std::memcpy(&v, s.data(), std::min(s.size(), sizeof v));
  return (salt % 3 == 0) ? v : static_cast<double>(s.size()) * 37.5 + static_cast<double>(salt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto world = c::parse_topojson(text, &why);
  if (world && world->points > c::kMaxWorldPoints) std::abort();
  if (!world && why.empty()) std::abort();

  const auto f = fields(data, size);
  c::TimelineInput tl;
  c::MapInput map;
  c::BarsInput bars;
  std::vector<c::TreeNode> tree;
  for (size_t i = 0; i < f.size() && i < 400; ++i) {
    const std::string& s = f[i];
    const double v = number(s, i);
    if (tl.lanes.size() < 5) tl.lanes.push_back(s);
    const double t = v != v ? 0 : std::max(-6.2e10, std::min(2.5e11, v));  // the adapter's range
    tl.events.push_back({t, static_cast<uint32_t>(i % tl.lanes.size()), i % 2 ? s : "", i % 7 == 0});
    if (std::isfinite(v))  // the adapter refuses what is no latitude or longitude (charts.cpp)
      map.points.push_back({std::fmod(std::fabs(v), 180) - 90, std::fmod(std::fabs(v) * 3, 360) - 180, s, i % 5 == 0});
    tree.push_back({s, i ? f[(i * 7) % i] : "", s, i % 3 == 0});
    if (bars.categories.size() < 50) {
      bars.categories.push_back(s);
      bars.values.push_back({std::fabs(v) < 1e300 ? std::fabs(v) : 1.0});
    }
  }
  if (!bars.categories.empty()) bars.series = {"s"};
  check(c::render_timeline(tl));
  check(c::render_tree(tree));
  check(c::render_bars(bars));
  check(c::render_map(world ? &*world : nullptr, map, why));
  return 0;
}
