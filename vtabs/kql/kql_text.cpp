#include "vtabs/kql/kql_text.h"

#include <date/date.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/json_text.h"
#include "core/text.h"

namespace sqlhunt::kql {
namespace {

bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Words that stop being a column name where KQL expects an expression; such a column
// is written ['name']. Brackets are always correct, so the list need not be complete
// for safety, only for readability.
constexpr std::string_view kKeywords[] = {
    "and", "or", "not", "in", "has", "between", "by", "on", "with", "let", "set", "where", "project",
    "extend", "summarize", "take", "limit", "sort", "order", "top", "join", "union", "true", "false",
    "null", "datetime", "timespan", "dynamic", "bool", "int", "long", "real", "string", "guid",
    "decimal", "typeof", "range", "print", "as", "of", "asc", "desc", "contains", "startswith",
    "endswith", "matches", "regex", "like", "count", "distinct", "evaluate", "parse", "mv-expand",
    "render", "search", "find", "materialize", "toscalar", "nulls", "first", "last", "kind", "hint"};

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Reads `n` digits at s[i...]; -1 when they are not all digits.
int digits(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!is_digit(s[i + k])) return -1;
    v = v * 10 + (s[i + k] - '0');
  }
  return v;
}

}  // namespace

std::optional<std::string> string_literal(std::string_view s) {
  if (!json::is_valid_utf8(s)) return std::nullopt;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') return std::nullopt;
  // What is left is escaped by KQL's double-quoted literal exactly as by JSON's
  // (\" \\ \n \r \t), every other byte as it is.
  std::string out;
  json::append_string(out, s);
  return out;
}

std::string identifier(std::string_view name) {
  bool plain = !name.empty() && is_ident_start(name[0]) &&
               std::all_of(name.begin(), name.end(), is_ident_char);
  if (plain) {
    const std::string lower = text::ascii_lower(name);
    for (auto k : kKeywords)
      if (lower == k) plain = false;
  }
  if (plain) return std::string(name);
  std::string out = "['";
  for (char c : name) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  out += "']";
  return out;
}

std::string iso_ticks(int64_t ticks) {
  ticks = std::clamp(ticks, kMinTicks, kMaxTicks);
  const int64_t secs = floor_div(ticks, kTicksPerSecond);
  const int64_t frac = ticks - secs * kTicksPerSecond;
  const int64_t days = floor_div(secs, 86400);
  const int64_t sod = secs - days * 86400;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  if (frac % kTicksPerMs == 0 && frac != 0)
    n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(frac / kTicksPerMs));
  else if (frac != 0)
    n += std::snprintf(buf + n, sizeof buf - n, ".%07d", static_cast<int>(frac));
  buf[n++] = 'Z';
  return std::string(buf, static_cast<size_t>(n));
}

std::string datetime_literal(int64_t ticks) { return "datetime(" + iso_ticks(ticks) + ")"; }

std::string long_literal(int64_t v) { return std::to_string(v); }

std::string real_literal(double v) {
  if (std::isnan(v)) return "real(nan)";
  if (std::isinf(v)) return v > 0 ? "real(+inf)" : "real(-inf)";
  char buf[40];
  std::snprintf(buf, sizeof buf, "real(%.17g)", v);
  return buf;
}

std::optional<int64_t> parse_ticks(std::string_view s) {
  s = text::trim(s);
  // YYYY-MM-DD[T ]HH:MM[:SS[.fffffff]][Z|+hh:mm|-hh:mm|+hhmm]
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || s.size() < 16 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' '))
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2);
  if (h < 0 || h > 23 || s[13] != ':' || mi < 0 || mi > 59) return std::nullopt;
  size_t i = 16;
  int sec = 0;
  int64_t frac = 0;
  if (i < s.size() && s[i] == ':') {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return std::nullopt;
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      size_t n = 0;
      while (i < s.size() && is_digit(s[i])) {
        if (n < 7) frac = frac * 10 + (s[i] - '0');
        ++n, ++i;
      }
      if (n == 0) return std::nullopt;
      for (size_t k = n; k < 7; ++k) frac *= 10;  // finer than a tick is cut
    }
  }
  int64_t offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      const int oh = digits(s, i + 1, 2);
      if (oh < 0 || oh > 23) return std::nullopt;
      i += 3;
      int om = 0;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size()) {
        om = digits(s, i, 2);
        if (om < 0 || om > 59) return std::nullopt;
        i += 2;
      }
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (i != s.size()) return std::nullopt;
  const int64_t days = date::sys_days{ymd}.time_since_epoch().count();
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  const int64_t ticks = secs * kTicksPerSecond + frac;
  if (ticks < kMinTicks || ticks > kMaxTicks) return std::nullopt;
  return ticks;
}

std::string append_clauses(std::string_view query, const std::vector<std::string>& clauses) {
  while (!query.empty() && (text::is_blank(query.back()) || query.back() == ';')) query.remove_suffix(1);
  std::string out(query);
  for (const auto& c : clauses) {
    out += "\n| ";
    out += c;
  }
  return out;
}

}  // namespace sqlhunt::kql
