// functions/clustering/dbscan.h — DBSCAN over numeric feature rows (pure C++; the SQL
// table is dbscan(sql, eps, min_samples [, scale]), functions/clustering).
//
// The definition is scikit-learn's (sklearn.cluster.DBSCAN, metric "euclidean"):
//   * the neighbourhood of a point is every point at Euclidean distance <= eps, the
//     point itself included;
//   * a core point has at least min_samples points in its neighbourhood;
//   * a cluster is what core points reach through core points, plus the non-core
//     points in their neighbourhoods (border points); everything else is noise (-1).
// Border rule (a border point within eps of core points of two clusters): it joins the
// cluster whose first core point comes first in the input order. That is what
// scikit-learn's expansion does too (clusters are grown one at a time, seeded in input
// order, and a point keeps the first label it gets), so on the same rows in the same
// order the labels are equal, numbering included: cluster k is the one seeded by the
// k-th core point (in input order) that no earlier cluster reached.
//
// Neighbour search: a k-d tree (nanoflann), never all pairs. Each point is queried at
// most twice: once to count its neighbours (the count stops at min_samples) and once,
// if it is a core point, to expand its cluster. Memory is linear in the rows (the
// points, the tree, labels and a stack; neighbourhoods are not kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sqlhunt::clustering {

// Feature scaling before clustering, per column or per row:
//   kNone      the values as given
//   kStandard  per column: (x - mean) / standard deviation (population, as
//              scikit-learn's StandardScaler; a constant column becomes 0)
//   kMinMax    per column: (x - min) / (max - min) (MinMaxScaler; a constant column 0)
//   kUnit      per row: divided by its Euclidean length (msticpy's dbcluster_events,
//              scikit-learn's Normalizer; a zero row stays zero)
enum class Scale { kNone, kStandard, kMinMax, kUnit };

// "none", "standard", "minmax", "unit" (case-insensitive); nullopt for anything else.
std::optional<Scale> scale_from_name(std::string_view name);

// Scales `x` (rows of `dims` values, row after row) in place.
void scale(std::vector<double>& x, size_t dims, Scale how);

struct DbscanResult {
  std::vector<int64_t> label;   // cluster number from 0, or -1 for noise, per row
  std::vector<uint8_t> core;    // 1 for a core point
  std::vector<int64_t> size;    // rows per cluster, by cluster number
  uint64_t queries = 0;         // neighbourhood queries run (at most 2 per row)
};

// Clusters the rows of `x` (`dims` values each, finite). eps > 0, min_samples >= 1.
DbscanResult dbscan(const std::vector<double>& x, size_t dims, double eps, size_t min_samples);

// The same by comparing every pair (O(n^2)): the oracle of the unit tests.
DbscanResult dbscan_brute_force(const std::vector<double>& x, size_t dims, double eps,
                                size_t min_samples);

}  // namespace sqlhunt::clustering
