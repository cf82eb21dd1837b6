// vtabs/kql/kql_scan.h — one kql/adx scan as the adapters run it: where it goes
// (Setup), the runner over the HTTP fetcher (Scan), and the connection's record of the
// last scan that kql_last_query() / kql_last_status() show. No SQLite types: the
// record is keyed by the connection's pointer.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "vtabs/kql/kql_fetch.h"
#include "vtabs/kql/kql_run.h"

namespace sqlhunt::kql {

struct Setup {
  bool adx = false;
  std::string query;
  std::optional<std::string> workspace, timespan;  // kql: the argument (else the setting)
  std::string cluster, database;                   // adx
  std::optional<std::string> time_column;
};

// The fetcher for `s`. Throws sqlhunt::Error (no workspace, a bad name).
std::unique_ptr<HttpFetcher> make_fetcher(const Setup& s);

// What one connection's last scan sent and how it ended (JSON, see kql_vtab.h).
struct LastRun {
  std::mutex m;
  std::optional<std::string> query, status;
  void record_empty();  // a scan whose WHERE matches nothing: sent nothing
};
// The record of connection `db` (made on first use); forget_last_run() drops it.
std::shared_ptr<LastRun> last_run(const void* db);
void forget_last_run(const LastRun* record);

std::string status_json(const RunStatus& s, const std::string& status, const std::string& error = "");

// A runner over the fetcher of `setup`, keeping `last` up to date: 'running' when made,
// the final status at the end, 'error' with the message when next() throws, and
// 'stopped' when dropped before the end (SQLite stopped reading: a LIMIT).
class Scan {
 public:
  Scan(const Setup& setup, QuerySpec spec, std::shared_ptr<LastRun> last);
  ~Scan();
  bool next(OutRow& row);
  const std::string& label(size_t source) const { return fetcher_->targets().at(source).label; }

 private:
  void record(const std::string& status, const std::string& error = "");
  std::unique_ptr<HttpFetcher> fetcher_;
  std::unique_ptr<Run> run_;
  std::shared_ptr<LastRun> last_;
  bool finished_ = false;
};

}  // namespace sqlhunt::kql
