// vtabs/win_events/event_source.h — the events of one file, whatever its format.
//
// open_event_source() looks at a file's first bytes (through core/file_source, so a .gz
// is read through), never at its name:
//   "ElfFile\0" / "ElfChnk\0"   an EVTX log (evtx_file.h)
//   <?xml, <Event, <Events      a file of event XML (xml_text.h's XmlEventReader: Event
//                               Viewer's "Save as XML", wevtutil qe /f:xml)
//   JSON, other text            an export read as records (export_source.h): Sentinel
//                               SecurityEvent CSV or JSON, winlogbeat or Get-WinEvent JSON
// (core/file_kind.h decides; a file of another kind is an error naming it)
// and yields SourceRow's: the event (EventRecord), where it was (line, offset), whether
// it was recovered, what went wrong (error), and what `raw` shows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vtabs/win_events/event_model.h"
#include "vtabs/win_events/event_record.h"
#include "vtabs/win_events/evtx_file.h"

namespace sqlhunt::winevt {

struct SourceRow {
  EventRecord ev;
  std::optional<uint64_t> line;    // EVTX: the record's ordinal; exports, XML: physical line
  std::optional<uint64_t> offset;  // EVTX: byte offset of the record in the file
  bool recovered = false;
  std::string error;
  Str activity_text;               // an export's own Activity text
  const XmlStream* xml = nullptr;  // EVTX, XML: the event, rendered as `raw` on demand
  std::string_view raw;            // exports: the record as JSON text
  const char* format = "";         // "evtx", "SecurityEvent", "winlogbeat", ...
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // The next row; false at the end. `need` (event_model.h) says what the query reads.
  virtual bool next(SourceRow& row, unsigned need) = 0;
  // A read error (truncated gzip, I/O) that ended the file early; empty otherwise.
  virtual std::string read_error() const = 0;
};

// Throws sqlhunt::Error when the file cannot be opened. `filter` is what an EVTX reader
// may skip (evtx_file.h); other formats are read whole.
std::unique_ptr<EventSource> open_event_source(const std::string& path, const EvtxFilter& filter);

// The EVTX source alone (tests, fuzzing): the same rows open_event_source gives.
std::unique_ptr<EventSource> evtx_event_source(std::unique_ptr<EvtxReader> reader);

}  // namespace sqlhunt::winevt
