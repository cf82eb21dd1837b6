#include "vtabs/win_events/xml_text.h"

#include <expat.h>

#include <unordered_map>
#include <vector>

#include "core/file_source.h"

namespace sqlhunt::winevt {

// The expat side both readers share: callbacks that turn elements, attributes and text
// into Items. `whole` documents capture everything; otherwise only <Event> elements
// (and what is inside them) are captured, each handed to on_event when it closes.
struct XmlCore {
  XML_Parser parser = nullptr;
  std::unordered_map<std::string, Name> names;
  std::string arena;  // text of the pieces; items hold offsets until finish()
  std::vector<Item>* items = nullptr;
  struct Open {
    bool captured = false;  // inside what is being captured
    bool content = false;   // kContent emitted
    bool children = false;  // has child elements: whitespace-only text in it is layout
  };
  std::vector<Open> open;
  size_t pending_begin = 0;  // start of the pending text in the arena
  bool has_pending = false;
  bool limit_hit = false;
  bool whole = true;          // capture the whole document
  bool capturing = false;
  size_t event_depth = 0;     // open.size() when the captured <Event> opened
  uint64_t event_line = 0;
  std::vector<Item> event_items;
  std::deque<XmlEvent>* ready = nullptr;

  static constexpr size_t kMaxNames = 4096;
  static constexpr size_t kMaxDepth = 256;

  ~XmlCore() {
    if (parser) XML_ParserFree(parser);
  }

  bool reset() {
    if (names.size() > kMaxNames) names.clear();  // no stream points to them between documents
    if (!parser) parser = XML_ParserCreate("UTF-8");
    else XML_ParserReset(parser, "UTF-8");
    if (!parser) return false;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    arena.clear();
    open.clear();
    has_pending = limit_hit = capturing = false;
    return true;
  }

  const Name* name(const char* n) {
    auto it = names.find(n);
    if (it == names.end()) it = names.emplace(n, Name(n)).first;
    return &it->second;
  }
  bool captured() const { return open.empty() ? capturing : open.back().captured; }
  void push(ItemKind kind, const Name* n = nullptr) {
    Item it{};
    it.kind = kind;
    it.name = n;
    items->push_back(it);
  }
  void push_text(size_t offset, size_t size) {
    Item it{};
    it.kind = ItemKind::kUtf8;
    it.size = static_cast<uint32_t>(size);
    it.data = reinterpret_cast<const void*>(offset);  // an offset until finish()
    items->push_back(it);
  }
  // Offsets become pointers into `text` (which no longer grows).
  static void finish(std::vector<Item>& out, const std::string& text) {
    for (Item& it : out)
      if (it.kind == ItemKind::kUtf8) it.data = text.data() + reinterpret_cast<size_t>(it.data);
  }
  bool pending_is_space() const {
    for (size_t i = pending_begin; i < arena.size(); ++i) {
      const char c = arena[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
    return true;
  }
  void ensure_content() {
    if (!open.empty() && open.back().captured && !open.back().content) {
      push(ItemKind::kContent);
      open.back().content = true;
    }
  }
  // The text since the last tag: kept unless it is layout between child elements.
  void flush_text(bool before_child) {
    if (!has_pending) return;
    has_pending = false;
    if (before_child && pending_is_space()) {
      arena.resize(pending_begin);
      return;
    }
    ensure_content();
    push_text(pending_begin, arena.size() - pending_begin);
  }

  static void XMLCALL on_start(void* self, const XML_Char* n, const XML_Char** atts) {
    auto* p = static_cast<XmlCore*>(self);
    if (p->open.size() >= kMaxDepth) {
      p->limit_hit = true;
      XML_StopParser(p->parser, XML_FALSE);
      return;
    }
    if (!p->whole && !p->capturing && std::string_view(n) == "Event") {
      // An event begins: its items and text start afresh.
      p->capturing = true;
      p->event_depth = p->open.size();
      p->event_line = XML_GetCurrentLineNumber(p->parser);
      p->event_items.clear();
      p->items = &p->event_items;
      p->arena.clear();
      p->has_pending = false;
    }
    if (!p->whole && !p->capturing) {
      p->has_pending = false;  // text between events is nobody's
      p->open.push_back(Open{false, false, false});
      return;
    }
    if (!p->open.empty()) p->open.back().children = true;
    p->flush_text(true);
    p->ensure_content();
    p->push(ItemKind::kOpen, p->name(n));
    for (size_t i = 0; atts[i]; i += 2) {
      p->push(ItemKind::kAttr, p->name(atts[i]));
      const size_t at = p->arena.size();
      p->arena.append(atts[i + 1]);
      p->push_text(at, p->arena.size() - at);
    }
    p->open.push_back(Open{true, false, false});
  }
  static void XMLCALL on_end(void* self, const XML_Char*) {
    auto* p = static_cast<XmlCore*>(self);
    const bool captured = !p->open.empty() && p->open.back().captured;
    if (captured) {
      p->flush_text(p->open.back().children);  // "\r\n  " before </System>: layout
      p->push(ItemKind::kClose);
    }
    if (!p->open.empty()) p->open.pop_back();
    if (!p->whole && p->capturing && p->open.size() == p->event_depth) {
      // The event closed: hand it out with its own copy of its text.
      p->capturing = false;
      XmlEvent& ev = p->ready->emplace_back();
      ev.text = p->arena;
      ev.stream.items.swap(p->event_items);
      ev.line = p->event_line;
      finish(ev.stream.items, ev.text);
      p->arena.clear();
    }
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* p = static_cast<XmlCore*>(self);
    if (p->open.empty() || !p->open.back().captured) return;  // outside what is captured
    if (!p->has_pending) {
      p->has_pending = true;
      p->pending_begin = p->arena.size();
    }
    p->arena.append(s, static_cast<size_t>(len));
  }

  std::string error_text() const {
    if (limit_hit) return "XML nested more than 256 elements deep";
    return std::string("XML: ") + XML_ErrorString(XML_GetErrorCode(parser)) + " at line " +
           std::to_string(XML_GetCurrentLineNumber(parser)) + ", column " +
           std::to_string(XML_GetCurrentColumnNumber(parser) + 1);
  }
  // Feeds `n` bytes (in parts: XML_Parse takes an int length); "" or the error.
  std::string parse(const char* data, size_t n, bool last) {
    constexpr size_t kPart = 1u << 30;
    size_t at = 0;
    do {
      const size_t k = std::min(kPart, n - at);
      const bool final_part = last && at + k == n;
      if (XML_Parse(parser, data + at, static_cast<int>(k), final_part ? XML_TRUE : XML_FALSE) ==
          XML_STATUS_ERROR)
        return error_text();
      at += k;
    } while (at < n);
    return std::string();
  }
};

XmlTextParser::XmlTextParser() : core_(std::make_unique<XmlCore>()) {}
XmlTextParser::~XmlTextParser() = default;

std::string XmlTextParser::parse(std::string_view text, XmlStream& out) {
  XmlCore& p = *core_;
  out.clear();
  if (!p.reset()) return "out of memory for the XML parser";
  p.whole = true;
  p.capturing = true;
  p.items = &out.items;
  const std::string error = p.parse(text.data(), text.size(), true);
  XmlCore::finish(out.items, p.arena);
  // A document cut short still gives balanced elements.
  for (const auto& o : p.open)
    if (o.captured) p.push(ItemKind::kClose);
  p.open.clear();
  return error;
}

XmlEventReader::XmlEventReader(std::unique_ptr<files::ByteReader> bytes)
    : core_(std::make_unique<XmlCore>()), bytes_(std::move(bytes)) {}
XmlEventReader::~XmlEventReader() = default;

// Reads the next block into expat: events that close in it join ready_.
bool XmlEventReader::feed() {
  XmlCore& p = *core_;
  if (!started_) {
    started_ = true;
    if (!p.reset()) {
      error_ = "out of memory for the XML parser";
      return false;
    }
    p.whole = false;
    p.ready = &ready_;
    // <Event> elements one after another have no root: read as if inside one. Expat is
    // told of a wrapper before the file's own bytes (an XML declaration, if any, is then
    // not first: it is skipped, the text being UTF-8 as the sniffer found it).
    std::string head(4096, '\0');
    size_t got = 0;
    while (got < head.size()) {
      const size_t r = bytes_->read(head.data() + got, head.size() - got);
      if (r == 0) break;
      got += r;
    }
    head.resize(got);
    size_t skip = 0;
    if (head.compare(0, 3, "\xEF\xBB\xBF") == 0) skip = 3;
    if (head.compare(skip, 5, "<?xml") == 0) {
      const size_t end = head.find("?>", skip);
      skip = end == std::string::npos ? head.size() : end + 2;
    }
    error_ = p.parse("<sqlhunt-events>", 16, false);
    if (error_.empty()) error_ = p.parse(head.data() + skip, head.size() - skip, false);
    return error_.empty() && !head.empty();
  }
  char buf[1 << 16];
  const size_t n = bytes_->read(buf, sizeof buf);
  if (n == 0) {
    error_ = p.parse("</sqlhunt-events>", 17, true);
    if (error_.empty() && !bytes_->error().empty()) error_ = bytes_->error();
    return false;
  }
  error_ = p.parse(buf, n, false);
  return error_.empty();
}

const XmlEvent* XmlEventReader::next() {
  if (front_taken_) {
    ready_.pop_front();
    front_taken_ = false;
  }
  while (ready_.empty() && !done_) {
    if (!feed()) done_ = true;
  }
  if (ready_.empty()) return nullptr;
  front_taken_ = true;
  return &ready_.front();
}

}  // namespace sqlhunt::winevt
