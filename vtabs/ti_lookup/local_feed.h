// vtabs/ti_lookup/local_feed.h — the `local` provider: the analyst's own indicator
// files (ti.local), matched without anything leaving the machine.
//
// Files are CSV with a header row (core/csv.h: RFC 4180 quoting, CRLF, a BOM) or JSON
// lines (.jsonl / .ndjson / .json, or a first byte '{'). The indicator is the first
// column named indicator, ioc, observable or value (any case); a type column is type,
// indicatortype or ioctype; a severity column is severity. A match is high severity,
// or the file's own severity (severity_from_name) when it has one.
#pragma once

#include <cstdint>
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

// The files are streamed, never read whole: loading keeps 16 bytes an indicator (a hash
// of its normalised value and which file holds it), whatever the records hold, and a
// lookup whose observables hash to something reads the files that hold it again, once
// for all of them, keeping the records that really match. So memory follows the
// number of indicators (16 MB for a million), not the feed's bytes, and the common
// answer, not_found, reads no file.
class LocalIndicators {
 public:
  // Reads every file once (plain or gzip). Throws sqlhunt::Error (file and line) for a
  // file without an indicator column or a malformed record.
  static std::unique_ptr<LocalIndicators> load(const std::vector<std::string>& files);
  // Indicators held in memory (tests, fuzzing), read as the file `file` would be.
  void add_text(std::string_view data, const std::string& file, bool json_lines);

  // The indicators matching each observable, by normalise_indicator(observable); an
  // observable without any is absent. Throws as load() does when a file changed.
  std::map<std::string, std::vector<Indicator>> find(const std::vector<std::string>& observables) const;
  // find() for one observable.
  std::vector<Indicator> match(std::string_view observable) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Source {
    std::string file;
    bool json_lines = false;
    bool in_memory = false;
    std::string text;  // in_memory only
  };
  struct Entry {
    uint64_t hash;
    uint32_t source;
    bool operator<(const Entry& o) const { return hash < o.hash || (hash == o.hash && source < o.source); }
  };
  void index(uint32_t source);

  std::vector<Source> sources_;
  std::vector<Entry> entries_;  // sorted
};

// The form two values are compared in: an address canonically (an IPv4-mapped IPv6
// as its IPv4), an indicator as classify() writes it (refanged; hashes, domains, a
// URL's scheme and host in lower case), a dotted name or a hash-length hex run that
// classify() does not take (host.local, an all-letter hex run) in lower case too,
// anything else trimmed and exact.
std::string normalise_indicator(std::string_view value);

// The local provider's Result for one observable, from what find() gave for it (the
// entry for its normalised form; none: not_found). Without indicator files (db null),
// status not_configured with `why_none` as the detail.
Result local_result(const LocalIndicators* db, std::string_view observable,
                    const std::map<std::string, std::vector<Indicator>>& found, const std::string& why_none);
// The same, asking db itself (one observable: tests).
Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none);

}  // namespace sqlhunt::ti
