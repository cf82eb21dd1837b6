#include "vtabs/audit_events/event_pipeline.h"

#include "core/error.h"
#include "vtabs/audit_events/audit_event.h"

namespace sqlhunt::audit {

EventPipeline::EventPipeline(std::unique_ptr<AuditSource> source, bool keep_text, bool prepare)
    : source_(std::move(source)), keep_text_(keep_text), prepare_(prepare && keep_text) {
  thread_ = std::thread([this] { run(); });
}

EventPipeline::~EventPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stopping_ = true;
  cv_.notify_all();
  thread_.join();
}

void EventPipeline::run() {
  try {
    EventAssembler assembler(keep_text_);
    SourceLine line;
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
      for (auto& e : back) assembler.recycle(std::move(e));
      out = Batch();
      out.reserve(kBatch);
      out_bytes = 0;
      return true;
    };
    const TimeWindow window = source_->window();
    auto drain = [&] {
      while (std::unique_ptr<Event> e = assembler.take()) {
        // Rows outside a pushed-down window: SQLite would drop them (a line that is not
        // a record has no time either), so they go no further.
        if (!window.empty() && (!e->is_record || !window.contains(e->epoch_ms))) {
          assembler.recycle(std::move(e));
          continue;
        }
        if (prepare_) prepare_event(*e);
        out_bytes += e->raw.size();
        out.push_back(std::move(e));
        if ((out.size() == kBatch || out_bytes >= kBatchBytes) && !flush(false)) return false;
      }
      return true;
    };
    for (uint64_t n = 1; source_->next(line); ++n) {
      assembler.add(line);
      if (!drain()) return;
      if (n % 4096 == 0 && stopping_.load(std::memory_order_relaxed)) return;
    }
    assembler.finish();
    if (drain()) flush(true);
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
