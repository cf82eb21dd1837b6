#include "vtabs/win_events/xml_stream.h"

#include <cstring>
#include <utility>

#include "vtabs/win_events/evtx_value.h"

namespace sqlhunt::winevt {
namespace {

constexpr std::pair<std::string_view, Tag> kTags[] = {
    {"Event", Tag::kEvent}, {"System", Tag::kSystem}, {"Provider", Tag::kProvider},
    {"EventID", Tag::kEventID}, {"Version", Tag::kVersion}, {"Level", Tag::kLevel},
    {"Task", Tag::kTask}, {"Opcode", Tag::kOpcode}, {"Keywords", Tag::kKeywords},
    {"TimeCreated", Tag::kTimeCreated}, {"EventRecordID", Tag::kEventRecordID},
    {"Correlation", Tag::kCorrelation}, {"Execution", Tag::kExecution},
    {"Channel", Tag::kChannel}, {"Computer", Tag::kComputer}, {"Security", Tag::kSecurity},
    {"EventData", Tag::kEventData}, {"UserData", Tag::kUserData}, {"Data", Tag::kData},
    {"Binary", Tag::kBinary}, {"RenderingInfo", Tag::kRenderingInfo},
    {"Message", Tag::kMessage}, {"Name", Tag::kName}, {"Guid", Tag::kGuid},
    {"EventSourceName", Tag::kEventSourceName}, {"Qualifiers", Tag::kQualifiers},
    {"SystemTime", Tag::kSystemTime}, {"ActivityID", Tag::kActivityID},
    {"RelatedActivityID", Tag::kRelatedActivityID}, {"ProcessID", Tag::kProcessID},
    {"ThreadID", Tag::kThreadID}, {"UserID", Tag::kUserID},
};

void append_code_point(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  uint8_t u[4];
  u[0] = static_cast<uint8_t>(cp & 0xFF);
  u[1] = static_cast<uint8_t>(cp >> 8);
  if (cp < 0x10000) {
    append_utf16(out, u, 2);
  } else {  // as a surrogate pair, through the one UTF-16 decoder
    const uint32_t v = cp - 0x10000;
    const uint16_t hi = static_cast<uint16_t>(0xD800 + (v >> 10)), lo = static_cast<uint16_t>(0xDC00 + (v & 0x3FF));
    const uint8_t pair[4] = {static_cast<uint8_t>(hi & 0xFF), static_cast<uint8_t>(hi >> 8),
                             static_cast<uint8_t>(lo & 0xFF), static_cast<uint8_t>(lo >> 8)};
    append_utf16(out, pair, 4);
  }
}

// What each byte needs in XML text: 0 nothing, else the escape class below.
struct EscapeTable {
  uint8_t cls[256] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) cls[c] = 5;  // no XML 1.0 character at all
    cls['\t'] = 6;
    cls['\n'] = 6;
    cls['\r'] = 7;
    cls['&'] = 1;
    cls['<'] = 2;
    cls['>'] = 3;
    cls['"'] = 4;
  }
};
constexpr EscapeTable kEscape;

// XML-escaped text, appended. Control characters XML 1.0 cannot hold at all (not even
// as a character reference: a DNS name's raw label bytes, in dns_log_malformed.evtx)
// become U+FFFD, so `raw` stays well-formed; event_data keeps them exactly (JSON can).
// CR is written &#13; (a parser would read a raw CR LF as LF), and in an attribute tab
// and LF as &#9; and &#10; (a parser would read them as spaces).
// Does any of the 8 bytes in `x` need a look (a control character, & < > ")? Word-wise
// tests (Bit Twiddling Hacks' haszero / hasless), since most text needs nothing.
inline bool word_needs_look(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto zero_byte = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return ((x - kOnes * 0x20) & ~x & kHigh) | zero_byte(x ^ (kOnes * '&')) | zero_byte(x ^ (kOnes * '<')) |
         zero_byte(x ^ (kOnes * '>')) | zero_byte(x ^ (kOnes * '"'));
}

bool needs_look(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (word_needs_look(w)) return true;
  }
  for (; i < s.size(); ++i)
    if (kEscape.cls[static_cast<unsigned char>(s[i])]) return true;
  return false;
}

void append_escaped(std::string& out, std::string_view s, bool attribute) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t run = 0;
  for (size_t i = 0; i < n; ++i) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (word_needs_look(w)) break;
      i += 8;
    }
    if (i >= n) break;
    const uint8_t cls = kEscape.cls[p[i]];
    if (cls == 0) continue;
    const char* rep = nullptr;
    switch (cls) {
      case 1: rep = "&amp;"; break;
      case 2: rep = "&lt;"; break;
      case 3: rep = "&gt;"; break;
      case 4: rep = attribute ? "&quot;" : nullptr; break;
      case 5: rep = "\xEF\xBF\xBD"; break;
      case 6: rep = attribute ? (p[i] == '\t' ? "&#9;" : "&#10;") : nullptr; break;
      case 7: rep = "&#13;"; break;
    }
    if (!rep) continue;
    out.append(s.data() + run, i - run);
    out += rep;
    run = i + 1;
  }
  out.append(s.data() + run, n - run);
}

// Values whose text never needs escaping (numbers, hex, GUIDs, SIDs, times) go straight
// to the output; strings go through the escaper.
bool needs_escaping(const Item& it) {
  if (it.kind != ItemKind::kValue) return true;
  const uint8_t t = it.vtype & 0x7f;
  return t == vt::kString || t == vt::kAnsi || t == vt::kNull || t > vt::kHexInt64;
}

}  // namespace

Name::Name(std::string t)
    : text(std::move(t)), tag(tag_of(text)), xml_open("<" + text), xml_close("</" + text + ">"),
      xml_attr(" " + text + "=\"") {}

Tag tag_of(std::string_view name) {
  for (const auto& [text, tag] : kTags)
    if (text == name) return tag;
  return Tag::kOther;
}

void append_text(std::string& out, const Item* begin, const Item* end) {
  for (const Item* it = begin; it != end; ++it) {
    switch (it->kind) {
      case ItemKind::kUtf16: append_utf16(out, static_cast<const uint8_t*>(it->data), it->size); break;
      case ItemKind::kUtf8: out.append(static_cast<const char*>(it->data), it->size); break;
      case ItemKind::kValue: append_value(out, it->vtype, static_cast<const uint8_t*>(it->data), it->size); break;
      case ItemKind::kCharRef: append_code_point(out, it->size); break;
      case ItemKind::kEntityRef: {
        const std::string& n = it->name->text;
        if (n == "lt") out += '<';
        else if (n == "gt") out += '>';
        else if (n == "amp") out += '&';
        else if (n == "quot") out += '"';
        else if (n == "apos") out += '\'';
        else out += "&" + n + ";";
        break;
      }
      default: break;
    }
  }
}

void append_xml(std::string& out, const XmlStream& stream) {
  std::vector<const Name*> open;
  bool in_start_tag = false, in_attr = false, in_pi = false;
  std::string text;
  auto end_attr = [&] {
    if (in_attr) out += '"';
    in_attr = false;
  };
  auto end_pi = [&] {
    if (in_pi) out += "?>";
    in_pi = false;
  };
  auto start_content = [&] {
    end_attr();
    if (in_start_tag) out += '>';
    in_start_tag = false;
  };
  auto close_element = [&] {
    if (open.empty()) return;
    if (in_start_tag) out += "/>";
    else out += open.back()->xml_close;
    in_start_tag = false;
    open.pop_back();
  };
  const Item* items = stream.items.data();
  const size_t n = stream.items.size();
  for (size_t i = 0; i < n; ++i) {
    const Item& it = items[i];
    if (it.kind != ItemKind::kPIData) end_pi();
    switch (it.kind) {
      case ItemKind::kOpen:
        start_content();
        out += it.name->xml_open;
        open.push_back(it.name);
        in_start_tag = true;
        break;
      case ItemKind::kAttr:
        end_attr();
        if (!in_start_tag) break;  // an attribute outside a start tag: nothing to put it on
        out += it.name->xml_attr;
        in_attr = true;
        break;
      case ItemKind::kContent:
        start_content();
        break;
      case ItemKind::kClose:
        end_attr();
        close_element();
        break;
      case ItemKind::kPITarget:
        start_content();
        out += "<?";
        out += it.name->text;
        in_pi = true;
        break;
      case ItemKind::kPIData:
        text.clear();
        append_utf16(text, static_cast<const uint8_t*>(it.data), it.size);
        if (in_pi) {
          out += ' ';
          out += text;
          end_pi();
        }
        break;
      default: {  // a run of pieces: one text
        size_t j = i;
        while (j < n && is_piece(items[j].kind)) ++j;
        if (!in_attr) start_content();
        for (size_t k = i; k < j; ++k) {
          // Written straight to the output; escaped after, in the rare text that needs it.
          const size_t at = out.size();
          append_text(out, items + k, items + k + 1);
          if (needs_escaping(items[k]) && needs_look(std::string_view(out).substr(at))) {
            text.assign(out, at, std::string::npos);
            out.resize(at);
            append_escaped(out, text, in_attr);
          }
        }
        i = j - 1;
      }
    }
  }
  end_pi();
  end_attr();
  // A stream cut short by an error still gives well-formed XML.
  while (!open.empty()) close_element();
}

}  // namespace sqlhunt::winevt
