#include "vtabs/ti_lookup/ti_engine.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "core/cache.h"
#include "core/config.h"
#include "core/error.h"
#include "core/file_kind.h"
#include "core/file_source.h"
#include "core/ip.h"
#include "core/offline.h"
#ifdef SQLHUNT_NETWORK
#include "core/http.h"
#endif

namespace sqlhunt::ti {
namespace {

// Why remote provider `p` is not asked about an observable, or "" when it is.
std::string skip_reason(const RemoteProvider& p, const Classified& c) {
  const std::string name = p.name;
  if (c.type.empty()) return name + ": not asked: not an indicator (ioc_type() is NULL)";
  if (!supports(p, c.type)) return name + ": not asked: it answers " + p.types + " only, not " + c.type;
  if (c.type == "ipv4" || c.type == "ipv6") {
    const auto a = ip::parse(c.value);
    const ip::Class cls = a ? ip::classify(*a) : ip::Class::kReserved;
    if (cls != ip::Class::kPublic)
      return name + ": not asked: " + c.value + " is a " + ip::class_name(cls) +
             " address, and only public addresses are sent to remote providers";
  }
#ifndef SQLHUNT_NETWORK
  return name + ": not asked: this build has no network (SQLHUNT_NETWORK=OFF)";
#else
  return {};
#endif
}

std::string files_signature(const std::vector<std::string>& files) {
  std::string sig;
  for (const auto& f : files) {
    struct stat st {};
    stat(f.c_str(), &st);
    sig += f + "\n" + std::to_string(st.st_mtime) + ":" + std::to_string(st.st_size) + "\n";
  }
  return sig;
}

}  // namespace

std::shared_ptr<const LocalIndicators> local_indicators(std::string* why, bool* configured) {
  const auto setting = config::get("ti.local");
  if (configured) *configured = setting.has_value();
  if (!setting) {
    if (why) *why = "no indicator files: set ti.local (SQLHUNT_TI_LOCAL or sqlhunt_config('ti.local', 'path'))";
    return nullptr;
  }
  std::vector<std::string> files;
  std::string_view rest = *setting;
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string part(rest.substr(0, colon));
    rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon + 1);
    if (part.empty()) continue;
    try {
      for (auto& f : files::expand(part)) files.push_back(std::move(f));
    } catch (const std::exception& e) {
      throw Error(std::string("ti_lookup: ti.local: ") + e.what());
    }
  }
  if (files.empty()) {
    if (why) *why = "no indicator files match ti.local '" + *setting + "'";
    return nullptr;
  }
  static std::mutex m;
  static std::string loaded_sig;
  static std::shared_ptr<const LocalIndicators> loaded;
  const std::string sig = files_signature(files);
  std::lock_guard<std::mutex> lock(m);
  if (!loaded || sig != loaded_sig) {
    // Only when the files are (re)read: an unchanged index costs a stat per file, no read.
    for (const auto& f : files) {
      try {
        files::check(f, "ti.local", {files::Kind::kJson});  // CSV or JSON lines; an .evtx is named
      } catch (const std::exception& e) {
        throw Error(std::string("ti_lookup: ti.local: ") + e.what());
      }
    }
    loaded = LocalIndicators::load(files);
    loaded_sig = sig;
  }
  return loaded;
}

std::vector<Result> lookup(const std::vector<std::string>& observables, const std::vector<std::string>& providers,
                           EngineStats* stats) {
  const auto all = provider_names();
  std::set<std::string> wanted;
  for (const auto& p : providers) {
    if (std::find(all.begin(), all.end(), p) == all.end())
      throw Error("ti_lookup: unknown provider '" + p + "' (providers: local, virustotal, abuseipdb, otx, greynoise)");
    wanted.insert(p);
  }
  auto asked = [&](const std::string& p) { return wanted.empty() || wanted.count(p); };

  std::vector<Result> out;
  // No ti.local: not_configured. A ti.local whose globs match no file: an error the
  // analyst has to see (a named file that is missing is a query error already).
  std::string why_no_local, local_problem;
  std::shared_ptr<const LocalIndicators> local;
  if (asked("local")) {
    bool configured = false;
    local = local_indicators(&why_no_local, &configured);
    if (!local && configured) local_problem = why_no_local;
  }
  // The feed is read again only for the observables it may hold, once for them all.
  const auto local_found = local ? local->find(observables) : std::map<std::string, std::vector<Indicator>>();

  struct Pending {
    size_t result;
    const RemoteProvider* provider;
  };
  std::vector<Pending> pending;
  const double now = cache::now_epoch();

  for (const auto& obs : observables) {
    if (asked("local")) {
      out.push_back(local_result(local.get(), obs, local_found, why_no_local));
      if (local) out.back().fetched_at = now;
      if (!local_problem.empty()) out.back().status = "error", out.back().detail = local_problem;
    }
    const Classified c = classify(obs);
    for (const auto& p : remote_providers()) {
      if (!asked(p.name)) continue;
      Result r;
      r.observable = obs;
      r.value = c.value;
      r.ioc_type = c.type;
      r.provider = p.name;
      r.detail = skip_reason(p, c);
      if (!r.detail.empty()) {
        r.status = "skipped";
        out.push_back(std::move(r));
        continue;
      }
      r.reference = p.reference(r.value, r.ioc_type);
      out.push_back(std::move(r));
      pending.push_back({out.size() - 1, &p});
    }
  }
#ifndef SQLHUNT_NETWORK
  (void)stats;
#endif

#ifdef SQLHUNT_NETWORK
  // The cache first (one read per provider for the whole batch).
  std::shared_ptr<cache::Cache> store;
  std::string cache_problem;
  try {
    store = cache::Cache::current();
  } catch (const std::exception& e) {
    cache_problem = e.what();
  }
  std::vector<Pending> to_fetch;
  std::map<const RemoteProvider*, std::vector<size_t>> by_provider;
  for (size_t i = 0; i < pending.size(); ++i) by_provider[pending[i].provider].push_back(i);
  for (auto& [p, idx] : by_provider) {
    std::vector<std::optional<cache::Entry>> hits(idx.size());
    if (store) {
      std::vector<std::string> keys;
      for (size_t i : idx) keys.push_back(normalise_indicator(out[pending[i].result].value));
      try {
        hits = store->get(p->name, keys);
      } catch (const std::exception& e) {
        cache_problem = e.what();
      }
    }
    for (size_t k = 0; k < idx.size(); ++k) {
      Result& r = out[pending[idx[k]].result];
      if (hits[k] && from_cache_json(hits[k]->value, r)) {
        r.cached = true;
        r.fetched_at = hits[k]->fetched;
        if (stats) ++stats->cache_hits;
        continue;
      }
      to_fetch.push_back(pending[idx[k]]);
    }
  }

  // Then everything else at once.
  std::vector<http::Request> requests;
  std::vector<size_t> request_of;  // index into to_fetch
  for (size_t i = 0; i < to_fetch.size(); ++i) {
    const RemoteProvider& p = *to_fetch[i].provider;
    Result& r = out[to_fetch[i].result];
    const std::string prefix = p.setting;
    // The offline switch: answers already cached (above) are used, nothing is sent.
    if (net::offline()) {
      r.status = net::kOfflineStatus;
      r.detail = std::string(p.name) + ": " + net::kOfflineDetail;
      continue;
    }
    const auto key = config::get(prefix + ".key");
    if (!key) {
      r.status = "not_configured";
      r.detail = std::string(p.name) + ": no API key (set " + config::find(prefix + ".key")->env +
                 " or sqlhunt_config('" + prefix + ".key', ...))";
      continue;
    }
    http::Request rq;
    rq.provider = p.name;
    std::string base = config::get(prefix + ".url").value_or("");
    while (!base.empty() && base.back() == '/') base.pop_back();
    rq.url = base + p.path(r.value, r.ioc_type);
    rq.headers = {std::string(p.key_header) + ": " + *key, "Accept: application/json"};
    rq.limits = http::limits_from_config(prefix);
    rq.limits.deadline = rq.limits.timeout;  // one deadline for the statement's batch
    requests.push_back(std::move(rq));
    request_of.push_back(i);
  }
  if (!requests.empty()) {
    if (stats) stats->requests += requests.size();
    // Each reply is read as it arrives and dropped (core/http holds a few at a time).
    http::fetch_each(requests, [&](size_t k, http::Response& rep) {
      const double fetched = cache::now_epoch();
      const Pending& pd = to_fetch[request_of[k]];
      Result& r = out[pd.result];
      if (rep.offline) {  // core/http's own guard (the switch turned on meanwhile)
        r.status = net::kOfflineStatus;
        r.detail = std::string(pd.provider->name) + ": " + net::kOfflineDetail;
        return;
      }
      // A reply stopped at its size cap had a status line but no usable body: an error.
      HttpReply reply{rep.too_large ? 0 : rep.status, std::move(rep.body), rep.error, rep.location, rep.quota};
      const std::string reference = r.reference;
      interpret(*pd.provider, reply, r);
      if (r.reference.empty()) r.reference = reference;
      // A server that echoes the key back (in an error message, say) must not put it
      // in a column or the cache.
      r.detail = config::redact(r.detail);
      r.result = config::redact(r.result);
      r.details = config::redact(r.details);
      r.raw = config::redact(r.raw);
      r.fetched_at = fetched;
      if (store && (r.status == "ok" || r.status == "not_found")) {
        try {
          const double ttl = config::get_number(std::string(pd.provider->setting) + ".ttl");
          store->put(pd.provider->name, normalise_indicator(r.value), {r.status, to_cache_json(r), fetched}, ttl);
        } catch (const std::exception& e) {
          cache_problem = e.what();
        }
      }
    });
  }
  if (!cache_problem.empty())
    for (const auto& pd : pending) {
      Result& r = out[pd.result];
      if (!r.cached) r.detail += (r.detail.empty() ? "" : "; ") + std::string("not cached: ") + cache_problem;
    }
#endif
  return out;
}

}  // namespace sqlhunt::ti
