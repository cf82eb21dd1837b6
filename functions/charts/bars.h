// functions/charts/bars.h — horizontal bars, one per category, stacked by series.
//
// Categories are drawn top to bottom in the order they first appear (so the SELECT's
// ORDER BY decides), series stacked left to right in the order they first appear, one
// colour each with a legend when there is more than one. Each bar ends with its total.
// A category given twice for the same series adds up. Values that are NULL, no number,
// negative or not finite are not drawn, and their count is written under the bars.
// At most kMaxBars categories are drawn; the count of the others is written too.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sqlhunt::charts {

struct BarsInput {
  std::vector<std::string> categories;  // first-seen order
  std::vector<std::string> series;      // first-seen order; one unnamed series when empty
  // value[category][series]
  std::vector<std::vector<double>> values;
  size_t unusable = 0;
};

inline constexpr size_t kMaxBars = 200;

std::string render_bars(const BarsInput& in);

}  // namespace sqlhunt::charts
