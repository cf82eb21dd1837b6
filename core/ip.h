// core/ip.h — IP addresses: strict parsing, canonical text, and address classes.
//
// Shared by the IoC extractor (is this token an address?), ip_class() and
// ip_enrichment (which addresses deserve a remote lookup). Parsing is strict, because
// a security tool that reads "010.1.1.1" as 8.1.1.1 (octal, as inet_aton does) or
// accepts "1.2.3.256" points the analyst at the wrong host:
//   IPv4  dotted quad only, each part 0..255 in decimal, no leading zeros ("0" alone is
//         fine), no spaces.
//   IPv6  every RFC 4291 text form: full, "::"-compressed, with an embedded IPv4 tail
//         (::ffff:1.2.3.4); hex digits in either case; no zone index ("fe80::1%eth0" is
//         refused: a zone names an interface of some machine, not an address).
//
// Classes (the first that matches; sources: IANA IPv4/IPv6 special-purpose registries):
//   unspecified    0.0.0.0, ::
//   loopback       127.0.0.0/8, ::1
//   private        10/8, 172.16/12, 192.168/16, fc00::/7 (unique local)
//   shared         100.64.0.0/10 (carrier-grade NAT)
//   link-local     169.254/16, fe80::/10
//   documentation  192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
//   multicast      224/4, ff00::/8
//   reserved       0/8, 192.0.0/24, 198.18/15 (benchmarking), 240/4 with
//                  255.255.255.255, fec0::/10, 100::/64, 2001::/23, and IPv6
//                  outside 2000::/3
//   public         everything else
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) has the class of its IPv4 address.
//
// Addresses as logs write them (parse_endpoint, normalize): Office 365 writes
// "1.2.3.4:53108" and "[2603:1036:4:3f::5]:1672" in ClientIP, Windows "fe80::1%11",
// dual-stack servers "::ffff:10.0.0.4". Such a value never equals the plain address a
// threat-intel feed or another log holds, so every reader normalises through one rule:
//   * blanks around the value are dropped;
//   * "[v6]" and "[v6]:port", "v4:port" (one colon: an IPv6 address has two or more),
//     "[v4]" and "[v4]:port": the port (0..65535, 1 to 5 digits) is split off;
//   * "v6%zone" (RFC 4007; zone letters, digits, '_', '-', '.'): the zone is dropped;
//   * an IPv4-mapped IPv6 address (::ffff:a.b.c.d, in any spelling) is the IPv4 address;
//   * the address is then parsed as strictly as above, and written canonically.
// Anything else (a host name, a CIDR range, "-", "<null>", an octal-looking v4) is no
// address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::ip {

struct Address {
  bool v6 = false;
  // IPv4: bytes[0..3]; IPv6: all 16. Network byte order.
  std::array<uint8_t, 16> bytes{};

  uint32_t v4() const {
    return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3];
  }
  // The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d).
  std::optional<Address> mapped_v4() const;
  bool operator==(const Address& o) const { return v6 == o.v6 && bytes == o.bytes; }
};

std::optional<Address> parse_v4(std::string_view text);
std::optional<Address> parse_v6(std::string_view text);
// Either form; nullopt when `text` (whole) is not an address.
std::optional<Address> parse(std::string_view text);

// Canonical text: dotted quad; RFC 5952 for IPv6 (lower case, longest zero run
// compressed, ::ffff:1.2.3.4 for mapped addresses).
std::string to_string(const Address& a);

// An address with the decorations logs add around it (see above), taken apart.
struct Endpoint {
  Address address;               // IPv4-mapped IPv6 already turned into IPv4
  std::optional<uint16_t> port;  // from "v4:port" or "[v6]:port"
};
// nullopt when `text` holds no address in any of those forms.
std::optional<Endpoint> parse_endpoint(std::string_view text);

// The canonical text of the address `text` holds (parse_endpoint, then to_string):
// "[2603:1036:4:3F::5]:1672" -> "2603:1036:4:3f::5", "::ffff:10.0.0.4" -> "10.0.0.4";
// nullopt when it holds none.
std::optional<std::string> normalize(std::string_view text);

enum class Class {
  kPublic,
  kPrivate,
  kLoopback,
  kLinkLocal,
  kMulticast,
  kReserved,
  kShared,
  kDocumentation,
  kUnspecified,
};

Class classify(const Address& a);
// "public", "private", "loopback", "link-local", "multicast", "reserved", "shared",
// "documentation", "unspecified"
const char* class_name(Class c);

}  // namespace sqlhunt::ip
