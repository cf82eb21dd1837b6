// core/dns.h — concurrent reverse DNS (PTR) lookups with c-ares.
//
// Every address of a batch is asked at once on one c-ares channel, as a PTR query to
// DNS (never /etc/hosts), with a per-query timeout and, when `server` is set ("127.0.0.1:5353",
// "[::1]:53", "9.9.9.9"), that server instead of the system's resolv.conf.
// getnameinfo() has neither a timeout nor a server setting; this has both.
#pragma once

#include <string>
#include <vector>

#include "core/ip.h"

namespace sqlhunt::dns {

struct Answer {
  std::string status;  // ok, not_found, error, offline
  std::string name;    // the PTR name (no trailing dot) when ok
  std::string error;   // why, when error
};

// One Answer per address, in order. Throws sqlhunt::Error only for a bad `server`
// setting or when c-ares cannot start.
std::vector<Answer> reverse(const std::vector<ip::Address>& addresses, const std::string& server,
                            double timeout_seconds);

}  // namespace sqlhunt::dns
