#include "core/ip.h"

#include <gtest/gtest.h>

using namespace sqlhunt::ip;

namespace {
std::string canon(std::string_view s) {
  auto a = parse(s);
  return a ? to_string(*a) : "invalid";
}
std::string cls(std::string_view s) {
  auto a = parse(s);
  return a ? class_name(classify(*a)) : "invalid";
}
}  // namespace

TEST(Ip, V4Strict) {
  EXPECT_EQ(canon("23.97.60.214"), "23.97.60.214");
  EXPECT_EQ(canon("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(canon("255.255.255.255"), "255.255.255.255");
  for (const char* bad : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "010.1.1.1", "1.2.3.04", "1..2.3", "1.2.3.4 ",
                          " 1.2.3.4", "1.2.3.", "a.b.c.d", "1234.1.1.1", "", "1.2.3.-4"})
    EXPECT_EQ(canon(bad), "invalid") << bad;
}

TEST(Ip, V6Forms) {
  EXPECT_EQ(canon("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(canon("::"), "::");
  EXPECT_EQ(canon("::1"), "::1");
  EXPECT_EQ(canon("fe80::"), "fe80::");
  EXPECT_EQ(canon("1::"), "1::");
  EXPECT_EQ(canon("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
  EXPECT_EQ(canon("::FFFF:0102:0304"), "::ffff:1.2.3.4");
  EXPECT_EQ(canon("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
  EXPECT_EQ(canon("1:0:0:2:0:0:0:3"), "1:0:0:2::3");     // the longer run
  EXPECT_EQ(canon("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");   // the first of equal runs
  EXPECT_EQ(canon("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0"); // one zero group is not compressed
  EXPECT_EQ(canon("1:2:3:4:5:6:1.2.3.4"), "1:2:3:4:5:6:102:304");
  for (const char* bad : {":::", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::2", "1::2:", "12345::", "fe80::1%eth0",
                          "1:2:3:4:5:6:7", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "g::1",
                          "00:11:22:33:44:55", "12:30:45", "::ffff:256.1.1.1"})
    EXPECT_EQ(canon(bad), "invalid") << bad;
}

TEST(Ip, Classes) {
  EXPECT_EQ(cls("23.97.60.214"), "public");
  EXPECT_EQ(cls("10.0.0.1"), "private");
  EXPECT_EQ(cls("172.16.0.1"), "private");
  EXPECT_EQ(cls("172.32.0.1"), "public");
  EXPECT_EQ(cls("192.168.1.1"), "private");
  EXPECT_EQ(cls("100.64.0.1"), "shared");
  EXPECT_EQ(cls("100.128.0.1"), "public");
  EXPECT_EQ(cls("127.0.0.1"), "loopback");
  EXPECT_EQ(cls("169.254.169.254"), "link-local");
  EXPECT_EQ(cls("192.0.2.1"), "documentation");
  EXPECT_EQ(cls("198.51.100.7"), "documentation");
  EXPECT_EQ(cls("203.0.113.9"), "documentation");
  EXPECT_EQ(cls("224.0.0.251"), "multicast");
  EXPECT_EQ(cls("240.0.0.1"), "reserved");
  EXPECT_EQ(cls("255.255.255.255"), "reserved");
  EXPECT_EQ(cls("0.1.2.3"), "reserved");
  EXPECT_EQ(cls("0.0.0.0"), "unspecified");
  EXPECT_EQ(cls("198.18.0.1"), "reserved");
  EXPECT_EQ(cls("::"), "unspecified");
  EXPECT_EQ(cls("::1"), "loopback");
  EXPECT_EQ(cls("fe80::1"), "link-local");
  EXPECT_EQ(cls("fd00::1"), "private");
  EXPECT_EQ(cls("ff02::1"), "multicast");
  EXPECT_EQ(cls("2001:db8::1"), "documentation");
  EXPECT_EQ(cls("2001:4860:4860::8888"), "public");
  EXPECT_EQ(cls("2001:0:1::1"), "reserved");
  EXPECT_EQ(cls("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(cls("::ffff:23.97.60.214"), "public");
  EXPECT_EQ(cls("4000::1"), "reserved");
  EXPECT_EQ(cls("fec0::1"), "reserved");
}

namespace {
std::string norm(std::string_view s) {
  auto n = normalize(s);
  return n ? *n : "NULL";
}
std::string port(std::string_view s) {
  auto e = parse_endpoint(s);
  return e && e->port ? std::to_string(*e->port) : "none";
}
}  // namespace

// Every form the shared Office export writes in ClientIP, and what else logs add.
TEST(Ip, NormalizeDecorations) {
  EXPECT_EQ(norm("175.45.176.99:17362"), "175.45.176.99");
  EXPECT_EQ(port("175.45.176.99:17362"), "17362");
  EXPECT_EQ(norm("[2603:1036:4:3f::5]:1672"), "2603:1036:4:3f::5");
  EXPECT_EQ(port("[2603:1036:4:3f::5]:1672"), "1672");
  EXPECT_EQ(norm("::1"), "::1");
  EXPECT_EQ(port("::1"), "none");
  EXPECT_EQ(norm("2603:10B6:5:345:0:0:0:11"), "2603:10b6:5:345::11");
  EXPECT_EQ(norm("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(norm("fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(norm("[fe80::1%11]:3389"), "fe80::1");
  EXPECT_EQ(norm("::ffff:10.0.0.4"), "10.0.0.4");
  EXPECT_EQ(norm("::FFFF:0a00:0004"), "10.0.0.4");
  EXPECT_EQ(norm("[::ffff:1.2.3.4]:80"), "1.2.3.4");
  EXPECT_EQ(port("[::ffff:1.2.3.4]:80"), "80");
  EXPECT_EQ(norm("[1.2.3.4]:0"), "1.2.3.4");
  EXPECT_EQ(norm(" 23.97.60.214\t"), "23.97.60.214");
  EXPECT_EQ(norm("64:ff9b::1.2.3.4"), "64:ff9b::102:304");  // NAT64 is not a mapping
  EXPECT_EQ(norm("2001:db8::1:443"), "2001:db8::1:443");    // an address, not a port
}

TEST(Ip, NormalizeRefusals) {
  for (const char* bad : {"", " ", "-", "<null>", "localhost", "1.2.3.4/32", "010.1.1.1", "1.2.3.4:",
                          "1.2.3.4:65536", "1.2.3.4:123456", "1.2.3.4:80a", "[1.2.3.4", "[::1]x", "[::1]:",
                          "fe80::1%", "fe80::1%et h0", "1.2.3.4%eth0", "[]", "[]:80", "::ffff:256.0.0.1",
                          "1.2.3.4:80:90", "[1.2.3.4]:80:90"})
    EXPECT_EQ(norm(bad), "NULL") << bad;
}

TEST(Ip, NormalizeIsIdempotent) {
  for (const char* s : {"175.45.176.99:17362", "[2603:1036:4:3f::5]:1672", "::ffff:10.0.0.4", "FE80::1%2"}) {
    const std::string once = norm(s);
    EXPECT_EQ(norm(once), once) << s;
  }
}
