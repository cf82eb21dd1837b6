// vtabs/kql's pure parts: KQL literals and clauses, Kusto types, the three answer
// shapes (Log Analytics, ADX v1, ADX v2) with their error sections, and the runner's
// split by time against a fake server that cuts answers at a row cap.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "vtabs/kql/kql_query.h"
#include "vtabs/kql/kql_run.h"
#include "vtabs/kql/kql_text.h"
#include "vtabs/kql/kql_types.h"
#include "vtabs/kql/kusto_response.h"

using namespace sqlhunt::kql;
using Json = nlohmann::ordered_json;

namespace {

constexpr int64_t T0 = 1551485400LL * kTicksPerSecond;  // 2019-03-02T00:10:00Z

// ---- literals -------------------------------------------------------------------

TEST(KqlText, StringLiteralsEscapeWhatTheDocsSay) {
  EXPECT_EQ(*string_literal("web01"), "\"web01\"");
  EXPECT_EQ(*string_literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(*string_literal("x\ny\rz\tw"), "\"x\\ny\\rz\\tw\"");
  EXPECT_EQ(*string_literal("it's | where 1==1 // and \"more\""), "\"it's | where 1==1 // and \\\"more\\\"\"");
  EXPECT_EQ(*string_literal("\xc3\xa9t\xc3\xa9"), "\"\xc3\xa9t\xc3\xa9\"");  // UTF-8 as is
  EXPECT_EQ(*string_literal(""), "\"\"");
  // No documented escape carries these: the caller filters such a value itself.
  EXPECT_FALSE(string_literal(std::string("a\0b", 3)));
  EXPECT_FALSE(string_literal("bell\a"));
  EXPECT_FALSE(string_literal("\xff\xfe"));  // not UTF-8: equals no Kusto string
  EXPECT_EQ(*string_literal("del\x7f"), "\"del\x7f\"");
}

TEST(KqlText, Identifiers) {
  EXPECT_EQ(identifier("TimeGenerated"), "TimeGenerated");
  EXPECT_EQ(identifier("_ResourceId"), "_ResourceId");
  EXPECT_EQ(identifier("my col"), "['my col']");
  EXPECT_EQ(identifier("where"), "['where']");
  EXPECT_EQ(identifier("Count"), "['Count']");
  EXPECT_EQ(identifier("o'brien\\"), "['o\\'brien\\\\']");
  EXPECT_EQ(identifier("1st"), "['1st']");
}

TEST(KqlText, DatetimeLiteralsAndTicks) {
  EXPECT_EQ(datetime_literal(T0), "datetime(2019-03-02T00:10:00Z)");
  EXPECT_EQ(datetime_literal(T0 + 123 * kTicksPerMs), "datetime(2019-03-02T00:10:00.123Z)");
  EXPECT_EQ(datetime_literal(T0 + 1234567), "datetime(2019-03-02T00:10:00.1234567Z)");
  EXPECT_EQ(datetime_literal(0), "datetime(1970-01-01T00:00:00Z)");
  EXPECT_EQ(datetime_literal(-1), "datetime(1969-12-31T23:59:59.9999999Z)");
  EXPECT_EQ(*parse_ticks("2019-03-02T00:10:00Z"), T0);
  EXPECT_EQ(*parse_ticks("2019-03-02T00:10:00.1234567Z"), T0 + 1234567);
  EXPECT_EQ(*parse_ticks("2019-03-02T00:10:00.123456789Z"), T0 + 1234567);  // finer than a tick: cut
  EXPECT_EQ(*parse_ticks("2019-03-02 01:10:00.5+01:00"), T0 + 5000000);
  EXPECT_EQ(*parse_ticks("2019-03-02T00:10Z"), T0);
  EXPECT_FALSE(parse_ticks("2019-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_ticks("yesterday"));
  EXPECT_FALSE(parse_ticks("2019-03-02T00:10:00Zjunk"));
  EXPECT_EQ(floor_ms(T0 + 9999), floor_ms(T0));
  EXPECT_EQ(floor_ms(-1), -1);
  for (int64_t t : {T0, T0 + 1, T0 + 1230000, int64_t{-5}, kMinTicks, kMaxTicks})
    EXPECT_EQ(*parse_ticks(iso_ticks(t)), t) << iso_ticks(t);
}

TEST(KqlText, NumberLiterals) {
  EXPECT_EQ(long_literal(-42), "-42");
  EXPECT_EQ(real_literal(0.1), "real(0.10000000000000001)");
  EXPECT_EQ(real_literal(1.0 / 0.0), "real(+inf)");
}

TEST(KqlText, AppendClauses) {
  EXPECT_EQ(append_clauses("SecurityAlert", {"take 5"}), "SecurityAlert\n| take 5");
  EXPECT_EQ(append_clauses("T | where x == 1;  \n", {"take 5"}), "T | where x == 1\n| take 5");
  EXPECT_EQ(append_clauses("T // last line is a comment", {"take 1"}), "T // last line is a comment\n| take 1");
  EXPECT_EQ(append_clauses("T", {}), "T");
}

TEST(KqlQuery, ClausesInOrder) {
  QuerySpec q;
  q.query = "SecurityAlert";
  q.where.push_back({"CompromisedEntity", {"\"VICTIM00\""}});
  q.where.push_back({"Severity", {"\"High\"", "\"Medium\""}});
  q.window.lo = T0;
  q.window.hi = T0 + 3600 * kTicksPerSecond + kTicksPerMs;
  q.take = 10;
  EXPECT_EQ(part_kql(q, std::string("TimeGenerated"), PartBounds{q.window, false}),
            "SecurityAlert\n"
            "| where CompromisedEntity == \"VICTIM00\"\n"
            "| where Severity in (\"High\", \"Medium\")\n"
            "| where TimeGenerated >= datetime(2019-03-02T00:10:00Z) and TimeGenerated < datetime(2019-03-02T01:10:00.001Z)\n"
            "| take 10");
  EXPECT_EQ(part_kql(q, std::string("TimeGenerated"), PartBounds{{}, true}, false),
            "SecurityAlert\n| where CompromisedEntity == \"VICTIM00\"\n| where Severity in (\"High\", \"Medium\")\n"
            "| where isnull(TimeGenerated)");
  // Without a known time column no time clause can be written.
  EXPECT_EQ(part_kql(QuerySpec{"T", {}, {}, q.window, {}}, std::nullopt, PartBounds{q.window, false}), "T");
}

// ---- types ----------------------------------------------------------------------

Value conv(const std::string& json, Type t) {
  static simdjson::dom::parser p;
  simdjson::dom::element e = p.parse(json).value();
  Value v;
  convert(e, t, v);
  return v;
}

TEST(KqlTypes, Names) {
  EXPECT_EQ(parse_type("datetime"), Type::kDatetime);
  EXPECT_EQ(parse_type("DateTime"), Type::kDatetime);
  EXPECT_EQ(parse_type("Int64"), Type::kLong);
  EXPECT_EQ(parse_type("SByte"), Type::kBool);
  EXPECT_EQ(parse_type("System.Object"), Type::kDynamic);
  EXPECT_EQ(parse_type("whatever"), Type::kUnknown);
  EXPECT_STREQ(sqlite_type(Type::kBool), "INTEGER");
  EXPECT_STREQ(sqlite_type(Type::kDynamic), "TEXT");
  EXPECT_STREQ(sqlite_type(Type::kReal), "REAL");
}

std::string json_of(const std::string& json, Type t) {
  static simdjson::dom::parser p;
  simdjson::dom::element e = p.parse(json).value();
  std::string out;
  append_json(out, e, t);
  return out;
}

TEST(KqlTypes, RowJson) {
  EXPECT_EQ(json_of("\"2019-03-02T00:10:00.1239999Z\"", Type::kDatetime), "\"2019-03-02T00:10:00.123Z\"");
  EXPECT_EQ(json_of("\"yesterday\"", Type::kDatetime), "\"yesterday\"");
  EXPECT_EQ(json_of("1.0", Type::kReal), "1.0");
  EXPECT_EQ(json_of("0.25", Type::kReal), "0.25");
  EXPECT_EQ(json_of("1e300", Type::kReal), "1e+300");
  EXPECT_EQ(json_of("22", Type::kReal), "22");
  EXPECT_EQ(json_of("\"NaN\"", Type::kReal), "null");
  EXPECT_EQ(json_of("\"Infinity\"", Type::kReal), "\"Infinity\"");
  EXPECT_EQ(json_of("-9223372036854775808", Type::kLong), "-9223372036854775808");
  EXPECT_EQ(json_of("18446744073709551615", Type::kLong), "18446744073709551615");
  EXPECT_EQ(json_of("true", Type::kBool), "true");
  EXPECT_EQ(json_of("null", Type::kString), "null");
  EXPECT_EQ(json_of("\"{\\\"a\\\":1}\"", Type::kDynamic), "{\"a\":1}");
  EXPECT_EQ(json_of("[1, {\"b\": null}]", Type::kDynamic), "[1,{\"b\":null}]");
  EXPECT_EQ(json_of("\"tab\\there\"", Type::kString), "\"tab\\there\"");
}

TEST(KqlTypes, Conversions) {
  Value v = conv("\"2019-03-02T00:10:00.1239999Z\"", Type::kDatetime);
  EXPECT_EQ(v.text, "2019-03-02T00:10:00.123Z");  // cut, not rounded
  EXPECT_EQ(*v.ticks, T0 + 1239999);
  v = conv("\"not a time\"", Type::kDatetime);
  EXPECT_EQ(v.text, "not a time");
  EXPECT_FALSE(v.ticks);
  EXPECT_EQ(conv("9007199254740993", Type::kLong).i, 9007199254740993LL);
  EXPECT_EQ(conv("\"12\"", Type::kLong).i, 12);
  EXPECT_EQ(conv("true", Type::kBool).i, 1);
  EXPECT_EQ(conv("\"False\"", Type::kBool).i, 0);
  EXPECT_EQ(conv("\"NaN\"", Type::kReal).kind, Value::kNull);
  EXPECT_EQ(conv("\"-Infinity\"", Type::kReal).d, -1.0 / 0.0);
  EXPECT_EQ(conv("3", Type::kReal).d, 3.0);
  // Log Analytics sends dynamic values as JSON text in a string: decoded once.
  v = conv("\"[{\\\"$id\\\":\\\"2\\\",\\\"Address\\\":\\\"23.97.60.214\\\"}]\"", Type::kDynamic);
  EXPECT_EQ(v.text, "[{\"$id\":\"2\",\"Address\":\"23.97.60.214\"}]");
  EXPECT_TRUE(v.json_text);
  EXPECT_EQ(conv("\"plain\"", Type::kDynamic).text, "\"plain\"");
  EXPECT_EQ(conv("{\"a\": [1, 2]}", Type::kDynamic).text, "{\"a\":[1,2]}");
  EXPECT_EQ(conv("12.50", Type::kDecimal).text, "12.5");
  EXPECT_EQ(conv("\"00:00:01.5000000\"", Type::kTimespan).text, "00:00:01.5000000");
  EXPECT_EQ(conv("null", Type::kString).kind, Value::kNull);
  EXPECT_EQ(conv("\"not a number\"", Type::kLong).text, "not a number");  // kept, not lost
}

// ---- answers --------------------------------------------------------------------

struct Read {
  Summary summary;
  std::vector<std::vector<std::string>> rows;  // table name, then the values as JSON
};

Read read(const std::string& body, Dialect d) {
  ResponseReader r(body, d);
  Read out;
  out.summary = r.summary();
  ResponseReader::Row row;
  while (r.next(row)) {
    std::vector<std::string> cells{r.summary().tables[row.table].name};
    if (!row.error.empty()) cells.push_back("error: " + row.error);  // values is then no array
    else
      for (auto v : row.values) cells.push_back(simdjson::minify(v));
    out.rows.push_back(cells);
  }
  return out;
}

const char* kLa = R"({"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},
  {"name":"Computer","type":"string"},{"name":"EventID","type":"int"}],
  "rows":[["2019-03-02T00:10:00Z","web01",4624],["2019-03-02T00:11:00Z","web02",4625]]}]})";

TEST(KustoResponse, LogAnalytics) {
  const Read r = read(kLa, Dialect::kLogAnalytics);
  ASSERT_TRUE(r.summary.malformed.empty()) << r.summary.malformed;
  EXPECT_FALSE(r.summary.partial);
  ASSERT_EQ(r.summary.primary.size(), 1u);
  const auto& cols = r.summary.tables[0].columns;
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[0].type, Type::kDatetime);
  EXPECT_EQ(cols[2].type, Type::kInt);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1], (std::vector<std::string>{"PrimaryResult", "\"2019-03-02T00:11:00Z\"", "\"web02\"", "4625"}));
}

TEST(KustoResponse, LogAnalyticsPartialErrorAfterTheRows) {
  const std::string body = R"J({"tables":[{"name":"PrimaryResult","columns":[{"name":"x","type":"long"}],"rows":[[1],[2]]}],
    "error":{"code":"PartialError","message":"There were some errors when processing your query.",
     "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",
      "innererror":{"code":"-2133196797","message":"Query result set has exceeded the internal record count limit 500000 records (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)"}}]}})J";
  const Read r = read(body, Dialect::kLogAnalytics);
  EXPECT_TRUE(r.summary.partial);
  EXPECT_TRUE(r.summary.truncated);
  EXPECT_NE(r.summary.message.find("internal record count limit 500000"), std::string::npos) << r.summary.message;
  EXPECT_EQ(r.rows.size(), 2u);  // the rows that came are still readable

  const std::string other = R"({"tables":[],"error":{"code":"PartialError","message":"There were some errors",
    "details":[{"code":"EngineError","message":"a shard failed"}]}})";
  const Read o = read(other, Dialect::kLogAnalytics);
  EXPECT_TRUE(o.summary.partial);
  EXPECT_FALSE(o.summary.truncated);
  EXPECT_NE(o.summary.message.find("a shard failed"), std::string::npos);
}

TEST(KustoResponse, AdxV1WithTableOfContentsAndQueryStatus) {
  const std::string body = R"J({"Tables":[
    {"TableName":"Table_0","Columns":[{"ColumnName":"State","DataType":"String","ColumnType":"string"},
      {"ColumnName":"n","DataType":"Int64","ColumnType":"long"}],"Rows":[["TEXAS",4701],["KANSAS",3166]]},
    {"TableName":"Table_1","Columns":[{"ColumnName":"Value","DataType":"String","ColumnType":"string"}],"Rows":[["{}"]]},
    {"TableName":"Table_2","Columns":[{"ColumnName":"Timestamp","DataType":"DateTime","ColumnType":"datetime"},
      {"ColumnName":"Severity","DataType":"Int32","ColumnType":"int"},{"ColumnName":"SeverityName","DataType":"String","ColumnType":"string"},
      {"ColumnName":"StatusCode","DataType":"Int32","ColumnType":"int"},{"ColumnName":"StatusDescription","DataType":"String","ColumnType":"string"}],
      "Rows":[["2021-09-28T11:35:51.1229415Z",2,"Error",-2133196797,"Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)"]]},
    {"TableName":"Table_3","Columns":[{"ColumnName":"Ordinal","DataType":"Int64"},{"ColumnName":"Kind","DataType":"String"},
      {"ColumnName":"Name","DataType":"String"},{"ColumnName":"Id","DataType":"String"},{"ColumnName":"PrettyName","DataType":"String"}],
      "Rows":[[0,"QueryResult","PrimaryResult","a",""],[1,"QueryProperties","@ExtendedProperties","b",""],[2,"QueryStatus","QueryStatus","c",""]]}]})J";
  const Read r = read(body, Dialect::kAdxV1);
  ASSERT_TRUE(r.summary.malformed.empty()) << r.summary.malformed;
  ASSERT_EQ(r.summary.primary, std::vector<size_t>{0});
  EXPECT_EQ(r.summary.tables[0].name, "PrimaryResult");
  EXPECT_EQ(r.summary.tables[2].kind, "QueryStatus");
  EXPECT_TRUE(r.summary.partial);
  EXPECT_TRUE(r.summary.truncated);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][1], "\"TEXAS\"");

  // Two tables: the first is the result, no status to read.
  const Read two = read(R"({"Tables":[{"TableName":"Table_0","Columns":[{"ColumnName":"a","DataType":"Int32"}],"Rows":[[1]]},
    {"TableName":"Table_1","Columns":[],"Rows":[]}]})", Dialect::kAdxV1);
  EXPECT_EQ(two.summary.primary, std::vector<size_t>{0});
  EXPECT_EQ(two.summary.tables[0].columns[0].type, Type::kInt);
  EXPECT_FALSE(two.summary.partial);
}

std::string v2(const std::string& primary_rows, bool has_errors = false, const std::string& qci_rows = "[]",
               bool completion = true) {
  std::string s = R"([{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},
    {"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties",
     "Columns":[{"ColumnName":"TableId","ColumnType":"int"},{"ColumnName":"Key","ColumnType":"string"},{"ColumnName":"Value","ColumnType":"dynamic"}],
     "Rows":[[1,"Visualization","{\"Visualization\":null}"]]},
    {"FrameType":"DataTable","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult",
     "Columns":[{"ColumnName":"Timestamp","ColumnType":"datetime"},{"ColumnName":"Name","ColumnType":"string"}],
     "Rows":)" + primary_rows + R"(},
    {"FrameType":"DataTable","TableId":2,"TableKind":"QueryCompletionInformation","TableName":"QueryCompletionInformation",
     "Columns":[{"ColumnName":"Timestamp","ColumnType":"datetime"},{"ColumnName":"Level","ColumnType":"int"},
       {"ColumnName":"LevelName","ColumnType":"string"},{"ColumnName":"StatusCode","ColumnType":"int"},
       {"ColumnName":"Payload","ColumnType":"string"}],"Rows":)" + qci_rows + "}";
  if (completion)
    s += std::string(R"(,{"FrameType":"DataSetCompletion","HasErrors":)") + (has_errors ? "true" : "false") +
         R"(,"Cancelled":false)" +
         (has_errors ? R"(,"OneApiErrors":[{"error":{"code":"LimitsExceeded","message":"Request is invalid and cannot be executed.","@type":"Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException","@message":"Query execution has exceeded the allowed limits (80DA0003): The results of this query exceed the set limit of 500000 records, so not all records were returned (E_QUERY_RESULT_SET_TOO_LARGE, 0x80DA0003)."}}])" : "") +
         "}";
  return s + "]";
}

TEST(KustoResponse, AdxV2Frames) {
  const Read ok = read(v2(R"([["2016-06-06T15:35:00Z","foo"],[null,""]])"), Dialect::kAdxV2);
  ASSERT_TRUE(ok.summary.malformed.empty()) << ok.summary.malformed;
  EXPECT_FALSE(ok.summary.partial);
  ASSERT_EQ(ok.summary.primary, std::vector<size_t>{1});
  EXPECT_EQ(ok.rows.size(), 2u);

  const Read cut = read(v2(R"([["2016-06-06T15:35:00Z","foo"]])", true,
                           R"([["2021-01-01T00:00:00Z",2,"Error",-2133196797,"{\"Count\":1,\"Text\":\"Query result set has exceeded the internal record count limit 500000 records\"}"]])"),
                        Dialect::kAdxV2);
  EXPECT_TRUE(cut.summary.partial);
  EXPECT_TRUE(cut.summary.truncated);
  EXPECT_NE(cut.summary.message.find("internal record count limit"), std::string::npos) << cut.summary.message;

  // An answer cut before its DataSetCompletion frame is never taken for the whole.
  const Read open = read(v2("[]", false, "[]", false), Dialect::kAdxV2);
  EXPECT_TRUE(open.summary.partial);
  EXPECT_NE(open.summary.message.find("DataSetCompletion"), std::string::npos);
}

TEST(KustoResponse, AdxV2Progressive) {
  const std::string body = R"([{"FrameType":"DataSetHeader","IsProgressive":true,"Version":"v2.0"},
    {"FrameType":"TableHeader","TableId":0,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"a","ColumnType":"long"}]},
    {"FrameType":"TableFragment","TableId":0,"FieldCount":1,"TableFragmentType":"DataAppend","Rows":[[1],[2]]},
    {"FrameType":"TableProgress","TableId":0,"TableProgress":50},
    {"FrameType":"TableFragment","TableId":0,"FieldCount":1,"TableFragmentType":"DataReplace","Rows":[[7]]},
    {"FrameType":"TableFragment","TableId":0,"FieldCount":1,"TableFragmentType":"DataAppend","Rows":[[8]]},
    {"FrameType":"TableCompletion","TableId":0,"RowCount":2},
    {"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}])";
  const Read r = read(body, Dialect::kAdxV2);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][1], "7");
  EXPECT_EQ(r.rows[1][1], "8");
}

TEST(KustoResponse, MalformedIsSaidNeverSkipped) {
  EXPECT_FALSE(read("{\"tables\": [", Dialect::kLogAnalytics).summary.malformed.empty());
  EXPECT_FALSE(read("<html>502</html>", Dialect::kLogAnalytics).summary.malformed.empty());
  EXPECT_FALSE(read("{}", Dialect::kLogAnalytics).summary.malformed.empty());
  EXPECT_FALSE(read("{\"tables\":[]}", Dialect::kAdxV2).summary.malformed.empty());
  const Read odd = read(R"({"tables":[{"name":"P","columns":[{"name":"a","type":"long"}],"rows":[[1],"x",[3]]}]})",
                        Dialect::kLogAnalytics);
  ASSERT_EQ(odd.rows.size(), 3u);
  EXPECT_EQ(odd.rows[1][1], "error: a row is not an array");
}

TEST(KustoResponse, ErrorMessages) {
  EXPECT_EQ(error_message(R"({"error":{"message":"The request had some invalid properties","code":"BadArgumentError",
      "innererror":{"code":"SyntaxError","message":"A recognition error occurred in the query.",
       "innererror":{"code":"SYN0002","message":"Query could not be parsed at 'wher' on line [1,16]"}}}})"),
            "BadArgumentError: The request had some invalid properties: A recognition error occurred in the query.: "
            "Query could not be parsed at 'wher' on line [1,16]");
  EXPECT_EQ(error_message(R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})"),
            "invalid_client: AADSTS7000215: Invalid client secret provided.");
  EXPECT_EQ(error_message("Bad Gateway"), "Bad Gateway");
  EXPECT_EQ(error_message("<b>\xa2</b>"), "<b>\xef\xbf\xbd</b>");  // found by kql_fuzz: messages are UTF-8
}

// ---- the runner: split by time against a fake server ----------------------------

// Serves one table of rows (TimeGenerated, n) at times T0 + i seconds, plus `nulls`
// rows with no time, cutting every answer at `cap` rows the way Log Analytics does.
struct FakeServer : Fetcher {
  size_t rows = 0, nulls = 0, cap = 100;
  std::vector<std::string> seen;
  Dialect dialect() const override { return Dialect::kLogAnalytics; }

  std::vector<FetchReply> fetch(const std::vector<FetchRequest>& requests) override {
    std::vector<FetchReply> out;
    for (const auto& rq : requests) {
      seen.push_back(rq.kql);
      out.push_back(answer(rq.kql));
    }
    return out;
  }

  // Understands exactly the clauses part_kql writes.
  FetchReply answer(const std::string& kql) {
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    bool only_nulls = kql.find("isnull(TimeGenerated)\n") != std::string::npos ||
                      (kql.find("| where isnull(") != std::string::npos);
    auto at = [&](const std::string& key) -> std::optional<int64_t> {
      const size_t p = kql.find(key);
      if (p == std::string::npos) return std::nullopt;
      const size_t s = p + key.size(), e = kql.find(')', s);
      return parse_ticks(kql.substr(s, e - s));
    };
    if (auto v = at("TimeGenerated >= datetime(")) lo = *v;
    if (auto v = at("TimeGenerated < datetime(")) hi = *v;
    std::vector<std::pair<std::optional<int64_t>, size_t>> sel;
    for (size_t i = 0; i < rows; ++i) {
      const int64_t t = T0 + static_cast<int64_t>(i) * kTicksPerSecond;
      if (!only_nulls && t >= lo && t < hi) sel.push_back({t, i});
    }
    const bool windowed = lo != INT64_MIN || hi != INT64_MAX;
    if (!windowed || only_nulls)
      for (size_t i = 0; i < nulls; ++i) sel.push_back({std::nullopt, rows + i});
    Json body;
    if (kql.find("summarize kql_min") != std::string::npos) {
      std::optional<int64_t> mn, mx;
      int64_t nn = 0;
      for (auto& [t, i] : sel) {
        if (!t) {
          ++nn;
          continue;
        }
        mn = mn ? std::min(*mn, *t) : *t;
        mx = mx ? std::max(*mx, *t) : *t;
      }
      body["tables"] = Json::array({Json{{"name", "PrimaryResult"},
                                         {"columns", Json::array({Json{{"name", "kql_min"}, {"type", "datetime"}},
                                                                  Json{{"name", "kql_max"}, {"type", "datetime"}},
                                                                  Json{{"name", "kql_nulls"}, {"type", "long"}}})},
                                         {"rows", Json::array({Json::array({mn ? Json(iso_ticks(*mn)) : Json(),
                                                                            mx ? Json(iso_ticks(*mx)) : Json(), nn})})}}});
      FetchReply r;
      r.body = body.dump();
      return r;
    }
    Json rowsj = Json::array();
    for (size_t k = 0; k < sel.size() && k < cap; ++k)
      rowsj.push_back(Json::array({sel[k].first ? Json(iso_ticks(*sel[k].first)) : Json(), sel[k].second}));
    body["tables"] = Json::array({Json{{"name", "PrimaryResult"},
                                       {"columns", Json::array({Json{{"name", "TimeGenerated"}, {"type", "datetime"}},
                                                                Json{{"name", "n"}, {"type", "long"}}})},
                                       {"rows", rowsj}}});
    if (sel.size() > cap)
      body["error"] = Json{{"code", "PartialError"},
                           {"message", "There were some errors when processing your query."},
                           {"details", Json::array({Json{{"code", "EngineError"},
                                                         {"innererror", Json{{"code", "-2133196797"},
                                                                             {"message", "Query result set has exceeded the internal record count limit " +
                                                                                             std::to_string(cap) +
                                                                                             " records (E_QUERY_RESULT_SET_TOO_LARGE)"}}}}})}};
    FetchReply r;
    r.body = body.dump();
    return r;
  }
};

std::vector<int64_t> run_all(FakeServer& server, QuerySpec spec, RunStatus* status = nullptr,
                             std::vector<std::string>* warnings = nullptr, RunOptions opts = RunOptions()) {
  sqlhunt::kql::Run run(std::move(spec), 1, server, opts);
  std::vector<int64_t> ns;
  OutRow row;
  while (run.next(row)) {
    if (!row.table) {
      if (warnings) warnings->push_back(row.warning);
      continue;
    }
    ns.push_back(row.values.at(1).get_int64().value());
  }
  if (status) *status = run.status();
  return ns;
}

TEST(KqlRun, AnAnswerThatFitsIsOneRequest) {
  FakeServer s;
  s.rows = 50;
  RunStatus st;
  const auto ns = run_all(s, QuerySpec{"T", {}, {}, {}, {}}, &st);
  EXPECT_EQ(ns.size(), 50u);
  EXPECT_EQ(st.requests, 1u);
  EXPECT_EQ(st.status, "ok");
}

TEST(KqlRun, CutAnswersAreSplitByTimeUntilEveryRowIsThereInOrder) {
  FakeServer s;
  s.rows = 1000;
  s.cap = 100;
  RunStatus st;
  const auto ns = run_all(s, QuerySpec{"T", {}, {}, {}, {}}, &st);
  ASSERT_EQ(ns.size(), 1000u);
  for (size_t i = 0; i < ns.size(); ++i) ASSERT_EQ(ns[i], static_cast<int64_t>(i)) << "rows in time order";
  EXPECT_EQ(st.status, "ok");
  EXPECT_GT(st.splits, 3u);
  // The first request, then a probe for the time range (SQL gave none).
  EXPECT_EQ(s.seen[0], "T");
  EXPECT_EQ(s.seen[1], "T\n| summarize kql_min = min(TimeGenerated), kql_max = max(TimeGenerated), kql_nulls = countif(isnull(TimeGenerated))");
  EXPECT_EQ(s.seen[2], "T\n| where TimeGenerated >= datetime(2019-03-02T00:10:00Z) and TimeGenerated < datetime(2019-03-02T00:18:19.500Z)");
}

TEST(KqlRun, SqlBoundsNeedNoProbeAndNullTimesGetTheirOwnPart) {
  FakeServer s;
  s.rows = 400;
  s.cap = 150;
  RunStatus st;
  QuerySpec q{"T", {}, std::string("TimeGenerated"), Window{T0, T0 + 400 * kTicksPerSecond}, {}};
  auto ns = run_all(s, q, &st);
  EXPECT_EQ(ns.size(), 400u);
  for (const auto& k : s.seen) EXPECT_EQ(k.find("summarize"), std::string::npos) << k;

  FakeServer n;
  n.rows = 300;
  n.nulls = 20;
  n.cap = 200;
  ns = run_all(n, QuerySpec{"T", {}, {}, {}, {}}, &st);
  EXPECT_EQ(ns.size(), 320u);
  EXPECT_NE(std::find(n.seen.begin(), n.seen.end(), "T\n| where isnull(TimeGenerated)"), n.seen.end());
  EXPECT_EQ(st.status, "ok");
}

TEST(KqlRun, WhatCannotBeSplitIsReadWithAWarningNeverSilently) {
  // More rows share one instant than the cap: the part is read cut, with a warning.
  FakeServer s;
  s.rows = 0;
  s.nulls = 50;
  s.cap = 10;
  RunStatus st;
  std::vector<std::string> warnings;
  const auto ns = run_all(s, QuerySpec{"T", {}, {}, {}, {}}, &st, &warnings);
  EXPECT_EQ(ns.size(), 10u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("null"), std::string::npos) << warnings[0];
  EXPECT_EQ(st.status, "truncated");

  // The part limit.
  FakeServer p;
  p.rows = 1000;
  p.cap = 10;
  RunOptions few;
  few.max_parts = 4;
  warnings.clear();
  run_all(p, QuerySpec{"T", {}, {}, {}, {}}, &st, &warnings, few);
  EXPECT_EQ(st.status, "truncated");
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("kql.max_parts"), std::string::npos);
}

// Counts the answers the runner holds (fetched, not yet dropped) at each fetch.
struct CountingServer : FakeServer {
  size_t most_in_one_round = 0;
  std::vector<FetchReply> fetch(const std::vector<FetchRequest>& requests) override {
    most_in_one_round = std::max(most_in_one_round, requests.size());
    return FakeServer::fetch(requests);
  }
};

TEST(KqlRun, ParallelRoundsKeepTheOrder) {
  CountingServer c;
  c.rows = 3000;
  c.cap = 100;
  RunOptions three;
  three.parallel = 3;
  RunStatus cst;
  const auto cn = run_all(c, QuerySpec{"T", {}, {}, {}, {}}, &cst, nullptr, three);
  EXPECT_EQ(cn.size(), 3000u);
  EXPECT_LE(c.most_in_one_round, 3u);
  // Three sources (workspaces): one round asks all three at once, in source order.
  CountingServer three_sources;
  three_sources.rows = 10;
  sqlhunt::kql::Run run(QuerySpec{"T", {}, {}, {}, {}}, 3, three_sources, three);
  OutRow row;
  std::vector<size_t> sources;
  while (run.next(row)) sources.push_back(row.source);
  EXPECT_EQ(three_sources.most_in_one_round, 3u);
  EXPECT_EQ(three_sources.seen.size(), 3u);
  EXPECT_TRUE(std::is_sorted(sources.begin(), sources.end()));
  EXPECT_EQ(sources.size(), 30u);

  FakeServer s;
  s.rows = 2000;
  s.cap = 120;
  RunOptions four;
  four.parallel = 4;
  RunStatus st;
  const auto ns = run_all(s, QuerySpec{"T", {}, {}, {}, {}}, &st, nullptr, four);
  ASSERT_EQ(ns.size(), 2000u);
  EXPECT_TRUE(std::is_sorted(ns.begin(), ns.end()));
}

TEST(KqlRun, TakeIsAppendedToEveryPart) {
  FakeServer s;
  s.rows = 10;
  QuerySpec q{"T", {{"Computer", {"\"a\""}}}, {}, {}, 5};
  sqlhunt::kql::Run run(q, 1, s, RunOptions());
  EXPECT_EQ(run.first_query(), "T\n| where Computer == \"a\"\n| take 5");
}

}  // namespace
