// win_events' pure parts: EVTX value rendering, the binary XML reader on synthetic and
// real files (damage, limits, the pushdown counters), XML text through expat, the
// event model and the export readers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/file_source.h"
#include "core/record_stream.h"
#include "vtabs/win_events/event_model.h"
#include "vtabs/win_events/event_names.h"
#include "vtabs/win_events/event_record.h"
#include "vtabs/win_events/event_source.h"
#include "vtabs/win_events/evtx_file.h"
#include "vtabs/win_events/evtx_value.h"
#include "vtabs/win_events/export_source.h"
#include "vtabs/win_events/xml_text.h"

using namespace sqlhunt::winevt;

namespace {

std::string value(uint8_t type, const std::vector<uint8_t>& bytes) {
  std::string out;
  append_value(out, type, bytes.data(), bytes.size());
  return out;
}

template <size_t N>
std::vector<uint8_t> utf16(const char16_t (&literal)[N]) {  // NULs inside kept
  const std::u16string s(literal, N - 1);
  std::vector<uint8_t> b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c & 0xff));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The synthetic EVTX files of tests/fixtures/win_events/make_fixtures.py, made once in a
// folder removed when the tests end.
struct FixtureDir {
  std::string path;
  FixtureDir() {
    char tmpl[] = "/tmp/sqlhunt-win-events-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    const std::string cmd = "/usr/bin/python3 " + std::string(SQLHUNT_SOURCE_DIR) +
                            "/tests/fixtures/win_events/make_fixtures.py " + tmpl;
    if (std::system(cmd.c_str()) == 0) path = tmpl;
    else std::filesystem::remove_all(tmpl);
  }
  ~FixtureDir() {
    if (!path.empty()) std::filesystem::remove_all(path);
  }
};

std::string fixture(const std::string& name) {
  static const FixtureDir dir;
  return dir.path.empty() ? std::string() : dir.path + "/" + name;
}

std::string shared(const std::string& name) {
  const char* ds = std::getenv("SQLHUNT_DATASETS");
  const std::string p = std::string(ds ? ds : "../shared/datasets") + "/windows/evtx/" + name;
  return access(p.c_str(), R_OK) == 0 ? p : std::string();
}

struct Row {
  std::optional<uint64_t> record_id;
  std::optional<int64_t> event_id;
  bool recovered;
  std::string error;
};

std::vector<Row> read_all(EvtxReader& r) {
  std::vector<Row> rows;
  EvtxRecord rec;
  EventRecord ev;
  while (r.next(rec)) {
    Row row{rec.record_id, std::nullopt, rec.recovered, rec.error};
    if (rec.xml) {
      read_xml_event(*rec.xml, ev, false);
      row.event_id = ev.event_id;
    }
    rows.push_back(row);
  }
  return rows;
}

// ---- values ---------------------------------------------------------------------------

TEST(EvtxValue, RendersAsWindows) {
  EXPECT_EQ(value(vt::kString, utf16(u"abc\u00e9")), "abc\u00e9");
  EXPECT_EQ(value(vt::kString, utf16(u"ab\0cd")), "ab");  // a string ends at its NUL
  EXPECT_EQ(value(vt::kString, {0x3d, 0xd8, 0x00, 0xde}), "\xF0\x9F\x98\x80");  // a surrogate pair
  EXPECT_EQ(value(vt::kString, {0x3d, 0xd8, 0x41, 0x00}), "\xEF\xBF\xBD" "A");  // an unpaired one
  EXPECT_EQ(value(vt::kAnsi, {'c', 'a', 'f', 0xe9, ' ', 0x80}), "caf\u00e9 \u20ac");
  EXPECT_EQ(value(vt::kInt8, {0xfb}), "-5");
  EXPECT_EQ(value(vt::kUInt64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), "18446744073709551615");
  EXPECT_EQ(value(vt::kHexInt64, {0xe7, 0x03, 0, 0, 0, 0, 0, 0}), "0x3e7");
  EXPECT_EQ(value(vt::kHexInt32, {0x6d, 0, 0, 0xc0}), "0xc000006d");
  EXPECT_EQ(value(vt::kBool, {2, 0, 0, 0}), "true");
  EXPECT_EQ(value(vt::kBinary, {0x00, 0xab}), "00AB");
  EXPECT_EQ(value(vt::kGuid, {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28,
                               0xc3, 0x0d}),
            "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_EQ(value(vt::kSid, {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}), "S-1-5-18");
  EXPECT_EQ(value(vt::kSid, {1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}), "010200000000000512000000");  // short: hex
  EXPECT_EQ(value(vt::kGuid, {1, 2, 3}), "010203");  // a GUID of 3 bytes: hex, nothing read past it
  const uint64_t ft = kFiletimeUnixEpoch + 15000000001234567ull;  // 1500000000.1234567 s
  std::vector<uint8_t> b(8);
  std::memcpy(b.data(), &ft, 8);
  EXPECT_EQ(value(vt::kFileTime, b), "2017-07-14T02:40:00.1234567Z");
  EXPECT_EQ(filetime_to_epoch_ms(ft), 1500000000123);
  EXPECT_EQ(filetime_to_epoch_ms(kFiletimeUnixEpoch + 5000), 1);  // rounded to the nearest ms
  std::vector<uint8_t> zero(8, 0);
  EXPECT_EQ(value(vt::kFileTime, zero), "1601-01-01T00:00:00.0000000Z");
  EXPECT_EQ(value(vt::kSysTime, {0xe4, 0x07, 9, 0, 0, 0, 13, 0, 12, 0, 26, 0, 40, 0, 123, 0}), "2020-09-13T12:26:40.1230000Z");
  EXPECT_EQ(value(vt::kSysTime, {0xe4, 0x07, 13, 0, 0, 0, 13, 0, 12, 0, 26, 0, 40, 0, 123, 0}),
            "E4070D0000000D000C001A0028007B00");  // month 13: not a time, hex
}

TEST(EvtxValue, Arrays) {
  EXPECT_EQ(element_count(vt::kString | vt::kArray, utf16(u"a\0bb\0").data(), 10), 2u);
  EXPECT_EQ(element_count(vt::kString | vt::kArray, utf16(u"a\0bb").data(), 8), 2u);  // last without NUL
  EXPECT_EQ(element_count(vt::kUInt32 | vt::kArray, std::vector<uint8_t>(12).data(), 12), 3u);
  EXPECT_EQ(element_count(vt::kUInt32 | vt::kArray, std::vector<uint8_t>(13).data(), 13), 3u);  // a stray byte
  EXPECT_EQ(value(vt::kUInt16 | vt::kArray, {1, 0, 2, 0}), "1, 2");
  const std::vector<uint8_t> sids = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
  EXPECT_EQ(value(vt::kSid | vt::kArray, sids), "S-1-5-18, S-1-5-32-544");
}

// ---- names ----------------------------------------------------------------------------

TEST(EventNames, Tables) {
  EXPECT_STREQ(status_name(4625, 0xC000006D), "bad user name or password");
  EXPECT_STREQ(status_name(4771, 0x18), "pre-authentication failed (bad password)");
  EXPECT_EQ(status_name(4625, 0x18), nullptr);
  EXPECT_STREQ(logon_type_name(10), "RemoteInteractive");
  EXPECT_EQ(logon_type_name(6), nullptr);
  EXPECT_EQ(logon_type_name(-1), nullptr);
  EXPECT_STREQ(param_message("%%1936"), "TokenElevationTypeDefault (1)");
  EXPECT_STREQ(well_known_sid_name("S-1-5-18"), "NT AUTHORITY\\SYSTEM");
  EXPECT_STREQ(well_known_sid_name("S-1-5-21-1-2-3-500"), "Administrator");
  EXPECT_EQ(well_known_sid_name("S-1-5-21-1-2-3-1104"), nullptr);
  EXPECT_EQ(well_known_sid_name("S-1-5-21-1-2-500"), nullptr);  // not a domain SID
  EXPECT_STREQ(activity_name(ProviderFamily::kSecurity, "", 4624), "An account was successfully logged on.");
  EXPECT_STREQ(activity_name(ProviderFamily::kSysmon, "Microsoft-Windows-Sysmon", 1), "Process creation");
  EXPECT_EQ(activity_name(ProviderFamily::kOther, "Something", 4624), nullptr);
}

// ---- event model ----------------------------------------------------------------------

void model(EventRecord& ev, const char* provider, WinEvent& out) {
  ev.provider = ev.add(provider);
  Normaliser n;
  n.run(ev, kNeedAll, out);
}

TEST(EventModel, ProcessCreation4688) {
  EventRecord ev;
  ev.event_id = 4688;
  for (auto [k, v] : std::vector<std::pair<const char*, const char*>>{
           {"SubjectUserSid", "S-1-5-18"}, {"SubjectUserName", "-"}, {"SubjectLogonId", "0x3E7"},
           {"NewProcessId", "0x1a2c"}, {"NewProcessName", "C:\\x.exe"}, {"ProcessId", "0x3b8"},
           {"TokenElevationType", "%%1937"}, {"TargetLogonId", "0x0"}})
    ev.add_field(k, v);
  WinEvent e;
  model(ev, "Microsoft-Windows-Security-Auditing", e);
  EXPECT_EQ(e.process_id, 0x1a2c);
  EXPECT_EQ(e.parent_process_id, 0x3b8);
  EXPECT_EQ(e.process_name, "C:\\x.exe");
  EXPECT_EQ(e.subject_logon_id, 999);
  EXPECT_FALSE(e.target_logon_id);  // 0x0: no session
  EXPECT_EQ(e.subject_user, "SYSTEM");  // "-": named from the well-known SID
  EXPECT_EQ(e.subject_domain, "NT AUTHORITY");
  EXPECT_EQ(e.token_elevation, "TokenElevationTypeFull (2)");
  EXPECT_EQ(e.activity, "A new process has been created.");
  EXPECT_EQ(e.event_data.front(), '{');
}

TEST(EventModel, SysmonAndLogon) {
  EventRecord ev;
  ev.event_id = 1;
  ev.add_field("ProcessGuid", "{94F748D5-4A45-5A42-0000-0010D265F20F}");
  ev.add_field("ProcessId", "9112");
  ev.add_field("ParentProcessId", "8392");
  ev.add_field("Image", "C:\\ping.exe");
  ev.add_field("User", "CORP\\alice");
  ev.add_field("LogonId", "0x5a5a5");
  WinEvent e;
  model(ev, "Microsoft-Windows-Sysmon", e);
  EXPECT_EQ(e.process_guid, "{94f748d5-4a45-5a42-0000-0010d265f20f}");
  EXPECT_EQ(e.process_id, 9112);
  EXPECT_EQ(e.parent_process_id, 8392);
  EXPECT_EQ(e.subject_user, "alice");
  EXPECT_EQ(e.subject_domain, "CORP");
  EXPECT_EQ(e.subject_logon_id, 0x5a5a5);

  EventRecord l;
  l.event_id = 4625;
  l.add_field("IpAddress", "::ffff:10.1.2.3");
  l.add_field("IpPort", "-");
  l.add_field("Status", "3221225581");  // 0xC000006D written in decimal
  l.add_field("SubStatus", "0xC0000064");
  l.add_field("WorkstationName", "-");
  model(l, "Microsoft-Windows-Security-Auditing", e);
  EXPECT_EQ(e.ip_address, "10.1.2.3");
  EXPECT_FALSE(e.ip_port);
  EXPECT_FALSE(e.workstation);
  EXPECT_EQ(e.status, "0xc000006d");
  EXPECT_EQ(e.status_name, "bad user name or password");
  EXPECT_EQ(e.sub_status, "0xc0000064");
  EXPECT_EQ(e.sub_status_name, "user name does not exist");
}

// ---- XML text -------------------------------------------------------------------------

TEST(XmlText, EventDataColumn) {
  XmlTextParser p;
  XmlStream s;
  EXPECT_EQ(p.parse("<EventData xmlns=\"x\">\r\n  <Data Name=\"A\">a &amp; b</Data>\r\n  <Data Name=\"B\"> </Data>\r\n"
                    "  <Data>c</Data>\r\n</EventData>", s), "");
  EventRecord ev;
  read_xml_event(s, ev);
  std::string json;
  append_event_data_json(json, ev);
  EXPECT_EQ(json, R"({"A":"a & b","B":" ","param1":"c"})");
}

TEST(XmlText, UserDataNested) {
  XmlTextParser p;
  XmlStream s;
  ASSERT_EQ(p.parse("<Event><System><EventID>1102</EventID><TimeCreated SystemTime=\"2021-01-02T03:04:05.6789Z\"/>"
                    "</System><UserData><EventProcessingFailure xmlns=\"m\"><Error Code=\"15007\"/>"
                    "<EventID>4616</EventID><Inner><A>1</A><A>2</A></Inner></EventProcessingFailure></UserData></Event>",
                    s),
            "");
  EventRecord ev;
  read_xml_event(s, ev);
  EXPECT_EQ(ev.event_id, 1102);
  EXPECT_EQ(ev.time_ms, 1609556645679);
  std::string json;
  append_event_data_json(json, ev);
  EXPECT_EQ(json, R"({"Error":{"@Code":"15007"},"EventID":"4616","Inner":{"A":"1","A":"2"}})");
}

TEST(XmlText, Malformed) {
  XmlTextParser p;
  XmlStream s;
  EXPECT_EQ(p.parse("<EventData><Data Name=\"X\">v</EventData>", s), "XML: mismatched tag at line 1, column 30");
  EXPECT_NE(p.parse("", s), "");
  EXPECT_NE(p.parse("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
                    "<EventData><Data>&h;</Data></EventData>",
                    s),
            "");  // expat refuses the "billion laughs"
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<a>";
  EXPECT_EQ(p.parse(deep, s), "XML nested more than 256 elements deep");
}

TEST(XmlText, EventFileAcrossBlocks) {
  // 3,000 events of ~300 bytes: many straddle the reader's 64 KiB blocks; one holds a
  // 100 KB value (longer than a block).
  std::string xml = "<?xml version=\"1.0\"?>\n<Events>\n";
  for (int i = 0; i < 3000; ++i) {
    xml += "<Event><System><EventID>4624</EventID><EventRecordID>" + std::to_string(i) +
           "</EventRecordID></System>\n<EventData><Data Name=\"N\">" +
           (i == 1500 ? std::string(100000, 'x') : std::string("v") + std::to_string(i)) +
           "</Data></EventData></Event>\n";
  }
  xml += "</Events>\n";
  XmlEventReader r(std::make_unique<sqlhunt::files::ByteReader>(xml, "mem"));
  EventRecord ev;
  int n = 0;
  while (const XmlEvent* e = r.next()) {
    read_xml_event(e->stream, ev);
    ASSERT_EQ(ev.record_id, n);
    const auto v = ev.get("N");
    ASSERT_TRUE(v);
    if (n == 1500) EXPECT_EQ(v->size(), 100000u);
    else EXPECT_EQ(*v, "v" + std::to_string(n));
    EXPECT_EQ(e->line, 3u + 2u * static_cast<unsigned>(n));
    ++n;
  }
  EXPECT_EQ(n, 3000);
  EXPECT_EQ(r.error(), "");
}

// ---- exports --------------------------------------------------------------------------

// Calls check(event, error) for each row of an export held in `text`.
template <class F>
size_t each_export_row(const std::string& text, F&& check) {
  auto src = export_event_source(sqlhunt::records::Reader::from_string(text));
  SourceRow row;
  Normaliser n;
  WinEvent e;
  size_t count = 0;
  while (src->next(row, kNeedAll)) {
    n.run(row.ev, kNeedAll, e, row.activity_text);
    check(count++, e, row.error);
  }
  return count;
}

TEST(Exports, SecurityEventFlattenedAndWinlogbeat6) {
  const size_t n = each_export_row(
      R"({"TimeGenerated":"2019-02-14T04:23:55.4Z","EventID":4625,"Computer":"W1","Activity":"4625 - An account failed to log on.","TargetUserName":"ian","Status":"0xc000015b","LogonType":4,"IpAddress":"-","TargetLogonId":"","TenantId":"t"})"
      "\n"
      R"({"@timestamp":"2019-05-18T20:37:14.621Z","log_name":"Security","source_name":"Microsoft-Windows-Security-Auditing","event_id":4624,"computer_name":"HR001","record_number":"12","level":"Information","event_data":{"TargetLogonId":"0x3e7","LogonType":"5"}})"
      "\n",
      [](size_t i, const WinEvent& e, const std::string& error) {
        EXPECT_EQ(error, "");
        if (i == 0) {
          EXPECT_EQ(e.event_id, 4625);
          EXPECT_EQ(e.time_ms, 1550118235400);
          EXPECT_EQ(e.logon_type, 4);
          EXPECT_FALSE(e.ip_address);
          EXPECT_EQ(e.status_name, "logon type not granted at this machine");
          EXPECT_EQ(e.event_data, R"({"TargetUserName":"ian","Status":"0xc000015b","LogonType":"4","IpAddress":"-"})");
        } else {
          EXPECT_EQ(e.record_id, 12);
          EXPECT_EQ(e.level, 4);
          EXPECT_EQ(e.target_logon_id, 999);
          EXPECT_EQ(e.computer, "HR001");
        }
      });
  EXPECT_EQ(n, 2u);
}

// ---- EVTX files -----------------------------------------------------------------------

TEST(Evtx, SyntheticDamage) {
  const std::string path = fixture("damaged.evtx");
  if (path.empty()) GTEST_SKIP() << "make_fixtures.py did not run";
  EvtxReader r(path);
  const auto rows = read_all(r);
  std::vector<std::string> kinds;
  for (const Row& row : rows)
    kinds.push_back((row.record_id ? std::to_string(*row.record_id) : "-") + (row.recovered ? "r" : "") +
                    (row.error.empty() ? "" : "!"));
  EXPECT_EQ(kinds, (std::vector<std::string>{"1", "2", "3", "6!", "-!", "-!", "7r", "8r", "9r", "20", "21", "15r!"}));
  EXPECT_EQ(r.stats().empty_chunks, 1u);
  EXPECT_EQ(r.stats().recovered, 4u);
}

TEST(Evtx, EveryPrefixOfAFileIsReadWithoutCrashing) {
  // A file cut at any point: complete records read, the rest reported, no crash.
  const std::string path = fixture("logons.evtx");
  if (path.empty()) GTEST_SKIP() << "make_fixtures.py did not run";
  const std::string bytes = read_file(path);
  for (size_t cut = 0; cut < bytes.size(); cut += 997) {
    auto r = EvtxReader::from_bytes(std::string_view(bytes.data(), cut));
    const auto rows = read_all(*r);
    size_t whole = 0;
    for (const Row& row : rows) whole += row.error.empty() && row.event_id ? 1 : 0;
    EXPECT_LE(whole, 12u);
    if (cut >= bytes.size() - 997) {
      EXPECT_GE(whole, 6u);
    }
  }
}

TEST(Evtx, CorruptBytesNeverCrash) {
  const std::string path = fixture("values.evtx");
  if (path.empty()) GTEST_SKIP() << "make_fixtures.py did not run";
  const std::string good = read_file(path);
  uint32_t seed = 12345;
  for (int round = 0; round < 400; ++round) {
    std::string bytes = good;
    for (int k = 0; k < 8; ++k) {
      seed = seed * 1103515245 + 12345;
      const size_t at = 4096 + 512 + (seed >> 8) % 8192;
      bytes[at] = static_cast<char>(seed >> 24);
    }
    auto r = EvtxReader::from_bytes(bytes);
    EvtxRecord rec;
    std::string xml;
    size_t n = 0;
    while (r->next(rec) && n < 100000) {
      ++n;
      xml.clear();
      if (rec.xml) append_xml(xml, *rec.xml);
    }
    EXPECT_LT(n, 100000u);
  }
}

// The pushdown saves work, counted: event ids and times skip records without expanding
// them, record ids skip whole chunks; the rows are those of a full read that match.
TEST(Evtx, PushdownCounters) {
  const std::string path = shared("security.evtx");
  if (path.empty()) GTEST_SKIP() << "needs the shared datasets";
  EvtxReader all(path);
  const auto every = read_all(all);
  const EvtxStats full = all.stats();
  EXPECT_EQ(full.records_skipped, 0u);
  EXPECT_EQ(full.chunks_skipped, 0u);

  EvtxFilter by_id;
  by_id.event_ids = {4625, 4720};
  EvtxReader some(path, by_id);
  const auto rows = read_all(some);
  size_t want = 0;
  for (const Row& row : every) want += row.error.empty() && row.event_id && (*row.event_id == 4625 || *row.event_id == 4720);
  size_t got = 0;
  for (const Row& row : rows) got += row.error.empty() && row.event_id && (*row.event_id == 4625 || *row.event_id == 4720);
  EXPECT_EQ(got, want);
  EXPECT_GT(some.stats().records_skipped, 2000u);
  EXPECT_LT(some.stats().records_expanded, 100u);

  // one hour of 2016-07-08
  EvtxFilter by_time;
  by_time.min_time_ms = 1468000800000;  // 2016-07-08T18:00:00Z
  by_time.max_time_ms = 1468004400000;  // 2016-07-08T19:00:00Z
  EvtxReader hour(path, by_time);
  read_all(hour);
  EXPECT_GT(hour.stats().records_skipped, 1000u);
  EXPECT_LT(hour.stats().records_expanded, full.records_expanded / 2);

  EvtxFilter by_record;
  by_record.min_record_id = 2000;
  EvtxReader tail(path, by_record);
  const auto tail_rows = read_all(tail);
  EXPECT_GE(tail.stats().chunks_skipped, 20u);
  size_t tail_want = 0, tail_got = 0;
  for (const Row& row : every) tail_want += row.error.empty() && row.record_id && *row.record_id >= 2000 && !row.recovered;
  for (const Row& row : tail_rows) tail_got += row.error.empty() && row.record_id && *row.record_id >= 2000 && !row.recovered;
  EXPECT_EQ(tail_got, tail_want);
}

// A file saved from a selection of events renumbers its header ids (1..7) but keeps
// the XML's EventRecordIDs: its chunk is not skipped by the header's range.
TEST(Evtx, RenumberedFileIsNotSkippedByHeaderIds) {
  const std::string path = shared("Security_short_selected.evtx");
  if (path.empty()) GTEST_SKIP() << "needs the shared datasets";
  EvtxFilter f;
  f.min_record_id = 319457771;
  EvtxReader r(path, f);
  const auto rows = read_all(r);
  EXPECT_EQ(r.stats().chunks_skipped, 0u);
  size_t whole = 0;
  for (const Row& row : rows) whole += row.error.empty() ? 1 : 0;
  EXPECT_EQ(whole, 7u);
}

}  // namespace
