#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/record_stream.h"
#include "vtabs/alerts/alert.h"
#include "vtabs/alerts/entities.h"

using namespace sqlhunt::alerts;
using sqlhunt::records::Reader;
using sqlhunt::records::Record;
using sqlhunt::records::Shape;
using Json = nlohmann::ordered_json;

namespace {

// ---- normaliser ---------------------------------------------------------------------

Alert alert_of(const std::string& json) {
  Record r;
  r.json = json;
  static simdjson::dom::parser parser;
  r.value = parser.parse(r.json).value();
  r.has_value = true;
  return normalise(r);
}

TEST(Normalise, SentinelRecord) {
  const Alert a = alert_of(R"({"TimeGenerated [UTC]":"2019-01-12 06:41:44","AlertName":"n","Severity":"Low",
      "StartTimeUtc":"2019-02-16T03:23:54.29Z","EndTimeUtc":"","CompromisedEntity":"",
      "ExtendedProperties":"{\r\n \"Compromised Host\": \"HOST1\"\r\n}",
      "Entities":"[{\"$id\":\"3\",\"Address\":\"1.2.3.4\",\"Type\":\"ip\"}]",
      "Tactics":"Persistence, Execution","Techniques":"[\"T1078\"]","RemediationSteps":"[\r\n \"do x\"\r\n]"})");
  EXPECT_EQ(a.time, "2019-01-12T06:41:44.000Z");
  EXPECT_DOUBLE_EQ(*a.epoch, 1547275304.0);
  EXPECT_EQ(a.alert_name, "n");
  EXPECT_EQ(a.start_time, "2019-02-16T03:23:54.290Z");
  EXPECT_FALSE(a.end_time);
  EXPECT_EQ(a.compromised_entity, "HOST1");
  EXPECT_EQ(a.extended_properties, "{\"Compromised Host\":\"HOST1\"}");
  EXPECT_EQ(a.entities, "[{\"$id\":\"3\",\"Address\":\"1.2.3.4\",\"Type\":\"ip\"}]");
  EXPECT_EQ(a.tactics, "[\"Persistence\",\"Execution\"]");
  EXPECT_EQ(a.techniques, "[\"T1078\"]");
  EXPECT_EQ(a.remediation_steps, "[\"do x\"]");
  EXPECT_EQ(a.parse_error, "");
}

TEST(Normalise, CompromisedEntityColumnWins) {
  const Alert a = alert_of(R"({"TimeGenerated":"2019-01-12T06:41:44Z","CompromisedEntity":"A",
      "ExtendedProperties":{"Compromised Host":"B"}})");
  EXPECT_EQ(a.compromised_entity, "A");
  EXPECT_EQ(a.extended_properties, "{\"Compromised Host\":\"B\"}");
}

TEST(Normalise, BadFieldsAreNullWithReasons) {
  const Alert a = alert_of(R"({"AlertName":"n","StartTimeUtc":"yesterday","Entities":"[{\"$id\": ",
      "ExtendedProperties":"not json"})");
  EXPECT_FALSE(a.time);
  EXPECT_FALSE(a.start_time);
  EXPECT_FALSE(a.entities);
  EXPECT_FALSE(a.extended_properties);
  EXPECT_EQ(a.alert_name, "n");
  EXPECT_NE(a.parse_error.find("no TimeGenerated field: time is NULL"), std::string::npos);
  EXPECT_NE(a.parse_error.find("StartTimeUtc: cannot read 'yesterday' as a time"), std::string::npos);
  EXPECT_NE(a.parse_error.find("Entities: not valid JSON"), std::string::npos);
  EXPECT_NE(a.parse_error.find("ExtendedProperties: not valid JSON"), std::string::npos);
}

// Times written as JSON numbers: epoch seconds or milliseconds; out of range is an error.
TEST(Normalise, NumericTimesInSecondsOrMilliseconds) {
  auto r = Reader::from_string(
      "{\"TimeGenerated\":1550200269}\n{\"TimeGenerated\":1550200269123}\n{\"TimeGenerated\":1550200269.5}\n"
      "{\"TimeGenerated\":1e300}\n{\"TimeGenerated\":-1e300}\n");
  Record rec;
  std::vector<Alert> alerts;
  while (r->next(rec)) alerts.push_back(normalise(rec));
  ASSERT_EQ(alerts.size(), 5u);
  EXPECT_EQ(alerts[0].time, "2019-02-15T03:11:09.000Z");
  EXPECT_EQ(alerts[0].epoch, 1550200269.0);
  EXPECT_EQ(alerts[1].time, "2019-02-15T03:11:09.123Z");
  EXPECT_EQ(alerts[1].epoch, 1550200269.123);
  EXPECT_EQ(alerts[2].time, "2019-02-15T03:11:09.500Z");
  for (int k : {3, 4}) {
    EXPECT_FALSE(alerts[k].time) << k;
    EXPECT_FALSE(alerts[k].epoch) << k;
    EXPECT_NE(alerts[k].parse_error.find("TimeGenerated: cannot read '"), std::string::npos) << k;
  }
  // The same numbers written as text (CSV cells, string-typed JSON) read the same way.
  r = Reader::from_string(
      "TimeGenerated,StartTimeUtc\n1550200269123,1550200269\n\"1550200269.5\",99999999999999999\n");
  alerts.clear();
  while (r->next(rec)) alerts.push_back(normalise(rec));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].time, "2019-02-15T03:11:09.123Z");
  EXPECT_EQ(alerts[0].start_time, "2019-02-15T03:11:09.000Z");
  EXPECT_EQ(alerts[1].time, "2019-02-15T03:11:09.500Z");
  EXPECT_FALSE(alerts[1].start_time);
  EXPECT_EQ(alerts[1].parse_error, "StartTimeUtc: cannot read '99999999999999999' as a time");
}

TEST(Normalise, GraphAlert) {
  const Alert a = alert_of(R"({"id":"da637","title":"Suspicious PowerShell","category":"Execution",
      "severity":"high","status":"newAlert","createdDateTime":"2021-03-05T10:07:29.0421232Z",
      "eventDateTime":"2021-03-05T10:00:00Z","vendorInformation":{"provider":"MDATP","vendor":"Microsoft"},
      "recommendedActions":["isolate"]})");
  EXPECT_EQ(a.time, "2021-03-05T10:07:29.042Z");
  EXPECT_EQ(a.alert_name, "Suspicious PowerShell");
  EXPECT_EQ(a.alert_type, "Execution");
  EXPECT_EQ(a.severity, "high");
  EXPECT_EQ(a.provider_name, "MDATP");
  EXPECT_EQ(a.vendor_name, "Microsoft");
  EXPECT_EQ(a.system_alert_id, "da637");
  EXPECT_EQ(a.start_time, "2021-03-05T10:00:00.000Z");
  EXPECT_EQ(a.remediation_steps, "[\"isolate\"]");
}

TEST(Normalise, UnreadableRecordKeepsItsError) {
  Record r;
  r.error = "not valid JSON: x";
  const Alert a = normalise(r);
  EXPECT_EQ(a.parse_error, "not valid JSON: x");
  EXPECT_FALSE(a.alert_name);
}

// ---- entities -----------------------------------------------------------------------

TEST(Entities, ReferencesResolved) {
  auto list = parse_entities(R"([
    {"$id":"4","HostName":"H","Type":"host"},
    {"$id":"5","ProcessId":"0x4e4f","CommandLine":"","Host":{"$ref":"4"},"Type":"process"},
    {"$id":"6","Name":"dbadmin","Host":{"$ref":"4"},"Type":"account"},
    {"$id":"8","ProcessId":"6699","CommandLine":"wget x","ImageFile":{"$id":"7","Name":"wget","Type":"file"},
     "Account":{"$ref":"6"},"ParentProcess":{"$ref":"5"},"Host":{"$ref":"4"},"Type":"process"},
    {"$id":"3","Address":"23.97.60.214","Type":"ip"}])");
  EXPECT_EQ(list.error, "");
  ASSERT_EQ(list.entities.size(), 6u);
  const auto& e = list.entities;
  EXPECT_EQ(e[0].name, "H");
  EXPECT_EQ(e[1].process_id, 0x4e4f);
  EXPECT_FALSE(e[1].command_line);
  EXPECT_EQ(e[1].host_name, "H");
  EXPECT_EQ(e[2].account_name, "dbadmin");
  EXPECT_EQ(e[2].host_name, "H");
  EXPECT_EQ(e[3].entity_id, "8");
  EXPECT_EQ(e[3].name, "wget x");
  EXPECT_EQ(e[3].process_id, 6699);
  EXPECT_EQ(e[3].parent_entity_id, "5");
  EXPECT_EQ(e[3].account_name, "dbadmin");
  EXPECT_EQ(e[4].entity_id, "7");  // nested: document order
  EXPECT_EQ(e[4].type, "file");
  EXPECT_EQ(e[4].name, "wget");
  EXPECT_EQ(e[5].address, "23.97.60.214");
  EXPECT_EQ(e[2].properties,
            R"({"$id":"6","Name":"dbadmin","Host":{"$id":"4","HostName":"H","Type":"host"},"Type":"account"})");
  for (const auto& x : e) EXPECT_EQ(x.error, "") << x.entity_id;
}

TEST(Entities, UnknownReferenceReported) {
  auto list = parse_entities(R"([{"$id":"1","Name":"a","Host":{"$ref":"99"},"Type":"account"}])");
  ASSERT_EQ(list.entities.size(), 1u);
  EXPECT_EQ(list.entities[0].error, "unknown $ref '99'");
  EXPECT_EQ(list.entities[0].properties, R"({"$id":"1","Name":"a","Host":{"$ref":"99"},"Type":"account"})");
  EXPECT_FALSE(list.entities[0].host_name);
}

TEST(Entities, CycleIsBroken) {
  auto list = parse_entities(R"([{"$id":"1","HostName":"h","Owner":{"$ref":"2"},"Type":"host"},
                                 {"$id":"2","Name":"a","Host":{"$ref":"1"},"Type":"account"},
                                 {"$id":"3","ParentProcess":{"$ref":"3"},"Type":"process"}])");
  ASSERT_EQ(list.entities.size(), 3u);
  EXPECT_EQ(list.entities[0].properties,
            R"({"$id":"1","HostName":"h","Owner":{"$id":"2","Name":"a","Host":{"$ref":"1"},"Type":"account"},"Type":"host"})");
  EXPECT_EQ(list.entities[1].host_name, "h");
  EXPECT_EQ(list.entities[2].parent_entity_id, "3");
  for (const auto& x : list.entities) EXPECT_EQ(x.error, "");
}

TEST(Entities, ExplodingReferencesAreCut) {
  // Each entity refers to the previous one twice: 2^40 values if expanded naively.
  std::string json = "[{\"$id\":\"0\",\"Type\":\"x\"}";
  for (int i = 1; i <= 40; ++i)
    json += ",{\"$id\":\"" + std::to_string(i) + "\",\"Type\":\"x\",\"a\":{\"$ref\":\"" + std::to_string(i - 1) +
            "\"},\"b\":{\"$ref\":\"" + std::to_string(i - 1) + "\"}}";
  json += "]";
  auto list = parse_entities(json);
  ASSERT_EQ(list.entities.size(), 41u);
  // Entity 14 would be 2^14 values: cut at 10000. The later ones are cut by that too, or
  // by the budget all entities share (PropertiesStayLinearInTheInput).
  EXPECT_NE(list.entities[14].error.find("references expand past 10000 values"), std::string::npos);
  EXPECT_NE(list.entities[40].error.find("the rest are left as {\"$ref\"}"), std::string::npos);
  EXPECT_LT(list.entities[40].properties.size(), 20u << 20);
}

// Inputs that make every entity's properties copy a lot: the properties of all entities
// together stay within kExpansionFactor times the input plus kExpansionFloor (plus one
// copy of the input), whatever the shape. Without that bound the first makes about
// 100 MB of 100 KB, the second 50 MB, the third 100 MB of 2 MB.
TEST(Entities, PropertiesStayLinearInTheInput) {
  auto check = [](const std::string& what, const std::string& json, size_t whole) {
    auto list = parse_entities(json);
    size_t total = 0;
    for (const auto& e : list.entities) total += e.properties.size();
    EXPECT_LE(total, kExpansionFactor * json.size() + kExpansionFloor + json.size()) << what;
    size_t cut = 0;
    for (const auto& e : list.entities) cut += e.error.find("the entities' properties reach") != std::string::npos;
    EXPECT_GT(cut, 0u) << what;
    // The first entities, before the budget is spent, are written whole.
    for (size_t k = 0; k < whole; ++k) EXPECT_EQ(list.entities.at(k).error, "") << what << " " << k;
    for (const auto& e : list.entities) ASSERT_TRUE(nlohmann::json::accept(e.properties)) << what;
  };
  {
    std::string json = R"([{"$id":"1","Type":"blob","s":")" + std::string(32 << 10, 'x') + R"("},{"$id":"2","Type":"x","a":[)";
    for (int i = 0; i < 3000; ++i) json += std::string(i ? "," : "") + R"({"$ref":"1"})";
    check("one big string referenced 3000 times", json + "]}]", 1);
  }
  {
    std::string json = R"([{"$id":"0","Type":"big","v":[)";
    for (int i = 0; i < 5000; ++i) json += std::string(i ? "," : "") + "1";
    json += "]}";
    for (int i = 1; i <= 5000; ++i) json += R"(,{"$id":")" + std::to_string(i) + R"(","Type":"x","r":{"$ref":"0"}})";
    check("5000 entities referring to one object of 5000 values", json + "]", 100);
  }
  {
    std::string json;
    for (int i = 0; i < 100; ++i)
      json += R"({"$id":")" + std::to_string(i) + R"(","Type":"x","s":")" + std::string(20000, 'y') + R"(","c":)";
    json += "null" + std::string(100, '}');
    check("100 entities nested in each other", "[" + json + "]", 1);
  }
}

// Why a text is not JSON is asked without building it: 4 MB of '[' nested that deep
// (simdjson refuses it, nlohmann names the column) once cost 90 bytes per bracket.
TEST(Entities, DeeplyNestedInputCostsLittleMemory) {
  // The peak resident size of this process, from a reset made here (writing 5 to
  // clear_refs), so what earlier tests of the same run used does not hide it.
  auto reset_peak = [] {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
    return static_cast<bool>(f.flush());
  };
  auto max_rss_kb = [] {
    std::ifstream f("/proc/self/status");
    std::string key;
    long kb = 0;
    while (f >> key)
      if (key == "VmHWM:" && (f >> kb)) break;
    return kb;
  };
  // AddressSanitizer's redzones and quarantine at least double what an allocation
  // costs: the bound grows with them (the tree this guards against took 360 MB).
#if defined(__SANITIZE_ADDRESS__)
  constexpr long kLimitKb = 250 * 1024;
#else
  constexpr long kLimitKb = 100 * 1024;
#endif
  const std::string json(4u << 20, '[');
  if (!reset_peak()) GTEST_SKIP() << "cannot reset the peak RSS (/proc/self/clear_refs)";
  const long before = max_rss_kb();
  auto list = parse_entities(json);
  EXPECT_NE(list.error.find("entities are not valid JSON: parse error at line 1, column 4194305"), std::string::npos)
      << list.error;
  EXPECT_LT(max_rss_kb() - before, kLimitKb);
  // The record stream gives the same reason for the same text, at the same cost.
  auto reader = Reader::from_string("{\"A\":1}\n{\"A\":" + json + "}\n{\"A\":1}\n");
  std::vector<std::string> errors;
  for (Record r; reader->next(r);) errors.push_back(r.error);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[1].find("not valid JSON: parse error at line 1, column"), std::string::npos) << errors[1];
  EXPECT_LT(max_rss_kb() - before, kLimitKb);
}

TEST(Entities, DuplicateIdAndBadProcessId) {
  auto list = parse_entities(R"([{"$id":"1","Type":"host","HostName":"a"},
                                 {"$id":"1","Type":"process","ProcessId":"12z"}])");
  ASSERT_EQ(list.entities.size(), 2u);
  EXPECT_EQ(list.entities[1].error,
            "duplicate $id '1' (references go to the first object with it); ProcessId '12z' is not a number");
  EXPECT_FALSE(list.entities[1].process_id);
}

TEST(Entities, InputForms) {
  EXPECT_EQ(parse_entities("\"[{\\\"$id\\\":\\\"1\\\",\\\"Type\\\":\\\"ip\\\",\\\"Address\\\":\\\"1.1.1.1\\\"}]\"")
                .entities.at(0).address,
            "1.1.1.1");
  EXPECT_EQ(parse_entities(R"({"$id":"1","Type":"url","Url":"http://x"})").entities.at(0).name, "http://x");
  auto bad = parse_entities("[{\"$id\":");
  EXPECT_TRUE(bad.entities.empty());
  EXPECT_NE(bad.error.find("entities are not valid JSON"), std::string::npos);
  EXPECT_EQ(parse_entities("42").error, "entities must be a JSON array or object, not 42");
  EXPECT_TRUE(parse_entities("[{\"Type\":\"ip\"}]").entities.empty());  // no $id: not an entity
}

TEST(Entities, ProcessIdForms) {
  EXPECT_EQ(parse_process_id("0x1a2b"), 0x1a2b);
  EXPECT_EQ(parse_process_id("0X1A2B"), 0x1a2b);
  EXPECT_EQ(parse_process_id("6699"), 6699);
  EXPECT_EQ(parse_process_id(" 12 "), 12);
  EXPECT_FALSE(parse_process_id("0x"));
  EXPECT_FALSE(parse_process_id("-1"));
  EXPECT_FALSE(parse_process_id("0xffffffffffffffffff"));
  EXPECT_FALSE(parse_process_id("99999999999999999999"));
  EXPECT_EQ(parse_process_id("0x7fffffffffffffff"), INT64_MAX);
}

// ---- the shared exports -------------------------------------------------------------

std::string dataset(const char* rel) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  const std::string p = std::string(ds ? ds : "") + "/" + rel;
  return ds && access(p.c_str(), R_OK) == 0 ? p : std::string();
}

TEST(AlertsDatasets, BothExportsReadWhole) {
  const std::string csv = dataset("alerts/alertlist.csv"), jsonl = dataset("alerts/alerts_list.jsonl");
  if (csv.empty() || jsonl.empty()) GTEST_SKIP() << "shared datasets not found (SQLHUNT_DATASETS)";
  struct Case {
    std::string path;
    Shape shape;
    size_t rows, with_entities;
  } cases[] = {{csv, Shape::kCsv, 189, 176}, {jsonl, Shape::kJsonLines, 25, 25}};
  for (const auto& c : cases) {
    Reader r(c.path);
    Record s;
    size_t n = 0, with_entities = 0, entity_rows = 0;
    while (r.next(s)) {
      const Alert a = normalise(s);
      EXPECT_EQ(a.parse_error, "") << c.path << ":" << s.line;
      EXPECT_TRUE(a.time && a.alert_name && a.start_time && a.end_time) << c.path << ":" << s.line;
      if (a.entities) {
        ++with_entities;
        auto list = parse_entities(*a.entities);
        EXPECT_EQ(list.error, "");
        for (const auto& e : list.entities) EXPECT_EQ(e.error, "") << c.path << ":" << s.line;
        entity_rows += list.entities.size();
      }
      ++n;
    }
    EXPECT_EQ(r.shape(), c.shape);
    EXPECT_EQ(n, c.rows) << c.path;
    EXPECT_EQ(with_entities, c.with_entities) << c.path;
    EXPECT_GT(entity_rows, n);
  }
}

}  // namespace

