#include "vtabs/audit_events/event_assembler.h"

#include <cstdlib>
#include <functional>

namespace sqlhunt::audit {

namespace {
uint64_t mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

RecentFingerprints::RecentFingerprints(size_t capacity) : ring_(capacity) {
  size_t slots = 1;
  while (slots < capacity * 2) slots <<= 1;  // load factor <= 1/2
  table_.assign(slots, 0);
  mask_ = slots - 1;
}

bool RecentFingerprints::contains(uint64_t fp) const {
  for (size_t i = home(fp);; i = (i + 1) & mask_) {
    if (table_[i] == fp) return true;
    if (table_[i] == 0) return false;
  }
}

void RecentFingerprints::insert(uint64_t fp) {
  if (size_ == ring_.size()) {
    const uint64_t oldest = ring_[head_];
    head_ = (head_ + 1) % ring_.size();
    --size_;
    erase(oldest);
  }
  ring_[(head_ + size_) % ring_.size()] = fp;
  ++size_;
  size_t i = home(fp);
  while (table_[i] != 0) i = (i + 1) & mask_;
  table_[i] = fp;
}

void RecentFingerprints::erase(uint64_t fp) {
  size_t i = home(fp);
  while (table_[i] != fp) {
    if (table_[i] == 0) return;
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion: pull later entries of the probe run into the hole.
  for (size_t j = i;;) {
    j = (j + 1) & mask_;
    if (table_[j] == 0) break;
    const size_t k = home(table_[j]);
    const bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    table_[i] = table_[j];
    i = j;
  }
  table_[i] = 0;
}

size_t EventAssembler::KeyHash::operator()(const Key& k) const {
  return static_cast<size_t>(fingerprint(k));
}

uint64_t EventAssembler::fingerprint(const Key& k) {
  uint64_t h = mix(static_cast<uint64_t>(k.epoch_ms) ^ mix(k.serial + 0x9E3779B97F4A7C15ull));
  if (!k.node.empty()) h = mix(h ^ std::hash<std::string_view>{}(k.node));
  return h | 1;  // never 0, the table's empty mark
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
  e->offset = 0;
  e->record_count = 0;
  e->raw.clear();
  e->spans.clear();
  e->prepared = false;
  e->error.clear();
  e->last_seq = 0;
  return e;
}

void EventAssembler::append_record(Event& e, const SourceLine& in) {
  if (e.record_count == 0) {
    e.file = in.file;
    e.line = in.line.number;
    e.offset = in.line.offset;
  }
  ++e.record_count;
  ++buffered_records_;
  e.last_seq = seq_;
  if (keep_text_) {
    const char* base = in.line.text.data();
    auto off = [base](std::string_view part) { return static_cast<uint32_t>(part.data() - base); };
    Event::RecordSpan span{in.line.number, static_cast<uint32_t>(e.raw.size()),
                           static_cast<uint32_t>(in.line.text.size()), 0, 0, 0, 0, 0, 0};
    if (in.is_record) {
      const RecordHeader& h = in.header;
      span.type_off = off(h.type);
      span.type_len = static_cast<uint32_t>(h.type.size());
      span.body_off = off(h.body);
      span.body_len = static_cast<uint32_t>(h.body.size());
      span.enriched_off = h.enriched.empty() ? span.size : off(h.enriched);
      span.enriched_len = static_cast<uint32_t>(h.enriched.size());
    }
    e.spans.push_back(span);
    e.raw.append(in.line.text.data(), in.line.text.size());
    e.raw.push_back('\n');
  }
  if (!in.error.empty()) {
    if (!e.error.empty()) e.error += "; ";
    // Name the record by its line, or by its offset where the line is not known.
    if (e.is_record && in.line.number) e.error += "line " + std::to_string(in.line.number) + ": ";
    else if (e.is_record) e.error += "at byte offset " + std::to_string(in.line.offset) + ": ";
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
  // Records of one event are nearly always adjacent: try the last event first, which
  // spares the hash lookup for every record but an event's first.
  if (last_ && last_->epoch_ms == h.epoch_ms && last_->serial == h.serial && last_->node == h.node &&
      last_->record_count < kMaxEventRecords) {
    append_record(*last_, in);
    return;
  }
  auto it = open_.find(Key{h.node, h.epoch_ms, h.serial});
  if (it != open_.end() && it->second->record_count < kMaxEventRecords) {
    last_ = it->second;
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
  } else if (h.epoch_ms <= newest_closed_ms_ && recent_.contains(fingerprint(Key{h.node, h.epoch_ms, h.serial}))) {
    // (A record newer than every closed event cannot be late: that test spares the
    // set lookup for nearly every event of a log written in time order.)
    e->error = "late record: the other records of its event (same node, time and serial) "
               "had already left the reassembly window (" + std::to_string(kWindowRecords) +
               " records or " + std::to_string(kWindowMs / 1000) + " s), so it is a row of its own";
  }
  append_record(*e, in);
  open_.emplace(Key{e->node, e->epoch_ms, e->serial}, e.get());
  last_ = e.get();
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

void EventAssembler::recycle(std::unique_ptr<Event> e) {
  // Keep the buffers, unless a huge line made them huge.
  if (e && e->raw.capacity() <= (1u << 20) && free_.size() < 4096) free_.push_back(std::move(e));
}

Event* EventAssembler::pop() {
  recycle(std::move(popped_));
  popped_ = take();
  return popped_.get();
}

std::unique_ptr<Event> EventAssembler::take() {
  if (!front_is_closed()) return nullptr;
  std::unique_ptr<Event> e = std::move(order_.front());
  order_.pop_front();
  if (last_ == e.get()) last_ = nullptr;
  buffered_records_ -= e->record_count;
  if (e->is_record) {
    auto it = open_.find(Key{e->node, e->epoch_ms, e->serial});
    if (it != open_.end() && it->second == e.get()) open_.erase(it);
    if (e->epoch_ms > newest_closed_ms_) newest_closed_ms_ = e->epoch_ms;
    recent_.insert(fingerprint(Key{e->node, e->epoch_ms, e->serial}));
  }
  return e;
}

}  // namespace sqlhunt::audit
