// vtabs/kql/kql_auth.h — bearer tokens for Log Analytics and Azure Data Explorer.
//
// Where a token comes from, first that applies:
//   1. a token setting (loganalytics.token / adx.token, SQLHUNT_LOGANALYTICS_TOKEN /
//      SQLHUNT_ADX_TOKEN): used as it is (refreshing it is the user's business);
//   2. Azure AD's OAuth2 client-credentials flow (azure.tenant, azure.client_id,
//      azure.client_secret): POST <azure.authority_url>/<tenant>/oauth2/v2.0/token with
//      grant_type=client_credentials and scope=<resource>/.default. The token is kept in
//      memory (this process only) until shortly before its expires_in, then asked for
//      again; a 401 from the API makes the caller forget it and ask once more.
// A token is never written anywhere: not to the cache, not to an error message (a
// message quoting the token endpoint goes through config::redact(), and the token
// itself is taken out of every message kql builds), not to SQLHUNT_TRACE_HTTP's lines.
// No credentials at all is an error that says which settings to set.
#pragma once

#include <string>

namespace sqlhunt::kql {

struct Credentials {
  const char* token_setting;  // "loganalytics.token", "adx.token"
  std::string scope;          // "https://api.loganalytics.io/.default"
};

// "Bearer <token>" for `who`. Throws sqlhunt::Error.
std::string authorization(const Credentials& who);

// Forgets the kept token of `who` (after the API refused it); false when it was a
// static token (asking again would not help).
bool forget_token(const Credentials& who);

// Removes any token kept in memory from `text` (a last guard for messages).
std::string without_tokens(std::string text);

}  // namespace sqlhunt::kql
