#include "vtabs/audit_events/audit_source.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/error.h"
#include "core/file_kind.h"

namespace sqlhunt::audit {
namespace {

// Probes read little: a record line is rarely over a few KB, so a probe reads 4 KB and
// doubles only while it has not found a whole record line, up to 1 MB in all.
constexpr size_t kProbeFirst = 4u << 10;
constexpr size_t kProbeBytes = 1u << 20;
constexpr uint64_t kSeekGranularity = 16u << 10;  // stop bisecting below this span
constexpr uint64_t kSmallFile = 64u << 10;        // read whole, without probes

size_t read_full(files::ByteReader& bytes, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const size_t r = bytes.read(buf + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

// Calls `line` for each whole line of the bytes at `from` (a line cut by `from` is
// skipped, unless `from` is 0; the last line counts as whole at the end of the file)
// until it returns true. Reads in growing steps (see above); a gzip stream cannot seek,
// so it is read only from 0, and only while it is still at its start.
template <class OnLine>
bool scan_lines_at(files::ByteReader& bytes, uint64_t from, OnLine line) {
  if ((from > 0 || !bytes.compressed()) && !bytes.seek(from)) return false;
  std::vector<char> buf;
  size_t pos = 0;       // the next line to look at
  bool skipped = from == 0;
  for (size_t step = kProbeFirst; buf.size() < kProbeBytes; step *= 2) {
    const size_t old = buf.size();
    const size_t want = std::min(step, kProbeBytes - old);
    buf.resize(old + want);
    const size_t n = read_full(bytes, buf.data() + old, want);
    buf.resize(old + n);
    const bool at_end = n < want;
    const std::string_view data(buf.data(), buf.size());
    if (!skipped) {
      const size_t nl = data.find('\n');
      if (nl == std::string_view::npos) {
        if (at_end) return false;
        continue;
      }
      pos = nl + 1;
      skipped = true;
    }
    while (pos < data.size()) {
      const size_t nl = data.find('\n', pos);
      if (nl == std::string_view::npos && !at_end) break;  // cut by the buffer: read on
      const size_t end = nl == std::string_view::npos ? data.size() : nl;
      if (line(data.substr(pos, end - pos), from + pos)) return true;
      pos = end + 1;
    }
    if (at_end) return false;
  }
  return false;
}

}  // namespace

std::optional<Probe> probe_time(files::ByteReader& bytes, uint64_t offset) {
  // Start one byte early: if that byte is a newline, the line at `offset` is whole.
  const uint64_t from = offset > 0 ? offset - 1 : 0;
  std::optional<Probe> found;
  RecordHeader h;
  std::string error;
  scan_lines_at(bytes, from, [&](std::string_view line, uint64_t at) {
    if (!parse_header(line, h, error)) return false;
    found = Probe{h.epoch_ms, at};
    return true;
  });
  return found;
}

std::optional<int64_t> last_record_time(files::ByteReader& bytes) {
  if (bytes.compressed()) return std::nullopt;
  const uint64_t size = bytes.file_size();
  // The last 4 KB, then 8 KB, ... until a whole record line is in them.
  for (uint64_t tail = kProbeFirst;; tail *= 2) {
    const uint64_t from = size > tail ? size - tail : 0;
    std::optional<int64_t> last;
    RecordHeader h;
    std::string error;
    scan_lines_at(bytes, from, [&](std::string_view line, uint64_t) {
      if (parse_header(line, h, error)) last = h.epoch_ms;
      return false;  // on to the last line
    });
    if (last || from == 0 || tail >= kProbeBytes) return last;
  }
}

AuditSource::AuditSource(const std::string& path, TimeWindow window, bool count_lines)
    : files_(files::expand(path, files::Order::kRotationOldestFirst)), window_(window),
      count_lines_(count_lines), from_glob_(files::is_glob(path)) {
  // A literal path of the wrong kind fails the query before it starts (open_file
  // checks each file a glob matched, where one bad file is a row).
  if (!from_glob_)
    for (const auto& f : files_) files::check(f, "audit_events", {files::Kind::kAuditLog});
}

bool AuditSource::open_next_file() {
  while (next_file_ < files_.size()) {
    const size_t idx = next_file_++;
    try {
      if (open_file(idx)) return true;
    } catch (const Error& e) {
      if (!from_glob_) throw;
      current_file_ = idx;
      open_error_ = e.what();
      return true;
    }
  }
  return false;
}

// Opens files_[idx], positioned for the window; false when the window skips the file.
bool AuditSource::open_file(size_t idx) {
  const std::string& path = files_[idx];
  if (from_glob_) files::check(path, "audit_events", {files::Kind::kAuditLog});  // an .evtx is named, not read as junk
  // Probes go through a byte reader of their own, before the line reader starts.
  std::optional<files::ByteReader> probes;
  if (!window_.empty()) {
    probes.emplace(path);
    // A small plain file is read whole: its probes would cost as much as reading it.
    if (!probes->compressed() && probes->file_size() <= kSmallFile) probes.reset();
  }
  if (probes) {
    if (window_.upper_ms) {
      // probe_time at offset 0 reads a fresh stream from its start: gzip too
      const auto first = probe_time(*probes, 0);
      if (first && first->epoch_ms > *window_.upper_ms + kTimeSlackMs) return false;
    }
    if (window_.lower_ms && !probes->compressed()) {
      const auto last = last_record_time(*probes);
      if (last && *last < *window_.lower_ms - kTimeSlackMs) return false;
    }
  }
  reader_ = std::make_unique<files::LineReader>(path);
  current_file_ = idx;
  last_line_number_ = 0;
  end_offset_ = 0;
  numbered_ = true;
  if (probes && window_.lower_ms && !probes->compressed()) position_in_file(*probes);
  return true;
}

void AuditSource::position_in_file(files::ByteReader& bytes) {
  const int64_t target = *window_.lower_ms - kTimeSlackMs;
  uint64_t lo = 0, hi = bytes.file_size(), start = 0;
  // Invariant: the first record at or after `start` is older than `target` (or start
  // is 0); nothing at or after `hi` needs to be read before it.
  while (hi - lo > kSeekGranularity) {
    const uint64_t mid = lo + (hi - lo) / 2;
    const auto p = probe_time(bytes, mid);
    if (p && p->epoch_ms < target) {
      lo = mid;
      start = p->line_offset;
    } else {
      hi = mid;
    }
  }
  if (start == 0) return;
  // Without line numbers nothing before `start` is read at all (an lseek); with them
  // the skipped bytes are read for their newlines only.
  reader_->seek(start, count_lines_);
  numbered_ = count_lines_;
}

void flag_merged_records(SourceLine& out) {
  if (!out.is_record) return;
  const std::string_view fields(out.header.body.data(),
                                static_cast<size_t>(out.line.text.data() + out.line.text.size() -
                                                    out.header.body.data()));
  if (find_another_header(fields) != std::string_view::npos)
    out.error = "this line holds a second record's header (\"audit(SECONDS.MILLIS:SERIAL)\"): two records "
                "merged into one line, as when the newline between them is lost or turned into a CR; "
                "the fields after it are read as this record's";
}

bool AuditSource::next(SourceLine& out) {
  for (;;) {
    if (!reader_ && !open_next_file()) return false;
    out.error.clear();
    out.file = current_file_;
    if (!open_error_.empty()) {
      out.line = files::Line{};
      out.is_record = false;
      out.error = std::move(open_error_);
      open_error_.clear();
      return true;
    }
    if (!reader_->next(out.line)) {
      const std::string error = reader_->error();
      reader_.reset();
      if (error.empty()) continue;
      out.line = files::Line{};
      out.line.number = numbered_ ? last_line_number_ + 1 : 0;
      out.line.offset = end_offset_;
      out.is_record = false;
      out.error = "reading " + files_[current_file_] + " stopped: " + error;
      return true;
    }
    last_line_number_ = out.line.number;
    end_offset_ = out.line.offset + out.line.text.size() + 1;
    out.is_record = parse_header(out.line.text, out.header, out.error);
    if (out.is_record && !window_.empty()) {
      const int64_t ms = out.header.epoch_ms;
      if (window_.upper_ms && ms > *window_.upper_ms + kTimeSlackMs) {
        reader_.reset();  // this file has passed the window
        continue;
      }
    }
    flag_merged_records(out);
    if (out.line.overlong) {
      if (!out.error.empty()) out.error += "; ";
      out.error += "line longer than " + std::to_string(files::LineReader::kDefaultMaxLine >> 20) +
                   " MB: only its start was read";
    } else if (out.line.unterminated && out.is_record) {
      if (!out.error.empty()) out.error += "; ";
      out.error += "the file ends inside this line (no newline after it): the record may be cut short";
    }
    return true;
  }
}

}  // namespace sqlhunt::audit
