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
// an event of its own whose error says so (the identities of the last kRecentEvents
// events are remembered for that). A line that is not a record is an event of one line
// with its error. So every line of the input is in exactly one event.
#pragma once

#include <climits>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vtabs/audit_events/audit_source.h"

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
  uint64_t line = 0;
  size_t record_count = 0;
  // The records' lines, each followed by '\n', and where each starts in `raw` (kept
  // only when the assembler keeps text; count(*) needs none of it).
  std::string raw;
  std::vector<uint32_t> record_offsets;
  std::vector<uint64_t> record_lines;
  std::string error;          // "" when every record was fine

  uint64_t last_seq = 0;      // assembler bookkeeping: sequence number of the last record

  std::string_view record(size_t i) const {
    const size_t b = record_offsets[i];
    const size_t e = i + 1 < record_offsets.size() ? record_offsets[i + 1] : raw.size();
    return std::string_view(raw).substr(b, e - b - 1);
  }
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

 private:
  struct Key {
    std::string_view node;  // points into the owning Event (or the recent ring)
    int64_t epoch_ms;
    uint64_t serial;
    bool operator==(const Key& o) const {
      return epoch_ms == o.epoch_ms && serial == o.serial && node == o.node;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };

  std::unique_ptr<Event> make_event();
  void append_record(Event& e, const SourceLine& line);
  bool front_is_closed() const;
  void remember_closed(const Event& e);

  bool keep_text_;
  bool finished_ = false;
  uint64_t seq_ = 0;
  int64_t newest_ms_ = 0;
  int64_t newest_closed_ms_ = INT64_MIN;
  size_t buffered_records_ = 0;
  std::deque<std::unique_ptr<Event>> order_;          // open events, by first record
  std::unordered_map<Key, Event*, KeyHash> open_;
  std::unique_ptr<Event> popped_;                     // the event handed out last
  std::vector<std::unique_ptr<Event>> free_;          // recycled, to keep their buffers
  // Identities of recently closed events, to name a late record for what it is.
  std::deque<std::pair<std::string, Key>> recent_;
  std::unordered_set<Key, KeyHash> recent_set_;
};

}  // namespace sqlhunt::audit
