// vtabs/audit_events/event_assembler.h — records to events, in a bounded window.
//
// An event is every record with the same (node, SECONDS.MILLIS, SERIAL), wherever it
// sits in the stream: records of concurrent events interleave, EOE may be missing, and
// a record may come after its event's EOE (the kernel emits records of one event from
// different contexts). So an event is not finished when EOE arrives; it stays open
// until the stream has moved on by a window:
//
//   kWindowRecords (10,000) records read after its last record, or
//   kWindowMs (10 s) of log time between its time and the newest record's,
//
// whichever comes first. Events come out in the order of their first record. Memory is
// bounded by the window (and by kMaxEventRecords per event), whatever the input size.
//
// A record whose event already left the window is not merged anywhere else: it becomes
// an event of its own whose error says so (64-bit fingerprints of the identities of at
// least the last kRecentEvents closed events are remembered for that, in fixed-size
// tables). A line that is not a record is an event of one line with its error. So every
// line of the input is in exactly one event.
#pragma once

#include <climits>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vtabs/audit_events/audit_source.h"
#include "vtabs/audit_events/field_picks.h"

namespace sqlhunt::audit {

inline constexpr uint64_t kWindowRecords = 10'000;
inline constexpr int64_t kWindowMs = 10'000;
inline constexpr size_t kMaxEventRecords = 10'000;
inline constexpr size_t kRecentEvents = 16'384;

struct Event {
  bool is_record = false;     // false: a line that is not a record (error says why)
  std::string node;
  int64_t epoch_ms = 0;
  uint64_t serial = 0;
  size_t file = 0;            // where the first record was read
  uint64_t line = 0;          // 0 when unknown (a window sought without counting lines)
  uint64_t offset = 0;        // byte offset of the first record's line in its file
  size_t record_count = 0;
  // The records' lines, each followed by '\n', and where each line and the parts of
  // its header are (kept only when the assembler keeps text; count(*) needs none).
  struct RecordSpan {
    uint64_t line;
    uint64_t offset;                      // of the line in its file
    uint32_t begin, size;                 // the line within raw
    uint32_t type_off, body_off, enriched_off;  // within the line
    uint32_t type_len, body_len, enriched_len;
    RecordKind kind;
  };
  std::string raw;
  std::vector<RecordSpan> spans;
  std::string error;          // "" when every record was fine
  // The fields a column query reads, picked ahead by the reader thread
  // (audit_event.h: prepare_event); picks.wanted is 0 when none were.
  Picks picks;

  uint64_t last_seq = 0;      // assembler bookkeeping: sequence number of the last record

  std::string_view record(size_t i) const { return std::string_view(raw).substr(spans[i].begin, spans[i].size); }
  std::string_view type(size_t i) const { return record(i).substr(spans[i].type_off, spans[i].type_len); }
  // Record i's header as the source parsed it (no second parse).
  RecordHeader header(size_t i) const {
    const RecordSpan& s = spans[i];
    const std::string_view line = record(i);
    RecordHeader h;
    h.node = node;
    h.epoch_ms = epoch_ms;
    h.serial = serial;
    h.type = line.substr(s.type_off, s.type_len);
    h.body = line.substr(s.body_off, s.body_len);
    h.enriched = line.substr(s.enriched_off, s.enriched_len);
    return h;
  }
};

// The fingerprints of recently closed events: at least the last `capacity`, at most
// twice as many. Two open-addressing sets (linear probing, no deletion): new
// fingerprints go into the current one; when it holds `capacity`, the older one is
// cleared and becomes the current. Remembering one costs a probe and no allocation.
class RecentFingerprints {
 public:
  explicit RecentFingerprints(size_t capacity);
  bool contains(uint64_t fingerprint) const;
  void insert(uint64_t fingerprint);

 private:
  // (fingerprints have their low bit set, to never be 0: it is not used for the slot)
  size_t home(uint64_t fp) const { return static_cast<size_t>(fp >> 1) & mask_; }
  static bool in(const std::vector<uint64_t>& t, size_t mask, uint64_t fp);

  size_t capacity_;
  std::vector<uint64_t> current_, older_;  // 0 = empty; fingerprints are never 0
  size_t count_ = 0;                       // in current_
  size_t mask_;
};

// The open events by identity: an open-addressing table of (fingerprint, event)
// with linear probing and backward-shift deletion, grown as needed (a log of
// single-record events keeps up to ~30,000 open). Events of one fingerprint are told
// apart by their whole identity.
class OpenEvents {
 public:
  OpenEvents() : slots_(1024), mask_(1023) {}
  Event* find(uint64_t fp, std::string_view node, int64_t epoch_ms, uint64_t serial) const;
  void insert(uint64_t fp, Event* e);
  void erase(uint64_t fp, const Event* e);  // no-op when `e` is not in the table

 private:
  struct Slot {
    uint64_t fp = 0;  // 0 = empty
    Event* event = nullptr;
  };
  size_t home(uint64_t fp) const { return static_cast<size_t>(fp >> 1) & mask_; }
  void grow();

  std::vector<Slot> slots_;
  size_t mask_;
  size_t size_ = 0;
};

class EventAssembler {
 public:
  // keep_text: store each record's line (every column but the identity needs it).
  explicit EventAssembler(bool keep_text) : keep_text_(keep_text) {}
  EventAssembler(const EventAssembler&) = delete;
  EventAssembler& operator=(const EventAssembler&) = delete;

  // Adds one line from the source.
  void add(const SourceLine& line);
  // No more input: every open event may come out.
  void finish() { finished_ = true; }
  // The next finished event, or nullptr when none is ready (call add() or finish()).
  // The event stays valid until the next call to pop().
  Event* pop();
  // The same, handing the event over; give it back with recycle() to reuse its buffers.
  std::unique_ptr<Event> take();
  void recycle(std::unique_ptr<Event> e);

 private:
  std::unique_ptr<Event> make_event();
  void append_record(Event& e, const SourceLine& line);
  bool front_is_closed() const;
  static uint64_t fingerprint(std::string_view node, int64_t epoch_ms, uint64_t serial);

  bool keep_text_;
  bool finished_ = false;
  uint64_t seq_ = 0;
  int64_t newest_ms_ = 0;
  int64_t newest_closed_ms_ = INT64_MIN;
  size_t buffered_records_ = 0;
  std::deque<std::unique_ptr<Event>> order_;          // open events, by first record
  OpenEvents open_;
  // The highest serial of any event made: a record with a higher one starts a new
  // event without a lookup (nearly every event of a log, whose serials rise).
  uint64_t hi_serial_ = 0;
  bool any_event_ = false;
  std::unique_ptr<Event> popped_;                     // the event handed out last
  Event* last_ = nullptr;                             // the open event of the last record
  std::vector<std::unique_ptr<Event>> free_;          // recycled, to keep their buffers
  // Recently closed events, to name a late record for what it is.
  RecentFingerprints recent_{kRecentEvents};
};

}  // namespace sqlhunt::audit
