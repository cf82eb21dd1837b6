#include "functions/charts/tree.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "functions/charts/svg.h"

namespace sqlhunt::charts {
namespace {

constexpr double kRow = 18;
constexpr double kIndent = 18;
constexpr size_t kMaxLabel = 140;
constexpr size_t kNone = static_cast<size_t>(-1);

}  // namespace

std::vector<std::pair<size_t, size_t>> tree_order(const std::vector<TreeNode>& nodes) {
  const size_t n = nodes.size();
  std::unordered_map<std::string_view, size_t> first;
  first.reserve(n);
  for (size_t i = 0; i < n; ++i) first.emplace(nodes[i].key, i);

  std::vector<size_t> parent(n, kNone);
  for (size_t i = 0; i < n; ++i) {
    if (nodes[i].parent.empty()) continue;
    auto it = first.find(nodes[i].parent);
    if (it != first.end() && it->second != i) parent[i] = it->second;
  }
  // Cut cycles: walk each chain once; a node met again on the walk in progress closes
  // a cycle, which is cut at the cycle's node given first.
  std::vector<uint8_t> state(n, 0);  // 0 unseen, 1 on the current walk, 2 done
  std::vector<size_t> walk;
  for (size_t i = 0; i < n; ++i) {
    walk.clear();
    size_t v = i;
    while (v != kNone && state[v] == 0) {
      state[v] = 1;
      walk.push_back(v);
      v = parent[v];
    }
    if (v != kNone && state[v] == 1) {  // a cycle through v
      auto from = std::find(walk.begin(), walk.end(), v);
      parent[*std::min_element(from, walk.end())] = kNone;
    }
    for (size_t w : walk) state[w] = 2;
  }

  // Children in input order (index order), then an iterative depth-first walk.
  std::vector<size_t> child_count(n + 1, 0);
  for (size_t i = 0; i < n; ++i)
    if (parent[i] != kNone) ++child_count[parent[i] + 1];
  for (size_t i = 1; i <= n; ++i) child_count[i] += child_count[i - 1];
  std::vector<size_t> children(child_count[n]);
  std::vector<size_t> fill(child_count.begin(), child_count.end() - 1);
  for (size_t i = 0; i < n; ++i)
    if (parent[i] != kNone) children[fill[parent[i]]++] = i;

  std::vector<std::pair<size_t, size_t>> order;
  order.reserve(n);
  std::vector<std::pair<size_t, size_t>> stack;  // (node, depth)
  for (size_t root = 0; root < n; ++root) {
    if (parent[root] != kNone) continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto [v, d] = stack.back();
      stack.pop_back();
      order.push_back({v, d});
      for (size_t k = child_count[v + 1]; k > child_count[v]; --k) stack.push_back({children[k - 1], d + 1});
    }
  }
  return order;
}

std::string render_tree(const std::vector<TreeNode>& nodes) {
  if (nodes.empty()) return empty_chart("tree", "no nodes");
  const auto order = tree_order(nodes);
  const size_t shown = std::min(order.size(), kMaxTreeRows);

  std::vector<std::string> labels(shown);
  double width = 200;
  for (size_t r = 0; r < shown; ++r) {
    labels[r] = shorten(nodes[order[r].first].label, kMaxLabel);
    width = std::max(width, 16 + kIndent * static_cast<double>(order[r].second) + 12 + mono_width(labels[r]) + 16);
  }
  width = std::min(width, 1600.0);
  const double height = 10 + kRow * static_cast<double>(shown) + (shown < order.size() ? kRow : 0) + 6;

  size_t roots = 0;
  for (size_t r = 0; r < order.size(); ++r) roots += order[r].second == 0;
  Svg svg("tree", width, height,
          "Tree: " + std::to_string(nodes.size()) + " nodes, " + std::to_string(roots) + " roots");

  // Elbows: from each row's parent row down to it. The parent is the nearest row above
  // with depth one less (depth-first order).
  std::vector<size_t> last_at_depth;
  svg.raw("<g class=\"edges\" fill=\"none\" stroke=\"#aaa\" stroke-width=\"1\">");
  for (size_t r = 0; r < shown; ++r) {
    const size_t d = order[r].second;
    if (last_at_depth.size() <= d) last_at_depth.resize(d + 1, 0);
    last_at_depth[d] = r;
    if (d == 0) continue;
    const size_t p = last_at_depth[d - 1];
    const double px = 16 + kIndent * static_cast<double>(d - 1) + 4;
    const double py = 10 + kRow * static_cast<double>(p) + 9 + 5;
    const double cy = 10 + kRow * static_cast<double>(r) + 9;
    svg.raw("<path d=\"M").num(px).raw(" ").num(py).raw("V").num(cy).raw("h").num(kIndent - 8).raw("\"/>");
  }
  svg.raw("</g>");

  for (size_t r = 0; r < shown; ++r) {
    const TreeNode& node = nodes[order[r].first];
    const double x = 16 + kIndent * static_cast<double>(order[r].second);
    const double cy = 10 + kRow * static_cast<double>(r) + 9;
    svg.raw("<g class=\"node").raw(node.mark ? " marked" : "").raw("\"><title>").text(node.label).raw("</title>");
    svg.raw("<circle cx=\"").num(x + 4).raw("\" cy=\"").num(cy).raw("\" r=\"3.5\" fill=\"")
        .raw(node.mark ? kMarkColour : "#4e79a7").raw("\"/>");
    svg.raw("<text x=\"").num(x + 12).raw("\" y=\"").num(cy + 4).raw("\" font-family=\"").text(kMonoFont).raw("\"");
    if (node.mark) svg.raw(" fill=\"").raw(kMarkColour).raw("\" font-weight=\"600\"");
    svg.raw(">").text(labels[r]).raw("</text></g>");
  }
  if (shown < order.size())
    svg.label(16, 10 + kRow * static_cast<double>(shown) + 12,
              std::to_string(order.size() - shown) + " more nodes not drawn (at most " +
                  std::to_string(kMaxTreeRows) + ")",
              "fill=\"#777\" class=\"note\"");
  return svg.finish();
}

}  // namespace sqlhunt::charts
