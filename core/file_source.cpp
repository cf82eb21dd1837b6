#include "core/file_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/file_policy.h"
#include "core/interrupt.h"
#include "core/path_glob.h"
#include "core/progress.h"

namespace sqlhunt::files {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }


// "audit.log.12.gz" -> {"audit.log", 12}; "audit.log" -> {"audit.log", -1}
std::pair<std::string_view, long long> rotation_key(std::string_view path) {
  std::string_view s = path;
  if (s.size() > 3 && s.substr(s.size() - 3) == ".gz") s.remove_suffix(3);
  size_t i = s.size();
  while (i > 0 && is_digit(s[i - 1])) --i;
  if (i < s.size() && i > 0 && s[i - 1] == '.' && s.size() - i <= 18) {
    long long n = 0;
    for (size_t j = i; j < s.size(); ++j) n = n * 10 + (s[j] - '0');
    return {s.substr(0, i - 1), n};
  }
  return {s, -1};
}

std::string errno_text(int err) { return std::strerror(err); }

// zlib's message, without the "<fd:4>: " it puts first (we name the file ourselves).
std::string zlib_message(const char* msg, const char* fallback) {
  std::string m = msg && *msg ? msg : fallback;
  if (m.rfind("<fd:", 0) == 0) {
    const size_t colon = m.find(": ");
    if (colon != std::string::npos) m.erase(0, colon + 2);
  }
  return m;
}

}  // namespace

bool is_glob(std::string_view pattern) { return pattern.find_first_of("*?[") != std::string_view::npos; }

bool natural_less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      size_t i0 = i, j0 = j;
      while (i0 < a.size() && a[i0] == '0') ++i0;  // leading zeros do not make a number larger
      while (j0 < b.size() && b[j0] == '0') ++j0;
      size_t i1 = i0, j1 = j0;
      while (i1 < a.size() && is_digit(a[i1])) ++i1;
      while (j1 < b.size() && is_digit(b[j1])) ++j1;
      if (i1 - i0 != j1 - j0) return i1 - i0 < j1 - j0;
      const int c = a.substr(i0, i1 - i0).compare(b.substr(j0, j1 - j0));
      if (c != 0) return c < 0;
      if (i1 - i != j1 - j) return i1 - i < j1 - j;  // "01" after "1": a stable tie-break
      i = i1;
      j = j1;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

void sort_paths(std::vector<std::string>& paths, Order order) {
  if (order == Order::kNatural) {
    std::sort(paths.begin(), paths.end(),
              [](const std::string& a, const std::string& b) { return natural_less(a, b); });
    return;
  }
  std::sort(paths.begin(), paths.end(), [](const std::string& a, const std::string& b) {
    auto [base_a, n_a] = rotation_key(a);
    auto [base_b, n_b] = rotation_key(b);
    if (base_a != base_b) return natural_less(base_a, base_b);
    if (n_a != n_b) return n_a > n_b;  // .3 before .2 before .1 before the live file (-1)
    return natural_less(a, b);         // audit.log.1 before audit.log.1.gz: any stable order
  });
}

std::vector<std::string> expand(const std::string& pattern, Order order) {
  std::vector<std::string> out;
  if (pattern.empty()) throw Error("empty path");
  if (!is_glob(pattern)) {
    check_allowed(pattern);
    struct stat st;
    if (::stat(pattern.c_str(), &st) != 0)
      throw Error("cannot open '" + pattern + "': " + errno_text(errno));
    check_regular(pattern, st);
    if (::access(pattern.c_str(), R_OK) != 0)
      throw Error("cannot read '" + pattern + "': " + errno_text(errno));
    out.push_back(pattern);
    return out;
  }
  glob_files(pattern, out);
  sort_paths(out, order);
  out.erase(std::unique(out.begin(), out.end()), out.end());  // two "**" may reach a file twice
  return out;
}

// ---------------------------------------------------------------------------------

ByteReader::ByteReader(const std::string& path) : path_(path) {
  check_allowed(path);
  io_ = io::counters_for(path);
  io_->opens.fetch_add(1, std::memory_order_relaxed);
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we know it is one.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) throw Error("cannot open '" + path + "': " + errno_text(errno));
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    ::close(fd_);
    throw Error("cannot open '" + path + "': " + errno_text(err));
  }
  try {
    check_regular(path, st);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  // A regular file reads blocking; a FIFO or device (files.special) stays non-blocking
  // and read() waits for it in short polls, so Ctrl-C still reaches it.
  if (S_ISREG(st.st_mode)) ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  file_size_ = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  io_->size.store(file_size_, std::memory_order_relaxed);
  unsigned char magic[2] = {0, 0};
  const ssize_t got = ::pread(fd_, magic, 2, 0);
  count_read(got > 0 ? static_cast<uint64_t>(got) : 0);
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    const int dup_fd = ::dup(fd_);
    gzFile gz = dup_fd >= 0 ? gzdopen(dup_fd, "rb") : nullptr;
    if (!gz) {
      if (dup_fd >= 0) ::close(dup_fd);
      ::close(fd_);
      throw Error("cannot open '" + path + "' as gzip");
    }
    gzbuffer(gz, 256 * 1024);
    gz_ = gz;
  } else {
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
}

ByteReader::ByteReader(std::string_view bytes, std::string name)
    : path_(std::move(name)), memory_(bytes.data()), file_size_(bytes.size()) {}

ByteReader::~ByteReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
  if (fd_ >= 0) ::close(fd_);
}

size_t ByteReader::read(char* buf, size_t n) {
  if (!error_.empty()) return 0;
  // Ctrl-C: every file reader stops here (a gzip bomb decompresses a buffer at a time).
  if (interrupt::requested()) {
    error_ = "interrupted";
    return 0;
  }
  if (gz_) {
    auto gz = static_cast<gzFile>(gz_);
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    const int got = gzread(gz, buf, chunk);
    // zlib reads through a dup of fd_, which shares its file position: the position is
    // how far the compressed file has been read.
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    if (at >= 0 && static_cast<uint64_t>(at) > gz_position_) {
      const uint64_t bytes = static_cast<uint64_t>(at) - gz_position_;
      gz_position_ = static_cast<uint64_t>(at);
      count_read(bytes);
    }
    if (got < 0 || (got == 0 && !gzeof(gz))) {
      int errnum = 0;
      const char* msg = gzerror(gz, &errnum);
      error_ = "'" + path_ + "': gzip stream is corrupt (" + zlib_message(msg, "read error") + ")";
      return 0;
    }
    if (got == 0) {
      // zlib reports a stream cut short as EOF with Z_BUF_ERROR pending.
      int errnum = 0;
      const char* msg = gzerror(gz, &errnum);
      if (errnum == Z_BUF_ERROR)
        error_ = "'" + path_ + "': gzip stream is truncated (" + zlib_message(msg, "unexpected end") + ")";
    }
    return static_cast<size_t>(got);
  }
  if (fd_ < 0) {
    const size_t got = static_cast<size_t>(std::min<uint64_t>(n, file_size_ - memory_pos_));
    if (got) std::memcpy(buf, memory_ + memory_pos_, got);
    memory_pos_ += got;
    return got;
  }
  for (;;) {
    const ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) {
      count_read(static_cast<uint64_t>(got));
      return static_cast<size_t>(got);
    }
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
      if (interrupt::requested()) {
        error_ = "interrupted";
        return 0;
      }
      if (errno != EINTR) {
        pollfd p{fd_, POLLIN, 0};
        ::poll(&p, 1, 100);
      }
      continue;
    }
    error_ = "'" + path_ + "': read error: " + errno_text(errno);
    return 0;
  }
}

void ByteReader::count_read(uint64_t bytes) {
  io_->reads.fetch_add(1, std::memory_order_relaxed);
  io_->bytes_read.fetch_add(bytes, std::memory_order_relaxed);
  if (progress::wanted()) {
    // Where the reader is in the file on disk: gzip's compressed position, or the plain
    // file's offset (a FIFO has none: lseek fails).
    const off_t at = gz_ ? static_cast<off_t>(gz_position_) : ::lseek(fd_, 0, SEEK_CUR);
    progress::read(path_, bytes, at > 0 ? static_cast<uint64_t>(at) : 0, file_size_);
  }
}

bool ByteReader::seek(uint64_t offset) {
  if (gz_) return false;
  if (fd_ < 0) {
    if (offset > file_size_) return false;
    memory_pos_ = offset;
    return true;
  }
  io_->seeks.fetch_add(1, std::memory_order_relaxed);
  return ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) == static_cast<off_t>(offset);
}

std::string read_small(const std::string& path, size_t max_bytes, const char* what) {
  ByteReader bytes(path);
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    const size_t n = bytes.read(buf, sizeof buf);
    if (n == 0) break;
    if (out.size() + n > max_bytes)
      throw Error("'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MB: not " + what);
    out.append(buf, n);
  }
  if (!bytes.error().empty()) throw Error(bytes.error());
  return out;
}

void check_readable(const std::string& path) {
  check_allowed(path);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error("cannot open '" + path + "': " + errno_text(errno));
  check_regular(path, st);
}

// ---------------------------------------------------------------------------------

ReadBuffer::ReadBuffer(ByteReader& source, size_t initial_size, size_t max_size)
    : source_(&source), max_size_(std::max<size_t>(max_size, 16)),
      buf_(std::min(std::max<size_t>(initial_size, 16), max_size_)), read_size_(first_read()) {}

size_t ReadBuffer::first_read() const { return std::min<size_t>(16u << 10, buf_.size()); }

bool ReadBuffer::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= max_size_) return false;
    buf_.resize(std::min(buf_.size() * 2, max_size_));
  }
  const size_t got = source_->read(buf_.data() + end_, std::min(read_size_, buf_.size() - end_));
  read_size_ = std::min(read_size_ * 2, buf_.size());
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

// ---------------------------------------------------------------------------------

LineReader::LineReader(const std::string& path, size_t max_line, size_t buffer_size)
    : bytes_(path), max_line_(max_line),
      buf_(bytes_, std::max(buffer_size, size_t{4096}),
           std::max({buffer_size, size_t{4096}, max_line + 2})) {}

LineReader::LineReader(std::string_view bytes, std::string name, size_t max_line, size_t buffer_size)
    : bytes_(bytes, std::move(name)), max_line_(max_line),
      buf_(bytes_, std::max(buffer_size, size_t{4096}),
           std::max({buffer_size, size_t{4096}, max_line + 2})) {}

void LineReader::emit(Line& line, size_t len, size_t consumed, bool unterminated) {
  line.text = std::string_view(buf_.data() + buf_.begin(), len);
  if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
  line.overlong = line.text.size() > max_line_;
  if (line.overlong) {
    overlong_.assign(line.text.data(), max_line_);
    line.text = overlong_;
  }
  line.offset = buf_.offset();
  line.number = line_numbers_known_ ? ++line_number_ : 0;
  line.unterminated = unterminated;
  buf_.consume(consumed);
}

bool LineReader::next(Line& line) {
  size_t scanned = 0;  // bytes after begin() already known to hold no '\n'
  for (;;) {
    const size_t pending = buf_.pending();
    const char* start = buf_.data() + buf_.begin();
    if (const void* nl = std::memchr(start + scanned, '\n', pending - scanned)) {
      const size_t len = static_cast<size_t>(static_cast<const char*>(nl) - start);
      emit(line, len, len + 1, false);
      return true;
    }
    scanned = pending;
    if (pending > max_line_) {
      // Keep the first max_line_ bytes for the caller; read on to the end of the line
      // without keeping it, so its tail is never taken for further lines.
      overlong_.assign(start, max_line_);
      line.offset = buf_.offset();
      buf_.consume(pending);
      while (buf_.fill()) {
        const char* from = buf_.data() + buf_.begin();
        if (const void* nl = std::memchr(from, '\n', buf_.pending())) {
          buf_.consume(static_cast<size_t>(static_cast<const char*>(nl) - from) + 1);
          break;
        }
        buf_.consume(buf_.pending());
      }
      line.text = overlong_;
      line.number = line_numbers_known_ ? ++line_number_ : 0;
      line.unterminated = false;
      line.overlong = true;
      return true;
    }
    if (!buf_.fill()) {
      if (pending == 0) return false;
      emit(line, pending, pending, true);
      return true;
    }
  }
}

bool LineReader::seek(uint64_t offset, bool count_lines) {
  if (bytes_.compressed() || offset < buf_.offset()) return false;
  if (offset == buf_.offset()) return true;  // next() always stops at a line start
  // Go to the byte before `offset`, then drop through the first newline from there:
  // that lands on `offset` itself when it starts a line, else on the next line start.
  const uint64_t target = offset - 1;
  if (count_lines) {
    // Read through the skipped bytes counting newlines only: a memchr pass, no parse.
    while (buf_.offset() < target) {
      if (buf_.pending() == 0 && !buf_.fill()) return true;  // the file is shorter: at its end now
      const size_t take =
          static_cast<size_t>(std::min<uint64_t>(buf_.pending(), target - buf_.offset()));
      const char* p = buf_.data() + buf_.begin();
      const char* const stop = p + take;
      while (const void* nl = std::memchr(p, '\n', static_cast<size_t>(stop - p))) {
        ++line_number_;
        p = static_cast<const char*>(nl) + 1;
      }
      buf_.consume(take);
    }
  } else {
    if (!bytes_.seek(target)) return false;
    buf_.restart(target);
    line_numbers_known_ = false;
  }
  Line partial;
  next(partial);
  return true;
}

}  // namespace sqlhunt::files
