// Unit tests of audit_events' columns: the picked fields agree with the field-by-field
// lookup on every event of the fixtures, the inline field scanner agrees with the full
// one, and the columns added for analysts (account, cmd, terminal, names from a passwd
// file) and the argv rules for what the kernel would never write.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/audit_source.h"
#include "vtabs/audit_events/event_assembler.h"
#include "vtabs/audit_events/field_picks.h"
#include "vtabs/audit_events/id_names.h"

namespace audit = sqlhunt::audit;

namespace {

constexpr audit::PickMask kAllPicks = (audit::PickMask{1} << audit::kPickCount) - 1;

// Lines that exercise every form the field scanner reads.
const std::vector<std::string> kTrickyLines = {
    "type=SYSCALL msg=audit(100.001:1): arch=c000003e syscall=59 success=yes exit=0 a0=1 uid=0 uid=5 auid=1000 "
    "ses=2 tty=(none) comm=\"a b\" exe=2F62696E2F6C73 key=6578656301737573 subj==unconfined",
    "type=EXECVE msg=audit(100.001:1): argc=2 a0=\"ls\" a1=2D6C",
    "type=CWD msg=audit(100.001:1): cwd=\"/root\"",
    "type=PROCTITLE msg=audit(100.001:1): proctitle=6C73002D6C",
    "type=USER_LOGIN msg=audit(100.002:2): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=login id=1000 "
    "exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.1 terminal=/dev/pts/0 res=success'",
    "type=USER_CMD msg=audit(100.003:3): pid=2 uid=1000 auid=1000 ses=5 msg='cwd=\"/home/a\" "
    "cmd=6C73202D6C61 terminal=pts/0 res=success'",
    "type=AVC msg=audit(100.004:4): avc:  denied  { read write } for  pid=3 comm=\"cat\" name=\"x\"\ttclass=file",
    "type=USER_ACCT msg=audit(100.005:5): pid=4 uid=0 auid=1000 ses=1 msg='op=PAM:accounting acct=\"root\" "
    "exe=\"/usr/bin/su\" terminal=pts/1 res=failed'\x1dUID=\"root\" AUID=\"alice\" ID=\"bob\"",
    "type=SYSCALL msg=audit(100.006:6): arch=c000003e syscall=2 success=no exit=-13 uid=1001 gid=1001 "
    "comm=\"unterminated exe=\"/x",
    "type=USER_START msg=audit(100.007:7): pid=5 uid=0 msg='op=x acct=\"al'ice\" res=success' tail='a'b c'",
    "type=SYSCALL msg=audit(100.008:8):   \t key=\"k\"  exe=\"/bin/x\" =bare word= a==b  x=",
    "type=LOGIN msg=audit(100.009:9): pid=6 uid=0 old-auid=4294967295 auid=1002 tty=(none) ses=9 res=1",
    "type=SYSCALL msg=audit(100.009:9): arch=c000003e syscall=1 success=yes exit=1 uid=0 auid=1002 ses=9",
};

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

// Every column EventView answers, as text (for comparisons).
std::vector<std::string> all_columns(audit::EventView& v) {
  std::vector<std::string> out;
  auto put = [&out](const auto& o) {
    std::ostringstream s;
    if (o) s << *o;
    else s << "<null>";
    out.push_back(s.str());
  };
  out.emplace_back(v.type());
  out.push_back(v.record_types());
  put(v.arch());
  put(v.syscall());
  put(v.success());
  put(v.integer("exit"));
  for (const char* k : {"pid", "ppid", "uid", "auid", "euid", "suid", "fsuid", "gid", "egid", "ses"}) put(v.id(k));
  for (const char* k : {"comm", "exe", "proctitle", "cwd", "key", "subj", "op", "res", "cmd"}) put(v.text(k));
  for (const char* k : {"tty", "acct", "hostname", "addr"}) put(v.text(k, true));
  put(v.terminal());
  put(v.account());
  put(v.id_name("uid", "UID", v.users()));
  put(v.id_name("auid", "AUID", v.users()));
  put(v.id_name("gid", "GID", v.groups()));
  put(v.enriched("ID"));
  put(v.argc());
  put(v.argv_json());
  put(v.cmdline());
  out.push_back(v.argv_problem());
  put(v.paths_json());
  out.push_back(v.records_json());
  return out;
}

// Assembles `lines`; for each event compares the columns answered field by field with
// those answered from picks (all of them, and one at a time).
void expect_picks_agree(const std::vector<std::string>& lines, const audit::IdNames* users = nullptr) {
  audit::EventAssembler a(/*keep_text=*/true);
  audit::EventView view;
  view.set_names(users, users);
  size_t events = 0;
  auto drain = [&] {
    while (audit::Event* e = a.pop()) {
      ++events;
      e->picks.wanted = 0;
      view.reset(e);
      const auto slow = all_columns(view);
      audit::prepare_event(*e, kAllPicks);
      view.reset(e);
      EXPECT_EQ(all_columns(view), slow) << "event at line " << e->line;
      for (unsigned p = 0; p < audit::kPickCount; ++p) {
        audit::prepare_event(*e, audit::pick_bit(static_cast<audit::Pick>(p)));
        view.reset(e);
        EXPECT_EQ(all_columns(view), slow) << "event at line " << e->line << ", pick " << p;
      }
    }
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
  EXPECT_GT(events, 0u);
}

}  // namespace

TEST(AuditPicks, NamesAreFoundAndOthersAreNot) {
  EXPECT_EQ(audit::pick_of("exe", false), audit::kPickExe);
  EXPECT_EQ(audit::pick_of("proctitle", false), audit::kPickProctitle);
  EXPECT_EQ(audit::pick_of("terminal", false), audit::kPickTerminal);
  EXPECT_EQ(audit::pick_of("UID", true), audit::kPickEUid);
  EXPECT_EQ(audit::pick_of("UID", false), audit::kPickCount);
  EXPECT_EQ(audit::pick_of("uid", true), audit::kPickCount);
  for (const char* other : {"", "ex", "exe ", "exe\x0f", "proctitlf", "proctitle2", "terminaL", "syscall\x0f",
                            "a0", "items", "hostnamexx"})
    EXPECT_EQ(audit::pick_of(other, false), audit::kPickCount) << other;
  EXPECT_TRUE(audit::pick_encoded(audit::kPickExe));
  EXPECT_TRUE(audit::pick_encoded(audit::kPickCmd));
  EXPECT_FALSE(audit::pick_encoded(audit::kPickUid));
}

TEST(AuditPicks, AgreeWithTheFieldByFieldLookupOnTrickyLines) {
  auto users = audit::IdNames::parse("root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
  expect_picks_agree(kTrickyLines, users.get());
}

TEST(AuditPicks, AgreeWithTheFieldByFieldLookupOnTheSampleLog) {
  expect_picks_agree(read_lines(std::string(SQLHUNT_SOURCE_DIR) + "/tests/fixtures/audit/sample.log"));
}

TEST(AuditPicks, AgreeWithTheFieldByFieldLookupOnTheSharedLog) {
  const char* datasets = std::getenv("SQLHUNT_DATASETS");
  const std::string path = std::string(datasets ? datasets : SQLHUNT_SOURCE_DIR "/../shared/datasets") +
                           "/linux/auditd_log.txt";
  if (!std::ifstream(path)) GTEST_SKIP() << "needs the shared datasets: " << path << " not found";
  expect_picks_agree(read_lines(path));
}

TEST(AuditFieldScanner, InlinePathAgreesWithTheFullScanner) {
  std::vector<std::string> lines = kTrickyLines;
  for (const auto& l : read_lines(std::string(SQLHUNT_SOURCE_DIR) + "/tests/fixtures/audit/sample.log"))
    lines.push_back(l);
  for (const auto& line : lines) {
    audit::RecordHeader h;
    std::string error;
    if (!audit::parse_header(line, h, error)) continue;
    audit::FieldScanner quick(h), slow(h);
    audit::Field a, b;
    for (;;) {
      const bool more = quick.next(a);
      ASSERT_EQ(more, slow.next_slow(b)) << line;
      if (!more) break;
      EXPECT_EQ(a.key, b.key) << line;
      EXPECT_EQ(a.value, b.value) << line;
      EXPECT_EQ(a.inner, b.inner) << line;
      EXPECT_EQ(a.enriched, b.enriched) << line;
    }
    EXPECT_EQ(quick.unterminated_quote(), slow.unterminated_quote()) << line;
  }
}
