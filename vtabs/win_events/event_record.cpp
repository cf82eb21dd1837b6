#include "vtabs/win_events/event_record.h"

#include <charconv>
#include <cmath>

#include "core/json_text.h"
#include "core/text.h"
#include "core/time.h"
#include "vtabs/win_events/evtx_value.h"

namespace sqlhunt::winevt {
namespace {

constexpr size_t npos = static_cast<size_t>(-1);

// Positions of one element in the stream.
struct Element {
  size_t open, content, close;  // content: the kContent item, or npos when empty
};

Element element_at(const std::vector<Item>& items, size_t open) {
  Element e{open, npos, items.size()};
  int depth = 0;
  for (size_t i = open + 1; i < items.size(); ++i) {
    const ItemKind k = items[i].kind;
    if (k == ItemKind::kOpen) {
      ++depth;
    } else if (k == ItemKind::kClose) {
      if (depth == 0) {
        e.close = i;
        return e;
      }
      --depth;
    } else if (k == ItemKind::kContent && depth == 0) {
      e.content = i;
    }
  }
  return e;  // cut short: runs to the end of the stream
}

// Calls f(index of child kOpen) for each child element.
template <class F>
void for_each_child(const std::vector<Item>& items, const Element& e, F&& f) {
  if (e.content == npos) return;
  for (size_t i = e.content + 1; i < e.close;) {
    if (items[i].kind == ItemKind::kOpen) {
      const Element c = element_at(items, i);
      f(c);
      i = c.close + 1;
    } else {
      ++i;
    }
  }
}

bool has_child_elements(const std::vector<Item>& items, const Element& e) {
  if (e.content == npos) return false;
  for (size_t i = e.content + 1; i < e.close; ++i)
    if (items[i].kind == ItemKind::kOpen) return true;
  return false;
}

// [begin, end) of the pieces of attribute `tag` of element e; false if absent.
bool attribute(const std::vector<Item>& items, const Element& e, Tag tag, size_t& begin, size_t& end) {
  const size_t stop = e.content == npos ? e.close : e.content;
  for (size_t i = e.open + 1; i < stop; ++i) {
    if (items[i].kind != ItemKind::kAttr || items[i].name->tag != tag) continue;
    begin = i + 1;
    end = begin;
    while (end < stop && is_piece(items[end].kind)) ++end;
    return true;
  }
  return false;
}

// [begin, end) of the element's text pieces when its content is text only (the usual
// case): one run. Mixed content gives the first run.
void content_pieces(const std::vector<Item>& items, const Element& e, size_t& begin, size_t& end) {
  begin = end = e.close;
  if (e.content == npos) return;
  size_t i = e.content + 1;
  while (i < e.close && !is_piece(items[i].kind)) {
    if (items[i].kind == ItemKind::kOpen) i = element_at(items, i).close;
    ++i;
  }
  begin = end = i;
  while (end < e.close && is_piece(items[end].kind)) ++end;
}

class Reader {
 public:
  Reader(const std::vector<Item>& items, EventRecord& ev) : items_(items), ev_(ev) {}

  Text text(size_t begin, size_t end) {
    Text t;
    t.offset = static_cast<uint32_t>(ev_.arena.size());
    append_text(ev_.arena, items_.data() + begin, items_.data() + end);
    t.size = static_cast<uint32_t>(ev_.arena.size() - t.offset);
    t.present = true;
    return t;
  }
  Text content_text(const Element& e) {
    size_t b, en;
    content_pieces(items_, e, b, en);
    return text(b, en);
  }
  Text attr_text(const Element& e, Tag tag) {
    size_t b, en;
    if (!attribute(items_, e, tag, b, en)) return Text{};
    return text(b, en);
  }
  // An integer from a run of pieces: a typed value straight away, else its text.
  std::optional<int64_t> integer(size_t b, size_t en) {
    if (en == b + 1 && items_[b].kind == ItemKind::kValue) {
      const Item& it = items_[b];
      if (auto v = value_as_uint(it.vtype, static_cast<const uint8_t*>(it.data), it.size))
        return static_cast<int64_t>(*v);
    }
    scratch_.clear();
    append_text(scratch_, items_.data() + b, items_.data() + en);
    return text::parse_id(scratch_);
  }
  std::optional<int64_t> content_integer(const Element& e) {
    size_t b, en;
    content_pieces(items_, e, b, en);
    return b == en ? std::nullopt : integer(b, en);
  }
  std::optional<int64_t> attr_integer(const Element& e, Tag tag) {
    size_t b, en;
    if (!attribute(items_, e, tag, b, en) || b == en) return std::nullopt;
    return integer(b, en);
  }

  void system(const Element& sys) {
    for_each_child(items_, sys, [&](const Element& c) {
      switch (items_[c.open].name->tag) {
        case Tag::kProvider:
          ev_.provider = attr_text(c, Tag::kName);
          ev_.provider_guid = attr_text(c, Tag::kGuid);
          ev_.event_source_name = attr_text(c, Tag::kEventSourceName);
          break;
        case Tag::kEventID:
          ev_.event_id = content_integer(c);
          ev_.qualifiers = attr_integer(c, Tag::kQualifiers);
          break;
        case Tag::kVersion: ev_.version = content_integer(c); break;
        case Tag::kLevel: ev_.level = content_integer(c); break;
        case Tag::kTask: ev_.task = content_integer(c); break;
        case Tag::kOpcode: ev_.opcode = content_integer(c); break;
        case Tag::kKeywords: ev_.keywords = content_text(c); break;
        case Tag::kEventRecordID: ev_.record_id = content_integer(c); break;
        case Tag::kChannel: ev_.channel = content_text(c); break;
        case Tag::kComputer: ev_.computer = content_text(c); break;
        case Tag::kCorrelation: ev_.activity_id = attr_text(c, Tag::kActivityID); break;
        case Tag::kExecution:
          ev_.execution_pid = attr_integer(c, Tag::kProcessID);
          ev_.execution_tid = attr_integer(c, Tag::kThreadID);
          break;
        case Tag::kSecurity: ev_.user_sid = attr_text(c, Tag::kUserID); break;
        case Tag::kTimeCreated: {
          size_t b, en;
          if (!attribute(items_, c, Tag::kSystemTime, b, en) || b == en) break;
          const Item& it = items_[b];
          if (en == b + 1 && it.kind == ItemKind::kValue && it.vtype == vt::kFileTime && it.size == 8) {
            const uint64_t ft = le64(static_cast<const uint8_t*>(it.data));
            if (ft) ev_.set_time_filetime(ft);  // 0 is "no time", not 1601
          } else {
            scratch_.clear();
            append_text(scratch_, items_.data() + b, items_.data() + en);
            if (auto t = timefmt::parse(scratch_)) ev_.set_time(*t);
          }
          break;
        }
        default: break;
      }
    });
  }

  // A child of EventData/UserData's element as a JSON object (attributes, children, text).
  void json_object(std::string& out, const Element& e) {
    out += '{';
    bool first = true;
    auto key = [&](std::string_view k) {
      if (!first) out += ',';
      first = false;
      json::append_string(out, k);
      out += ':';
    };
    const size_t stop = e.content == npos ? e.close : e.content;
    for (size_t i = e.open + 1; i < stop; ++i) {
      if (items_[i].kind != ItemKind::kAttr) continue;
      const std::string& n = items_[i].name->text;
      if (n == "xmlns" || text::starts_with(n, "xmlns:")) continue;
      size_t b = i + 1, en = b;
      while (en < stop && is_piece(items_[en].kind)) ++en;
      key("@" + n);
      scratch_.clear();
      append_text(scratch_, items_.data() + b, items_.data() + en);
      json::append_string(out, scratch_);
    }
    for_each_child(items_, e, [&](const Element& c) {
      key(items_[c.open].name->text);
      leaf_or_object(out, c);
    });
    size_t b, en;
    content_pieces(items_, e, b, en);
    if (b != en) {
      key("#text");
      scratch_.clear();
      append_text(scratch_, items_.data() + b, items_.data() + en);
      json::append_string(out, scratch_);
    }
    out += '}';
  }
  // A plain leaf: no attributes (namespace declarations aside), no child elements.
  bool is_leaf(const Element& c) {
    const size_t stop = c.content == npos ? c.close : c.content;
    for (size_t i = c.open + 1; i < stop; ++i) {
      if (items_[i].kind != ItemKind::kAttr) continue;
      const std::string& n = items_[i].name->text;
      if (!(n == "xmlns" || text::starts_with(n, "xmlns:"))) return false;
    }
    return !has_child_elements(items_, c);
  }
  void leaf_or_object(std::string& out, const Element& c) {
    if (!is_leaf(c)) return json_object(out, c);
    size_t b, en;
    content_pieces(items_, c, b, en);
    std::string text;
    append_text(text, items_.data() + b, items_.data() + en);
    json::append_string(out, text);
  }
  // A field from an element: its text when it is a plain leaf, else a JSON object.
  void element_field(const Element& c, std::string_view name) {
    Field f;
    f.name = ev_.add(name);
    if (is_leaf(c)) {
      f.value = content_text(c);
    } else {
      std::string json;
      json_object(json, c);
      f.value = ev_.add(json);
      f.json = true;
    }
    ev_.data.push_back(f);
  }

  void event_data(const Element& ed) {
    ev_.has_event_data = true;
    int unnamed = 0;
    for_each_child(items_, ed, [&](const Element& c) {
      const Name* name = items_[c.open].name;
      if (name->tag == Tag::kData) {
        Field f;
        f.name = attr_text(c, Tag::kName);
        if (!f.name.present || f.name.size == 0) f.name = ev_.add("param" + std::to_string(++unnamed));
        f.value = content_text(c);
        ev_.data.push_back(f);
      } else {
        element_field(c, name->text);
      }
    });
  }

  void user_data(const Element& ud) {
    ev_.has_event_data = true;
    for_each_child(items_, ud, [&](const Element& wrapper) {
      for_each_child(items_, wrapper, [&](const Element& c) { element_field(c, items_[c.open].name->text); });
    });
  }

 private:
  const std::vector<Item>& items_;
  EventRecord& ev_;
  std::string scratch_;
};

}  // namespace

void EventRecord::clear() {
  provider = provider_guid = event_source_name = channel = computer = user_sid = keywords =
      activity_id = message = Text{};
  event_id = qualifiers = version = level = task = opcode = record_id = execution_pid =
      execution_tid = std::nullopt;
  epoch = std::nullopt;
  time_ms = std::nullopt;
  data.clear();
  has_event_data = false;
  arena.clear();
}

Text EventRecord::add(std::string_view s) {
  Text t;
  t.offset = static_cast<uint32_t>(arena.size());
  arena.append(s);
  t.size = static_cast<uint32_t>(s.size());
  t.present = true;
  return t;
}

void EventRecord::add_field(std::string_view name, std::string_view value, bool json) {
  Field f;
  f.name = add(name);
  f.value = add(value);
  f.json = json;
  data.push_back(f);
}

std::optional<std::string_view> EventRecord::get(std::string_view name) const {
  for (const Field& f : data)
    if (view(f.name) == name) return view(f.value);
  return std::nullopt;
}

void EventRecord::set_time(double seconds) {
  if (!std::isfinite(seconds)) return;
  epoch = seconds;
  time_ms = timefmt::epoch_ms_from_seconds(seconds);
}

void EventRecord::set_time_filetime(uint64_t filetime) {
  if (!filetime_valid(filetime)) return;
  epoch = filetime_to_epoch(filetime);
  time_ms = filetime_to_epoch_ms(filetime);
}

void read_xml_event(const XmlStream& stream, EventRecord& ev, bool want_data) {
  ev.clear();
  const std::vector<Item>& items = stream.items;
  size_t root = 0;
  while (root < items.size() && items[root].kind != ItemKind::kOpen) ++root;
  if (root >= items.size()) return;
  Reader r(items, ev);
  const Element top = element_at(items, root);
  const Tag top_tag = items[root].name->tag;
  // Sentinel's EventData column holds the element alone.
  if (top_tag == Tag::kEventData) {
    if (want_data) r.event_data(top);
    return;
  }
  if (top_tag == Tag::kUserData) {
    if (want_data) r.user_data(top);
    return;
  }
  for_each_child(items, top, [&](const Element& c) {
    const Name* name = items[c.open].name;
    switch (name->tag) {
      case Tag::kSystem: r.system(c); break;
      case Tag::kEventData: if (want_data) r.event_data(c); break;
      case Tag::kUserData: if (want_data) r.user_data(c); break;
      case Tag::kRenderingInfo:
        for_each_child(items, c, [&](const Element& m) {
          if (items[m.open].name->tag == Tag::kMessage) ev.message = r.content_text(m);
        });
        break;
      default:
        // ProcessingErrorData and the like: fields like EventData's
        if (want_data && name->text == "ProcessingErrorData") r.event_data(c);
        break;
    }
  });
}

void append_event_data_json(std::string& out, const EventRecord& ev) {
  out += '{';
  const size_t n = ev.data.size();
  // Fields already written as part of an array (a bit per field; most events have < 64).
  uint64_t done_small = 0;
  std::vector<bool> done_big(n > 64 ? n : 0);
  auto done = [&](size_t i) { return n > 64 ? bool(done_big[i]) : ((done_small >> i) & 1) != 0; };
  auto mark = [&](size_t i) {
    if (n > 64) done_big[i] = true;
    else done_small |= uint64_t{1} << i;
  };
  auto value = [&](const Field& f) {
    if (f.json) out.append(ev.view(f.value));
    else json::append_string(out, ev.view(f.value));
  };
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    if (done(i)) continue;
    const std::string_view name = ev.view(ev.data[i].name);
    if (!first) out += ',';
    first = false;
    json::append_string(out, name);
    out += ':';
    bool repeated = false;
    for (size_t j = i + 1; j < n && !repeated; ++j) repeated = ev.view(ev.data[j].name) == name;
    if (!repeated) {
      value(ev.data[i]);
      continue;
    }
    out += '[';
    value(ev.data[i]);
    for (size_t j = i + 1; j < n; ++j) {
      if (ev.view(ev.data[j].name) != name) continue;
      out += ',';
      value(ev.data[j]);
      mark(j);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace sqlhunt::winevt
