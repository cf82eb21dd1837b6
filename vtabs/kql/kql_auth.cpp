#include "vtabs/kql/kql_auth.h"

#include <chrono>
#include <map>
#include <mutex>

#include <simdjson.h>

#include "core/config.h"
#include "core/error.h"
#include "core/http.h"
#include "core/text.h"
#include "vtabs/kql/kusto_response.h"

namespace sqlhunt::kql {
namespace {

struct Kept {
  std::string token;
  double expires = 0;  // steady clock seconds
};

std::mutex& mutex() {
  static std::mutex m;
  return m;
}
// (tenant, client id, scope) -> token.
std::map<std::string, Kept>& kept() {
  static std::map<std::string, Kept> k;
  return k;
}

double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string form_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string key_of(const std::string& tenant, const std::string& client, const std::string& scope) {
  return tenant + "\n" + client + "\n" + scope;
}

const char* kHowToSet =
    "set SQLHUNT_LOGANALYTICS_TOKEN (SQLHUNT_ADX_TOKEN for adx), or SQLHUNT_AZURE_TENANT, SQLHUNT_AZURE_CLIENT_ID "
    "and SQLHUNT_AZURE_CLIENT_SECRET (or sqlhunt_config('azure.tenant', ...) and the like)";

}  // namespace

std::string authorization(const Credentials& who) {
  if (auto t = config::get(who.token_setting)) return "Bearer " + *t;
  const auto tenant = config::get("azure.tenant");
  const auto client = config::get("azure.client_id");
  const auto secret = config::get("azure.client_secret");
  if (!tenant || !client || !secret) {
    std::string missing;
    for (auto [v, name] : {std::pair{&tenant, "azure.tenant"}, {&client, "azure.client_id"}, {&secret, "azure.client_secret"}})
      if (!*v) missing += std::string(missing.empty() ? "" : ", ") + name;
    throw Error(std::string("no credentials (") + missing + " not set): " + kHowToSet);
  }
  const std::string key = key_of(*tenant, *client, who.scope);
  {
    std::lock_guard<std::mutex> lock(mutex());
    auto it = kept().find(key);
    if (it != kept().end() && now() < it->second.expires) return "Bearer " + it->second.token;
  }
  const auto authority = config::get("azure.authority_url");
  http::Request rq;
  rq.provider = "azure_ad";
  std::string base = authority.value_or("");
  while (!base.empty() && base.back() == '/') base.pop_back();
  rq.url = base + "/" + form_escape(*tenant) + "/oauth2/v2.0/token";
  rq.method = "POST";
  rq.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  rq.body = "grant_type=client_credentials&client_id=" + form_escape(*client) +
            "&client_secret=" + form_escape(*secret) + "&scope=" + form_escape(who.scope);
  rq.limits = http::limits_from_config("kql");
  rq.limits.rate_per_minute = 0;
  rq.limits.timeout = std::min(60.0, config::get_number("kql.timeout"));
  rq.limits.timeout_setting = "kql.timeout";
  rq.max_body = 1u << 20;
  const http::Response r = http::fetch_all({rq}).at(0);
  if (r.offline) throw Error(r.error);
  if (r.status == 0) throw Error("Azure AD token endpoint: " + config::redact(r.error));
  if (r.status != 200)
    throw Error("Azure AD refused the client credentials (" + std::to_string(r.status) + " " +
                config::redact(error_message(r.body)) + ")");
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view token;
  if (parser.parse(r.body).get(e) || e["access_token"].get_string().get(token) || token.empty())
    throw Error("Azure AD's token answer has no access_token");
  double lifetime = 3600;
  int64_t n;
  std::string_view s;
  if (e["expires_in"].get_int64().get(n) == simdjson::SUCCESS) lifetime = static_cast<double>(n);
  else if (e["expires_in"].get_string().get(s) == simdjson::SUCCESS) lifetime = std::atof(std::string(s).c_str());
  // Ask again a little before it ends: a minute, or a tenth of a short lifetime.
  const double margin = std::min(60.0, lifetime / 10);
  std::lock_guard<std::mutex> lock(mutex());
  kept()[key] = Kept{std::string(token), now() + lifetime - margin};
  return "Bearer " + std::string(token);
}

bool forget_token(const Credentials& who) {
  if (config::get(who.token_setting)) return false;
  const auto tenant = config::get("azure.tenant");
  const auto client = config::get("azure.client_id");
  if (!tenant || !client) return false;
  std::lock_guard<std::mutex> lock(mutex());
  return kept().erase(key_of(*tenant, *client, who.scope)) > 0;
}

std::string without_tokens(std::string text) {
  std::lock_guard<std::mutex> lock(mutex());
  for (const auto& [k, v] : kept()) {
    if (v.token.size() < 8) continue;
    for (size_t at; (at = text.find(v.token)) != std::string::npos;) text.replace(at, v.token.size(), "***");
  }
  return config::redact(std::move(text));
}

}  // namespace sqlhunt::kql
