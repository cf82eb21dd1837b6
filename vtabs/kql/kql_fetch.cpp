#include "vtabs/kql/kql_fetch.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include <simdjson.h>

#include "core/cache.h"
#include "core/config.h"
#include "core/error.h"
#include "core/http.h"
#include "core/json_text.h"
#include "core/offline.h"
#include "core/text.h"

namespace sqlhunt::kql {
namespace {

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool is_name(std::string_view s) {
  return !s.empty() && s.size() <= 256 && std::all_of(s.begin(), s.end(), is_name_char) && s.find("..") == std::string_view::npos;
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string hh_mm_ss(double seconds) {
  const long s = static_cast<long>(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

std::string request_id() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string id = "sqlhunt.Query;";
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 16; ++i) id.push_back(hex[(a >> (i * 4)) & 15]);
  for (int i = 0; i < 16; ++i) id.push_back(hex[(b >> (i * 4)) & 15]);
  return id;
}

}  // namespace

std::vector<std::string> parse_workspaces(const std::string& text) {
  std::vector<std::string> out;
  const std::string_view t = text::trim(text);
  if (!t.empty() && t.front() == '[') {
    simdjson::dom::parser p;
    simdjson::dom::element e;
    simdjson::dom::array a;
    if (p.parse(t.data(), t.size()).get(e) || e.get_array().get(a))
      throw Error("workspace: '" + cut_message(std::string(t), 80) + "' is not a JSON array of workspace IDs");
    for (auto x : a) {
      std::string_view s;
      if (x.get_string().get(s)) throw Error("workspace: every element of the array must be a workspace ID (text)");
      out.emplace_back(text::trim(s));
    }
  } else {
    out.emplace_back(t);
  }
  if (out.empty()) throw Error("workspace: the array names no workspace");
  for (const auto& w : out)
    if (!is_name(w))
      throw Error("workspace: '" + cut_message(w, 80) + "' is not a workspace ID (letters, digits, '-', '.', '_')");
  return out;
}

std::string cluster_url(const std::string& cluster, const std::string& tmpl) {
  const size_t at = tmpl.find("{cluster}");
  if (at == std::string::npos) {
    // A fixed URL: the one cluster the environment allows.
    return trim_slash(tmpl);
  }
  std::string name = std::string(text::trim(cluster));
  if (name.find("://") != std::string::npos) {
    // The URL itself ("https://help.kusto.windows.net"): accepted when adx.url makes it.
    const std::string prefix = tmpl.substr(0, at), suffix = trim_slash(tmpl.substr(at + 9));
    const std::string url = trim_slash(name);
    if (url.size() > prefix.size() + suffix.size() && text::starts_with(url, prefix) && text::ends_with(url, suffix))
      name = url.substr(prefix.size(), url.size() - prefix.size() - suffix.size());
    else
      throw Error("cluster: '" + cut_message(name, 80) + "' is not a URL adx.url (" + tmpl +
                  ") makes: give the cluster's name, and set SQLHUNT_ADX_URL for another domain");
  }
  if (!is_name(name))
    throw Error("cluster: '" + cut_message(name, 80) + "' is not a cluster name (letters, digits, '-', '.')");
  return trim_slash(tmpl.substr(0, at) + name + tmpl.substr(at + 9));
}

HttpFetcher HttpFetcher::loganalytics(const std::vector<std::string>& workspaces, std::optional<std::string> timespan) {
  HttpFetcher f;
  f.dialect_ = Dialect::kLogAnalytics;
  f.timespan_ = std::move(timespan);
  f.credentials_ = Credentials{"loganalytics.token", "https://api.loganalytics.io/.default"};
  f.cache_source_ = "kql";
  const std::string base = trim_slash(config::get("loganalytics.url").value_or(""));
  for (const auto& w : workspaces) f.targets_.push_back({base + "/v1/workspaces/" + w + "/query", w});
  return f;
}

HttpFetcher HttpFetcher::adx(const std::string& cluster, const std::string& database) {
  HttpFetcher f;
  f.dialect_ = config::get_number("adx.api") == 1 ? Dialect::kAdxV1 : Dialect::kAdxV2;
  if (!is_name(text::trim(database)))
    throw Error("database: '" + cut_message(database, 80) + "' is not a database name");
  f.database_ = std::string(text::trim(database));
  const std::string url = cluster_url(cluster, config::get("adx.url").value_or(""));
  f.credentials_ = Credentials{"adx.token", url + "/.default"};
  f.cache_source_ = "adx";
  f.targets_.push_back({url + (f.dialect_ == Dialect::kAdxV1 ? "/v1/rest/query" : "/v2/rest/query"),
                        std::string(text::trim(cluster)) + "/" + f.database_});
  return f;
}

std::string HttpFetcher::body_for(const std::string& kql) const {
  std::string b = "{";
  if (dialect_ == Dialect::kLogAnalytics) {
    b += "\"query\":";
    json::append_string(b, kql);
    if (timespan_) {
      b += ",\"timespan\":";
      json::append_string(b, *timespan_);
    }
  } else {
    b += "\"db\":";
    json::append_string(b, database_);
    b += ",\"csl\":";
    json::append_string(b, kql);
    b += ",\"properties\":{\"Options\":{\"servertimeout\":\"" + hh_mm_ss(config::get_number("kql.timeout")) + "\"}}";
  }
  b += "}";
  return b;
}

std::string HttpFetcher::cache_key(const FetchRequest& rq) const {
  return targets_.at(rq.source).url + "\n" + body_for(rq.kql);
}

void HttpFetcher::answered(const FetchRequest& rq, const FetchReply& reply) {
  const double ttl = config::get_number("kql.cache_ttl");
  if (ttl <= 0 || reply.kind != FetchReply::kBody) return;
  try {
    if (auto c = cache::Cache::current()) c->put(cache_source_, cache_key(rq), cache::Entry{"ok", reply.body, cache::now_epoch()}, ttl);
  } catch (const std::exception&) {
    // A cache that cannot be written costs the next query a request, nothing more.
  }
}

std::vector<FetchReply> HttpFetcher::fetch(const std::vector<FetchRequest>& requests) {
  std::vector<FetchReply> out(requests.size());
  std::vector<bool> done(requests.size(), false);
  // The cache first (also when offline: what is on this machine may be used).
  if (config::get_number("kql.cache_ttl") > 0) {
    try {
      if (auto c = cache::Cache::current()) {
        std::vector<std::string> keys;
        for (const auto& rq : requests) keys.push_back(cache_key(rq));
        const auto hits = c->get(cache_source_, keys);
        for (size_t i = 0; i < hits.size(); ++i)
          if (hits[i] && hits[i]->status == "ok") {
            out[i].body = hits[i]->value;
            out[i].cached = true;
            done[i] = true;
          }
      }
    } catch (const std::exception&) {
    }
  }
  if (net::offline()) {
    for (size_t i = 0; i < requests.size(); ++i)
      if (!done[i]) out[i].kind = FetchReply::kOffline, out[i].detail = std::string("offline: ") + net::kOfflineDetail;
    return out;
  }
  std::vector<size_t> pending;
  for (size_t i = 0; i < requests.size(); ++i)
    if (!done[i]) pending.push_back(i);
  if (pending.empty()) return out;

  const double timeout = config::get_number("kql.timeout");
  const size_t max_body = static_cast<size_t>(config::get_number("kql.max_response_mb")) << 20;
  for (int attempt = 0; attempt < 2 && !pending.empty(); ++attempt) {
    const std::string auth = authorization(credentials_);
    std::vector<http::Request> batch;
    for (size_t i : pending) {
      const FetchRequest& rq = requests[i];
      http::Request h;
      h.provider = "kql";
      h.url = targets_.at(rq.source).url;
      h.method = "POST";
      h.body = body_for(rq.kql);
      h.headers = {"Authorization: " + auth, "Content-Type: application/json; charset=utf-8",
                   "Accept: application/json"};
      if (dialect_ == Dialect::kLogAnalytics)
        h.headers.push_back("Prefer: wait=" + std::to_string(static_cast<long>(timeout)));
      else
        h.headers.insert(h.headers.end(), {"x-ms-app: sqlhunt", "x-ms-client-request-id: " + request_id()});
      h.limits = http::limits_from_config("kql");
      h.limits.timeout = timeout;
      h.limits.quota_wait = timeout;
      h.limits.timeout_setting = "kql.timeout";
      h.limits.max_connections = static_cast<int>(config::get_number("kql.parallel"));
      h.max_body = max_body;
      batch.push_back(std::move(h));
    }
    auto replies = http::fetch_all(batch);
    std::vector<size_t> retry;
    for (size_t k = 0; k < pending.size(); ++k) {
      const size_t i = pending[k];
      http::Response& r = replies[k];
      const std::string& who = targets_.at(requests[i].source).label;
      FetchReply& o = out[i];
      if (r.offline) {
        o.kind = FetchReply::kOffline;
        o.detail = std::string("offline: ") + net::kOfflineDetail;
        continue;
      }
      if (r.too_large) {
        o.kind = FetchReply::kTooLarge;
        o.detail = who + ": the answer is larger than kql.max_response_mb (" +
                   std::to_string(max_body >> 20) + " MB)";
        continue;
      }
      if (r.quota) throw Error(who + ": rate limited: " + without_tokens(r.error));
      if (r.status == 0) throw Error(who + ": " + without_tokens(r.error));
      if (r.status == 200) {
        o.body = std::move(r.body);
        continue;
      }
      const std::string message = without_tokens(error_message(r.body));
      const std::string status = std::to_string(r.status);
      if (names_result_limit(r.body)) {
        o.kind = FetchReply::kTooLarge;
        o.detail = who + ": " + message;
        continue;
      }
      if (r.status == 401 && attempt == 0 && forget_token(credentials_)) {
        retry.push_back(i);  // a kept token may have expired: ask for a new one, once
        continue;
      }
      if (r.status == 401 || r.status == 403)
        throw Error(who + ": not authorized (" + status + " " + message + "); check the token or the app's access, " +
                    "or set SQLHUNT_LOGANALYTICS_TOKEN / SQLHUNT_ADX_TOKEN, or SQLHUNT_AZURE_TENANT, " +
                    "SQLHUNT_AZURE_CLIENT_ID and SQLHUNT_AZURE_CLIENT_SECRET");
      if (r.status == 400)
        throw Error("the query was refused (400 " + message + "); KQL sent: " +
                    cut_message(requests[i].kql, 400));
      if (r.status == 404)
        throw Error(who + ": no such " + (dialect_ == Dialect::kLogAnalytics ? "workspace" : "cluster or database") +
                    " (404 " + message + ")");
      throw Error(who + ": the server answered " + status + " (" + message + ")");
    }
    pending = std::move(retry);
  }
  return out;
}

}  // namespace sqlhunt::kql
