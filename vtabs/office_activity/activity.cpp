#include "vtabs/office_activity/activity.h"

#include "core/ip.h"
#include "core/json_text.h"
#include "core/text.h"
#include "core/time.h"
#include "vtabs/office_activity/record_types.h"

namespace sqlhunt::office {
namespace {

using simdjson::dom::element;

enum Slot {
  kTimeSlot, kIdSlot, kRecordTypeSlot, kOperationSlot, kWorkloadSlot, kResultSlot, kUserIdSlot,
  kUserTypeSlot, kUserKeySlot, kClientIpSlot, kUserAgentSlot, kExtendedSlot, kExtraSlot, kObjectSlot,
  kOrganizationSlot,
};

void add_error(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

// A JSON text's leading byte: only arrays and objects are decoded from text.
bool looks_like_json(std::string_view s) {
  s = text::trim(s);
  return !s.empty() && (s.front() == '[' || s.front() == '{');
}

// A numbered enumeration value, written as a number or as digits; the name when the
// table has one, else the digits. Text that is not a number is a name already.
void enum_value(const records::Value& v, const char* (*name_of)(int64_t), std::optional<std::string>& name,
                std::optional<int64_t>* id) {
  if (!v) return;
  const bool numeric = v->is_number() || (v->is_string() && records::parse_decimal(v->get_string().value_unsafe()));
  if (numeric) {
    if (const auto n = records::integer(v)) {
      if (id) *id = *n;
      const char* known = name_of(*n);
      name = known ? std::string(known) : std::to_string(*n);
      return;
    }
  }
  name = records::text(v);
  if (name) *name = std::string(text::trim(*name));
}

}  // namespace

Normaliser::Normaliser()
    : fields_({{"CreationTime", "TimeGenerated"},
               {"Id", "OfficeId"},
               {"RecordType"},
               {"Operation"},
               {"Workload", "OfficeWorkload"},
               {"ResultStatus"},
               {"UserId", "UserId_"},
               {"UserType"},
               {"UserKey"},
               {"ClientIP", "ClientIP_", "ClientIPAddress", "Client_IPAddress", "ActorIpAddress"},
               {"UserAgent"},
               {"ExtendedProperties"},
               {"ExtraProperties"},
               {"ObjectId", "OfficeObjectId"},
               {"OrganizationId", "OrganizationId_"}}) {}

// The "UserAgent" entry of a {Name|Key, Value} list or of an object, as JSON or as
// JSON text.
std::optional<std::string> Normaliser::user_agent_in(const records::Value& v) {
  if (!v) return std::nullopt;
  element cur = *v;
  if (cur.is_string()) {
    const std::string_view s = cur.get_string().value_unsafe();
    if (!looks_like_json(s) || inner_.parse(s.data(), s.size()).get(cur)) return std::nullopt;
  }
  auto is_user_agent = [](element name) {
    return name.is_string() && text::iequals(text::trim(name.get_string().value_unsafe()), "UserAgent");
  };
  if (cur.is_object()) {
    for (auto f : simdjson::dom::object(cur))
      if (text::iequals(f.key, "UserAgent")) return records::text(records::Value(f.value));
    return std::nullopt;
  }
  if (!cur.is_array()) return std::nullopt;
  for (element item : simdjson::dom::array(cur)) {
    if (!item.is_object()) continue;
    bool named = false;
    records::Value value;
    for (auto f : simdjson::dom::object(item)) {
      if (text::iequals(f.key, "Name") || text::iequals(f.key, "Key")) named |= is_user_agent(f.value);
      else if (text::iequals(f.key, "Value")) value = f.value;
    }
    if (named) return records::text(value);
  }
  return std::nullopt;
}

Activity Normaliser::operator()(const records::Record& record, unsigned need) {
  Activity a;
  a.parse_error = record.error;
  if (!record.has_value || !record.value.is_object()) return a;
  fields_.pick(record.value);
  const auto& f = fields_;

  if (need & kNeedTime) {
    double seconds = 0;
    switch (records::read_time(f[kTimeSlot], seconds)) {
      case records::TimeRead::kOk:
        a.epoch = static_cast<double>(timefmt::epoch_ms_from_seconds(seconds)) / 1000.0;
        a.time = timefmt::iso_from_epoch(seconds);
        break;
      case records::TimeRead::kBad:
        add_error(a.parse_error, "time: cannot read '" + records::shown(f[kTimeSlot]) + "' as a time");
        break;
      case records::TimeRead::kAbsent:
        add_error(a.parse_error, "no CreationTime or TimeGenerated: time is NULL");
        break;
    }
  }
  if (need & kNeedText) {
    a.id = records::text(f[kIdSlot]);
    a.operation = records::text(f[kOperationSlot]);
    a.workload = records::text(f[kWorkloadSlot]);
    a.result_status = records::text(f[kResultSlot]);
    a.user_id = records::text(f[kUserIdSlot]);
    a.user_key = records::text(f[kUserKeySlot]);
    a.object_id = records::text(f[kObjectSlot]);
    a.organization_id = records::text(f[kOrganizationSlot]);
  }
  if (need & kNeedTypes) {
    enum_value(f[kRecordTypeSlot], record_type_name, a.record_type, &a.record_type_id);
    if (a.record_type && !a.record_type_id) a.record_type_id = record_type_value(*a.record_type);
    enum_value(f[kUserTypeSlot], user_type_name, a.user_type, nullptr);
  }
  if ((need & kNeedClient) && f[kClientIpSlot]) {
    const auto raw = records::text(f[kClientIpSlot]);
    if (auto e = raw ? ip::parse_endpoint(*raw) : std::nullopt) {
      a.client_ip = ip::to_string(e->address);
      if (e->port) a.client_port = *e->port;
    } else {
      add_error(a.parse_error, "ClientIP: '" + records::shown(f[kClientIpSlot]) + "' is not an IP address");
    }
  }
  if (need & kNeedUserAgent) {
    a.user_agent = records::text(f[kUserAgentSlot]);
    if (!a.user_agent) a.user_agent = user_agent_in(f[kExtendedSlot]);
    if (!a.user_agent) a.user_agent = user_agent_in(f[kExtraSlot]);
  }
  return a;
}

std::string Normaliser::record_json(const records::Record& record) {
  if (!record.has_value || !record.value.is_object()) return std::string();
  std::string out = "{";
  for (auto field : simdjson::dom::object(record.value)) {
    if (out.size() > 1) out.push_back(',');
    json::append_string(out, field.key);
    out.push_back(':');
    element v = field.value;
    if (v.is_string()) {
      const std::string_view s = v.get_string().value_unsafe();
      element decoded;
      if (looks_like_json(s) && !inner_.parse(s.data(), s.size()).get(decoded)) {
        out += simdjson::minify(decoded);
        continue;
      }
    }
    out += simdjson::minify(v);
  }
  out.push_back('}');
  return out;
}

}  // namespace sqlhunt::office
