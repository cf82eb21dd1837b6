#include "core/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"

using sqlhunt::csv::Options;
using sqlhunt::csv::Reader;
using sqlhunt::csv::Record;

namespace {

struct Row {
  std::vector<std::string> fields;
  uint64_t line, end_line;
  std::string error;
};

std::vector<Row> rows_of(Reader& r) {
  std::vector<Row> out;
  Record rec;
  while (r.next(rec)) out.push_back({{rec.fields.begin(), rec.fields.end()}, rec.line, rec.end_line, rec.error});
  return out;
}

std::vector<Row> parse(std::string_view text, Options opt = {}) {
  auto r = Reader::from_string(text, opt);
  return rows_of(*r);
}

using V = std::vector<std::string>;

TEST(Csv, HeaderAndSimpleRecords) {
  auto r = Reader::from_string("a,b,c\n1,2,3\n4,,6\n");
  EXPECT_EQ(r->header(), (V{"a", "b", "c"}));
  EXPECT_FALSE(r->index_column());
  EXPECT_EQ(r->index_of("b"), 1);
  EXPECT_EQ(r->index_of("B"), -1);
  auto rows = rows_of(*r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (V{"1", "2", "3"}));
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].fields, (V{"4", "", "6"}));
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_TRUE(rows[1].error.empty());
}

TEST(Csv, CrlfAndLastRecordWithoutNewline) {
  auto rows = parse("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (V{"1", "2"}));
  EXPECT_EQ(rows[1].fields, (V{"3", "4"}));
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(Csv, QuotedFieldsKeepTheirBytes) {
  // Sentinel's alertlist.csv: JSON cells with "" escapes and \r\r\n breaks, CRLF records.
  const std::string text =
      "x,json,y\r\n"
      "1,\"{\r\r\n  \"\"a\"\": \"\"b,c\"\"\r\r\n}\",z\r\n"
      "2,\"\",\"\"\"\"\r\n";
  auto rows = parse(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (V{"1", "{\r\r\n  \"a\": \"b,c\"\r\r\n}", "z"}));
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[0].end_line, 4u);
  EXPECT_EQ(rows[1].fields, (V{"2", "", "\""}));
  EXPECT_EQ(rows[1].line, 5u);
}

TEST(Csv, BomAndPandasIndexColumn) {
  auto r = Reader::from_string("\xEF\xBB\xBF,TimeGenerated [UTC],x\n0,a,b\n");
  EXPECT_EQ(r->header(), (V{"", "TimeGenerated [UTC]", "x"}));
  EXPECT_TRUE(r->index_column());
  auto rows = rows_of(*r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (V{"0", "a", "b"}));
}

TEST(Csv, WrongFieldCountIsReportedNotSkipped) {
  auto rows = parse("a,b,c\n1,2\n1,2,3,4\n5,6,7\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error, "2 fields, the header has 3");
  EXPECT_EQ(rows[0].fields, (V{"1", "2"}));
  EXPECT_EQ(rows[1].error, "4 fields, the header has 3");
  EXPECT_TRUE(rows[2].error.empty());
  EXPECT_EQ(rows[2].line, 4u);
}

TEST(Csv, UnterminatedQuoteAtEndOfData) {
  auto rows = parse("a,b\n1,2\n3,\"never\nclosed\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].error.empty());
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].error, "unterminated quoted field 2: the data ends inside it");
  EXPECT_EQ(rows[1].fields, (V{"3", "never\nclosed\n"}));
}

TEST(Csv, TextAfterClosingQuote) {
  auto rows = parse("a,b\n\"ab\"c,d\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (V{"abc", "d"}));
  EXPECT_EQ(rows[0].error, "text after the closing quote of field 1");
}

TEST(Csv, BareQuoteInsideUnquotedFieldIsText) {
  auto rows = parse("a,b\nsay \"hi\",2\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (V{"say \"hi\"", "2"}));
  EXPECT_TRUE(rows[0].error.empty());
}

TEST(Csv, BlankLinesAreCountedNotRecords) {
  auto r = Reader::from_string("a,b\n\n1,2\r\n\r\n3,4\n");
  auto rows = rows_of(*r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_EQ(rows[1].line, 5u);
  EXPECT_EQ(r->blank_lines(), 2u);
}

TEST(Csv, EmptyFieldsAtTheEnds) {
  auto rows = parse("a,b,c\n,,\n\"\",,\"\"\n", {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (V{"", "", ""}));
  EXPECT_EQ(rows[1].fields, (V{"", "", ""}));
  EXPECT_TRUE(rows[1].error.empty());
}

TEST(Csv, NoHeaderAndOtherDelimiter) {
  Options opt;
  opt.header = false;
  opt.delimiter = '\t';
  auto r = Reader::from_string("a\tb\n\"x\ty\"\tz\n", opt);
  EXPECT_TRUE(r->header().empty());
  auto rows = rows_of(*r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (V{"x\ty", "z"}));
}

TEST(Csv, OverlongRecordIsSkippedWithFlatMemory) {
  Options opt;
  opt.max_record = 64;
  opt.buffer_size = 16;
  std::string big = "a,b\n1,\"" + std::string(1000, 'x') + "\n" + std::string(1000, 'y') + "\"\n2,3\n";
  auto rows = parse(big, opt);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "record longer than 64 bytes (2005): skipped");
  EXPECT_TRUE(rows[0].fields.empty());
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[0].end_line, 3u);
  EXPECT_EQ(rows[1].fields, (V{"2", "3"}));
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(Csv, RunawayQuoteIsBoundedAndReported) {
  Options opt;
  opt.max_record = 100;
  std::string text = "a,b\n1,\"oops\n";
  for (int i = 0; i < 1000; ++i) text += "2,3\n";
  auto rows = parse(text, opt);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].error.find("record longer than 100 bytes"), std::string::npos);
}

TEST(Csv, SmallBufferGivesSameRecords) {
  std::string text = "h1,h2\n";
  for (int i = 0; i < 200; ++i)
    text += std::to_string(i) + ",\"multi\r\nline \"\"" + std::to_string(i) + "\"\"\"\r\n";
  Options small;
  small.buffer_size = 7;
  auto a = parse(text), b = parse(text, small);
  ASSERT_EQ(a.size(), 200u);
  ASSERT_EQ(b.size(), 200u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].fields, b[i].fields);
    EXPECT_EQ(a[i].line, b[i].line);
    EXPECT_EQ(a[i].line, 2 + 2 * i);
  }
  EXPECT_EQ(a[5].fields[1], "multi\r\nline \"5\"");
}

TEST(Csv, EmptyInput) {
  auto r = Reader::from_string("");
  EXPECT_TRUE(r->header().empty());
  Record rec;
  EXPECT_FALSE(r->next(rec));
}

TEST(Csv, GzipFile) {
  char tmpl[] = "/tmp/sqlhunt-csv-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string path = dir + "/x.csv.gz";
  const std::string text = "a,b\n1,\"two\nlines\"\n";
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  Reader r(path);
  auto rows = rows_of(r);
  std::system(("rm -rf '" + dir + "'").c_str());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (V{"1", "two\nlines"}));
  EXPECT_TRUE(r.error().empty());
}

TEST(Csv, MissingFileThrows) { EXPECT_THROW(Reader("/nonexistent/x.csv"), sqlhunt::Error); }

// The shared Sentinel export: 189 records over 14,822 physical lines, 25 fields each.
TEST(Csv, SentinelAlertListExport) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  const std::string path = std::string(ds ? ds : "") + "/alerts/alertlist.csv";
  if (!ds || access(path.c_str(), R_OK) != 0) GTEST_SKIP() << "shared datasets not found (SQLHUNT_DATASETS)";
  Reader r(path);
  ASSERT_EQ(r.header().size(), 25u);
  EXPECT_TRUE(r.index_column());
  EXPECT_EQ(r.header().back(), "CompromisedEntity");
  Record rec;
  size_t n = 0;
  uint64_t last_end = 0;
  while (r.next(rec)) {
    EXPECT_TRUE(rec.error.empty()) << rec.line << ": " << rec.error;
    EXPECT_EQ(rec.fields[0], std::to_string(n));
    EXPECT_EQ(rec.line, last_end + 1 + (n == 0 ? 1 : 0));
    last_end = rec.end_line;
    if (n == 0) {
      EXPECT_EQ(rec.fields[14].substr(0, 6), "{\r\r\n  ");
      EXPECT_EQ(rec.fields[14].substr(6, 13), "\"Alert Mode\":");
    }
    ++n;
  }
  EXPECT_EQ(n, 189u);
  EXPECT_EQ(last_end, 14822u);
  EXPECT_TRUE(r.error().empty());
}

}  // namespace

namespace {
// The portal export: BOM, LF, 266 records of 131 fields, multi-line JSON cells.
TEST(Csv, OfficeActivityPortalExport) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  const std::string path = std::string(ds ? ds : "") + "/office/office_activity.csv";
  if (!ds || access(path.c_str(), R_OK) != 0) GTEST_SKIP() << "shared datasets not found (SQLHUNT_DATASETS)";
  Reader r(path);
  ASSERT_EQ(r.header().size(), 131u);
  EXPECT_FALSE(r.index_column());
  EXPECT_EQ(r.header()[0].find("\xEF\xBB\xBF"), std::string::npos);
  Record rec;
  size_t n = 0;
  uint64_t last_end = 0;
  while (r.next(rec)) {
    EXPECT_TRUE(rec.error.empty()) << rec.line << ": " << rec.error;
    EXPECT_EQ(rec.fields.size(), 131u);
    last_end = rec.end_line;
    ++n;
  }
  EXPECT_EQ(n, 266u);
  EXPECT_EQ(last_end, 531u);
}
}  // namespace
