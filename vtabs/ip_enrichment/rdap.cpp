#include "vtabs/ip_enrichment/rdap.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/config.h"
#include "core/error.h"
#include "core/file_source.h"
#include "core/time.h"

namespace sqlhunt::rdap {


const config::Registration kSettings({
    {"rdap.bootstrap_v4", "SQLHUNT_RDAP_BOOTSTRAP_V4", "${DATA}/rdap/ipv4.json", config::Kind::kPath, true, 0, 0,
     "IANA RDAP bootstrap file for IPv4 (which registry answers for which block)."},
    {"rdap.bootstrap_v6", "SQLHUNT_RDAP_BOOTSTRAP_V6", "${DATA}/rdap/ipv6.json", config::Kind::kPath, true, 0, 0,
     "IANA RDAP bootstrap file for IPv6."},
    {"rdap.url", "SQLHUNT_RDAP_URL", "", config::Kind::kUrl, false, 0, 0,
     "One RDAP server for every address instead of the bootstrap's choice (environment only)."},
    {"rdap.rate", "SQLHUNT_RDAP_RATE", "60", config::Kind::kNumber, true, 0, 100000,
     "RDAP requests a minute; 0 for no limit."},
    {"rdap.ttl", "SQLHUNT_RDAP_TTL", "604800", config::Kind::kNumber, true, 0, 315360000,
     "Seconds an RDAP answer is cached."},
});
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The vCard "fn" of an entity: ["vcard", [["version",{},"text","4.0"], ["fn",{},"text","X"], ...]].
std::string vcard_fn(const json& entity) {
  auto v = entity.find("vcardArray");
  if (v == entity.end() || !v->is_array() || v->size() < 2 || !(*v)[1].is_array()) return {};
  for (const auto& prop : (*v)[1])
    if (prop.is_array() && prop.size() >= 4 && prop[0] == "fn" && prop[3].is_string()) return prop[3].get<std::string>();
  return {};
}

bool has_role(const json& entity, const char* role) {
  auto r = entity.find("roles");
  if (r == entity.end() || !r->is_array()) return false;
  for (const auto& x : *r)
    if (x == role) return true;
  return false;
}

std::string find_org(const json& entities, int depth = 0) {
  if (!entities.is_array() || depth > 3) return {};
  for (const auto& e : entities)
    if (e.is_object() && has_role(e, "registrant")) {
      const std::string fn = vcard_fn(e);
      if (!fn.empty()) return fn;
    }
  for (const auto& e : entities)
    if (e.is_object()) {
      const std::string fn = vcard_fn(e);
      if (!fn.empty()) return fn;
    }
  return {};
}

// The CIDR of [start, end] when it is exactly one block.
std::string range_text(const ip::Address& s, const ip::Address& e) {
  const int bits = s.v6 ? 128 : 32;
  const size_t n = s.v6 ? 16 : 4;
  int prefix = 0;
  while (prefix < bits) {
    const size_t byte = static_cast<size_t>(prefix / 8);
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (prefix % 8));
    if ((s.bytes[byte] & mask) != (e.bytes[byte] & mask)) break;
    ++prefix;
  }
  bool block = true;
  for (int b = prefix; b < bits && block; ++b) {
    const size_t byte = static_cast<size_t>(b / 8);
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (b % 8));
    block = !(s.bytes[byte] & mask) && (e.bytes[byte] & mask);
  }
  (void)n;
  if (block) return ip::to_string(s) + "/" + std::to_string(prefix);
  return ip::to_string(s) + " - " + ip::to_string(e);
}

}  // namespace

bool in_prefix(const ip::Address& a, const ip::Address& p, int len) {
  if (a.v6 != p.v6) return false;
  for (int b = 0; b < len; ++b) {
    const size_t byte = static_cast<size_t>(b / 8);
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (b % 8));
    if ((a.bytes[byte] & mask) != (p.bytes[byte] & mask)) return false;
  }
  return true;
}

Bootstrap Bootstrap::parse(std::string_view text, const std::string& name) {
  json j = json::parse(text, nullptr, false);
  auto fail = [&](const std::string& why) -> Bootstrap {
    throw Error("ip_enrichment: RDAP bootstrap file '" + name + "': " + why);
  };
  if (j.is_discarded() || !j.is_object()) return fail("not JSON");
  auto services = j.find("services");
  if (services == j.end() || !services->is_array()) return fail("no \"services\" list");
  Bootstrap b;
  for (const auto& svc : *services) {
    if (!svc.is_array() || svc.size() < 2 || !svc[0].is_array() || !svc[1].is_array())
      return fail("a service is not [[prefixes], [urls]]");
    std::string url;
    for (const auto& u : svc[1])
      if (u.is_string() && u.get<std::string>().rfind("https://", 0) == 0) {
        url = u.get<std::string>();
        break;
      }
    if (url.empty())
      for (const auto& u : svc[1])
        if (u.is_string()) {
          url = u.get<std::string>();
          break;
        }
    if (url.empty()) continue;
    if (url.back() != '/') url += '/';
    for (const auto& p : svc[0]) {
      if (!p.is_string()) return fail("a prefix is not a string");
      const std::string text_p = p.get<std::string>();
      const size_t slash = text_p.find('/');
      auto addr = ip::parse(std::string_view(text_p).substr(0, slash));
      int len = -1;
      if (slash != std::string::npos) len = std::atoi(text_p.c_str() + slash + 1);
      // IANA's IPv4 file has also used a bare "8" for 8.0.0.0/8.
      if (!addr && slash == std::string::npos && !text_p.empty() && text_p.size() <= 3 &&
          text_p.find_first_not_of("0123456789") == std::string::npos) {
        addr = ip::parse(text_p + ".0.0.0");
        len = 8;
      }
      if (!addr || len < 0 || len > (addr->v6 ? 128 : 32)) return fail("bad prefix '" + text_p + "'");
      b.entries_.push_back({*addr, len, url});
    }
  }
  return b;
}

Bootstrap Bootstrap::load(const std::string& path) {
  // IANA's files are ~30 KB: 16 MB is generous, and bounds a setting pointed astray.
  std::string text;
  try {
    text = files::read_small(path, 16u << 20, "an RDAP bootstrap file");
  } catch (const Error& e) {
    throw Error(std::string("RDAP bootstrap file: ") + e.what());
  }
  return parse(text, path);
}

std::string Bootstrap::base_url(const ip::Address& a) const {
  const Entry* best = nullptr;
  for (const auto& e : entries_)
    if (in_prefix(a, e.network, e.prefix) && (!best || e.prefix > best->prefix)) best = &e;
  return best ? best->url : std::string();
}

std::optional<Network> parse_network(std::string_view text, std::string* error) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    if (error) *error = "malformed JSON";
    return std::nullopt;
  }
  const std::string cls = str(j, "objectClassName");
  if (cls != "ip network") {
    if (error) *error = cls.empty() ? "not an RDAP object (no objectClassName)" : "objectClassName is '" + cls + "'";
    return std::nullopt;
  }
  Network n;
  n.name = str(j, "name");
  n.handle = str(j, "handle");
  n.country = str(j, "country");
  if (auto e = j.find("entities"); e != j.end()) n.org = find_org(*e);
  if (auto c = j.find("cidr0_cidrs"); c != j.end() && c->is_array()) {
    for (const auto& x : *c) {
      if (!x.is_object()) continue;
      std::string prefix = str(x, "v4prefix");
      if (prefix.empty()) prefix = str(x, "v6prefix");
      auto len = x.find("length");
      if (prefix.empty() || len == x.end() || !len->is_number_integer()) continue;
      if (!n.network.empty()) n.network += ", ";
      n.network += prefix + "/" + std::to_string(len->get<int>());
    }
  }
  if (n.network.empty()) {
    const auto s = ip::parse(str(j, "startAddress")), e = ip::parse(str(j, "endAddress"));
    if (s && e && s->v6 == e->v6) n.network = range_text(*s, *e);
  }
  if (auto ev = j.find("events"); ev != j.end() && ev->is_array())
    for (const auto& e : *ev)
      if (e.is_object() && str(e, "eventAction") == "registration") {
        if (auto t = timefmt::parse(str(e, "eventDate"))) n.created = timefmt::iso_from_epoch(*t);
        break;
      }
  return n;
}

namespace {
std::shared_ptr<const Bootstrap> shared_bootstrap(bool v6, std::string* error) {
  const char* setting = v6 ? "rdap.bootstrap_v6" : "rdap.bootstrap_v4";
  const auto path = config::get(setting);
  if (!path) {
    *error = std::string("not configured: set ") + setting;
    return nullptr;
  }
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<const Bootstrap>> loaded;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = loaded[*path];
  if (!slot) {
    try {
      slot = std::make_shared<const Bootstrap>(Bootstrap::load(*path));
    } catch (const std::exception& e) {
      *error = e.what();
      return nullptr;
    }
  }
  return slot;
}
}  // namespace

std::string registry_for(const ip::Address& a, std::string* error) {
  if (const auto fixed = config::get("rdap.url"); fixed && !fixed->empty())
    return fixed->back() == '/' ? *fixed : *fixed + '/';
  const auto b = shared_bootstrap(a.v6, error);
  if (!b) return "";
  std::string base = b->base_url(a);
  if (base.empty()) *error = "no registry for this address in the RDAP bootstrap file";
  return base;
}

Answer answer_from_reply(long http_status, std::string_view body) {
  Answer a;
  if (http_status == 404) {
    a.status = "not_found";
  } else if (http_status != 200) {
    a.status = "error: HTTP " + std::to_string(http_status);
  } else {
    std::string why;
    a.net = parse_network(body, &why);
    a.status = a.net ? "ok" : "error: " + why;
  }
  return a;
}

std::string to_cache_json(const Network& n) {
  const json j = {{"name", n.name},       {"org", n.org},         {"country", n.country},
                  {"network", n.network}, {"created", n.created}, {"handle", n.handle}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Network from_cache_json(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  Network n;
  if (!j.is_object()) return n;
  n.name = j.value("name", "");
  n.org = j.value("org", "");
  n.country = j.value("country", "");
  n.network = j.value("network", "");
  n.created = j.value("created", "");
  n.handle = j.value("handle", "");
  return n;
}

}  // namespace sqlhunt::rdap
