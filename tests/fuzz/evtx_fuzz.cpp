// libFuzzer target for vtabs/win_events' EVTX reader: any bytes, read as an EVTX file
// (or a bare chunk), give rows without crashing, reading out of bounds or looping; every
// event's XML text and every column text is valid UTF-8 and every event_data is valid
// JSON. The first byte also picks a pushdown filter, so the probe path is fuzzed too.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "vtabs/win_events/event_model.h"
#include "vtabs/win_events/event_record.h"
#include "vtabs/win_events/evtx_file.h"

using namespace sqlhunt::winevt;

namespace {
void check_text(const Str& s) {
  if (s && !sqlhunt::json::is_valid_utf8(*s)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  EvtxFilter filter;
  if (size > 0 && (data[0] & 1)) filter.event_ids = {4624, 1};
  if (size > 0 && (data[0] & 2)) filter.min_time_ms = 1400000000000;
  if (size > 0 && (data[0] & 4)) filter.min_record_id = 3;
  auto reader = EvtxReader::from_bytes(bytes, filter);
  EvtxRecord rec;
  EventRecord ev;
  Normaliser normalise;
  WinEvent e;
  std::string xml;
  int n = 0;
  while (reader->next(rec)) {
    if (++n > 1000000) std::abort();  // every row consumes input: no endless loop
    if (!sqlhunt::json::is_valid_utf8(rec.error)) std::abort();
    if (!rec.xml) continue;
    xml.clear();
    append_xml(xml, *rec.xml);
    if (!sqlhunt::json::is_valid_utf8(xml)) std::abort();
    read_xml_event(*rec.xml, ev);
    normalise.run(ev, kNeedAll, e);
    if (!e.event_data.empty() && !nlohmann::json::accept(e.event_data)) std::abort();
    for (const Str* s : {&e.computer, &e.channel, &e.provider, &e.subject_user, &e.target_user, &e.process_name,
                         &e.command_line, &e.ip_address, &e.status, &e.process_guid})
      check_text(*s);
  }
  return 0;
}
