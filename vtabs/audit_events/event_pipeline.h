// vtabs/audit_events/event_pipeline.h — events read and assembled on a thread of their own.
//
// A column query spends its time in two halves: reading lines, finding record headers,
// joining records into events and picking the fields its columns read (the reader),
// and decoding them and handing them to SQLite (the query). EventPipeline runs the
// first half on a second thread, so on a machine with two idle cores a scan takes about
// the time of the slower half. The order of events is decided by the reader alone, so
// it is exactly the single-threaded order. Unthreaded (audit.threads = 1), next() does
// the reader's work itself: the same events, less CPU in all (each event is made and
// read on one core, and nothing waits on a lock), more wall time on an idle machine.
//
// The thread works ahead by at most kMaxBatches batches, each of kBatch events or
// kBatchBytes of record text, whichever comes first: memory stays bounded, like the
// assembly window; a batch is large enough that handing one over (a lock and a wake-up)
// is rare, and small enough that the events in flight stay in the CPU's caches (with
// 1,024-event batches the column scan cost a third more CPU than with 256). It stops
// when the pipeline is destroyed: a query that stops reading early (LIMIT) does not
// leave it running. It calls no SQLite function. An exception in the reader (out of
// memory) reaches next() as an Error.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vtabs/audit_events/audit_source.h"
#include "vtabs/audit_events/event_assembler.h"

namespace sqlhunt::audit {

class EventPipeline {
 public:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kBatchBytes = 256u << 10;
  static constexpr size_t kMaxBatches = 4;

  // `picks`: the fields to pick out of each event's records ahead (audit_event.h:
  // prepare_event), for queries that read fields; count(*) needs none. `threaded`:
  // start the reader thread; without it next() does the reader's work itself.
  EventPipeline(std::unique_ptr<AuditSource> source, bool keep_text, PickMask picks,
                bool threaded = true);
  ~EventPipeline();
  EventPipeline(const EventPipeline&) = delete;
  EventPipeline& operator=(const EventPipeline&) = delete;

  // The next event, in order, or nullptr at the end; valid until the next call.
  // Throws sqlhunt::Error if the reader failed.
  Event* next();

 private:
  using Batch = std::vector<std::unique_ptr<Event>>;
  void run();
  // The reader's work: the next event to hand out (window applied, fields picked), or
  // nullptr at the end of the input.
  std::unique_ptr<Event> produce();

  std::unique_ptr<AuditSource> source_;
  const PickMask picks_;
  const bool threaded_;
  EventAssembler assembler_;   // the reader's (the thread's, or next()'s when unthreaded)
  SourceLine line_;
  bool finished_ = false;
  uint64_t lines_ = 0;
  std::unique_ptr<Event> current_;  // unthreaded: the event handed out last

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> ready_;  // reader -> query
  Batch returned_;           // query -> reader, to reuse their buffers
  bool done_ = false, stop_ = false;
  // stop_ for the reader's inner loop, read without the lock: a windowed scan can read
  // a long stretch that yields no row (and so never reaches flush()).
  std::atomic<bool> stopping_{false};
  std::string error_;

  Batch batch_;  // the query's current batch
  size_t pos_ = 0;
  std::thread thread_;
};

}  // namespace sqlhunt::audit
