// core/file_source.h — evidence files: which ones a path names, and their bytes.
//
// Every table that reads files takes a path that may be a glob
// ("case/audit.log*"). expand() turns it into the list of files:
//
//   * a glob (any of * ? [, and "**" for any depth of directories: core/path_glob.h)
//     matching nothing is an empty list, not an error: an investigation script runs
//     over cases that lack some evidence;
//   * a literal path that does not exist, names a directory or a special file (a FIFO,
//     a device), or lies outside the allow-list, is an Error naming it
//     (core/file_policy.h); a glob leaves directories out, and a special file it
//     matches is refused when it is opened, so the reader reports it as that file's row;
//   * files come in natural order ("x.2" before "x.10"), or, for logs that rotate
//     (audit.log.3 audit.log.2 audit.log.1 audit.log), oldest first: the highest
//     numeric suffix first and the live file last, a ".gz" suffix ignored for ordering.
//
// ByteReader reads bytes through one interface whether they are a plain file, a
// gzip-compressed one (recognised by its magic bytes, not its name; concatenated gzip
// members are read through) or bytes already in memory (a cell, a test, a fuzz input).
// ReadBuffer is the one refill buffer every streaming reader shares (lines here, CSV
// records in core/csv.h, JSON values in core/record_stream.h): it grows only to the
// longest unit a reader must hold, up to a cap, so memory stays flat whatever the
// file's size; its reads start at 16 KB and double up to its size, so a reader that
// seeks to a window and stops soon after reads little past the window's end, while a
// long scan reads in large blocks. LineReader streams lines with it; a line is a
// string_view into the buffer, valid until the next call (no copy on the hot path).
// Every ByteReader over a file counts what it reads (core/io_stats.h), which also feeds
// the progress line of long scans (core/progress.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/io_stats.h"

namespace sqlhunt::files {

enum class Order {
  kNatural,            // x.1 x.2 x.10 y
  kRotationOldestFirst // x.10 x.2 x.1 x   (logrotate/auditd numbering: higher is older)
};

// Does `pattern` hold glob characters (* ? [)? A reader reports a file a glob matched
// that cannot be read (a FIFO, the wrong kind) as a parse_error row of that file, and
// one named literally as an error.
bool is_glob(std::string_view pattern);

// Compares with digit runs taken as numbers: "a2" < "a10".
bool natural_less(std::string_view a, std::string_view b);

// The files `pattern` names, in `order`. Throws sqlhunt::Error for a literal path that
// is missing, unreadable or a directory; directories matched by a glob are left out.
std::vector<std::string> expand(const std::string& pattern, Order order = Order::kNatural);

// Sorts paths in place by `order` (what expand() does after globbing).
void sort_paths(std::vector<std::string>& paths, Order order);

// The whole of a small file (a settings file: an RDAP bootstrap, a config), through
// ByteReader (so the file policy holds and gzip is read through). A file larger than
// `max_bytes` is an error naming `what` it should have been, never read whole: a
// setting pointed at /dev/zero or a 10 GB log must not fill the memory.
std::string read_small(const std::string& path, size_t max_bytes, const char* what);

// Throws sqlhunt::Error unless `path` is a regular file sqlhunt may read (the allow-
// list and the special-file rule of core/file_policy.h), for files opened by a library
// rather than through ByteReader (libmaxminddb's mmap).
void check_readable(const std::string& path);

// A file's bytes, decompressed if it is gzip; or bytes held in memory.
class ByteReader {
 public:
  // Throws sqlhunt::Error when the file cannot be opened.
  explicit ByteReader(const std::string& path);
  // Reads `bytes`, which must outlive the reader; `name` stands for a path in messages.
  ByteReader(std::string_view bytes, std::string name);
  ~ByteReader();
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  // Reads up to `n` bytes; 0 at the end. A read error (a truncated or corrupt gzip
  // stream, an I/O error) ends the stream early and is kept in error().
  size_t read(char* buf, size_t n);

  bool compressed() const { return gz_ != nullptr; }
  // Size on disk (the compressed size for gzip; the byte count for memory).
  uint64_t file_size() const { return file_size_; }
  // Positions a plain file (or memory) at `offset`; false for gzip (a compressed
  // stream has no random access) or on failure.
  bool seek(uint64_t offset);
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  void* gz_ = nullptr;  // gzFile, kept opaque so zlib.h stays out of every includer
  void count_read(uint64_t bytes);

  const char* memory_ = nullptr;  // in-memory bytes (fd_ < 0): [memory_, +file_size_)
  uint64_t memory_pos_ = 0;
  uint64_t file_size_ = 0;
  uint64_t gz_position_ = 0;  // how far zlib had read the file at the last count
  std::string error_;
  std::shared_ptr<io::Counters> io_;  // null for bytes in memory (no I/O to count)
};

// The unread bytes of a ByteReader, in one buffer: data()[begin(), end()). fill() moves
// them to the front, doubles the buffer when they fill it (never past `max_size`) and
// reads more, so a reader keeps indexes relative to data() and re-reads them after a
// fill. offset() is the stream offset of data()[begin()].
class ReadBuffer {
 public:
  ReadBuffer(ByteReader& source, size_t initial_size, size_t max_size);

  // False at the end of the data, on a read error (see ByteReader::error) or when the
  // unread bytes already fill max_size.
  bool fill();
  char* data() { return buf_.data(); }
  const char* data() const { return buf_.data(); }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  size_t pending() const { return end_ - begin_; }
  uint64_t offset() const { return offset_; }
  // Marks `n` unread bytes as read.
  void consume(size_t n) {
    begin_ += n;
    offset_ += n;
  }
  // The data has ended (fill() found nothing more to read).
  bool at_end() const { return eof_; }
  // Forgets the buffered bytes: the source now stands at stream offset `offset`.
  void restart(uint64_t offset) {
    begin_ = end_ = 0;
    eof_ = false;
    offset_ = offset;
    read_size_ = first_read();
  }
  ByteReader& source() { return *source_; }

 private:
  ByteReader* source_;
  size_t max_size_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;
  size_t first_read() const;
  size_t read_size_;  // the next read's size: 16 KB, doubling up to the buffer's
};

struct Line {
  std::string_view text;   // without the line terminator ("\n", and a "\r" before it)
  uint64_t number = 0;     // 1-based line number in the file
  uint64_t offset = 0;     // byte offset of the line's start in the (decompressed) stream
  bool unterminated = false;  // the file ended without a newline after this line
  bool overlong = false;      // longer than the reader's limit: `text` is its first
                              // max_line bytes, the rest of the line was skipped
};

class LineReader {
 public:
  // Lines longer than `max_line` bytes come back cut to that size with `overlong`
  // set (the rest of the line is skipped, never parsed as further lines).
  static constexpr size_t kDefaultMaxLine = 64u << 20;

  explicit LineReader(const std::string& path, size_t max_line = kDefaultMaxLine,
                      size_t buffer_size = 1u << 20);
  // Lines of `bytes` in memory (which must outlive the reader).
  LineReader(std::string_view bytes, std::string name, size_t max_line = kDefaultMaxLine,
             size_t buffer_size = 1u << 20);

  // The next line, or false at the end of the file (or at a read error: see error()).
  bool next(Line& line);

  // Skips forward to `offset` of a plain file and resumes at the first line that starts
  // at or after it. With `count_lines` the skipped bytes are read and their newlines
  // counted (a memchr pass, no parse), so Line::number stays right; without it the
  // reader lseeks and later lines have number 0. False for gzip or a backward seek.
  bool seek(uint64_t offset, bool count_lines);

  ByteReader& bytes() { return bytes_; }
  const std::string& error() const { return bytes_.error(); }
  const std::string& path() const { return bytes_.path(); }

 private:
  void emit(Line& line, size_t len, size_t consumed, bool unterminated);

  ByteReader bytes_;
  size_t max_line_;
  ReadBuffer buf_;  // room for a line and its "\r\n"
  uint64_t line_number_ = 0;
  bool line_numbers_known_ = true;
  std::string overlong_;  // the kept head of an overlong line
};

}  // namespace sqlhunt::files
