#include "vtabs/win_events/xml_text.h"

#include <expat.h>

#include <vector>

namespace sqlhunt::winevt {

struct XmlTextParser::Impl {
  XML_Parser parser = nullptr;
  std::unordered_map<std::string, Name> names;
  std::string arena;          // text of the pieces; items hold offsets until parse() ends
  std::vector<Item>* items = nullptr;
  // Per open element: has its content begun (kContent emitted)?
  struct Open {
    bool content = false;
  };
  std::vector<Open> open;
  size_t pending_begin = 0;   // start of pending text in the arena
  bool has_pending = false;
  bool limit_hit = false;

  static constexpr size_t kMaxNames = 4096;
  static constexpr size_t kMaxDepth = 256;

  const Name* name(const char* n) {
    auto it = names.find(n);
    if (it == names.end()) {
      it = names.emplace(n, Name(n)).first;
    }
    return &it->second;
  }
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
    it.data = reinterpret_cast<const void*>(offset);  // an offset until parse() ends
    items->push_back(it);
  }
  bool pending_is_space() const {
    for (size_t i = pending_begin; i < arena.size(); ++i) {
      const char c = arena[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
    return true;
  }
  void ensure_content() {
    if (!open.empty() && !open.back().content) {
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
    auto* p = static_cast<Impl*>(self);
    if (p->open.size() >= kMaxDepth) {
      p->limit_hit = true;
      XML_StopParser(p->parser, XML_FALSE);
      return;
    }
    p->flush_text(true);
    p->ensure_content();
    p->push(ItemKind::kOpen, p->name(n));
    for (size_t i = 0; atts[i]; i += 2) {
      p->push(ItemKind::kAttr, p->name(atts[i]));
      const size_t at = p->arena.size();
      p->arena.append(atts[i + 1]);
      p->push_text(at, p->arena.size() - at);
    }
    p->open.push_back(Open{});
  }
  static void XMLCALL on_end(void* self, const XML_Char*) {
    auto* p = static_cast<Impl*>(self);
    p->flush_text(false);
    p->push(ItemKind::kClose);
    if (!p->open.empty()) p->open.pop_back();
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* p = static_cast<Impl*>(self);
    if (p->open.empty()) return;  // text outside the root element
    if (!p->has_pending) {
      p->has_pending = true;
      p->pending_begin = p->arena.size();
    }
    p->arena.append(s, static_cast<size_t>(len));
  }
};

XmlTextParser::XmlTextParser() : impl_(new Impl) {}

XmlTextParser::~XmlTextParser() {
  if (impl_->parser) XML_ParserFree(impl_->parser);
  delete impl_;
}

std::string XmlTextParser::parse(std::string_view text, XmlStream& out) {
  Impl& p = *impl_;
  out.clear();
  if (p.names.size() > Impl::kMaxNames) p.names.clear();  // no stream points to them now
  if (!p.parser) {
    p.parser = XML_ParserCreate("UTF-8");
  } else {
    XML_ParserReset(p.parser, "UTF-8");
  }
  if (!p.parser) return "out of memory for the XML parser";
  XML_SetUserData(p.parser, &p);
  XML_SetElementHandler(p.parser, Impl::on_start, Impl::on_end);
  XML_SetCharacterDataHandler(p.parser, Impl::on_text);
  p.arena.clear();
  p.items = &out.items;
  p.open.clear();
  p.has_pending = false;
  p.limit_hit = false;
  std::string error;
  // XML_Parse takes an int length: feed a long text in parts.
  constexpr size_t kPart = 1u << 30;
  size_t at = 0;
  do {
    const size_t n = std::min(kPart, text.size() - at);
    const bool last = at + n == text.size();
    if (XML_Parse(p.parser, text.data() + at, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) ==
        XML_STATUS_ERROR) {
      if (p.limit_hit) {
        error = "XML nested more than 256 elements deep";
      } else {
        error = std::string("XML: ") + XML_ErrorString(XML_GetErrorCode(p.parser)) + " at line " +
                std::to_string(XML_GetCurrentLineNumber(p.parser)) + ", column " +
                std::to_string(XML_GetCurrentColumnNumber(p.parser) + 1);
      }
      break;
    }
    at += n;
  } while (at < text.size());
  // Offsets become pointers now that the arena no longer grows.
  for (Item& it : out.items)
    if (it.kind == ItemKind::kUtf8)
      it.data = p.arena.data() + reinterpret_cast<size_t>(it.data);
  // A document cut short still gives balanced elements.
  for (size_t i = 0; i < p.open.size(); ++i) p.push(ItemKind::kClose);
  p.open.clear();
  return error;
}

}  // namespace sqlhunt::winevt
