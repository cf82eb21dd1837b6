// vtabs/ti_lookup/ti: IoC types, each provider's request and documented reply format,
// every failure kind, severity rules, local indicator files (CSV quirks, JSON lines).
#include "vtabs/ti_lookup/ti.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/config.h"
#include "core/error.h"
#include "core/http.h"
#include "core/ioc/ioc.h"
#include "vtabs/ti_lookup/local_feed.h"
#include "vtabs/ti_lookup/providers.h"

namespace sqlhunt {
namespace {

using ti::Severity;

TEST(Ti, IocType) {
  EXPECT_EQ(ti::ioc_type("23.97.60.214"), "ipv4");
  EXPECT_EQ(ti::ioc_type(" 23.97.60.214 "), "ipv4");
  EXPECT_EQ(ti::ioc_type("2001:db8::1"), "ipv6");
  EXPECT_EQ(ti::ioc_type("44d88612fea8a8f36de82e1278abb02f"), "md5");
  EXPECT_EQ(ti::ioc_type("3395856ce81f2b7382dee72602f798b642f14140"), "sha1");
  EXPECT_EQ(ti::ioc_type("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"), "sha256");
  EXPECT_EQ(ti::ioc_type("http://evil.example/x?a=1"), "url");
  EXPECT_EQ(ti::ioc_type("olidhealth.com"), "domain");
  EXPECT_EQ(ti::ioc_type("C:\\RECYCLER\\xxppyy.exe"), "windows_path");  // no provider answers it
  EXPECT_EQ(ti::ioc_type("1.2.3.256"), "");
  EXPECT_EQ(ti::ioc_type("010.1.1.1"), "");
  EXPECT_EQ(ti::ioc_type("notepad.exe"), "");  // .exe is no top-level domain
  EXPECT_EQ(ti::ioc_type("evil.example.com"), "domain");
  EXPECT_EQ(ti::ioc_type("evil.example"), "");  // .example is no top-level domain
  EXPECT_EQ(ti::ioc_type("sub.olidhealth.co.uk"), "domain");
  EXPECT_EQ(ti::ioc_type(""), "");
}

// ti_lookup types an observable exactly as ioc_type() does (issue 13: its own
// classifier called these domains and would have sent them to remote providers).
TEST(Ti, IocTypeIsIocTypes) {
  for (const char* v : {"report.zip", "foo.py", "x.mov", "host.local", "a_b.com", "evil.example",
                        "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "hxxp://evil[.]com/a", "evil[.]com", "CVE-2021-26855",
                        "admin@evil.com", "tcp://203.0.113.5:4444", "http://evil.com/a b"}) {
    const auto t = ioc::whole_type(v);
    EXPECT_EQ(ti::ioc_type(v), t ? ioc::type_name(*t) : "") << v;
  }
}

ti::Result ask(const char* provider, long status, std::string body, bool quota = false, std::string location = {}) {
  ti::Result r;
  ti::HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.quota = quota;
  reply.location = std::move(location);
  if (status == 0 && !quota) reply.error = "Couldn't connect to server";
  ti::interpret(*ti::find_remote(provider), reply, r);
  return r;
}

TEST(Ti, VirusTotalV3) {
  const auto* vt = ti::find_remote("virustotal");
  EXPECT_EQ(vt->path("1.2.3.4", "ipv4"), "/ip_addresses/1.2.3.4");
  EXPECT_EQ(vt->path("evil.example", "domain"), "/domains/evil.example");
  EXPECT_EQ(vt->path("http://a.b/", "url"), "/urls/aHR0cDovL2EuYi8");
  EXPECT_EQ(vt->path(ti::classify(" 44D88612FEA8A8F36DE82E1278ABB02F").value, "md5"),
            "/files/44d88612fea8a8f36de82e1278abb02f");
  EXPECT_EQ(vt->path(ti::classify("hxxp://Evil[.]com/A").value, "url"), "/urls/aHR0cDovL2V2aWwuY29tL0E");
  auto body = [](int mal) {
    return R"({"data":{"id":"1.2.3.4","type":"ip_address","attributes":{"last_analysis_stats":{"harmless":70,"malicious":)" +
           std::to_string(mal) + R"(,"suspicious":1,"undetected":10,"timeout":0},"reputation":-3,"as_owner":"X"}}})";
  };
  auto r = ask("virustotal", 200, body(0));
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.severity, Severity::kInformation);
  EXPECT_EQ(r.result, "0 malicious, 1 suspicious of 81 engines");
  EXPECT_EQ(ask("virustotal", 200, body(1)).severity, Severity::kWarning);
  EXPECT_EQ(ask("virustotal", 200, body(2)).severity, Severity::kHigh);
  auto nf = ask("virustotal", 404, R"({"error":{"code":"NotFoundError","message":"Resource not found"}})");
  EXPECT_EQ(nf.status, "not_found");
  EXPECT_EQ(nf.severity, Severity::kInformation);
  EXPECT_EQ(nf.result, "Resource not found");
  auto shape = ask("virustotal", 200, R"({"data":[]})");
  EXPECT_EQ(shape.status, "error");
  EXPECT_EQ(shape.detail, "virustotal: reply has no data.attributes");
}

TEST(Ti, AbuseIpDbV2) {
  EXPECT_EQ(ti::find_remote("abuseipdb")->path("2001:db8::1", "ipv6"), "/check?ipAddress=2001%3Adb8%3A%3A1&maxAgeInDays=90");
  EXPECT_FALSE(ti::supports(*ti::find_remote("abuseipdb"), "domain"));
  EXPECT_TRUE(ti::supports(*ti::find_remote("abuseipdb"), "ipv6"));
  auto body = [](int score) {
    return R"({"data":{"ipAddress":"1.2.3.4","abuseConfidenceScore":)" + std::to_string(score) +
           R"(,"countryCode":"CN","totalReports":12,"isp":"X"}})";
  };
  EXPECT_EQ(ask("abuseipdb", 200, body(0)).severity, Severity::kInformation);
  EXPECT_EQ(ask("abuseipdb", 200, body(1)).severity, Severity::kWarning);
  EXPECT_EQ(ask("abuseipdb", 200, body(50)).severity, Severity::kWarning);
  EXPECT_EQ(ask("abuseipdb", 200, body(51)).severity, Severity::kHigh);
  EXPECT_EQ(ask("abuseipdb", 200, body(100)).result, "abuse confidence 100%, 12 reports");
  auto err = ask("abuseipdb", 422, R"({"errors":[{"detail":"The ip address must be a valid IPv4 or IPv6 address","status":422}]})");
  EXPECT_EQ(err.status, "error");
  EXPECT_EQ(err.detail, "abuseipdb: HTTP 422: The ip address must be a valid IPv4 or IPv6 address");
}

TEST(Ti, OtxAndGreyNoise) {
  EXPECT_EQ(ti::find_remote("otx")->path("1.2.3.4", "ipv4"), "/indicators/IPv4/1.2.3.4/general");
  EXPECT_EQ(ti::find_remote("otx")->path("e.example", "domain"), "/indicators/domain/e.example/general");
  auto otx = [](int n) { return R"({"indicator":"x","pulse_info":{"count":)" + std::to_string(n) + R"(,"pulses":[]}})"; };
  EXPECT_EQ(ask("otx", 200, otx(0)).severity, Severity::kInformation);
  EXPECT_EQ(ask("otx", 200, otx(1)).severity, Severity::kWarning);
  EXPECT_EQ(ask("otx", 200, otx(2)).severity, Severity::kHigh);
  EXPECT_EQ(ask("otx", 200, otx(2)).result, "2 pulses");
  auto gn = ask("greynoise", 200, R"({"ip":"1.2.3.4","noise":true,"riot":false,"classification":"malicious","name":"unknown","link":"https://viz.greynoise.io/ip/1.2.3.4","last_seen":"2024-01-01","message":"Success"})");
  EXPECT_EQ(gn.status, "ok");
  EXPECT_EQ(gn.severity, Severity::kHigh);
  EXPECT_EQ(gn.result, "malicious");
  EXPECT_EQ(gn.reference, "https://viz.greynoise.io/ip/1.2.3.4");
  auto benign = ask("greynoise", 200, R"({"ip":"8.8.8.8","noise":false,"riot":true,"classification":"benign","name":"Google Public DNS"})");
  EXPECT_EQ(benign.severity, Severity::kInformation);
  EXPECT_EQ(benign.result, "benign (Google Public DNS)");
  auto nf = ask("greynoise", 404, R"({"ip":"1.2.3.5","noise":false,"riot":false,"message":"IP not observed scanning the internet or contained in RIOT data set."})");
  EXPECT_EQ(nf.status, "not_found");
  EXPECT_FALSE(ti::supports(*ti::find_remote("greynoise"), "ipv6"));
  EXPECT_FALSE(ti::supports(*ti::find_remote("virustotal"), "email"));
  EXPECT_FALSE(ti::supports(*ti::find_remote("otx"), ""));
}

TEST(Ti, FailuresBecomeStatuses) {
  auto q = ask("virustotal", 0, "", true);
  EXPECT_EQ(q.status, "quota");
  EXPECT_EQ(q.severity, Severity::kUnknown);
  auto e = ask("otx", 0, "");
  EXPECT_EQ(e.status, "error");
  EXPECT_EQ(e.detail, "otx: Couldn't connect to server");
  EXPECT_EQ(ask("otx", 500, "<html>oops</html>").detail, "otx: HTTP 500");
  EXPECT_EQ(ask("otx", 401, R"({"detail":"Authentication required"})").detail,
            "otx: HTTP 401, the key was refused: Authentication required");
  EXPECT_EQ(ask("otx", 429, "").status, "quota");
  auto m = ask("virustotal", 200, "{\"data\":");
  EXPECT_EQ(m.status, "error");
  EXPECT_EQ(m.detail, "virustotal: malformed JSON in the reply (HTTP 200)");
  EXPECT_EQ(ask("virustotal", 200, "[1,2]").status, "error");
  auto redirect = ask("virustotal", 302, "", false, "http://elsewhere.example/");
  EXPECT_EQ(redirect.detail,
            "virustotal: HTTP 302 redirect to 'http://elsewhere.example/' not followed (a keyed request never follows a redirect)");
}

TEST(Ti, CacheRoundTrip) {
  auto r = ask("virustotal", 200, R"({"data":{"attributes":{"last_analysis_stats":{"malicious":3}}}})");
  r.fetched_at = 1700000000.5;
  ti::Result back;
  ASSERT_TRUE(ti::from_cache_json(ti::to_cache_json(r), back));
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.severity, r.severity);
  EXPECT_EQ(back.result, r.result);
  EXPECT_EQ(back.details, r.details);
  EXPECT_EQ(back.raw, r.raw);
  EXPECT_EQ(back.fetched_at, r.fetched_at);
  EXPECT_FALSE(ti::from_cache_json("nope", back));
}

TEST(Ti, LocalCsvWithQuirks) {
  ti::LocalIndicators db;
  // Trailing spaces, a pandas index column with an empty header, a quoted field with
  // "" quotes and a newline, CRLF line ends.
  db.add_text(",DateAdded,IoC,Type\r\n"
              "0,9/29/2022,172.93.201.253 ,ip \r\n"
              "1,9/29/2022,\"schtasks /create /tn \"\"x\"\"\n/tr y\",filepath \r\n"
              "2,9/29/2022,OLIDHEALTH.com ,domainname\r\n"
              "3,9/29/2022,44D88612FEA8A8F36DE82E1278ABB02F,md5\r\n",
              "feed.csv", false);
  EXPECT_EQ(db.size(), 4u);
  auto hit = db.match("172.93.201.253");
  ASSERT_EQ(hit.size(), 1u);
  EXPECT_EQ(hit[0].type, "ip");
  EXPECT_EQ(hit[0].line, 2u);
  EXPECT_EQ(db.match("olidhealth.COM").size(), 1u);
  EXPECT_EQ(db.match("44d88612fea8a8f36de82e1278abb02f").size(), 1u);
  auto cmd = db.match("schtasks /create /tn \"x\"\n/tr y");
  ASSERT_EQ(cmd.size(), 1u);
  EXPECT_EQ(cmd[0].line, 3u);
  EXPECT_EQ(db.match("OLIDHEALTH.com ")[0].line, 5u);  // after a 2-line record
  EXPECT_TRUE(db.match("1.2.3.4").empty());

  auto r = ti::local_result(&db, "172.93.201.253", "");
  EXPECT_EQ(r.status, "ok");
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_EQ(r.reference, "feed.csv:2");
  EXPECT_EQ(ti::local_result(&db, "1.2.3.4", "").status, "not_found");
  EXPECT_EQ(ti::local_result(nullptr, "1.2.3.4", "no files").status, "not_configured");
}

// Read through core/csv.h: a byte-order mark (Excel's "CSV UTF-8") is not part of the
// first column's name, and a line of spaces is blank.
TEST(Ti, LocalCsvWithByteOrderMark) {
  ti::LocalIndicators db;
  db.add_text("\xEF\xBB\xBFIndicator,Type\r\n45.77.65.211,ip\r\n   \r\n\"evil.com\",domain\r\n", "bom.csv", false);
  ASSERT_EQ(db.size(), 2u);
  ASSERT_EQ(db.match("45.77.65.211").size(), 1u);
  EXPECT_EQ(db.match("evil.com")[0].line, 4u);
  EXPECT_EQ(db.match("evil.com")[0].fields, R"({"Indicator":"evil.com","Type":"domain"})");
}

TEST(Ti, LocalInvalidUtf8IsKeptNotFatal) {
  // Found by ti_fuzz: a byte that is not UTF-8 made the JSON of the record throw.
  ti::LocalIndicators db;
  db.add_text("indicator,type\n172.96.201.253\xe6,ip\n", "x.csv", false);
  ASSERT_EQ(db.size(), 1u);
  auto r = ti::local_result(&db, "172.96.201.253\xe6", "");
  EXPECT_EQ(r.status, "ok");
  EXPECT_NE(r.details.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD in the JSON
}

// Files are streamed: load() keeps a hash per indicator, find() reads again only the
// files that may hold an observable and gives every matching record of each, by file
// and line; a hash that matches nothing (or a file not asked about) gives nothing.
TEST(Ti, LocalFilesAreReadAgainOnlyForHits) {
  const auto dir = std::filesystem::temp_directory_path() / ("sqlhunt_ti_local_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string csv = (dir / "a.csv").string(), jl = (dir / "b.txt").string();
  std::ofstream(csv) << "indicator,type\n6.6.6.6,ip\nEVIL.example.com,domain\n";
  std::ofstream(jl) << "\n{\"ioc\": \"evil.example.com\", \"severity\": \"medium\"}\n{\"value\": \"7.7.7.7\"}\n";
  auto db = ti::LocalIndicators::load({csv, jl});
  EXPECT_EQ(db->size(), 4u);
  auto found = db->find({"evil[.]example[.]com", "7.7.7.7", "1.2.3.4", "6.6.6.6"});
  ASSERT_EQ(found.size(), 3u);
  const auto& evil = found.at("evil.example.com");
  ASSERT_EQ(evil.size(), 2u);
  EXPECT_EQ(evil[0].file, csv);
  EXPECT_EQ(evil[0].line, 3u);
  EXPECT_EQ(evil[1].file, jl);  // its first byte is '{' after a blank line: JSON lines
  EXPECT_EQ(evil[1].line, 2u);
  EXPECT_EQ(evil[1].severity, "medium");
  EXPECT_EQ(found.at("7.7.7.7")[0].fields, R"({"value":"7.7.7.7"})");
  auto r = ti::local_result(db.get(), "EVIL.example.com", found, "");
  EXPECT_EQ(r.result, "in 2 local indicators (domain)");
  EXPECT_EQ(ti::local_result(db.get(), "1.2.3.4", found, "").result, "not in 4 local indicators");
  std::filesystem::remove_all(dir);
}

// The error a local feed's text gives when indexed, or "" when it gives none.
std::string local_error(std::string_view text, const char* file, bool json_lines) {
  ti::LocalIndicators db;
  try {
    db.add_text(text, file, json_lines);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Ti, LocalErrorsNameFileAndLine) {
  EXPECT_EQ(local_error("a,b\n1,2\n", "x.csv", false),
            "ti_lookup: x.csv: no indicator column (indicator, ioc, observable or value) in the header");
  EXPECT_EQ(local_error("indicator,type\n1.2.3.4,ip,extra\n", "x.csv", false),
            "ti_lookup: x.csv line 2: 3 fields, the header has 2");
  EXPECT_EQ(local_error("indicator,type\n1.2.3.4,ip\n\"5.6.7.8,ip\n", "x.csv", false),
            "ti_lookup: x.csv line 3: unterminated quoted field 1: the data ends inside it");
  EXPECT_EQ(local_error("indicator,type\n\"1.2.3.4\"x,ip\n", "x.csv", false),
            "ti_lookup: x.csv line 2: text after the closing quote of field 1");
  EXPECT_EQ(local_error("{\"indicator\":\"1.2.3.4\"}\n{bad\n", "x.jsonl", true),
            "ti_lookup: x.jsonl line 2: not a JSON object");
  // An empty indicator is an error, in either kind of file; a CSV line of empty cells is
  // as blank as an empty line.
  EXPECT_EQ(local_error("Indicator,type\n1.2.3.4,ip\n,\n , \n  ,domain\n", "x.csv", false),
            "ti_lookup: x.csv line 5: the indicator (column 'Indicator') is empty");
  EXPECT_EQ(local_error("{\"ioc\":\"1.2.3.4\"}\n{\"ioc\":\" \",\"type\":\"ip\"}\n", "x.jsonl", true),
            "ti_lookup: x.jsonl line 2: the indicator (\"ioc\") is empty");
  EXPECT_EQ(local_error("{\"ioc\":\"1.2.3.4\"}\n{\"type\":\"ip\"}\n", "x.jsonl", true),
            "ti_lookup: x.jsonl line 2: no indicator field (indicator, ioc, observable or value)");
  ti::LocalIndicators blanks;
  blanks.add_text("indicator,type\n1.2.3.4,ip\n,\n\n5.6.7.8,ip\n", "y.csv", false);
  EXPECT_EQ(blanks.size(), 2u);
  ASSERT_EQ(blanks.match("5.6.7.8").size(), 1u);
  EXPECT_EQ(blanks.match("5.6.7.8")[0].line, 5u);
}

#ifdef SQLHUNT_NETWORK
TEST(Http, RetryAfter) {
  EXPECT_EQ(http::parse_retry_after("120", 0), 120);
  EXPECT_EQ(http::parse_retry_after(" 7\r\n", 0), 7);
  EXPECT_EQ(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10);
  EXPECT_EQ(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0);
  EXPECT_EQ(http::parse_retry_after("soon", 0), -1);
  EXPECT_EQ(http::parse_retry_after("", 0), -1);
}
#endif

}  // namespace
}  // namespace sqlhunt

namespace {

// A provider's settings are declared beside it (providers.cpp); its prefix must name
// all four, or a new provider would ask with no key, URL, rate or cache TTL.
TEST(Ti, EveryRemoteProviderHasItsSettings) {
  for (const auto& p : sqlhunt::ti::remote_providers()) {
    for (const char* suffix : {".key", ".url", ".rate", ".ttl"}) {
      const std::string key = std::string(p.setting) + suffix;
      const auto* s = sqlhunt::config::find(key);
      ASSERT_NE(s, nullptr) << key;
      if (std::string(suffix) == ".key") {
        EXPECT_EQ(s->kind, sqlhunt::config::Kind::kSecret) << key;
      }
      if (std::string(suffix) == ".url") {
        EXPECT_FALSE(s->sql) << key << " must be environment-only";
      }
    }
  }
  EXPECT_NE(sqlhunt::config::find("ti.local"), nullptr);
}

}  // namespace
