#include "vtabs/alerts/entities.h"

#include <cerrno>
#include <cstdlib>
#include <set>
#include <unordered_map>

#include "vtabs/alerts/alert_reader.h"

namespace sqlhunt::alerts {
namespace {

std::string dump(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string id_text(const Json& v) { return v.is_string() ? v.get<std::string>() : dump(v); }

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A non-empty scalar field as text.
std::optional<std::string> field(const Json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null() || it->is_object() || it->is_array()) return std::nullopt;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    return s;
  }
  return dump(*it);
}

std::optional<std::string> first_field(const Json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto v = field(obj, k)) return v;
  return std::nullopt;
}

const Json* member_object(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? &*it : nullptr;
}

struct Resolver {
  explicit Resolver(const std::unordered_map<std::string, const Json*>& known) : ids(known) {}
  const std::unordered_map<std::string, const Json*>& ids;
  size_t nodes = 0;
  bool cut = false;
  std::vector<const Json*> stack;
  std::set<std::string> unknown;

  bool on_stack(const Json* p) const {
    for (const Json* s : stack)
      if (s == p) return true;
    return false;
  }

  Json resolve(const Json& v, int depth) {
    ++nodes;
    if (v.is_object()) {
      auto ref = v.find("$ref");
      if (ref != v.end()) {
        const std::string id = id_text(*ref);
        auto target = ids.find(id);
        if (target == ids.end()) {
          unknown.insert(id);
          return v;
        }
        if (on_stack(target->second)) return v;  // a cycle: leave the reference
        if (nodes > kMaxNodes || depth > kMaxDepth) {
          cut = true;
          return v;
        }
        return resolve(*target->second, depth + 1);
      }
      if (depth > kMaxDepth) {
        cut = true;
        return Json::object();
      }
      stack.push_back(&v);
      Json out = Json::object();
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = resolve(it.value(), depth + 1);
      stack.pop_back();
      return out;
    }
    if (v.is_array()) {
      if (depth > kMaxDepth) {
        cut = true;
        return Json::array();
      }
      Json out = Json::array();
      for (const auto& x : v) out.push_back(resolve(x, depth + 1));
      return out;
    }
    return v;
  }
};

struct Collector {
  std::unordered_map<std::string, const Json*> ids;
  std::vector<const Json*> entities;
  std::unordered_map<const Json*, std::string> duplicate;  // object -> its repeated id
  bool too_deep = false;

  void walk(const Json& v, int depth) {
    if (depth > kMaxDepth) {
      too_deep = true;
      return;
    }
    if (v.is_object()) {
      auto id = v.find("$id");
      if (id != v.end()) {
        const std::string key = id_text(*id);
        if (!ids.emplace(key, &v).second) duplicate[&v] = key;
        if (v.contains("Type")) entities.push_back(&v);
      }
      for (const auto& x : v) walk(x, depth + 1);
    } else if (v.is_array()) {
      for (const auto& x : v) walk(x, depth + 1);
    }
  }
};

void add_error(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

std::optional<std::string> name_of(const std::string& type, const Json& p) {
  if (type == "host") return first_field(p, {"HostName", "NetBiosName", "FQDN", "DnsDomain"});
  if (type == "ip") return field(p, "Address");
  if (type == "account") return first_field(p, {"Name", "UPNSuffix", "DisplayName", "AadUserId", "Sid"});
  if (type == "process") {
    if (auto c = field(p, "CommandLine")) return c;
    if (const Json* image = member_object(p, "ImageFile")) return field(*image, "Name");
    return std::nullopt;
  }
  if (type == "file") return first_field(p, {"Name", "Directory"});
  if (type == "filehash") return field(p, "Value");
  if (type == "url") return field(p, "Url");
  if (type == "dns") return field(p, "DomainName");
  if (type == "registry-key") {
    auto hive = field(p, "Hive"), key = field(p, "Key");
    if (hive && key) return *hive + "\\" + *key;
    return key ? key : hive;
  }
  if (type == "registry-value") {
    if (auto n = field(p, "Name")) return n;
    if (const Json* key = member_object(p, "Key")) return name_of("registry-key", *key);
    return std::nullopt;
  }
  if (type == "host-logon-session") return field(p, "SessionId");
  if (type == "mailbox") return first_field(p, {"MailboxPrimaryAddress", "DisplayName", "Upn"});
  if (type == "mail-message") return first_field(p, {"Subject", "InternetMessageId"});
  if (type == "cloud-application") return first_field(p, {"Name", "AppId"});
  if (type == "azure-resource") return field(p, "ResourceId");
  if (type == "security-group") return first_field(p, {"DistinguishedName", "Name", "Sid"});
  if (type == "iotdevice") return first_field(p, {"DeviceName", "DeviceId"});
  return first_field(p, {"Name", "FriendlyName", "DisplayName", "Value", "Address", "Url"});
}

}  // namespace

std::optional<int64_t> parse_process_id(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return std::nullopt;
    if (v > (static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
      return std::nullopt;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(v);
}

EntityList parse_entities(std::string_view json) {
  EntityList out;
  Json root;
  try {
    root = Json::parse(json);
    // A JSON string holding the Entities text (an export that encoded it twice).
    for (int i = 0; i < 2 && root.is_string(); ++i) root = Json::parse(root.get_ref<const std::string&>());
  } catch (const std::exception& e) {
    std::string m = e.what();
    const size_t close = m.find("] ");
    if (!m.empty() && m[0] == '[' && close != std::string::npos) m.erase(0, close + 2);
    if (m.size() > 200) m = m.substr(0, 200) + "...";
    out.error = "entities are not valid JSON: " + m;
    return out;
  }
  if (!root.is_array() && !root.is_object()) {
    if (!root.is_null()) out.error = "entities must be a JSON array or object, not " + dump(root).substr(0, 40);
    return out;
  }

  Collector c;
  c.walk(root, 0);
  if (c.too_deep) out.error = "entities nest deeper than " + std::to_string(kMaxDepth) + " levels: the deeper ones are not read";

  for (const Json* obj : c.entities) {
    Entity e;
    e.entity_id = id_text((*obj)["$id"]);
    const Json& type_value = (*obj)["Type"];
    e.type = type_value.is_string() ? type_value.get<std::string>() : dump(type_value);
    auto dup = c.duplicate.find(obj);
    if (dup != c.duplicate.end())
      add_error(e.error, "duplicate $id '" + dup->second + "' (references go to the first object with it)");

    Resolver r(c.ids);
    const Json p = r.resolve(*obj, 0);
    for (const auto& id : r.unknown) add_error(e.error, "unknown $ref '" + id + "'");
    if (r.cut)
      add_error(e.error, "references expand past " + std::to_string(kMaxNodes) +
                             " values: the rest are left as {\"$ref\"}");
    e.properties = dump(p);

    const std::string type = lower(e.type);
    e.name = name_of(type, p);
    if (type == "ip") e.address = field(p, "Address");
    if (type == "host") {
      e.host_name = first_field(p, {"HostName", "NetBiosName", "FQDN"});
    } else if (const Json* host = member_object(p, "Host")) {
      e.host_name = first_field(*host, {"HostName", "NetBiosName", "FQDN"});
    }
    if (type == "account") {
      e.account_name = field(p, "Name");
    } else if (const Json* account = member_object(p, "Account")) {
      e.account_name = field(*account, "Name");
    }
    if (type == "process") {
      e.command_line = field(p, "CommandLine");
      auto pid = p.find("ProcessId");
      if (pid != p.end() && !pid->is_null()) {
        if (pid->is_number_integer()) {
          e.process_id = pid->get<int64_t>();
        } else if (pid->is_string() && !pid->get_ref<const std::string&>().empty()) {
          e.process_id = parse_process_id(pid->get_ref<const std::string&>());
          if (!e.process_id)
            add_error(e.error, "ProcessId '" + pid->get<std::string>().substr(0, 40) + "' is not a number");
        }
      }
      if (const Json* parent = member_object(p, "ParentProcess")) {
        if (auto id = field(*parent, "$id")) e.parent_entity_id = id;
        else if (auto ref = field(*parent, "$ref")) e.parent_entity_id = ref;
      }
    }
    out.entities.push_back(std::move(e));
  }
  return out;
}

}  // namespace sqlhunt::alerts
