// vtabs/kql/kql_text.h — writing KQL: literals, names and the clauses sqlhunt appends
// to an analyst's query (pure; no SQLite, no network).
//
// Everything sqlhunt adds to a query comes from SQL values (`WHERE Computer = 'x'`,
// `IN (...)`, time bounds, LIMIT), so every value goes through one of the literal
// writers here and never into the text as it stands:
//
//   string_literal("it's \"x\"\n")  ->  "it's \"x\"\n"   (double-quoted; \" \\ \n \r \t
//                                        escaped, as the KQL string docs specify)
//   identifier("TimeGenerated")      ->  TimeGenerated
//   identifier("my col")             ->  ['my col']        (any name; ' and \ escaped)
//   datetime_literal(ticks)          ->  datetime(2019-03-02T00:40:00.123Z)
//
// A string the documented escapes cannot carry (a control character other than tab,
// newline and return: JSON's \u0001 is not KQL's; or bytes that are not UTF-8: Kusto stores strings as valid
// UTF-8, so no stored value can equal one) has no literal: string_literal() says so and
// the caller filters that value itself or knows it matches nothing.
//
// Times are Kusto's: 100-nanosecond ticks since 1970-01-01T00:00:00Z (int64, exact).
// A datetime becomes sqlhunt's time text by cutting it to the millisecond
// (floor_ms), so a bound written in milliseconds means the same thing on both sides:
// `time >= T` keeps exactly the rows with ticks >= T, `time <= T` those with ticks <
// T + 1 ms (see kql_query.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::kql {

inline constexpr int64_t kTicksPerSecond = 10'000'000;
inline constexpr int64_t kTicksPerMs = 10'000;
// Kusto's datetime range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.9999999Z.
inline constexpr int64_t kMinTicks = -62'135'596'800LL * kTicksPerSecond;
inline constexpr int64_t kMaxTicks = 253'402'300'800LL * kTicksPerSecond - 1;

// Milliseconds of a tick count, rounded toward minus infinity.
inline int64_t floor_ms(int64_t ticks) {
  return ticks >= 0 ? ticks / kTicksPerMs : -((-ticks + kTicksPerMs - 1) / kTicksPerMs);
}

// "..." for `s`; nullopt when no KQL string literal can hold it (see above).
std::optional<std::string> string_literal(std::string_view s);

// A column name as KQL reads it: bare when it is a plain identifier that is no
// keyword, else ['...'].
std::string identifier(std::string_view name);

// datetime(...) of a tick count: whole seconds without a fraction, milliseconds with
// three digits, anything finer with seven. `ticks` must be within Kusto's range.
std::string datetime_literal(int64_t ticks);

// The ISO text of a tick count (the same forms, without datetime(...)).
std::string iso_ticks(int64_t ticks);

std::string long_literal(int64_t v);
// real(...) with every digit a double needs to read back the same (real(+inf) too).
std::string real_literal(double v);

// Exact ticks of an ISO-8601 time as Kusto writes them ("2019-02-18T15:29:22.3010000Z",
// any number of fraction digits, 'Z', an offset or no zone meaning UTC, a space for
// 'T'); nullopt for anything else (and outside Kusto's range).
std::optional<int64_t> parse_ticks(std::string_view text);

// `query` with `clauses` appended, one per line as "| clause". Trailing blanks and
// semicolons of the query are dropped first (a `;` would end the statement), and a
// trailing `//` comment is ended by the newline. Appending applies the clauses to the
// query's last tabular expression, which is what the query returns.
std::string append_clauses(std::string_view query, const std::vector<std::string>& clauses);

}  // namespace sqlhunt::kql
