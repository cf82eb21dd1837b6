#include "vtabs/kql/kql_scan.h"

#include <map>

#include "core/config.h"
#include "core/error.h"
#include "core/json_text.h"

namespace sqlhunt::kql {
namespace {

std::mutex& runs_mutex() {
  static std::mutex m;
  return m;
}
std::map<const void*, std::shared_ptr<LastRun>>& runs() {
  static std::map<const void*, std::shared_ptr<LastRun>> r;
  return r;
}

RunOptions run_options() {
  RunOptions o;
  o.parallel = static_cast<int>(config::get_number("kql.parallel"));
  o.max_parts = static_cast<int>(config::get_number("kql.max_parts"));
  return o;
}

void append_list(std::string& j, const char* name, const std::vector<std::string>& items) {
  j += ",\"";
  j += name;
  j += "\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) j += ",";
    json::append_string(j, items[i]);
  }
  j += "]";
}

}  // namespace

std::unique_ptr<HttpFetcher> make_fetcher(const Setup& s) {
  if (s.adx) return std::make_unique<HttpFetcher>(HttpFetcher::adx(s.cluster, s.database));
  std::optional<std::string> ws = s.workspace;
  if (!ws) ws = config::get("loganalytics.workspace");
  if (!ws)
    throw Error("no workspace: give kql(query, workspace) or set SQLHUNT_LOGANALYTICS_WORKSPACE "
                "(or sqlhunt_config('loganalytics.workspace', ...))");
  return std::make_unique<HttpFetcher>(HttpFetcher::loganalytics(parse_workspaces(*ws), s.timespan));
}

void LastRun::record_empty() {
  std::lock_guard<std::mutex> lock(m);
  query.reset();
  status = status_json(RunStatus(), "empty");
}

std::shared_ptr<LastRun> last_run(const void* db) {
  std::lock_guard<std::mutex> lock(runs_mutex());
  auto& r = runs()[db];
  if (!r) r = std::make_shared<LastRun>();
  return r;
}

void forget_last_run(const LastRun* record) {
  std::lock_guard<std::mutex> lock(runs_mutex());
  for (auto it = runs().begin(); it != runs().end(); ++it)
    if (it->second.get() == record) {
      runs().erase(it);
      return;
    }
}

std::string status_json(const RunStatus& s, const std::string& status, const std::string& error) {
  std::string j = "{\"status\":";
  json::append_string(j, status);
  if (!error.empty()) {
    j += ",\"error\":";
    json::append_string(j, error);
  }
  j += ",\"requests\":" + std::to_string(s.requests) + ",\"cached\":" + std::to_string(s.cached) +
       ",\"parts\":" + std::to_string(s.parts) + ",\"splits\":" + std::to_string(s.splits) +
       ",\"rows\":" + std::to_string(s.rows);
  append_list(j, "warnings", s.warnings);
  append_list(j, "queries", s.queries);
  return j + "}";
}

Scan::Scan(const Setup& setup, QuerySpec spec, std::shared_ptr<LastRun> last)
    : fetcher_(make_fetcher(setup)), last_(std::move(last)) {
  run_ = std::make_unique<Run>(std::move(spec), fetcher_->targets().size(), *fetcher_, run_options());
  std::lock_guard<std::mutex> lock(last_->m);
  last_->query = run_->first_query();
  last_->status = status_json(run_->status(), "running");
}

Scan::~Scan() {
  if (!finished_) record(run_->status().status == "ok" ? "stopped" : run_->status().status);
}

bool Scan::next(OutRow& row) {
  try {
    if (run_->next(row)) return true;
  } catch (const std::exception& e) {
    finished_ = true;
    record("error", e.what());
    throw;
  }
  finished_ = true;
  record(run_->status().status);
  return false;
}

void Scan::record(const std::string& status, const std::string& error) {
  std::lock_guard<std::mutex> lock(last_->m);
  last_->status = status_json(run_->status(), status, error);
}

}  // namespace sqlhunt::kql
