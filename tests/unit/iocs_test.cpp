// The IoC scanner (core/ioc), rule by rule: every type with positive and negative
// cases, the defanged forms, offsets, refang, the streaming Scanner and whole().
// Larger inputs (scale, pathological texts, a whole report, other tools' data) are in
// iocs_data_test.cpp. tests/unit/classifier_test.cpp reads the string literals of both
// files and runs each through ioc_type()'s and ti_lookup's paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/ioc/ioc.h"
#include "core/ioc/refang.h"
#include "ioc_test_helpers.h"

using namespace sqlhunt::ioc;
using namespace sqlhunt::ioc::testing;

namespace {

// "type value" per match, in order.
std::vector<std::string> found(std::string_view text, TypeMask mask = kAllTypes) {
  std::vector<std::string> r;
  for (const auto& m : extract(text, mask)) r.push_back(std::string(type_name(m.type)) + " " + m.value);
  return r;
}

using V = std::vector<std::string>;

}  // namespace

TEST(IocsIpv4, Positive) {
  EXPECT_EQ(found("from 1.2.3.4, then 255.255.255.255."), (V{"ipv4 1.2.3.4", "ipv4 255.255.255.255"}));
  EXPECT_EQ(found("ip=10.0.0.1:8080 (192.168.1.1) [8.8.8.8]"),
            (V{"ipv4 10.0.0.1", "ipv4 192.168.1.1", "ipv4 8.8.8.8"}));
  EXPECT_EQ(found("range 10.0.0.1-10.0.0.255"), (V{"ipv4 10.0.0.1", "ipv4 10.0.0.255"}));
  EXPECT_EQ(found("cidr 10.1.0.0/16"), (V{"ipv4 10.1.0.0"}));
}

TEST(IocsIpv4, Defanged) {
  auto ms = extract("c2 at 45[.]77[.]65[.]211 and 1.2.3(.)4 and 5[dot]6[dot]7[dot]8");
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].value, "45.77.65.211");
  EXPECT_TRUE(ms[0].defanged);
  EXPECT_EQ(ms[0].start, 6u);
  EXPECT_EQ(ms[0].end, 24u);
  EXPECT_EQ(ms[1].value, "1.2.3.4");
  EXPECT_EQ(ms[2].value, "5.6.7.8");
}

// After punctuation that is no part of a dotted name ("...", ":.", "(."), an address
// is found; after a label and a dot it is the tail of a longer name, and is not.
TEST(IocsIpv4, AfterPunctuation) {
  EXPECT_EQ(found("servers...185.220.101.4 list:.198.51.100.7 (.2001:db8::7) see...evil.com"),
            (V{"ipv4 185.220.101.4", "ipv4 198.51.100.7", "ipv6 2001:db8::7", "domain evil.com"}));
  EXPECT_EQ(found("5.1.2.3.4 x.1.2.3.4 a.2001:db8::7"), V{});
}

TEST(IocsIpv4, Negative) {
  EXPECT_EQ(found("version 1.2.3.4.5 and 1.2.3"), V{});
  EXPECT_EQ(found("256.1.1.1 1.2.3.999 01.2.3.4 1.02.3.4"), V{});
  EXPECT_EQ(found("Chrome/102.0.5005.63 Windows NT 10.0.19041.1 .NET CLR 2.0.50727"), V{});
  EXPECT_EQ(found("v1.2.3.4 1.2.3.4a a1.2.3.4 1.2.3.4_x"), V{});
  EXPECT_EQ(found("on 2021.03.10 at 12.30.45"), V{});
}

TEST(IocsIpv6, Positive) {
  EXPECT_EQ(found("from 2001:db8::1, fe80::1%eth0 and ::1."),
            (V{"ipv6 2001:db8::1", "ipv6 fe80::1", "ipv6 ::1"}));
  EXPECT_EQ(found("[2001:DB8:0:0:0:0:0:2]:443"), (V{"ipv6 2001:db8::2"}));
  EXPECT_EQ(found("mapped ::ffff:192.0.2.1 here"), (V{"ipv6 ::ffff:192.0.2.1"}));
  EXPECT_EQ(found("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334"), (V{"ipv6 2001:db8:85a3::8a2e:370:7334"}));
}

TEST(IocsIpv6, NotMacOrTimeOrCode) {
  EXPECT_EQ(found("mac 00:1a:2b:3c:4d:5e and 00-1A-2B-3C-4D-5E"), V{});
  EXPECT_EQ(found("eui 00:1a:2b:ff:fe:3c:4d:5e"), V{});
  EXPECT_EQ(found("at 12:30:45 and 12:30:45.123 and 2021-03-10T12:30:45Z"), V{});
  EXPECT_EQ(found("std::string Foo::Bar :: a:b"), V{});
  EXPECT_EQ(found("1:2:3:4:5:6:7:8:9 2001:db8::1::2 gggg::1"), V{});
  EXPECT_EQ(found("Add:: then 1:: and fe80::"), (V{"ipv6 fe80::"}));
}

TEST(IocsDomain, Positive) {
  EXPECT_EQ(found("beacons to evil.com and Sub.Example.CO.UK."),
            (V{"domain evil.com", "domain sub.example.co.uk"}));
  EXPECT_EQ(found("host=cats.runtimerec.com;"), (V{"domain cats.runtimerec.com"}));
  EXPECT_EQ(found("xn--80ak6aa92e.com"), (V{"domain xn--80ak6aa92e.com"}));
  EXPECT_EQ(found("d41d8cd98f00b204e9800998ecf8427e.tunnel.evil.net"),
            (V{"domain d41d8cd98f00b204e9800998ecf8427e.tunnel.evil.net"}));
}

TEST(IocsDomain, Defanged) {
  auto ms = extract("olidhealth[.]com turnscor(.)com elite4print{.}com hurricanepub[dot]com evil dot org");
  V v;
  for (auto& m : ms) {
    EXPECT_TRUE(m.defanged);
    v.push_back(m.value);
  }
  EXPECT_EQ(v, (V{"olidhealth.com", "turnscor.com", "elite4print.com", "hurricanepub.com", "evil.org"}));
}

TEST(IocsDomain, Negative) {
  // Not a public suffix: file names.
  EXPECT_EQ(found("file.exe readme.txt tsetup.1.0.14.exe doubleextension.pdf.exe x.local"), V{});
  // The stop-list: TLDs that are file extensions, unless defanged or a URL's host.
  EXPECT_EQ(found("QuZYpObins.sh setup.py archive.zip clip.mov README.md main.rs libc.so"), V{});
  EXPECT_EQ(found("QuZYpObins[.]sh"), (V{"domain quzypobins.sh"}));
  EXPECT_EQ(found("http://archive.zip/x"), (V{"url http://archive.zip/x", "domain archive.zip"}));
  // A multi-label public suffix is a domain whatever its last label: com.py.
  EXPECT_EQ(found("tienda.com.py"), (V{"domain tienda.com.py"}));
  // Prose and code.
  EXPECT_EQ(found("i.e. e.g. a.m. U.S. etc."), V{});
  EXPECT_EQ(found("obj.name(x) my_file.com $x.com"), V{});
  EXPECT_EQ(found("CreateObject(\"WScript.Shell\")"), V{});
  EXPECT_EQ(found("self.id user.name tokopedia.co.id"), (V{"domain tokopedia.co.id"}));
  EXPECT_EQ(found("evil.com_backup"), V{});
  EXPECT_EQ(found("path/to/evil.com"), V{});
  EXPECT_EQ(found("a..com .com com."), V{});
  EXPECT_EQ(found("-bad-.com x.-y.com"), V{});
}

TEST(IocsUrl, Positive) {
  EXPECT_EQ(found("get https://evil.com/a/b.php?x=1&y=2#frag now"),
            (V{"url https://evil.com/a/b.php?x=1&y=2#frag", "domain evil.com"}));
  EXPECT_EQ(found("ftp://user:pw@10.1.2.3:21/pub"), (V{"url ftp://user:pw@10.1.2.3:21/pub", "ipv4 10.1.2.3"}));
  EXPECT_EQ(found("http://[2001:db8::1]:8080/x"), (V{"url http://[2001:db8::1]:8080/x", "ipv6 2001:db8::1"}));
  EXPECT_EQ(found("http://server/file.sct"), (V{"url http://server/file.sct"}));
  EXPECT_EQ(found("HTTPS://Evil.COM/Path"), (V{"url https://evil.com/Path", "domain evil.com"}));
  EXPECT_EQ(found("sftp://a.example.org wss://b.example.net/s"),
            (V{"url sftp://a.example.org", "domain a.example.org", "url wss://b.example.net/s",
               "domain b.example.net"}));
}

TEST(IocsUrl, Defanged) {
  auto ms = extract("hxxp://evil[.]com/gate[.]php hXXps[:]//bad(.)org/x fxp://files[dot]ru/a http[://]c2.net/b");
  V v;
  for (auto& m : ms) v.push_back(std::string(type_name(m.type)) + " " + m.value + (m.defanged ? " D" : ""));
  EXPECT_EQ(v, (V{"url http://evil.com/gate.php D", "domain evil.com D", "url https://bad.org/x D",
                  "domain bad.org D", "url ftp://files.ru/a D", "domain files.ru D", "url http://c2.net/b D",
                  "domain c2.net"}));
}

TEST(IocsUrl, TrailingPunctuationAndBrackets) {
  EXPECT_EQ(found("(see http://evil.com/a)."), (V{"url http://evil.com/a", "domain evil.com"}));
  EXPECT_EQ(found("[click](https://evil.com/x)"), (V{"url https://evil.com/x", "domain evil.com"}));
  EXPECT_EQ(found("https://en.wikipedia.org/wiki/Foo_(bar), ok"),
            (V{"url https://en.wikipedia.org/wiki/Foo_(bar)", "domain en.wikipedia.org"}));
  EXPECT_EQ(found("<http://evil.com/x>"), (V{"url http://evil.com/x", "domain evil.com"}));
  EXPECT_EQ(found("\"http://evil.com/x\","), (V{"url http://evil.com/x", "domain evil.com"}));
  EXPECT_EQ(found("**http://evil.com/x**"), (V{"url http://evil.com/x", "domain evil.com"}));
  EXPECT_EQ(found("'http://evil.com/x';"), (V{"url http://evil.com/x", "domain evil.com"}));
  EXPECT_EQ(found("DownloadFile('https://blah/png','google.png')"), (V{"url https://blah/png"}));
  EXPECT_EQ(found("'http://a.com/x.'b http://c.com/y' 'http://d.com/z"),
            (V{"url http://a.com/x", "domain a.com", "url http://c.com/y", "domain c.com",
               "url http://d.com/z", "domain d.com"}));
  // CSV: a comma ends it, unless the field is quoted.
  EXPECT_EQ(found("https://a.sharepoint.com/x.ashx,admin@b.com,\"https://c.com/?ids=1,2\""),
            (V{"url https://a.sharepoint.com/x.ashx", "domain a.sharepoint.com", "email admin@b.com",
               "url https://c.com/?ids=1,2", "domain c.com"}));
}

TEST(IocsUrl, JsonEscapedSlashes) {
  const std::string t = "{\"u\":\"http:\\/\\/evil.com\\/a\\/b.php?x=1\"}";
  auto ms = extract(t);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].value, "http://evil.com/a/b.php?x=1");
  EXPECT_FALSE(ms[0].defanged);
  EXPECT_EQ(t.substr(ms[0].start, ms[0].end - ms[0].start), "http:\\/\\/evil.com\\/a\\/b.php?x=1");
  EXPECT_EQ(ms[1].value, "evil.com");
}

TEST(IocsUrl, Negative) {
  EXPECT_EQ(found("http:// http://. http://-x/ http://999.1.1.1/"), V{});
  // A scheme we do not know needs a host that is a domain or an address.
  EXPECT_EQ(found("tcp://server/x app://settings x://evil.com 1tcp://evil.com/"),
            (V{"domain evil.com", "domain evil.com"}));
}

// Any scheme:// whose host is a domain or an address is a URL: malware configurations
// write tcp:// and udp://; "xhttp" is a scheme like any other.
TEST(IocsUrl, AnyScheme) {
  EXPECT_EQ(found("tcp://203.0.113.5:4444 udp://c2.example.org:53/x"),
            (V{"url tcp://203.0.113.5:4444", "ipv4 203.0.113.5", "url udp://c2.example.org:53/x",
               "domain c2.example.org"}));
  EXPECT_EQ(found("foo://evil.com/x git+ssh://git.example.org/r.git"),
            (V{"url foo://evil.com/x", "domain evil.com", "url git+ssh://git.example.org/r.git",
               "domain git.example.org"}));
  EXPECT_EQ(found("xhttp://a.com ms-settings://[2001:db8::5]/"),
            (V{"url xhttp://a.com", "domain a.com", "url ms-settings://[2001:db8::5]/", "ipv6 2001:db8::5"}));
  EXPECT_EQ(found("see...tcp://1.2.3.4"), (V{"url tcp://1.2.3.4", "ipv4 1.2.3.4"}));
  EXPECT_EQ(found("TCP[:]//evil[.]com"), (V{"url tcp://evil.com", "domain evil.com"}));
}

// ftps and sftp defanged as ftp is: fXps, fxps, sfXp.
TEST(IocsUrl, DefangedFtpsAndSftp) {
  auto ms = extract("fXps://files.example.org/a fxps://b.example.org sfXp://c.example.org/x");
  V v;
  for (auto& m : ms) v.push_back(std::string(type_name(m.type)) + " " + m.value + (m.defanged ? " D" : ""));
  EXPECT_EQ(v, (V{"url ftps://files.example.org/a D", "domain files.example.org", "url ftps://b.example.org D",
                  "domain b.example.org", "url sftp://c.example.org/x D", "domain c.example.org"}));
  EXPECT_EQ(refang("fXps://a.b sfxp://c.d"), "ftps://a.b sftp://c.d");
}

// A '_' in a host's label is legal in practice (build_01.example.org): the whole URL
// and its domain come out. In free text such a name is still no domain (my_file.com).
TEST(IocsUrl, UnderscoreInHost) {
  EXPECT_EQ(found("https://build_01.example.org/a and http://_dmarc.x.example.com"),
            (V{"url https://build_01.example.org/a", "domain build_01.example.org",
               "url http://_dmarc.x.example.com", "domain _dmarc.x.example.com"}));
  EXPECT_EQ(found("build_01.example.org"), V{});
}

// A defanged '/' ("[/]", "(/)", "{/}") inside a URL is refanged like "[.]", not its end.
TEST(IocsUrl, SlashDefangs) {
  const std::string t = "hxxp://example[.]org[/]path[/]a.php, hxxp://example[.]org(/)path(/)b.php and x.org{/}c";
  auto ms = extract(t);
  V v;
  for (auto& m : ms) v.push_back(std::string(type_name(m.type)) + " " + m.value + (m.defanged ? " D" : ""));
  EXPECT_EQ(v, (V{"url http://example.org/path/a.php D", "domain example.org D", "url http://example.org/path/b.php D",
                  "domain example.org D", "domain x.org"}));
  EXPECT_EQ(t.substr(ms[0].start, ms[0].end - ms[0].start), "hxxp://example[.]org[/]path[/]a.php");
  EXPECT_EQ(found("http://x.org{/}c/d http://y.org[/]"), (V{"url http://x.org/c/d", "domain x.org",
                                                            "url http://y.org/", "domain y.org"}));
  EXPECT_EQ(refang("a[/]b(/)c{/}d"), "a/b/c/d");
}

TEST(IocsUrl, NestedAndPercentEncoded) {
  const std::string t = "http://a.com/r?u=http%3A%2F%2Fevil.com%2Fx";
  auto ms = extract(t);
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0].value, t);  // the URL keeps its percent-encoding
  EXPECT_EQ(ms[2].value, "http://evil.com/x");
  EXPECT_EQ(t.substr(ms[2].start, ms[2].end - ms[2].start), "http%3A%2F%2Fevil.com%2Fx");
  EXPECT_EQ(ms[3].value, "evil.com");
  EXPECT_EQ(t.substr(ms[3].start, ms[3].end - ms[3].start), "evil.com");
  EXPECT_EQ(found("https://www.virustotal.com/gui/file/37e30dc2faaabaf93f0539ffbde032461ab63a2c242fbe6e1f60a22344c8a334"),
            (V{"url https://www.virustotal.com/gui/file/37e30dc2faaabaf93f0539ffbde032461ab63a2c242fbe6e1f60a22344c8a334",
               "domain www.virustotal.com",
               "sha256 37e30dc2faaabaf93f0539ffbde032461ab63a2c242fbe6e1f60a22344c8a334"}));
  // A URL's path is no Linux path.
  EXPECT_EQ(found("http://a.com/etc/passwd"), (V{"url http://a.com/etc/passwd", "domain a.com"}));
}

TEST(IocsEmail, PositiveAndDefanged) {
  EXPECT_EQ(found("mail john.doe+x@Corp.Example.com, or admin@evil.ru."),
            (V{"email john.doe+x@corp.example.com", "email admin@evil.ru"}));
  EXPECT_EQ(found("user[at]evil[.]com user[@]evil.com user(at)evil(.)net"),
            (V{"email user@evil.com", "email user@evil.com", "email user@evil.net"}));
  // The file-extension stop-list does not apply to an e-mail's domain.
  EXPECT_EQ(found("dev@project.sh"), (V{"email dev@project.sh"}));
  // A local part that looks like a hash is the address's, not a hash of its own (nor
  // does the domain come out alone). Without a valid domain it is a hash again.
  EXPECT_EQ(found("from d41d8cd98f00b204e9800998ecf8427e@evil.com and 0123456789abcdef0123456789abcdef[at]x[.]org"),
            (V{"email d41d8cd98f00b204e9800998ecf8427e@evil.com", "email 0123456789abcdef0123456789abcdef@x.org"}));
  EXPECT_EQ(found("x+d41d8cd98f00b204e9800998ecf8427e@evil.com"),
            (V{"email x+d41d8cd98f00b204e9800998ecf8427e@evil.com"}));
  EXPECT_EQ(found("d41d8cd98f00b204e9800998ecf8427e@localhost"), (V{"md5 d41d8cd98f00b204e9800998ecf8427e"}));
}

// RFC 5322 allows ! # $ % & ' * + - ^ _ ~ in a local part (o'brien, o#neil); they
// are kept inside it, and dropped in front of it, where they are the text's
// punctuation ('quoted', **bold**, #tag).
TEST(IocsEmail, LegalSpecialsInTheLocalPart) {
  EXPECT_EQ(found("o#neil@example.org, o'brien@example.org and a!b$c&d*e^f~g@example.org"),
            (V{"email o#neil@example.org", "email o'brien@example.org", "email a!b$c&d*e^f~g@example.org"}));
  EXPECT_EQ(found("'admin@evil.com' **root@evil.com** #ops@evil.com email=dev@evil.com `x@evil.com`"),
            (V{"email admin@evil.com", "email root@evil.com", "email ops@evil.com", "email dev@evil.com",
               "email x@evil.com"}));
  EXPECT_EQ(found("o'brien[at]example[.]org"), (V{"email o'brien@example.org"}));
}

TEST(IocsEmail, Negative) {
  EXPECT_EQ(found("@handle user@host user@file.exe .@x.com"), (V{"domain x.com"}));
  EXPECT_EQ(found("a@b"), V{});
}

TEST(IocsHash, Positive) {
  EXPECT_EQ(found("md5 81ed03caf6901e444c72ac67d192fb9c sha1 A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"),
            (V{"md5 81ed03caf6901e444c72ac67d192fb9c", "sha1 a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}));
  const std::string sha512(128, 'a');
  std::string h512 = sha512;
  h512[5] = '1';
  EXPECT_EQ(found("x " + h512 + " y"), (V{"sha512 " + h512}));
  EXPECT_EQ(found("37e30dc2faaabaf93f0539ffbde032461ab63a2c242fbe6e1f60a22344c8a334.exe"),
            (V{"sha256 37e30dc2faaabaf93f0539ffbde032461ab63a2c242fbe6e1f60a22344c8a334"}));
  EXPECT_EQ(found("hash=\"81ed03caf6901e444c72ac67d192fb9c\""), (V{"md5 81ed03caf6901e444c72ac67d192fb9c"}));
}

TEST(IocsHash, HexThatIsNotAHash) {
  EXPECT_EQ(found("81ed03caf6901e444c72ac67d192fb9c0"), V{});    // 33 hex digits
  EXPECT_EQ(found("81ed03caf6901e444c72ac67d192fb9"), V{});      // 31
  EXPECT_EQ(found("0x81ed03caf6901e444c72ac67d192fb9c"), V{});   // a number
  EXPECT_EQ(found("g81ed03caf6901e444c72ac67d192fb9c"), V{});    // part of a word
  EXPECT_EQ(found("00000000000000000000000000000000"), V{});     // all digits
  EXPECT_EQ(found("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), V{});     // no digit
  EXPECT_EQ(found("81ED03caf6901e444c72ac67d192fb9c"), V{});     // mixed case
  EXPECT_EQ(found("{12345678-1234-1234-1234-123456789abc}"), V{});  // a GUID
  // Hex-encoded text: auditd's proctitle of "sudo auditctl -l".
  EXPECT_EQ(found("proctitle=7375646f00617564697463746c002d6c"), V{});
}

TEST(IocsCve, PositiveAndNegative) {
  EXPECT_EQ(found("CVE-2021-26855, cve-2021-27065 and CVE-2014-0160."),
            (V{"cve CVE-2021-26855", "cve CVE-2021-27065", "cve CVE-2014-0160"}));
  EXPECT_EQ(found("CVE-21-1234 CVE-2021-123 XCVE-2021-1234 CVE-2021-12345678 CVE-2021-1234a"), V{});
}

TEST(IocsWindowsPath, Positive) {
  EXPECT_EQ(found("dropped C:\\Windows\\Temp\\x.exe."), (V{"windows_path C:\\Windows\\Temp\\x.exe"}));
  EXPECT_EQ(found("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorPage.aspx was"),
            (V{"windows_path C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorPage.aspx"}));
  EXPECT_EQ(found("\"C:\\Program Files (x86)\\My App\\run me.exe\" /s"),
            (V{"windows_path C:\\Program Files (x86)\\My App\\run me.exe"}));
  EXPECT_EQ(found("\\\\server\\share\\payload.dll and \\\\.\\pipe\\blahtest"),
            (V{"windows_path \\\\server\\share\\payload.dll", "windows_path \\\\.\\pipe\\blahtest"}));
  EXPECT_EQ(found("%APPDATA%\\KiTTY\\mscoree.dll"), (V{"windows_path %APPDATA%\\KiTTY\\mscoree.dll"}));
  // JSON-escaped: the value is unescaped, raw stays as written.
  auto ms = extract("{\"Directory\":\"C:\\\\Users\\\\bob\\\\AppData\"}");
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].value, "C:\\Users\\bob\\AppData");
  EXPECT_EQ(ms[0].end - ms[0].start, 23u);
  // Unicode user names; curly quotes around are not part of it.
  EXPECT_EQ(found("\xE2\x80\x9C" "C:\\Users\\Jos\xC3\xA9\\x.exe" "\xE2\x80\x9D"),
            (V{"windows_path C:\\Users\\Jos\xC3\xA9\\x.exe"}));
}

TEST(IocsWindowsPath, SpacesEndWhereThePathEnds) {
  EXPECT_EQ(found("C:\\Windows\\System32\\cmd.exe /c start /b C:\\ProgramData\\x.exe 0CE1"),
            (V{"windows_path C:\\Windows\\System32\\cmd.exe", "windows_path C:\\ProgramData\\x.exe"}));
  EXPECT_EQ(found("C:\\a\\b.exe or foo\\bar"), (V{"windows_path C:\\a\\b.exe"}));
  EXPECT_EQ(found("C:\\a\\b and %TEMP%\\x"), (V{"windows_path C:\\a\\b", "windows_path %TEMP%\\x"}));
  // Lists and quotes around: CSV fields, PATH, a single-quoted argument.
  EXPECT_EQ(found("'C:\\ProgramFiles\\mimikatz.exe',High,c:\\x\\y.exe;C:\\z\\w"),
            (V{"windows_path C:\\ProgramFiles\\mimikatz.exe", "windows_path c:\\x\\y.exe",
               "windows_path C:\\z\\w"}));
  EXPECT_EQ(found("C:\\Users\\O'Brien\\x.txt"), (V{"windows_path C:\\Users\\O'Brien\\x.txt"}));
  // After a single quote every form ends at the next one (and goes on without it).
  EXPECT_EQ(found("'\\\\srv\\share\\a.dll','%APPDATA%\\x.exe','HKLM\\Software\\Run' 'C:\\a\\b"),
            (V{"windows_path \\\\srv\\share\\a.dll", "windows_path %APPDATA%\\x.exe",
               "registry_key HKLM\\Software\\Run", "windows_path C:\\a\\b"}));
  // A quoted command line is no quoted path.
  EXPECT_EQ(found("\"C:\\Windows\\system32\\net1  group \"\"Domain Admins\"\" /domain\""),
            (V{"windows_path C:\\Windows\\system32\\net1"}));
  EXPECT_EQ(found("\"C:\\Windows\\x.exe -enc abc\""), (V{"windows_path C:\\Windows\\x.exe"}));
}

TEST(IocsWindowsPath, Negative) {
  EXPECT_EQ(found("C:\\ alone, a:b, \\d+\\w, regex \\s"), V{});
  EXPECT_EQ(found("xC:\\Windows"), V{});
}

TEST(IocsRegistry, PositiveAndNegative) {
  EXPECT_EQ(found("reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x"),
            (V{"registry_key HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"}));
  EXPECT_EQ(found("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Svchost\\My"),
            (V{"registry_key HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Svchost\\My"}));
  EXPECT_EQ(found("Get-Item HKCU:\\Software\\Classes\\mscfile"),
            (V{"registry_key HKCU:\\Software\\Classes\\mscfile"}));
  EXPECT_EQ(found("\\hkcu\\software\\microsoft\\some\\key\\Run"),
            (V{"registry_key hkcu\\software\\microsoft\\some\\key\\Run"}));
  EXPECT_EQ(found("HKLM alone, HKXX\\Software, XHKLM\\Software"), V{});
  EXPECT_EQ(found("HKLM\\a HKCU\\b"), (V{"registry_key HKLM\\a", "registry_key HKCU\\b"}));
}

TEST(IocsLinuxPath, PositiveAndNegative) {
  EXPECT_EQ(found("cat /etc/passwd; cd /tmp && ./x; 2>/dev/null ~/.ssh/id_rsa /usr/lib/python3.8/site.py."),
            (V{"linux_path /etc/passwd", "linux_path /tmp", "linux_path /dev/null", "linux_path ~/.ssh/id_rsa",
               "linux_path /usr/lib/python3.8/site.py"}));
  EXPECT_EQ(found("PATH=/usr/bin:/bin"), (V{"linux_path /usr/bin", "linux_path /bin"}));
  EXPECT_EQ(found("and/or 12/30/2021 /2021/03 </div> km/h /c /s /q TCP/IP application/json"), V{});
  // Not under a top-level directory: a URL path in a web log, an Azure resource id.
  EXPECT_EQ(found("\"GET /api/v1/users.php?q=1 HTTP/1.1\" /subscriptions/40dc/resourceGroups/rg ~/x"), V{});
}

TEST(IocsUnicode, AroundMatches) {
  // Full-width and CJK punctuation, curly quotes, non-breaking space.
  EXPECT_EQ(found("\xE8\xAE\xBF\xE9\x97\xAE" "evil.com" "\xEF\xBC\x8C" "1.2.3.4" "\xE3\x80\x82"),
            (V{"domain evil.com", "ipv4 1.2.3.4"}));
  EXPECT_EQ(found("\xE2\x80\x9Chttp://evil.com/a\xE2\x80\x9D"), (V{"url http://evil.com/a", "domain evil.com"}));
  EXPECT_EQ(found("\xC2\xA0" "8.8.8.8" "\xC2\xA0"), (V{"ipv4 8.8.8.8"}));
  EXPECT_EQ(found("/tmp/\xC3\xA9t\xC3\xA9.sh\xE3\x80\x82"), (V{"linux_path /tmp/\xC3\xA9t\xC3\xA9.sh"}));
}

TEST(IocsUnicode, InvalidUtf8) {
  const std::string t = "\xFF\xFE" "1.2.3.4\x80" "evil.com\xC0\xAF" "/tmp/a\xFF" "b";
  auto ms = extract(t);
  check_invariants(t, ms);
  EXPECT_EQ(found(t), (V{"ipv4 1.2.3.4", "domain evil.com", "linux_path /tmp/a"}));
}

TEST(IocsTypes, FilterAndParse) {
  EXPECT_EQ(found("1.2.3.4 http://evil.com/x", parse_types("domain")), (V{"domain evil.com"}));
  EXPECT_EQ(found("1.2.3.4 http://evil.com/x", parse_types(" IPv4 , url")),
            (V{"ipv4 1.2.3.4", "url http://evil.com/x"}));
  EXPECT_THROW(parse_types("ipv5"), std::invalid_argument);
  EXPECT_THROW(parse_types(" , "), std::invalid_argument);
}

TEST(IocsWholeType, Values) {
  EXPECT_EQ(whole_type("1.2.3.4 "), Type::kIpv4);
  EXPECT_EQ(whole_type("hxxp://evil[.]com/a"), Type::kUrl);
  EXPECT_EQ(whole_type("evil[.]com"), Type::kDomain);
  EXPECT_EQ(whole_type("CVE-2021-26855"), Type::kCve);
  EXPECT_EQ(whole_type("C:\\ProgramData\\Comms\\colorui.dll"), Type::kWindowsPath);
  EXPECT_EQ(whole_type("N:\\2.MyDevelopment\\tightvnc\\x64\\\\Release\\tvnviewer.pdb "), Type::kWindowsPath);
  EXPECT_EQ(whole_type("1.2.3.4 5.6.7.8"), std::nullopt);
  EXPECT_EQ(whole_type("setup.py"), std::nullopt);
  EXPECT_EQ(whole_type(""), std::nullopt);
}

// The streaming Scanner gives extract()'s matches, in order, whatever the batch size;
// a batch is at least the size asked for unless the text ends.
TEST(IocsScanner, BatchesGiveTheSameMatches) {
  const std::string text = read_file(std::string(SQLHUNT_SOURCE_DIR) + "/tests/fixtures/iocs/hafnium_advisory.txt");
  ASSERT_FALSE(text.empty());
  const auto all = extract(text);
  auto key = [](const Match& m) { return std::to_string(m.start) + " " + type_name(m.type) + " " + m.value; };
  for (size_t batch : {1, 7, 256, 100000}) {
    Scanner scan(text);
    std::vector<Match> got, part;
    while (scan.next(part, batch)) {
      if (got.size() + part.size() < all.size()) {
        EXPECT_GE(part.size(), batch);
      }
      got.insert(got.end(), part.begin(), part.end());
    }
    EXPECT_TRUE(part.empty());
    EXPECT_FALSE(scan.next(part, batch));  // and stays done
    ASSERT_EQ(got.size(), all.size()) << batch;
    for (size_t k = 0; k < all.size(); ++k) EXPECT_EQ(key(got[k]), key(all[k])) << batch;
  }
}

// whole() is the classifier ti_lookup shares: type and value, and it reads no further
// than the first indicator (a value of megabytes after one costs nothing more).
TEST(IocsWholeType, ValueAndEarlyStop) {
  auto m = whole(" hxxps://Evil[.]COM/A?b=1 ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, Type::kUrl);
  EXPECT_EQ(m->value, "https://evil.com/A?b=1");
  EXPECT_EQ(whole("2001:DB8::1")->value, "2001:db8::1");
  std::string long_tail = "1.2.3.4 ";
  for (int k = 0; k < 200000; ++k) long_tail += "5.6.7.8 ";
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  for (int k = 0; k < 100; ++k) EXPECT_FALSE(whole(long_tail));
  const double stopped = std::chrono::duration<double>(clock::now() - t0).count();
  t0 = clock::now();
  EXPECT_EQ(extract(long_tail).size(), 200001u);
  const double full = std::chrono::duration<double>(clock::now() - t0).count();
  // A hundred calls that stop at the second address cost less than one scan of it all
  // (in any build, under any load: the one scan is 100 000 times the work).
  EXPECT_LT(stopped, full) << "100 x whole(): " << stopped << " s, one extract(): " << full << " s";
}

TEST(IocsRefang, Forms) {
  EXPECT_EQ(refang("hxxp://evil[.]com"), "http://evil.com");
  EXPECT_EQ(refang("hXXps[:]//a(.)b{.}c[dot]d"), "https://a.b.c.d");
  EXPECT_EQ(refang("http[://]x.com fxp://y.org"), "http://x.com ftp://y.org");
  EXPECT_EQ(refang("user[at]x[.]org user[@]y.org evil dot com"), "user@x.org user@y.org evil.com");
  EXPECT_EQ(refang("hxxp:\\\\evil.com"), "http://evil.com");
  EXPECT_EQ(refang("nothing to do (really) [x]"), "nothing to do (really) [x]");
  EXPECT_EQ(refang("C:\\\\Windows hxxpd"), "C:\\\\Windows hxxpd");
}
