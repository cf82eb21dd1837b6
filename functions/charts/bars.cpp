#include "functions/charts/bars.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "functions/charts/svg.h"

namespace sqlhunt::charts {
namespace {

constexpr double kWidth = 760;
constexpr double kBar = 16;
constexpr double kGap = 6;

// A total as people read it: integers without decimals, others with up to two.
std::string total_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s;
  append_num(s, v);  // one decimal is enough beside a bar
  return s;
}

}  // namespace

std::string render_bars(const BarsInput& in) {
  if (in.categories.empty())
    return empty_chart("bars", in.unusable ? std::to_string(in.unusable) + " rows, none with a usable value"
                                           : "no bars");
  const size_t shown = std::min(in.categories.size(), kMaxBars);
  const bool legend = in.series.size() > 1;

  double label_w = 40;
  for (size_t c = 0; c < shown; ++c) label_w = std::max(label_w, sans_width(shorten(in.categories[c], 32)));
  const double left = std::min(260.0, label_w + 18);
  double peak = 0;
  std::vector<double> totals(shown, 0);
  for (size_t c = 0; c < shown; ++c) {
    for (double v : in.values[c]) totals[c] += v;
    if (!std::isfinite(totals[c])) totals[c] = std::numeric_limits<double>::max();  // huge values summed
    peak = std::max(peak, totals[c]);
  }
  const double plot = kWidth - left - 70;
  const double top = legend ? 30 : 10;
  const double notes = (in.unusable ? 14 : 0) + (shown < in.categories.size() ? 14 : 0);
  const double height = top + (kBar + kGap) * static_cast<double>(shown) + 8 + notes;

  Svg svg("bars", kWidth, height,
          "Bars: " + std::to_string(in.categories.size()) + " categories" +
              (legend ? ", " + std::to_string(in.series.size()) + " series" : std::string()));
  if (legend) {
    double x = left;
    svg.raw("<g class=\"legend\">");
    for (size_t s = 0; s < in.series.size(); ++s) {
      const std::string name = shorten(in.series[s], 24);
      svg.raw("<rect x=\"").num(x).raw("\" y=\"8\" width=\"10\" height=\"10\" fill=\"").raw(palette(s)).raw("\"/>");
      svg.label(x + 14, 17, name);
      x += 14 + sans_width(name) + 16;
    }
    svg.raw("</g>");
  }
  for (size_t c = 0; c < shown; ++c) {
    const double y = top + (kBar + kGap) * static_cast<double>(c);
    svg.raw("<g class=\"bar\"><title>").text(in.categories[c]).raw(": ").raw(total_text(totals[c]));
    if (legend)
      for (size_t s = 0; s < in.series.size(); ++s)
        if (in.values[c][s] > 0) svg.raw(", ").text(in.series[s]).raw(" ").raw(total_text(in.values[c][s]));
    svg.raw("</title>");
    svg.label(left - 8, y + 12, shorten(in.categories[c], 32), "text-anchor=\"end\"");
    double x = left;
    for (size_t s = 0; s < in.values[c].size(); ++s) {
      const double w = peak > 0 ? in.values[c][s] / peak * plot : 0;
      if (w <= 0) continue;
      svg.raw("<rect x=\"").num(x).raw("\" y=\"").num(y).raw("\" width=\"").num(std::max(w, 1.0))
          .raw("\" height=\"").num(kBar).raw("\" fill=\"").raw(palette(s)).raw("\"/>");
      x += w;
    }
    svg.label(x + 5, y + 12, total_text(totals[c]), "fill=\"#555\"");
    svg.raw("</g>");
  }
  double y = top + (kBar + kGap) * static_cast<double>(shown) + 10;
  if (shown < in.categories.size()) {
    svg.label(left, y, std::to_string(in.categories.size() - shown) + " more categories not drawn (at most " +
                           std::to_string(kMaxBars) + ")",
              "fill=\"#777\" class=\"note\"");
    y += 14;
  }
  if (in.unusable)
    svg.label(left, y, std::to_string(in.unusable) + " rows without a usable value (NULL, negative, no number) are not drawn",
              "fill=\"#777\" class=\"note\"");
  return svg.finish();
}

}  // namespace sqlhunt::charts
