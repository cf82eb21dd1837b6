#include "core/dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#include <chrono>
#include <cstring>
#include <mutex>

#include "core/config.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/offline.h"

namespace sqlhunt::dns {


const config::Registration kSettings({
    {"dns.server", "SQLHUNT_DNS_SERVER", "", config::Kind::kText, true, 0, 0,
     "DNS server for reverse lookups, as host or host:port ('' = the system's /etc/resolv.conf)."},
    {"dns.timeout", "SQLHUNT_DNS_TIMEOUT", "3", config::Kind::kNumber, true, 0.1, 60,
     "Seconds a reverse lookup may take."},
    {"dns.ttl", "SQLHUNT_DNS_TTL", "86400", config::Kind::kNumber, true, 0, 315360000,
     "Seconds a reverse-DNS answer is cached."},
});
namespace {

struct Pending {
  Answer* answer;
  const ip::Address* address;
};

// The PTR name of an address: 4.3.2.1.in-addr.arpa, or nibbles under ip6.arpa.
std::string ptr_name(const ip::Address& a) {
  std::string out;
  if (!a.v6) {
    for (int i = 3; i >= 0; --i) out += std::to_string(a.bytes[static_cast<size_t>(i)]) + ".";
    return out + "in-addr.arpa";
  }
  static const char* hex = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    const uint8_t b = a.bytes[static_cast<size_t>(i)];
    out += hex[b & 15];
    out += '.';
    out += hex[b >> 4];
    out += '.';
  }
  return out + "ip6.arpa";
}

// ares_query rather than ares_gethostbyaddr: the latter reports a timeout as "not
// found" once its lookup sources are exhausted, and the analyst must see the difference.
void on_reply(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto& p = *static_cast<Pending*>(arg);
  Answer& a = *p.answer;
  a.error.clear();
  if (status == ARES_SUCCESS) {
    hostent* host = nullptr;
    const int rc = ares_parse_ptr_reply(abuf, alen, p.address->bytes.data(), p.address->v6 ? 16 : 4,
                                        p.address->v6 ? AF_INET6 : AF_INET, &host);
    if (rc == ARES_SUCCESS && host && host->h_name) {
      a.status = "ok";
      a.name = host->h_name;
      if (!a.name.empty() && a.name.back() == '.') a.name.pop_back();
    } else if (rc == ARES_ENODATA || rc == ARES_ENOTFOUND) {
      a.status = "not_found";
    } else {
      a.status = "error";
      a.error = std::string("bad reply: ") + ares_strerror(rc);
    }
    if (host) ares_free_hostent(host);
  } else if (status == ARES_ENOTFOUND || status == ARES_ENODATA) {
    a.status = "not_found";
  } else if (status == ARES_ETIMEOUT) {
    a.status = "error";
    a.error = "timed out";
  } else {
    a.status = "error";
    a.error = ares_strerror(status);
  }
}

}  // namespace

std::vector<Answer> reverse(const std::vector<ip::Address>& addresses, const std::string& server,
                            double timeout_seconds) {
  static std::once_flag init;
  std::call_once(init, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  std::vector<Answer> out(addresses.size());
  if (addresses.empty()) return out;
  if (net::offline()) {  // the last guard: nothing is sent (core/offline.h)
    for (auto& a : out) a.status = net::kOfflineStatus, a.error = net::kOfflineDetail;
    return out;
  }

  ares_options opts{};
  const int ms = static_cast<int>(std::max(0.05, timeout_seconds) * 1000);
  opts.timeout = ms;
  opts.tries = 1;
  ares_channel channel = nullptr;
  if (ares_init_options(&channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS)
    throw Error("reverse DNS: cannot start c-ares");
  struct Closer {
    ares_channel c;
    ~Closer() { ares_destroy(c); }
  } closer{channel};
  if (!server.empty()) {
    const int rc = ares_set_servers_ports_csv(channel, server.c_str());
    if (rc != ARES_SUCCESS)
      throw Error("reverse DNS: bad dns.server '" + server + "' (host, host:port or [v6]:port): " + ares_strerror(rc));
  }

  std::vector<Pending> pending(addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) {
    pending[i].answer = &out[i];
    pending[i].address = &addresses[i];
    out[i].status = "error";
    out[i].error = "no answer";
    ares_query(channel, ptr_name(addresses[i]).c_str(), 1 /* C_IN */, 12 /* T_PTR */, on_reply, &pending[i]);
  }

  // Drive the channel until every query has answered; c-ares times each one out.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms * 2 + 1000);
  while (std::chrono::steady_clock::now() < deadline) {
    if (interrupt::requested()) break;  // Ctrl-C: the rest are answered as the channel closes
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short ev = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
      if (ev) fds.push_back({socks[i], ev, 0});
    }
    if (fds.empty()) break;  // nothing in flight: all answered
    timeval max{0, 100000}, tv{};
    timeval* t = ares_timeout(channel, &max, &tv);
    const int wait_ms = static_cast<int>(t->tv_sec * 1000 + t->tv_usec / 1000);
    poll(fds.data(), fds.size(), std::max(1, wait_ms));
    for (const auto& p : fds) {
      const ares_socket_t r = (p.revents & (POLLIN | POLLERR | POLLHUP)) ? p.fd : ARES_SOCKET_BAD;
      const ares_socket_t w = (p.revents & POLLOUT) ? p.fd : ARES_SOCKET_BAD;
      if (r != ARES_SOCKET_BAD || w != ARES_SOCKET_BAD) ares_process_fd(channel, r, w);
    }
    ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
  }
  // Anything still pending is answered (ARES_EDESTRUCTION) when the channel closes.
  return out;
}

}  // namespace sqlhunt::dns
