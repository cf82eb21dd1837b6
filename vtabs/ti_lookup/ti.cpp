#include "vtabs/ti_lookup/ti.h"

#include <libpsl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"
#include "core/ip.h"

namespace sqlhunt::ti {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

bool is_domain(std::string_view s) {
  if (s.size() < 3 || s.size() > 253 || s.back() == '.' || s.front() == '.') return false;
  size_t labels = 0, label_len = 0;
  bool last_label_alpha = false;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (label_len == 0 || label_len > 63) return false;
      if (s[i - 1] == '-' || s[i - label_len] == '-') return false;
      ++labels;
      last_label_alpha = std::isalpha(static_cast<unsigned char>(s[i - label_len])) != 0;
      label_len = 0;
      continue;
    }
    const char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    ++label_len;
  }
  if (labels < 2 || !last_label_alpha) return false;
  // The last label must be a real top-level domain (libpsl's built-in public suffix
  // list) or a special-use one (RFC 6761, .onion, .local, .internal), so file names
  // such as notepad.exe or evil.ps1 are not taken for domains.
  const std::string tld = lower(s.substr(s.rfind('.') + 1));
  for (const char* special : {"example", "test", "invalid", "localhost", "onion", "local", "internal"})
    if (tld == special) return true;
  static const psl_ctx_t* psl = psl_builtin();
  return psl && psl_is_public_suffix2(psl, tld.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

bool ip_type(std::string_view t) { return t == "ipv4" || t == "ipv6"; }
bool any_known(std::string_view t) { return !t.empty(); }
bool v4_only(std::string_view t) { return t == "ipv4"; }

std::string s_or(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// ---- VirusTotal v3 --------------------------------------------------------------

std::string vt_path(std::string_view obs, std::string_view type) {
  if (ip_type(type)) return "/ip_addresses/" + std::string(obs);
  if (type == "domain") return "/domains/" + url_encode(obs);
  if (type == "url") return "/urls/" + base64url(obs);
  return "/files/" + lower(obs);
}
std::string vt_reference(std::string_view obs, std::string_view type) {
  const char* kind = ip_type(type) ? "ip-address" : type == "domain" ? "domain" : type == "url" ? "url" : "file";
  return std::string("https://www.virustotal.com/gui/") + kind + "/" +
         (type == "url" ? base64url(obs) : url_encode(obs));
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
  return "/check?ipAddress=" + url_encode(obs) + "&maxAgeInDays=90";
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
  return std::string("/indicators/") + section + "/" + url_encode(obs) + "/general";
}
std::string otx_reference(std::string_view obs, std::string_view type) {
  const char* kind = ip_type(type) ? "ip" : type == "domain" ? "domain" : type == "url" ? "url" : "file";
  return std::string("https://otx.alienvault.com/indicator/") + kind + "/" + url_encode(obs);
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

const std::vector<RemoteProvider> kRemote = {
    {"virustotal", "virustotal", any_known, vt_path, "x-apikey", vt_reference, parse_body<vt_parse>},
    {"abuseipdb", "abuseipdb", ip_type, abuse_path, "Key", abuse_reference, parse_body<abuse_parse>},
    {"otx", "otx", any_known, otx_path, "X-OTX-API-KEY", otx_reference, parse_body<otx_parse>},
    {"greynoise", "greynoise", v4_only, gn_path, "key", gn_reference, parse_body<gn_parse>},
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

std::string ioc_type(std::string_view obs) {
  obs = trim(obs);
  if (obs.empty()) return {};
  if (auto a = ip::parse(obs)) return a->v6 ? "ipv6" : "ipv4";
  if (all_hex(obs)) {
    if (obs.size() == 32) return "md5";
    if (obs.size() == 40) return "sha1";
    if (obs.size() == 64) return "sha256";
  }
  const size_t scheme = obs.find("://");
  if (scheme != std::string_view::npos && scheme > 0) {
    const std::string s = lower(obs.substr(0, scheme));
    if (s == "http" || s == "https" || s == "ftp") return "url";
  }
  if (is_domain(obs)) return "domain";
  return {};
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInformation: return "information";
    case Severity::kWarning: return "warning";
    case Severity::kHigh: return "high";
    default: return "unknown";
  }
}

Severity severity_from_name(std::string_view name) {
  const std::string n = lower(trim(name));
  if (n == "information" || n == "info" || n == "informational" || n == "low") return Severity::kInformation;
  if (n == "warning" || n == "medium") return Severity::kWarning;
  if (n == "high" || n == "critical") return Severity::kHigh;
  return Severity::kUnknown;
}

std::string to_cache_json(const Result& r) {
  json j = {{"status", r.status}, {"detail", r.detail}, {"severity", severity_name(r.severity)},
            {"result", r.result}, {"details", r.details}, {"reference", r.reference},
            {"raw", r.raw}, {"fetched_at", r.fetched_at}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool from_cache_json(std::string_view text, Result& r) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  r.status = s_or(j, "status");
  r.detail = s_or(j, "detail");
  r.severity = severity_from_name(s_or(j, "severity"));
  r.result = s_or(j, "result");
  r.details = s_or(j, "details");
  if (r.details.empty()) r.details = "{}";
  r.reference = s_or(j, "reference");
  r.raw = s_or(j, "raw");
  if (auto f = j.find("fetched_at"); f != j.end() && f->is_number()) r.fetched_at = f->get<double>();
  return !r.status.empty();
}

const std::vector<RemoteProvider>& remote_providers() { return kRemote; }

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

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string base64url(std::string_view s) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    const uint32_t v = uint32_t(uint8_t(s[i])) << 16 | uint32_t(uint8_t(s[i + 1])) << 8 | uint8_t(s[i + 2]);
    out += t[v >> 18], out += t[(v >> 12) & 63], out += t[(v >> 6) & 63], out += t[v & 63];
  }
  if (i + 1 == s.size()) {
    const uint32_t v = uint32_t(uint8_t(s[i])) << 16;
    out += t[v >> 18], out += t[(v >> 12) & 63];
  } else if (i + 2 == s.size()) {
    const uint32_t v = uint32_t(uint8_t(s[i])) << 16 | uint32_t(uint8_t(s[i + 1])) << 8;
    out += t[v >> 18], out += t[(v >> 12) & 63], out += t[(v >> 6) & 63];
  }
  return out;
}

// ---- local indicators ---------------------------------------------------------------

std::string normalise_indicator(std::string_view value) {
  value = trim(value);
  if (auto a = ip::parse(value)) return ip::to_string(a->mapped_v4().value_or(*a));
  const std::string type = ioc_type(value);
  if (type == "md5" || type == "sha1" || type == "sha256" || type == "domain") return lower(value);
  return std::string(value);
}

namespace {

int find_column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    for (size_t i = 0; i < header.size(); ++i)
      if (lower(trim(header[i])) == n) return static_cast<int>(i);
  return -1;
}

}  // namespace

void LocalIndicators::add_text(std::string_view text, const std::string& file, bool json_lines) {
  auto add = [&](Indicator ind) {
    if (ind.value.empty()) return;
    index_.emplace(normalise_indicator(ind.value), all_.size());
    all_.push_back(std::move(ind));
  };
  if (json_lines) {
    size_t line = 0;
    while (!text.empty()) {
      ++line;
      const size_t nl = text.find('\n');
      std::string_view l = trim(text.substr(0, nl));
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      if (l.empty()) continue;
      json j = json::parse(l, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        throw Error("ti_lookup: " + file + " line " + std::to_string(line) + ": not a JSON object");
      Indicator ind;
      for (const char* k : {"indicator", "Indicator", "ioc", "IoC", "IOC", "observable", "Observable", "value", "Value"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.value = std::string(trim(it->get<std::string>()));
          break;
        }
      if (ind.value.empty())
        throw Error("ti_lookup: " + file + " line " + std::to_string(line) +
                    ": no indicator field (indicator, ioc, observable or value)");
      for (const char* k : {"type", "Type", "indicatortype", "IndicatorType", "ioctype", "IoCType"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.type = std::string(trim(it->get<std::string>()));
          break;
        }
      for (const char* k : {"severity", "Severity"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) ind.severity = it->get<std::string>();
      ind.fields = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      ind.file = file;
      ind.line = line;
      add(std::move(ind));
    }
    return;
  }
  // CSV (core/csv.h): RFC 4180 quoting, CRLF, a BOM; any malformed record is an error.
  auto in = csv::Reader::from_string(text);
  const std::vector<std::string>& header = in->header();
  if (header.empty()) throw Error("ti_lookup: " + file + ": no CSV header");
  if (!in->header_error().empty())
    throw Error("ti_lookup: " + file + " line " + std::to_string(in->header_line()) + ": " + in->header_error());
  const int value_col = find_column(header, {"indicator", "ioc", "observable", "value"});
  if (value_col < 0)
    throw Error("ti_lookup: " + file + ": no indicator column (indicator, ioc, observable or value) in the header");
  const int type_col = find_column(header, {"type", "indicatortype", "ioctype"});
  const int sev_col = find_column(header, {"severity"});
  csv::Record rec;
  while (in->next(rec)) {
    // A line of spaces is as blank as an empty one (which the reader skips itself).
    if (rec.fields.size() == 1 && trim(rec.fields[0]).empty()) continue;
    if (!rec.error.empty() || rec.fields.size() != header.size())
      throw Error("ti_lookup: " + file + " line " + std::to_string(rec.line) + ": " +
                  (rec.error.empty() ? "malformed record" : rec.error));
    Indicator ind;
    ind.value = std::string(trim(rec.fields[static_cast<size_t>(value_col)]));
    if (type_col >= 0) ind.type = std::string(trim(rec.fields[static_cast<size_t>(type_col)]));
    if (sev_col >= 0) ind.severity = std::string(trim(rec.fields[static_cast<size_t>(sev_col)]));
    json f = json::object();
    for (size_t i = 0; i < header.size(); ++i) {
      std::string key(trim(header[i]));
      if (key.empty()) key = "_index";
      f[key] = std::string(rec.fields[i]);
    }
    ind.fields = f.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ind.file = file;
    ind.line = static_cast<size_t>(rec.line);
    add(std::move(ind));
  }
}

std::unique_ptr<LocalIndicators> LocalIndicators::load(const std::vector<std::string>& files) {
  auto db = std::make_unique<LocalIndicators>();
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw Error("ti_lookup: cannot read indicator file '" + f + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    auto ends = [&](const char* s) {
      const std::string_view n = f, e = s;
      return n.size() >= e.size() && lower(n.substr(n.size() - e.size())) == e;
    };
    const bool jl = ends(".jsonl") || ends(".ndjson") || ends(".json") || trim(text).substr(0, 1) == "{";
    db->add_text(text, f, jl);
  }
  return db;
}

std::vector<const Indicator*> LocalIndicators::match(std::string_view observable) const {
  std::vector<const Indicator*> out;
  auto [lo, hi] = index_.equal_range(normalise_indicator(observable));
  for (auto it = lo; it != hi; ++it) out.push_back(&all_[it->second]);
  return out;
}

Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none) {
  Result r;
  r.observable = std::string(observable);
  r.ioc_type = ioc_type(observable);
  r.provider = "local";
  if (!db) {
    r.status = "no_key";
    r.detail = why_none;
    return r;
  }
  const auto hits = db->match(observable);
  if (hits.empty()) {
    r.status = "not_found";
    r.severity = Severity::kInformation;
    r.result = "not in " + std::to_string(db->size()) + " local indicators";
    return r;
  }
  r.status = "ok";
  Severity sev = Severity::kUnknown;
  json matches = json::array();
  for (const Indicator* i : hits) {
    Severity s = i->severity.empty() ? Severity::kHigh : severity_from_name(i->severity);
    if (s == Severity::kUnknown) s = Severity::kHigh;
    sev = std::max(sev, s);
    matches.push_back({{"file", i->file}, {"line", i->line}, {"type", i->type}, {"fields", json::parse(i->fields)}});
  }
  r.severity = sev;
  r.result = "in " + std::to_string(hits.size()) + (hits.size() == 1 ? " local indicator" : " local indicators");
  if (!hits[0]->type.empty()) r.result += " (" + hits[0]->type + ")";
  r.reference = hits[0]->file + ":" + std::to_string(hits[0]->line);
  r.details = json{{"matches", matches}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace sqlhunt::ti
