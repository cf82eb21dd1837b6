// core/record_fields.h — the named fields of an exported record, and their values read
// the way exports write them.
//
// A table over exports (core/record_stream.h) maps a few dozen source fields to its
// columns, out of records that may carry 131 of them (Sentinel's OfficeActivity) under
// names that change with the export path: "TimeGenerated [UTC]" from the portal,
// "SrcIP_s" in a raw Log Analytics custom log and "SrcIP" after a notebook's
// projection, "ClientIP" or "clientip". FieldPicker reads a record's fields once and
// answers each slot with the value of the first of its names the record has:
//
//   names match without regard to ASCII case and without a unit suffix (" [UTC]");
//   with kCustomLogSuffix, also without a custom-log type suffix ("_s", "_d", "_t",
//   "_b", "_g", what Log Analytics appends to the columns of a `_CL` table);
//   a slot's names are in order of preference: the first one with a value wins,
//   whatever order the record has them in (null and "" are no value, so "UserId_",
//   the portal's flattened duplicate of "UserId", stands in when "UserId" is empty);
//   a field written twice under one name keeps its first value.
//
// Records of one export mostly repeat their key order, so the names of the previous
// record are remembered and a repeated name costs one comparison, not a lookup.
//
// The value readers below accept what exports write for one value: a JSON number or
// the same number as text ("443", "443.0" from pandas), a time as ISO-8601, the
// portal's US locale, or epoch seconds or milliseconds. Empty strings and null are
// absent. Nothing here throws or allocates per call except text().
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

namespace sqlhunt::records {

using Value = std::optional<simdjson::dom::element>;

class FieldPicker {
 public:
  enum Options : unsigned { kPlainNames = 0, kCustomLogSuffix = 1u << 0 };

  // slots[i] lists the names slot i answers to, the preferred first.
  FieldPicker(std::initializer_list<std::initializer_list<const char*>> slots, unsigned options = kPlainNames);

  // Reads the fields of `record` (an object; anything else leaves every slot absent).
  // The values stay valid as long as the record's element does.
  void pick(simdjson::dom::element record);
  // The value of slot `i` in the record last picked.
  const Value& operator[](size_t i) const { return values_[i]; }
  // How many of the record's fields answered a slot.
  size_t matched() const { return matched_; }

  // The identifying form of a field name (lower case, suffixes dropped per `options`).
  static std::string key_of(std::string_view name, unsigned options);

 private:
  struct Known {
    std::string name;  // as the record wrote it
    int slot = -1;     // -1: answers none
    int rank = 0;      // the name's place in its slot's list
  };
  unsigned options_;
  std::unordered_map<std::string, std::pair<int, int>> names_;  // key -> (slot, rank)
  std::vector<Known> last_;   // the previous record's fields, in order
  std::vector<Value> values_;
  std::vector<int> ranks_;
  size_t matched_ = 0;
};

// The member `key` of an object (the exact name first, then without regard to ASCII
// case); absent when `v` is not an object or has no such member. For the few nested
// fields of a known layout (an NSG flow log's properties.flows), where a FieldPicker
// pass over every field would be more than the lookup.
Value member(const Value& v, std::string_view key);

// A string value as it is; any other value as compact JSON. Absent: null, "".
std::optional<std::string> text(const Value& v);
// A string value without a copy (valid as long as the record is); absent for "" and
// for values that are not strings.
std::optional<std::string_view> string_view_of(const Value& v);

// A number, or text holding a decimal number ("443", "-2147217390", "4.0", " 12 ").
std::optional<double> number(const Value& v);
// A whole number: an integer, or a number/text with no fraction ("443.0" is 443).
std::optional<int64_t> integer(const Value& v);
// A decimal number written as text; nullopt for anything else.
std::optional<double> parse_decimal(std::string_view s);

// A time, in epoch seconds. kAbsent: no value; kBad: a value that is no time (or a
// time outside the years 1..9999). Numbers (and text that is only a number) are epoch
// seconds, or milliseconds from 1e11 up (1e11 s is the year 5138, 1e11 ms is 1973);
// text is read by core/time.h (ISO-8601 with any fraction, "2019-01-11 06:31:40",
// "4/28/2021, 3:05:26.000 PM").
enum class TimeRead { kAbsent, kOk, kBad };
TimeRead read_time(const Value& v, double& seconds);
// Epoch seconds or milliseconds (by size, as read_time) to seconds.
double epoch_seconds(double v);

// A value as an error message shows it: text as is, other values as JSON, cut to 40
// characters.
std::string shown(const Value& v);

}  // namespace sqlhunt::records
