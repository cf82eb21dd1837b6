#include "vtabs/win_events/binxml.h"

#include <cstdio>

#include "vtabs/win_events/evtx_value.h"

namespace sqlhunt::winevt {
namespace {

std::string at(const char* what, uint32_t offset) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s at chunk offset %u", what, offset);
  return buf;
}

Item structure(ItemKind kind, const Name* name = nullptr) {
  Item it{};
  it.kind = kind;
  it.name = name;
  return it;
}

Item piece(ItemKind kind, const void* data, uint32_t size, uint8_t vtype = 0) {
  Item it{};
  it.kind = kind;
  it.vtype = vtype;
  it.size = size;
  it.data = data;
  return it;
}

}  // namespace

void ChunkContext::reset(const uint8_t* data, size_t size) {
  chunk_ = data;
  size_ = static_cast<uint32_t>(size);
  names_.clear();
  templates_.clear();
  values_.clear();
}

bool ChunkContext::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

const Name* ChunkContext::name_at(uint32_t offset, uint32_t& pos) {
  // A name struct: next-name offset (4), hash (2), characters (2), UTF-16, NUL (2).
  // When its offset is where we are reading, it is stored right here and read past.
  const bool inline_here = offset == pos;
  auto found = names_.find(offset);
  if (found == names_.end()) {
    if (uint64_t{offset} + 8 > size_) return fail(at("name offset past the chunk's end", offset)), nullptr;
    const uint32_t chars = le16(chunk_ + offset + 6);
    if (uint64_t{offset} + 10 + 2ull * chars > size_) return fail(at("name runs past the chunk's end", offset)), nullptr;
    // MS-EVEN6's NameHash: the low 16 bits of h = h * 65599 + unit over the UTF-16 units.
    // Checking it keeps a recovered record from taking overwritten bytes for a name.
    uint32_t hash = 0;
    for (uint32_t i = 0; i < chars; ++i) hash = hash * 65599u + le16(chunk_ + offset + 8 + 2 * i);
    if ((hash & 0xffff) != le16(chunk_ + offset + 4))
      return fail(at("name fails its hash check (overwritten?)", offset)), nullptr;
    std::string text;
    append_utf16(text, chunk_ + offset + 8, 2ull * chars);
    found = names_.emplace(offset, Name(std::move(text))).first;
  }
  if (inline_here) pos += 10 + 2u * le16(chunk_ + offset + 6);
  return &found->second;
}

const ChunkContext::Template& ChunkContext::template_at(uint32_t offset) {
  auto found = templates_.find(offset);
  if (found != templates_.end()) return found->second;
  Template& t = templates_[offset];
  ++templates_compiled_;
  // Definition: next-definition offset (4), GUID (16), data size (4), then the data: a
  // fragment header, the template's tokens, end of stream.
  if (uint64_t{offset} + 28 > size_) {
    t.error = at("template definition past the chunk's end", offset);
    return t;
  }
  const uint32_t data_size = le32(chunk_ + offset + 20);
  if (uint64_t{offset} + 24 + data_size > size_) {
    t.error = at("template definition runs past the chunk's end", offset);
    return t;
  }
  if (chunk_[offset + 24] != 0x0f || chunk_[offset + 25] != 0x01 || chunk_[offset + 26] != 0x01) {
    t.error = at("no template definition", offset);
    return t;
  }
  t.guid_head = le32(chunk_ + offset + 4);
  uint32_t pos = offset + 24;
  std::string saved = std::move(error_);
  error_.clear();
  if (!read_tokens(pos, offset + 24 + data_size, Mode::kTemplate, t.items, 0)) {
    t.error = "template: " + error_;
  }
  error_ = std::move(saved);
  // Where each element closes (array values repeat whole elements), and which optional
  // substitution its content holds (a NULL value there means no element).
  t.close_of.assign(t.items.size(), 0);
  t.optional_of.assign(t.items.size(), -1);
  std::vector<uint32_t> open;
  std::vector<bool> in_content;
  for (uint32_t i = 0; i < t.items.size(); ++i) {
    const Item& it = t.items[i];
    if (it.kind == ItemKind::kOpen) {
      open.push_back(i);
      in_content.push_back(false);
    } else if (open.empty()) {
      continue;
    } else if (it.kind == ItemKind::kContent) {
      in_content.back() = true;
    } else if (it.kind == ItemKind::kClose) {
      t.close_of[open.back()] = i;
      open.pop_back();
      in_content.pop_back();
    } else if (it.kind == ItemKind::kSubst && it.size == 1 && in_content.back() &&
               t.optional_of[open.back()] < 0) {
      t.optional_of[open.back()] = it.index;
    }
  }
  if (!open.empty() && t.error.empty()) t.error = at("template element not closed", offset);
  if (t.error.empty()) find_probe_slots(t);
  return t;
}

// The substitution slots holding System/EventID, System/TimeCreated/@SystemTime and
// System/EventRecordID, when each is the only piece of its text.
void ChunkContext::find_probe_slots(Template& t) {
  Tag path[4] = {};
  int depth = 0;
  Tag attr = Tag::kOther;
  int* target = nullptr;  // the slot being collected for the current text
  int pieces = 0;
  auto settle = [&] {
    if (target && pieces != 1) *target = -1;
    target = nullptr;
    pieces = 0;
  };
  for (const Item& it : t.items) {
    switch (it.kind) {
      case ItemKind::kOpen:
        settle();
        if (depth < 4) path[depth] = it.name->tag;
        ++depth;
        attr = Tag::kOther;
        break;
      case ItemKind::kClose:
        settle();
        if (depth > 0) --depth;
        attr = Tag::kOther;
        break;
      case ItemKind::kAttr:
        settle();
        attr = it.name->tag;
        break;
      case ItemKind::kContent:
        settle();
        attr = Tag::kOther;
        break;
      default: {
        const bool in_system = depth == 3 && path[0] == Tag::kEvent && path[1] == Tag::kSystem;
        int* slot = nullptr;
        if (in_system && path[2] == Tag::kTimeCreated && attr == Tag::kSystemTime) slot = &t.time_slot;
        if (in_system && path[2] == Tag::kEventID && attr == Tag::kOther) slot = &t.event_id_slot;
        if (in_system && path[2] == Tag::kEventRecordID && attr == Tag::kOther) slot = &t.record_id_slot;
        if (!slot) break;
        if (target != slot) {
          settle();
          target = slot;
        }
        ++pieces;
        *slot = it.kind == ItemKind::kSubst ? it.index : -1;
      }
    }
  }
  settle();
}

bool ChunkContext::read_tokens(uint32_t& pos, uint32_t end, Mode mode, std::vector<Item>& out,
                               int nesting) {
  const bool dependency_id = mode == Mode::kTemplate;
  int depth = 0;
  auto need = [&](uint32_t n) { return uint64_t{pos} + n <= end; };
  while (pos < end) {
    if (out.size() > kMaxItems) return fail("record expands to more than 1M XML items");
    const uint8_t token = chunk_[pos];
    switch (token) {
      case 0x00:  // end of stream
        ++pos;
        if (depth != 0) return fail(at("end of stream inside an element", pos - 1));
        return true;
      case 0x01: case 0x41: {  // open start element
        const uint32_t start = pos++;
        if (dependency_id) pos += 2;
        if (!need(8)) return fail(at("element start cut short", start));
        const uint32_t name_offset = le32(chunk_ + pos + 4);
        pos += 8;
        const Name* name = name_at(name_offset, pos);
        if (!name) return false;
        if (token == 0x41) {
          if (!need(4)) return fail(at("attribute list cut short", start));
          pos += 4;
        }
        out.push_back(structure(ItemKind::kOpen, name));
        ++depth;
        break;
      }
      case 0x02:  // close start element: content follows
        ++pos;
        out.push_back(structure(ItemKind::kContent));
        break;
      case 0x03: case 0x04:  // close empty element, end element
        if (depth == 0) return fail(at("element end without a start", pos));
        ++pos;
        --depth;
        out.push_back(structure(ItemKind::kClose));
        break;
      case 0x05: case 0x45: {  // value text
        const uint32_t start = pos;
        if (!need(4)) return fail(at("value cut short", start));
        const uint8_t type = chunk_[pos + 1];
        if (type != vt::kString) return fail(at("value text of a type other than string", start));
        const uint32_t bytes = 2u * le16(chunk_ + pos + 2);
        pos += 4;
        if (!need(bytes)) return fail(at("value text runs past its end", start));
        out.push_back(piece(ItemKind::kUtf16, chunk_ + pos, bytes));
        pos += bytes;
        break;
      }
      case 0x06: case 0x46: {  // attribute
        const uint32_t start = pos++;
        if (!need(4)) return fail(at("attribute cut short", start));
        const uint32_t name_offset = le32(chunk_ + pos);
        pos += 4;
        const Name* name = name_at(name_offset, pos);
        if (!name) return false;
        out.push_back(structure(ItemKind::kAttr, name));
        break;
      }
      case 0x07: case 0x47: case 0x0b: {  // CDATA section, PI data: UTF-16 text
        const uint32_t start = pos;
        if (!need(3)) return fail(at("text cut short", start));
        const uint32_t bytes = 2u * le16(chunk_ + pos + 1);
        pos += 3;
        if (!need(bytes)) return fail(at("text runs past its end", start));
        out.push_back(piece(token == 0x0b ? ItemKind::kPIData : ItemKind::kUtf16, chunk_ + pos, bytes));
        pos += bytes;
        break;
      }
      case 0x08: case 0x48: {  // character reference
        if (!need(3)) return fail(at("character reference cut short", pos));
        Item it = piece(ItemKind::kCharRef, nullptr, le16(chunk_ + pos + 1));
        out.push_back(it);
        pos += 3;
        break;
      }
      case 0x09: case 0x49: case 0x0a: {  // entity reference, PI target: a name
        const uint32_t start = pos++;
        if (!need(4)) return fail(at("reference cut short", start));
        const uint32_t name_offset = le32(chunk_ + pos);
        pos += 4;
        const Name* name = name_at(name_offset, pos);
        if (!name) return false;
        out.push_back(structure(token == 0x0a ? ItemKind::kPITarget : ItemKind::kEntityRef, name));
        break;
      }
      case 0x0c:  // template instance
        if (mode == Mode::kTemplate) return fail(at("template instance inside a template", pos));
        if (!read_instance(pos, end, out, nesting)) return false;
        break;
      case 0x0d: case 0x0e: {  // normal, optional substitution
        if (mode != Mode::kTemplate) return fail(at("substitution outside a template", pos));
        if (!need(4)) return fail(at("substitution cut short", pos));
        Item it{};
        it.kind = ItemKind::kSubst;
        it.index = le16(chunk_ + pos + 1);
        it.vtype = chunk_[pos + 3];
        it.size = token == 0x0e ? 1 : 0;
        out.push_back(it);
        pos += 4;
        break;
      }
      case 0x0f:  // fragment header: version 1.1, flags
        if (!need(4)) return fail(at("fragment header cut short", pos));
        pos += 4;
        break;
      default: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "unknown binary XML token 0x%02x", token);
        return fail(at(buf, pos));
      }
    }
  }
  if (depth != 0) return fail(at("binary XML ends inside an element", pos));
  return true;
}

bool ChunkContext::read_instance_header(uint32_t& pos, uint32_t end, uint32_t& def_offset,
                                        uint32_t& template_id, size_t& value_count) {
  // 0x0c, unknown (1), template id (4), definition offset (4); the definition itself
  // follows when its offset is right here; then the value count, descriptors (size 2,
  // type 1, unused 1) and the values.
  const uint32_t start = pos;
  if (uint64_t{pos} + 10 > end) return fail(at("template instance cut short", start));
  template_id = le32(chunk_ + pos + 2);
  def_offset = le32(chunk_ + pos + 6);
  pos += 10;
  if (def_offset == pos) {
    if (uint64_t{pos} + 24 > end) return fail(at("template definition cut short", pos));
    const uint64_t skip = 24ull + le32(chunk_ + pos + 20);
    if (pos + skip > end) return fail(at("template definition runs past the record", pos));
    pos += static_cast<uint32_t>(skip);
  }
  if (uint64_t{pos} + 4 > end) return fail(at("template values cut short", pos));
  const uint32_t count = le32(chunk_ + pos);
  pos += 4;
  if (uint64_t{pos} + 4ull * count > end) return fail(at("template value descriptors run past the record", start));
  const uint32_t descriptors = pos;
  pos += 4 * count;
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* d = chunk_ + descriptors + 4 * i;
    const uint32_t size = le16(d);
    if (uint64_t{pos} + size > end) return fail(at("template values run past the record", start));
    values_.push_back(Value{chunk_ + pos, size, d[2]});
    pos += size;
  }
  value_count = count;
  return true;
}

bool ChunkContext::read_instance(uint32_t& pos, uint32_t end, std::vector<Item>& out, int nesting) {
  const uint32_t start = pos;
  const size_t base = values_.size();
  uint32_t def_offset = 0, template_id = 0;
  size_t count = 0;
  bool ok = read_instance_header(pos, end, def_offset, template_id, count);
  if (ok) {
    const Template& t = template_at(def_offset);
    if (!t.error.empty()) {
      ok = fail(t.error + " (used at chunk offset " + std::to_string(start) + ")");
    } else if (t.guid_head != template_id) {
      // An instance names its template by the first 4 bytes of the definition's GUID
      // (true of every record in the shared samples); a definition that differs was
      // written over (a recovered record from an earlier use of the chunk).
      ok = fail(at("the template definition an instance refers to is not the one it names "
                   "(overwritten)", def_offset));
    } else {
      bool arrays = false;
      for (size_t i = 0; i < count; ++i) arrays |= (values_[base + i].type & vt::kArray) != 0;
      ok = emit(t, 0, t.items.size(), base, count, arrays, out, nesting);
    }
  }
  values_.resize(base);
  return ok;
}

bool ChunkContext::emit_value(const Value& v, std::vector<Item>& out, int nesting) {
  if (v.type == vt::kNull || v.size == 0) return true;
  if (v.type == vt::kBinXml) {
    if (nesting + 1 >= kMaxNesting) return fail("binary XML nested more than 16 deep");
    uint32_t pos = static_cast<uint32_t>(v.data - chunk_);
    return read_tokens(pos, pos + v.size, Mode::kNested, out, nesting + 1);
  }
  out.push_back(piece(ItemKind::kValue, v.data, v.size, v.type));
  return true;
}

// Copies template items [begin, end) to `out`, each substitution replaced by its value.
bool ChunkContext::emit(const Template& t, size_t begin, size_t end, size_t base,
                        size_t count, bool arrays, std::vector<Item>& out, int nesting) {
  // An attribute is pushed when its name comes, and popped again if nothing of its value
  // followed (an optional substitution without a value).
  bool attr_pending = false;
  auto settle_attr = [&] {
    if (attr_pending) out.pop_back();
    attr_pending = false;
  };
  auto structural = [&](const Item& it) {
    settle_attr();
    out.push_back(it);
  };
  for (size_t i = begin; i < end; ++i) {
    const Item& it = t.items[i];
    switch (it.kind) {
      case ItemKind::kSubst: {
        if (it.index >= count) break;  // a slot the instance has no value for: empty
        const size_t before = out.size();
        const Value v = values_[base + it.index];
        if (!emit_value(v, out, nesting)) return false;
        if (out.size() != before) attr_pending = false;
        break;
      }
      case ItemKind::kOpen: {
        const int optional = t.optional_of[i];
        if (optional >= 0 && (static_cast<size_t>(optional) >= count ||
                              values_[base + optional].type == vt::kNull)) {
          i = t.close_of[i];  // not created
          break;
        }
        if (arrays) {
          // An array value directly inside this element repeats the element per item.
          const size_t close = t.close_of[i];
          int depth = 0;
          int slot = -1;
          for (size_t k = i + 1; k < close && slot < 0; ++k) {
            const Item& c = t.items[k];
            if (c.kind == ItemKind::kOpen) ++depth;
            else if (c.kind == ItemKind::kClose) --depth;
            else if (depth == 0 && c.kind == ItemKind::kSubst && c.index < count &&
                     (values_[base + c.index].type & vt::kArray) &&
                     element_count(values_[base + c.index].type, values_[base + c.index].data,
                                   values_[base + c.index].size) > 1)
              slot = c.index;
          }
          if (slot >= 0) {
            settle_attr();
            const Value array = values_[base + slot];
            bool ok = true;
            for_each_element(array.type, array.data, array.size,
                             [&](uint8_t type, const uint8_t* p, size_t n) {
                               if (!ok) return;
                               // a frame of values with the array's slot set to this item
                               const size_t frame = values_.size();
                               for (size_t k = 0; k < count; ++k) {
                                 const Value copy = values_[base + k];
                                 values_.push_back(copy);
                               }
                               values_[frame + slot] = Value{p, static_cast<uint32_t>(n), type};
                               ok = emit(t, i, close + 1, frame, count, false, out, nesting);
                               values_.resize(frame);
                             });
            if (!ok) return false;
            i = close;
            break;
          }
        }
        structural(it);
        break;
      }
      case ItemKind::kAttr:
        structural(it);
        attr_pending = true;
        break;
      case ItemKind::kContent: case ItemKind::kClose: case ItemKind::kPITarget:
        structural(it);
        break;
      default:  // text pieces
        out.push_back(it);
        attr_pending = false;
    }
    if (out.size() > kMaxItems) return fail("record expands to more than 1M XML items");
  }
  if (attr_pending) out.pop_back();
  return true;
}

std::string ChunkContext::expand(uint32_t begin, uint32_t end, XmlStream& out) {
  out.clear();
  error_.clear();
  values_.clear();
  if (end > size_ || begin > end) return at("record data outside the chunk", begin);
  uint32_t pos = begin;
  read_tokens(pos, end, Mode::kRecord, out.items, 0);
  return std::move(error_);
}

bool ChunkContext::probe(uint32_t begin, uint32_t end, Probe& out) {
  out = Probe{};
  if (end > size_ || begin > end) return false;
  uint32_t pos = begin;
  if (pos + 4 <= end && chunk_[pos] == 0x0f) pos += 4;
  if (pos >= end || chunk_[pos] != 0x0c) return false;
  error_.clear();
  values_.clear();
  uint32_t def_offset = 0, template_id = 0;
  size_t count = 0;
  if (!read_instance_header(pos, end, def_offset, template_id, count)) {
    values_.clear();
    error_.clear();
    return false;
  }
  const Template& t = template_at(def_offset);
  if (!t.error.empty() || t.guid_head != template_id) {
    values_.clear();
    return false;
  }
  auto slot = [&](int s) -> const Value* {
    return s >= 0 && static_cast<size_t>(s) < count ? &values_[s] : nullptr;
  };
  if (const Value* v = slot(t.event_id_slot)) out.event_id = value_as_uint(v->type, v->data, v->size);
  if (const Value* v = slot(t.record_id_slot)) out.record_id = value_as_uint(v->type, v->data, v->size);
  if (const Value* v = slot(t.time_slot))
    if (v->type == vt::kFileTime && v->size == 8) out.filetime = le64(v->data);
  values_.clear();
  return true;
}

}  // namespace sqlhunt::winevt
