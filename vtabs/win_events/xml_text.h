// vtabs/win_events/xml_text.h — Windows event XML text into an XmlStream, via expat.
//
// Exports carry event XML as text: Sentinel's SecurityEvent.EventData column
// (`<EventData xmlns="..."><Data Name="TargetUserName">...</Data>...</EventData>`), a
// whole <Event> in others. That text goes through expat (a real, streaming XML parser;
// no pattern matching), whose events become the same XmlStream the EVTX reader fills,
// so read_xml_event() picks fields from both in one way.
//
// Whitespace-only text between child elements (the "\r\n  " of pretty-printed
// EventData) is layout, not content, and is dropped; text in a leaf element is kept
// exactly (a Data value of " " stays " "). Entities and character references are
// resolved by expat. Malformed XML is reported with expat's message, line and column;
// the stream then holds what was read before the error (whole fields only).
// Expat never fetches external entities here and limits entity expansion (its
// "billion laughs" protection), so the text cannot make it read files or blow up.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "vtabs/win_events/xml_stream.h"

namespace sqlhunt::winevt {

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
  struct Impl;
  Impl* impl_;
};

}  // namespace sqlhunt::winevt
