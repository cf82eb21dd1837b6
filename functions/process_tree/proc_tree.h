// functions/process_tree/proc_tree.h — process-creation events linked into trees (pure
// C++; the SQL table is process_tree(sql), functions/process_tree/process_tree.h).
//
// Input: one Event per row of the caller's SELECT, process starts and (optionally)
// process exits. Output: one Node per start, plus one per parent that is not in the
// data but that children name ("inferred"), each with its parent, root, depth and a
// path, in depth-first order.
//
// How a start finds its parent (docs/process_trees.md has the reasoning):
//   1. parent_guid, when the row has one: the start whose guid it is (Sysmon's
//      ProcessGuid/ParentProcessGuid name processes uniquely, pid reuse or not).
//   2. Else an as-of join on (host, ppid): the latest start with pid = ppid on the
//      same host at or before the child's time. A pid names one live process at a
//      time, so that start is the only candidate; it is the parent unless
//        * its image differs from the child's parent_image (both known; compared by
//          file name, case-insensitively: Windows' 4688 ParentProcessName), or
//        * an exit of that pid (4689, Sysmon 5, exit_group) lies after its start and
//          more than `skew` before the child, or
//        * it has a guid of its own while the child names another parent_guid.
//      When there is no such start, or it is rejected, a start with pid = ppid
//      within `skew` AFTER the child is taken (logs of one host with clocks a few
//      ms apart, or events written out of order), if its image fits.
//   3. Else the parent is inferred: one synthesized node per (host, ppid, parent
//      image) between two consecutive starts/exits of that pid (so pid reuse never
//      merges two unknown parents), or per parent_guid.
// A start with neither ppid nor parent_guid is a root. Links that would close a cycle
// (only possible through the skew rule) are cut at the link that points forward in
// time, and the child gets an inferred parent instead; Tree::cycles_cut counts them.
//
// Cost: O(n log n) time (sorts and binary searches), O(n) memory; no pass over pairs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sqlhunt::proctree {

struct Event {
  std::string host;         // "" when the source has none (one host)
  std::optional<int64_t> pid, ppid;
  std::optional<double> time;  // epoch seconds
  std::string image, parent_image, guid, parent_guid;
  bool exit = false;        // a process exit, not a start
  std::string note;         // a problem the caller found reading the row (kept on its node)
};

// Nodes are stored depth-first, so a node's index is its position in that order.
// Keys and paths are derived on demand (key(), path()): stored per node they would
// cost O(n * depth) memory on a long chain, and tens of bytes a row on a flat one.
struct Node {
  int64_t event = -1;       // index of the start in the input; -1 for an inferred node
  int64_t parent = -1;      // node index, -1 for a root
  int64_t root = -1;        // node index of its root
  int32_t depth = 0;
  uint32_t inferred = 0;    // for an inferred node: 1 + its index in Tree::inferred_parents
  uint32_t dup = 0;         // k > 0: the (k+1)-th node with the same key, shown as "#k+1"
  bool leaf = true;
  double exit_time = 0;     // the exit event matched to this start, when has_exit
  bool has_exit = false;
};

// A parent the data does not have: what its children say of it.
struct InferredParent {
  std::string host, image, guid;  // image: the children's parent_image; guid: their parent_guid
  std::optional<int64_t> pid;
};

struct Options {
  double skew = 0.010;      // seconds of clock skew tolerated (see rule 2)
};

struct Tree {
  std::vector<Node> nodes;  // depth-first: each root, then its subtree; children by time
  std::vector<InferredParent> inferred_parents;
  std::unordered_map<size_t, std::string> notes;  // by node: why it is placed as it is
  uint64_t by_guid = 0, by_pid = 0, by_skew = 0, inferred = 0, roots = 0, cycles_cut = 0;
};

Tree build(const std::vector<Event>& events, const Options& options = {});

// host|pid|time (ISO with ms) of a start, host|pid|? of an inferred parent, with "#k"
// when k-1 nodes before it have the same text. `events` is the input build() had.
std::string key(const Tree& tree, const std::vector<Event>& events, size_t node);

// Ancestry of `node`: the depth-first positions of its root .. itself, zero-padded to
// the same width and joined by '/', so that ORDER BY path lists the tree depth-first.
std::string path(const Tree& tree, size_t node);

// The lower-case file name of an image path (after the last / or \).
std::string image_name(const std::string& image);

}  // namespace sqlhunt::proctree
