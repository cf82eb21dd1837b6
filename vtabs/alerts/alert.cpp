#include "vtabs/alerts/alert.h"

#include <cstring>
#include <initializer_list>
#include <string_view>

#include "core/time.h"

namespace sqlhunt::alerts {
namespace {

std::string dump(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// "TimeGenerated [UTC]" -> "TimeGenerated"
std::string_view bare_name(std::string_view name) {
  if (!name.empty() && name.back() == ']') {
    const size_t open = name.rfind(" [");
    if (open != std::string_view::npos) name = name.substr(0, open);
  }
  return name;
}

// The value of the first of `names` the object has (a dotted name looks inside a
// nested object: "vendorInformation.provider"); nullptr when none.
const Json* find(const Json& obj, std::initializer_list<const char*> names) {
  if (!obj.is_object()) return nullptr;
  for (const char* want : names) {
    std::string_view w(want);
    const size_t dot = w.find('.');
    const std::string_view head = dot == std::string_view::npos ? w : w.substr(0, dot);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (!iequal(bare_name(it.key()), head)) continue;
      if (dot == std::string_view::npos) return &it.value();
      const Json& inner = it.value();
      if (!inner.is_object()) break;
      std::string rest(w.substr(dot + 1));
      for (auto jt = inner.begin(); jt != inner.end(); ++jt)
        if (iequal(jt.key(), rest)) return &jt.value();
      break;
    }
  }
  return nullptr;
}

// A column's text: strings as they are, other values as JSON; empty and null -> nullopt.
std::optional<std::string> text(const Json* v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    return s;
  }
  return dump(*v);
}

void add_error(std::string& errors, const std::string& e) {
  if (e.empty()) return;
  if (!errors.empty()) errors += "; ";
  errors += e;
}

std::optional<std::string> time_of(const Json* v, const char* name, std::string& errors,
                                   std::optional<double>* epoch = nullptr) {
  auto t = text(v);
  if (!t) return std::nullopt;
  std::optional<double> e;
  if (v->is_number()) e = v->get<double>();
  else e = timefmt::parse(*t);
  if (!e) {
    std::string shown = t->size() > 40 ? t->substr(0, 40) + "..." : *t;
    add_error(errors, std::string(name) + ": cannot read '" + shown + "' as a time");
    return std::nullopt;
  }
  if (epoch) *epoch = timefmt::epoch_ms_from_seconds(*e) / 1000.0;
  return timefmt::iso_from_epoch(*e);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// A list as a JSON array: an array stays one; text holding a JSON array is decoded;
// other text is split on `sep` (or kept whole when sep is 0).
std::optional<std::string> list_of(const Json* v, char sep) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_array()) return v->empty() ? std::nullopt : std::optional<std::string>(dump(*v));
  if (!v->is_string()) return dump(Json::array({*v}));
  const std::string_view s = trim(v->get_ref<const std::string&>());
  if (s.empty()) return std::nullopt;
  if (s.front() == '[') {
    try {
      Json parsed = Json::parse(s);
      if (parsed.is_array()) return parsed.empty() ? std::nullopt : std::optional<std::string>(dump(parsed));
    } catch (const std::exception&) {
    }
  }
  Json out = Json::array();
  if (!sep) {
    out.push_back(std::string(s));
  } else {
    size_t from = 0;
    while (from <= s.size()) {
      size_t to = s.find(sep, from);
      if (to == std::string_view::npos) to = s.size();
      const std::string_view item = trim(s.substr(from, to - from));
      if (!item.empty()) out.push_back(std::string(item));
      from = to + 1;
    }
  }
  if (out.empty()) return std::nullopt;
  return dump(out);
}

// A JSON-valued field, decoded (twice when it is a string holding JSON).
std::optional<Json> json_of(const Json* v, const char* name, std::string& errors) {
  if (!v || v->is_null()) return std::nullopt;
  Json cur = *v;
  for (int depth = 0; depth < 3 && cur.is_string(); ++depth) {
    const std::string_view s = trim(cur.get_ref<const std::string&>());
    if (s.empty()) return std::nullopt;
    try {
      cur = Json::parse(s);
    } catch (const std::exception& e) {
      if (depth > 0) break;  // a JSON string holding plain text: keep the text
      std::string m = e.what();
      const size_t close = m.find("] ");
      if (!m.empty() && m[0] == '[' && close != std::string::npos) m.erase(0, close + 2);
      if (m.size() > 200) m = m.substr(0, 200) + "...";
      add_error(errors, std::string(name) + ": not valid JSON: " + m);
      return std::nullopt;
    }
  }
  return cur;
}

}  // namespace

std::optional<std::string> json_text(const Json& value, std::string& error) {
  auto j = json_of(&value, "value", error);
  if (!j) return std::nullopt;
  return dump(*j);
}

Alert normalise(const SourceRecord& record) {
  Alert a;
  a.parse_error = record.error;
  const Json& r = record.value;
  if (!r.is_object()) return a;

  const Json* generated = find(r, {"TimeGenerated", "createdDateTime"});
  if (!generated) add_error(a.parse_error, "no TimeGenerated field: time is NULL");
  a.time = time_of(generated, "TimeGenerated", a.parse_error, &a.epoch);
  a.alert_name = text(find(r, {"AlertName", "AlertDisplayName", "title"}));
  a.alert_type = text(find(r, {"AlertType", "category"}));
  a.severity = text(find(r, {"Severity", "AlertSeverity"}));
  a.status = text(find(r, {"Status"}));
  a.description = text(find(r, {"Description"}));
  a.provider_name = text(find(r, {"ProviderName", "vendorInformation.provider", "serviceSource"}));
  a.vendor_name = text(find(r, {"VendorName", "vendorInformation.vendor"}));
  a.product_name = text(find(r, {"ProductName"}));
  a.start_time = time_of(find(r, {"StartTimeUtc", "StartTime", "eventDateTime", "firstActivityDateTime"}),
                         "StartTimeUtc", a.parse_error);
  a.end_time = time_of(find(r, {"EndTimeUtc", "EndTime", "lastEventDateTime", "lastActivityDateTime"}),
                       "EndTimeUtc", a.parse_error);
  a.system_alert_id = text(find(r, {"SystemAlertId", "id"}));
  a.tactics = list_of(find(r, {"Tactics", "mitreTactics"}), ',');
  a.techniques = list_of(find(r, {"Techniques", "mitreTechniques"}), ',');
  a.remediation_steps = list_of(find(r, {"RemediationSteps", "recommendedActions"}), 0);

  if (auto e = json_of(find(r, {"Entities", "evidence"}), "Entities", a.parse_error)) a.entities = dump(*e);
  std::optional<Json> ext = json_of(find(r, {"ExtendedProperties", "additionalData"}), "ExtendedProperties",
                                    a.parse_error);
  if (ext) a.extended_properties = dump(*ext);

  a.compromised_entity = text(find(r, {"CompromisedEntity"}));
  if (!a.compromised_entity && ext && ext->is_object()) {
    auto it = ext->find("Compromised Host");
    if (it != ext->end()) a.compromised_entity = text(&*it);
  }
  return a;
}

}  // namespace sqlhunt::alerts
