// process_tree's linking (functions/process_tree/proc_tree), without SQLite.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "functions/process_tree/proc_tree.h"

using sqlhunt::proctree::build;
using sqlhunt::proctree::Event;
using sqlhunt::proctree::Tree;

namespace {

Event start(const std::string& host, int64_t pid, int64_t ppid, double t, const std::string& image = "",
            const std::string& parent_image = "") {
  Event e;
  e.host = host;
  e.pid = pid;
  e.ppid = ppid;
  e.time = t;
  e.image = image;
  e.parent_image = parent_image;
  return e;
}

Event stop(const std::string& host, int64_t pid, double t, const std::string& image = "") {
  Event e = start(host, pid, 0, t, image);
  e.ppid.reset();  // exit rows carry no parent
  e.exit = true;
  return e;
}

// Parent of each input start, as the input index of the parent start, or -1 for a
// root and -2 for an inferred parent.
std::map<int64_t, int64_t> parents(const Tree& t) {
  std::map<int64_t, int64_t> out;
  for (const auto& n : t.nodes) {
    if (n.event < 0) continue;
    if (n.parent < 0) out[n.event] = -1;
    else out[n.event] = t.nodes[static_cast<size_t>(n.parent)].event < 0 ? -2 : t.nodes[static_cast<size_t>(n.parent)].event;
  }
  return out;
}

}  // namespace

TEST(ProcessTree, LinksByPidAsOf) {
  std::vector<Event> ev = {
      start("h", 100, 1, 10.0, "/bin/bash"),
      start("h", 200, 100, 11.0, "/bin/ls"),
      start("h", 201, 100, 12.0, "/bin/cat"),
      start("h", 300, 201, 12.5, "/bin/grep"),
  };
  const Tree t = build(ev);
  EXPECT_EQ(parents(t), (std::map<int64_t, int64_t>{{0, -2}, {1, 0}, {2, 0}, {3, 2}}));
  ASSERT_EQ(t.nodes.size(), 5u);  // + the inferred parent of bash (pid 1)
  EXPECT_EQ(t.nodes[0].event, -1);
  EXPECT_EQ(t.inferred_parents.at(0).pid, 1);
  EXPECT_EQ(sqlhunt::proctree::key(t, ev, 0), "h|1|?");
  EXPECT_EQ(sqlhunt::proctree::key(t, ev, 1), "h|100|1970-01-01T00:00:10.000Z");
  // Depth-first, children by time: 1, bash, ls, cat, grep.
  EXPECT_EQ(t.nodes[2].event, 1);
  EXPECT_EQ(t.nodes[4].event, 3);
  EXPECT_EQ(t.nodes[4].depth, 3);
  EXPECT_EQ(sqlhunt::proctree::path(t, 4), "0/1/3/4");
  EXPECT_TRUE(t.nodes[2].leaf);
  EXPECT_FALSE(t.nodes[3].leaf);
  EXPECT_EQ(t.nodes[4].root, 0);
  EXPECT_EQ(t.inferred, 1u);
  EXPECT_EQ(t.by_pid, 3u);
}

TEST(ProcessTree, PidReuseTakesTheLatestEarlierStart) {
  std::vector<Event> ev = {
      start("h", 500, 1, 10.0, "a"),  // first holder of pid 500
      start("h", 600, 500, 11.0),      // its child
      start("h", 500, 1, 20.0, "b"),  // pid 500 reused
      start("h", 601, 500, 21.0),      // child of the second holder
  };
  EXPECT_EQ(parents(build(ev))[1], 0);
  EXPECT_EQ(parents(build(ev))[3], 2);
}

TEST(ProcessTree, HostsAreSeparate) {
  std::vector<Event> ev = {start("a", 100, 1, 10.0), start("b", 100, 1, 10.5), start("b", 200, 100, 11.0)};
  EXPECT_EQ(parents(build(ev))[2], 1);
}

TEST(ProcessTree, WindowsImageMustMatch) {
  std::vector<Event> ev = {
      start("w", 0x100, 4, 10.0, "C:\\Windows\\explorer.exe"),
      start("w", 0x200, 0x100, 11.0, "C:\\Windows\\System32\\cmd.exe", "C:\\WINDOWS\\Explorer.EXE"),
      start("w", 0x300, 0x100, 12.0, "C:\\x.exe", "C:\\Windows\\System32\\svchost.exe"),
  };
  const Tree t = build(ev);
  const auto p = parents(t);
  EXPECT_EQ(p.at(1), 0);   // file names match, case aside
  EXPECT_EQ(p.at(2), -2);  // pid 0x100 is explorer, not svchost: an unknown parent
  bool found = false;
  for (const auto& n : t.inferred_parents)
    if (n.image == "C:\\Windows\\System32\\svchost.exe") found = n.pid == 0x100;
  EXPECT_TRUE(found);
}

TEST(ProcessTree, ExitEndsAParentsLife) {
  std::vector<Event> ev = {
      start("h", 100, 1, 10.0, "sh"),
      stop("h", 100, 15.0, "sh"),
      start("h", 200, 100, 20.0, "x"),  // after the exit: pid 100 is someone we have not seen
      start("h", 201, 100, 14.999, "y"),  // before it: sh
      start("h", 202, 100, 15.005, "z"),  // 5 ms after the exit: within skew, still sh
  };
  const Tree t = build(ev);
  const auto p = parents(t);
  EXPECT_EQ(p.at(2), -2);
  EXPECT_EQ(p.at(3), 0);
  EXPECT_EQ(p.at(4), 0);
  for (const auto& n : t.nodes)
    if (n.event == 0) {
      ASSERT_TRUE(n.has_exit);
      EXPECT_EQ(n.exit_time, 15.0);
    }
  EXPECT_EQ(t.nodes.size(), 6u);  // 4 starts (exits are no nodes) + inferred pid 1 and pid 100 (after the exit)
}

TEST(ProcessTree, ClockSkewOfAFewMilliseconds) {
  std::vector<Event> ev = {
      start("h", 200, 100, 10.000, "child"),
      start("h", 100, 1, 10.004, "parent"),  // logged 4 ms after its child
  };
  EXPECT_EQ(parents(build(ev))[0], 1);
  sqlhunt::proctree::Options strict;
  strict.skew = 0;
  EXPECT_EQ(parents(build(ev, strict))[0], -2);
  // An earlier holder of the pid that fits is preferred to a skewed one.
  ev.push_back(start("h", 100, 1, 5.0, "parent"));
  EXPECT_EQ(parents(build(ev))[0], 2);
}

TEST(ProcessTree, GuidsWin) {
  Event a = start("s", 100, 4, 10.0, "a.exe");
  a.guid = "{A}";
  Event b = start("s", 100, 4, 11.0, "b.exe");  // pid reused, later
  b.guid = "{B}";
  Event c = start("s", 300, 100, 12.0, "c.exe");
  c.parent_guid = "{A}";  // by pid it would be b
  Event d = start("s", 301, 100, 12.0, "d.exe");
  d.parent_guid = "{X}";  // not in the data: inferred, not b (b has another guid)
  const Tree t = build({a, b, c, d});
  const auto p = parents(t);
  EXPECT_EQ(p.at(2), 0);
  EXPECT_EQ(p.at(3), -2);
  EXPECT_EQ(t.by_guid, 1u);
}

TEST(ProcessTree, InferredParentsAreSharedAndSplitByPidGenerations) {
  std::vector<Event> ev = {
      start("h", 10, 999, 1.0), start("h", 11, 999, 2.0),  // one unknown 999
      stop("h", 999, 3.0),
      start("h", 12, 999, 4.0),                              // another unknown 999
      start("h", 13, 998, 4.0),
  };
  const Tree t = build(ev);
  EXPECT_EQ(t.inferred, 3u);
  std::map<std::string, int> children;
  for (const auto& n : t.nodes)
    if (n.parent >= 0) ++children[sqlhunt::proctree::key(t, ev, static_cast<size_t>(n.parent))];
  EXPECT_EQ(children["h|999|?"], 2);
  EXPECT_EQ(children["h|999|?#2"], 1);
  EXPECT_EQ(children["h|998|?"], 1);
}

TEST(ProcessTree, CyclesAreCut) {
  // With skew, 100's parent is 200 and 200's parent is 100 (each logged 1 ms apart).
  std::vector<Event> ev = {start("h", 100, 200, 10.000), start("h", 200, 100, 10.001)};
  const Tree t = build(ev);
  EXPECT_EQ(t.cycles_cut, 1u);
  for (const auto& n : t.nodes) EXPECT_LE(n.depth, 2);
  ASSERT_EQ(t.notes.size(), 1u);
  EXPECT_EQ(t.notes.begin()->second, "parent link cut: it closed a cycle");
}

TEST(ProcessTree, RowsWithoutPpidOrTime) {
  Event root = start("h", 1, 0, 1.0);
  root.ppid.reset();
  Event untimed = start("h", 5, 1, 0);
  untimed.time.reset();
  const Tree t = build({root, untimed});
  EXPECT_EQ(t.roots, 1u);
  EXPECT_EQ(parents(t).at(1), -2);
}

TEST(ProcessTree, DuplicateStartsGetDistinctKeys) {
  const std::vector<Event> ev = {start("h", 7, 1, 1.0), start("h", 7, 1, 1.0004)};  // the same ms
  const Tree t = build(ev);
  ASSERT_EQ(t.nodes.size(), 3u);
  EXPECT_EQ(sqlhunt::proctree::key(t, ev, 1), "h|7|1970-01-01T00:00:01.000Z");
  EXPECT_EQ(sqlhunt::proctree::key(t, ev, 2), "h|7|1970-01-01T00:00:01.000Z#2");
}

TEST(ProcessTree, AMillionRowsInLinearMemory) {
  // 1,000,000 starts: 1,000 long chains and pid reuse every 50,000 pids. Memory is
  // checked through the peak RSS growth, time by the test's own timeout.
  auto rss_kb = [] {
    std::ifstream f("/proc/self/status");
    std::string key;
    long kb = 0;
    while (f >> key)
      if (key == "VmRSS:" && (f >> kb)) break;
    return kb;
  };
#if defined(__SANITIZE_ADDRESS__)
  const size_t n = 200000;  // the sanitizers' bookkeeping makes the million slow, not different
#else
  const size_t n = 1000000;
#endif
  std::vector<Event> ev;
  ev.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t pid = static_cast<int64_t>(i % 50000) + 2;
    const int64_t ppid = i < 1000 ? 1 : static_cast<int64_t>((i - 1000) % 50000) + 2;
    ev.push_back(start("h", pid, ppid, static_cast<double>(i) * 0.001));
  }
  const long before = rss_kb();
  const Tree t = build(ev);
  const long grown = rss_kb() - before;
  ASSERT_EQ(t.nodes.size(), n + 1);  // + the inferred pid 1
  int32_t deepest = 0;
  for (const auto& node : t.nodes) deepest = std::max(deepest, node.depth);
  EXPECT_EQ(deepest, static_cast<int32_t>(n / 1000));
  EXPECT_EQ(t.by_pid, n - 1000);
  // A node is 48 bytes; the builder's sorted indexes and per-row state are freed.
  // (Not under ASan: its quarantine keeps freed blocks resident, so RSS measures them.)
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(grown, static_cast<long>(n * 120 / 1024));
#else
  (void)grown;
#endif
}
