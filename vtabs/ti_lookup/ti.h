// vtabs/ti_lookup/ti.h — threat intel: what one answer is, how it is typed and kept.
//
// Pure code (no SQLite, no network). The pieces:
//   ti.h / ti.cpp          Result and Severity, the cache codec, and classify(): the one
//                          IoC classifier (core/ioc's, the same as ioc_type())
//   providers.h / .cpp     the four remote providers: request, reply interpretation
//   local_feed.h / .cpp    the `local` provider: indicator files (CSV, JSON lines)
//   ti_engine.h / .cpp     a batch of lookups: local, cache, concurrent HTTP (adapter side)
//
// Statuses: ok, not_found, not_configured (the provider's setting is not set: no key,
// no indicator files), skipped (not asked, and why: not an indicator type it answers,
// not a public address, no network in this build), offline (the offline switch is
// on and the cache had no answer), quota, error.
// Severity (msticpy's rules; unknown < information < warning < high): see providers.h
// and local_feed.h; not_found is information; every other status but ok is unknown.
#pragma once

#include <string>
#include <string_view>

namespace sqlhunt::ti {

// What an observable is, by core/ioc's classifier (ioc::whole): `type` as ioc_type()
// names it ("" when it is not exactly one indicator) and `value`, the indicator
// refanged and normalised (the observable trimmed when it is none). Providers are
// asked about `value`: 'hxxp://Evil[.]com/a' is asked as 'http://evil.com/a'.
struct Classified {
  std::string type;
  std::string value;
};
Classified classify(std::string_view observable);
// classify(observable).type: "ipv4", "domain", "url", "email", ...; "" for anything else.
std::string ioc_type(std::string_view observable);

enum class Severity { kUnknown = 0, kInformation = 1, kWarning = 2, kHigh = 3 };
const char* severity_name(Severity s);
// information/info/informational/low, warning/medium, high/critical (any case, spaces
// around ignored); anything else is unknown.
Severity severity_from_name(std::string_view name);

struct Result {
  std::string observable;        // as given
  std::string value;             // as asked (Classified::value)
  std::string ioc_type, provider;
  std::string status = "error";  // ok, not_found, not_configured, skipped, offline, quota, error
  std::string detail;            // why; never a key
  Severity severity = Severity::kUnknown;
  std::string result;            // one line for people
  std::string details = "{}";    // JSON
  std::string reference;         // a link (or file:line for local)
  std::string raw;               // JSON (the provider's reply), "" when none
  bool cached = false;
  double fetched_at = 0;         // epoch seconds; 0 when nothing was fetched
};

// The JSON the cache keeps for an ok / not_found Result, and back.
std::string to_cache_json(const Result& r);
bool from_cache_json(std::string_view json, Result& r);

}  // namespace sqlhunt::ti
