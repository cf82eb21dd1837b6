// The progress line's text (core/progress.h). Drawing it on a terminal, and never
// elsewhere, is tested through a pseudo-terminal in tests/python/test_progress.py.
#include "core/progress.h"

#include <gtest/gtest.h>

namespace sqlhunt::progress {
namespace {

constexpr uint64_t kMB = 1024 * 1024;

TEST(ProgressLine, FileBytesOfSizeAndRate) {
  EXPECT_EQ(line("case/audit/audit.log.1", 412 * kMB + kMB / 2, 1024 * kMB, 380.25 * kMB, 120),
            "sqlhunt: case/audit/audit.log.1  412.5 MB of 1.0 GB (40%)  380.2 MB/s");
}

TEST(ProgressLine, SmallAmountsInBytesAndAFileWithoutSize) {
  EXPECT_EQ(line("fifo", 512, 0, 0, 80), "sqlhunt: fifo  512 B  0 B/s");
  EXPECT_EQ(line("x", 2048, 4096, 1536, 80), "sqlhunt: x  2.0 KB of 4.0 KB (50%)  1.5 KB/s");
}

TEST(ProgressLine, APositionPastTheSizeSaysAHundredPercent) {
  // A log that grew while it was read.
  EXPECT_EQ(line("a", 300, 200, 0, 80), "sqlhunt: a  300 B of 200 B (100%)  0 B/s");
}

TEST(ProgressLine, ALongPathIsCutFromTheLeftToFitTheWidth) {
  const std::string path = "/very/long/folder/name/of/a/case/that/does/not/fit/audit/audit.log.17.gz";
  const std::string out = line(path, 5 * kMB, 10 * kMB, kMB, 60);
  EXPECT_EQ(out.size(), 60u);
  EXPECT_EQ(out, "sqlhunt: ...dit.log.17.gz  5.0 MB of 10.0 MB (50%)  1.0 MB/s");
}

TEST(ProgressLine, NeverWiderThanTheTerminal) {
  for (size_t width : {1u, 10u, 30u, 45u}) {
    const std::string out = line("/some/where/audit.log", 5 * kMB, 10 * kMB, kMB, width);
    EXPECT_LE(out.size(), width) << width;
  }
}

TEST(ProgressLine, ControlCharactersInANameAreNotSentToTheTerminal) {
  EXPECT_EQ(line("a\033]0;owned\007\n.log", 1, 2, 0, 80), "sqlhunt: a?]0;owned??.log  1 B of 2 B (50%)  0 B/s");
}

TEST(ProgressLine, AUtf8NameIsNotCutInsideACharacter) {
  // "é" is two bytes; a cut after the dots lands on its second byte at this width.
  const std::string path = "dossier/\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9.log";
  for (size_t width = 30; width < 60; ++width) {
    const std::string out = line(path, 1, 2, 0, width);
    const size_t dots = out.find("...");
    if (dots == std::string::npos) continue;
    EXPECT_NE(static_cast<unsigned char>(out[dots + 3]) & 0xC0, 0x80u) << out;
  }
}

}  // namespace
}  // namespace sqlhunt::progress
