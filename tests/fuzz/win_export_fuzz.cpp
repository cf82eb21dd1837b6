// libFuzzer target for vtabs/win_events' export and XML readers: any bytes, read as a
// Windows event export (SecurityEvent, winlogbeat, Get-WinEvent; JSON or CSV), as one
// XML document and as a file of <Event> elements, give rows without crashing; every
// event_data is valid JSON and every column text valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/file_source.h"
#include "core/json_text.h"
#include "core/record_stream.h"
#include "vtabs/win_events/event_model.h"
#include "vtabs/win_events/event_record.h"
#include "vtabs/win_events/export_source.h"
#include "vtabs/win_events/xml_text.h"

using namespace sqlhunt::winevt;

namespace {
void check(const WinEvent& e) {
  if (!e.event_data.empty() && !nlohmann::json::accept(e.event_data)) std::abort();
  for (const Str* s : {&e.computer, &e.channel, &e.provider, &e.activity, &e.subject_user, &e.target_user,
                       &e.process_name, &e.command_line, &e.ip_address, &e.status, &e.process_guid,
                       &e.token_elevation, &e.failure_reason})
    if (*s && !sqlhunt::json::is_valid_utf8(**s)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Normaliser normalise;
  WinEvent e;
  // as an export
  auto source = export_event_source(sqlhunt::records::Reader::from_string(text, 1u << 16));
  SourceRow row;
  int n = 0;
  while (source->next(row, kNeedAll)) {
    if (++n > 1000000) std::abort();
    normalise.run(row.ev, kNeedAll, e, row.activity_text);
    check(e);
  }
  // as XML text (an EventData column, a whole <Event>)
  XmlTextParser parser;
  XmlStream stream;
  parser.parse(text, stream);
  EventRecord ev;
  read_xml_event(stream, ev);
  normalise.run(ev, kNeedAll, e);
  check(e);
  std::string xml;
  append_xml(xml, stream);
  if (!sqlhunt::json::is_valid_utf8(xml)) std::abort();
  // as a file of <Event> elements
  XmlEventReader events(std::make_unique<sqlhunt::files::ByteReader>(text, "fuzz"));
  n = 0;
  while (const XmlEvent* x = events.next()) {
    if (++n > 1000000) std::abort();
    read_xml_event(x->stream, ev);
    normalise.run(ev, kNeedAll, e);
    check(e);
  }
  return 0;
}
