// The IoC scanner (core/ioc) on larger inputs: 50 MB in one value, texts built to make
// a careless scanner quadratic, a whole threat report against its complete expected
// output, msticpy's sample output and the shared indicator feeds. The rule-by-rule
// cases are in iocs_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/ioc/ioc.h"
#include "ioc_test_helpers.h"

using namespace sqlhunt::ioc;
using namespace sqlhunt::ioc::testing;

TEST(IocsScale, FiftyMegabytesInOneValue) {
  std::string t;
  t.reserve(50'000'000);
  const std::string chunk =
      "Beacon to 45[.]77[.]65[.]211 and hxxps://update-check[.]net/api?id=7 from C:\\Users\\bob\\x.exe; "
      "sha256 e044d9f2d0f1260c3f4a543a1e67f33fcac265be114a1b135fd575b860d2b8c6 and lorem ipsum dolor sit amet.\n";
  while (t.size() + chunk.size() <= 50'000'000) t += chunk;
  const size_t copies = t.size() / chunk.size();
  const auto t0 = std::chrono::steady_clock::now();
  auto ms = extract(t);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(ms.size(), copies * 5);  // ipv4, url, domain, windows_path, sha256
  check_invariants(t, ms);
  EXPECT_EQ(ms.back().end, t.size() - std::string(" and lorem ipsum dolor sit amet.\n").size());
  std::printf("50 MB in one value: %.2f s\n", secs);
}

// Inputs built to make a careless scanner quadratic: each is 2 MB and must take no
// more than 50 times what 2 MB of ordinary indicator-rich text takes in the same run
// (at least 1 s), so the bound follows the build (Release or sanitizers) and the
// machine's load. A linear scan of any of them stays within a few times the baseline;
// a quadratic one of 2 MB takes minutes.
TEST(IocsScale, PathologicalInputsStayLinear) {
  auto rep = [](const std::string& unit) {
    std::string t;
    while (t.size() < 2'000'000) t += unit;
    return t;
  };
  auto timed = [](const std::string& text, std::vector<Match>* out) {
    const auto t0 = std::chrono::steady_clock::now();
    auto ms = extract(text);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (out) *out = std::move(ms);
    return secs;
  };
  const std::string ordinary = rep(
      "Beacon to 45[.]77[.]65[.]211 and hxxps://update-check[.]net/api?id=7 from C:\\Users\\bob\\x.exe; "
      "sha256 e044d9f2d0f1260c3f4a543a1e67f33fcac265be114a1b135fd575b860d2b8c6 cat /etc/passwd.\n");
  double baseline = 1e9;
  for (int k = 0; k < 3; ++k) baseline = std::min(baseline, timed(ordinary, nullptr));
  const double limit = std::max(1.0, 50 * baseline);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"closing brackets after a URL", "http://a.com/x" + rep(")")},
      {"closing brackets after a path", "C:\\a\\b" + rep(")")},
      {"unclosed IPv6 hosts", rep("http://[")},
      {"single-quoted URL without its quote", "'http://a.com/" + rep("a")},
      {"single-quoted path without its quote", "'C:\\a\\" + rep("b")},
      {"dots", rep("a.")},
      {"colons", rep("1:")},
      {"at signs", rep("a@")},
      {"backslashes", rep("\\")},
      {"spaces in a path", "C:\\a" + rep(" b")},
      {"nested URLs", rep("hxxp://a.com/?u=")},
      {"percent-encoded URLs", rep("http://a.com/?u=http%3A%2F%2F")},
      {"long labels", rep(std::string(200, 'a') + ".")},
      {"hex", rep("0123456789abcdef")},
      {"defanged dots", rep("a[.]")},
      {"e-mail local parts", rep("a.b@")},
      // Hash-length hex runs that are no hash, with no trigger byte after them: each
      // once searched the rest of the text for the next trigger again.
      {"32-digit numbers", rep("12345678901234567890123456789012 ")},
      {"mixed-case hex runs", rep("AbCdEf0123456789abcdef0123456789 ")},
      // A '/' after ',', '=' or a non-ASCII letter may start a Linux path inside the
      // path before it: each rejected candidate was once read to its end.
      {"Linux path under another root, commas", " /data" + rep("/a,")},
      {"Linux path under another root, equals", " /data" + rep("/a=")},
      {"Linux path of non-ASCII segments", " " + rep("/\xC3\xA9")},
      // After a single quote, the next quote ends a URL or path: once found only after
      // reading on to the end of the run, so every quoted one read the rest of the text.
      {"single-quoted URLs", rep("'http://a.com/'")},
      {"single-quoted UNC paths", rep("'\\\\a\\b")},
      {"single-quoted %VAR% paths", rep("'%a%\\b")},
      {"single-quoted registry keys", rep("'HKLM\\a")},
  };
  for (const auto& [what, text] : cases) {
    std::vector<Match> ms;
    const double secs = timed(text, &ms);
    check_invariants(text, ms);
    EXPECT_LT(secs, limit) << what << " (2 MB of ordinary text: " << baseline << " s)";
  }
}

TEST(IocsReport, HafniumAdvisoryCompleteOutput) {
  const std::string dir = std::string(SQLHUNT_SOURCE_DIR) + "/tests/fixtures/iocs/";
  const std::string text = read_file(dir + "hafnium_advisory.txt");
  const std::string expected = read_file(dir + "hafnium_advisory.expected");
  ASSERT_FALSE(text.empty());
  auto ms = extract(text);
  check_invariants(text, ms);
  std::string got;
  for (const auto& m : ms)
    got += std::string(type_name(m.type)) + "\t" + m.value + "\t" + text.substr(m.start, m.end - m.start) + "\t" +
           std::to_string(m.start) + "\t" + std::to_string(m.end) + "\t" + (m.defanged ? "1" : "0") + "\n";
  if (std::getenv("SQLHUNT_UPDATE_EXPECTED")) {
    std::ofstream(dir + "hafnium_advisory.expected", std::ios::binary) << got;
    GTEST_SKIP() << "wrote " << dir << "hafnium_advisory.expected";
  }
  EXPECT_EQ(got, expected);
}

// msticpy's IoCExtract output on its sample DataFrame (ioc_df.csv): every md5 and ipv4
// it found, and its Windows paths that begin with a drive, a UNC prefix or %VAR%, we
// find in the same observable too. We deliberately differ on: relative ".\x" and
// rooted "\x" paths (not reported: mostly command-line noise like ".\reg  add"),
// "dns" for file names such as tsetup.1.0.14.exe (no public suffix), URLs that run
// into quotes (we stop at '"' and "'"), hashes like aaaa...a (no digit), and UNC
// paths whose server is "[REDACTED]".
TEST(IocsMsticpy, AgreesWhereItShould) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  if (!ds) GTEST_SKIP() << "SQLHUNT_DATASETS not set (../shared/datasets absent)";
  const std::string csv = read_file(std::string(ds) + "/ti/ioc_df.csv");
  if (csv.empty()) GTEST_SKIP() << "ti/ioc_df.csv not found under " << ds;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  int checked = 0, not_ours = 0;
  while (std::getline(in, line)) {
    // index,IoCType,Observable,SourceIndex — the observable may be quoted.
    const size_t c1 = line.find(',');
    const size_t c2 = line.find(',', c1 + 1);
    const size_t cl = line.rfind(',');
    const std::string type = line.substr(c1 + 1, c2 - c1 - 1);
    std::string obs = line.substr(c2 + 1, cl - c2 - 1);
    if (obs.size() >= 2 && obs.front() == '"') {
      obs = obs.substr(1, obs.size() - 2);
      for (size_t p = obs.find("\"\""); p != std::string::npos; p = obs.find("\"\"", p + 1)) obs.erase(p, 1);
    }
    std::string want_type;
    if (type == "ipv4") want_type = "ipv4";
    else if (type == "md5_hash") want_type = "md5";
    else if (type == "windows_path" && (obs.size() > 2 && (obs[1] == ':' || obs.rfind("\\\\", 0) == 0))) want_type = "windows_path";
    else {
      ++not_ours;
      continue;
    }
    // "\\[REDACTED]\c$\..." names no server: a redaction, not a path we report.
    if (obs.find("[REDACTED]") != std::string::npos) {
      ++not_ours;
      continue;
    }
    auto ms = extract(obs);
    bool hit = false;
    for (const auto& m : ms) hit = hit || (type_name(m.type) == want_type);
    if (want_type == "md5" && obs.find("aaaaaaaa") != std::string::npos) {
      EXPECT_FALSE(hit) << obs;  // deliberately not a hash
      continue;
    }
    EXPECT_TRUE(hit) << type << " " << obs;
    ++checked;
  }
  EXPECT_GT(checked, 40);
  EXPECT_GT(not_ours, 40);
}

namespace {
// Minimal CSV: fields split on ',', "quoted" fields with "" for a quote.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}
}  // namespace

// ioc_type() over the shared indicator feeds: every indicator is typed as the feed
// says, except what is not an indicator type of ours (file names, user agents) and the
// one "filepath" that is a whole schtasks command line.
TEST(IocsFeeds, WholeTypeOfEveryIndicator) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  if (!ds) GTEST_SKIP() << "SQLHUNT_DATASETS not set (../shared/datasets absent)";
  const auto mstic = read_csv(read_file(std::string(ds) + "/ti/MSTICIoCs-ExchangeServerVulnerabilitiesDisclosedMarch2021.csv"));
  const auto test = read_csv(read_file(std::string(ds) + "/ti/TestIOCs.csv"));
  if (mstic.size() < 2 || test.size() < 2) GTEST_SKIP() << "ti/*.csv not found under " << ds;
  int checked = 0;
  for (size_t r = 1; r < mstic.size(); ++r) {
    const std::string& ind = mstic[r][2];
    const std::string& type = mstic[r][3];
    const auto got = whole_type(ind);
    ASSERT_TRUE(got) << ind;
    EXPECT_STREQ(type_name(*got), type == "filepath" ? "windows_path" : type.c_str()) << ind;
    ++checked;
  }
  EXPECT_EQ(checked, 61);
  std::map<std::string, std::map<std::string, int>> seen;  // feed type -> our type -> count
  for (size_t r = 1; r < test.size(); ++r) {
    std::string type = test[r][2];
    while (!type.empty() && type.back() == ' ') type.pop_back();
    const auto got = whole_type(test[r][1]);
    ++seen[type][got ? type_name(*got) : "NULL"];
  }
  EXPECT_EQ(seen["ip"], (std::map<std::string, int>{{"ipv4", 3}}));
  EXPECT_EQ(seen["domainname"], (std::map<std::string, int>{{"domain", 6}}));
  EXPECT_EQ(seen["sha256"], (std::map<std::string, int>{{"sha256", 8}}));
  EXPECT_EQ(seen["filepath"], (std::map<std::string, int>{{"windows_path", 3}, {"NULL", 1}}));
  EXPECT_EQ(seen["filename"], (std::map<std::string, int>{{"NULL", 5}}));
  EXPECT_EQ(seen["useragent"], (std::map<std::string, int>{{"NULL", 2}}));
}
