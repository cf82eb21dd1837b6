// cmdline_pattern's scanner and DBSCAN (functions/clustering), without SQLite.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/interrupt.h"
#include "functions/clustering/dbscan.h"
#include "functions/clustering/pattern.h"

using sqlhunt::clustering::dbscan;
using sqlhunt::clustering::dbscan_brute_force;
using sqlhunt::clustering::DbscanResult;
using sqlhunt::clustering::pattern;
using sqlhunt::clustering::Scale;

// ---- cmdline_pattern ---------------------------------------------------------------

TEST(Pattern, DocumentedExamples) {
  EXPECT_EQ(pattern("sleep 5"), "sleep <NUM>");
  EXPECT_EQ(pattern("Failed password for root from 61.184.247.3 port 4242 ssh2"),
            "Failed password for <USER> from <IP> port <NUM> ssh2");
  EXPECT_EQ(pattern("C:\\Users\\alice\\AppData\\Local\\Temp\\tmp8f3a.ps1"),
            "C:\\Users\\<USER>\\AppData\\Local\\Temp\\<TMP>.ps1");
}

TEST(Pattern, Numbers) {
  EXPECT_EQ(pattern("cat /proc/12345/status"), "cat /proc/<NUM>/status");
  EXPECT_EQ(pattern("Detected 731.219 MHz processor."), "Detected <NUM> MHz processor.");
  EXPECT_EQ(pattern("Linux version 2.6.5-1.358"), "Linux version <NUM>-<NUM>");
  EXPECT_EQ(pattern("timeout 100ms 1.5GB"), "timeout <NUM>ms <NUM>GB");
  EXPECT_EQ(pattern("sshd[24200]: x"), "sshd[<NUM>]: x");
  // Short digit runs glued to letters are part of names; long ones are numbers.
  EXPECT_EQ(pattern("python3 ssh2 sha256 x86 Win32 tty2 KB4023057 CT_602681692"),
            "python3 ssh2 sha256 x86 Win32 tty2 KB<NUM> CT_<NUM>");
}

TEST(Pattern, ShellSyntaxIsNotAValue) {
  EXPECT_EQ(pattern("/opt/x >/dev/null 2>&1; a 2>/dev/null"), "/opt/x >/dev/null 2>&1; a 2>/dev/null");
  EXPECT_EQ(pattern("awk '{print $1 \" \" $12}'"), "awk '{print $1 \" \" $12}'");
  EXPECT_EQ(pattern("ip -4 -a -o address; head -20 x"), "ip -4 -a -o address; head -<NUM> x");
}

TEST(Pattern, HexGuidSidId) {
  EXPECT_EQ(pattern("conhost.exe 0xffffffff -ForceV1"), "conhost.exe <HEX> -ForceV1");
  EXPECT_EQ(pattern("logon 0x3e7"), "logon <HEX>");
  EXPECT_EQ(pattern("md5 d41d8cd98f00b204e9800998ecf8427e"), "md5 <HEX>");
  EXPECT_EQ(pattern("words facade decade stay"), "words facade decade stay");  // no digit: a word
  EXPECT_EQ(pattern("{7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}"), "{<GUID>}");
  EXPECT_EQ(pattern("/id 7c5a40ef-a0fb-4bfc-874a-c0f2e0b9fa8e/x"), "/id <GUID>/x");
  EXPECT_EQ(pattern("S-1-5-21-3623811015-3361044348-30300820-1013 S-1-5-18"), "<SID> <SID>");
  EXPECT_EQ(pattern("session a8d9f0kXq2 Rfc2898DeriveBytes"), "session <ID> Rfc<NUM>DeriveBytes");
}

TEST(Pattern, Addresses) {
  EXPECT_EQ(pattern("connect 10.0.0.1:8080 and 10.0.0.0/8."), "connect <IP>:<NUM> and <IP>/<NUM>.");
  EXPECT_EQ(pattern("from fe80::1%eth0 and ::1 and [2001:db8::2]:22"), "from <IP> and <IP> and [<IP>]:<NUM>");
  EXPECT_EQ(pattern("mac 00:15:5d:01:02:03 00-15-5D-01-02-03"), "mac <MAC> <MAC>");
  EXPECT_EQ(pattern("999.1.1.1"), "<NUM>");  // no address: a dotted number
  EXPECT_EQ(pattern("rhost=220-135-151-1.hinet-ip.hinet.net user=root"), "rhost=<HOST> user=<USER>");
  EXPECT_EQ(pattern("python3 setup.py install; bash run.sh"), "python3 setup.py install; bash run.sh");
  EXPECT_EQ(pattern("curl http://evil.example.com:8080/a/b?x=1"), "curl http://<HOST>:<NUM>/a/b?x=<NUM>");
  EXPECT_EQ(pattern("wget https://1.2.3.4/x.sh"), "wget https://<IP>/x.sh");
  EXPECT_EQ(pattern("mail bob.smith@example.org"), "mail <EMAIL>");
  EXPECT_EQ(pattern("ssh root@10.1.2.3"), "ssh root@<IP>");
}

TEST(Pattern, Times) {
  EXPECT_EQ(pattern("at 2019-01-15T05:24:24.010Z x"), "at <TIME> x");
  EXPECT_EQ(pattern("at 2019-01-15 05:24:24.010 x"), "at <TIME> x");
  EXPECT_EQ(pattern("Jun 14 15:16:01 combo sshd"), "<TIME> combo sshd");
  EXPECT_EQ(pattern("at Fri Jun 17 07:07:00 2005"), "at <TIME>");
  EXPECT_EQ(pattern("at Sun Jul  3 10:05:25 2005"), "at <TIME>");
  EXPECT_EQ(pattern("#1 Sat May 8 09:25:42 EDT 2004"), "#<NUM> <TIME>");
  EXPECT_EQ(pattern("[15/Jan/2019:05:24:24 +0000] GET"), "[<TIME>] GET");
  EXPECT_EQ(pattern("on 1/15/2019 and 15.01.2019 and 2019/01/15"), "on <TIME> and <TIME> and <TIME>");
  EXPECT_EQ(pattern("took 12:30"), "took <TIME>");
  EXPECT_EQ(pattern("May I go"), "May I go");  // a month word alone is a word
}

TEST(Pattern, UserAndTempPaths) {
  EXPECT_EQ(pattern("/home/bob/.ssh/id_rsa /Users/amy/x /root/y"), "/home/<USER>/.ssh/id_rsa /Users/<USER>/x /root/y");
  EXPECT_EQ(pattern("C:\\Users\\Public\\x.exe C:\\Users\\Default\\y"), "C:\\Users\\Public\\x.exe C:\\Users\\Default\\y");
  EXPECT_EQ(pattern("/tmp/tmp.Xa8d9f0kq/run.sh /var/tmp/abc /dev/shm/zz.so"),
            "/tmp/<TMP>/run.sh /var/tmp/<TMP> /dev/shm/<TMP>.so");
  EXPECT_EQ(pattern("%TEMP%\\x1.bat C:\\Windows\\Temp\\{AB}"), "%TEMP%\\<TMP>.bat C:\\Windows\\Temp\\{AB}");
  EXPECT_EQ(pattern("session opened for user cyrus by (uid=0)"), "session opened for user <USER> by (uid=<NUM>)");
  EXPECT_EQ(pattern("Invalid user admin from 1.2.3.4"), "Invalid user <USER> from <IP>");
  EXPECT_EQ(pattern("check pass; user unknown"), "check pass; user unknown");
  EXPECT_EQ(pattern("net user alice P4ss /add"), "net user <USER> P4ss /add");
  // A key naming an account: its value.
  EXPECT_EQ(pattern("x user=root ruser= rhost=h acct=\"alice\" logname="), "x user=<USER> ruser= rhost=h acct=\"<USER>\" logname=");
  // sshd's "<method> for <account> from"; "invalid" there is not the account.
  EXPECT_EQ(pattern("Accepted publickey for git from 10.0.0.1 port 22 ssh2"), "Accepted publickey for <USER> from <IP> port <NUM> ssh2");
  EXPECT_EQ(pattern("Failed none for invalid user x from ::1"), "Failed none for invalid user <USER> from <IP>");
  EXPECT_EQ(pattern("waiting for data from x"), "waiting for data from x");
}

TEST(Pattern, Base64) {
  const std::string enc = "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA";
  EXPECT_EQ(pattern("powershell.exe -nop -enc " + enc), "powershell.exe -nop -enc <B64>");
  EXPECT_EQ(pattern("/usr/lib/x86_64-linux-gnu/libQt5Core.so.5"), "/usr/lib/x86_<NUM>-linux-gnu/libQt5Core.so.<NUM>");
}

TEST(Pattern, KeepsTextAndWhitespace) {
  EXPECT_EQ(pattern(""), "");
  EXPECT_EQ(pattern("  a\tb  "), "  a\tb  ");
  EXPECT_EQ(pattern("rhost=<HOST>  user=<USER>"), "rhost=<HOST>  user=<USER>");
}

TEST(Pattern, Idempotent) {
  for (const char* s : {"connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005",
                        "C:\\Users\\alice\\AppData\\Local\\Temp\\tmp8f3a.ps1 -id {7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E}",
                        "2019-01-15 05:24:24 sleep 5 0x3e7 S-1-5-21-1-2-3 /tmp/x/y user bob"}) {
    const std::string once = pattern(s);
    EXPECT_EQ(pattern(once), once) << s;
  }
}

TEST(Pattern, AlwaysValidUtf8) {
  EXPECT_EQ(pattern("caf\xc3\xa9 12"), "caf\xc3\xa9 <NUM>");
  EXPECT_EQ(pattern("bad \xff byte 7"), "bad \xef\xbf\xbd byte <NUM>");
  EXPECT_EQ(pattern(std::string("nul\0here 5", 10)), std::string("nul\0here <NUM>", 14));
}

// ---- DBSCAN ------------------------------------------------------------------------

// Labels equal up to renumbering (a bijection between cluster ids), noise equal.
void expect_same_clustering(const DbscanResult& a, const DbscanResult& b) {
  ASSERT_EQ(a.label.size(), b.label.size());
  EXPECT_EQ(a.core, b.core);
  std::map<int64_t, int64_t> ab, ba;
  for (size_t i = 0; i < a.label.size(); ++i) {
    ASSERT_EQ(a.label[i] < 0, b.label[i] < 0) << "row " << i;
    if (a.label[i] < 0) continue;
    auto [x, fresh] = ab.emplace(a.label[i], b.label[i]);
    EXPECT_EQ(x->second, b.label[i]) << "row " << i;
    auto [y, fresh2] = ba.emplace(b.label[i], a.label[i]);
    EXPECT_EQ(y->second, a.label[i]) << "row " << i;
  }
}

TEST(Dbscan, EqualsBruteForceOnRandomInputs) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 40; ++round) {
    const size_t dims = 1 + round % 4, n = 50 + static_cast<size_t>(rng() % 400);
    std::normal_distribution<double> blob(0, 0.3);
    std::uniform_real_distribution<double> anywhere(-5, 5);
    std::vector<double> x;
    for (size_t i = 0; i < n; ++i) {
      const double centre = static_cast<double>(i % 4) * 2.0;
      for (size_t d = 0; d < dims; ++d) x.push_back(i % 7 == 0 ? anywhere(rng) : centre + blob(rng));
    }
    const double eps = 0.1 + 0.1 * (round % 5);
    const size_t min_samples = 1 + round % 6;
    const auto fast = dbscan(x, dims, eps, min_samples);
    const auto slow = dbscan_brute_force(x, dims, eps, min_samples);
    // Same definition and the same expansion order: identical, numbering included.
    EXPECT_EQ(fast.label, slow.label) << "round " << round;
    EXPECT_EQ(fast.core, slow.core) << "round " << round;
    EXPECT_EQ(fast.size, slow.size) << "round " << round;
    EXPECT_LE(fast.queries, 2 * n);
  }
}

TEST(Dbscan, DistanceExactlyEpsIsANeighbour) {
  // Grid points 1 apart: with eps = 1 each inner point has 5 neighbours (itself + 4).
  std::vector<double> x;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) x.insert(x.end(), {double(i), double(j)});
  const auto r = dbscan(x, 2, 1.0, 5);
  const auto b = dbscan_brute_force(x, 2, 1.0, 5);
  EXPECT_EQ(r.core, b.core);
  EXPECT_EQ(r.core[6], 1);  // (1,1): inner
  EXPECT_EQ(r.core[0], 0);  // (0,0): corner, 3 neighbours
  EXPECT_EQ(r.label, b.label);
}

TEST(Dbscan, BorderPointGoesToTheFirstSeededCluster) {
  // Two dense groups and one point between them, within eps of a core point of each,
  // not a core point itself: it joins the cluster seeded first (input order).
  std::vector<double> x = {0, 0.1, 0.2, 0.3, 1.0, 1.7, 1.8, 1.9, 2.0};
  const auto r = dbscan(x, 1, 0.75, 4);
  EXPECT_EQ(r.core[4], 0);
  EXPECT_EQ(r.label[4], r.label[0]);
  EXPECT_NE(r.label[0], r.label[8]);
  // Reversed input: the other cluster is seeded first and takes it.
  std::vector<double> rev(x.rbegin(), x.rend());
  const auto s = dbscan(rev, 1, 0.75, 4);
  EXPECT_EQ(s.label[4], s.label[0]);
}

TEST(Dbscan, NoiseAndSizes) {
  std::vector<double> x = {0, 0, 0, 0.1, 0.1, 0, 5, 5, 5, 5.1, 9, 0};
  const auto r = dbscan(x, 2, 0.5, 2);
  EXPECT_EQ(r.label, (std::vector<int64_t>{0, 0, 0, 1, 1, -1}));
  EXPECT_EQ(r.size, (std::vector<int64_t>{3, 2}));
  EXPECT_TRUE(dbscan({}, 2, 0.5, 2).label.empty());
}

TEST(Dbscan, CtrlCStopsIt) {
  // Every row within eps of every other: each query returns them all.
  const std::vector<double> x(2000, 1.0);
  namespace interrupt = sqlhunt::interrupt;
  interrupt::scan_opened();
  interrupt::raise_for_test();
  EXPECT_THROW(dbscan(x, 1, 1.0, 2), sqlhunt::Error);
  interrupt::scan_closed();  // the last scan closing clears the request
  EXPECT_EQ(dbscan(x, 1, 1.0, 2).size, std::vector<int64_t>{2000});
}

TEST(Dbscan, Scaling) {
  std::vector<double> x = {1, 10, 3, 10, 5, 10};
  auto s = x;
  sqlhunt::clustering::scale(s, 2, Scale::kStandard);
  const double sd = std::sqrt(8.0 / 3.0);
  EXPECT_NEAR(s[0], -2 / sd, 1e-12);
  EXPECT_EQ(s[1], 0);  // a constant column becomes 0
  s = x;
  sqlhunt::clustering::scale(s, 2, Scale::kMinMax);
  EXPECT_EQ(s, (std::vector<double>{0, 0, 0.5, 0, 1, 0}));
  s = {3, 4, 0, 0};
  sqlhunt::clustering::scale(s, 2, Scale::kUnit);
  EXPECT_EQ(s, (std::vector<double>{0.6, 0.8, 0, 0}));
  EXPECT_EQ(sqlhunt::clustering::scale_from_name("MinMax"), Scale::kMinMax);
  EXPECT_FALSE(sqlhunt::clustering::scale_from_name("zscore"));
}

TEST(Dbscan, HundredThousandRowsUseTheTree) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> blob(0, 1);
  const size_t n = 100000;
  std::vector<double> x;
  x.reserve(n * 3);
  for (size_t i = 0; i < n; ++i)
    for (int d = 0; d < 3; ++d) x.push_back(blob(rng) + static_cast<double>(i % 10) * 10);
  const auto r = dbscan(x, 3, 0.5, 5);
  EXPECT_EQ(r.label.size(), n);
  EXPECT_LE(r.queries, 2 * n);
  EXPECT_GE(r.size.size(), 10u);
}
