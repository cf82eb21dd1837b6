#include "core/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/config.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/offline.h"

namespace sqlhunt::http {


const config::Registration kSettings({
    {"http.connect_timeout", "SQLHUNT_HTTP_CONNECT_TIMEOUT", "5", config::Kind::kNumber, true, 0.1, 600,
     "Seconds to wait for a connection to a provider."},
    {"http.timeout", "SQLHUNT_HTTP_TIMEOUT", "15", config::Kind::kNumber, true, 0.1, 3600,
     "Seconds one request may take in all (connect, TLS, reply)."},
    {"http.quota_wait", "SQLHUNT_HTTP_QUOTA_WAIT", "10", config::Kind::kNumber, true, 0, 3600,
     "Seconds a query waits for a provider's rate limit; requests still waiting then get status 'quota'."},
    {"http.max_connections", "SQLHUNT_HTTP_MAX_CONNECTIONS", "16", config::Kind::kNumber, true, 1, 256,
     "Requests in flight at once per provider."},
});
namespace {

double mono_now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
double wall_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

bool trace() {
  static const bool on = [] {
    const char* e = std::getenv("SQLHUNT_TRACE_HTTP");
    return e && *e && std::strcmp(e, "0") != 0;
  }();
  return on;
}

// One token bucket per provider, for the whole process (quota is per key, not per query).
struct Bucket {
  double tokens = -1;  // -1: not started (full)
  double last = 0;
  double blocked_until = 0;  // after a 429
};
std::mutex& buckets_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, Bucket>& buckets() {
  static std::map<std::string, Bucket> b;
  return b;
}

// Takes a token when one is there (returns 0); otherwise returns the seconds until one
// will be (or until a 429 block ends).
double take_token(const std::string& provider, double rate, double now) {
  std::lock_guard<std::mutex> lock(buckets_mutex());
  Bucket& b = buckets()[provider];
  if (now < b.blocked_until) return b.blocked_until - now;
  if (rate <= 0) return 0;
  const double capacity = std::max(1.0, rate);
  if (b.tokens < 0) b.tokens = capacity, b.last = now;
  b.tokens = std::min(capacity, b.tokens + (now - b.last) * rate / 60.0);
  b.last = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return (1 - b.tokens) * 60.0 / rate;
}

void block_provider(const std::string& provider, double until) {
  std::lock_guard<std::mutex> lock(buckets_mutex());
  Bucket& b = buckets()[provider];
  b.blocked_until = std::max(b.blocked_until, until);
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

struct Job {
  size_t index = 0;
  int attempts = 0;
  double not_before = 0;
  double started = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  size_t max_body = 0;
  bool too_large = false;
  char errbuf[CURL_ERROR_SIZE] = "";
  bool done = false;
};

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<Job*>(user);
  if (job->body.size() + size * n > job->max_body) {
    job->too_large = true;  // returning less than given makes curl stop the transfer
    return 0;
  }
  job->body.append(data, size * n);
  return size * n;
}

std::string scheme_of(const std::string& url) {
  const size_t colon = url.find("://");
  return colon == std::string::npos ? std::string() : url.substr(0, colon);
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

Limits limits_from_config(const std::string& provider) {
  Limits l;
  l.rate_per_minute = config::get_number(provider + ".rate");
  l.connect_timeout = config::get_number("http.connect_timeout");
  l.timeout = config::get_number("http.timeout");
  l.quota_wait = config::get_number("http.quota_wait");
  l.max_connections = static_cast<int>(config::get_number("http.max_connections"));
  return l;
}

double parse_retry_after(const std::string& value, double now_epoch) {
  std::string v = value;
  while (!v.empty() && (v.back() == ' ' || v.back() == '\r' || v.back() == '\n')) v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return v.size() > 9 ? 1e9 : std::strtod(v.c_str(), nullptr);
  const time_t t = curl_getdate(v.c_str(), nullptr);
  if (t < 0) return -1;
  return std::max(0.0, static_cast<double>(t) - now_epoch);
}

void reset_rate_limits() {
  std::lock_guard<std::mutex> lock(buckets_mutex());
  buckets().clear();
}

namespace {
bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}
}  // namespace

std::vector<Response> fetch_all(const std::vector<Request>& requests) {
  static CurlGlobal global;
  std::vector<Response> out(requests.size());
  if (requests.empty()) return out;
  if (net::offline()) {  // the last guard: a source that did not check sends nothing either
    for (auto& r : out) r.offline = true, r.error = net::kOfflineDetail;
    return out;
  }

  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
  if (!multi) throw Error("http: cannot start libcurl");

  std::vector<std::unique_ptr<Job>> jobs;
  for (size_t i = 0; i < requests.size(); ++i) {
    auto j = std::make_unique<Job>();
    j->index = i;
    // A CR or LF in a header or the URL would let a value (a key someone pasted with a
    // line break, a crafted observable) write headers of its own: never sent.
    if (has_control(requests[i].url) ||
        std::any_of(requests[i].headers.begin(), requests[i].headers.end(), has_control)) {
      out[i].error = "not sent: a header or the URL holds a control character (CR, LF, ...)";
      j->done = true;
    }
    jobs.push_back(std::move(j));
  }
  std::map<std::string, int> running_per_provider;
  int running = 0;
  const double start = mono_now();

  auto finish = [&](Job& j) {
    j.done = true;
    if (j.easy) {
      curl_multi_remove_handle(multi.get(), j.easy);
      curl_easy_cleanup(j.easy);
      j.easy = nullptr;
    }
    if (j.headers) curl_slist_free_all(j.headers), j.headers = nullptr;
  };
  auto give_up_quota = [&](Job& j, const std::string& why) {
    Response& r = out[j.index];
    r.quota = true;
    r.error = why;
    r.seconds = mono_now() - start;
    finish(j);
  };

  auto start_job = [&](Job& j) -> bool {
    const Request& rq = requests[j.index];
    j.body.clear();
    j.max_body = rq.max_body;
    j.too_large = false;
    j.errbuf[0] = 0;
    j.easy = curl_easy_init();
    if (!j.easy) return false;
    if (!j.headers)
      for (const auto& h : rq.headers) j.headers = curl_slist_append(j.headers, h.c_str());
    CURL* e = j.easy;
    curl_easy_setopt(e, CURLOPT_URL, rq.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j.headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &j);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j.errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "sqlhunt");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(rq.limits.connect_timeout * 1000));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(rq.limits.timeout * 1000));
    if (!rq.body.empty() || (!rq.method.empty() && rq.method != "GET")) {
      // The request owns the body for the whole transfer (and a retry after a 429).
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(rq.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq.body.data());
      if (!rq.method.empty() && rq.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, rq.method.c_str());
    }
    if (rq.follow_redirects) {
      const std::string scheme = scheme_of(rq.url);
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
      curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, scheme == "http" ? "http" : "https");
    }
    j.started = mono_now();
    ++j.attempts;
    if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) return false;
    ++running;
    ++running_per_provider[rq.provider];
    return true;
  };

  while (true) {
    // Ctrl-C (core/interrupt.h): what has not answered is given up, within a poll.
    if (interrupt::requested()) {
      for (auto& j : jobs)
        if (!j->done) out[j->index].error = "interrupted", finish(*j);
      break;
    }
    // Start what may start; give up on what would wait past quota_wait.
    double next_wake = 0.05;
    bool waiting = false;
    for (auto& jp : jobs) {
      Job& j = *jp;
      if (j.done || j.easy) continue;
      const Request& rq = requests[j.index];
      const double now = mono_now();
      const double deadline = start + rq.limits.quota_wait;
      if (running_per_provider[rq.provider] >= std::max(1, rq.limits.max_connections)) {
        waiting = true;
        continue;
      }
      double wait = std::max(0.0, j.not_before - now);
      if (wait == 0) wait = take_token(rq.provider, rq.limits.rate_per_minute, now);
      if (wait > 0) {
        if (now + wait > deadline) {
          give_up_quota(j, rq.provider + ": rate limit (" + seconds_text(rq.limits.rate_per_minute) +
                               " a minute) not available within " + seconds_text(rq.limits.quota_wait) + " s");
          continue;
        }
        waiting = true;
        next_wake = std::min(next_wake, wait);
        continue;
      }
      if (!start_job(j)) {
        out[j.index].error = "cannot start a request";
        finish(j);
      }
    }
    if (running == 0 && !waiting) break;

    int still = 0;
    curl_multi_perform(multi.get(), &still);
    int left = 0;
    bool progressed = false;  // a request ended: its slot may start the next one now
    while (CURLMsg* m = curl_multi_info_read(multi.get(), &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      progressed = true;
      Job* j = nullptr;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&j));
      const Request& rq = requests[j->index];
      Response& r = out[j->index];
      --running;
      --running_per_provider[rq.provider];
      const double now = mono_now();
      r.seconds = now - start;
      r.status = 0;
      r.error.clear();
      if (m->data.result != CURLE_OK && j->too_large) {
        r.too_large = true;
        r.error = "the reply is larger than " + std::to_string(rq.max_body) + " bytes";
        curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r.status);
      } else if (m->data.result != CURLE_OK) {
        if (m->data.result == CURLE_OPERATION_TIMEDOUT) {
          double connected = 0;
          curl_easy_getinfo(j->easy, CURLINFO_CONNECT_TIME, &connected);
          r.error = connected > 0 ? "timed out after " + seconds_text(rq.limits.timeout) + " s (" +
                                        rq.limits.timeout_setting + ")"
                                  : "no connection within " + seconds_text(rq.limits.connect_timeout) +
                                        " s (http.connect_timeout)";
        } else {
          r.error = std::string(curl_easy_strerror(m->data.result)) + (j->errbuf[0] ? std::string(": ") + j->errbuf : "");
        }
        r.error = config::redact(r.error);
      } else {
        curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &r.status);
        r.body = std::move(j->body);
        if (r.status >= 300 && r.status < 400) {
          char* loc = nullptr;
          if (curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc) r.location = loc;
        }
        if (r.status == 429) {
          double ra = -1;
          curl_header* h = nullptr;
          if (curl_easy_header(j->easy, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h)
            ra = parse_retry_after(h->value, wall_now());
          if (ra < 0) ra = 60;
          block_provider(rq.provider, now + ra);
          if (trace())
            std::fprintf(stderr, "sqlhunt http %s %s -> 429, retry after %g s\n", rq.provider.c_str(),
                         rq.url.c_str(), ra);
          if (j->attempts < 4 && now + ra <= start + rq.limits.quota_wait) {
            curl_multi_remove_handle(multi.get(), j->easy);
            curl_easy_cleanup(j->easy);
            j->easy = nullptr;
            j->not_before = now + ra;
            continue;
          }
          r.quota = true;
          r.error = rq.provider + ": 429 Too Many Requests, retry after " + seconds_text(ra) +
                    " s, past the quota wait of " + seconds_text(rq.limits.quota_wait) + " s";
        }
      }
      if (trace())
        std::fprintf(stderr, "sqlhunt http %s %s -> %ld %s(%.3f s)\n", rq.provider.c_str(), rq.url.c_str(),
                     r.status, r.error.empty() ? "" : (r.error + " ").c_str(), now - j->started);
      finish(*j);
    }
    // Sleep in poll only when nothing ended: otherwise a waiting request would sit out
    // the poll timeout beside a free connection.
    if (!progressed && (running > 0 || waiting)) {
      const int ms = running > 0 ? static_cast<int>(std::max(1.0, std::min(next_wake, 0.05) * 1000))
                                 : static_cast<int>(std::max(1.0, next_wake * 1000));
      curl_multi_poll(multi.get(), nullptr, 0, ms, nullptr);
    }
  }
  for (auto& j : jobs)
    if (!j->done) finish(*j);
  return out;
}

}  // namespace sqlhunt::http
