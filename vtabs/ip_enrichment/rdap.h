// vtabs/ip_enrichment/rdap.h — RDAP (RFC 9082/9083, the modern WHOIS) for IP networks.
//
//   Bootstrap  IANA's bootstrap registry (RFC 9224) for IPv4 or IPv6: "services" is a
//              list of [[prefixes...], [base URLs...]]; the longest prefix holding the
//              address names the registry, and its https URL is preferred.
//   Network    the fields ip_enrichment shows from an RDAP "ip network" object: name,
//              the registrant's organisation (vCard fn of the entity with role
//              registrant, else of the first entity that has one), country, the network
//              (cidr0_cidrs when present, else startAddress-endAddress as CIDR blocks
//              when it is one, else "start - end"), and the registration date.
//   registry_for  where to ask about an address: rdap.url when set, else the bootstrap
//              file's registry (each file loaded once per process and kept).
//   to_cache_json / from_cache_json  a Network as the cache keeps it.
// Pure code: no network, no SQLite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"

namespace sqlhunt::rdap {

class Bootstrap {
 public:
  // Throws sqlhunt::Error naming `name` for text that is not a bootstrap file.
  static Bootstrap parse(std::string_view json_text, const std::string& name);
  static Bootstrap load(const std::string& path);
  // The registry's base URL (ending in '/'), "" when no service holds the address.
  std::string base_url(const ip::Address& a) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    ip::Address network;
    int prefix;
    std::string url;
  };
  std::vector<Entry> entries_;
};

struct Network {
  std::string name, org, country, network, created;  // created: ISO UTC ms, or ""
  std::string handle;
};

// nullopt with `error` set when the text is not an RDAP ip network object.
std::optional<Network> parse_network(std::string_view json_text, std::string* error);

// The registry base URL (ending in '/') to ask about `a`; "" with `error` set when
// there is none (a setting missing, a bootstrap file unreadable, no registry holds it).
std::string registry_for(const ip::Address& a, std::string* error);

// What a registry's HTTP reply says: a 200's network ("ok", or "error: " and why it is
// no ip network object), 404 "not_found", any other status "error: HTTP <n>".
struct Answer {
  std::string status;
  std::optional<Network> net;
};
Answer answer_from_reply(long http_status, std::string_view body);

std::string to_cache_json(const Network& n);
Network from_cache_json(std::string_view text);  // anything else: an empty Network

// True when `a` lies in prefix/len (same family).
bool in_prefix(const ip::Address& a, const ip::Address& prefix, int len);

}  // namespace sqlhunt::rdap
