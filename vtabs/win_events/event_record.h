// vtabs/win_events/event_record.h — one Windows event, whatever it was read from.
//
// Every source ends as an EventRecord: the System part (provider, event id, time,
// computer, channel ...) and the EventData/UserData fields as name/value text, in the
// source's order and spelling. The event model (event_model.h) turns it into columns.
//
//   EVTX             binxml.h -> XmlStream -> read_xml_event()
//   XML text         xml_text.h (expat) -> XmlStream -> read_xml_event(): an <Event>
//                    document, or an <EventData>/<UserData> element alone (Sentinel's
//                    SecurityEvent.EventData column)
//   JSON, CSV        export_reader.h fills the same fields from the export's keys
//
// EventData/UserData become fields this way (read_xml_event):
//   <Data Name="X">v</Data>      X: "v"
//   <Data>v</Data>               param1, param2 ... (numbered among the unnamed ones,
//                                as winlogbeat names them)
//   <Binary>hex</Binary>         Binary: "hex"
//   other children of EventData, and the children of UserData's element
//   (<UserData><LogFileCleared><SubjectUserName>..)   name: text when the element is a
//                                leaf without attributes, else a JSON object with
//                                "@attribute" keys, child elements and "#text"
// Text is kept in one arena per record (no allocation per field once warm); a Text is
// an offset into it, valid until clear().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vtabs/win_events/xml_stream.h"

namespace sqlhunt::winevt {

struct Text {
  uint32_t offset = 0, size = 0;
  bool present = false;
};

struct Field {
  Text name, value;
  bool json = false;  // value is JSON text (an object), not a string
};

struct EventRecord {
  // System
  Text provider, provider_guid, event_source_name, channel, computer, user_sid, keywords,
      activity_id, message;
  std::optional<int64_t> event_id, qualifiers, version, level, task, opcode, record_id,
      execution_pid, execution_tid;
  std::optional<double> epoch;     // TimeCreated as seconds since 1970
  std::optional<int64_t> time_ms;  // the same, rounded to milliseconds
  // EventData / UserData
  std::vector<Field> data;
  bool has_event_data = false;     // the source had an EventData or UserData at all

  std::string arena;

  void clear();
  std::string_view view(Text t) const { return std::string_view(arena.data() + t.offset, t.size); }
  Text add(std::string_view s);
  void add_field(std::string_view name, std::string_view value, bool json = false);
  // The value of the first field named `name` (exact match), or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  // Sets the time from seconds since 1970 (epoch and the rounded milliseconds).
  void set_time(double seconds);
  void set_time_filetime(uint64_t filetime);
};

// Reads an XmlStream holding an <Event> (or an <EventData>/<UserData> alone) into `ev`
// (which is cleared first). `want_data` false skips EventData/UserData (a query that
// reads only System columns).
void read_xml_event(const XmlStream& stream, EventRecord& ev, bool want_data = true);

// The fields as one JSON object: {"SubjectUserSid":"S-1-5-18",...}. A name that occurs
// more than once (an array value repeats its Data element) becomes an array of its values.
void append_event_data_json(std::string& out, const EventRecord& ev);

}  // namespace sqlhunt::winevt
