#include "vtabs/audit_events/event_assembler.h"

#include <algorithm>
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

RecentFingerprints::RecentFingerprints(size_t capacity) : capacity_(capacity) {
  size_t slots = 1;
  while (slots < capacity * 2) slots <<= 1;  // load factor <= 1/2
  current_.assign(slots, 0);
  older_.assign(slots, 0);
  mask_ = slots - 1;
}

bool RecentFingerprints::in(const std::vector<uint64_t>& t, size_t mask, uint64_t fp) {
  for (size_t i = static_cast<size_t>(fp >> 1) & mask;; i = (i + 1) & mask) {
    if (t[i] == fp) return true;
    if (t[i] == 0) return false;
  }
}

bool RecentFingerprints::contains(uint64_t fp) const {
  return in(current_, mask_, fp) || in(older_, mask_, fp);
}

void RecentFingerprints::insert(uint64_t fp) {
  if (count_ == capacity_) {
    std::fill(older_.begin(), older_.end(), 0);
    current_.swap(older_);
    count_ = 0;
  }
  size_t i = home(fp);
  while (current_[i] != 0) {
    if (current_[i] == fp) return;
    i = (i + 1) & mask_;
  }
  current_[i] = fp;
  ++count_;
}

Event* OpenEvents::find(uint64_t fp, std::string_view node, int64_t epoch_ms, uint64_t serial) const {
  for (size_t i = home(fp);; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.fp == 0) return nullptr;
    if (s.fp == fp && s.event->epoch_ms == epoch_ms && s.event->serial == serial && s.event->node == node)
      return s.event;
  }
}

void OpenEvents::insert(uint64_t fp, Event* e) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  size_t i = home(fp);
  while (slots_[i].fp != 0) i = (i + 1) & mask_;
  slots_[i] = Slot{fp, e};
  ++size_;
}

void OpenEvents::erase(uint64_t fp, const Event* e) {
  size_t i = home(fp);
  for (;; i = (i + 1) & mask_) {
    if (slots_[i].fp == 0) return;
    if (slots_[i].event == e) break;
  }
  // Backward-shift deletion: pull later entries of the probe run into the hole.
  for (size_t j = i;;) {
    j = (j + 1) & mask_;
    if (slots_[j].fp == 0) break;
    const size_t k = home(slots_[j].fp);
    const bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    slots_[i] = slots_[j];
    i = j;
  }
  slots_[i] = Slot{};
  --size_;
}

void OpenEvents::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  size_ = 0;
  for (const Slot& s : old)
    if (s.fp != 0) insert(s.fp, s.event);
}

uint64_t EventAssembler::fingerprint(std::string_view node, int64_t epoch_ms, uint64_t serial) {
  uint64_t h = mix(static_cast<uint64_t>(epoch_ms) ^ mix(serial + 0x9E3779B97F4A7C15ull));
  if (!node.empty()) h = mix(h ^ std::hash<std::string_view>{}(node));
  return h | 1;  // never 0, the tables' empty mark
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
  e->picks.wanted = e->picks.found = 0;
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
    Event::RecordSpan span{in.line.number, in.line.offset, static_cast<uint32_t>(e.raw.size()),
                           static_cast<uint32_t>(in.line.text.size()), 0, 0, 0, 0, 0, 0, RecordKind::kGeneral};
    if (in.is_record) {
      const RecordHeader& h = in.header;
      span.type_off = off(h.type);
      span.type_len = static_cast<uint32_t>(h.type.size());
      span.body_off = off(h.body);
      span.body_len = static_cast<uint32_t>(h.body.size());
      span.enriched_off = h.enriched.empty() ? span.size : off(h.enriched);
      span.enriched_len = static_cast<uint32_t>(h.enriched.size());
      span.kind = record_kind(h.type);
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
  // No event has a serial above hi_serial_: such a record starts one, with no lookup.
  const bool unseen = !any_event_ || h.serial > hi_serial_;
  const uint64_t fp = fingerprint(h.node, h.epoch_ms, h.serial);
  Event* open = unseen ? nullptr : open_.find(fp, h.node, h.epoch_ms, h.serial);
  if (open && open->record_count < kMaxEventRecords) {
    last_ = open;
    append_record(*open, in);
    return;
  }
  auto e = make_event();
  e->is_record = true;
  e->node.assign(h.node.data(), h.node.size());
  e->epoch_ms = h.epoch_ms;
  e->serial = h.serial;
  if (open) {
    e->error = "more than " + std::to_string(kMaxEventRecords) +
               " records share this event's node, time and serial: the rest are a new row";
    open_.erase(fp, open);  // the full event stays in order_ and closes in its turn
  } else if (!unseen && h.epoch_ms <= newest_closed_ms_ && recent_.contains(fp)) {
    // (A record newer than every closed event cannot be late: that test spares the
    // set lookup for nearly every event of a log written in time order.)
    e->error = "late record: the other records of its event (same node, time and serial) "
               "had already left the reassembly window (" + std::to_string(kWindowRecords) +
               " records or " + std::to_string(kWindowMs / 1000) + " s), so it is a row of its own";
  }
  if (!any_event_ || h.serial > hi_serial_) hi_serial_ = h.serial;
  any_event_ = true;
  append_record(*e, in);
  open_.insert(fp, e.get());
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
    const uint64_t fp = fingerprint(e->node, e->epoch_ms, e->serial);
    open_.erase(fp, e.get());
    if (e->epoch_ms > newest_closed_ms_) newest_closed_ms_ = e->epoch_ms;
    recent_.insert(fp);
  }
  return e;
}

}  // namespace sqlhunt::audit
