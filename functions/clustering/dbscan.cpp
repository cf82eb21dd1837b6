#include "functions/clustering/dbscan.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nanoflann.hpp>

#include "core/error.h"
#include "core/interrupt.h"

namespace sqlhunt::clustering {
namespace {

// nanoflann's view of the rows.
struct Points {
  const std::vector<double>& x;
  size_t dims;
  size_t kdtree_get_point_count() const { return dims ? x.size() / dims : 0; }
  double kdtree_get_pt(size_t row, size_t dim) const { return x[row * dims + dim]; }
  template <class Box>
  bool kdtree_get_bbox(Box&) const { return false; }
};

using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Points>, Points,
                                                 -1, uint32_t>;

// nanoflann keeps a point when its squared distance is < worstDist(); DBSCAN's
// neighbourhood is <= eps, so the bound handed to the tree is the next double above
// eps^2 and addPoint() checks the exact rule.
class Neighbours {
 public:
  // `limit`: stop after this many (0: collect all).
  Neighbours(double eps2, size_t limit, std::vector<uint32_t>* out)
      : eps2_(eps2), bound_(std::nextafter(eps2, std::numeric_limits<double>::infinity())),
        limit_(limit), out_(out) {}
  void init() {}
  size_t size() const { return count_; }
  bool full() const { return true; }
  double worstDist() const { return bound_; }
  bool addPoint(double dist2, uint32_t index) {
    if (dist2 > eps2_) return true;
    ++count_;
    if (out_) out_->push_back(index);
    return limit_ == 0 || count_ < limit_;
  }

 private:
  double eps2_, bound_;
  size_t limit_;
  std::vector<uint32_t>* out_;
  size_t count_ = 0;
};

// scikit-learn's dbscan_inner: grow clusters one at a time, seeded in input order,
// depth first; non-core points are labelled but not expanded.
template <class NeighboursOf>
void expand(DbscanResult& r, NeighboursOf neighbours_of) {
  const size_t n = r.core.size();
  r.label.assign(n, -1);
  std::vector<uint32_t> stack, near;
  int64_t cluster = 0;
  for (size_t seed = 0; seed < n; ++seed) {
    if (r.label[seed] != -1 || !r.core[seed]) continue;
    int64_t members = 0;
    size_t i = seed;
    for (;;) {
      if (r.label[i] == -1) {
        r.label[i] = cluster;
        ++members;
        if (r.core[i]) {
          near.clear();
          neighbours_of(i, near);
          for (uint32_t v : near)
            if (r.label[v] == -1) stack.push_back(v);
        }
      }
      if (stack.empty()) break;
      i = stack.back();
      stack.pop_back();
    }
    r.size.push_back(members);
    ++cluster;
  }
}

double dist2(const std::vector<double>& x, size_t dims, size_t a, size_t b) {
  double d = 0;
  for (size_t k = 0; k < dims; ++k) {
    const double t = x[a * dims + k] - x[b * dims + k];
    d += t * t;
  }
  return d;
}

}  // namespace

std::optional<Scale> scale_from_name(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "none") return Scale::kNone;
  if (lower == "standard") return Scale::kStandard;
  if (lower == "minmax") return Scale::kMinMax;
  if (lower == "unit") return Scale::kUnit;
  return std::nullopt;
}

void scale(std::vector<double>& x, size_t dims, Scale how) {
  if (dims == 0 || x.empty() || how == Scale::kNone) return;
  const size_t n = x.size() / dims;
  if (how == Scale::kUnit) {
    for (size_t r = 0; r < n; ++r) {
      double len = 0;
      for (size_t k = 0; k < dims; ++k) len += x[r * dims + k] * x[r * dims + k];
      len = std::sqrt(len);
      if (len == 0) continue;
      for (size_t k = 0; k < dims; ++k) x[r * dims + k] /= len;
    }
    return;
  }
  for (size_t k = 0; k < dims; ++k) {
    double shift = 0, divide = 1;
    if (how == Scale::kStandard) {
      double mean = 0;
      for (size_t r = 0; r < n; ++r) mean += x[r * dims + k];
      mean /= static_cast<double>(n);
      double var = 0;  // two passes: no cancellation on large offsets (epoch seconds)
      for (size_t r = 0; r < n; ++r) {
        const double d = x[r * dims + k] - mean;
        var += d * d;
      }
      var /= static_cast<double>(n);
      shift = mean;
      divide = var > 0 ? std::sqrt(var) : 1;
    } else {
      double lo = x[k], hi = x[k];
      for (size_t r = 1; r < n; ++r) {
        lo = std::min(lo, x[r * dims + k]);
        hi = std::max(hi, x[r * dims + k]);
      }
      shift = lo;
      divide = hi > lo ? hi - lo : 1;
    }
    for (size_t r = 0; r < n; ++r) x[r * dims + k] = (x[r * dims + k] - shift) / divide;
  }
}

DbscanResult dbscan(const std::vector<double>& x, size_t dims, double eps, size_t min_samples) {
  DbscanResult r;
  const size_t n = dims ? x.size() / dims : 0;
  r.core.assign(n, 0);
  if (n == 0) return r;
  const double eps2 = eps * eps;
  Points points{x, dims};
  Tree tree(static_cast<int>(dims), points, nanoflann::KDTreeSingleIndexAdaptorParams(16));
  const nanoflann::SearchParams params(0, 0.0f, /*sorted=*/false);

  // Ctrl-C is asked about at every query: with an eps that covers most rows, a query
  // returns them all, and the run is quadratic (as scikit-learn's is).
  const auto stop_if_interrupted = [] {
    if (interrupt::requested()) throw Error("interrupted");
  };
  for (size_t i = 0; i < n; ++i) {
    stop_if_interrupted();
    Neighbours count(eps2, min_samples, nullptr);
    tree.findNeighbors(count, &x[i * dims], params);
    ++r.queries;
    r.core[i] = count.size() >= min_samples;
  }
  expand(r, [&](size_t i, std::vector<uint32_t>& out) {
    stop_if_interrupted();
    Neighbours all(eps2, 0, &out);
    tree.findNeighbors(all, &x[i * dims], params);
    ++r.queries;
  });
  return r;
}

DbscanResult dbscan_brute_force(const std::vector<double>& x, size_t dims, double eps,
                                size_t min_samples) {
  DbscanResult r;
  const size_t n = dims ? x.size() / dims : 0;
  const double eps2 = eps * eps;
  r.core.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    size_t c = 0;
    for (size_t j = 0; j < n; ++j) c += dist2(x, dims, i, j) <= eps2;
    r.core[i] = c >= min_samples;
    ++r.queries;
  }
  expand(r, [&](size_t i, std::vector<uint32_t>& out) {
    for (size_t j = 0; j < n; ++j)
      if (dist2(x, dims, i, j) <= eps2) out.push_back(static_cast<uint32_t>(j));
    ++r.queries;
  });
  return r;
}

}  // namespace sqlhunt::clustering
