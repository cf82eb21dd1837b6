// libFuzzer target for functions/process_tree/proc_tree: any set of starts and exits
// (pids, times, images, guids, hosts drawn from the input bytes, so collisions, pid
// reuse, skew and cycles are common) builds a forest: every node but a root has a
// parent placed before it (depth-first order), depths follow parents, each start is
// a node once, and keys and paths can be formed for every node.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "functions/process_tree/proc_tree.h"

using sqlhunt::proctree::Event;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<Event> ev;
  size_t starts = 0;
  for (size_t i = 0; i + 6 <= size && ev.size() < 4096; i += 6) {
    const uint8_t* b = data + i;
    Event e;
    e.host = std::string(1, static_cast<char>('a' + (b[0] & 1)));
    if (!(b[0] & 2)) e.pid = b[1] & 15;
    if (!(b[0] & 4)) e.ppid = b[2] & 15;
    if (!(b[0] & 8)) e.time = (b[3] | (b[4] << 8)) * 0.001;  // steps of 1 ms: skew collisions
    e.exit = (b[0] & 0x30) == 0x30;
    e.image = b[5] & 1 ? "A.exe" : "b.exe";
    if (b[5] & 2) e.parent_image = b[5] & 4 ? "a.EXE" : "B.exe";
    if (b[5] & 8) e.guid = std::string(1, static_cast<char>('0' + (b[1] >> 4)));
    if (b[5] & 16) e.parent_guid = std::string(1, static_cast<char>('0' + (b[2] >> 4)));
    if (b[5] & 32) e.note = "x";
    starts += !e.exit;
    ev.push_back(std::move(e));
  }
  sqlhunt::proctree::Options opt;
  opt.skew = size ? (data[0] >> 6) * 0.004 : 0.01;
  const auto tree = sqlhunt::proctree::build(ev, opt);
  std::vector<int> seen(ev.size(), 0);
  size_t real = 0;
  for (size_t n = 0; n < tree.nodes.size(); ++n) {
    const auto& node = tree.nodes[n];
    if (node.event >= 0) {
      if (static_cast<size_t>(node.event) >= ev.size() || ev[static_cast<size_t>(node.event)].exit) std::abort();
      if (seen[static_cast<size_t>(node.event)]++) std::abort();
      ++real;
    } else if (node.inferred == 0 || node.inferred > tree.inferred_parents.size()) {
      std::abort();
    }
    if (node.parent >= static_cast<int64_t>(n)) std::abort();
    if (node.parent < 0 ? node.depth != 0 : node.depth != tree.nodes[static_cast<size_t>(node.parent)].depth + 1)
      std::abort();
    if (node.root < 0 || node.root > static_cast<int64_t>(n)) std::abort();
    if (sqlhunt::proctree::key(tree, ev, n).empty() || sqlhunt::proctree::path(tree, n).empty()) std::abort();
  }
  if (real != starts) std::abort();
  return 0;
}
