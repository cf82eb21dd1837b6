// core/time.h — every source's time, turned into sqlhunt's one form.
//
// Each table with rows that happen at a time has `time`, ISO-8601 UTC text with
// milliseconds ("2019-02-18T15:29:22.301Z": sorts as text, works with SQLite's date
// functions), and `epoch`, REAL seconds. This file converts between the two and parses
// the forms the sources write:
//
//   2019-02-18T15:29:22.301Z            ISO-8601, 0 to 9 fraction digits
//   2021-03-05T10:07:29.0421232Z        (Sentinel writes 7)
//   2019-02-18T15:29:22+01:00           an offset (also +0100, +01)
//   2019-01-15 04:15:03.123             a space instead of T; no zone means UTC
//   2019-01-15T04:15, 2019-01-15T04     minutes or the hour alone (ISO's reduced forms)
//   2019-02-18                          a date alone (midnight UTC)
//   4/28/2021, 3:05:26.000 PM           the Log Analytics portal's US locale export
//   4/28/2021 15:05:26, 4/28/2021       (without AM/PM: 24-hour; a date alone)
//   1551485400.123                      epoch seconds
//
// Times without a zone are taken as UTC: every source sqlhunt reads writes UTC
// (Sentinel exports, auditd's epoch seconds), and guessing a local zone would make the
// same file mean different things on different machines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::timefmt {

// Length of the ISO form, "YYYY-MM-DDTHH:MM:SS.mmmZ", for years 0000..9999.
inline constexpr size_t kIsoLength = 24;

// Writes the ISO form of a time given in milliseconds since the epoch into `out`
// (kIsoLength bytes, no terminator) and returns kIsoLength. Years outside 0..9999 are
// clamped to that range's ends: no source writes them, and the text must keep sorting.
size_t format_iso_ms(int64_t epoch_ms, char* out);

// The ISO form of epoch seconds, rounded to the nearest millisecond, clamped as
// epoch_ms_from_seconds() clamps.
std::string iso_from_epoch(double epoch_seconds);

// Epoch milliseconds from epoch seconds, rounded to nearest (as `time` shows it), and
// clamped to what format_iso_ms() can show: 0000-01-01T00:00:00.000Z .. 9999-12-31T
// 23:59:59.999Z, so the epoch and the time of a row agree. +inf and huge values give
// the last, -inf the first; NaN, which is no time, gives the first too (it sorts
// before every real time and is never taken for one).
int64_t epoch_ms_from_seconds(double epoch_seconds);

// Parses any of the forms above into epoch seconds; nullopt when `text` is none of
// them or names an impossible date (2019-02-30) or time (25:00).
std::optional<double> parse(std::string_view text);

// A text bound on an ISO `time` column, as epoch seconds a reader can push down.
// SQLite compares `time >= '2019-03-02T00:20'` as text, not as instants, so the bound
// is read the way text comparison reads it: the digits of its YYYY-MM-DD[THH[:MM[:SS]]]
// prefix as UTC, whatever follows (a zone offset, a space instead of T, a fraction).
// Every ISO time (kIsoLength form) that sorts at or after `text` is at or after
// `lower`, and every one that sorts at or before it is at or before `upper`. nullopt
// when the text does not start with a date (then nothing can be pushed down).
struct TextBound {
  double lower, upper;
};
std::optional<TextBound> iso_text_bound(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (no range check).
int64_t days_from_civil(int year, unsigned month, unsigned day);

}  // namespace sqlhunt::timefmt
