// vtabs/audit_events/audit_source.h — the record lines of a set of audit logs, oldest
// first, with a time window pushed down.
//
// A path is a file or a glob ("/var/log/audit/audit.log*"): files are read in rotation
// order, oldest first (audit.log.4 ... audit.log.1, audit.log; ".gz" read through), as
// one stream, so an event whose records straddle a rotation is still one event.
//
// Time window (from `time`/`epoch` constraints; both ends optional). auditd writes each
// file in time order, except that records may be out of order by a little (the shared
// sample log goes back by a few ms three times). The source relies on that order only up
// to kTimeSlackMs (60 s):
//   * a file whose records all lie more than the slack outside the window is skipped
//     (its first and, for a plain file, last record are read to know); a plain file of
//     64 KB or less is simply read, as its probes would cost as much;
//   * in a plain file, the reader seeks (binary search on byte offsets, probing the
//     time of the first record after each offset; each probe reads 4 KB unless a
//     record line is longer) to the first record within the slack of the window's
//     start. Without `count_lines` it reads nothing before that record (an lseek) and
//     the lines after it have number 0 (unknown); with it, the skipped bytes are read
//     for their newlines (a memchr pass, no parse) so line numbers stay right;
//   * a file stops being read at the first record more than the slack past the end.
// Records between the slack and the window itself are still returned: event assembly
// must see them (its window closes events by the records that follow), so the caller
// drops rows outside the window after assembly, and a windowed query groups exactly as
// a whole scan does.
// A gzip file cannot seek: it is read from its start (or skipped whole when its first
// record is past the window's end). Records out of order by more than the slack at the
// window's edges can be missed by a windowed query; a query without a window reads all.
//
// Lines that are not records are always returned (with `error` set), except where the
// reader skipped over them by seeking or stopping, which only a window does. A read
// error (a truncated or corrupt .gz, an I/O error) comes back as one more line of that
// file, empty, at the offset where reading stopped, with `error` saying what happened.
// Every line carries its byte offset in the file (for .gz, in the decompressed text),
// known whether or not its number is.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/file_source.h"
#include "vtabs/audit_events/audit_record.h"

namespace sqlhunt::audit {

inline constexpr int64_t kTimeSlackMs = 60'000;

struct TimeWindow {
  std::optional<int64_t> lower_ms, upper_ms;  // inclusive
  bool empty() const { return !lower_ms && !upper_ms; }
  bool contains(int64_t ms) const {
    return (!lower_ms || ms >= *lower_ms) && (!upper_ms || ms <= *upper_ms);
  }
};

struct SourceLine {
  files::Line line;
  size_t file = 0;           // index into AuditSource::files()
  bool is_record = false;
  RecordHeader header;       // valid when is_record
  std::string error;         // why the line is not a record, or a problem with it
};

// Flags a record line that holds a second record's header (two records merged into one
// line): what every source of lines checks after parse_header().
void flag_merged_records(SourceLine& out);

class AuditSource {
 public:
  // Throws sqlhunt::Error for a literal path that does not exist, cannot be read or is
  // of another kind (core/file_kind.h: an .evtx, a JSON export). A file a glob matched
  // that cannot be read is instead one line of its own, with `error` saying why.
  // `count_lines`: line numbers are wanted even where a window seeks (see above).
  AuditSource(const std::string& path, TimeWindow window, bool count_lines = true);

  // The next line to report, or false at the end of the last file.
  bool next(SourceLine& out);

  const std::vector<std::string>& files() const { return files_; }
  const TimeWindow& window() const { return window_; }

 private:
  bool open_next_file();
  bool open_file(size_t idx);
  void position_in_file(files::ByteReader& probes);

  std::vector<std::string> files_;
  TimeWindow window_;
  bool count_lines_;
  bool from_glob_;
  std::string open_error_;    // why the file open_next_file() reached cannot be read
  size_t next_file_ = 0;
  size_t current_file_ = 0;
  std::unique_ptr<files::LineReader> reader_;
  uint64_t last_line_number_ = 0;
  uint64_t end_offset_ = 0;   // the offset after the last line read
  bool numbered_ = true;      // this file's lines have their numbers
};

// The time of the first record in `path` at or after byte `offset` of a plain file,
// with the byte offset where that record's line starts; nullopt when none is found
// within the next 1 MB. Exposed for tests.
struct Probe {
  int64_t epoch_ms;
  uint64_t line_offset;
};
std::optional<Probe> probe_time(files::ByteReader& bytes, uint64_t offset);
// The time of the last record of a plain file (read from its tail), or nullopt.
std::optional<int64_t> last_record_time(files::ByteReader& bytes);

}  // namespace sqlhunt::audit
