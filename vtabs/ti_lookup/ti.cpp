// vtabs/ti_lookup/ti.cpp — classify(), severities, the cache codec (see ti.h).
#include "vtabs/ti_lookup/ti.h"

#include <nlohmann/json.hpp>

#include "core/ioc/ioc.h"
#include "core/text.h"

namespace sqlhunt::ti {

using nlohmann::json;

Classified classify(std::string_view observable) {
  if (auto m = ioc::whole(observable)) return {ioc::type_name(m->type), std::move(m->value)};
  return {"", std::string(text::trim(observable))};
}

std::string ioc_type(std::string_view observable) { return classify(observable).type; }

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInformation: return "information";
    case Severity::kWarning: return "warning";
    case Severity::kHigh: return "high";
    default: return "unknown";
  }
}

Severity severity_from_name(std::string_view name) {
  const std::string n = text::ascii_lower(text::trim(name));
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
  // Every field is a string to_cache_json wrote; anything else reads as empty.
  auto s_or = [&j](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  r.status = s_or("status");
  r.detail = s_or("detail");
  r.severity = severity_from_name(s_or("severity"));
  r.result = s_or("result");
  r.details = s_or("details");
  if (r.details.empty()) r.details = "{}";
  r.reference = s_or("reference");
  r.raw = s_or("raw");
  if (auto f = j.find("fetched_at"); f != j.end() && f->is_number()) r.fetched_at = f->get<double>();
  return !r.status.empty();
}

}  // namespace sqlhunt::ti
