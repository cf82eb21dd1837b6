// vtabs/win_events/xml_text.h — Windows event XML text into XmlStreams, via expat.
//
// Event XML reaches us as text in two ways, both read by expat (a real, streaming XML
// parser; no pattern matching) into the same XmlStream the EVTX reader fills, so
// read_xml_event() picks fields from every source in one way:
//
//   XmlTextParser    one document: Sentinel's SecurityEvent.EventData column
//                    (`<EventData xmlns="..."><Data Name="X">...</Data></EventData>`),
//                    a whole <Event> in a JSON export
//   XmlEventReader   a file of events: Event Viewer's "Save as XML" (`<Events><Event>
//                    ...</Event>...</Events>`), `wevtutil qe /f:xml` and `Get-WinEvent |
//                    ForEach-Object { $_.ToXml() }` (<Event> elements one after another,
//                    no root: read as if inside one). Every <Event> element (not inside
//                    another) is one event, handed out as soon as it closes, so memory
//                    is one event whatever the file's size.
//
// Whitespace-only text between child elements (the "\r\n  " of pretty-printed XML) is
// layout, not content, and is dropped; text in a leaf element is kept exactly (a Data
// value of " " stays " "). Entities and character references are resolved by expat.
// Malformed XML is reported with expat's message, line and column; what was read before
// is kept (XmlTextParser: the stream holds it, balanced; XmlEventReader: the events
// that closed before it, then one error, then the end of that file). Expat never
// fetches external entities here and limits entity expansion (its "billion laughs"
// protection); elements nest at most 256 deep.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "vtabs/win_events/xml_stream.h"

namespace sqlhunt::files {
class ByteReader;
}

namespace sqlhunt::winevt {

struct XmlCore;

class XmlTextParser {
 public:
  XmlTextParser();
  ~XmlTextParser();
  XmlTextParser(const XmlTextParser&) = delete;
  XmlTextParser& operator=(const XmlTextParser&) = delete;

  // Parses `text` into `out` (cleared first). Returns "" or why the text is not
  // well-formed XML. `out` points into this parser: valid until the next parse().
  std::string parse(std::string_view text, XmlStream& out);

 private:
  std::unique_ptr<XmlCore> core_;
};

struct XmlEvent {
  XmlStream stream;
  std::string text;    // what the stream's text pieces point into
  uint64_t line = 0;   // where the <Event> starts
};

class XmlEventReader {
 public:
  // Reads `bytes` (a file's, through core/file_source: gzip transparent).
  explicit XmlEventReader(std::unique_ptr<files::ByteReader> bytes);
  ~XmlEventReader();
  XmlEventReader(const XmlEventReader&) = delete;
  XmlEventReader& operator=(const XmlEventReader&) = delete;

  // The next event (valid until the next call), or nullptr at the end. After the end,
  // error() says why the file could not be read further ("" when it ended well).
  const XmlEvent* next();
  const std::string& error() const { return error_; }

 private:
  bool feed();

  std::unique_ptr<XmlCore> core_;
  std::unique_ptr<files::ByteReader> bytes_;
  std::deque<XmlEvent> ready_;
  bool front_taken_ = false, done_ = false, started_ = false;
  std::string error_;
};

}  // namespace sqlhunt::winevt
