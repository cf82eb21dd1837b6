#include "core/record_fields.h"

#include <gtest/gtest.h>

#include <string>

using namespace sqlhunt::records;

namespace {

simdjson::dom::element parse(simdjson::dom::parser& p, const std::string& json) { return p.parse(json).value(); }

}  // namespace

TEST(RecordFields, NamesByCaseUnitAndPreference) {
  FieldPicker f({{"CreationTime", "TimeGenerated"}, {"UserId", "UserId_"}, {"ClientIP"}});
  simdjson::dom::parser p;
  // The portal's unit suffix, another case, and the preferred name after the other one.
  f.pick(parse(p, R"({"TimeGenerated [UTC]": "4/28/2021, 3:05:26.000 PM", "clientip": "1.2.3.4",
                      "CreationTime": "2021-04-28T15:05:26"})"));
  EXPECT_EQ(text(f[0]), "2021-04-28T15:05:26");
  EXPECT_EQ(text(f[2]), "1.2.3.4");
  EXPECT_FALSE(f[1]);
  EXPECT_EQ(f.matched(), 2u);
}

TEST(RecordFields, EmptyValuesLetTheNextNameAnswer) {
  FieldPicker f({{"UserId", "UserId_"}});
  simdjson::dom::parser p;
  f.pick(parse(p, R"({"UserId": "", "UserId_": "adelev@x"})"));
  EXPECT_EQ(text(f[0]), "adelev@x");
  f.pick(parse(p, R"({"UserId": null, "UserId_": null})"));
  EXPECT_FALSE(f[0]);
  // A name written twice keeps its first value.
  f.pick(parse(p, R"({"UserId": "a", "UserId": "b"})"));
  EXPECT_EQ(text(f[0]), "a");
}

TEST(RecordFields, CustomLogSuffixes) {
  FieldPicker f({{"SrcIP"}, {"DestPort"}, {"FlowStartTime"}}, FieldPicker::kCustomLogSuffix);
  simdjson::dom::parser p;
  f.pick(parse(p, R"({"SrcIP_s": "10.0.0.1", "DestPort_d": 443, "FlowStartTime_t": "2019-02-12T13:00:07Z"})"));
  EXPECT_EQ(text(f[0]), "10.0.0.1");
  EXPECT_EQ(integer(f[1]), 443);
  // Without the option the suffix is part of the name.
  FieldPicker plain({{"SrcIP"}});
  plain.pick(parse(p, R"({"SrcIP_s": "10.0.0.1"})"));
  EXPECT_FALSE(plain[0]);
  EXPECT_EQ(FieldPicker::key_of("TimeGenerated [UTC]", 0), "timegenerated");
  EXPECT_EQ(FieldPicker::key_of("UserId_", FieldPicker::kCustomLogSuffix), "userid_");
}

TEST(RecordFields, KeyOrderChangesBetweenRecords) {
  FieldPicker f({{"a"}, {"b"}});
  simdjson::dom::parser p;
  f.pick(parse(p, R"({"a": 1, "b": 2})"));
  EXPECT_EQ(integer(f[0]), 1);
  f.pick(parse(p, R"({"b": 3, "x": 0, "a": 4})"));  // the remembered names no longer line up
  EXPECT_EQ(integer(f[0]), 4);
  EXPECT_EQ(integer(f[1]), 3);
  f.pick(parse(p, R"({"b": 5})"));
  EXPECT_FALSE(f[0]);
  EXPECT_EQ(integer(f[1]), 5);
}

TEST(RecordFields, Numbers) {
  simdjson::dom::parser p;
  auto v = [&](const char* json) { return Value(parse(p, json)); };
  EXPECT_EQ(integer(v("443")), 443);
  EXPECT_EQ(integer(v(R"("443.0")")), 443);  // pandas writes integers as floats
  EXPECT_EQ(integer(v(R"(" 12 ")")), 12);
  EXPECT_EQ(integer(v("-2147217390")), -2147217390);
  EXPECT_FALSE(integer(v("4.5")));
  EXPECT_FALSE(integer(v("1e300")));
  EXPECT_FALSE(integer(v(R"("0x1F")")));
  EXPECT_FALSE(integer(v(R"("")")));
  EXPECT_DOUBLE_EQ(*number(v(R"("4.25")")), 4.25);
  EXPECT_FALSE(number(v("true")));
}

TEST(RecordFields, Times) {
  simdjson::dom::parser p;
  auto read = [&](const char* json, double& s) { return read_time(Value(parse(p, json)), s); };
  double s = 0;
  EXPECT_EQ(read(R"("4/28/2021, 3:05:26.000 PM")", s), TimeRead::kOk);
  EXPECT_DOUBLE_EQ(s, 1619622326);
  EXPECT_EQ(read(R"("2022-05-07T12:55:53")", s), TimeRead::kOk);  // no zone: UTC
  EXPECT_DOUBLE_EQ(s, 1651928153);
  EXPECT_EQ(read("1531917335", s), TimeRead::kOk);
  EXPECT_DOUBLE_EQ(s, 1531917335);
  EXPECT_EQ(read("1663146003599", s), TimeRead::kOk);  // milliseconds
  EXPECT_DOUBLE_EQ(s, 1663146003.599);
  EXPECT_EQ(read(R"("1521911721.255387")", s), TimeRead::kOk);
  EXPECT_EQ(read(R"("yesterday")", s), TimeRead::kBad);
  EXPECT_EQ(read("1e20", s), TimeRead::kBad);  // past the year 9999
  EXPECT_EQ(read(R"("  ")", s), TimeRead::kAbsent);
  EXPECT_EQ(read("null", s), TimeRead::kAbsent);
  EXPECT_EQ(read_time(std::nullopt, s), TimeRead::kAbsent);
}

TEST(RecordFields, Member) {
  simdjson::dom::parser p;
  const Value r(parse(p, R"({"properties": {"Version": 1, "flows": []}})"));
  EXPECT_EQ(integer(member(member(r, "properties"), "version")), 1);  // case ignored
  EXPECT_TRUE(member(member(r, "properties"), "flows"));
  EXPECT_FALSE(member(member(r, "properties"), "flowRecords"));
  EXPECT_FALSE(member(member(r, "nothing"), "flows"));
}
