#include "core/file_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"

using namespace sqlhunt::files;

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sqlhunt-fs-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string file(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string gz(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    gzFile g = gzopen(p.c_str(), "wb");
    gzwrite(g, content.data(), static_cast<unsigned>(content.size()));
    gzclose(g);
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> lines_of(LineReader& r) {
  std::vector<std::string> out;
  Line l;
  while (r.next(l)) out.emplace_back(l.text);
  return out;
}

std::vector<std::string> basenames(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.substr(p.rfind('/') + 1));
  return out;
}

}  // namespace

TEST(NaturalOrder, ComparesDigitRunsAsNumbers) {
  EXPECT_TRUE(natural_less("x.2", "x.10"));
  EXPECT_FALSE(natural_less("x.10", "x.2"));
  EXPECT_TRUE(natural_less("a", "b"));
  EXPECT_TRUE(natural_less("x", "x.1"));
  EXPECT_TRUE(natural_less("x.1", "x.01"));  // a stable tie-break
  EXPECT_FALSE(natural_less("x.1", "x.1"));
}

TEST(Expand, NaturalAndRotationOrder) {
  TempDir d;
  for (const char* n : {"audit.log", "audit.log.1", "audit.log.2.gz", "audit.log.10", "other.log"})
    d.file(n, "");
  EXPECT_EQ(basenames(expand(d.path() + "/audit.log*")),
            (std::vector<std::string>{"audit.log", "audit.log.1", "audit.log.2.gz", "audit.log.10"}));
  EXPECT_EQ(basenames(expand(d.path() + "/audit.log*", Order::kRotationOldestFirst)),
            (std::vector<std::string>{"audit.log.10", "audit.log.2.gz", "audit.log.1", "audit.log"}));
}

TEST(Expand, NoMatchIsEmptyButAMissingFileIsAnError) {
  TempDir d;
  EXPECT_TRUE(expand(d.path() + "/nothing*").empty());
  try {
    expand(d.path() + "/missing.log");
    FAIL();
  } catch (const sqlhunt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.log': No such file or directory"), std::string::npos) << e.what();
  }
  try {
    expand(d.path());
    FAIL();
  } catch (const sqlhunt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos);
  }
  mkdir((d.path() + "/sub.d").c_str(), 0755);
  d.file("sub.1", "");
  EXPECT_EQ(basenames(expand(d.path() + "/sub*")), std::vector<std::string>{"sub.1"});
}

// "**" is any depth of directories, none included; names starting with '.' and links
// to directories are not entered; a directory name with glob characters in it is
// taken literally below a "**"; a file two "**" reach is listed once.
TEST(Expand, DoubleStarMatchesAnyDepth) {
  TempDir d;
  for (const char* dir : {"/case", "/case/host1", "/case/host1/logs", "/case/.git", "/case/[x]", "/other"})
    mkdir((d.path() + dir).c_str(), 0755);
  for (const char* f : {"case/a.json", "case/host1/b.json", "case/host1/logs/c.json", "case/host1/logs/c.txt",
                        "case/.git/d.json", "case/[x]/e.json", "other/f.json"})
    d.file(f, "");
  ASSERT_EQ(symlink((d.path() + "/other").c_str(), (d.path() + "/case/link").c_str()), 0);
  const std::string root = d.path() + "/case";
  auto rel = [&](const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) out.push_back(p.substr(root.size() + 1));
    return out;
  };
  EXPECT_EQ(rel(expand(root + "/**/*.json")),
            (std::vector<std::string>{"[x]/e.json", "a.json", "host1/b.json", "host1/logs/c.json"}));
  EXPECT_EQ(rel(expand(root + "/**")), (std::vector<std::string>{"[x]/e.json", "a.json", "host1/b.json",
                                                                  "host1/logs/c.json", "host1/logs/c.txt"}));
  EXPECT_EQ(rel(expand(root + "/host1/**/c.*")), (std::vector<std::string>{"host1/logs/c.json", "host1/logs/c.txt"}));
  EXPECT_EQ(rel(expand(root + "/**/logs/**/*.json")), std::vector<std::string>{"host1/logs/c.json"});
  EXPECT_EQ(rel(expand(root + "/h*/**/b.json")), std::vector<std::string>{"host1/b.json"});
  EXPECT_EQ(rel(expand(root + "/**/**/c.txt")), std::vector<std::string>{"host1/logs/c.txt"});
  EXPECT_TRUE(expand(root + "/**/nothing").empty());
  // "a**" is no globstar segment: glob's own '*' twice, one directory level.
  EXPECT_EQ(rel(expand(root + "/a**")), std::vector<std::string>{"a.json"});
}

TEST(LineReader, SplitsLinesAndStripsCr) {
  TempDir d;
  LineReader r(d.file("a", "one\r\ntwo\n\nlast"));
  Line l;
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "one");
  EXPECT_EQ(l.number, 1u);
  EXPECT_EQ(l.offset, 0u);
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "two");
  EXPECT_EQ(l.offset, 5u);
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "");
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "last");
  EXPECT_TRUE(l.unterminated);
  EXPECT_EQ(l.number, 4u);
  EXPECT_FALSE(r.next(l));
  EXPECT_TRUE(r.error().empty());
}

TEST(LineReader, EmptyFile) {
  TempDir d;
  LineReader r(d.file("e", ""));
  Line l;
  EXPECT_FALSE(r.next(l));
}

TEST(LineReader, LinesAcrossBufferBoundaries) {
  TempDir d;
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 5000; ++i) {
    expected.push_back(std::string(static_cast<size_t>(i % 97), 'x') + std::to_string(i));
    content += expected.back() + "\n";
  }
  LineReader r(d.file("b", content), LineReader::kDefaultMaxLine, 4096);
  EXPECT_EQ(lines_of(r), expected);
}

TEST(LineReader, LongLineGrowsTheBuffer) {
  TempDir d;
  const std::string big(10u << 20, 'a');
  LineReader r(d.file("c", "x\n" + big + "\ny\n"), LineReader::kDefaultMaxLine, 4096);
  auto lines = lines_of(r);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], big);
  EXPECT_EQ(lines[2], "y");
}

TEST(LineReader, OverlongLineIsCutAndItsTailSkipped) {
  TempDir d;
  LineReader r(d.file("o", "ab\n" + std::string(20000, 'z') + "\ncd\n"), 10000, 4096);
  Line l;
  ASSERT_TRUE(r.next(l));
  ASSERT_TRUE(r.next(l));
  EXPECT_TRUE(l.overlong);
  EXPECT_EQ(l.text.size(), 10000u);
  EXPECT_EQ(l.number, 2u);
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "cd");
  EXPECT_EQ(l.number, 3u);
  EXPECT_EQ(l.offset, 3u + 20001u);
}

TEST(LineReader, ReadsGzipTransparently) {
  TempDir d;
  LineReader r(d.gz("a.gz", "one\ntwo\n"));
  EXPECT_TRUE(r.bytes().compressed());
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"one", "two"}));
}

TEST(LineReader, ConcatenatedGzipMembers) {
  TempDir d;
  const std::string a = d.gz("a.gz", "one\n"), b = d.gz("b.gz", "two\n");
  std::ifstream ia(a, std::ios::binary), ib(b, std::ios::binary);
  std::string both((std::istreambuf_iterator<char>(ia)), {});
  both.append((std::istreambuf_iterator<char>(ib)), {});
  LineReader r(d.file("ab.gz", both));
  EXPECT_EQ(lines_of(r), (std::vector<std::string>{"one", "two"}));
}

TEST(LineReader, TruncatedGzipReportsAnError) {
  TempDir d;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i * 7919) + "\n";
  const std::string whole = d.gz("w.gz", content);
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  LineReader r(d.file("t.gz", bytes.substr(0, bytes.size() / 2)));
  auto lines = lines_of(r);
  EXPECT_GT(lines.size(), 0u);
  EXPECT_LT(lines.size(), 20000u);
  EXPECT_NE(r.error().find("truncated"), std::string::npos) << r.error();
}

TEST(LineReader, SeekLandsOnALineStart) {
  TempDir d;
  const std::string p = d.file("s", "aaaa\nbbbb\ncccc\ndddd\n");
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(7, true));  // inside "bbbb"
    Line l;
    ASSERT_TRUE(r.next(l));
    EXPECT_EQ(l.text, "cccc");
    EXPECT_EQ(l.number, 3u);
    EXPECT_EQ(l.offset, 10u);
  }
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(10, true));  // exactly at "cccc"
    Line l;
    ASSERT_TRUE(r.next(l));
    EXPECT_EQ(l.text, "cccc");
    EXPECT_EQ(l.number, 3u);
  }
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(10, false));
    Line l;
    ASSERT_TRUE(r.next(l));
    EXPECT_EQ(l.text, "cccc");
    EXPECT_EQ(l.number, 0u);  // unknown after an lseek
    EXPECT_EQ(l.offset, 10u);
  }
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(1000, true));
    Line l;
    EXPECT_FALSE(r.next(l));
  }
}

TEST(ByteReader, MissingFile) {
  EXPECT_THROW(ByteReader("/nonexistent/x"), sqlhunt::Error);
}

// core/io_stats.h: what a reader read, as tests of seeking code see it.
TEST(IoStats, CountsBytesReadsAndSeeks) {
  TempDir d;
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "line " + std::to_string(i) + "\n";  // ~1.2 MB
  const std::string p = d.file("io", text);
  io::reset();
  {
    LineReader r(p);
    Line l;
    size_t n = 0;
    while (r.next(l)) ++n;
    EXPECT_EQ(n, 100000u);
  }
  auto find = [&] {
    for (const auto& f : io::snapshot())
      if (f.path == p) return f;
    return io::FileIo{};
  };
  io::FileIo f = find();
  EXPECT_EQ(f.size, text.size());
  EXPECT_EQ(f.bytes_read, text.size() + 2);  // and the 2-byte magic check
  EXPECT_EQ(f.opens, 1u);
  EXPECT_EQ(f.seeks, 0u);

  // Seeking without counting lines reads nothing before the target, and the first
  // read after it is small (16 KB): a reader that stops soon reads little.
  io::reset();
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(text.size() / 2, /*count_lines=*/false));
    Line l;
    ASSERT_TRUE(r.next(l));
    EXPECT_EQ(l.text.substr(0, 5), "line ");
  }
  f = find();
  EXPECT_EQ(f.seeks, 1u);
  EXPECT_LE(f.bytes_read, 2u + (16u << 10));
  // Counting lines reads the skipped half.
  io::reset();
  {
    LineReader r(p);
    ASSERT_TRUE(r.seek(text.size() / 2, /*count_lines=*/true));
  }
  f = find();
  EXPECT_GE(f.bytes_read, text.size() / 2);
  io::reset();
  EXPECT_EQ(find().path, "");  // nothing counted since
}

TEST(IoStats, GzipCountsCompressedBytes) {
  TempDir d;
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "same line again\n";
  const std::string p = d.gz("io.gz", text);
  struct stat st;
  ASSERT_EQ(stat(p.c_str(), &st), 0);
  io::reset();
  {
    LineReader r(p);
    Line l;
    while (r.next(l)) {
    }
  }
  for (const auto& f : io::snapshot())
    if (f.path == p) {
      EXPECT_EQ(f.bytes_read, static_cast<uint64_t>(st.st_size) + 2);  // the file, not the 800 KB of text
      return;
    }
  FAIL() << "no counts for " << p;
}
