#include "functions/process_tree/proc_tree.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <tuple>

#include "core/time.h"

namespace sqlhunt::proctree {

std::string image_name(const std::string& image) {
  const size_t slash = image.find_last_of("/\\");
  std::string name = slash == std::string::npos ? image : image.substr(slash + 1);
  for (char& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return name;
}

namespace {

constexpr double kNoTime = std::numeric_limits<double>::infinity();
// Candidates looked at past the first, when data is inconsistent (an exit of another
// image, a skewed start of another image): a bound, so no input makes a lookup linear.
constexpr int kScanLimit = 16;

// Interns strings as small ids (0 is the empty string).
class Interner {
 public:
  uint32_t id(const std::string& s) {
    if (s.empty()) return 0;
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    return ids_.emplace(s, static_cast<uint32_t>(ids_.size() + 1)).first->second;
  }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

struct Row {       // what the linking looks at, per input event
  uint32_t host, image, parent_image;
  int64_t pid, ppid;
  bool has_pid, has_ppid;
  double time;     // kNoTime when unknown
};

class Builder {
 public:
  Builder(const std::vector<Event>& ev, const Options& opt) : ev_(ev), skew_(opt.skew) {}

  Tree run() {
    prepare();
    link();
    cut_cycles_and_depth();
    order_depth_first();
    return std::move(tree_);
  }

 private:
  // ---- input ------------------------------------------------------------------
  void prepare() {
    Interner hosts, images;
    rows_.resize(ev_.size());
    for (size_t i = 0; i < ev_.size(); ++i) {
      const Event& e = ev_[i];
      Row& r = rows_[i];
      r.host = hosts.id(e.host);
      r.image = images.id(image_name(e.image));
      r.parent_image = images.id(image_name(e.parent_image));
      r.has_pid = e.pid.has_value();
      r.pid = e.pid.value_or(0);
      r.has_ppid = e.ppid.has_value();
      r.ppid = e.ppid.value_or(0);
      r.time = e.time.value_or(kNoTime);
      (e.exit ? exits_ : starts_).push_back(static_cast<uint32_t>(i));
    }
    // Node ids: starts by (host, time, input order), so that children appended in id
    // order come out in time order and roots by host, then time.
    std::stable_sort(starts_.begin(), starts_.end(), [&](uint32_t a, uint32_t b) {
      return std::tie(rows_[a].host, rows_[a].time) < std::tie(rows_[b].host, rows_[b].time);
    });
    node_of_.assign(ev_.size(), -1);
    for (size_t n = 0; n < starts_.size(); ++n) node_of_[starts_[n]] = static_cast<int64_t>(n);
    parent_.assign(starts_.size(), -1);

    for (uint32_t i : starts_)
      if (rows_[i].has_pid && rows_[i].time != kNoTime) by_pid_.push_back(i);
    std::stable_sort(by_pid_.begin(), by_pid_.end(), [&](uint32_t a, uint32_t b) { return pid_less(a, b); });
    for (uint32_t i : exits_)
      if (rows_[i].has_pid && rows_[i].time != kNoTime) exit_by_pid_.push_back(i);
    std::stable_sort(exit_by_pid_.begin(), exit_by_pid_.end(), [&](uint32_t a, uint32_t b) { return pid_less(a, b); });
    for (uint32_t i : starts_)
      if (!ev_[i].guid.empty()) by_guid_.emplace(ev_[i].guid, i);  // the first (earliest) wins
  }

  bool pid_less(uint32_t a, uint32_t b) const {
    const Row &x = rows_[a], &y = rows_[b];
    return std::tie(x.host, x.pid, x.time) < std::tie(y.host, y.pid, y.time);
  }

  // [first, last) of `index` (sorted by host, pid, time) with this host and pid.
  std::pair<size_t, size_t> range(const std::vector<uint32_t>& index, uint32_t host, int64_t pid) const {
    auto lo = std::lower_bound(index.begin(), index.end(), std::make_pair(host, pid),
                               [&](uint32_t i, const std::pair<uint32_t, int64_t>& k) {
                                 return std::tie(rows_[i].host, rows_[i].pid) < std::tie(k.first, k.second);
                               });
    auto hi = std::upper_bound(lo, index.end(), std::make_pair(host, pid),
                               [&](const std::pair<uint32_t, int64_t>& k, uint32_t i) {
                                 return std::tie(k.first, k.second) < std::tie(rows_[i].host, rows_[i].pid);
                               });
    return {static_cast<size_t>(lo - index.begin()), static_cast<size_t>(hi - index.begin())};
  }
  // First position in [lo, hi) of `index` whose time is > t (or >= t when !strict).
  size_t after(const std::vector<uint32_t>& index, size_t lo, size_t hi, double t, bool strict) const {
    auto it = strict ? std::upper_bound(index.begin() + static_cast<std::ptrdiff_t>(lo),
                                        index.begin() + static_cast<std::ptrdiff_t>(hi), t,
                                        [&](double v, uint32_t i) { return v < rows_[i].time; })
                     : std::lower_bound(index.begin() + static_cast<std::ptrdiff_t>(lo),
                                        index.begin() + static_cast<std::ptrdiff_t>(hi), t,
                                        [&](uint32_t i, double v) { return rows_[i].time < v; });
    return static_cast<size_t>(it - index.begin());
  }

  static bool images_fit(uint32_t a, uint32_t b) { return a == 0 || b == 0 || a == b; }

  // ---- linking ----------------------------------------------------------------
  // Can start `p` be the parent of start `c` (image, guid)?
  bool fits(uint32_t p, uint32_t c) const {
    if (p == c) return false;
    if (!images_fit(rows_[p].image, rows_[c].parent_image)) return false;
    const std::string& want = ev_[c].parent_guid;
    return want.empty() || ev_[p].guid.empty() || ev_[p].guid == want;
  }

  // Did an exit of p's pid end p before child c started (allowing for skew)?
  bool ended_before(uint32_t p, uint32_t c) const {
    const Row& r = rows_[p];
    auto [lo, hi] = range(exit_by_pid_, r.host, r.pid);
    const double limit = rows_[c].time - skew_;
    int scanned = 0;
    for (size_t k = after(exit_by_pid_, lo, hi, r.time, true); k < hi && scanned < kScanLimit; ++k, ++scanned) {
      const Row& x = rows_[exit_by_pid_[k]];
      if (x.time > limit) break;
      if (images_fit(x.image, r.image)) return true;
    }
    return false;
  }

  void link() {
    for (uint32_t c : starts_) {
      const Row& r = rows_[c];
      const Event& e = ev_[c];
      const int64_t node = node_of_[c];
      if (!e.parent_guid.empty()) {
        auto it = by_guid_.find(e.parent_guid);
        if (it != by_guid_.end() && it->second != c) {
          parent_[static_cast<size_t>(node)] = node_of_[it->second];
          ++tree_.by_guid;
          continue;
        }
      }
      if (!r.has_ppid) {
        if (!e.parent_guid.empty()) parent_[static_cast<size_t>(node)] = inferred_parent(c);
        else ++tree_.roots;
        continue;
      }
      if (r.time == kNoTime) {
        parent_[static_cast<size_t>(node)] = inferred_parent(c);
        note(node, "time unknown: parent inferred, not looked up");
        continue;
      }
      auto [lo, hi] = range(by_pid_, r.host, r.ppid);
      const size_t k = after(by_pid_, lo, hi, r.time, true);  // first start later than c
      size_t j = k;
      while (j > lo && by_pid_[j - 1] == c) --j;
      if (j > lo) {
        const uint32_t p = by_pid_[j - 1];
        if (fits(p, c) && !ended_before(p, c)) {
          parent_[static_cast<size_t>(node)] = node_of_[p];
          ++tree_.by_pid;
          continue;
        }
      }
      bool found = false;
      int scanned = 0;
      for (size_t m = k; m < hi && scanned < kScanLimit && rows_[by_pid_[m]].time <= r.time + skew_; ++m, ++scanned) {
        if (fits(by_pid_[m], c)) {
          parent_[static_cast<size_t>(node)] = node_of_[by_pid_[m]];
          ++tree_.by_skew;
          found = true;
          break;
        }
      }
      if (!found) parent_[static_cast<size_t>(node)] = inferred_parent(c);
    }
  }

  void note(int64_t node, const char* text) {
    std::string& n = notes_[node];
    if (!n.empty()) n += "; ";
    n += text;
  }

  // The synthesized parent of start c: one per parent_guid, else per (host, ppid,
  // parent image) between two consecutive starts/exits of that pid.
  int64_t inferred_parent(uint32_t c) {
    const Row& r = rows_[c];
    const Event& e = ev_[c];
    std::string key = std::to_string(r.host) + '\x1f';
    if (!e.parent_guid.empty()) {
      key += 'g';
      key += e.parent_guid;
    } else {
      size_t generation = 0;
      if (r.time != kNoTime) {
        auto [lo, hi] = range(by_pid_, r.host, r.ppid);
        generation += after(by_pid_, lo, hi, r.time, true) - lo;
        auto [xlo, xhi] = range(exit_by_pid_, r.host, r.ppid);
        generation += after(exit_by_pid_, xlo, xhi, r.time - skew_, true) - xlo;
      }
      key += std::to_string(r.ppid) + '\x1f' + std::to_string(r.parent_image) + '\x1f' + std::to_string(generation);
    }
    auto [it, fresh] = inferred_.emplace(std::move(key), 0);
    if (fresh) {
      it->second = static_cast<int64_t>(starts_.size() + tree_.inferred_parents.size());
      InferredParent n;
      n.host = e.host;
      n.pid = e.ppid;
      n.image = e.parent_image;
      n.guid = e.parent_guid;
      tree_.inferred_parents.push_back(std::move(n));
      parent_.push_back(-1);
      ++tree_.inferred;
    }
    return it->second;
  }

  // ---- shape ------------------------------------------------------------------
  double node_time(int64_t n) const {
    return n < static_cast<int64_t>(starts_.size()) ? rows_[starts_[static_cast<size_t>(n)]].time : kNoTime;
  }

  // Walks every node up to a root or a node already placed, cutting cycles, and sets
  // depth and root. Each node is placed once; a cycle is walked again after its cut.
  void cut_cycles_and_depth() {
    std::vector<uint8_t> state;  // 0 new, 1 on the walk, 2 placed
    std::vector<int64_t> walk;
    for (size_t v = 0; v < parent_.size(); ++v) {
      state.resize(parent_.size(), 0);
      depth_.resize(parent_.size(), 0);
      root_.resize(parent_.size(), -1);
      if (state[v] == 2) continue;
      walk.clear();
      int64_t u = static_cast<int64_t>(v);
      while (u >= 0 && state[static_cast<size_t>(u)] == 0) {
        state[static_cast<size_t>(u)] = 1;
        walk.push_back(u);
        u = parent_[static_cast<size_t>(u)];
      }
      if (u >= 0 && state[static_cast<size_t>(u)] == 1) {
        // A cycle: walk[pos..] are its members. Cut the link that points forward in
        // time the most (the skew rule made it); ties: the latest child.
        size_t pos = walk.size();
        while (walk[pos - 1] != u) --pos;
        --pos;
        int64_t cut = walk[pos];
        for (size_t i = pos; i < walk.size(); ++i) {
          const int64_t x = walk[i];
          const double gap = node_time(parent_[static_cast<size_t>(x)]) - node_time(x);
          const double best = node_time(parent_[static_cast<size_t>(cut)]) - node_time(cut);
          if (gap > best || (gap == best && x > cut)) cut = x;
        }
        parent_[static_cast<size_t>(cut)] = inferred_parent(starts_[static_cast<size_t>(cut)]);
        note(cut, "parent link cut: it closed a cycle");
        ++tree_.cycles_cut;
        for (int64_t x : walk) state[static_cast<size_t>(x)] = 0;
        --v;  // walk from v again
        continue;
      }
      int32_t depth = u >= 0 ? depth_[static_cast<size_t>(u)] : -1;
      const int64_t root = u >= 0 ? root_[static_cast<size_t>(u)] : walk.back();
      for (size_t i = walk.size(); i-- > 0;) {
        const size_t x = static_cast<size_t>(walk[i]);
        depth_[x] = ++depth;
        root_[x] = root;
        state[x] = 2;
      }
    }
  }

  void order_depth_first() {
    const size_t total = parent_.size();
    // Children in node-id order (time order within a host), as CSR arrays.
    std::vector<uint32_t> first(total + 1, 0), kids;
    for (size_t v = 0; v < total; ++v)
      if (parent_[v] >= 0) ++first[static_cast<size_t>(parent_[v]) + 1];
    for (size_t v = 0; v < total; ++v) first[v + 1] += first[v];
    kids.resize(first[total]);
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (size_t v = 0; v < total; ++v)
      if (parent_[v] >= 0) kids[fill[static_cast<size_t>(parent_[v])]++] = static_cast<uint32_t>(v);

    // Roots by the first start they hold: a start root by itself, an inferred root by
    // its first child (ids are in host, time order).
    std::vector<std::pair<uint32_t, uint32_t>> roots;
    for (size_t v = 0; v < total; ++v) {
      if (parent_[v] >= 0) continue;
      const bool real = v < starts_.size();
      const uint32_t first_start = real || first[v] == first[v + 1] ? static_cast<uint32_t>(v) : kids[first[v]];
      roots.emplace_back(first_start, static_cast<uint32_t>(v));
    }
    std::sort(roots.begin(), roots.end());

    std::vector<int64_t> position(total, -1);
    std::vector<uint32_t> order;
    order.reserve(total);
    std::vector<uint32_t> stack;
    for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back(it->second);
    while (!stack.empty()) {
      const uint32_t v = stack.back();
      stack.pop_back();
      position[v] = static_cast<int64_t>(order.size());
      order.push_back(v);
      for (uint32_t k = first[v + 1]; k-- > first[v];) stack.push_back(kids[k]);
    }

    tree_.nodes.resize(total);
    for (size_t p = 0; p < total; ++p) {
      const uint32_t v = order[p];
      Node& n = tree_.nodes[p];
      if (v < starts_.size()) {
        n.event = starts_[v];
        set_exit_time(n, starts_[v]);
      } else {
        n.inferred = static_cast<uint32_t>(v - starts_.size() + 1);
      }
      n.parent = parent_[v] >= 0 ? position[static_cast<size_t>(parent_[v])] : -1;
      n.root = position[static_cast<size_t>(root_[v])];
      n.depth = depth_[v];
      n.leaf = first[v] == first[v + 1];
      std::string note;
      if (n.event >= 0) note = ev_[static_cast<size_t>(n.event)].note;
      auto note_it = notes_.find(v);
      if (note_it != notes_.end()) note += (note.empty() ? "" : "; ") + note_it->second;
      if (!note.empty()) tree_.notes.emplace(p, std::move(note));
    }
    number_duplicates(position);
  }

  // Nodes whose key text would be the same get dup = 1, 2, ... in a stable order:
  // starts by (host, pid, millisecond, input order), inferred parents depth-first.
  void number_duplicates(const std::vector<int64_t>& position) {
    std::vector<uint32_t> s(starts_.begin(), starts_.end());
    auto ms = [&](uint32_t i) {
      return rows_[i].time == kNoTime ? INT64_MAX : timefmt::epoch_ms_from_seconds(rows_[i].time);
    };
    auto same_key = [&](uint32_t a, uint32_t b) {
      return ev_[a].host == ev_[b].host && ev_[a].pid == ev_[b].pid && ms(a) == ms(b);
    };
    std::stable_sort(s.begin(), s.end(), [&](uint32_t a, uint32_t b) {
      const Row &x = rows_[a], &y = rows_[b];
      return std::make_tuple(x.host, x.has_pid, x.pid, ms(a)) < std::make_tuple(y.host, y.has_pid, y.pid, ms(b));
    });
    for (size_t k = 1; k < s.size(); ++k) {
      if (!same_key(s[k - 1], s[k])) continue;
      Node& prev = tree_.nodes[static_cast<size_t>(position[static_cast<size_t>(node_of_[s[k - 1]])])];
      tree_.nodes[static_cast<size_t>(position[static_cast<size_t>(node_of_[s[k]])])].dup = prev.dup + 1;
    }
    std::unordered_map<std::string, uint32_t> seen;
    for (Node& n : tree_.nodes) {
      if (!n.inferred) continue;
      const InferredParent& p = tree_.inferred_parents[n.inferred - 1];
      auto [it, fresh] = seen.emplace(p.host + '\x1f' + (p.pid ? std::to_string(*p.pid) : ""), 0);
      if (!fresh) n.dup = ++it->second;
    }
  }

  // The first exit of this start's pid after it and before the pid's next start.
  void set_exit_time(Node& n, uint32_t s) const {
    const Row& r = rows_[s];
    if (!r.has_pid || r.time == kNoTime) return;
    auto [lo, hi] = range(by_pid_, r.host, r.pid);
    double next = kNoTime;
    const size_t k = after(by_pid_, lo, hi, r.time, true);
    if (k < hi) next = rows_[by_pid_[k]].time;
    auto [xlo, xhi] = range(exit_by_pid_, r.host, r.pid);
    int scanned = 0;
    for (size_t x = after(exit_by_pid_, xlo, xhi, r.time, false); x < xhi && scanned < kScanLimit; ++x, ++scanned) {
      const Row& xr = rows_[exit_by_pid_[x]];
      if (xr.time >= next) break;
      if (images_fit(xr.image, r.image)) {
        n.exit_time = xr.time;
        n.has_exit = true;
        return;
      }
    }
  }

  const std::vector<Event>& ev_;
  double skew_;
  std::vector<Row> rows_;
  std::vector<uint32_t> starts_, exits_, by_pid_, exit_by_pid_;
  std::unordered_map<std::string_view, uint32_t> by_guid_;
  std::vector<int64_t> node_of_, parent_, root_;
  std::vector<int32_t> depth_;
  std::unordered_map<std::string, int64_t> inferred_;
  std::unordered_map<int64_t, std::string> notes_;
  Tree tree_;
};

}  // namespace

Tree build(const std::vector<Event>& events, const Options& options) {
  return Builder(events, options).run();
}

std::string key(const Tree& tree, const std::vector<Event>& events, size_t node) {
  const Node& n = tree.nodes[node];
  std::string out;
  if (n.inferred) {
    const InferredParent& p = tree.inferred_parents[n.inferred - 1];
    out = p.host + "|" + (p.pid ? std::to_string(*p.pid) : "") + "|?";
  } else {
    const Event& e = events[static_cast<size_t>(n.event)];
    out = e.host + "|" + (e.pid ? std::to_string(*e.pid) : "") + "|";
    if (e.time) out += timefmt::iso_from_epoch(*e.time);
  }
  if (n.dup) out += "#" + std::to_string(n.dup + 1);
  return out;
}

std::string path(const Tree& tree, size_t node) {
  size_t width = 1;
  for (size_t n = tree.nodes.size(); n >= 10; n /= 10) ++width;
  std::vector<size_t> chain;
  for (int64_t v = static_cast<int64_t>(node); v >= 0; v = tree.nodes[static_cast<size_t>(v)].parent)
    chain.push_back(static_cast<size_t>(v));
  std::string out;
  out.reserve(chain.size() * (width + 1));
  for (size_t i = chain.size(); i-- > 0;) {
    const std::string digits = std::to_string(chain[i]);
    out.append(width - digits.size(), '0');
    out += digits;
    if (i) out += '/';
  }
  return out;
}

}  // namespace sqlhunt::proctree
