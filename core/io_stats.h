// core/io_stats.h — what the file readers really read, counted where they read it.
//
// A reader that promises to skip work (a time window that seeks, a file skipped whole)
// is tested by what it read, not by how fast it was. Every ByteReader
// (core/file_source.h) registers the file it opens here and adds, as it goes:
//   bytes_read  bytes taken from the file on disk (for gzip: compressed bytes, as far
//               as zlib has read the file; the 2-byte magic check included);
//   reads       read calls that returned data or ended the file;
//   seeks       repositionings (lseek calls);
//   opens       readers opened on the file.
// The counts are process-wide (every connection, every reader thread) and cumulative
// until reset(); a test resets, runs one query, and reads them. SQL sees them as
// sqlhunt_debug('io') / sqlhunt_debug('io_reset') (extension/build_info.h).
//
// Counting costs an atomic add per read call (reads are 64 KB..1 MB): nothing measurable.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sqlhunt::files::io {

struct Counters {
  std::atomic<uint64_t> bytes_read{0}, reads{0}, seeks{0}, opens{0};
  std::atomic<uint64_t> size{0};  // the file's size on disk when last opened
};

// The counters of `path` (as the reader was given it), created on first use.
std::shared_ptr<Counters> counters_for(const std::string& path);

struct FileIo {
  std::string path;
  uint64_t size, bytes_read, reads, seeks, opens;
};
// Every file with a nonzero count since the last reset, in the order first opened.
std::vector<FileIo> snapshot();
// Zeroes every count (readers still open keep counting from zero).
void reset();

}  // namespace sqlhunt::files::io
