#include "vtabs/win_events/export_source.h"

#include <cmath>
#include <initializer_list>

#include "core/record_stream.h"
#include "core/text.h"
#include "core/time.h"
#include "vtabs/win_events/getwinevent_fields.h"
#include "vtabs/win_events/xml_text.h"

namespace sqlhunt::winevt {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The value of `key` (exact name first, then without regard to case), or nullopt.
std::optional<element> member(const object& o, std::string_view key) {
  element v;
  if (o.at_key(key).get(v) == simdjson::SUCCESS) return v;
  for (auto f : o)
    if (text::iequals(f.key, key)) return f.value;
  return std::nullopt;
}

// "winlog.event_id": a member of a member.
std::optional<element> path(const object& o, std::initializer_list<std::string_view> keys) {
  object cur = o;
  std::optional<element> v;
  for (std::string_view k : keys) {
    if (v) {
      if (!v->is_object()) return std::nullopt;
      cur = object(*v);
    }
    v = member(cur, k);
    if (!v) return std::nullopt;
  }
  return v;
}

// A string member's text (empty and null are absent).
std::optional<std::string_view> str(const std::optional<element>& v) {
  if (!v || !v->is_string()) return std::nullopt;
  const std::string_view s = v->get_string().value_unsafe();
  if (s.empty()) return std::nullopt;
  return s;
}

// A number, or a string holding an integer (record_number "2235262", CSV cells).
std::optional<int64_t> integer(const std::optional<element>& v) {
  if (!v) return std::nullopt;
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return i;
  uint64_t u;
  if (v->get_uint64().get(u) == simdjson::SUCCESS) return static_cast<int64_t>(u);
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS && std::isfinite(d) && d == std::floor(d) &&
      std::fabs(d) < 9e18)
    return static_cast<int64_t>(d);
  if (auto s = str(v)) return text::parse_id(*s);
  return std::nullopt;
}

// A time: ISO text and the other forms core/time reads, PowerShell's "/Date(ms)/", or
// epoch milliseconds / seconds as a number.
std::optional<double> time_of(const std::optional<element>& v) {
  if (!v) return std::nullopt;
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS) return std::fabs(d) >= 1e11 ? d / 1000 : d;
  auto s = str(v);
  if (!s) return std::nullopt;
  if (text::starts_with(*s, "/Date(")) {  // ConvertTo-Json of a DateTime (Windows PowerShell)
    std::string_view ms = s->substr(6);
    const bool before_1970 = !ms.empty() && ms[0] == '-';
    if (before_1970) ms.remove_prefix(1);
    size_t n = 0;
    while (n < ms.size() && ms[n] >= '0' && ms[n] <= '9') ++n;
    if (auto v2 = text::parse_id(ms.substr(0, n)))
      return static_cast<double>(before_1970 ? -*v2 : *v2) / 1000;
    return std::nullopt;
  }
  return timefmt::parse(*s);
}

// winlogbeat 6.x writes the level as text.
std::optional<int64_t> level_of(const std::optional<element>& v) {
  if (auto i = integer(v)) return i;
  auto s = str(v);
  if (!s) return std::nullopt;
  static constexpr std::pair<std::string_view, int64_t> kLevels[] = {
      {"Critical", 1}, {"Error", 2}, {"Warning", 3}, {"Information", 4}, {"Verbose", 5}};
  for (const auto& [name, level] : kLevels)
    if (text::iequals(*s, name)) return level;
  return std::nullopt;
}

// SecurityEvent's own columns: everything else in a record without EventData XML is an
// EventData field flattened into a column.
bool security_event_column(std::string_view k) {
  static constexpr std::string_view kOwn[] = {
      "TenantId", "TimeGenerated", "SourceSystem", "Account", "AccountType", "Computer",
      "EventSourceName", "Channel", "Task", "Level", "EventData", "EventID", "Activity",
      "SourceComputerId", "EventOriginId", "MG", "TimeCollected", "ManagementGroupName", "Type",
      "_ResourceId", "_ItemId", "_Internal_WorkspaceResourceId", "_SubscriptionId",
      "EventProperties", "SubjectAccount", "TargetAccount", "TargetUser", "Process",
      "LogonTypeName", "PartitionKey", "RowKey", "StorageAccount", "AzureDeploymentID",
      "AzureTableName", "TimeCreatedUtc", "EventLevelName", "EventRecordId"};
  for (std::string_view o : kOwn)
    if (text::iequals(k, o)) return true;
  return false;
}

class ExportSource : public EventSource {
 public:
  explicit ExportSource(std::unique_ptr<records::Reader> reader) : reader_(std::move(reader)) {}

  bool next(SourceRow& row, unsigned need) override {
    if (!reader_->next(rec_)) return false;
    row.ev.clear();
    row.line = rec_.line;
    row.offset = std::nullopt;
    row.recovered = false;
    row.xml = nullptr;
    row.raw = rec_.json;
    row.error = rec_.error;
    row.activity_text = std::nullopt;
    row.format = "";
    if (!rec_.has_value) return true;
    if (!rec_.value.is_object()) {
      row.error = "not a JSON object";
      return true;
    }
    const object o(rec_.value);
    want_data_ = (need & (kNeedFields | kNeedJson)) != 0;
    if (path(o, {"winlog"})) {
      winlogbeat(o, row, true);
    } else if (member(o, "event_id") && (member(o, "log_name") || member(o, "source_name") ||
                                         member(o, "computer_name"))) {
      winlogbeat(o, row, false);
    } else if (member(o, "EventID") || member(o, "EventData") || member(o, "TimeGenerated")) {
      security_event(o, row);
    } else if (member(o, "Id") && (member(o, "ProviderName") || member(o, "LogName") || member(o, "RecordId"))) {
      get_winevent(o, row);
    } else {
      add_error(row, "not a Windows event record: none of EventID (SecurityEvent), event_id or "
                     "winlog (winlogbeat), Id with ProviderName (Get-WinEvent)");
    }
    return true;
  }

  std::string read_error() const override { return reader_->read_error(); }

 private:
  static void add_error(SourceRow& row, const std::string& e) {
    if (e.empty()) return;
    if (!row.error.empty()) row.error += "; ";
    row.error += e;
  }

  // XML text (an <EventData> or a whole <Event>) into row.ev, which it clears: call
  // before setting anything else.
  void read_xml(std::string_view xml, SourceRow& row) {
    const std::string err = xml_.parse(xml, stream_);
    read_xml_event(stream_, row.ev, true);
    row.ev.has_event_data = true;
    if (!err.empty()) add_error(row, "EventData " + err);
  }

  // A JSON value as an EventData field: strings as they are, others as JSON.
  void field(EventRecord& ev, std::string_view name, const element& v) {
    if (v.is_string()) ev.add_field(name, v.get_string().value_unsafe());
    else if (v.is_object() || v.is_array()) ev.add_field(name, simdjson::minify(v), true);
    else if (v.is_null()) ev.add_field(name, "null", true);
    else ev.add_field(name, simdjson::minify(v));
  }
  void object_fields(EventRecord& ev, const element& v) {
    if (!v.is_object()) return;
    ev.has_event_data = true;
    for (auto f : object(v)) field(ev, f.key, f.value);
  }

  void security_event(const object& o, SourceRow& row) {
    row.format = "SecurityEvent";
    EventRecord& ev = row.ev;
    const auto xml = str(member(o, "EventData"));
    if (want_data_ && xml) {
      read_xml(*xml, row);
    } else if (want_data_) {
      if (auto props = member(o, "EventProperties"); props && props->is_object()) {
        object_fields(ev, *props);
      } else {
        for (auto f : o) {
          if (security_event_column(f.key)) continue;
          if (f.value.is_null() || (f.value.is_string() && f.value.get_string().value_unsafe().empty())) continue;
          field(ev, f.key, f.value);
        }
        ev.has_event_data = true;
      }
    }
    ev.event_id = integer(member(o, "EventID"));
    if (auto t = time_of(member(o, "TimeGenerated"))) ev.set_time(*t);
    else if (auto t2 = time_of(member(o, "TimeCreatedUtc"))) ev.set_time(*t2);
    if (auto s = str(member(o, "Computer"))) ev.computer = ev.add(*s);
    if (auto s = str(member(o, "Channel"))) ev.channel = ev.add(*s);
    if (auto s = str(member(o, "EventSourceName"))) ev.provider = ev.add(*s);
    ev.level = integer(member(o, "Level"));
    ev.task = integer(member(o, "Task"));
    ev.record_id = integer(member(o, "EventRecordId"));
    row.activity_text = str(member(o, "Activity"));
    if (!member(o, "EventID")) add_error(row, "SecurityEvent record without EventID");
  }

  void winlogbeat(const object& top, SourceRow& row, bool ecs) {
    row.format = "winlogbeat";
    EventRecord& ev = row.ev;
    // 7.x+ keeps the event under "winlog"; 6.x at the top with other names.
    object o = top;
    if (ecs) {
      if (auto w = member(top, "winlog"); w && w->is_object()) o = object(*w);
    }
    if (want_data_) {
      if (auto xml = str(member(o, "xml"))) {
        read_xml(*xml, row);  // include_xml: the whole event
      } else {
        if (auto d = member(o, "event_data")) object_fields(ev, *d);
        if (auto d = member(o, "user_data")) object_fields(ev, *d);
      }
    }
    ev.event_id = integer(member(o, "event_id"));
    if (!ev.event_id && ecs) ev.event_id = integer(path(top, {"event", "code"}));
    ev.record_id = integer(member(o, ecs ? "record_id" : "record_number"));
    if (auto t = time_of(member(top, "@timestamp"))) ev.set_time(*t);
    if (auto s = str(member(o, "computer_name"))) ev.computer = ev.add(*s);
    if (auto s = str(member(o, ecs ? "channel" : "log_name"))) ev.channel = ev.add(*s);
    if (auto s = str(member(o, ecs ? "provider_name" : "source_name"))) ev.provider = ev.add(*s);
    if (auto s = str(path(o, {"user", "identifier"}))) ev.user_sid = ev.add(*s);
    ev.level = level_of(ecs ? path(top, {"log", "level"}) : member(o, "level"));
    if (!ev.event_id) add_error(row, "winlogbeat record without event_id");
  }

  void get_winevent(const object& o, SourceRow& row) {
    row.format = "Get-WinEvent";
    EventRecord& ev = row.ev;
    const auto provider = str(member(o, "ProviderName"));
    const auto id = integer(member(o, "Id"));
    if (want_data_) {
      std::optional<std::string_view> xml = str(member(o, "Xml"));
      if (!xml) xml = str(member(o, "ToXml"));
      if (xml) {
        read_xml(*xml, row);
      } else if (auto props = member(o, "Properties"); props && props->is_array()) {
        ev.has_event_data = true;
        const simdjson::dom::array values(*props);
        const bool sysmon = provider && provider->find("Sysmon") != std::string_view::npos;
        const std::string_view* names = property_names(sysmon, id.value_or(-1), values.size());
        size_t i = 0;
        for (element p : values) {
          // ConvertTo-Json writes each as {"Value": ...}
          element v = p;
          if (p.is_object())
            if (auto inner = member(object(p), "Value")) v = *inner;
          const std::string name = names ? std::string(names[i]) : "param" + std::to_string(i + 1);
          field(ev, name, v);
          ++i;
        }
      }
    }
    ev.event_id = id;
    ev.record_id = integer(member(o, "RecordId"));
    if (auto t = time_of(member(o, "TimeCreated"))) ev.set_time(*t);
    if (auto s = str(member(o, "MachineName"))) ev.computer = ev.add(*s);
    if (auto s = str(member(o, "LogName"))) ev.channel = ev.add(*s);
    if (provider) ev.provider = ev.add(*provider);
    ev.level = integer(member(o, "Level"));
    ev.task = integer(member(o, "Task"));
    if (auto u = member(o, "UserId")) {
      if (auto s = str(u)) ev.user_sid = ev.add(*s);
      else if (u->is_object())
        if (auto s2 = str(member(object(*u), "Value"))) ev.user_sid = ev.add(*s2);
    }
  }

  std::unique_ptr<records::Reader> reader_;
  records::Record rec_;
  XmlTextParser xml_;
  XmlStream stream_;
  bool want_data_ = true;
};

}  // namespace

std::unique_ptr<EventSource> export_event_source(std::unique_ptr<records::Reader> reader) {
  return std::make_unique<ExportSource>(std::move(reader));
}

}  // namespace sqlhunt::winevt
