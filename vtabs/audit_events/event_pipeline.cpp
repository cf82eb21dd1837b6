#include "vtabs/audit_events/event_pipeline.h"

#include "core/error.h"
#include "vtabs/audit_events/audit_event.h"

namespace sqlhunt::audit {

EventPipeline::EventPipeline(std::unique_ptr<AuditSource> source, bool keep_text, PickMask picks,
                             bool threaded)
    : source_(std::move(source)), picks_(keep_text ? picks : 0),
      threaded_(threaded), assembler_(keep_text) {
  if (threaded_) thread_ = std::thread([this] { run(); });
}

EventPipeline::~EventPipeline() {
  if (!threaded_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stopping_ = true;
  cv_.notify_all();
  thread_.join();
}

std::unique_ptr<Event> EventPipeline::produce() {
  const TimeWindow& window = source_->window();
  for (;;) {
    while (std::unique_ptr<Event> e = assembler_.take()) {
      // Rows outside a pushed-down window: SQLite would drop them (a line that is not
      // a record has no time either), so they go no further.
      if (!window.empty() && (!e->is_record || !window.contains(e->epoch_ms))) {
        assembler_.recycle(std::move(e));
        continue;
      }
      if (picks_) prepare_event(*e, picks_);
      return e;
    }
    if (finished_) return nullptr;
    if (source_->next(line_)) {
      assembler_.add(line_);
      // A windowed scan may read long without an event to hand out: look for a stop.
      if (++lines_ % 4096 == 0 && stopping_.load(std::memory_order_relaxed)) return nullptr;
    } else {
      assembler_.finish();
      finished_ = true;
    }
  }
}

void EventPipeline::run() {
  try {
    Batch out;
    out.reserve(kBatch);
    size_t out_bytes = 0;
    // Hands `out` over (waiting while the query is kMaxBatches behind); false to stop.
    auto flush = [&](bool last) {
      Batch back;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || ready_.size() < kMaxBatches; });
        if (stop_) return false;
        if (!out.empty()) ready_.push_back(std::move(out));
        back.swap(returned_);
        done_ = last;
      }
      cv_.notify_all();
      for (auto& e : back) assembler_.recycle(std::move(e));
      out = Batch();
      out.reserve(kBatch);
      out_bytes = 0;
      return true;
    };
    while (std::unique_ptr<Event> e = produce()) {
      out_bytes += e->raw.size();
      out.push_back(std::move(e));
      if ((out.size() == kBatch || out_bytes >= kBatchBytes) && !flush(false)) return;
    }
    if (!stopping_) flush(true);
  } catch (const std::exception& e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = dynamic_cast<const std::bad_alloc*>(&e) ? "out of memory" : e.what();
      done_ = true;
    }
    cv_.notify_all();
  }
}

Event* EventPipeline::next() {
  if (!threaded_) {
    if (current_) assembler_.recycle(std::move(current_));
    try {
      current_ = produce();
    } catch (const std::bad_alloc&) {
      throw Error("reading stopped: out of memory");
    }
    return current_.get();
  }
  if (!batch_.empty() && pos_ + 1 < batch_.size()) return batch_[++pos_].get();
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (auto& e : batch_) returned_.push_back(std::move(e));
    batch_.clear();
    pos_ = 0;
    cv_.notify_all();
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      if (!error_.empty()) throw Error("reading stopped: " + error_);
      return nullptr;
    }
    batch_ = std::move(ready_.front());
    ready_.pop_front();
  }
  cv_.notify_all();
  return batch_.front().get();
}

}  // namespace sqlhunt::audit
