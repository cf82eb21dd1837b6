#include "core/ip.h"

#include "core/hex.h"
#include "core/text.h"

namespace sqlhunt::ip {
namespace {

bool in_v4(uint32_t addr, uint32_t net, int prefix) {
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (addr & mask) == net;
}

bool in_v6(const std::array<uint8_t, 16>& b, std::initializer_list<uint8_t> net, int prefix) {
  int bit = 0;
  for (uint8_t want : net) {
    const int take = std::min(8, prefix - bit);
    if (take <= 0) break;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - take));
    if ((b[static_cast<size_t>(bit / 8)] & mask) != (want & mask)) return false;
    bit += 8;
  }
  return true;
}

Class classify_v4(uint32_t a) {
  if (a == 0) return Class::kUnspecified;
  if (in_v4(a, 0x7f000000, 8)) return Class::kLoopback;
  if (in_v4(a, 0x0a000000, 8) || in_v4(a, 0xac100000, 12) || in_v4(a, 0xc0a80000, 16)) return Class::kPrivate;
  if (in_v4(a, 0x64400000, 10)) return Class::kShared;
  if (in_v4(a, 0xa9fe0000, 16)) return Class::kLinkLocal;
  if (in_v4(a, 0xc0000200, 24) || in_v4(a, 0xc6336400, 24) || in_v4(a, 0xcb007100, 24))
    return Class::kDocumentation;
  if (in_v4(a, 0xe0000000, 4)) return Class::kMulticast;
  if (in_v4(a, 0x00000000, 8) || in_v4(a, 0xc0000000, 24) || in_v4(a, 0xc6120000, 15) ||
      in_v4(a, 0xf0000000, 4))
    return Class::kReserved;
  return Class::kPublic;
}

}  // namespace

std::optional<Address> Address::mapped_v4() const {
  if (!v6) return std::nullopt;
  for (int i = 0; i < 10; ++i)
    if (bytes[static_cast<size_t>(i)] != 0) return std::nullopt;
  if (bytes[10] != 0xff || bytes[11] != 0xff) return std::nullopt;
  Address a;
  for (int i = 0; i < 4; ++i) a.bytes[static_cast<size_t>(i)] = bytes[static_cast<size_t>(12 + i)];
  return a;
}

std::optional<Address> parse_v4(std::string_view text) {
  Address a;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
    const size_t start = i;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3)
      value = value * 10 + static_cast<unsigned>(text[i++] - '0');
    const size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && text[start] == '0')) return std::nullopt;
    a.bytes[static_cast<size_t>(part)] = static_cast<uint8_t>(value);
  }
  if (i != text.size()) return std::nullopt;
  return a;
}

std::optional<Address> parse_v6(std::string_view text) {
  // Up to 8 16-bit groups; "::" once stands for the missing zero groups; the last 32
  // bits may be written as an IPv4 address.
  if (text.size() < 2 || text.size() > 45) return std::nullopt;
  uint16_t groups[8];
  int count = 0, gap = -1;
  size_t i = 0;
  if (text.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
    if (i == text.size()) {
      Address a;
      a.v6 = true;
      return a;
    }
  } else if (text[0] == ':') {
    return std::nullopt;
  }
  while (i < text.size()) {
    if (count == 8) return std::nullopt;
    // An IPv4 tail: the rest has a '.' and no ':'.
    const std::string_view rest = text.substr(i);
    if (rest.find('.') != std::string_view::npos && rest.find(':') == std::string_view::npos) {
      if (count > 6) return std::nullopt;
      auto v4 = parse_v4(rest);
      if (!v4) return std::nullopt;
      groups[count++] = static_cast<uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]);
      groups[count++] = static_cast<uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]);
      i = text.size();
      break;
    }
    unsigned value = 0;
    const size_t start = i;
    while (i < text.size() && i - start < 4) {
      const int d = hex::digit_value(static_cast<unsigned char>(text[i]));
      if (d < 0) break;
      value = value << 4 | static_cast<unsigned>(d);
      ++i;
    }
    if (i == start) return std::nullopt;
    groups[count++] = static_cast<uint16_t>(value);
    if (i == text.size()) break;
    if (text[i] != ':') return std::nullopt;
    ++i;
    if (i < text.size() && text[i] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = count;
      ++i;
    } else if (i == text.size()) {
      return std::nullopt;  // a single trailing ':'
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return std::nullopt;
  Address a;
  a.v6 = true;
  uint16_t full[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (gap < 0) {
    for (int g = 0; g < 8; ++g) full[g] = groups[g];
  } else {
    for (int g = 0; g < gap; ++g) full[g] = groups[g];
    const int tail = count - gap;
    for (int g = 0; g < tail; ++g) full[8 - tail + g] = groups[gap + g];
  }
  for (int g = 0; g < 8; ++g) {
    a.bytes[static_cast<size_t>(2 * g)] = static_cast<uint8_t>(full[g] >> 8);
    a.bytes[static_cast<size_t>(2 * g + 1)] = static_cast<uint8_t>(full[g] & 0xff);
  }
  return a;
}

std::optional<Address> parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_v6(text);
  return parse_v4(text);
}

std::string to_string(const Address& a) {
  if (!a.v6) {
    return std::to_string(a.bytes[0]) + "." + std::to_string(a.bytes[1]) + "." +
           std::to_string(a.bytes[2]) + "." + std::to_string(a.bytes[3]);
  }
  if (auto m = a.mapped_v4()) return "::ffff:" + to_string(*m);
  uint16_t g[8];
  for (int i = 0; i < 8; ++i)
    g[i] = static_cast<uint16_t>(a.bytes[static_cast<size_t>(2 * i)] << 8 | a.bytes[static_cast<size_t>(2 * i + 1)]);
  // RFC 5952: compress the longest run of two or more zero groups, the first on a tie.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int d = (g[i] >> shift) & 0xf;
      if (d || started || shift == 0) {
        out += digits[d];
        started = true;
      }
    }
  }
  return out;
}

namespace {

bool zone_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-' || c == '.';
}

// "443" -> 443; nullopt unless 1 to 5 digits up to 65535.
std::optional<uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

// An IPv6 address with an optional "%zone" (dropped).
std::optional<Address> parse_v6_zoned(std::string_view s) {
  const size_t pct = s.find('%');
  if (pct != std::string_view::npos) {
    const std::string_view zone = s.substr(pct + 1);
    if (zone.empty()) return std::nullopt;
    for (char c : zone)
      if (!zone_char(c)) return std::nullopt;
    s = s.substr(0, pct);
  }
  return parse_v6(s);
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  text = text::trim(text);
  if (text.empty()) return std::nullopt;
  Endpoint e;
  std::optional<Address> a;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view inside = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || !(e.port = parse_port(rest.substr(1)))) return std::nullopt;
    }
    a = inside.find(':') != std::string_view::npos ? parse_v6_zoned(inside) : parse_v4(inside);
  } else {
    const size_t first = text.find(':');
    if (first == std::string_view::npos) {
      a = parse_v4(text);
    } else if (text.find(':', first + 1) == std::string_view::npos) {
      // One colon: "v4:port" (an IPv6 address has at least two).
      if (!(e.port = parse_port(text.substr(first + 1)))) return std::nullopt;
      a = parse_v4(text.substr(0, first));
    } else {
      a = parse_v6_zoned(text);
    }
  }
  if (!a) return std::nullopt;
  if (auto v4 = a->mapped_v4()) a = v4;
  e.address = *a;
  return e;
}

std::optional<std::string> normalize(std::string_view text) {
  auto e = parse_endpoint(text);
  if (!e) return std::nullopt;
  return to_string(e->address);
}

Class classify(const Address& a) {
  if (!a.v6) return classify_v4(a.v4());
  if (auto m = a.mapped_v4()) return classify_v4(m->v4());
  const auto& b = a.bytes;
  bool zero_upto_15 = true;
  for (int i = 0; i < 15; ++i) zero_upto_15 &= b[static_cast<size_t>(i)] == 0;
  if (zero_upto_15 && b[15] == 0) return Class::kUnspecified;
  if (zero_upto_15 && b[15] == 1) return Class::kLoopback;
  if (in_v6(b, {0xfe, 0x80}, 10)) return Class::kLinkLocal;
  if (in_v6(b, {0xfc}, 7)) return Class::kPrivate;
  if (in_v6(b, {0xff}, 8)) return Class::kMulticast;
  if (in_v6(b, {0x20, 0x01, 0x0d, 0xb8}, 32) || in_v6(b, {0x3f, 0xff}, 20)) return Class::kDocumentation;
  if (in_v6(b, {0xfe, 0xc0}, 10) || in_v6(b, {0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64) ||
      in_v6(b, {0x20, 0x01, 0x00}, 23) || !in_v6(b, {0x20}, 3))
    return Class::kReserved;
  return Class::kPublic;
}

const char* class_name(Class c) {
  switch (c) {
    case Class::kPublic: return "public";
    case Class::kPrivate: return "private";
    case Class::kLoopback: return "loopback";
    case Class::kLinkLocal: return "link-local";
    case Class::kMulticast: return "multicast";
    case Class::kReserved: return "reserved";
    case Class::kShared: return "shared";
    case Class::kDocumentation: return "documentation";
    case Class::kUnspecified: return "unspecified";
  }
  return "reserved";
}

}  // namespace sqlhunt::ip
