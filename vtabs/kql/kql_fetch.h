// vtabs/kql/kql_fetch.h — the network side of kql() and adx(): where each source's
// queries go, the requests (core/http.h), the answers' HTTP errors, and the optional
// answer cache (core/cache.h). A kql_run.h Fetcher.
//
// Log Analytics: POST <loganalytics.url>/v1/workspaces/<id>/query with
//   {"query": KQL[, "timespan": ISO-8601 duration or interval]}, headers
//   Authorization: Bearer, Prefer: wait=<kql.timeout> (the server's own timeout).
// Azure Data Explorer: POST <cluster URL>/v2/rest/query (adx.api 1: /v1/rest/query) with
//   {"db": database, "csl": KQL, "properties": {"Options": {"servertimeout": ...}}};
//   the cluster URL is adx.url with {cluster} replaced by adx()'s cluster argument,
//   which must be a name (letters, digits, '-', '.'), or the URL adx.url makes of one:
//   SQL chooses a cluster, never a host, so no token goes where the environment did not
//   say.
//
// What a reply becomes (sqlhunt::Error stops the query; the table's name is put first):
//   200                        the body (kql_run.h reads it: partial, cut, split)
//   400                        "the query was refused (400 <code>: <the API's message>);
//                              KQL sent: ..." — bad KQL, a column that is not there
//   401, 403                   "not authorized (...)" with the API's message and how to
//                              set credentials; a 401 with a kept Azure AD token first
//                              forgets it and asks once more (it may have expired)
//   404                        "no such workspace / database (...)"
//   429                        waited for (Retry-After) within kql.timeout by core/http;
//                              still refused: "rate limited (...)"
//   any error naming the result-size limit, or a body past kql.max_response_mb:
//                              FetchReply::kTooLarge (the runner splits the part)
//   other 4xx/5xx, no reply    "<source>: <status and message>" / "timed out after N s
//                              (kql.timeout)"
// Offline (core/offline.h): nothing is sent; a cached answer is still used, anything
// else is a kOffline reply (a warning row, status 'offline').
//
// Cache (kql.cache_ttl > 0 seconds, off by default: query results are evidence the
// analyst may not want on disk): complete answers only (answered() is called for
// them), in the enrichment cache file (cache.path), source 'kql' / 'adx', keyed by the
// URL and the request body (the KQL), never a token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vtabs/kql/kql_auth.h"
#include "vtabs/kql/kql_run.h"

namespace sqlhunt::kql {

struct Target {
  std::string url;    // the query endpoint
  std::string label;  // the workspace ID, or cluster/database, for rows and messages
};

class HttpFetcher : public Fetcher {
 public:
  // Throws sqlhunt::Error for a workspace or cluster that is no name.
  static HttpFetcher loganalytics(const std::vector<std::string>& workspaces, std::optional<std::string> timespan);
  static HttpFetcher adx(const std::string& cluster, const std::string& database);

  Dialect dialect() const override { return dialect_; }
  std::vector<FetchReply> fetch(const std::vector<FetchRequest>& requests) override;
  void answered(const FetchRequest& request, const FetchReply& reply) override;

  const std::vector<Target>& targets() const { return targets_; }

 private:
  HttpFetcher() = default;
  std::string body_for(const std::string& kql) const;
  std::string cache_key(const FetchRequest& rq) const;

  Dialect dialect_ = Dialect::kLogAnalytics;
  std::vector<Target> targets_;
  std::optional<std::string> timespan_;  // Log Analytics
  std::string database_;                 // ADX
  Credentials credentials_;
  const char* cache_source_ = "kql";
};

// The workspace IDs a kql() argument (or the loganalytics.workspace setting) names: one
// ID, or a JSON array of them. Throws sqlhunt::Error.
std::vector<std::string> parse_workspaces(const std::string& text);

// The URL of an ADX cluster argument under `adx_url_template` ({cluster}). Throws.
std::string cluster_url(const std::string& cluster, const std::string& adx_url_template);

}  // namespace sqlhunt::kql
