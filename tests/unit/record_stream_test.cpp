#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/record_stream.h"

using namespace sqlhunt::records;
using Json = nlohmann::ordered_json;
using sqlhunt::cut_message;

namespace {

struct Rec {
  uint64_t line;
  std::string json, error;
  Json value;
};

std::vector<Rec> read_all(std::string_view text, Shape* shape = nullptr, size_t max_record = Reader::kDefaultMaxRecord) {
  auto r = Reader::from_string(text, max_record);
  std::vector<Rec> out;
  Record s;
  while (r->next(s)) {
    EXPECT_EQ(s.has_value, !s.json.empty());
    out.push_back({s.line, s.json, s.error, s.has_value ? Json::parse(s.json) : Json()});
  }
  if (shape) *shape = r->shape();
  return out;
}

// ---- shapes -------------------------------------------------------------------------

TEST(RecordStream, JsonLines) {
  Shape shape;
  auto rows = read_all("{\"AlertName\":\"a\"}\n{\"AlertName\":\"b\"}\r\n\n{\"AlertName\":\"c\"}", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].line, 4u);
  EXPECT_EQ(rows[2].value["AlertName"], "c");
  EXPECT_EQ(rows[1].json, "{\"AlertName\":\"b\"}");
}

TEST(RecordStream, PrettyArrayIsCompactedAndLinesKept) {
  Shape shape;
  auto rows = read_all("\xEF\xBB\xBF[\n  {\n    \"A\": \"x y\",\n    \"B\": [1, 2]\n  },\n  {\"A\": \"}]\\\"\"}\n]\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonArray);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[0].json, "{\"A\":\"x y\",\"B\":[1,2]}");
  EXPECT_EQ(rows[1].line, 6u);
  EXPECT_EQ(rows[1].value["A"], "}]\"");
}

TEST(RecordStream, PrettyObjectsOneAfterAnother) {
  Shape shape;
  auto rows = read_all("{\n \"A\": 1\n}\n{\n \"A\": 2\n}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonObjects);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[1].value["A"], 2);
}

TEST(RecordStream, GraphEnvelope) {
  Shape shape;
  auto rows = read_all(
      "{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#Security/alerts\",\n"
      " \"value\": [\n  {\"id\": \"1\", \"title\": \"t1\"},\n  {\"id\": \"2\", \"title\": \"t2\"}\n ],\n"
      " \"@odata.nextLink\": \"https://x\"}\n",
      &shape);
  EXPECT_EQ(shape, Shape::kGraph);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].value["title"], "t1");
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_TRUE(rows[1].error.empty());
}

// An alert with a "value" or "tables" array among its fields is no envelope: only an
// object whose first keys are "@odata..." annotations (or none) is.
TEST(RecordStream, AlertWithAValueArrayIsNoEnvelope) {
  Shape shape;
  auto rows = read_all("{\"AlertName\":\"a\",\"value\":[{\"x\":1}]}\n{\"AlertName\":\"b\",\"tables\":[{}]}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].value["value"][0]["x"], 1);
  EXPECT_EQ(rows[1].value["AlertName"], "b");
  rows = read_all("{\"AlertName\":\"a\",\"tables\":[1]}\n{\"AlertName\":\"b\"}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  ASSERT_EQ(rows.size(), 2u);
  rows = read_all("{\"@odata.context\":\"x\",\"@odata.count\":1,\"value\":[{\"title\":\"t\"}]}", &shape);
  EXPECT_EQ(shape, Shape::kGraph);
  ASSERT_EQ(rows.size(), 1u);
}

TEST(RecordStream, LogAnalyticsTables) {
  Shape shape;
  auto rows = read_all(
      "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},"
      "{\"name\":\"AlertName\",\"type\":\"string\"}],\"rows\":[[\"2019-02-18T02:29:07Z\",\"a\"],\n"
      "[\"2019-02-18T03:00:00Z\",\"b\"],[\"x\"]]},{\"name\":\"Other\",\"columns\":[],\"rows\":[[1]]}]}",
      &shape);
  EXPECT_EQ(shape, Shape::kLogAnalytics);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].json, "{\"TimeGenerated\":\"2019-02-18T02:29:07Z\",\"AlertName\":\"a\"}");
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].error, "row has 1 values, the table has 2 columns");
  EXPECT_EQ(rows[2].value["TimeGenerated"], "x");
}

TEST(RecordStream, LogAnalyticsRowsBeforeColumns) {
  auto rows = read_all("{\"tables\":[{\"rows\":[[1]],\"columns\":[{\"name\":\"a\"}]}]}");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].error.find("come before (or without) its \"columns\""), std::string::npos);
}

TEST(RecordStream, CsvWithIndexColumn) {
  Shape shape;
  auto rows = read_all(",TimeGenerated,Entities\r\n0,2019-01-12 06:41:44,\"[{\"\"$id\"\":\"\"1\"\"}]\"\r\n", &shape);
  EXPECT_EQ(shape, Shape::kCsv);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].json, "{\"TimeGenerated\":\"2019-01-12 06:41:44\",\"Entities\":\"[{\\\"$id\\\":\\\"1\\\"}]\"}");
  EXPECT_EQ(rows[0].line, 2u);
}

TEST(RecordStream, EmptyInput) {
  Shape shape;
  EXPECT_TRUE(read_all("  \n\n", &shape).empty());
  EXPECT_EQ(shape, Shape::kEmpty);
}

// ---- bad input ----------------------------------------------------------------------

TEST(RecordStream, MalformedJsonLineIsOneErrorRow) {
  auto rows = read_all("{\"A\":1}\n{\"A\": tru}\n[1]\n{\"A\":3}\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(rows[0].error.empty());
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_NE(rows[1].error.find("not valid JSON: parse error at line 1, column 10"), std::string::npos) << rows[1].error;
  EXPECT_TRUE(rows[1].json.empty());
  EXPECT_EQ(rows[2].error, "not a JSON object (an array)");
  EXPECT_EQ(rows[3].value["A"], 3);
}

TEST(RecordStream, MalformedFirstLineStillReadsTheRest) {
  Shape shape;
  auto rows = read_all("{\"A\" 1}\n{\"A\":2}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "expected ':' after key \"A\", found '1'");
  EXPECT_EQ(rows[1].value["A"], 2);
  EXPECT_EQ(rows[1].line, 2u);
}

TEST(RecordStream, TruncatedJsonLines) {
  auto rows = read_all("{\"A\":1}\n{\"A\":2,\"B\":\"cut");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[1].error.find("not valid JSON"), std::string::npos);
}

TEST(RecordStream, TruncatedArray) {
  auto rows = read_all("[{\"A\":1},\n{\"A\":2,\"B\":[1,2");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].error.empty());
  EXPECT_EQ(rows[1].error, "the file ends inside this record (truncated?)");
  EXPECT_EQ(rows[1].line, 2u);
  rows = read_all("[{\"A\":1},");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].error, "the file ends inside the array (truncated?)");
}

// A record that lacks its closing '}' is one error row, and the records after it are
// read: its reading stops at the '{' that stands where no value may.
TEST(RecordStream, MissingClosingBraceLosesNoLaterRecord) {
  const std::string cut = "the record is not complete (a missing '}' or ']'?): a new one starts at line ";
  Shape shape;
  // Pretty-printed objects: b lacks its '}' (at the end of the file too).
  auto rows = read_all("{\n \"A\": 1\n}\n{\n \"A\": 2,\n \"B\": {\"x\": 1}\n{\n \"A\": 3\n}\n{\"A\": 4, \"B\": [1", &shape);
  EXPECT_EQ(shape, Shape::kJsonObjects);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].error, cut + "7");
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[2].value["A"], 3);
  EXPECT_EQ(rows[2].line, 7u);
  EXPECT_EQ(rows[3].error, "the file ends inside this record (truncated?)");
  // JSON lines whose first line lacks two brackets: the shape is learnt from the next.
  rows = read_all("{\"A\":1,\"B\":{\"x\":[1\n{\"A\":2}\n{\"A\":3}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error, cut + "2");
  EXPECT_EQ(rows[2].value["A"], 3);
  // Array elements and a Graph envelope's "value".
  rows = read_all("[\n {\"A\":1},\n {\"A\":2,\n {\"A\":3}\n]");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].error, cut + "4");
  EXPECT_EQ(rows[2].value["A"], 3);
  rows = read_all("{\"value\":[{\"A\":1,\"B\":{\"C\":2}\n{\"A\":3}]}", &shape);
  EXPECT_EQ(shape, Shape::kGraph);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, cut + "2");
  EXPECT_EQ(rows[1].value["A"], 3);
  // Valid JSON is never cut: objects in arrays, arrays of arrays, values after ':'.
  rows = read_all("[{\"A\":[{\"x\":1},\n{\"y\":[[1],[{}]]}],\"B\":\n{}}]");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].error, "");
}

// Blank lines and a byte-order mark, in either order, before an envelope.
TEST(RecordStream, EnvelopeAfterBlanksAndBom) {
  Shape shape;
  for (std::string lead : {"\xEF\xBB\xBF  \n", " \n\xEF\xBB\xBF", "\n\n\t"}) {
    auto rows = read_all(lead + "{\"@odata.context\":\"x\",\"value\":[{\"title\":\"g\"}]}", &shape);
    EXPECT_EQ(shape, Shape::kGraph);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].value["title"], "g");
    rows = read_all(lead + "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"A\"}],\"rows\":[[1]]}]}", &shape);
    EXPECT_EQ(shape, Shape::kLogAnalytics);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].value["A"], 1);
  }
}

TEST(RecordStream, MalformedElementInArrayRestStillRead) {
  auto rows = read_all("[{\"A\":1},{\"A\":nul},{\"A\":3}]");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].error.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(rows[2].value["A"], 3);
}

TEST(RecordStream, MissingCommaIsOneErrorAndTheNextElementIsRead) {
  auto rows = read_all("[{\"A\":1} {\"A\":2}]");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].error, "expected ',' or ']' in the array, found '{'; reading on at line 1");
  EXPECT_EQ(rows[2].value["A"], 2);
}

TEST(RecordStream, TextAfterTheDocument) {
  auto rows = read_all("[{\"A\":1}] x");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].error,
            "unexpected 'x' after the array's closing ']' (a stray ']'?); nothing after it could be read (to the "
            "end of the file, line 1)");
  rows = read_all("{\"value\":[{\"A\":1}]} x");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].error, "unexpected 'x' after the end of the JSON document: the rest of the file is not read");
}

// ---- reading on after damage (json::Scanner::skip_to_element) ----------------------

// The elements of a pretty-printed array, one per (line, value of A or error).
std::string summary(const std::vector<Rec>& rows) {
  std::string out;
  for (const auto& r : rows)
    out += std::to_string(r.line) + ":" + (r.error.empty() ? r.value["A"].dump() : "E") + " ";
  return out;
}

TEST(RecordStream, StringBrokenAtALineEndIsReadOnFromTheNextElement) {
  // A closing quote lost. Read on inside the string, as the scanner once did, every
  // quote after it would turn strings inside out up to the end of the file.
  auto rows = read_all("[\n  {\n    \"A\": 1\n  },\n  {\n    \"A\": \"two,\n    \"B\": 2\n  },\n  {\n    \"A\": 3\n  }\n]\n");
  EXPECT_EQ(summary(rows), "2:1 5:E 9:3 ");
  EXPECT_EQ(rows[1].error,
            "a string is not closed at the end of line 6 (a '\"' missing or one too many); reading on at line 9");
  // A quote too many, in JSON objects one after another.
  rows = read_all("{\n  \"A\": 1\n}\n{\n  \"A\": \"x\"\",\n  \"B\": 2\n}\n{\n  \"A\": 3\n}\n");
  EXPECT_EQ(summary(rows), "1:1 4:E 8:3 ");
}

TEST(RecordStream, StrayByteOutsideStringsIsReadOnFromTheNextElement) {
  // Compact: the next element is the next "},{" followed by the elements' first key.
  auto rows = read_all("[{\"A\":0,\"E\":[{\"x\":1},{\"y\":2}]},{\"A\":1,\"B\":x\"y\",\"E\":[{\"x\":1},{\"y\":2}]},{\"A\":2}]");
  EXPECT_EQ(summary(rows), "1:0 1:E 1:2 ");
  EXPECT_EQ(rows[1].error,
            "not JSON at line 1: a byte JSON allows only inside a string stands outside one (a '\"' missing or one "
            "too many?); reading on at line 1");
  // Pretty-printed: the next line starting at the elements' column.
  rows = read_all("[\n  {\n    \"A\": 1,\n    \"B\": [\n      {\"x\": 1}\n    ], T\n  },\n  {\n    \"A\": 2\n  }\n]\n");
  EXPECT_EQ(summary(rows), "2:E 8:2 ");
  EXPECT_NE(rows[0].error.find("reading on at line 8"), std::string::npos);
  // An element that starts inside the damaged line, after the damage. (One whose '{'
  // the damage took into a string is lost with it: `"B": "x{"A": 3` reads as the
  // string "x{" and a stray 'A'.)
  rows = read_all("[\n{\"A\": 1, \"B\": \"x\"},\n{\"A\": 2, \"B\": x{\"A\": 3, \"B\": \"y\"},\n{\"A\": 4}\n]\n");
  EXPECT_EQ(rows.size(), 4u);
  EXPECT_EQ(summary(rows), "2:1 3:E 3:3 4:4 ");
}

TEST(RecordStream, DamagedTableRowIsReadOnFromTheNextRow) {
  // Log Analytics rows are arrays: the next row is the next "],[".
  Shape shape;
  auto rows = read_all(
      "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"A\",\"type\":\"int\"}],"
      "\"rows\":[[1],[2 x],[3]]}]}",
      &shape);
  EXPECT_EQ(shape, Shape::kLogAnalytics);
  EXPECT_EQ(summary(rows), "1:1 1:E 1:3 ");
}

TEST(RecordStream, StrayClosingBracketDoesNotEndTheArray) {
  auto rows = read_all("[\n  {\"A\": 1}],\n  {\"A\": 2},\n  {\"A\": 3}\n]\n");
  EXPECT_EQ(summary(rows), "2:1 2:E 3:2 4:3 ");
  EXPECT_EQ(rows[1].error, "unexpected ',' after the array's closing ']' (a stray ']'?); reading on at line 3");
  // Arrays one after another: the second one's elements are read too.
  rows = read_all("[\n  {\"A\": 1}\n]\n[\n  {\"A\": 2}\n]\n");
  EXPECT_EQ(summary(rows), "2:1 4:E 5:2 ");
}

TEST(RecordStream, PrettyPrintedIndentationEndsAnUnbalancedElement) {
  // A '[' too many: the element's own closing line ends it.
  auto rows = read_all("[\n  {\n    \"A\": 1,\n    \"B\": [\n  },\n  {\n    \"A\": 2\n  }\n]\n");
  EXPECT_EQ(summary(rows), "2:E 6:2 ");
  EXPECT_EQ(rows[0].error,
            "the brackets do not balance (a '{' or '[' too many, or a '}' or ']' missing?): the record ends at line 5");
  // A closing line lost: the next element's '{' at the elements' column starts it.
  rows = read_all("[\n  {\n    \"A\": 1,\n    \"B\": [\n  {\n    \"A\": 2\n  }\n]\n");
  EXPECT_EQ(summary(rows), "2:E 5:2 ");
  EXPECT_EQ(rows[0].error, "the record is not complete (a missing '}' or ']'?): a new one starts at line 5");
  // One element per line, one of them cut short after a ':'.
  rows = read_all("[\n{\"A\": 1, \"B\":\n{\"A\": 2},\n{\"A\": 3}\n]\n");
  EXPECT_EQ(summary(rows), "2:E 3:2 4:3 ");
}

TEST(RecordStream, ValidPrettyPrintedJsonIsNeverCut) {
  // Indented as jq and PowerShell write it, and not indented at all (indent=0).
  for (const char* text : {
           "[\n  {\n    \"A\": [\n      {\n        \"x\": 1\n      }\n    ],\n    \"B\": {\n      \"y\": [\n        [\n"
           "          1\n        ]\n      ]\n    }\n  },\n  {\n    \"A\": 2\n  }\n]\n",
           "[\n    {\n        \"A\":  [\n                  {\n                      \"x\":  1\n                  }\n"
           "              ]\n    },\n    {\n        \"A\":  2\n    }\n]\n",
           "[\n{\n\"A\": [\n{\n\"x\": 1\n}\n],\n\"B\": {\n\"y\": [\n[\n1\n]\n]\n}\n},\n{\n\"A\": 2\n}\n]\n",
       }) {
    auto rows = read_all(text);
    ASSERT_EQ(rows.size(), 2u) << text;
    EXPECT_EQ(rows[0].error, "") << text;
    EXPECT_EQ(rows[1].value["A"], 2) << text;
  }
}

TEST(RecordStream, OverlongRecordIsSkipped) {
  std::string text = "[{\"A\":\"" + std::string(500, 'x') + "\"},{\"A\":2}]";
  auto rows = read_all(text, nullptr, 100);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "record longer than 100 bytes: skipped");
  EXPECT_EQ(rows[1].value["A"], 2);
  rows = read_all("{\"A\":1}\n{\"A\":\"" + std::string(500, 'x') + "\"}\n{\"A\":3}\n", nullptr, 100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].error, "line longer than 100 bytes: skipped");
  EXPECT_EQ(rows[2].line, 3u);
}

// The whole input is never held: a 10 MB array, envelope or table reads with a 4 KB
// record limit (a reader that buffered the document would report it as too long).
TEST(RecordStream, LargeDocumentsStreamOneRecordAtATime) {
  std::string element = R"({"TimeGenerated":"2019-02-18T02:29:07Z","AlertName":"a","Pad":")" +
                        std::string(1000, 'x') + "\"}";
  const size_t n = 10000;  // ~10 MB
  std::string array = "[", lines, rows;
  for (size_t i = 0; i < n; ++i) {
    array += (i ? ",\n" : "") + element;
    rows += std::string(i ? "," : "") + "[\"2019-02-18T02:29:07Z\",\"" + std::string(1000, 'y') + "\"]";
  }
  array += "]";
  const std::string graph = "{\"@odata.context\":\"x\",\"value\":" + array + ",\"@odata.nextLink\":\"y\"}";
  const std::string la = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\"},"
                         "{\"name\":\"AlertName\"}],\"rows\":[" + rows + "]}]}";
  for (const std::string* doc : std::vector<const std::string*>{&array, &graph, &la}) {
    auto r = Reader::from_string(*doc, 4096);
    Record s;
    size_t count = 0, errors = 0;
    while (r->next(s)) {
      ++count;
      errors += !s.error.empty();
    }
    EXPECT_EQ(count, n);
    EXPECT_EQ(errors, 0u);
    EXPECT_GT(doc->size(), 10000000u);
  }
}

TEST(RecordStream, MalformedCsvHeaderIsReported) {
  auto rows = read_all("AlertName,\"Time\"x\nn,2019-01-01\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[0].error, "header row: text after the closing quote of field 2");
  EXPECT_EQ(rows[1].value["Timex"], "2019-01-01");
}

TEST(RecordStream, MessagesAreCutOnCharacterBoundaries) {
  EXPECT_EQ(cut_message("abc", 200), "abc");
  const std::string e_acute = "\xC3\xA9";
  EXPECT_EQ(cut_message("ab" + e_acute + "cd", 3), "ab...");  // never half of the character
  EXPECT_EQ(cut_message("ab" + e_acute + "cd", 4), "ab" + e_acute + "...");
}

TEST(RecordStream, CsvRecordWithWrongFieldCount) {
  auto rows = read_all("TimeGenerated,AlertName\n2019-01-01,a\n2019-01-02\n2019-01-03,c\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].error, "1 field, the header has 2");
  EXPECT_EQ(rows[1].value["TimeGenerated"], "2019-01-02");
  EXPECT_TRUE(rows[2].error.empty());
}


}  // namespace

namespace {

TEST(RecordStream, AzureRecordsEnvelope) {
  // An NSG flow log blob (PT1H.json): the records are the elements of "records".
  Shape shape;
  auto rows = read_all("{\"records\":[\n {\"time\":\"2018-07-18T12:36:06.6349183Z\",\"category\":\"NetworkSecurityGroupFlowEvent\"},\n"
                       " {\"time\":\"2018-07-18T12:37:06Z\"}\n]}\n", &shape);
  EXPECT_EQ(shape, Shape::kAzureRecords);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].value["time"], "2018-07-18T12:37:06Z");
  // A JSON-lines file whose first record has a "records" array among its fields is no
  // envelope.
  rows = read_all("{\"id\":1,\"records\":[1,2]}\n{\"id\":2}\n", &shape);
  EXPECT_EQ(shape, Shape::kJsonLines);
  EXPECT_EQ(rows.size(), 2u);
}

TEST(RecordStream, ReadsFilesAndGzipLikeMemory) {
  char dir[] = "/tmp/sqlhunt_rs_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/a.json";
  {
    std::ofstream f(path);
    f << "[{\"a\":1},\n{\"a\":2}]";
  }
  Reader r(path);
  Record rec;
  int n = 0;
  while (r.next(rec)) {
    EXPECT_EQ(rec.error, "");
    ++n;
  }
  EXPECT_EQ(n, 2);
  EXPECT_EQ(r.shape(), Shape::kJsonArray);
  EXPECT_EQ(r.read_error(), "");
  std::remove(path.c_str());
  rmdir(dir);
}

}  // namespace

// ---- trailing commas (allow_trailing_commas) ----------------------------------------

TEST(RecordStream, TrailingCommasAreAnErrorByDefault) {
  auto rows = read_all("{\"records\": [{\"a\": [1, 2,\n]}, {\"b\": 1}]}");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].error.find("not valid JSON"), std::string::npos) << rows[0].error;
  EXPECT_EQ(rows[1].value["b"], 1);
}

TEST(RecordStream, TrailingCommasAllowed) {
  // The shape of nsg_v2_aks-agentpool.json: a comma after the last tuple, then "\n]".
  auto r = Reader::from_string(
      "{\"records\": [{\"t\": [\"1,a,,\",\n \"2,b\",\n], \"o\": {\"k\": \"x,]\",}, \"s\": \"a,}\"},\n {\"u\": 1,}]}");
  r->allow_trailing_commas(true);
  Record rec;
  ASSERT_TRUE(r->next(rec));
  EXPECT_TRUE(rec.error.empty()) << rec.error;
  ASSERT_TRUE(rec.has_value);
  const Json v = Json::parse(rec.json);
  EXPECT_EQ(v["t"], Json::array({"1,a,,", "2,b"}));
  EXPECT_EQ(v["o"]["k"], "x,]");  // commas inside strings are kept
  EXPECT_EQ(v["s"], "a,}");
  ASSERT_TRUE(r->next(rec));
  EXPECT_EQ(Json::parse(rec.json)["u"], 1);
  EXPECT_FALSE(r->next(rec));
  EXPECT_EQ(r->shape(), Shape::kAzureRecords);
}

TEST(RecordStream, TrailingCommasDoNotHideOtherErrors) {
  auto r = Reader::from_string("{\"a\": [1,,]}\n{\"b\": 2}\n");
  r->allow_trailing_commas(true);
  Record rec;
  ASSERT_TRUE(r->next(rec));
  EXPECT_FALSE(rec.has_value);  // "1,," is still not JSON
  ASSERT_TRUE(r->next(rec));
  EXPECT_TRUE(rec.has_value);
}
