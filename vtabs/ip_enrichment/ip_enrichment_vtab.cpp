// The ip_enrichment cursor: which sources a query's columns need, the local ones read
// here and the remote ones (reverse DNS, RDAP, TI) waited for at once, their answers
// written into the rows afterwards. A little over 500 lines because each remote source
// is a cache read, a batch and an apply that share the cursor's rows; what is pure
// (RDAP parsing, registry choice, cache form) lives in rdap.cpp, GeoIP in geoip.cpp.
#include "vtabs/ip_enrichment/ip_enrichment_vtab.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <future>
#include <map>
#include <unordered_set>

#include "core/config.h"
#include "core/ip.h"
#include "core/sql_function.h"
#include "core/vtab.h"
#include "core/cache.h"
#include "core/time.h"
#include "vtabs/ip_enrichment/geoip.h"
#include "vtabs/ip_enrichment/rdap.h"
#include "core/offline.h"
#ifdef SQLHUNT_NETWORK
#include "core/dns.h"
#include "core/http.h"
#endif
#include "vtabs/ti_lookup/ti_engine.h"

namespace sqlhunt {
namespace {

using nlohmann::json;
using vtab::kArgument;
using vtab::kBatch;
using vtab::kPlain;
using vtab::kRequired;

enum Col { kIp, kVersion, kClass, kCountryCode, kCountry, kRegion, kCity, kLatitude, kLongitude, kAsn, kAsOrg,
           kNetwork, kRdns, kRdapName, kRdapOrg, kRdapCountry, kRdapNetwork, kRdapCreated, kTiSeverity, kTi,
           kStatus, kCached, kColumnCount };

const vtab::Column kColumns[] = {
    {"ip", "TEXT", kArgument | kRequired | kBatch, "the address asked about, as given"},
    {"version", "INTEGER", kPlain, "4 or 6"},
    {"class", "TEXT", kPlain, "public private loopback link-local multicast reserved shared documentation unspecified"},
    {"country_code", "TEXT", kPlain, "ISO 3166-1 alpha-2 (GeoIP)"},
    {"country", "TEXT", kPlain, "country name (GeoIP)"},
    {"region", "TEXT", kPlain, "state or province (GeoIP)"},
    {"city", "TEXT", kPlain, "city (GeoIP)"},
    {"latitude", "REAL", kPlain, "latitude (GeoIP)"},
    {"longitude", "REAL", kPlain, "longitude (GeoIP)"},
    {"asn", "INTEGER", kPlain, "autonomous system number"},
    {"as_org", "TEXT", kPlain, "autonomous system organisation"},
    {"network", "TEXT", kPlain, "CIDR block of the AS range holding ip"},
    {"rdns", "TEXT", kPlain, "reverse DNS (PTR) name"},
    {"rdap_name", "TEXT", kPlain, "RDAP network name"},
    {"rdap_org", "TEXT", kPlain, "RDAP registrant organisation"},
    {"rdap_country", "TEXT", kPlain, "RDAP country"},
    {"rdap_network", "TEXT", kPlain, "RDAP network (CIDR)"},
    {"rdap_created", "TEXT", kPlain, "RDAP registration date (ISO UTC)"},
    {"ti_severity", "TEXT", kPlain, "highest TI severity: unknown information warning high"},
    {"ti", "TEXT", kPlain, "JSON: per-provider TI results"},
    {"status", "TEXT", kPlain, "JSON: what each source said"},
    {"cached", "INTEGER", kPlain, "1 when every remote answer came from the cache"},
};
static_assert(sizeof kColumns / sizeof kColumns[0] == kColumnCount, "one Column per Col");

const vtab::TableSpec kSpec = {"ip_enrichment", "one row per IP address", kColumns, vtab::count(kColumns),
                               100, 1, vtab::Trust::kDirectOnly,
                               "asks remote services (RDAP, DNS, threat intel) and reads local databases"};

struct Row {
  std::string ip;
  std::optional<ip::Address> addr;
  std::optional<geoip::Geo> geo;
  std::optional<geoip::Asn> asn;
  std::string rdns;
  std::optional<rdap::Network> rdap;
  std::shared_ptr<const geoip::AsnDb> asn_db;  // keeps asn->org alive
  ti::Severity ti_severity = ti::Severity::kUnknown;
  json ti;      // null until a provider answers (no allocation on GeoIP-only scans)
  json status;  // null until a source reports
  std::optional<bool> cached;
};

template <class Db>
std::shared_ptr<const Db> open_db(const char* setting, json* error) {
  const auto path = config::get(setting);
  if (!path) {
    *error = std::string("not configured: set ") + setting;
    return nullptr;
  }
  try {
    return Db::shared(*path);
  } catch (const std::exception& e) {
    *error = std::string("error: ") + e.what();
    return nullptr;
  }
}

class Cursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    rows_.clear();
    pos_ = 0;
    want_status_ = args.used(kStatus);
    std::unordered_set<std::string> seen;
    for (auto& v : args.texts(kIp)) {
      if (!seen.insert(v).second) continue;
      Row r;
      r.ip = std::move(v);
      r.addr = ip::parse(r.ip);
      if (!r.addr) r.status["ip"] = "not an IP address";
      rows_.push_back(std::move(r));
    }
    auto any = [&](std::initializer_list<int> cols) {
      for (int c : cols)
        if (args.used(c)) return true;
      return false;
    };
    const bool want_geo = any({kCountryCode, kCountry, kRegion, kCity, kLatitude, kLongitude, kStatus});
    const bool want_asn = any({kAsn, kAsOrg, kNetwork, kStatus});
    const bool want_ti = any({kTiSeverity, kTi, kStatus, kCached});
    const bool want_rdns = any({kRdns, kStatus, kCached});
    const bool want_rdap = any({kRdapName, kRdapOrg, kRdapCountry, kRdapNetwork, kRdapCreated, kStatus, kCached});
    if (want_geo) geo(true), geo(false);
    if (want_asn) asn(true), asn(false);
    // The remote sources (reverse DNS, RDAP, each TI provider) wait at the same time,
    // each on its own thread, each batch ended by its own deadline (its timeout): a
    // statement against dead services takes about one timeout, not their sum. Each
    // wait touches only what it was given; the rows are written here, afterwards.
    std::vector<std::function<void()>> apply;
    std::vector<std::future<std::function<void()>>> waits;
#ifdef SQLHUNT_NETWORK
    if (want_rdns) waits.push_back(reverse_dns());
    if (want_rdap) waits.push_back(registration());
#else
    for (Row& r : rows_) {
      if (!r.addr) continue;
      if (want_rdns) r.status["rdns"] = "not asked: built without the network";
      if (want_rdap) r.status["rdap"] = "not asked: built without the network";
    }
#endif
    if (want_ti) waits.push_back(threat_intel());
    std::exception_ptr failed;
    for (auto& w : waits) {
      try {
        if (w.valid()) apply.push_back(w.get());
      } catch (...) {  // every wait is joined before the first error is thrown
        if (!failed) failed = std::current_exception();
      }
    }
    if (failed) std::rethrow_exception(failed);
    for (auto& a : apply) a();
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= rows_.size(); }

  void column(sqlite3_context* ctx, int col) override {
    const Row& r = rows_[pos_];
    auto text = [&](const std::string& s) {
      if (s.empty()) return sqlite3_result_null(ctx);
      sqlfn::result_text(ctx, s);
    };
    auto real = [&](const std::optional<double>& v) {
      if (!v) return sqlite3_result_null(ctx);
      sqlite3_result_double(ctx, *v);
    };
    switch (col) {
      case kIp: return sqlfn::result_text(ctx, r.ip);
      case kVersion:
        if (!r.addr) return sqlite3_result_null(ctx);
        return sqlite3_result_int(ctx, r.addr->v6 ? 6 : 4);
      case kClass:
        if (!r.addr) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, ip::class_name(ip::classify(*r.addr)));
      case kCountryCode: return r.geo ? text(r.geo->country_code) : sqlite3_result_null(ctx);
      case kCountry:
        return r.geo ? text(std::string(geoip::country_name(r.geo->country_code))) : sqlite3_result_null(ctx);
      case kRegion: return r.geo ? text(r.geo->region) : sqlite3_result_null(ctx);
      case kCity: return r.geo ? text(r.geo->city) : sqlite3_result_null(ctx);
      case kLatitude: return r.geo ? real(r.geo->latitude) : sqlite3_result_null(ctx);
      case kLongitude: return r.geo ? real(r.geo->longitude) : sqlite3_result_null(ctx);
      case kAsn:
        if (!r.asn) return sqlite3_result_null(ctx);
        return sqlite3_result_int64(ctx, r.asn->asn);
      case kAsOrg: return r.asn ? text(std::string(r.asn->org)) : sqlite3_result_null(ctx);
      case kNetwork: return r.asn ? text(r.asn->network) : sqlite3_result_null(ctx);
      case kRdns: return text(r.rdns);
      case kRdapName: return r.rdap ? text(r.rdap->name) : sqlite3_result_null(ctx);
      case kRdapOrg: return r.rdap ? text(r.rdap->org) : sqlite3_result_null(ctx);
      case kRdapCountry: return r.rdap ? text(r.rdap->country) : sqlite3_result_null(ctx);
      case kRdapNetwork: return r.rdap ? text(r.rdap->network) : sqlite3_result_null(ctx);
      case kRdapCreated: return r.rdap ? text(r.rdap->created) : sqlite3_result_null(ctx);
      case kTiSeverity: return sqlfn::result_text(ctx, ti::severity_name(r.ti_severity));
      case kTi:
        if (r.ti.is_null()) return sqlfn::result_text(ctx, "{}");
        return sqlfn::result_text(ctx, r.ti.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      case kStatus:
        if (r.status.is_null()) return sqlfn::result_text(ctx, "{}");
        return sqlfn::result_text(ctx, r.status.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      case kCached:
        if (!r.cached) return sqlite3_result_null(ctx);
        return sqlite3_result_int(ctx, *r.cached ? 1 : 0);
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  static bool is_public(const Row& r) { return r.addr && ip::classify(*r.addr) == ip::Class::kPublic; }

  // The address a database is asked about: IPv4-mapped IPv6 goes to the IPv4 one.
  static ip::Address lookup_address(const ip::Address& a) {
    if (auto v4 = a.mapped_v4()) return *v4;
    return a;
  }

  // One local database (GeoIP city or ASN) asked about every public address of one
  // family; `store` keeps the answer in the row and says whether there was one.
  template <class Db, class Store>
  void local_lookup(bool v6, const char* source, const char* setting_v4, const char* setting_v6,
                    Store store) {
    std::shared_ptr<const Db> db;
    json error;
    bool opened = false;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      const ip::Address a = lookup_address(*r.addr);
      if (a.v6 != v6) continue;
      if (!is_public(r)) {
        if (want_status_) r.status[source] = std::string("not asked: ") + ip::class_name(ip::classify(*r.addr)) + " address";
        continue;
      }
      if (!opened) db = open_db<Db>(v6 ? setting_v6 : setting_v4, &error), opened = true;
      if (!db) {
        if (want_status_) r.status[source] = error;
        continue;
      }
      const bool found = store(r, db, a);
      if (want_status_) r.status[source] = found ? "ok" : "not_found";
    }
  }

  void geo(bool v6) {
    local_lookup<geoip::GeoDb>(v6, "geoip", "geoip.city_v4", "geoip.city_v6",
                               [](Row& r, const std::shared_ptr<const geoip::GeoDb>& db, const ip::Address& a) {
                                 r.geo = db->lookup(a);
                                 return r.geo.has_value();
                               });
  }

  void asn(bool v6) {
    local_lookup<geoip::AsnDb>(v6, "asn", "geoip.asn_v4", "geoip.asn_v6",
                               [](Row& r, const std::shared_ptr<const geoip::AsnDb>& db, const ip::Address& a) {
                                 r.asn = db->lookup(a);
                                 r.asn_db = db;
                                 return r.asn.has_value();
                               });
  }

  // Each remote source: what the cache and the offline switch answer is written now;
  // the wait runs on a thread and returns what writes its answers into the rows.
  using Pending = std::future<std::function<void()>>;
  static Pending nothing_to_wait_for() { return {}; }

#ifdef SQLHUNT_NETWORK
  // Public addresses, once each (canonical text), with the rows that asked for them.
  std::vector<std::pair<std::string, std::vector<Row*>>> public_addresses(const char* source) {
    std::vector<std::pair<std::string, std::vector<Row*>>> out;
    std::map<std::string, size_t> at;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      if (!is_public(r)) {
        r.status[source] = std::string("not asked: ") + ip::class_name(ip::classify(*r.addr)) + " address";
        continue;
      }
      const std::string key = ip::to_string(lookup_address(*r.addr));
      auto [it, fresh] = at.emplace(key, out.size());
      if (fresh) out.push_back({key, {}});
      out[it->second].second.push_back(&r);
    }
    return out;
  }

  // Cached answers of `source` for `keys`; nullopt entries are to be fetched. A cache
  // that cannot be used is noted in `problem` and treated as empty.
  static std::vector<std::optional<cache::Entry>> from_cache(const std::shared_ptr<cache::Cache>& store,
                                                             const char* source,
                                                             const std::vector<std::string>& keys,
                                                             std::string& problem) {
    if (!store) return std::vector<std::optional<cache::Entry>>(keys.size());
    try {
      return store->get(source, keys);
    } catch (const std::exception& e) {
      problem = e.what();
      return std::vector<std::optional<cache::Entry>>(keys.size());
    }
  }

  static std::shared_ptr<cache::Cache> open_cache(std::string& problem) {
    try {
      return cache::Cache::current();
    } catch (const std::exception& e) {
      problem = e.what();
      return nullptr;
    }
  }

  static void note_cached(std::vector<Row*>& rows, bool cached) {
    for (Row* r : rows) r->cached = r->cached.value_or(true) && cached;
  }

  Pending reverse_dns() {
    auto addrs = public_addresses("rdns");
    if (addrs.empty()) return nothing_to_wait_for();
    std::string problem;
    auto store = open_cache(problem);
    std::vector<std::string> keys;
    for (auto& a : addrs) keys.push_back(a.first);
    const auto hits = from_cache(store, "dns", keys, problem);  // cache source "dns": its TTL is dns.ttl
    std::vector<ip::Address> ask;
    std::vector<size_t> ask_index;
    for (size_t i = 0; i < addrs.size(); ++i) {
      if (hits[i]) {
        const json v = json::parse(hits[i]->value, nullptr, false);
        const std::string name = v.is_object() ? v.value("name", "") : "";
        for (Row* r : addrs[i].second) r->rdns = name, r->status["rdns"] = hits[i]->status;
        note_cached(addrs[i].second, true);
        continue;
      }
      if (net::offline()) {  // cached answers only: nothing leaves the machine
        for (Row* r : addrs[i].second) r->status["rdns"] = net::kOfflineStatus;
        continue;
      }
      ask.push_back(*ip::parse(addrs[i].first));
      ask_index.push_back(i);
    }
    if (ask.empty()) {
      report_cache_problem(problem);
      return nothing_to_wait_for();
    }
    const std::string server = config::get("dns.server").value_or("");
    const double timeout = config::get_number("dns.timeout");
    return std::async(std::launch::async, [this, addrs = std::move(addrs), ask = std::move(ask),
                                           ask_index = std::move(ask_index), store, problem, server,
                                           timeout]() mutable -> std::function<void()> {
      std::vector<dns::Answer> answers;
      try {
        answers = dns::reverse(ask, server, timeout);
      } catch (const std::exception& e) {
        return [this, addrs = std::move(addrs), ask_index = std::move(ask_index), why = std::string(e.what())] {
          for (size_t i : ask_index)
            for (Row* r : addrs[i].second) r->status["rdns"] = "error: " + why;
        };
      }
      return [this, addrs = std::move(addrs), ask_index = std::move(ask_index), answers = std::move(answers), store,
              problem]() mutable { apply_dns(addrs, ask_index, answers, store, problem); };
    });
  }

  void apply_dns(std::vector<std::pair<std::string, std::vector<Row*>>>& addrs, const std::vector<size_t>& ask_index,
                 const std::vector<dns::Answer>& answers, const std::shared_ptr<cache::Cache>& store,
                 std::string& problem) {
    const double now = cache::now_epoch(), ttl = config::get_number("dns.ttl");
    for (size_t k = 0; k < answers.size(); ++k) {
      auto& [key, rows] = addrs[ask_index[k]];
      const dns::Answer& a = answers[k];
      for (Row* r : rows) {
        r->rdns = a.name;
        r->status["rdns"] = a.status == "error" ? "error: " + a.error : a.status;
      }
      note_cached(rows, false);
      if (store && a.status != "error") {
        try {
          store->put("dns", key, {a.status, json{{"name", a.name}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now}, ttl);
        } catch (const std::exception& e) {
          problem = e.what();
        }
      }
    }
    report_cache_problem(problem);
  }

  void report_cache_problem(const std::string& problem) {
    if (!problem.empty())
      for (Row& r : rows_) r.status["cache"] = "error: " + problem;
  }

  Pending registration() {
    auto addrs = public_addresses("rdap");
    if (addrs.empty()) return nothing_to_wait_for();
    std::string problem;
    auto store = open_cache(problem);
    std::vector<std::string> keys;
    for (auto& a : addrs) keys.push_back(a.first);
    const auto hits = from_cache(store, "rdap", keys, problem);
    std::vector<http::Request> requests;
    std::vector<size_t> request_of;
    for (size_t i = 0; i < addrs.size(); ++i) {
      auto& [key, rows] = addrs[i];
      if (hits[i]) {
        for (Row* r : rows) {
          if (hits[i]->status == "ok") r->rdap = rdap::from_cache_json(hits[i]->value);
          r->status["rdap"] = hits[i]->status;
        }
        note_cached(rows, true);
        continue;
      }
      if (net::offline()) {  // cached answers only: nothing leaves the machine
        for (Row* r : rows) r->status["rdap"] = net::kOfflineStatus;
        continue;
      }
      const ip::Address a = *ip::parse(key);
      std::string error;
      const std::string base = rdap::registry_for(a, &error);
      if (base.empty()) {
        for (Row* r : rows) r->status["rdap"] = "error: " + error;
        continue;
      }
      http::Request rq;
      const size_t host_end = base.find('/', base.find("://") + 3);
      rq.provider = "rdap " + base.substr(0, host_end);  // one rate limit per registry
      rq.url = base + "ip/" + key;
      rq.headers = {"Accept: application/rdap+json, application/json"};
      rq.follow_redirects = true;  // no key to leak; registries redirect to each other
      rq.limits = http::limits_from_config("rdap");
      rq.limits.deadline = rq.limits.timeout;  // one deadline for the statement's batch
      requests.push_back(std::move(rq));
      request_of.push_back(i);
    }
    if (requests.empty()) {
      report_cache_problem(problem);
      return nothing_to_wait_for();
    }
    return std::async(std::launch::async, [this, addrs = std::move(addrs), requests = std::move(requests),
                                           request_of = std::move(request_of), store,
                                           problem]() mutable -> std::function<void()> {
      // Each reply is parsed as it arrives and dropped (core/http holds a few at a time).
      std::vector<rdap::Answer> answers(requests.size());
      http::fetch_each(requests, [&](size_t k, http::Response& rep) {
        if (rep.quota)
          answers[k].status = "quota: " + rep.error;
        else if (rep.status == 0 || rep.too_large)
          answers[k].status = "error: " + rep.error;
        else
          answers[k] = rdap::answer_from_reply(rep.status, rep.body);
      });
      return [this, addrs = std::move(addrs), request_of = std::move(request_of), answers = std::move(answers), store,
              problem]() mutable { apply_rdap(addrs, request_of, answers, store, problem); };
    });
  }

  void apply_rdap(std::vector<std::pair<std::string, std::vector<Row*>>>& addrs, const std::vector<size_t>& request_of,
                  const std::vector<rdap::Answer>& answers, const std::shared_ptr<cache::Cache>& store, std::string& problem) {
    const double now = cache::now_epoch(), ttl = config::get_number("rdap.ttl");
    for (size_t k = 0; k < answers.size(); ++k) {
      auto& [key, rows] = addrs[request_of[k]];
      const std::string& status = answers[k].status;
      const auto& net = answers[k].net;
      for (Row* r : rows) r->rdap = net, r->status["rdap"] = status;
      note_cached(rows, false);
      if (store && (status == "ok" || status == "not_found")) {
        try {
          store->put("rdap", key, {status, net ? rdap::to_cache_json(*net) : "{}", now}, ttl);
        } catch (const std::exception& e) {
          problem = e.what();
        }
      }
    }
    report_cache_problem(problem);
  }
#endif

  Pending threat_intel() {
    std::vector<std::string> ips;
    std::map<std::string, std::vector<Row*>> by_ip;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      const std::string canonical = ip::to_string(lookup_address(*r.addr));
      if (by_ip[canonical].empty()) ips.push_back(canonical);
      by_ip[canonical].push_back(&r);
    }
    if (ips.empty()) return nothing_to_wait_for();
    return std::async(std::launch::async, [this, ips = std::move(ips), by_ip = std::move(by_ip)]() mutable
                                              -> std::function<void()> {
      auto results = ti::lookup(ips, {});
      return [this, by_ip = std::move(by_ip), results = std::move(results)]() mutable { apply_ti(by_ip, results); };
    });
  }

  void apply_ti(std::map<std::string, std::vector<Row*>>& by_ip, const std::vector<ti::Result>& results) {
    for (const auto& res : results) {
      for (Row* r : by_ip[res.observable]) {
        json entry = {{"status", res.status}, {"severity", ti::severity_name(res.severity)}};
        if (!res.result.empty()) entry["result"] = res.result;
        if (res.status == "ok" && !res.reference.empty()) entry["reference"] = res.reference;
        if (res.status != "ok" && res.status != "not_found" && !res.detail.empty()) entry["detail"] = res.detail;
        r->ti[res.provider] = entry;
        r->status["ti"][res.provider] = res.status;
        if (res.status == "ok" || res.status == "not_found") r->ti_severity = std::max(r->ti_severity, res.severity);
        // Only answers that were asked for count (not a provider skipped or without its key).
        if (res.provider != "local" && res.status != "not_configured" && res.status != "skipped" &&
            res.status != net::kOfflineStatus)
          r->cached = r->cached.value_or(true) && res.cached;
      }
    }
  }

  std::vector<Row> rows_;
  size_t pos_ = 0;
  bool want_status_ = false;
};

}  // namespace

int register_ip_enrichment(sqlite3* db) { return vtab::register_table(db, kSpec, vtab::cursor_table<Cursor>); }

}  // namespace sqlhunt
