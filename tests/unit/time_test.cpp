#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

using namespace sqlhunt::timefmt;

namespace {
std::string iso(std::string_view text) {
  auto t = parse(text);
  return t ? iso_from_epoch(*t) : "nullopt";
}
}  // namespace

TEST(Time, FormatsMilliseconds) {
  EXPECT_EQ(iso_from_epoch(1550503762.301), "2019-02-18T15:29:22.301Z");
  EXPECT_EQ(iso_from_epoch(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_from_epoch(-0.001), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(iso_from_epoch(951782400), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(iso_from_epoch(1551485400.9996), "2019-03-02T00:10:01.000Z");  // rounds
}

TEST(Time, ClampsYearsOutsideFourDigits) {
  EXPECT_EQ(iso_from_epoch(1e13), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(iso_from_epoch(-1e12), "0000-01-01T00:00:00.000Z");
}

// Past the range, the double is clamped before it becomes an integer: llround of these
// is unspecified (LLONG_MIN on x86-64, which gave +1e300 and +inf the year 0000).
TEST(Time, ClampsHugeInfiniteAndNaN) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr int64_t first = -62'167'219'200'000, last = 253'402'300'799'999;
  EXPECT_EQ(epoch_ms_from_seconds(1e300), last);
  EXPECT_EQ(epoch_ms_from_seconds(inf), last);
  EXPECT_EQ(epoch_ms_from_seconds(9.3e15), last);  // just past 2^63 ms
  EXPECT_EQ(epoch_ms_from_seconds(-1e300), first);
  EXPECT_EQ(epoch_ms_from_seconds(-inf), first);
  EXPECT_EQ(epoch_ms_from_seconds(nan), first);
  EXPECT_EQ(iso_from_epoch(1e300), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(iso_from_epoch(inf), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(iso_from_epoch(-1e300), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_from_epoch(-inf), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_from_epoch(nan), "0000-01-01T00:00:00.000Z");
  // The ends themselves, and rounding just inside them, stay in range.
  EXPECT_EQ(iso_from_epoch(253402300799.999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(epoch_ms_from_seconds(253402300799.9996), last);
  EXPECT_EQ(iso_from_epoch(-62167219200.0), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(epoch_ms_from_seconds(1e13), last);  // the epoch agrees with the clamped time
}

TEST(Time, ParsesIso) {
  EXPECT_EQ(iso("2019-02-18T15:29:22.301Z"), "2019-02-18T15:29:22.301Z");
  EXPECT_EQ(iso("2021-03-05T10:07:29.0421232Z"), "2021-03-05T10:07:29.042Z");
  EXPECT_EQ(iso("2019-02-11T09:58:50.05Z"), "2019-02-11T09:58:50.050Z");
  EXPECT_EQ(iso("2019-02-18T02:29:07Z"), "2019-02-18T02:29:07.000Z");
  EXPECT_EQ(iso("2019-01-15 04:15:03.123"), "2019-01-15T04:15:03.123Z");
  EXPECT_EQ(iso("2019-01-10 12:00:01"), "2019-01-10T12:00:01.000Z");
  EXPECT_EQ(iso("2019-02-18"), "2019-02-18T00:00:00.000Z");
  EXPECT_EQ(iso("2019-02-18T16:00:00+01:00"), "2019-02-18T15:00:00.000Z");
  EXPECT_EQ(iso("2019-02-18T16:00:00-0130"), "2019-02-18T17:30:00.000Z");
  EXPECT_EQ(iso("2019-02-18T16:00"), "2019-02-18T16:00:00.000Z");
  EXPECT_EQ(iso(" 2019-02-18T16:00:00Z "), "2019-02-18T16:00:00.000Z");
  // ISO's reduced precision: the hour alone.
  EXPECT_EQ(iso("2019-02-18T16"), "2019-02-18T16:00:00.000Z");
  EXPECT_EQ(iso("2019-02-18 16Z"), "2019-02-18T16:00:00.000Z");
  EXPECT_EQ(iso("2019-02-18T16+01:00"), "2019-02-18T15:00:00.000Z");
}

TEST(Time, ParsesPortalUsLocale) {
  EXPECT_EQ(iso("4/28/2021, 3:05:26.000 PM"), "2021-04-28T15:05:26.000Z");
  EXPECT_EQ(iso("4/28/2021, 12:05:26.000 AM"), "2021-04-28T00:05:26.000Z");
  EXPECT_EQ(iso("4/28/2021, 12:05:26.000 PM"), "2021-04-28T12:05:26.000Z");
  EXPECT_EQ(iso("12/31/2020 23:59:59"), "2020-12-31T23:59:59.000Z");
  EXPECT_EQ(iso("3/8/2021"), "2021-03-08T00:00:00.000Z");
}

TEST(Time, ParsesEpochSeconds) {
  EXPECT_EQ(iso("1551485400.123"), "2019-03-02T00:10:00.123Z");
  EXPECT_EQ(iso("1551485400"), "2019-03-02T00:10:00.000Z");
}

TEST(Time, RejectsWhatIsNotATime) {
  for (const char* bad : {"", "yesterday", "2019-02-30", "2019-13-01", "2019-02-18T25:00:00Z",
                          "2019-02-18T10:61:00Z", "13/1/2021", "4/28/2021, 13:00:00 PM",
                          "2019-02-18T10:00:00+25:00", "1.2.3", "2019-02-18X", "-5", "2019-02-18T1",
                          "2019-02-18T24", "2019-02-18T16:"})
    EXPECT_FALSE(parse(bad)) << bad;
}

TEST(Time, DaysFromCivil) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2019, 3, 2), 17957);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
}
