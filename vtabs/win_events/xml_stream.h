// vtabs/win_events/xml_stream.h — one Windows event as a flat stream of XML items.
//
// Both ways an event reaches us as XML end here: EVTX binary XML (binxml.h expands
// templates and substitutions into this stream) and XML text in exports (xml_text.h,
// through expat). Everything after that — picking the System fields and EventData,
// rendering `raw` — reads only this stream, so the two sources cannot drift apart.
//
// The stream is SAX-like, in document order:
//   kOpen name   [kAttr name  piece*]*   [kContent  (piece | element)*]   kClose
// An element without kContent was empty (<Correlation/>). Pieces are the parts of a
// text: kUtf16 (text as the EVTX file holds it), kUtf8 (text from an XML document),
// kValue (a typed EVTX substitution value: SID, FILETIME, GUID, integers ...), kCharRef
// and kEntityRef. Pieces point into memory owned by whoever filled the stream (the
// EVTX chunk, the XML parser's arena): they are valid until that owner moves on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::winevt {

// Element and attribute names the event model looks for, recognised once per name.
enum class Tag : uint8_t {
  kOther,
  // elements
  kEvent, kSystem, kProvider, kEventID, kVersion, kLevel, kTask, kOpcode, kKeywords,
  kTimeCreated, kEventRecordID, kCorrelation, kExecution, kChannel, kComputer, kSecurity,
  kEventData, kUserData, kData, kBinary, kRenderingInfo, kMessage,
  // attributes
  kName, kGuid, kEventSourceName, kQualifiers, kSystemTime, kActivityID, kRelatedActivityID,
  kProcessID, kThreadID, kUserID,
};

Tag tag_of(std::string_view name);

// An element or attribute name, as UTF-8, with its Tag and the XML text append_xml()
// writes for it (made once per name, not once per use).
struct Name {
  std::string text;
  Tag tag = Tag::kOther;
  std::string xml_open, xml_close, xml_attr;  // "<Data", "</Data>", " Name=\""

  explicit Name(std::string t = std::string());
};

enum class ItemKind : uint8_t {
  kOpen, kAttr, kContent, kClose,                       // structure
  kUtf16, kUtf8, kValue, kCharRef, kEntityRef,          // pieces of a text
  kPITarget, kPIData,                                   // processing instructions
  kSubst,                                               // only inside compiled templates
};

inline bool is_piece(ItemKind k) { return k >= ItemKind::kUtf16 && k <= ItemKind::kEntityRef; }

struct Item {
  ItemKind kind;
  uint8_t vtype = 0;      // kValue/kSubst: the EVTX value type (0x01 string, 0x13 SID ...)
  uint16_t index = 0;     // kSubst: the substitution's index in the instance's values
  uint32_t size = 0;      // bytes of data (kUtf16, kUtf8, kValue, kPIData), the code
                          // point of a kCharRef, 1 for an optional kSubst
  union {
    const void* data;     // kUtf16 / kUtf8 / kValue / kPIData
    const Name* name;     // kOpen / kAttr / kEntityRef / kPITarget
  };
};
static_assert(sizeof(Item) == 16, "Item stays two words: templates are copied item by item");

struct XmlStream {
  std::vector<Item> items;
  void clear() { items.clear(); }
};

// The text of the pieces in [begin, end) (a run of piece items), as UTF-8, appended to
// `out`: substitution values rendered the way Windows renders them (evtx_value.h),
// character and entity references resolved. Never escaped.
void append_text(std::string& out, const Item* begin, const Item* end);

// The whole stream as compact XML text (no added whitespace, like Windows' EvtRender):
// the `raw` column of an EVTX event.
void append_xml(std::string& out, const XmlStream& stream);

}  // namespace sqlhunt::winevt
