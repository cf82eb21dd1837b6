// vtabs/ti_lookup/providers.h — the remote threat-intel providers: what to ask, and
// what the answer means. Pure code: each turns an indicator into an HTTP request path
// and a reply (status + body) into a Result; ti_engine sends the requests.
//
//   virustotal  ipv4 ipv6 domain url md5 sha1 sha256   API v3
//   abuseipdb   ipv4 ipv6                              API v2 /check
//   otx         ipv4 ipv6 domain url md5 sha1 sha256   API v1 /indicators/.../general
//   greynoise   ipv4                                   community API v3
// (types as ioc_type() names them). Remote providers are asked about public addresses
// only (core/ip.h classes); anything they are not asked about is a `skipped` row.
//
// Severity (msticpy's rules):
//   virustotal  last_analysis_stats.malicious > 1 high, > 0 warning, else information
//   abuseipdb   data.abuseConfidenceScore > 50 high, > 0 warning, else information
//   otx         pulse_info.count > 1 high, 1 warning, 0 information
//   greynoise   classification "malicious" high, else information
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vtabs/ti_lookup/ti.h"

namespace sqlhunt::ti {

struct HttpReply {
  long status = 0;
  std::string body;
  std::string error;     // transport error
  std::string location;  // redirect not followed
  bool quota = false;
};

struct RemoteProvider {
  const char* name;
  const char* setting;  // config prefix: "<setting>.key", ".url", ".rate", ".ttl"
  const char* types;    // the ioc_type() names it answers, separated by spaces
  // Path and query after the base URL, for an indicator's value and type.
  std::string (*path)(std::string_view value, std::string_view ioc_type);
  const char* key_header;
  std::string (*reference)(std::string_view value, std::string_view ioc_type);
  // Fills status/detail/severity/result/details/raw from a reply with a body.
  void (*parse)(const HttpReply& reply, Result& r);
};

const std::vector<RemoteProvider>& remote_providers();
const RemoteProvider* find_remote(std::string_view name);
// Every provider name, local first.
std::vector<std::string> provider_names();
// Does `p` answer indicators of this ioc_type() name?
bool supports(const RemoteProvider& p, std::string_view ioc_type);

// Turns any reply (transport error, quota, redirect, 4xx/5xx, malformed JSON, or a
// good answer) into r's fields. Never throws.
void interpret(const RemoteProvider& p, const HttpReply& reply, Result& r);

}  // namespace sqlhunt::ti
