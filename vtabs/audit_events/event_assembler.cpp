#include "vtabs/audit_events/event_assembler.h"

#include <cstdlib>
#include <functional>

namespace sqlhunt::audit {

size_t EventAssembler::KeyHash::operator()(const Key& k) const {
  uint64_t h = static_cast<uint64_t>(k.epoch_ms) * 0x9E3779B97F4A7C15ull;
  h ^= (k.serial + 0x632BE59BD9B4E019ull) + (h << 6) + (h >> 2);
  if (!k.node.empty()) h ^= std::hash<std::string_view>{}(k.node) * 0xff51afd7ed558ccdull;
  return static_cast<size_t>(h ^ (h >> 29));
}

std::unique_ptr<Event> EventAssembler::make_event() {
  if (free_.empty()) return std::make_unique<Event>();
  std::unique_ptr<Event> e = std::move(free_.back());
  free_.pop_back();
  e->is_record = false;
  e->node.clear();
  e->epoch_ms = 0;
  e->serial = 0;
  e->file = 0;
  e->line = 0;
  e->record_count = 0;
  e->raw.clear();
  e->record_offsets.clear();
  e->record_lines.clear();
  e->error.clear();
  e->last_seq = 0;
  return e;
}

void EventAssembler::append_record(Event& e, const SourceLine& in) {
  if (e.record_count == 0) {
    e.file = in.file;
    e.line = in.line.number;
  }
  ++e.record_count;
  ++buffered_records_;
  e.last_seq = seq_;
  if (keep_text_) {
    e.record_offsets.push_back(static_cast<uint32_t>(e.raw.size()));
    e.record_lines.push_back(in.line.number);
    e.raw.append(in.line.text.data(), in.line.text.size());
    e.raw.push_back('\n');
  }
  if (!in.error.empty()) {
    if (!e.error.empty()) e.error += "; ";
    if (e.is_record) e.error += "line " + std::to_string(in.line.number) + ": ";
    e.error += in.error;
  }
}

void EventAssembler::add(const SourceLine& in) {
  ++seq_;
  if (!in.is_record) {
    auto e = make_event();
    append_record(*e, in);
    order_.push_back(std::move(e));
    return;
  }
  const RecordHeader& h = in.header;
  newest_ms_ = h.epoch_ms;
  auto it = open_.find(Key{h.node, h.epoch_ms, h.serial});
  if (it != open_.end() && it->second->record_count < kMaxEventRecords) {
    append_record(*it->second, in);
    return;
  }
  auto e = make_event();
  e->is_record = true;
  e->node.assign(h.node.data(), h.node.size());
  e->epoch_ms = h.epoch_ms;
  e->serial = h.serial;
  if (it != open_.end()) {
    e->error = "more than " + std::to_string(kMaxEventRecords) +
               " records share this event's node, time and serial: the rest are a new row";
    open_.erase(it);  // the full event stays in order_ and closes in its turn
  } else if (h.epoch_ms <= newest_closed_ms_ && recent_set_.count(Key{h.node, h.epoch_ms, h.serial})) {
    // (A record newer than every closed event cannot be late: that test spares the
    // set lookup for nearly every event of a log written in time order.)
    e->error = "late record: the other records of its event (same node, time and serial) "
               "had already left the reassembly window (" + std::to_string(kWindowRecords) +
               " records or " + std::to_string(kWindowMs / 1000) + " s), so it is a row of its own";
  }
  append_record(*e, in);
  open_.emplace(Key{e->node, e->epoch_ms, e->serial}, e.get());
  order_.push_back(std::move(e));
}

bool EventAssembler::front_is_closed() const {
  if (order_.empty()) return false;
  if (finished_) return true;
  const Event& f = *order_.front();
  if (!f.is_record) return true;
  if (seq_ - f.last_seq >= kWindowRecords) return true;
  if (std::llabs(newest_ms_ - f.epoch_ms) > kWindowMs) return true;
  // Events behind a front that keeps growing: bound what is held in any case.
  return buffered_records_ > 2 * kWindowRecords + kMaxEventRecords;
}

void EventAssembler::remember_closed(const Event& e) {
  Key k{e.node, e.epoch_ms, e.serial};
  if (e.epoch_ms > newest_closed_ms_) newest_closed_ms_ = e.epoch_ms;
  else if (recent_set_.count(k)) return;
  recent_.emplace_back(e.node, k);
  recent_.back().second.node = recent_.back().first;  // point into the ring's own copy
  recent_set_.insert(recent_.back().second);
  if (recent_.size() > kRecentEvents) {
    recent_set_.erase(recent_.front().second);
    recent_.pop_front();
  }
}

Event* EventAssembler::pop() {
  // Recycle the last event's buffers, unless a huge line made them huge.
  if (popped_ && popped_->raw.capacity() <= (1u << 20)) free_.push_back(std::move(popped_));
  popped_.reset();
  if (!front_is_closed()) return nullptr;
  popped_ = std::move(order_.front());
  order_.pop_front();
  buffered_records_ -= popped_->record_count;
  if (popped_->is_record) {
    auto it = open_.find(Key{popped_->node, popped_->epoch_ms, popped_->serial});
    if (it != open_.end() && it->second == popped_.get()) open_.erase(it);
    remember_closed(*popped_);
  }
  return popped_.get();
}

}  // namespace sqlhunt::audit
