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
