// vtabs/audit_events/cell_lines.h: records that arrive as values (audit_events_from).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vtabs/audit_events/cell_lines.h"

using namespace sqlhunt::audit;

namespace {

struct Got {
  std::string text, node, error;
  bool record;
  uint64_t number, offset;
};

std::vector<Got> lines(const char* text, size_t size, std::string_view node, uint64_t row = 7) {
  CellLines c;
  c.reset(text, size, node, row);
  std::vector<Got> out;
  SourceLine l;
  while (c.next(l))
    out.push_back({std::string(l.line.text), std::string(l.header.node), l.error, l.is_record, l.line.number,
                   l.line.offset});
  return out;
}

std::vector<Got> lines(const std::string& s, std::string_view node = {}) { return lines(s.data(), s.size(), node); }

TEST(CellLines, OneRecordTakesTheNodeColumn) {
  const auto g = lines("type=USER_START msg=audit(1551485460.000:9): pid=1", "web01");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_TRUE(g[0].record);
  EXPECT_EQ(g[0].node, "web01");
  EXPECT_EQ(g[0].number, 7u);
}

TEST(CellLines, ARecordsOwnNodeWins) {
  const auto g = lines("node=db01 type=USER_START msg=audit(1551485460.000:9): pid=1", "web01");
  EXPECT_EQ(g.at(0).node, "db01");
}

TEST(CellLines, SeveralLinesCrlfAndAFinalNewline) {
  const auto g = lines("type=SYSCALL msg=audit(1.000:1): a=1\r\ntype=PATH msg=audit(1.000:1): b=2\n");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].text, "type=SYSCALL msg=audit(1.000:1): a=1");
  EXPECT_EQ(g[1].text, "type=PATH msg=audit(1.000:1): b=2");
  EXPECT_EQ(g[1].offset, 38u);  // within the value
  EXPECT_EQ(g[0].number, g[1].number);
}

TEST(CellLines, NullEmptyAndJunkAreLinesWithTheirError) {
  auto g = lines(nullptr, 0, {});
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].error, "the record is NULL");
  g = lines("");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].error, "the record is empty");
  g = lines("not a record\n\ntype=PATH msg=audit(1.000:1): b=2");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_FALSE(g[0].record);
  EXPECT_FALSE(g[1].record);  // an empty line inside a value is a line too
  EXPECT_TRUE(g[2].record);
}

TEST(CellLines, TwoRecordsMergedInOneLineAreFlagged) {
  const auto g = lines("type=SYSCALL msg=audit(1.000:1): a=1 type=PATH msg=audit(1.000:1): b=2");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NE(g[0].error.find("second record's header"), std::string::npos);
}

}  // namespace
