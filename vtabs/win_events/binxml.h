// vtabs/win_events/binxml.h — EVTX binary XML, expanded into an XmlStream.
//
// The format is libyal's "Windows XML Event Log (EVTX)" document (section Binary XML)
// and MS-EVEN6 2.2.12: a record's event is a fragment holding a template instance (a
// reference to a template definition somewhere in the same chunk, plus the typed values
// of its substitutions); the definition is a token stream (elements, attributes, text,
// substitution slots). Names are stored once per chunk and referenced by chunk offset.
//
// How it is read fast:
//   * a name is decoded from UTF-16 once per chunk, with its Tag (xml_stream.h);
//   * a template definition is compiled once per chunk into a vector of Items, where
//     each substitution slot is a kSubst item; an instance then is a copy of that vector
//     with the slots replaced by pointers to its values. No value is decoded here: the
//     stream points into the chunk and text is made only for the columns a query reads;
//   * probe() reads a record's EventID and TimeCreated straight from its substitution
//     values (the compiled template knows which slots hold them), so a query filtering on
//     event_id or time skips the expansion of records it does not want.
//
// What it follows from the format documents (and where they are silent, the Rust
// `evtx` crate and libevtx, which agree):
//   * element starts carry a 2-byte dependency identifier inside template definitions
//     only, not in elements written directly in a record or in a nested Binary XML value;
//   * an element whose content is an optional substitution (0x0e) with a NULL value is
//     not created (libyal; evtxexport agrees: no empty <Binary/> in classic events); an
//     empty value writes nothing, and an attribute left without any value is dropped
//     (<Correlation/>, <Security/>);
//   * an array value (type | 0x80) repeats the element that holds it once per item
//     (MS-EVEN6 3.1.4.7.5): <Data Name="X">%1</Data> with ["a","b"] is two Data elements;
//   * a Binary XML value (type 0x21) is itself a fragment, expanded in place.
// Limits, so that no input can make it loop or grow without bound: nested Binary XML 16
// deep, 1M items per record (a small record can reference a large template many times).
// Every read is bounds-checked against the chunk; any inconsistency stops the record with
// a message saying what and where (chunk offset), keeping what was read before it. Two
// checks guard against bytes that were overwritten (records recovered from slack refer
// to templates and names of an earlier use of the chunk): a name's stored hash must be
// MS-EVEN6's NameHash of its characters, and a template instance's template id must be
// the first 4 bytes of its definition's GUID (true of every record in the samples).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vtabs/win_events/xml_stream.h"

namespace sqlhunt::winevt {

struct Probe {
  std::optional<uint64_t> event_id;   // System/EventID
  std::optional<uint64_t> filetime;   // System/TimeCreated/@SystemTime
  std::optional<uint64_t> record_id;  // System/EventRecordID
};

class ChunkContext {
 public:
  static constexpr int kMaxNesting = 16;
  static constexpr size_t kMaxItems = 1u << 20;

  // Starts a chunk: `data` holds its bytes (fewer than 64 KiB when a file is cut short).
  // Forgets every name and template of the chunk before.
  void reset(const uint8_t* data, size_t size);

  // Expands the binary XML at chunk offsets [begin, end) (a record's event data) into
  // `out` (cleared first). Returns "" or why it stopped; `out` then holds what was read.
  std::string expand(uint32_t begin, uint32_t end, XmlStream& out);

  // EventID, TimeCreated and EventRecordID of the record whose event data is at
  // [begin, end), read without expanding it; each is set when its template holds it in
  // a substitution. False when the record is not a template instance (the caller then
  // expands it to know).
  bool probe(uint32_t begin, uint32_t end, Probe& out);

  size_t templates_compiled() const { return templates_compiled_; }

 private:
  enum class Mode { kTemplate, kRecord, kNested };
  struct Value {
    const uint8_t* data;
    uint32_t size;
    uint8_t type;
  };
  struct Template {
    std::vector<Item> items;
    std::vector<uint32_t> close_of;  // for each kOpen item: the index of its kClose
    std::vector<int32_t> optional_of;  // for each kOpen item: the optional substitution
                                       // its content holds (-1: none)
    std::string error;               // non-empty: the definition could not be read
    uint32_t guid_head = 0;
    int time_slot = -1, event_id_slot = -1, record_id_slot = -1;  // what the probe reads
  };

  bool read_tokens(uint32_t& pos, uint32_t end, Mode mode, std::vector<Item>& out,
                   int nesting);
  bool read_instance(uint32_t& pos, uint32_t end, std::vector<Item>& out, int nesting);
  // Reads an instance's header: the template's offset, its values (pushed on values_),
  // and moves `pos` past it all.
  bool read_instance_header(uint32_t& pos, uint32_t end, uint32_t& def_offset,
                            uint32_t& template_id, size_t& value_count);
  bool emit(const Template& t, size_t begin, size_t end, size_t values_base,
            size_t value_count, bool arrays, std::vector<Item>& out, int nesting);
  bool emit_value(const Value& v, std::vector<Item>& out, int nesting);
  const Name* name_at(uint32_t offset, uint32_t& pos);
  const Template& template_at(uint32_t offset);
  void find_probe_slots(Template& t);
  bool fail(std::string message);

  const uint8_t* chunk_ = nullptr;
  uint32_t size_ = 0;
  std::unordered_map<uint32_t, Name> names_;
  std::unordered_map<uint32_t, Template> templates_;
  std::vector<Value> values_;  // a stack: each instance being expanded owns a frame
  std::string error_;
  size_t templates_compiled_ = 0;
};

}  // namespace sqlhunt::winevt
