#include "vtabs/ip_enrichment/ip_enrichment_vtab.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "core/config.h"
#include "core/ip.h"
#include "core/sql_function.h"
#include "core/vtab.h"
#include "vtabs/ip_enrichment/geoip.h"
#include "vtabs/ti_lookup/ti_engine.h"

namespace sqlhunt {
namespace {

using nlohmann::json;
using vtab::kArgument;
using vtab::kBatch;
using vtab::kPlain;
using vtab::kRequired;

enum Col { kIp, kVersion, kClass, kCountryCode, kCountry, kRegion, kCity, kLatitude, kLongitude, kAsn, kAsOrg,
           kNetwork, kTiSeverity, kTi, kStatus, kCached, kColumnCount };

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
    {"ti_severity", "TEXT", kPlain, "highest TI severity: unknown information warning high"},
    {"ti", "TEXT", kPlain, "JSON: per-provider TI results"},
    {"status", "TEXT", kPlain, "JSON: what each source said"},
    {"cached", "INTEGER", kPlain, "1 when every remote answer came from the cache"},
};
static_assert(sizeof kColumns / sizeof kColumns[0] == kColumnCount, "one Column per Col");

const vtab::TableSpec kSpec = {"ip_enrichment", "one row per IP address", kColumns, vtab::count(kColumns),
                               100, 1, /*direct_only=*/true};

struct Row {
  std::string ip;
  std::optional<ip::Address> addr;
  std::optional<geoip::Geo> geo;
  std::optional<geoip::Asn> asn;
  std::shared_ptr<const geoip::AsnDb> asn_db;  // keeps asn->org alive
  ti::Severity ti_severity = ti::Severity::kUnknown;
  json ti = json::object();
  json status = json::object();
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
    std::set<std::string> seen;
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
    if (want_geo) geo(true), geo(false);
    if (want_asn) asn(true), asn(false);
    if (want_ti) threat_intel();
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= rows_.size(); }
  sqlite3_int64 rowid() const override { return static_cast<sqlite3_int64>(pos_); }

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
      case kTiSeverity: return sqlfn::result_text(ctx, ti::severity_name(r.ti_severity));
      case kTi: return sqlfn::result_text(ctx, r.ti.dump());
      case kStatus: return sqlfn::result_text(ctx, r.status.dump());
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

  void geo(bool v6) {
    std::shared_ptr<const geoip::GeoDb> db;
    json error;
    bool opened = false;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      const ip::Address a = lookup_address(*r.addr);
      if (a.v6 != v6) continue;
      if (!is_public(r)) {
        r.status["geoip"] = std::string("not asked: ") + ip::class_name(ip::classify(*r.addr)) + " address";
        continue;
      }
      if (!opened) db = open_db<geoip::GeoDb>(v6 ? "geoip.city_v6" : "geoip.city_v4", &error), opened = true;
      if (!db) {
        r.status["geoip"] = error;
        continue;
      }
      r.geo = db->lookup(a);
      r.status["geoip"] = r.geo ? "ok" : "not_found";
    }
  }

  void asn(bool v6) {
    std::shared_ptr<const geoip::AsnDb> db;
    json error;
    bool opened = false;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      const ip::Address a = lookup_address(*r.addr);
      if (a.v6 != v6) continue;
      if (!is_public(r)) {
        r.status["asn"] = std::string("not asked: ") + ip::class_name(ip::classify(*r.addr)) + " address";
        continue;
      }
      if (!opened) db = open_db<geoip::AsnDb>(v6 ? "geoip.asn_v6" : "geoip.asn_v4", &error), opened = true;
      if (!db) {
        r.status["asn"] = error;
        continue;
      }
      r.asn = db->lookup(a);
      r.asn_db = db;
      r.status["asn"] = r.asn ? "ok" : "not_found";
    }
  }

  void threat_intel() {
    std::vector<std::string> ips;
    std::map<std::string, std::vector<Row*>> by_ip;
    for (Row& r : rows_) {
      if (!r.addr) continue;
      const std::string canonical = ip::to_string(lookup_address(*r.addr));
      if (by_ip[canonical].empty()) ips.push_back(canonical);
      by_ip[canonical].push_back(&r);
    }
    if (ips.empty()) return;
    const auto results = ti::lookup(ips, {});
    for (const auto& res : results) {
      for (Row* r : by_ip[res.observable]) {
        json entry = {{"status", res.status}, {"severity", ti::severity_name(res.severity)}};
        if (!res.result.empty()) entry["result"] = res.result;
        if (res.status == "ok" && !res.reference.empty()) entry["reference"] = res.reference;
        if (res.status == "error" || res.status == "quota") entry["detail"] = res.detail;
        r->ti[res.provider] = entry;
        r->status["ti"][res.provider] = res.status;
        if (res.status == "ok" || res.status == "not_found") r->ti_severity = std::max(r->ti_severity, res.severity);
        if (res.provider != "local" && res.status != "no_key")
          r->cached = r->cached.value_or(true) && res.cached;
      }
    }
  }

  std::vector<Row> rows_;
  size_t pos_ = 0;
};

class Table : public vtab::Table {
 public:
  using vtab::Table::Table;
  std::unique_ptr<vtab::Cursor> open() override { return std::make_unique<Cursor>(); }
};

}  // namespace

int register_ip_enrichment(sqlite3* db) { return vtab::register_table(db, kSpec, vtab::make_table<Table>); }

}  // namespace sqlhunt
