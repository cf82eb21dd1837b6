// vtabs/ti_lookup/local_feed.h — the `local` provider: the analyst's own indicator
// files (ti.local), matched without anything leaving the machine.
//
// Files are CSV with a header row (core/csv.h: RFC 4180 quoting, CRLF, a BOM) or JSON
// lines (.jsonl / .ndjson / .json, or a first byte '{'). The indicator is the first
// column named indicator, ioc, observable or value (any case); a type column is type,
// indicatortype or ioctype; a severity column is severity. A match is high severity,
// or the file's own severity (severity_from_name) when it has one.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vtabs/ti_lookup/ti.h"

namespace sqlhunt::ti {

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
  // Reads every file. Throws sqlhunt::Error (file and line) for a file without an
  // indicator column or a malformed record.
  static std::unique_ptr<LocalIndicators> load(const std::vector<std::string>& files);
  void add_text(std::string_view data, const std::string& file, bool json_lines);

  // Every indicator matching `observable` (see normalise_indicator), each once.
  std::vector<const Indicator*> match(std::string_view observable) const;
  size_t size() const { return all_.size(); }

 private:
  std::vector<Indicator> all_;
  std::multimap<std::string, size_t> index_;  // normalised value -> all_
};

// The form two values are compared in: an address canonically (an IPv4-mapped IPv6
// as its IPv4), an indicator as classify() writes it (refanged; hashes, domains, a
// URL's scheme and host in lower case), a dotted name or a hash-length hex run that
// classify() does not take (host.local, an all-letter hex run) in lower case too,
// anything else trimmed and exact.
std::string normalise_indicator(std::string_view value);

// The local provider's Result for one observable. Without indicator files (db null),
// status not_configured with `why_none` as the detail.
Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none);

}  // namespace sqlhunt::ti
