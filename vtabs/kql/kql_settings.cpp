// The settings of kql() and adx() (see core/config.h for the mechanism, docs/config.md
// for the list). Registered in every build, the no-network one included, so a script
// that sets them runs anywhere.
#include "core/config.h"

namespace sqlhunt::kql {

const config::Registration kSettings({
    {"loganalytics.url", "SQLHUNT_LOGANALYTICS_URL", "https://api.loganalytics.io", config::Kind::kUrl, false, 0, 0,
     "Log Analytics query API base URL; queries go to <url>/v1/workspaces/<id>/query (environment only)."},
    {"loganalytics.workspace", "SQLHUNT_LOGANALYTICS_WORKSPACE", "", config::Kind::kText, true, 0, 0,
     "Workspace ID kql() queries when none is given, or a JSON array of them."},
    {"loganalytics.token", "SQLHUNT_LOGANALYTICS_TOKEN", "", config::Kind::kSecret, true, 0, 0,
     "A bearer token for the Log Analytics API (instead of the Azure AD client credentials)."},
    {"azure.authority_url", "SQLHUNT_AZURE_AUTHORITY_URL", "https://login.microsoftonline.com", config::Kind::kUrl,
     false, 0, 0, "Azure AD (Entra ID) authority; tokens come from <url>/<tenant>/oauth2/v2.0/token (environment only)."},
    {"azure.tenant", "SQLHUNT_AZURE_TENANT", "", config::Kind::kText, true, 0, 0,
     "Azure AD tenant (ID or domain) of the app whose client credentials kql() and adx() use."},
    {"azure.client_id", "SQLHUNT_AZURE_CLIENT_ID", "", config::Kind::kText, true, 0, 0,
     "Application (client) ID for the client-credentials flow."},
    {"azure.client_secret", "SQLHUNT_AZURE_CLIENT_SECRET", "", config::Kind::kSecret, true, 0, 0,
     "Client secret for the client-credentials flow."},
    {"adx.url", "SQLHUNT_ADX_URL", "https://{cluster}.kusto.windows.net", config::Kind::kUrl, false, 0, 0,
     "Azure Data Explorer cluster URL; {cluster} is adx()'s cluster argument (a name: letters, digits, '-', '.') (environment only)."},
    {"adx.token", "SQLHUNT_ADX_TOKEN", "", config::Kind::kSecret, true, 0, 0,
     "A bearer token for Azure Data Explorer (instead of the Azure AD client credentials)."},
    {"adx.api", "SQLHUNT_ADX_API", "2", config::Kind::kNumber, true, 1, 2,
     "ADX REST API version adx() uses: 2 (/v2/rest/query, frames) or 1 (/v1/rest/query, Tables)."},
    {"kql.timeout", "SQLHUNT_KQL_TIMEOUT", "180", config::Kind::kNumber, true, 1, 3600,
     "Seconds one KQL request may take in all (also the server timeout asked for); a rate-limit wait is bounded by it too."},
    {"kql.rate", "SQLHUNT_KQL_RATE", "200", config::Kind::kNumber, true, 0, 100000,
     "KQL requests a minute (Log Analytics allows 200 per 30 s per user); 0 for no limit."},
    {"kql.parallel", "SQLHUNT_KQL_PARALLEL", "2", config::Kind::kNumber, true, 1, 16,
     "Parts of a split query (and workspaces) asked at once; each answer being read or waiting is held in memory."},
    {"kql.max_parts", "SQLHUNT_KQL_MAX_PARTS", "1024", config::Kind::kNumber, true, 1, 1000000,
     "Parts one answer may be split into by time before it is read cut, with a warning."},
    {"kql.max_response_mb", "SQLHUNT_KQL_MAX_RESPONSE_MB", "512", config::Kind::kNumber, true, 1, 16384,
     "MB of one answer held at most; a larger answer is split by time like one the server cut."},
    {"kql.cache_ttl", "SQLHUNT_KQL_CACHE_TTL", "0", config::Kind::kNumber, true, 0, 315360000,
     "Seconds a complete KQL answer is kept in the cache file (cache.path); 0 (the default) keeps none."},
});

}  // namespace sqlhunt::kql
