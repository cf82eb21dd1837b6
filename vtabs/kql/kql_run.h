// vtabs/kql/kql_run.h — running one SQL scan's KQL: every source (workspace), every
// part of a split, answers read in order (pure; the network is behind Fetcher).
//
// The answer cap. Log Analytics and ADX cut an answer at 500,000 rows or 64 MB and say
// so in its error section (kusto_response.h: `truncated`); an answer larger than the
// caller's own cap (kql.max_response_mb) is cut too (FetchReply::kTooLarge). Either way
// the part is split by time rather than taken for the whole (as msticpy's
// split_query_by and the Azure SDK samples do, but by halving until each part fits,
// so no size has to be guessed):
//   1. the time column: the typed table's, else the answer's TimeGenerated, else its
//      first datetime column (none: the part cannot be split, see 4);
//   2. the part's window: SQL's bounds when both are given, else one probe request
//      (`| summarize kql_min = min(T), kql_max = max(T), kql_nulls = countif(isnull(T))`)
//      over the part's own query;
//   3. two halves [lo, mid) and [mid, hi), plus a part for the rows whose time is null
//      when the window was open and the probe counted some; each half is fetched and
//      split again while it is still cut;
//   4. a part that cannot be split further (one tick wide, no time column, only null
//      times, or past kql.max_parts) is read as it came, with a warning row before its
//      rows and status 'truncated'.
// A part whose answer has another error section ('partial': a failed shard, a
// cancelled query) is read with a warning row and status 'partial': never silently
// taken for the whole.
//
// Order and memory: parts run `parallel` at a time (one round of requests, inside the
// rate limit of the Fetcher), sources in the order given, each source's parts in time
// order, so rows come source by source and, within a source, part by part in time
// order. At most `parallel` answers are held at once; a part's rows are streamed from
// its answer (ResponseReader) and the answer dropped when its last row is read.
//
// What stops the query is the Fetcher's: it throws sqlhunt::Error (bad KQL, auth,
// transport, rate limit). An answer that is not a documented shape is an error too.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "vtabs/kql/kql_query.h"
#include "vtabs/kql/kusto_response.h"

namespace sqlhunt::kql {

struct FetchRequest {
  size_t source = 0;  // index into the Run's sources
  std::string kql;
};

struct FetchReply {
  enum Kind { kBody, kOffline, kTooLarge } kind = kBody;
  std::string body;
  bool cached = false;
  std::string detail;  // kOffline / kTooLarge: what to say
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  virtual Dialect dialect() const = 0;
  // One reply per request, in order, all sent at once. Throws sqlhunt::Error for what
  // stops the query.
  virtual std::vector<FetchReply> fetch(const std::vector<FetchRequest>& requests) = 0;
  // Told of each answer read whole and complete (not partial, not cut, not from the
  // cache): a fetcher may keep it.
  virtual void answered(const FetchRequest&, const FetchReply&) {}
};

struct RunOptions {
  int parallel = 2;     // parts in flight at once
  int max_parts = 1024; // parts one source's answer may be split into
};

struct OutRow {
  size_t source = 0;
  uint64_t part = 0;                 // which answer it came from (1, 2, ...): a new value
                                     // means a new `table` (its columns may differ)
  const TableInfo* table = nullptr;  // nullptr: a warning row
  size_t ordinal = 0;                // which of the answer's result tables (0: the first)
  uint64_t index = 0;                // row of its table, counted across the parts
  simdjson::dom::array values;       // valid until the next call
  std::string row_error;             // the row could not be read
  std::string warning;               // on a warning row
};

struct RunStatus {
  std::string status = "ok";  // ok, partial, truncated, offline
  // requests: sent to the server (not those the cache answered, nor any offline)
  size_t requests = 0, cached = 0, parts = 0, splits = 0, rows = 0;
  std::vector<std::string> queries;   // every KQL asked for, probes too, in order
  std::vector<std::string> warnings;

  void count(const FetchReply& reply) {
    if (reply.cached) ++cached;
    else if (reply.kind != FetchReply::kOffline) ++requests;
  }
};

class Run {
 public:
  Run(QuerySpec spec, size_t sources, Fetcher& fetcher, RunOptions options);
  ~Run();
  // The next row, or false after the last. Throws sqlhunt::Error.
  bool next(OutRow& row);
  const RunStatus& status() const { return status_; }
  // The text the first request sends (what kql_last_query() shows).
  std::string first_query() const;

 private:
  struct Part;
  void fetch_round();
  bool split(Part& part);
  std::optional<std::string> time_column_of(const Summary& s) const;
  void warn(Part& part, const std::string& status, const std::string& text);

  QuerySpec spec_;
  Fetcher& fetcher_;
  RunOptions options_;
  std::optional<std::string> time_column_;
  std::deque<std::unique_ptr<Part>> parts_;
  std::vector<int> parts_made_;        // per source
  std::vector<std::vector<uint64_t>> row_counts_;  // per source, per table index
  uint64_t parts_read_ = 0;
  RunStatus status_;
};

}  // namespace sqlhunt::kql
