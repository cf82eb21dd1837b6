#include "core/time.h"

#include <date/date.h>

#include <cmath>
#include <cstring>

namespace sqlhunt::timefmt {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

// floor division, for times before 1970
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// A small cursor over the text being parsed: every reader advances only on success.
struct Scanner {
  std::string_view s;
  size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // 1..max_digits digits (exactly `min_digits` at least)
  bool number(int min_digits, int max_digits, int& value) {
    size_t j = i;
    int v = 0;
    while (j < s.size() && j - i < static_cast<size_t>(max_digits) && s[j] >= '0' && s[j] <= '9')
      v = v * 10 + (s[j++] - '0');
    if (j - i < static_cast<size_t>(min_digits)) return false;
    i = j;
    value = v;
    return true;
  }
  // ".ddd..." (or ",ddd" as ISO allows); any number of digits, kept to nanoseconds
  bool fraction(double& value) {
    if (peek() != '.' && peek() != ',') return true;
    size_t j = i + 1;
    double scale = 0.1, v = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
      v += (s[j++] - '0') * scale;
      scale /= 10;
    }
    if (j == i + 1) return false;
    i = j;
    value = v;
    return true;
  }
  void spaces() {
    while (peek() == ' ') ++i;
  }
};

bool valid_date(int y, int m, int d) {
  return date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(m)},
                              date::day{static_cast<unsigned>(d)}}
      .ok();
}

std::optional<double> compose(int y, int mo, int d, int h, int mi, int sec, double frac,
                              int offset_minutes) {
  if (!valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t whole = days * 86400 + h * 3600 + mi * 60 + sec - int64_t{offset_minutes} * 60;
  return static_cast<double>(whole) + frac;
}

// HH:MM[:SS[.fff]] ; leaves h/mi/sec/frac set
// h:mm[:ss[.fff]]; with `hour_alone`, an hour by itself too (ISO's reduced precision,
// "2023-11-15T01").
bool clock(Scanner& sc, int& h, int& mi, int& sec, double& frac, int hour_digits_min, bool hour_alone = false) {
  sec = 0;
  frac = 0;
  mi = 0;
  if (!sc.number(hour_digits_min, 2, h)) return false;
  if (hour_alone && sc.peek() != ':') return true;
  if (!sc.eat(':') || !sc.number(2, 2, mi)) return false;
  if (sc.eat(':')) {
    if (!sc.number(2, 2, sec) || !sc.fraction(frac)) return false;
  }
  return true;
}

std::optional<double> parse_iso(std::string_view text) {
  Scanner sc{text};
  int y, mo, d, h = 0, mi = 0, sec = 0;
  double frac = 0;
  if (!sc.number(4, 4, y) || !sc.eat('-') || !sc.number(2, 2, mo) || !sc.eat('-') ||
      !sc.number(2, 2, d))
    return std::nullopt;
  int offset = 0;
  if (!sc.done()) {
    if (!sc.eat('T') && !sc.eat('t') && !sc.eat(' ')) return std::nullopt;
    if (!clock(sc, h, mi, sec, frac, 2, /*hour_alone=*/true)) return std::nullopt;
    sc.spaces();
    if (sc.eat('Z') || sc.eat('z')) {
    } else if (sc.peek() == '+' || sc.peek() == '-') {
      const int sign = sc.peek() == '-' ? -1 : 1;
      ++sc.i;
      int oh = 0, om = 0;
      if (!sc.number(2, 2, oh)) return std::nullopt;
      if (sc.eat(':')) {
        if (!sc.number(2, 2, om)) return std::nullopt;
      } else if (!sc.done()) {
        if (!sc.number(2, 2, om)) return std::nullopt;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 60 + om);
    } else if (sc.s.substr(sc.i) == "UTC") {
      sc.i += 3;
    }
  }
  if (!sc.done()) return std::nullopt;
  return compose(y, mo, d, h, mi, sec, frac, offset);
}

// M/D/YYYY[,] [h:mm[:ss[.fff]] [AM|PM]]
std::optional<double> parse_us(std::string_view text) {
  Scanner sc{text};
  int mo, d, y, h = 0, mi = 0, sec = 0;
  double frac = 0;
  if (!sc.number(1, 2, mo) || !sc.eat('/') || !sc.number(1, 2, d) || !sc.eat('/') ||
      !sc.number(4, 4, y))
    return std::nullopt;
  if (!sc.done()) {
    sc.eat(',');
    sc.spaces();
    if (!clock(sc, h, mi, sec, frac, 1)) return std::nullopt;
    sc.spaces();
    std::string_view rest = sc.s.substr(sc.i);
    if (rest.size() == 2 && (rest[1] == 'M' || rest[1] == 'm')) {
      const bool pm = rest[0] == 'P' || rest[0] == 'p';
      if (!pm && rest[0] != 'A' && rest[0] != 'a') return std::nullopt;
      if (h < 1 || h > 12) return std::nullopt;
      h = (h % 12) + (pm ? 12 : 0);
      sc.i += 2;
    }
  }
  if (!sc.done()) return std::nullopt;
  return compose(y, mo, d, h, mi, sec, frac, 0);
}

std::optional<double> parse_epoch(std::string_view text) {
  Scanner sc{text};
  int digits_seen = 0;
  int64_t whole = 0;
  while (!sc.done() && sc.peek() >= '0' && sc.peek() <= '9' && digits_seen < 12) {
    whole = whole * 10 + (sc.peek() - '0');
    ++sc.i;
    ++digits_seen;
  }
  double frac = 0;
  if (digits_seen == 0 || !sc.fraction(frac) || !sc.done()) return std::nullopt;
  return static_cast<double>(whole) + frac;
}

}  // namespace

int64_t days_from_civil(int year, unsigned month, unsigned day) {
  return date::sys_days{date::year{year} / date::month{month} / date::day{day}}
      .time_since_epoch()
      .count();
}

size_t format_iso_ms(int64_t epoch_ms, char* out) {
  // 0000-01-01 .. 9999-12-31T23:59:59.999
  constexpr int64_t kMin = -62'167'219'200'000;
  constexpr int64_t kMax = 253'402'300'799'999;
  if (epoch_ms < kMin) epoch_ms = kMin;
  if (epoch_ms > kMax) epoch_ms = kMax;
  const int64_t days = floor_div(epoch_ms, kMsPerDay);
  int64_t ms_of_day = epoch_ms - days * kMsPerDay;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  const int y = static_cast<int>(ymd.year());
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  put2(out + 2, static_cast<unsigned>(y % 100));
  out[4] = '-';
  put2(out + 5, static_cast<unsigned>(ymd.month()));
  out[7] = '-';
  put2(out + 8, static_cast<unsigned>(ymd.day()));
  out[10] = 'T';
  const auto ms = static_cast<unsigned>(ms_of_day % 1000);
  auto secs = static_cast<unsigned>(ms_of_day / 1000);
  put2(out + 11, secs / 3600);
  out[13] = ':';
  put2(out + 14, secs / 60 % 60);
  out[16] = ':';
  put2(out + 17, secs % 60);
  out[19] = '.';
  out[20] = static_cast<char>('0' + ms / 100);
  put2(out + 21, ms % 100);
  out[23] = 'Z';
  return kIsoLength;
}

namespace {
// The ends format_iso_ms clamps to: 0000-01-01T00:00:00.000Z, 9999-12-31T23:59:59.999Z.
constexpr int64_t kIsoFirstMs = -62'167'219'200'000;
constexpr int64_t kIsoLastMs = 253'402'300'799'999;
}  // namespace

int64_t epoch_ms_from_seconds(double epoch_seconds) {
  // Clamp as a double, before any conversion: llround of NaN, of +-inf or of anything
  // past 2^63 ms is unspecified (LLONG_MIN on x86-64, which made +1e300 year 0000).
  // `!(ms >= first)` is true for NaN too.
  const double ms = epoch_seconds * 1000.0;
  if (!(ms >= static_cast<double>(kIsoFirstMs))) return kIsoFirstMs;
  if (ms > static_cast<double>(kIsoLastMs)) return kIsoLastMs;
  return static_cast<int64_t>(std::llround(ms));
}

std::string iso_from_epoch(double epoch_seconds) {
  char buf[kIsoLength];
  format_iso_ms(epoch_ms_from_seconds(epoch_seconds), buf);
  return std::string(buf, kIsoLength);
}

std::optional<double> parse(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() < 1) return std::nullopt;
  if (text.size() >= 10 && text[4] == '-') return parse_iso(text);
  if (text.find('/') != std::string_view::npos) return parse_us(text);
  return parse_epoch(text);
}

std::optional<TextBound> iso_text_bound(std::string_view text) {
  // digits at [pos, pos+n) as a number, or -1
  auto num = [&](size_t pos, size_t n) -> int {
    if (text.size() < pos + n) return -1;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  if (y < 0 || mo < 0 || d < 0 || text[4] != '-' || text[7] != '-' || !valid_date(y, mo, d))
    return std::nullopt;
  const double day = static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo),
                                                         static_cast<unsigned>(d))) * 86400.0;
  // Whatever the rest says, the bound sorts within this day: [day, day + 1 day].
  TextBound b{day, day + 86400.0};
  if (text.size() == 10) return TextBound{day, day};  // "2019-03-02" sorts before the day's times
  if (text[10] != 'T') return b;
  // Each further component that is well-formed narrows the interval to its unit.
  const int h = num(11, 2);
  if (h < 0 || h > 23) return b;
  b = {day + h * 3600.0, day + (h + 1) * 3600.0};
  if (text.size() < 14 || text[13] != ':') return b;
  const int mi = num(14, 2);
  if (mi < 0 || mi > 59) return b;
  b = {day + h * 3600.0 + mi * 60.0, day + h * 3600.0 + (mi + 1) * 60.0};
  if (text.size() < 17 || text[16] != ':') return b;
  const int sec = num(17, 2);
  if (sec < 0 || sec > 59) return b;
  const double at = day + h * 3600.0 + mi * 60.0 + sec;
  return TextBound{at, at + 1.0};
}

}  // namespace sqlhunt::timefmt
