// core/http.cpp — the libcurl multi loop behind fetch_all/fetch_each (core/http.h says
// what it promises). A little over 500 lines because the loop's parts (start a job, a
// reply's end, 429 and Retry-After, the in-flight budget, the deadline) share its
// state; what needs none of it lives beside it (reply_body.h, http_encode.cpp).
#include "core/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>

#include "core/config.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/offline.h"
#include "core/reply_body.h"

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
    {"http.max_inflight_mb", "SQLHUNT_HTTP_MAX_INFLIGHT_MB", "32", config::Kind::kNumber, true, 1, 4096,
     "Megabytes of replies held while they arrive, all requests of every query in progress together; past it "
     "one reply goes on (up to its own size limit) and the others wait."},
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

// What every batch in progress shares, whichever thread runs it (ip_enrichment waits
// for RDAP and the TI providers at once, each its own batch): the bytes of replies held
// while they arrive. Past `max_inflight`, one reply (the leader) may go on up to its own
// max_body and every other one pauses (CURL_WRITEFUNC_PAUSE: libcurl stops reading its
// socket) until bytes are freed; so the process holds at most max_inflight plus one
// reply, whatever the number and size of its batches.
struct Job;
struct Flight {
  std::mutex mu;
  size_t max_inflight = 0;
  size_t inflight = 0;
  const Job* leader = nullptr;
};
Flight& flight() {
  static Flight f;
  return f;
}

struct Job {
  bool* batch_paused = nullptr;  // set when this job pauses: its batch wakes it
  size_t index = 0;
  int attempts = 0;
  double not_before = 0;
  double started = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  ReplyBody body;
  size_t max_body = 0;
  bool too_large = false;
  bool paused = false;
  bool cut_by_deadline = false;  // its timeout was shortened to the batch's deadline
  char errbuf[CURL_ERROR_SIZE] = "";
  bool done = false;
};

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* job = static_cast<Job*>(user);
  const size_t bytes = size * n;
  if (job->body.size() + bytes > job->max_body) {
    job->too_large = true;  // returning less than given makes curl stop the transfer
    return 0;
  }
  Flight& f = flight();
  std::lock_guard<std::mutex> lock(f.mu);
  if (f.inflight + bytes > f.max_inflight && f.leader != job) {
    if (f.leader) {
      job->paused = *job->batch_paused = true;  // curl keeps this chunk and hands it again
      return CURL_WRITEFUNC_PAUSE;
    }
    f.leader = job;
  }
  job->body.append(data, bytes);
  f.inflight += bytes;
  return bytes;
}

// Takes a reply's bytes out of the in-flight count, and its lead if it led.
void leave_flight(const Job& j) {
  Flight& f = flight();
  std::lock_guard<std::mutex> lock(f.mu);
  f.inflight -= std::min(f.inflight, j.body.size());
  if (f.leader == &j) f.leader = nullptr;
}

// Frees what a reply held (a failed one is dropped at once, never kept to the end).
void release_body(Job& j) {
  leave_flight(j);
  j.body.clear();
}

// Hands a finished reply's body over to its Response: no longer in flight.
void hand_over_body(Job& j, std::string& to) {
  leave_flight(j);
  to = j.body.take();
}

// Whether paused replies may go on: bytes were freed, or no reply leads any more.
bool room_in_flight() {
  Flight& f = flight();
  std::lock_guard<std::mutex> lock(f.mu);
  return !f.leader || f.inflight < f.max_inflight;
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

std::string past_deadline(const Limits& l) {
  return "the query's deadline passed (" + l.timeout_setting + ": " + seconds_text(l.deadline) +
         " s from its first request)";
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
  std::vector<Response> out(requests.size());
  fetch_each(requests, [&](size_t i, Response& r) { out[i] = std::move(r); });
  return out;
}

void fetch_each(const std::vector<Request>& requests, const std::function<void(size_t, Response&)>& on_reply) {
  static CurlGlobal global;
  if (requests.empty()) return;
  std::vector<Response> out(requests.size());
  if (net::offline()) {  // the last guard: a source that did not check sends nothing either
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].offline = true, out[i].error = net::kOfflineDetail;
      on_reply(i, out[i]);
    }
    return;
  }

  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
  if (!multi) throw Error("http: cannot start libcurl");

  bool any_paused = false;
  std::exception_ptr failed;
  {
    const size_t max_inflight = static_cast<size_t>(config::get_number("http.max_inflight_mb") * (1 << 20));
    std::lock_guard<std::mutex> lock(flight().mu);
    flight().max_inflight = max_inflight;
  }
  std::vector<std::unique_ptr<Job>> jobs;
  std::map<std::string, int> running_per_provider;
  int running = 0;
  const double start = mono_now();

  // Each answer is handed over as soon as it is known, then forgotten here: a batch
  // never keeps its replies (or what a failed one had read) until the end.
  auto finish = [&](Job& j) {
    j.done = true;
    if (j.easy) {
      curl_multi_remove_handle(multi.get(), j.easy);
      curl_easy_cleanup(j.easy);
      j.easy = nullptr;
    }
    if (j.headers) curl_slist_free_all(j.headers), j.headers = nullptr;
    release_body(j);
    try {
      on_reply(j.index, out[j.index]);
    } catch (...) {  // the batch still ends cleanly (no transfer left behind), then throws
      if (!failed) failed = std::current_exception();
    }
    out[j.index] = Response();
  };

  for (size_t i = 0; i < requests.size(); ++i) {
    auto j = std::make_unique<Job>();
    j->index = i;
    j->batch_paused = &any_paused;
    jobs.push_back(std::move(j));
    // A CR or LF in a header or the URL would let a value (a key someone pasted with a
    // line break, a crafted observable) write headers of its own: never sent.
    if (has_control(requests[i].url) ||
        std::any_of(requests[i].headers.begin(), requests[i].headers.end(), has_control)) {
      out[i].error = "not sent: a header or the URL holds a control character (CR, LF, ...)";
      finish(*jobs.back());
    }
  }
  auto give_up_quota = [&](Job& j, const std::string& why) {
    Response& r = out[j.index];
    r.quota = true;
    r.error = why;
    r.seconds = mono_now() - start;
    finish(j);
  };

  auto start_job = [&](Job& j) -> bool {
    const Request& rq = requests[j.index];
    release_body(j);
    j.max_body = rq.max_body;
    j.paused = false;
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
    double timeout = rq.limits.timeout;
    if (rq.limits.deadline > 0) {
      const double left = start + rq.limits.deadline - mono_now();
      j.cut_by_deadline = left + 0.1 < timeout;  // started late: the deadline, not its timeout, ends it
      timeout = std::max(0.001, std::min(timeout, left));
    }
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(rq.limits.connect_timeout, timeout) * 1000));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, std::max(1L, static_cast<long>(timeout * 1000)));
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
      if (rq.limits.deadline > 0 && now >= start + rq.limits.deadline) {
        out[j.index].error = past_deadline(rq.limits);
        out[j.index].seconds = now - start;
        finish(j);
        continue;
      }
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
        if (m->data.result == CURLE_OPERATION_TIMEDOUT && j->cut_by_deadline) {
          r.error = past_deadline(rq.limits);
        } else if (m->data.result == CURLE_OPERATION_TIMEDOUT) {
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
        hand_over_body(*j, r.body);
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
            release_body(*j);
            r = Response();
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
    // Bytes were freed (here or by another batch), or the leader is gone: the paused
    // replies go on; one of them becomes the leader if they pass the limit again.
    // curl_easy_pause may deliver held data at once (on_write), so no lock is held here.
    if (any_paused && room_in_flight()) {
      any_paused = false;
      for (auto& jp : jobs)
        if (jp->paused && jp->easy) {
          jp->paused = false;
          curl_easy_pause(jp->easy, CURLPAUSE_CONT);
        }
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
  if (failed) std::rethrow_exception(failed);
}

}  // namespace sqlhunt::http
