// core/file_kind: what a file is, from its first bytes (through gzip), and the error a
// reader gives for a file of another kind.
#include "core/file_kind.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/error.h"

namespace sqlhunt::files {
namespace {

using namespace std::string_literals;

TEST(FileKind, MagicNumbers) {
  EXPECT_EQ(sniff("ElfFile\0\0\0\0"s), Kind::kEvtx);
  EXPECT_EQ(sniff("SQLite format 3\0rest"s), Kind::kSqlite);
  EXPECT_EQ(sniff("\x7f" "ELF\x02\x01\x01"), Kind::kElf);
  EXPECT_EQ(sniff("%PDF-1.7\n"), Kind::kPdf);
  EXPECT_EQ(sniff("PK\x03\x04\x14\0"s), Kind::kZip);
  EXPECT_EQ(sniff("\xd4\xc3\xb2\xa1\x02\0"s), Kind::kPcap);
  EXPECT_EQ(sniff("MZ" + std::string(80, '\0')), Kind::kPe);
}

TEST(FileKind, TextForms) {
  EXPECT_EQ(sniff(""), Kind::kEmpty);
  EXPECT_EQ(sniff("\xEF\xBB\xBF\r\n  {\"AlertName\":1}\n"), Kind::kJson);
  EXPECT_EQ(sniff("[{\"a\":1}]"), Kind::kJson);
  EXPECT_EQ(sniff("type=SYSCALL msg=audit(1551485405.594:266): arch=c000003e\n"), Kind::kAuditLog);
  EXPECT_EQ(sniff("node=web1 type=EXECVE msg=audit(1.2:3): argc=1\r\n"), Kind::kAuditLog);
  EXPECT_EQ(sniff("#separator \\x09\n#set_separator\t,\n"), Kind::kZeekTsv);
  EXPECT_EQ(sniff("<?xml version=\"1.0\"?><Events>"), Kind::kXml);
  EXPECT_EQ(sniff("TimeGenerated,AlertName\n2019-01-01,a\n"), Kind::kText);
  EXPECT_EQ(sniff("type=SYSCALL but not a record\n"), Kind::kText);
  EXPECT_EQ(sniff("a report\0with a NUL"s), Kind::kBinary);
  // A log a crash damaged (a block of NULs before, or between, its records) is still an
  // audit log: the reader makes parse_error rows of the damage, it is not refused.
  EXPECT_EQ(sniff(std::string(512, '\0') + "\ntype=LOGIN msg=audit(1.2:3): pid=1\n"), Kind::kAuditLog);
  EXPECT_EQ(sniff("type=LOGIN msg=audit(1.2:3): pid=1\n\0\0\0garbage\n"s), Kind::kAuditLog);
  EXPECT_EQ(sniff("type=LOGIN msg=audit(1.2:3): pid=1"), Kind::kAuditLog);
}

class FileKindFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sqlhunt_kind_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string file(const std::string& name, const std::string& bytes, bool gz = false) {
    const std::string p = dir_ + "/" + name;
    if (gz) {
      gzFile g = gzopen(p.c_str(), "wb");
      gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size()));
      gzclose(g);
    } else {
      std::ofstream(p, std::ios::binary) << bytes;
    }
    return p;
  }
  std::string dir_;
};

TEST_F(FileKindFiles, ThroughGzip) {
  const Sniffed s = sniff_file(file("sec.evtx.gz", "ElfFile\0\0\0\0"s, true));
  EXPECT_EQ(s.kind, Kind::kEvtx);
  EXPECT_TRUE(s.gzip);
}

TEST_F(FileKindFiles, CheckNamesTheKindAndTheTableThatReadsIt) {
  static const ReadsKinds reads("audit_events_test", {Kind::kAuditLog});
  const std::string log = file("a.log", "type=LOGIN msg=audit(1.2:3): pid=1\n");
  try {
    check(log, "alerts_test", {Kind::kJson});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "'" + log + "' is a Linux audit log: read it with audit_events_test");
  }
  const std::string db = file("x.db", "SQLite format 3\0"s);
  try {
    check(db, "alerts_test", {Kind::kJson});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "'" + db + "' is an SQLite database, which alerts_test does not read");
  }
  // What the table reads, text and empty files pass.
  EXPECT_EQ(check(file("a.jsonl", "{}\n"), "alerts_test", {Kind::kJson}).kind, Kind::kJson);
  EXPECT_EQ(check(file("a.csv", "a,b\n1,2\n"), "alerts_test", {Kind::kJson}).kind, Kind::kText);
  EXPECT_EQ(check(file("e", ""), "alerts_test", {Kind::kJson}).kind, Kind::kEmpty);
}

}  // namespace
}  // namespace sqlhunt::files
