// vtabs/ti_lookup/providers.cpp — VirusTotal, AbuseIPDB, OTX and GreyNoise: request
// paths and links, reply parsing, and interpret() for every other reply (see providers.h).
#include "vtabs/ti_lookup/providers.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "core/config.h"
#include "core/http.h"

namespace sqlhunt::ti {
namespace {

using nlohmann::json;

bool ip_type(std::string_view t) { return t == "ipv4" || t == "ipv6"; }

std::string s_or(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// ---- VirusTotal v3 --------------------------------------------------------------

std::string vt_path(std::string_view obs, std::string_view type) {
  if (ip_type(type)) return "/ip_addresses/" + std::string(obs);
  if (type == "domain") return "/domains/" + http::url_encode(obs);
  if (type == "url") return "/urls/" + http::base64url(obs);
  return "/files/" + std::string(obs);  // classify() wrote it in lower case
}
std::string vt_reference(std::string_view obs, std::string_view type) {
  const char* kind = ip_type(type) ? "ip-address" : type == "domain" ? "domain" : type == "url" ? "url" : "file";
  return std::string("https://www.virustotal.com/gui/") + kind + "/" +
         (type == "url" ? http::base64url(obs) : http::url_encode(obs));
}
void vt_parse(const HttpReply&, Result& r, const json& j) {
  const json* attrs = nullptr;
  if (auto d = j.find("data"); d != j.end() && d->is_object())
    if (auto a = d->find("attributes"); a != d->end() && a->is_object()) attrs = &*a;
  if (!attrs) {
    r.status = "error";
    r.detail = "virustotal: reply has no data.attributes";
    return;
  }
  const json stats = attrs->value("last_analysis_stats", json::object());
  auto num = [&](const char* k) -> long long {
    auto it = stats.find(k);
    return it != stats.end() && it->is_number() ? it->get<long long>() : 0;
  };
  const long long mal = num("malicious"), sus = num("suspicious");
  long long total = 0;
  if (stats.is_object())
    for (const auto& [k, v] : stats.items())
      if (v.is_number()) total += v.get<long long>();
  r.status = "ok";
  r.severity = mal > 1 ? Severity::kHigh : mal > 0 ? Severity::kWarning : Severity::kInformation;
  r.result = std::to_string(mal) + " malicious, " + std::to_string(sus) + " suspicious of " +
             std::to_string(total) + " engines";
  json d = {{"last_analysis_stats", stats}};
  for (const char* k : {"reputation", "country", "asn", "as_owner", "network", "last_analysis_date"})
    if (auto it = attrs->find(k); it != attrs->end()) d[k] = *it;
  r.details = d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- AbuseIPDB v2 ---------------------------------------------------------------

std::string abuse_path(std::string_view obs, std::string_view) {
  return "/check?ipAddress=" + http::url_encode(obs) + "&maxAgeInDays=90";
}
std::string abuse_reference(std::string_view obs, std::string_view) {
  return "https://www.abuseipdb.com/check/" + std::string(obs);
}
void abuse_parse(const HttpReply&, Result& r, const json& j) {
  auto d = j.find("data");
  if (d == j.end() || !d->is_object() || !d->contains("abuseConfidenceScore") ||
      !(*d)["abuseConfidenceScore"].is_number()) {
    r.status = "error";
    r.detail = "abuseipdb: reply has no data.abuseConfidenceScore";
    return;
  }
  const double score = (*d)["abuseConfidenceScore"].get<double>();
  r.status = "ok";
  r.severity = score > 50 ? Severity::kHigh : score > 0 ? Severity::kWarning : Severity::kInformation;
  std::ostringstream text;
  text << "abuse confidence " << score << "%";
  if (auto t = d->find("totalReports"); t != d->end() && t->is_number()) text << ", " << t->dump() << " reports";
  r.result = text.str();
  json out = json::object();
  for (const char* k : {"abuseConfidenceScore", "countryCode", "usageType", "isp", "domain", "hostnames",
                        "totalReports", "numDistinctUsers", "lastReportedAt", "isWhitelisted", "isTor"})
    if (auto it = d->find(k); it != d->end()) out[k] = *it;
  r.details = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- AlienVault OTX v1 ----------------------------------------------------------

std::string otx_path(std::string_view obs, std::string_view type) {
  const char* section = type == "ipv4" ? "IPv4" : type == "ipv6" ? "IPv6" : type == "domain" ? "domain"
                        : type == "url" ? "url" : "file";
  return std::string("/indicators/") + section + "/" + http::url_encode(obs) + "/general";
}
std::string otx_reference(std::string_view obs, std::string_view type) {
  const char* kind = ip_type(type) ? "ip" : type == "domain" ? "domain" : type == "url" ? "url" : "file";
  return std::string("https://otx.alienvault.com/indicator/") + kind + "/" + http::url_encode(obs);
}
void otx_parse(const HttpReply&, Result& r, const json& j) {
  auto p = j.find("pulse_info");
  if (p == j.end() || !p->is_object()) {
    r.status = "error";
    r.detail = "otx: reply has no pulse_info";
    return;
  }
  long long count = 0;
  const json pulses = p->value("pulses", json::array());
  if (auto c = p->find("count"); c != p->end() && c->is_number())
    count = c->get<long long>();
  else if (pulses.is_array())
    count = static_cast<long long>(pulses.size());
  r.status = "ok";
  r.severity = count > 1 ? Severity::kHigh : count == 1 ? Severity::kWarning : Severity::kInformation;
  r.result = std::to_string(count) + (count == 1 ? " pulse" : " pulses");
  json names = json::array(), tags = json::array();
  if (pulses.is_array())
    for (const auto& pulse : pulses) {
      if (!pulse.is_object()) continue;
      if (auto n = pulse.find("name"); n != pulse.end()) names.push_back(*n);
      if (auto t = pulse.find("tags"); t != pulse.end() && t->is_array())
        for (const auto& tag : *t) tags.push_back(tag);
    }
  json d = {{"pulse_count", count}, {"names", names}, {"tags", tags}};
  if (auto rep = j.find("reputation"); rep != j.end()) d["reputation"] = *rep;
  r.details = d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- GreyNoise community v3 ------------------------------------------------------

std::string gn_path(std::string_view obs, std::string_view) { return "/" + std::string(obs); }
std::string gn_reference(std::string_view obs, std::string_view) {
  return "https://viz.greynoise.io/ip/" + std::string(obs);
}
void gn_parse(const HttpReply& reply, Result& r, const json& j) {
  if (!j.is_object() || (!j.contains("noise") && !j.contains("classification"))) {
    r.status = "error";
    r.detail = "greynoise: reply has neither noise nor classification";
    return;
  }
  const std::string cls = s_or(j, "classification");
  r.status = reply.status == 404 ? "not_found" : "ok";
  r.severity = cls == "malicious" ? Severity::kHigh : Severity::kInformation;
  if (reply.status == 404) {
    r.result = s_or(j, "message");
  } else {
    r.result = cls.empty() ? "unclassified" : cls;
    const std::string name = s_or(j, "name");
    if (!name.empty() && name != "unknown") r.result += " (" + name + ")";
  }
  json d = json::object();
  for (const char* k : {"noise", "riot", "classification", "name", "link", "last_seen", "message"})
    if (auto it = j.find(k); it != j.end()) d[k] = *it;
  if (auto l = j.find("link"); l != j.end() && l->is_string()) r.reference = l->get<std::string>();
  r.details = d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The json-taking parsers, behind the RemoteProvider's plain signature.
template <void (*F)(const HttpReply&, Result&, const json&)>
void parse_body(const HttpReply& reply, Result& r) {
  json j = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    r.status = "error";
    r.detail = r.provider + ": malformed JSON in the reply (HTTP " + std::to_string(reply.status) + ")";
    r.severity = Severity::kUnknown;
    return;
  }
  r.raw = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  F(reply, r, j);
  if (r.status == "error") r.severity = Severity::kUnknown;
}

// Each provider's settings sit beside its entry: RemoteProvider::setting names their
// prefix, and a unit test checks that every provider has its four.
constexpr double kTtlMax = 315360000;  // ten years
constexpr double kRateMax = 100000;
const config::Registration kSettings({
    {"virustotal.key", "SQLHUNT_VIRUSTOTAL_KEY", "", config::Kind::kSecret, true, 0, 0, "VirusTotal API key (x-apikey)."},
    {"virustotal.url", "SQLHUNT_VIRUSTOTAL_URL", "https://www.virustotal.com/api/v3", config::Kind::kUrl, false, 0, 0,
     "VirusTotal API v3 base URL (environment only)."},
    {"virustotal.rate", "SQLHUNT_VIRUSTOTAL_RATE", "4", config::Kind::kNumber, true, 0, kRateMax,
     "VirusTotal requests a minute (free tier: 4); 0 for no limit."},
    {"virustotal.ttl", "SQLHUNT_VIRUSTOTAL_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds a VirusTotal answer is cached."},
    {"abuseipdb.key", "SQLHUNT_ABUSEIPDB_KEY", "", config::Kind::kSecret, true, 0, 0, "AbuseIPDB API key (Key header)."},
    {"abuseipdb.url", "SQLHUNT_ABUSEIPDB_URL", "https://api.abuseipdb.com/api/v2", config::Kind::kUrl, false, 0, 0,
     "AbuseIPDB API v2 base URL (environment only)."},
    {"abuseipdb.rate", "SQLHUNT_ABUSEIPDB_RATE", "60", config::Kind::kNumber, true, 0, kRateMax,
     "AbuseIPDB requests a minute (free tier: 1,000 checks a day, enforced by the server); 0 for no limit."},
    {"abuseipdb.ttl", "SQLHUNT_ABUSEIPDB_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds an AbuseIPDB answer is cached."},
    {"otx.key", "SQLHUNT_OTX_KEY", "", config::Kind::kSecret, true, 0, 0, "AlienVault OTX API key (X-OTX-API-KEY)."},
    {"otx.url", "SQLHUNT_OTX_URL", "https://otx.alienvault.com/api/v1", config::Kind::kUrl, false, 0, 0,
     "OTX API v1 base URL (environment only)."},
    {"otx.rate", "SQLHUNT_OTX_RATE", "150", config::Kind::kNumber, true, 0, kRateMax,
     "OTX requests a minute (10,000 an hour); 0 for no limit."},
    {"otx.ttl", "SQLHUNT_OTX_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax, "Seconds an OTX answer is cached."},
    {"greynoise.key", "SQLHUNT_GREYNOISE_KEY", "", config::Kind::kSecret, true, 0, 0,
     "GreyNoise community API key (key header)."},
    {"greynoise.url", "SQLHUNT_GREYNOISE_URL", "https://api.greynoise.io/v3/community", config::Kind::kUrl, false, 0, 0,
     "GreyNoise community API base URL (environment only)."},
    {"greynoise.rate", "SQLHUNT_GREYNOISE_RATE", "10", config::Kind::kNumber, true, 0, kRateMax,
     "GreyNoise requests a minute; 0 for no limit."},
    {"greynoise.ttl", "SQLHUNT_GREYNOISE_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds a GreyNoise answer is cached."},
});

constexpr const char* kAllSeven = "ipv4 ipv6 domain url md5 sha1 sha256";
const std::vector<RemoteProvider> kRemote = {
    {"virustotal", "virustotal", kAllSeven, vt_path, "x-apikey", vt_reference, parse_body<vt_parse>},
    {"abuseipdb", "abuseipdb", "ipv4 ipv6", abuse_path, "Key", abuse_reference, parse_body<abuse_parse>},
    {"otx", "otx", kAllSeven, otx_path, "X-OTX-API-KEY", otx_reference, parse_body<otx_parse>},
    {"greynoise", "greynoise", "ipv4", gn_path, "key", gn_reference, parse_body<gn_parse>},
};

// A short message from an error body ({"error":{"message"}}, {"errors":[{"detail"}]},
// {"message"}), at most 200 characters.
std::string error_message(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  std::string msg;
  if (!j.is_discarded() && j.is_object()) {
    if (auto e = j.find("error"); e != j.end() && e->is_object()) msg = s_or(*e, "message");
    if (auto e = j.find("errors"); msg.empty() && e != j.end() && e->is_array() && !e->empty() && (*e)[0].is_object())
      msg = s_or((*e)[0], "detail");
    if (msg.empty()) msg = s_or(j, "message");
    if (msg.empty()) msg = s_or(j, "detail");
  }
  if (msg.size() > 200) msg = msg.substr(0, 200) + "...";
  return msg;
}

}  // namespace

const std::vector<RemoteProvider>& remote_providers() { return kRemote; }

bool supports(const RemoteProvider& p, std::string_view ioc_type) {
  if (ioc_type.empty()) return false;
  std::string_view types = p.types;
  while (!types.empty()) {
    const size_t sp = types.find(' ');
    if (types.substr(0, sp) == ioc_type) return true;
    types.remove_prefix(sp == std::string_view::npos ? types.size() : sp + 1);
  }
  return false;
}

const RemoteProvider* find_remote(std::string_view name) {
  for (const auto& p : kRemote)
    if (name == p.name) return &p;
  return nullptr;
}

std::vector<std::string> provider_names() {
  std::vector<std::string> out{"local"};
  for (const auto& p : kRemote) out.push_back(p.name);
  return out;
}

void interpret(const RemoteProvider& p, const HttpReply& reply, Result& r) {
  r.provider = p.name;
  r.severity = Severity::kUnknown;
  r.raw.clear();
  r.details = "{}";
  const std::string name = p.name;
  if (reply.quota) {
    r.status = "quota";
    r.detail = reply.error.empty() ? name + ": rate limit" : reply.error;
    return;
  }
  if (reply.status == 0) {
    r.status = "error";
    r.detail = name + ": " + (reply.error.empty() ? std::string("no reply") : reply.error);
    return;
  }
  if (reply.status >= 300 && reply.status < 400) {
    r.status = "error";
    r.detail = name + ": HTTP " + std::to_string(reply.status) + " redirect to '" + reply.location +
               "' not followed (a keyed request never follows a redirect)";
    return;
  }
  if (reply.status == 404) {
    // GreyNoise answers 404 with a body in its usual format; the others only say
    // "not found".
    if (std::string_view(p.name) == "greynoise") {
      json j = json::parse(reply.body, nullptr, false);
      if (!j.is_discarded() && j.is_object() && j.contains("noise")) {
        p.parse(reply, r);
        if (r.status != "error") r.status = "not_found", r.severity = Severity::kInformation;
        return;
      }
    }
    r.status = "not_found";
    r.severity = Severity::kInformation;
    const std::string msg = error_message(reply.body);
    r.result = msg.empty() ? "not found" : msg;
    return;
  }
  if (reply.status == 401 || reply.status == 403) {
    r.status = "error";
    const std::string msg = error_message(reply.body);
    r.detail = name + ": HTTP " + std::to_string(reply.status) + ", the key was refused" + (msg.empty() ? "" : ": " + msg);
    return;
  }
  if (reply.status == 429) {
    r.status = "quota";
    r.detail = name + ": HTTP 429 Too Many Requests";
    return;
  }
  if (reply.status != 200) {
    r.status = "error";
    const std::string msg = error_message(reply.body);
    r.detail = name + ": HTTP " + std::to_string(reply.status) + (msg.empty() ? "" : ": " + msg);
    return;
  }
  r.detail.clear();
  p.parse(reply, r);
}

}  // namespace sqlhunt::ti
