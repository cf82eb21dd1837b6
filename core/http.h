// core/http.h — concurrent HTTP requests for the remote providers (libcurl multi).
//
//   std::vector<http::Response> r = http::fetch_all(requests);
//   http::fetch_each(requests, [&](size_t i, http::Response& r) { parse(i, r); });
//
// fetch_each hands each answer over as soon as it is known (success, failure or not
// sent) and forgets it: a caller that parses there holds one reply at a time, however
// big the batch. fetch_all keeps them all; use it for a few requests whose bodies the
// caller wants anyway.
//
// A request is a GET unless it carries a body (then a POST, or the method it names:
// the Log Analytics and Azure Data Explorer query APIs and the Azure AD token endpoint
// take POSTs). A reply's body is kept in memory up to the request's `max_body` bytes
// (16 MiB unless the request says more): past that the transfer stops at once and the
// Response says `too_large` (a caller can ask for less, a query table splits its
// query), so no server can make us hold more than the caller agreed to. What a failed
// reply had read is freed when it fails. All the replies still arriving, in every batch
// the process runs at once (ip_enrichment's RDAP and TI batches run side by side), hold
// at most `http.max_inflight_mb` (32 MB) together: past it one reply goes on, up to its
// own max_body, and the others pause (libcurl stops reading their sockets) until it
// ends; so any number of batches of any size against servers that send endless bodies
// hold about max_inflight + one max_body.
//
// A deadline (Limits::deadline, set by the remote lookups to their timeout) bounds a
// whole batch: a request not started by then is answered "the query's deadline passed"
// without being sent, and one started late gets only what is left. So a batch of any
// size against a provider that never answers ends in about one timeout.
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

#include <functional>
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
  // Seconds from the batch's start by which this request has ended (see above); 0: none
  // (the request's own timeout only).
  double deadline = 0;
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
// The same, each answer passed to `on_reply(index, response)` as it is known, in the
// order they end (the callback may move the body out). If it throws, the batch is still
// ended cleanly and the first exception is thrown again after it.
void fetch_each(const std::vector<Request>& requests, const std::function<void(size_t, Response&)>& on_reply);

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
