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

// XML-escaped text. Control characters XML 1.0 cannot hold at all (not even as a
// character reference: a DNS name's raw label bytes, in dns_log_malformed.evtx) become
// U+FFFD, so `raw` stays well-formed; event_data keeps them exactly (JSON can).
void append_escaped(std::string& out, std::string_view s, bool attribute) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* rep = nullptr;
    switch (c) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': if (attribute) rep = "&quot;"; break;
      case '\t': case '\n': case '\r': break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) rep = "\xEF\xBF\xBD";
        break;
    }
    if (!rep) continue;
    out.append(s.data() + run, i - run);
    out += rep;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

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
  const Item* items = stream.items.data();
  const size_t n = stream.items.size();
  for (size_t i = 0; i < n; ++i) {
    const Item& it = items[i];
    if (it.kind != ItemKind::kPIData) end_pi();
    switch (it.kind) {
      case ItemKind::kOpen:
        start_content();
        out += '<';
        out += it.name->text;
        open.push_back(it.name);
        in_start_tag = true;
        break;
      case ItemKind::kAttr:
        end_attr();
        if (!in_start_tag) break;  // an attribute outside a start tag: nothing to put it on
        out += ' ';
        out += it.name->text;
        out += "=\"";
        in_attr = true;
        break;
      case ItemKind::kContent:
        start_content();
        break;
      case ItemKind::kClose:
        end_attr();
        if (open.empty()) break;
        if (in_start_tag) {
          out += "/>";
          in_start_tag = false;
        } else {
          out += "</";
          out += open.back()->text;
          out += '>';
        }
        open.pop_back();
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
        text.clear();
        append_text(text, items + i, items + j);
        if (!in_attr) start_content();
        append_escaped(out, text, in_attr);
        i = j - 1;
      }
    }
  }
  end_pi();
  end_attr();
  // A stream cut short by an error still gives well-formed XML.
  while (!open.empty()) {
    if (in_start_tag) {
      out += "/>";
      in_start_tag = false;
    } else {
      out += "</" + open.back()->text + ">";
    }
    open.pop_back();
  }
}

}  // namespace sqlhunt::winevt
