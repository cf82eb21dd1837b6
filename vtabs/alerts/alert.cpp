#include "vtabs/alerts/alert.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string_view>

#include "core/json_scan.h"
#include "core/json_text.h"
#include "core/record_fields.h"
#include "core/text.h"
#include "core/time.h"

namespace sqlhunt::alerts {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

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
// nested object: "vendorInformation.provider").
std::optional<element> find(element obj, std::initializer_list<const char*> names) {
  if (!obj.is_object()) return std::nullopt;
  for (const char* want : names) {
    std::string_view w(want);
    const size_t dot = w.find('.');
    const std::string_view head = dot == std::string_view::npos ? w : w.substr(0, dot);
    for (auto field : simdjson::dom::object(obj)) {
      if (!iequal(bare_name(field.key), head)) continue;
      if (dot == std::string_view::npos) return field.value;
      if (!field.value.is_object()) break;
      const std::string_view rest = w.substr(dot + 1);
      for (auto inner : simdjson::dom::object(field.value))
        if (iequal(inner.key, rest)) return inner.value;
      break;
    }
  }
  return std::nullopt;
}

// A column's text: strings as they are, other values as JSON; empty and null -> nullopt.
using records::text;

void add_error(std::string& errors, const std::string& e) {
  if (e.empty()) return;
  if (!errors.empty()) errors += "; ";
  errors += e;
}

// Epoch seconds, or milliseconds (JavaScript's Date.now(), many JSON exports): 1e11
// seconds is the year 5138, 1e11 ms is 1973, so the size tells them apart.
double epoch_seconds(double v) { return std::fabs(v) >= 1e11 ? v / 1000 : v; }

std::optional<std::string> time_of(const std::optional<element>& v, const char* name, std::string& errors,
                                   std::optional<double>* epoch = nullptr) {
  if (!v || v->is_null()) return std::nullopt;
  std::optional<double> e;
  std::string shown;
  if (v->is_number()) {
    e = epoch_seconds(v->get_double().value_unsafe());
    shown = simdjson::minify(*v);
  } else if (v->is_string()) {
    // A number written as text reads as that number would.
    const std::string_view s = v->get_string().value_unsafe();
    if (s.empty()) return std::nullopt;
    if (auto d = records::parse_decimal(s)) e = epoch_seconds(*d);
    else e = timefmt::parse(s);
    shown = s;
  } else {
    shown = simdjson::minify(*v);
  }
  // Years 1 to 9999 only: beyond them no source writes a time, and the conversion to
  // milliseconds would overflow.
  if (e && !(*e >= -62135596800.0 && *e < 253402300800.0)) e.reset();
  if (!e) {
    if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
    add_error(errors, std::string(name) + ": cannot read '" + shown + "' as a time");
    return std::nullopt;
  }
  if (epoch) *epoch = static_cast<double>(timefmt::epoch_ms_from_seconds(*e)) / 1000.0;
  return timefmt::iso_from_epoch(*e);
}

using text::trim;

}  // namespace

Alert Normaliser::operator()(const records::Record& record, unsigned need) {
  Alert a;
  a.parse_error = record.error;
  if (!record.has_value || !record.value.is_object()) return a;
  const element r = record.value;

  // A list as a JSON array: an array stays one; text holding a JSON array is decoded;
  // other text is split on `sep` (or kept whole when sep is 0).
  auto list_of = [&](const std::optional<element>& v, char sep) -> std::optional<std::string> {
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_array()) {
      if (simdjson::dom::array(*v).size() == 0) return std::nullopt;
      return simdjson::minify(*v);
    }
    if (!v->is_string()) return "[" + simdjson::minify(*v) + "]";
    const std::string_view s = trim(v->get_string().value_unsafe());
    if (s.empty()) return std::nullopt;
    if (s.front() == '[') {
      element parsed;
      if (!inner_.parse(s.data(), s.size()).get(parsed) && parsed.is_array()) {
        if (simdjson::dom::array(parsed).size() == 0) return std::nullopt;
        return simdjson::minify(parsed);
      }
    }
    std::string out = "[";
    auto add = [&](std::string_view item) {
      if (item.empty()) return;
      if (out.size() > 1) out.push_back(',');
      json::append_string(out, item);
    };
    if (!sep) {
      add(s);
    } else {
      size_t from = 0;
      while (from <= s.size()) {
        size_t to = s.find(sep, from);
        if (to == std::string_view::npos) to = s.size();
        add(trim(s.substr(from, to - from)));
        from = to + 1;
      }
    }
    if (out.size() == 1) return std::nullopt;
    return out + "]";
  };

  // A JSON-valued field as compact JSON, decoded again when it is text holding JSON.
  // `object` receives the "Compromised Host" lookup of ExtendedProperties.
  auto json_of = [&](const std::optional<element>& v, const char* name,
                     std::optional<std::string>* compromised_host) -> std::optional<std::string> {
    if (!v || v->is_null()) return std::nullopt;
    element cur = *v;
    if (cur.is_string()) {
      const std::string_view s = trim(cur.get_string().value_unsafe());
      if (s.empty()) return std::nullopt;
      const auto err = inner_.parse(s.data(), s.size()).get(cur);
      if (err) {
        add_error(a.parse_error, std::string(name) + ": not valid JSON: " + json::why_not_json(s, simdjson::error_message(err)));
        return std::nullopt;
      }
      // Encoded twice (a JSON string holding the JSON text): once more.
      if (cur.is_string()) {
        const std::string inner_text(trim(cur.get_string().value_unsafe()));
        element again;
        if (!inner_text.empty() && !inner_.parse(inner_text).get(again)) cur = again;
      }
    }
    if (compromised_host && cur.is_object()) {
      element host;
      if (!simdjson::dom::object(cur).at_key("Compromised Host").get(host)) *compromised_host = text(host);
    }
    return simdjson::minify(cur);
  };

  if (need & kNeedTime) {
    const auto generated = find(r, {"TimeGenerated", "createdDateTime"});
    if (!generated) add_error(a.parse_error, "no TimeGenerated field: time is NULL");
    a.time = time_of(generated, "TimeGenerated", a.parse_error, &a.epoch);
  }
  if (need & kNeedText) {
    a.alert_name = text(find(r, {"AlertName", "AlertDisplayName", "title"}));
    a.alert_type = text(find(r, {"AlertType", "category"}));
    a.severity = text(find(r, {"Severity", "AlertSeverity"}));
    a.status = text(find(r, {"Status"}));
    a.description = text(find(r, {"Description"}));
    a.provider_name = text(find(r, {"ProviderName", "vendorInformation.provider", "serviceSource"}));
    a.vendor_name = text(find(r, {"VendorName", "vendorInformation.vendor"}));
    a.product_name = text(find(r, {"ProductName"}));
    a.system_alert_id = text(find(r, {"SystemAlertId", "id"}));
  }
  if (need & kNeedTimes) {
    a.start_time = time_of(find(r, {"StartTimeUtc", "StartTime", "eventDateTime", "firstActivityDateTime"}),
                           "StartTimeUtc", a.parse_error);
    a.end_time = time_of(find(r, {"EndTimeUtc", "EndTime", "lastEventDateTime", "lastActivityDateTime"}),
                         "EndTimeUtc", a.parse_error);
  }
  if (need & kNeedLists) {
    a.tactics = list_of(find(r, {"Tactics", "mitreTactics"}), ',');
    a.techniques = list_of(find(r, {"Techniques", "mitreTechniques"}), ',');
    a.remediation_steps = list_of(find(r, {"RemediationSteps", "recommendedActions"}), 0);
  }
  if (need & kNeedEntities) a.entities = json_of(find(r, {"Entities", "evidence"}), "Entities", nullptr);
  if (need & kNeedCompromised) a.compromised_entity = text(find(r, {"CompromisedEntity"}));
  if (need & (kNeedExtended | kNeedCompromised)) {
    // ExtendedProperties is decoded for the column, or for the compromised entity's
    // fallback when CompromisedEntity is empty.
    const bool fallback = (need & kNeedCompromised) && !a.compromised_entity;
    if ((need & kNeedExtended) || fallback) {
      std::optional<std::string> host;
      auto ext = json_of(find(r, {"ExtendedProperties", "additionalData"}), "ExtendedProperties",
                         fallback ? &host : nullptr);
      if (need & kNeedExtended) a.extended_properties = std::move(ext);
      if (fallback) a.compromised_entity = std::move(host);
    }
  }
  return a;
}

Alert normalise(const records::Record& record) {
  Normaliser n;
  return n(record);
}

}  // namespace sqlhunt::alerts
