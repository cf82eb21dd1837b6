#include "vtabs/alerts/entities.h"


#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "core/json_scan.h"
#include "core/text.h"
#include <set>
#include <unordered_map>

namespace sqlhunt::alerts {
namespace {

// simdjson's DOM: parsed at GB/s, iterated in the source's key order; every entity's
// `properties` is written straight from it (no intermediate tree). nlohmann is only
// asked why an input is not JSON (its message names line and column).
using simdjson::dom::element;

std::string id_text(element v) {
  if (v.is_string()) return std::string(v.get_string().value_unsafe());
  return simdjson::minify(v);
}


std::optional<element> member(element obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  element v;
  if (simdjson::dom::object(obj).at_key(key).get(v)) return std::nullopt;
  return v;
}

// A non-empty scalar field as text.
std::optional<std::string> field(element obj, const char* key) {
  auto v = member(obj, key);
  if (!v || v->is_null() || v->is_object() || v->is_array()) return std::nullopt;
  if (v->is_string()) {
    const std::string_view s = v->get_string().value_unsafe();
    if (s.empty()) return std::nullopt;
    return std::string(s);
  }
  return simdjson::minify(*v);
}

std::optional<std::string> first_field(element obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto v = field(obj, k)) return v;
  return std::nullopt;
}

void add_error(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

struct Graph {
  std::unordered_map<std::string, element> ids;
  std::vector<element> entities;
  std::vector<std::string> duplicate;  // per entity: its repeated id, or empty
  bool too_deep = false;

  void walk(element v, int depth) {
    if (depth > kMaxDepth) {
      too_deep = true;
      return;
    }
    if (v.is_object()) {
      const simdjson::dom::object obj(v);
      element id;
      if (!obj.at_key("$id").get(id)) {
        const std::string key = id_text(id);
        const bool fresh = ids.emplace(key, v).second;
        element type;
        if (!obj.at_key("Type").get(type)) {
          entities.push_back(v);
          duplicate.push_back(fresh ? std::string() : key);
        }
      }
      for (auto f : obj) walk(f.value, depth + 1);
    } else if (v.is_array()) {
      for (element x : simdjson::dom::array(v)) walk(x, depth + 1);
    }
  }

  // The object a {"$ref"} names (itself when it is not a known reference).
  element deref(element v) const {
    element ref;
    if (v.is_object() && !simdjson::dom::object(v).at_key("$ref").get(ref)) {
      auto it = ids.find(id_text(ref));
      if (it != ids.end()) return it->second;
    }
    return v;
  }
  std::optional<element> deref_member(element obj, const char* key) const {
    auto v = member(obj, key);
    if (!v) return std::nullopt;
    return deref(*v);
  }
};

// Writes an entity as compact JSON with every known {"$ref"} replaced by what it
// names, recursively; a reference to an object being written stays as it is.
//
// Every entity's properties hold copies of what it refers to and of the entities nested
// in it, so without a bound a small input can make gigabytes: a 1 MB string referenced
// a thousand times, thousands of entities referring to one big object, entities nested
// two hundred deep each holding a large string. `budget` bounds the bytes all entities
// of one input write together: once they have written that much, a reference is no
// longer expanded and a nested object with an "$id" is written as {"$ref": id} (the
// row it is also in has it whole), so every byte of the input is then written by the
// one entity it belongs to and the total stays within the budget plus the input.
struct Writer {
  const Graph& g;
  std::string out;
  size_t nodes = 0;
  bool cut = false;         // kMaxNodes or kMaxDepth reached
  bool over_budget = false; // the shared budget was spent
  size_t spent_before;      // bytes the entities before this one wrote
  size_t budget;
  std::vector<std::string> stack;  // $ids being written
  std::set<std::string> unknown;

  Writer(const Graph& graph, size_t spent, size_t limit) : g(graph), spent_before(spent), budget(limit) {}

  bool spent() {
    if (spent_before + out.size() < budget) return false;
    over_budget = true;
    return true;
  }

  bool on_stack(const std::string& id) const {
    for (const auto& s : stack)
      if (s == id) return true;
    return false;
  }

  void write(element v, int depth) {
    ++nodes;
    if (v.is_object()) {
      const simdjson::dom::object obj(v);
      element ref;
      if (!obj.at_key("$ref").get(ref)) {
        const std::string id = id_text(ref);
        auto target = g.ids.find(id);
        if (target == g.ids.end()) {
          unknown.insert(id);
        } else if (!on_stack(id)) {
          if (nodes > kMaxNodes || depth > kMaxDepth) {
            cut = true;
          } else if (!spent()) {
            write(target->second, depth + 1);
            return;
          }
        }
        out += simdjson::minify(v);
        return;
      }
      if (depth > kMaxDepth) {
        cut = true;
        out += "{}";
        return;
      }
      element id;
      const bool has_id = !obj.at_key("$id").get(id);
      if (has_id && depth > 0 && spent()) {
        out += "{\"$ref\":";
        out += id.is_string() ? simdjson::minify(id) : "\"" + simdjson::minify(id) + "\"";
        out.push_back('}');
        return;
      }
      if (has_id) stack.push_back(id_text(id));
      out.push_back('{');
      bool first = true;
      for (auto f : obj) {
        if (!first) out.push_back(',');
        first = false;
        append_key(out, f.key);
        out.push_back(':');
        write(f.value, depth + 1);
      }
      out.push_back('}');
      if (has_id) stack.pop_back();
      return;
    }
    if (v.is_array()) {
      if (depth > kMaxDepth) {
        cut = true;
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (element x : simdjson::dom::array(v)) {
        if (!first) out.push_back(',');
        first = false;
        write(x, depth + 1);
      }
      out.push_back(']');
      return;
    }
    out += simdjson::minify(v);
  }

  // A key as a JSON string, escaped the way simdjson escapes values (the input was
  // validated as UTF-8 by the parser).
  static void append_key(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out.push_back('"');
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
      }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
  }
};

std::optional<std::string> name_of(const Graph& g, const std::string& type, element p) {
  if (type == "host") return first_field(p, {"HostName", "NetBiosName", "FQDN", "DnsDomain"});
  if (type == "ip") return field(p, "Address");
  if (type == "account") return first_field(p, {"Name", "UPNSuffix", "DisplayName", "AadUserId", "Sid"});
  if (type == "process") {
    if (auto c = field(p, "CommandLine")) return c;
    if (auto image = g.deref_member(p, "ImageFile")) return field(*image, "Name");
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
    if (auto key = g.deref_member(p, "Key")) return name_of(g, "registry-key", *key);
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

std::optional<int64_t> parse_process_id(std::string_view text) { return text::parse_id(text); }

EntityList parse_entities(std::string_view json) {
  EntityList out;
  // One parser per thread, reused from call to call (alert_entities runs once per alert).
  thread_local simdjson::dom::parser parser;
  element root;
  auto err = parser.parse(json.data(), json.size()).get(root);
  std::string decoded;  // a JSON string holding the Entities text (encoded twice)
  for (int i = 0; !err && i < 2 && root.is_string(); ++i) {
    decoded = std::string(root.get_string().value_unsafe());
    json = decoded;
    err = parser.parse(decoded).get(root);
  }
  if (err) {
    out.error = "entities are not valid JSON: " + json::why_not_json(json, simdjson::error_message(err));
    return out;
  }
  if (!root.is_array() && !root.is_object()) {
    if (!root.is_null()) out.error = "entities must be a JSON array or object, not " + simdjson::minify(root).substr(0, 40);
    return out;
  }

  Graph g;
  g.walk(root, 0);
  const size_t budget = kExpansionFactor * json.size() + kExpansionFloor;
  size_t spent = 0;
  if (g.too_deep) out.error = "entities nest deeper than " + std::to_string(kMaxDepth) + " levels: the deeper ones are not read";

  for (size_t n = 0; n < g.entities.size(); ++n) {
    const element obj = g.entities[n];
    Entity e;
    e.entity_id = id_text(*member(obj, "$id"));
    const element type_value = *member(obj, "Type");
    e.type = type_value.is_string() ? std::string(type_value.get_string().value_unsafe()) : simdjson::minify(type_value);
    if (!g.duplicate[n].empty())
      add_error(e.error, "duplicate $id '" + g.duplicate[n] + "' (references go to the first object with it)");

    Writer w(g, spent, budget);
    w.write(obj, 0);
    for (const auto& id : w.unknown) add_error(e.error, "unknown $ref '" + id + "'");
    if (w.cut)
      add_error(e.error, "references expand past " + std::to_string(kMaxNodes) +
                             " values: the rest are left as {\"$ref\"}");
    if (w.over_budget)
      add_error(e.error, "the entities' properties reach " + std::to_string(budget) + " bytes (" +
                             std::to_string(kExpansionFactor) +
                             " times the input): the rest are left as {\"$ref\"}");
    spent += w.out.size();
    e.properties = std::move(w.out);

    const std::string type = text::ascii_lower(e.type);
    e.name = name_of(g, type, obj);
    if (type == "ip") e.address = field(obj, "Address");
    if (type == "host") {
      e.host_name = first_field(obj, {"HostName", "NetBiosName", "FQDN"});
    } else if (auto host = g.deref_member(obj, "Host"); host && host->is_object()) {
      e.host_name = first_field(*host, {"HostName", "NetBiosName", "FQDN"});
    }
    if (type == "account") {
      e.account_name = field(obj, "Name");
    } else if (auto account = g.deref_member(obj, "Account"); account && account->is_object()) {
      e.account_name = field(*account, "Name");
    }
    if (type == "process") {
      e.command_line = field(obj, "CommandLine");
      if (auto pid = member(obj, "ProcessId"); pid && !pid->is_null()) {
        int64_t i = 0;
        if (!pid->get_int64().get(i)) {
          e.process_id = i;
        } else if (pid->is_string() && !pid->get_string().value_unsafe().empty()) {
          const std::string_view text = pid->get_string().value_unsafe();
          e.process_id = parse_process_id(text);
          if (!e.process_id)
            add_error(e.error, "ProcessId '" + std::string(text.substr(0, 40)) + "' is not a number");
        }
      }
      if (auto parent = member(obj, "ParentProcess"); parent && parent->is_object()) {
        if (auto id = field(*parent, "$id")) e.parent_entity_id = id;
        else if (auto ref = field(*parent, "$ref")) e.parent_entity_id = ref;
      }
    }
    out.entities.push_back(std::move(e));
  }
  return out;
}

}  // namespace sqlhunt::alerts
