// core/http.h — concurrent HTTP requests for the remote providers (libcurl multi).
//
//   std::vector<http::Response> r = http::fetch_all(requests);
//
// A request is a GET unless it carries a body (then a POST, or the method it names:
// the Log Analytics and Azure Data Explorer query APIs and the Azure AD token endpoint
// take POSTs). A reply's body is kept in memory up to the request's `max_body` bytes
// (16 MiB unless the request says more): past that the transfer stops at once and the
// Response says `too_large` (a caller can ask for less, a query table splits its
// query), so no server can make us hold more than the caller agreed to.
//
// Every request of a batch runs at once on one curl multi handle, at most
// `http.max_connections` per provider in flight, each within the connect and total
// timeouts (http.connect_timeout, http.timeout). TLS verification stays on (libcurl's
// default, never turned off). Only http and https are spoken.
//
// Rate limits: one token bucket per provider for the whole process, `rate` requests a
// minute (a burst of up to `rate`), 0 for none. A request waits for a token at most
// `quota_wait` seconds from the start of the batch; one that would wait longer comes
// back with `quota` set and is never sent. A 429 reply closes the provider's bucket
// until its Retry-After (seconds or an HTTP date; 60 s when absent) and the request is
// retried then, if that is within `quota_wait`; otherwise it is answered `quota`.
//
// Redirects: not followed unless the request says so (a keyed provider must not send
// its key to wherever a Location points); a 3xx comes back with `location` set. With
// follow_redirects, at most 3, and to the same scheme only.
//
// url_encode() and base64url() build request paths; they need no libcurl and are in
// every build (http_encode.cpp).
//
// Nothing here logs a header. SQLHUNT_TRACE_HTTP=1 prints one line per request
// (provider, URL, status, time) to stderr; URLs never hold keys (keys go in headers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::http {

struct Limits {
  double rate_per_minute = 0;   // 0: no limit
  double connect_timeout = 5;   // seconds
  double timeout = 15;          // seconds, the whole request
  double quota_wait = 10;       // seconds a batch waits for quota
  int max_connections = 16;
  // The setting a timeout message names ("timed out after 15 s (http.timeout)"): a
  // module with its own timeout setting names that one.
  std::string timeout_setting = "http.timeout";
};

// The limits in force for `provider` (its settings prefix: "rdap", "virustotal"):
// `<provider>.rate` and the shared http.* settings.
Limits limits_from_config(const std::string& provider);

struct Request {
  std::string provider;  // names the rate-limit bucket
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; may hold a key, never logged
  std::string method;    // "" = GET, or POST when `body` is set; "POST", "PUT", ...
  std::string body;      // sent as is (say its Content-Type in `headers`); may hold a
                         // secret (a client secret in a token request), never logged
  size_t max_body = 16u << 20;  // bytes of reply kept at most (see too_large)
  bool follow_redirects = false;
  Limits limits;
};

struct Response {
  long status = 0;        // HTTP status; 0 when no reply (see error)
  std::string body;
  std::string error;      // transport error ("timed out after 15 s"), without secrets
  std::string location;   // the Location of a 3xx that was not followed
  bool quota = false;     // not sent (or given up) because of the rate limit / 429
  bool offline = false;   // not sent: the `offline` switch is on (core/offline.h)
  bool too_large = false; // the reply passed the request's max_body: stopped, body empty
  double seconds = 0;     // how long it took
};

// Runs every request; the answers are in the same order. Never throws for a failed
// request (its Response says why); throws sqlhunt::Error only when curl cannot start.
std::vector<Response> fetch_all(const std::vector<Request>& requests);

// Seconds from a Retry-After value (delta-seconds or an HTTP date); -1 when unusable.
double parse_retry_after(const std::string& value, double now_epoch);

// Forgets every provider's rate-limit state (tests).
void reset_rate_limits();

// Percent-encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~),
// for a path segment or a query value.
std::string url_encode(std::string_view s);
// RFC 4648 base64url without padding (VirusTotal's URL ids).
std::string base64url(std::string_view s);

}  // namespace sqlhunt::http
