// functions/charts/tree.h — a tree drawn as an indented outline.
//
// Nodes name their parent by key (an adjacency list, what process_tree gives as
// proc_key / parent_key, or any hierarchy). Each node is one row, indented by its
// depth, joined to its parent by an elbow line; children come in the order they were
// given, so `ORDER BY path` (process_tree's depth-first order) or `ORDER BY time` is
// what the picture shows. A node is a root when its parent key is NULL, empty, or
// names no node given. Keys that repeat: the first node with the key is the parent of
// its children, the others are drawn where they belong but take none. A cycle (a
// parent chain that comes back to itself, only possible in hand-made input) is cut at
// the node given first, which is drawn as a root; nothing is dropped. At most
// kMaxTreeRows rows are drawn; the count of the others is written at the bottom.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sqlhunt::charts {

struct TreeNode {
  std::string key;
  std::string parent;   // empty: a root
  std::string label;
  bool mark = false;
};

inline constexpr size_t kMaxTreeRows = 2000;

std::string render_tree(const std::vector<TreeNode>& nodes);

// The depth-first order the tree is drawn in: (node index, depth) pairs, every node
// exactly once. Exposed for tests.
std::vector<std::pair<size_t, size_t>> tree_order(const std::vector<TreeNode>& nodes);

}  // namespace sqlhunt::charts
