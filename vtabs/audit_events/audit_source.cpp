#include "vtabs/audit_events/audit_source.h"

#include <optional>
#include <vector>

namespace sqlhunt::audit {
namespace {

constexpr size_t kProbeBytes = 1u << 20;
constexpr uint64_t kSeekGranularity = 64u << 10;  // stop bisecting below this span

size_t read_full(files::ByteReader& bytes, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const size_t r = bytes.read(buf + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

}  // namespace

namespace {

// Reads up to kProbeBytes of `bytes` from `from` into `buf` and returns them from the
// first whole line on (a line that starts before `from` is cut, unless `from` is 0).
// `cut` says the buffer filled up, so its last line may be cut too. A gzip stream
// cannot seek: it is read only from 0, and only while it is still at its start.
std::optional<std::string_view> read_whole_lines(files::ByteReader& bytes, uint64_t from,
                                                  std::vector<char>& buf, bool& cut) {
  if ((from > 0 || !bytes.compressed()) && !bytes.seek(from)) return std::nullopt;
  buf.resize(kProbeBytes);
  const size_t n = read_full(bytes, buf.data(), buf.size());
  cut = n == buf.size();
  std::string_view data(buf.data(), n);
  if (from > 0) {
    const size_t nl = data.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    data.remove_prefix(nl + 1);
  }
  return data;
}

}  // namespace

std::optional<Probe> probe_time(files::ByteReader& bytes, uint64_t offset) {
  // Start one byte early: if that byte is a newline, the line at `offset` is whole.
  const uint64_t from = offset > 0 ? offset - 1 : 0;
  std::vector<char> buf;
  bool cut = false;
  const auto data = read_whole_lines(bytes, from, buf, cut);
  if (!data) return std::nullopt;
  const uint64_t base = from + static_cast<uint64_t>(data->data() - buf.data());
  RecordHeader h;
  std::string error;
  for (size_t pos = 0; pos < data->size();) {
    const size_t nl = data->find('\n', pos);
    if (nl == std::string_view::npos && cut) break;  // cut by the buffer
    const size_t end = nl == std::string_view::npos ? data->size() : nl;
    if (parse_header(data->substr(pos, end - pos), h, error)) return Probe{h.epoch_ms, base + pos};
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<int64_t> last_record_time(files::ByteReader& bytes) {
  const uint64_t size = bytes.file_size();
  std::vector<char> buf;
  bool cut = false;
  const auto data = read_whole_lines(bytes, size > kProbeBytes ? size - kProbeBytes : 0, buf, cut);
  if (!data) return std::nullopt;
  std::optional<int64_t> last;
  RecordHeader h;
  std::string error;
  for (size_t pos = 0; pos < data->size();) {
    size_t end = data->find('\n', pos);
    if (end == std::string_view::npos) end = data->size();
    if (parse_header(data->substr(pos, end - pos), h, error)) last = h.epoch_ms;
    pos = end + 1;
  }
  return last;
}

AuditSource::AuditSource(const std::string& path, TimeWindow window)
    : files_(files::expand(path, files::Order::kRotationOldestFirst)), window_(window) {}

bool AuditSource::open_next_file() {
  while (next_file_ < files_.size()) {
    const size_t idx = next_file_++;
    const std::string& path = files_[idx];
    // Probes go through a byte reader of their own, before the line reader starts.
    std::optional<files::ByteReader> probes;
    if (!window_.empty()) {
      probes.emplace(path);
      if (window_.upper_ms) {
        // probe_time at offset 0 reads a fresh stream from its start: gzip too
        const auto first = probe_time(*probes, 0);
        if (first && first->epoch_ms > *window_.upper_ms + kTimeSlackMs) continue;
      }
      if (window_.lower_ms && !probes->compressed()) {
        const auto last = last_record_time(*probes);
        if (last && *last < *window_.lower_ms - kTimeSlackMs) continue;
      }
    }
    reader_ = std::make_unique<files::LineReader>(path);
    current_file_ = idx;
    last_line_number_ = 0;
    if (window_.lower_ms && !probes->compressed()) position_in_file(*probes);
    return true;
  }
  return false;
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
  if (start > 0) reader_->seek(start, /*count_lines=*/true);
}

bool AuditSource::next(SourceLine& out) {
  for (;;) {
    if (!reader_ && !open_next_file()) return false;
    out.error.clear();
    out.file = current_file_;
    if (!reader_->next(out.line)) {
      const std::string error = reader_->error();
      reader_.reset();
      if (error.empty()) continue;
      out.line = files::Line{};
      out.line.number = last_line_number_ + 1;
      out.is_record = false;
      out.error = "reading " + files_[current_file_] + " stopped: " + error;
      return true;
    }
    last_line_number_ = out.line.number;
    out.is_record = parse_header(out.line.text, out.header, out.error);
    if (out.is_record && !window_.empty()) {
      const int64_t ms = out.header.epoch_ms;
      if (window_.upper_ms && ms > *window_.upper_ms + kTimeSlackMs) {
        reader_.reset();  // this file has passed the window
        continue;
      }
    }
    if (out.line.overlong) {
      if (!out.error.empty()) out.error += "; ";
      out.error += "line longer than " + std::to_string(files::LineReader::kDefaultMaxLine >> 20) +
                   " MB: only its start was read";
    } else if (out.line.unterminated && out.is_record) {
      out.error = "the file ends inside this line (no newline after it): the record may be cut short";
    }
    return true;
  }
}

}  // namespace sqlhunt::audit
