// vtabs/ti_lookup/ti.h — threat-intel providers: what to ask, and what the answer means.
//
// Pure code (no SQLite, no network): each remote provider turns an observable into an
// HTTP request and a reply (status + body) into a Result; the `local` provider matches
// observables against indicator files. The adapter (ti_engine.h) adds the cache and
// runs the requests concurrently (core/http.h).
//
// Providers and what they answer (types as ioc_type() names them):
//   local       every type; indicator files (CSV with a header, or JSON lines)
//   virustotal  ipv4 ipv6 domain url md5 sha1 sha256   API v3
//   abuseipdb   ipv4 ipv6                              API v2 /check
//   otx         ipv4 ipv6 domain url md5 sha1 sha256   API v1 /indicators/.../general
//   greynoise   ipv4                                   community API v3
// Remote providers are asked about public addresses only (core/ip.h classes).
//
// Severity (msticpy's rules; unknown < information < warning < high):
//   virustotal  last_analysis_stats.malicious > 1 high, > 0 warning, else information
//   abuseipdb   data.abuseConfidenceScore > 50 high, > 0 warning, else information
//   otx         pulse_info.count > 1 high, 1 warning, 0 information
//   greynoise   classification "malicious" high, else information
//   local       a match is high (or the file's own severity column, when it has one)
//   not_found is information; no_key, quota and error are unknown.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::ti {

// "ipv4", "ipv6", "domain", "url", "md5", "sha1", "sha256"; "" for anything else.
std::string ioc_type(std::string_view observable);

enum class Severity { kUnknown = 0, kInformation = 1, kWarning = 2, kHigh = 3 };
const char* severity_name(Severity s);
Severity severity_from_name(std::string_view name);

struct Result {
  std::string observable, ioc_type, provider;
  std::string status = "error";  // ok, not_found, no_key, quota, error
  std::string detail;            // why; never a key
  Severity severity = Severity::kUnknown;
  std::string result;            // one line for people
  std::string details = "{}";    // JSON
  std::string reference;         // a link (or file:line for local)
  std::string raw;               // JSON (the provider's reply), "" when none
  bool cached = false;
  double fetched_at = 0;         // epoch seconds
};

// The JSON the cache keeps for an ok / not_found Result, and back.
std::string to_cache_json(const Result& r);
bool from_cache_json(std::string_view json, Result& r);

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
  bool (*supports)(std::string_view ioc_type);
  // Path and query after the base URL, and the key header ("Name: value").
  std::string (*path)(std::string_view observable, std::string_view ioc_type);
  const char* key_header;
  std::string (*reference)(std::string_view observable, std::string_view ioc_type);
  // Fills status/detail/severity/result/details/raw from a reply with a body.
  void (*parse)(const HttpReply& reply, Result& r);
};

const std::vector<RemoteProvider>& remote_providers();
const RemoteProvider* find_remote(std::string_view name);
// Every provider name, local first.
std::vector<std::string> provider_names();

// Turns any reply (transport error, quota, redirect, 4xx/5xx, malformed JSON, or a
// good answer) into r's fields. Never throws.
void interpret(const RemoteProvider& p, const HttpReply& reply, Result& r);

// Percent-encodes every byte outside RFC 3986's unreserved set.
std::string url_encode(std::string_view s);
std::string base64url(std::string_view s);  // no padding (VirusTotal URL ids)

// ---- local indicator files ------------------------------------------------------

struct Indicator {
  std::string value;     // trimmed
  std::string type;      // the file's own type column, trimmed ("" when none)
  std::string severity;  // the file's severity column, "" when none
  std::string fields;    // the whole record as a JSON object
  std::string file;
  size_t line = 0;
};

class LocalIndicators {
 public:
  // Reads every file (CSV with a header row, read by core/csv.h, or JSON lines when the
  // name ends in .jsonl / .ndjson / .json or the first byte is '{'). The indicator is the first
  // column named indicator, ioc, observable or value (any case); a type column is
  // type, indicatortype or ioctype; a severity column is severity. Throws
  // sqlhunt::Error (file and line) for a file without an indicator column or a
  // malformed record.
  static std::unique_ptr<LocalIndicators> load(const std::vector<std::string>& files);
  void add_text(std::string_view text, const std::string& file, bool json_lines);

  // Every indicator matching `observable` (addresses canonically, hashes and domains
  // without regard to case, anything else exactly after trimming).
  std::vector<const Indicator*> match(std::string_view observable) const;
  size_t size() const { return all_.size(); }

 private:
  std::vector<Indicator> all_;
  std::multimap<std::string, size_t> index_;  // normalised value -> all_
};

std::string normalise_indicator(std::string_view value);

// The local provider's Result for one observable.
Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none);

}  // namespace sqlhunt::ti
