// Unit tests of the audit log parser: record headers, fields, value decoding, syscall
// names, event assembly, the event columns and the file source's time pushdown.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "core/time.h"
#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/audit_source.h"
#include "vtabs/audit_events/audit_value.h"
#include "vtabs/audit_events/event_assembler.h"
#include "vtabs/audit_events/event_pipeline.h"
#include "vtabs/audit_events/syscalls.h"

namespace audit = sqlhunt::audit;

namespace {

std::vector<std::pair<std::string, std::string>> fields_of(std::string_view line) {
  audit::RecordHeader h;
  std::string error;
  if (!audit::parse_header(line, h, error)) ADD_FAILURE() << error;
  audit::FieldScanner scan(h);
  audit::Field f;
  std::vector<std::pair<std::string, std::string>> out;
  while (scan.next(f)) {
    std::string key(f.key);
    if (f.inner) key = "inner:" + key;
    if (f.enriched) key = "enriched:" + key;
    out.emplace_back(key, std::string(f.value));
  }
  return out;
}

// Feeds lines to an assembler as the source would and collects the events.
struct Assembled {
  struct Row {
    uint64_t serial;
    size_t records;
    uint64_t line;
    std::string error;
    std::string raw;
  };
  std::vector<Row> rows;
};

Assembled assemble(const std::vector<std::string>& lines) {
  audit::EventAssembler a(/*keep_text=*/true);
  Assembled out;
  auto drain = [&] {
    while (audit::Event* e = a.pop())
      out.rows.push_back({e->serial, e->record_count, e->line, e->error, e->raw});
  };
  uint64_t n = 0;
  for (const auto& text : lines) {
    audit::SourceLine sl;
    sl.line.text = text;
    sl.line.number = ++n;
    sl.is_record = audit::parse_header(text, sl.header, sl.error);
    a.add(sl);
    drain();
  }
  a.finish();
  drain();
  return out;
}

std::string rec(int64_t seconds, int ms, int serial, const std::string& type, const std::string& body) {
  char head[96];
  std::snprintf(head, sizeof head, "type=%s msg=audit(%lld.%03d:%d): ", type.c_str(),
                static_cast<long long>(seconds), ms, serial);
  return head + body;
}

}  // namespace

TEST(AuditHeader, ReadsTypeTimeSerialAndBody) {
  audit::RecordHeader h;
  std::string error;
  ASSERT_TRUE(audit::parse_header(
      "type=SYSCALL msg=audit(1551485405.594:7507): arch=c000003e syscall=59", h, error));
  EXPECT_EQ(h.type, "SYSCALL");
  EXPECT_EQ(h.epoch_ms, 1551485405594);
  EXPECT_EQ(h.serial, 7507u);
  EXPECT_EQ(h.node, "");
  EXPECT_EQ(h.body, "arch=c000003e syscall=59");
  EXPECT_EQ(h.enriched, "");
}

TEST(AuditHeader, NodePrefixAndEnrichedPart) {
  audit::RecordHeader h;
  std::string error;
  ASSERT_TRUE(audit::parse_header(
      "node=web-01 type=SYSCALL msg=audit(1.5:2): pid=3\x1d" "ARCH=x86_64 UID=\"root\"", h, error));
  EXPECT_EQ(h.node, "web-01");
  EXPECT_EQ(h.epoch_ms, 1500);  // one fraction digit is tenths
  EXPECT_EQ(h.body, "pid=3");
  EXPECT_EQ(h.enriched, "ARCH=x86_64 UID=\"root\"");
}

TEST(AuditHeader, SyslogCopyOfAKernelRecord) {
  audit::RecordHeader h;
  std::string error;
  ASSERT_TRUE(audit::parse_header(
      "Mar  2 00:10:01 vm kernel: [ 12.3] audit: type=1400 audit(1551485401.123:42): apparmor=\"DENIED\"", h,
      error));
  EXPECT_EQ(h.type, "1400");
  EXPECT_EQ(h.serial, 42u);
  EXPECT_EQ(h.body, "apparmor=\"DENIED\"");
}

TEST(AuditHeader, RejectsWhatIsNotARecord) {
  audit::RecordHeader h;
  std::string error;
  EXPECT_FALSE(audit::parse_header("", h, error));
  EXPECT_FALSE(audit::parse_header("hello world", h, error));
  EXPECT_NE(error.find("not an audit record"), std::string::npos);
  EXPECT_FALSE(audit::parse_header("type=SYSCALL msg=audit(155148:): x=1", h, error));
  EXPECT_NE(error.find("SECONDS.MILLIS:SERIAL"), std::string::npos);
  EXPECT_FALSE(audit::parse_header("type=SYSCALL msg=audit(1.2:3", h, error));
  EXPECT_FALSE(audit::parse_header("type= msg=audit(1.2:3): x", h, error));
}

TEST(AuditFields, SplitsOnTheFirstEqualsAndKeepsQuotes) {
  auto f = fields_of("type=CONFIG_CHANGE msg=audit(1.000:1): audit_failure=1  subj==unconfined key=\"a b\" res=1");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], (std::pair<std::string, std::string>("audit_failure", "1")));
  EXPECT_EQ(f[1], (std::pair<std::string, std::string>("subj", "=unconfined")));
  EXPECT_EQ(f[2], (std::pair<std::string, std::string>("key", "\"a b\"")));
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>("res", "1")));
}

TEST(AuditFields, UserSpaceMessageFieldsAreFlattened) {
  auto f = fields_of(
      "type=USER_LOGIN msg=audit(1.000:1): pid=5 uid=0 msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" "
      "hostname=? addr=1.2.3.4 terminal=sshd res=failed'");
  ASSERT_EQ(f.size(), 9u);
  EXPECT_EQ(f[2].first, "inner:op");
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>("inner:acct", "\"root\"")));
  EXPECT_EQ(f[8], (std::pair<std::string, std::string>("inner:res", "failed")));
}

TEST(AuditFields, MessageWithoutFieldsStaysOneField) {
  auto f = fields_of("type=USER msg=audit(1.000:1): pid=5 msg='hello there'");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1], (std::pair<std::string, std::string>("msg", "'hello there'")));
}

TEST(AuditFields, EnrichedFieldsAfterTheSeparator) {
  auto f = fields_of("type=SYSCALL msg=audit(1.000:1): uid=0 auid=1000\x1dUID=\"root\" AUID=\"alice\"");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[2], (std::pair<std::string, std::string>("enriched:UID", "\"root\"")));
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>("enriched:AUID", "\"alice\"")));
}

TEST(AuditFields, AvcWordsBecomeLibauparseFields) {
  auto f = fields_of("type=AVC msg=audit(1.000:1): avc:  denied  { read write } for  pid=7 comm=\"cat\"");
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0], (std::pair<std::string, std::string>("", "avc:")));
  EXPECT_EQ(f[1], (std::pair<std::string, std::string>("seresult", "denied")));
  EXPECT_EQ(f[2], (std::pair<std::string, std::string>("seperms", "read write")));
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>("", "for")));
}

TEST(AuditFields, UnterminatedQuoteRunsToTheEnd) {
  audit::RecordHeader h;
  std::string error;
  ASSERT_TRUE(audit::parse_header("type=X msg=audit(1.000:1): a=\"open b=2", h, error));
  audit::FieldScanner scan(h);
  audit::Field f;
  ASSERT_TRUE(scan.next(f));
  EXPECT_EQ(f.value, "\"open b=2");
  EXPECT_FALSE(scan.next(f));
  EXPECT_TRUE(scan.unterminated_quote());
}

TEST(AuditValue, QuotedHexBareAndNull) {
  std::string scratch;
  EXPECT_EQ(*audit::decode_value("\"/bin/ls\"", true, scratch), "/bin/ls");
  EXPECT_EQ(*audit::decode_value("2F746D702F6120622E7368", true, scratch), "/tmp/a b.sh");
  EXPECT_EQ(*audit::decode_value("2F746D70", false, scratch), "2F746D70");
  EXPECT_EQ(*audit::decode_value("1234", false, scratch), "1234");
  EXPECT_FALSE(audit::decode_value("(null)", true, scratch));
  EXPECT_EQ(*audit::decode_value("6C73002D6C61", true, scratch), "ls -la");  // NUL -> space
  EXPECT_EQ(*audit::decode_value("6B31016B32", true, scratch, /*is_key_field=*/true), "k1,k2");
  EXPECT_EQ(*audit::decode_value("ABC", true, scratch), "ABC");  // odd length: not hex
}

TEST(AuditValue, WhichFieldsAreEncoded) {
  EXPECT_TRUE(audit::encoded_field("exe", false));
  EXPECT_TRUE(audit::encoded_field("proctitle", false));
  EXPECT_TRUE(audit::encoded_field("name", false));
  EXPECT_FALSE(audit::encoded_field("pid", false));
  EXPECT_FALSE(audit::encoded_field("a0", false));  // a SYSCALL argument is a number
  EXPECT_TRUE(audit::encoded_field("a0", true));
  EXPECT_TRUE(audit::encoded_field("a12", true));
  EXPECT_TRUE(audit::encoded_field("a3[2]", true));
  EXPECT_FALSE(audit::encoded_field("a3_len", true));
  EXPECT_FALSE(audit::encoded_field("argc", true));
  EXPECT_EQ(*audit::decode_for_sql("1234", std::string_view("pid")), "1234");
  EXPECT_EQ(*audit::decode_for_sql("2F746D70", std::nullopt), "/tmp");
  EXPECT_EQ(*audit::decode_for_sql("\"x\"", std::string_view("pid")), "x");
}

TEST(AuditSyscalls, NamesPerArchitecture) {
  EXPECT_EQ(audit::syscall_name("c000003e", "59"), "execve");
  EXPECT_EQ(audit::syscall_name("C000003E", "2"), "open");
  EXPECT_EQ(audit::syscall_name("c00000b7", "221"), "execve");
  EXPECT_EQ(audit::syscall_name("40000003", "11"), "execve");
  EXPECT_EQ(audit::syscall_name("c000003e", "99999"), "");
  EXPECT_EQ(audit::syscall_name("deadbeef", "59"), "");
  EXPECT_EQ(audit::syscall_name("c000003e", "5x"), "");
  EXPECT_EQ(audit::arch_name("c000003e"), "x86_64");
  EXPECT_EQ(audit::arch_name("c00000b7"), "aarch64");
}

TEST(AuditAssembler, JoinsInterleavedRecordsByIdentityNotByTime) {
  const auto r = assemble({
      rec(100, 1, 10, "SYSCALL", "pid=1"),
      rec(100, 1, 11, "SYSCALL", "pid=2"),  // same time, another serial: another event
      rec(100, 1, 10, "EXECVE", "argc=1 a0=\"ls\""),
      rec(100, 1, 11, "EOE", ""),
      rec(100, 1, 10, "EOE", ""),
  });
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].serial, 10u);
  EXPECT_EQ(r.rows[0].records, 3u);
  EXPECT_EQ(r.rows[1].serial, 11u);
  EXPECT_EQ(r.rows[1].records, 2u);
}

TEST(AuditAssembler, NodeIsPartOfTheIdentity) {
  const auto r = assemble({"node=a " + rec(100, 1, 10, "SYSCALL", "pid=1"),
                           "node=b " + rec(100, 1, 10, "SYSCALL", "pid=1")});
  EXPECT_EQ(r.rows.size(), 2u);
}

TEST(AuditAssembler, ARecordAfterEoeStillJoinsWithinTheWindow) {
  const auto r = assemble({rec(100, 1, 10, "SYSCALL", "pid=1"), rec(100, 1, 10, "EOE", ""),
                           rec(100, 2, 11, "USER_END", "pid=2"), rec(100, 1, 10, "PROCTITLE", "proctitle=6C73")});
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].records, 3u);
}

TEST(AuditAssembler, ALateRecordIsItsOwnRowAndSaysSo) {
  std::vector<std::string> lines = {rec(100, 1, 10, "SYSCALL", "pid=1")};
  lines.push_back(rec(200, 0, 11, "USER_END", "pid=2"));  // 100 s later: the window has closed
  lines.push_back(rec(100, 1, 10, "PATH", "item=0"));
  const auto r = assemble(lines);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].records, 1u);
  EXPECT_EQ(r.rows[0].error, "");
  EXPECT_EQ(r.rows[2].serial, 10u);
  EXPECT_NE(r.rows[2].error.find("late record"), std::string::npos);
}

TEST(AuditAssembler, TheRecordWindowBoundsWhatIsHeld) {
  std::vector<std::string> lines = {rec(100, 1, 1, "SYSCALL", "pid=1")};
  for (uint64_t i = 0; i < audit::kWindowRecords; ++i) lines.push_back(rec(100, 1, 2 + i, "USER_END", "x=1"));
  lines.push_back(rec(100, 1, 1, "PATH", "item=0"));
  const auto r = assemble(lines);
  EXPECT_EQ(r.rows.front().records, 1u);
  EXPECT_NE(r.rows.back().error.find("late record"), std::string::npos);
  size_t total = 0;
  for (const auto& row : r.rows) total += row.records;
  EXPECT_EQ(total, lines.size());
}

TEST(AuditAssembler, EveryLineIsInExactlyOneRow) {
  const auto r = assemble({"garbage", rec(1, 0, 1, "SYSCALL", "pid=1"), "", "\x01\x02\xff",
                           rec(1, 0, 1, "EOE", "")});
  size_t total = 0;
  for (const auto& row : r.rows) total += row.records;
  EXPECT_EQ(total, 5u);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].line, 1u);
  EXPECT_NE(r.rows[0].error.find("not an audit record"), std::string::npos);
  EXPECT_EQ(r.rows[0].raw, "garbage\n");
}

TEST(AuditEvent, ArgvFromChunksLongListsAndGaps) {
  const std::vector<std::string> lines = {
      rec(1, 0, 1, "SYSCALL", "arch=c000003e syscall=59 success=yes exit=0 pid=9 auid=4294967295 exe=2F62696E2F612062"),
      rec(1, 0, 1, "EXECVE", "argc=13 a0=\"x\" a1=\"\" a2_len=6 a2[0]=616263 a2[1]=\"def\" a3=\"3\" a4=\"4\" "
                             "a5=\"5\" a6=\"6\" a7=\"7\" a8=\"8\" a9=\"9\" a10=\"10\" a11=2720"),
  };
  audit::EventAssembler a(/*keep_text=*/true);
  uint64_t n = 0;
  for (const auto& text : lines) {
    audit::SourceLine sl;
    sl.line.text = text;
    sl.line.number = ++n;
    sl.is_record = audit::parse_header(text, sl.header, sl.error);
    a.add(sl);
  }
  a.finish();
  audit::Event* ev = a.pop();
  ASSERT_NE(ev, nullptr);
  const audit::Event& e = *ev;
  audit::EventView v;
  v.reset(&e);
  EXPECT_EQ(*v.argv_json(), R"(["x","","abcdef","3","4","5","6","7","8","9","10","' ",null])");
  EXPECT_EQ(*v.cmdline(), R"(x '' abcdef 3 4 5 6 7 8 9 10 ''\'' ' '')");
  EXPECT_EQ(*v.argc(), 13);
  EXPECT_EQ(*v.syscall(), "execve");
  EXPECT_EQ(*v.success(), 1);
  EXPECT_EQ(*v.id("pid"), 9);
  EXPECT_FALSE(v.id("auid"));
  EXPECT_EQ(*v.text("exe"), "/bin/a b");
  EXPECT_EQ(v.type(), "SYSCALL");
  EXPECT_EQ(v.record_types(), "SYSCALL,EXECVE");
}

TEST(AuditEvent, RecordsJsonKeepsRepeatedKeysAndWords) {
  audit::RecordHeader h;
  std::string error;
  ASSERT_TRUE(audit::parse_header("type=AVC msg=audit(1.000:1): avc: denied { read } for x=1 x=2 name=2F61", h, error));
  audit::ParsedRecord r;
  audit::parse_fields(h, r);
  std::string json;
  audit::append_fields_json(json, r);
  EXPECT_EQ(json, R"({"seresult":"denied","seperms":"read","x":"1","x#2":"2","name":"/a","text":"avc: for"})");
}

TEST(JsonText, EscapesAndReplacesInvalidUtf8) {
  std::string out;
  sqlhunt::json::append_string(out, std::string("a\"\\\n\x01\xff\xc3\xa9", 8));
  EXPECT_EQ(out, "\"a\\\"\\\\\\n\\u0001\xEF\xBF\xBD\xC3\xA9\"");
}

TEST(TimeTextBound, ReadsTheBoundAsTextSorts) {
  using sqlhunt::timefmt::iso_text_bound;
  const double day = 1551484800;  // 2019-03-02T00:00:00Z
  auto b = iso_text_bound("2019-03-02");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->lower, day);
  EXPECT_EQ(b->upper, day);
  b = iso_text_bound("2019-03-02T00:20");
  EXPECT_EQ(b->lower, day + 1200);
  EXPECT_EQ(b->upper, day + 1260);
  b = iso_text_bound("2019-03-02T00:20:05.500Z");
  EXPECT_EQ(b->lower, day + 1205);
  EXPECT_EQ(b->upper, day + 1206);
  // An offset is not applied: SQLite compares the digits as they are.
  b = iso_text_bound("2019-03-02T01:20:05+01:00");
  EXPECT_EQ(b->lower, day + 4805);
  // A space sorts before 'T': anywhere in the day.
  b = iso_text_bound("2019-03-02 00:20:05");
  EXPECT_EQ(b->lower, day);
  EXPECT_EQ(b->upper, day + 86400);
  EXPECT_FALSE(iso_text_bound("yesterday"));
  EXPECT_FALSE(iso_text_bound("2019-02-30"));
}

TEST(AuditSource, WindowSkipsAndSeeksButKeepsLineNumbers) {
  const auto dir = std::filesystem::temp_directory_path() / ("sqlhunt_audit_src_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "audit.log").string();
  {
    std::ofstream out(path);
    for (int i = 0; i < 200000; ++i) out << rec(1000000 + i, 0, i + 1, "USER_END", "pid=1 res=success") << "\n";
  }
  audit::TimeWindow w;
  w.lower_ms = int64_t{1000000 + 150000} * 1000;
  w.upper_ms = int64_t{1000000 + 150010} * 1000;
  audit::AuditSource src(path, w);
  audit::SourceLine line;
  std::vector<uint64_t> numbers, inside;
  while (src.next(line)) {
    numbers.push_back(line.line.number);
    if (w.contains(line.header.epoch_ms)) inside.push_back(line.line.number);
  }
  // It seeks to within a 64 KB probe of 60 s (the slack) before the window, stops at
  // the first record 60 s past it, and counts the lines it skipped.
  ASSERT_FALSE(numbers.empty());
  EXPECT_LE(numbers.front(), 149941u);
  EXPECT_GE(numbers.front(), 149941u - 2000u);
  EXPECT_EQ(numbers.back(), 150071u);
  ASSERT_EQ(inside.size(), 11u);
  EXPECT_EQ(inside.front(), 150001u);
  EXPECT_EQ(inside.back(), 150011u);

  // A window after the end reads nothing; one before the start nothing either.
  w.lower_ms = int64_t{3000000} * 1000;
  w.upper_ms.reset();
  audit::AuditSource after(path, w);
  EXPECT_FALSE(after.next(line));
  std::filesystem::remove_all(dir);
}

TEST(AuditSource, ProbeFindsTheFirstWholeRecordAfterAnOffset) {
  const auto dir = std::filesystem::temp_directory_path() / ("sqlhunt_audit_probe_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.log").string();
  const std::string l1 = rec(10, 0, 1, "X", "a=1"), l2 = rec(20, 0, 2, "X", "a=1");
  {
    std::ofstream out(path);
    out << l1 << "\n" << l2 << "\n";
  }
  sqlhunt::files::ByteReader bytes(path);
  auto p = audit::probe_time(bytes, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->epoch_ms, 10000);
  p = audit::probe_time(bytes, l1.size() + 1);  // exactly at the second line's start
  ASSERT_TRUE(p);
  EXPECT_EQ(p->epoch_ms, 20000);
  EXPECT_EQ(p->line_offset, l1.size() + 1);
  p = audit::probe_time(bytes, 3);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->epoch_ms, 20000);
  EXPECT_EQ(*audit::last_record_time(bytes), 20000);
  std::filesystem::remove_all(dir);
}

TEST(AuditRecentFingerprints, RemembersAtLeastTheLastCapacityAndForgetsOlder) {
  audit::RecentFingerprints recent(8);  // two sets of 16 slots
  // Fingerprints that share their home slot (same low bits) make one probe run.
  auto fp = [](uint64_t i) { return (i << 20) | 0x5; };
  for (uint64_t i = 1; i <= 8; ++i) recent.insert(fp(i));
  for (uint64_t i = 1; i <= 8; ++i) EXPECT_TRUE(recent.contains(fp(i))) << i;
  recent.insert(fp(9));  // a new generation: the first 8 are still remembered
  for (uint64_t i = 1; i <= 9; ++i) EXPECT_TRUE(recent.contains(fp(i))) << i;
  auto other = [](uint64_t i) { return i * 0x9E3779B97F4A7C15ull | 1; };
  for (uint64_t i = 10; i <= 100; ++i) recent.insert(other(i));
  // Always at least the last 8, never anything older than the last 16.
  for (uint64_t i = 93; i <= 100; ++i) EXPECT_TRUE(recent.contains(other(i))) << i;
  for (uint64_t i = 10; i <= 84; ++i) EXPECT_FALSE(recent.contains(other(i))) << i;
  EXPECT_FALSE(recent.contains(fp(9)));
}

TEST(AuditOpenEvents, FindsByIdentityAcrossGrowthAndDeletion) {
  std::vector<std::unique_ptr<audit::Event>> events;
  audit::OpenEvents open;
  // 5,000 events (the table grows from 1,024 slots), every fourth with the same
  // fingerprint as the one before it: told apart by identity.
  std::vector<uint64_t> fps;
  for (uint64_t i = 0; i < 5000; ++i) {
    auto e = std::make_unique<audit::Event>();
    e->epoch_ms = static_cast<int64_t>(1000 + i);
    e->serial = i;
    const uint64_t fp = (i % 4 == 3) ? fps.back() : ((i * 0x9E3779B97F4A7C15ull) | 1);
    fps.push_back(fp);
    open.insert(fp, e.get());
    events.push_back(std::move(e));
  }
  for (uint64_t i = 0; i < 5000; ++i) EXPECT_EQ(open.find(fps[i], "", 1000 + i, i), events[i].get()) << i;
  EXPECT_EQ(open.find(fps[7], "", 1000 + 7, 8), nullptr);
  for (uint64_t i = 0; i < 5000; i += 2) open.erase(fps[i], events[i].get());
  for (uint64_t i = 0; i < 5000; ++i)
    EXPECT_EQ(open.find(fps[i], "", 1000 + i, i), i % 2 ? events[i].get() : nullptr) << i;
}

TEST(AuditPipeline, SameEventsInTheSameOrderAsOneThreadAndStopsEarly) {
  const auto dir = std::filesystem::temp_directory_path() / ("sqlhunt_audit_pipe_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "audit.log").string();
  {
    std::ofstream out(path);
    for (int i = 0; i < 5000; ++i) {
      out << rec(1000 + i / 10, i % 10, i, "SYSCALL", "pid=1 exe=\"/bin/x\"") << "\n";
      if (i % 7 == 0) out << "noise " << i << "\n";
      if (i > 0) out << rec(1000 + (i - 1) / 10, (i - 1) % 10, i - 1, "PROCTITLE", "proctitle=78") << "\n";
    }
  }
  std::vector<std::pair<uint64_t, size_t>> one, two;
  {
    audit::AuditSource src(path, {});
    audit::EventAssembler a(true);
    audit::SourceLine line;
    auto drain = [&] {
      while (audit::Event* e = a.pop()) one.emplace_back(e->serial, e->record_count);
    };
    while (src.next(line)) {
      a.add(line);
      drain();
    }
    a.finish();
    drain();
  }
  {
    audit::EventPipeline p(std::make_unique<audit::AuditSource>(path, audit::TimeWindow{}), true,
                           audit::pick_bit(audit::kPickExe));
    audit::EventView v;
    while (audit::Event* e = p.next()) {
      two.emplace_back(e->serial, e->record_count);
      v.reset(e);
      if (e->is_record) {
        EXPECT_EQ(*v.text("exe"), "/bin/x");
      }
    }
  }
  std::vector<std::pair<uint64_t, size_t>> inline_;
  {
    // audit.threads = 1: the same events, read on the caller's thread.
    audit::EventPipeline p(std::make_unique<audit::AuditSource>(path, audit::TimeWindow{}), true,
                           audit::pick_bit(audit::kPickExe), /*threaded=*/false);
    audit::EventView v;
    while (audit::Event* e = p.next()) {
      inline_.emplace_back(e->serial, e->record_count);
      v.reset(e);
      if (e->is_record) {
        EXPECT_EQ(*v.text("exe"), "/bin/x");
      }
    }
  }
  EXPECT_EQ(one.size(), 5000u + 715u);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, inline_);
  {
    // Destroyed after one event: the reader thread stops and is joined.
    audit::EventPipeline p(std::make_unique<audit::AuditSource>(path, audit::TimeWindow{}), false, 0);
    ASSERT_NE(p.next(), nullptr);
  }
  std::filesystem::remove_all(dir);
}

TEST(AuditSource, ProbeReadsTheFirstRecordOfAGzipFile) {
  // A window skips a .gz whose first record is past its end: that needs the probe at
  // offset 0 to read the compressed stream, which cannot seek.
  const auto dir = std::filesystem::temp_directory_path() / ("sqlhunt_audit_gz_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string plain = (dir / "a.log").string();
  {
    std::ofstream out(plain);
    out << rec(42, 5, 1, "X", "a=1") << "\n";
  }
  ASSERT_EQ(std::system(("gzip -f " + plain).c_str()), 0);
  sqlhunt::files::ByteReader bytes(plain + ".gz");
  ASSERT_TRUE(bytes.compressed());
  const auto p = audit::probe_time(bytes, 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->epoch_ms, 42005);
  std::filesystem::remove_all(dir);
}
