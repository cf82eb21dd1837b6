#include "core/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "core/config.h"

namespace sqlhunt::progress {
namespace {

using Clock = std::chrono::steady_clock;

const config::Registration kSettings({
    {"progress", "SQLHUNT_PROGRESS", "1", config::Kind::kFlag, true, 0, 0,
     "1: a scan that reads files for longer than progress.delay draws one progress line on stderr when stderr is a terminal (file, bytes read of its size, rate); 0: never."},
    {"progress.delay", "SQLHUNT_PROGRESS_DELAY", "2", config::Kind::kNumber, true, 0, 3600,
     "Seconds a statement's scans run before the progress line appears."},
});

constexpr auto kRedraw = std::chrono::milliseconds(250);
constexpr char kErase[] = "\r\033[K";

// Set while scans are open and the line may be drawn; read without the lock.
std::atomic<bool> g_wanted{false};

// Everything below is guarded by g_mutex (readers of several threads report).
std::mutex g_mutex;
int g_open = 0;       // open scans
int g_reading = 0;    // open scans that have not reached their end
bool g_drawn = false; // the line is on the terminal now
Clock::time_point g_started, g_last_draw;
Clock::duration g_delay{};
uint64_t g_bytes = 0; // bytes taken from disk since g_started

void write_all(const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDERR_FILENO, s.data() + done, s.size() - done);
    if (n <= 0) return;  // a closed or full terminal: the line is not worth an error
    done += static_cast<size_t>(n);
  }
}

void erase_locked() {
  if (!g_drawn) return;
  write_all(kErase);
  g_drawn = false;
}

size_t terminal_width() {
  struct winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::string amount(double bytes) {
  static const char* const kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < sizeof kUnits / sizeof kUnits[0]) bytes /= 1024, ++unit;
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
  return buf;
}

}  // namespace

void scan_opened() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_open == 0) {
    // Read before counting: a bad setting fails xOpen with nothing to undo.
    const bool on = config::get_flag("progress") && ::isatty(STDERR_FILENO);
    const double delay = config::get_number("progress.delay");
    g_delay = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
    g_started = Clock::now();
    g_bytes = 0;
    g_wanted.store(on, std::memory_order_relaxed);
  }
  ++g_open;
}

void scan_closed() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_open > 0 && --g_open == 0) {
    g_wanted.store(false, std::memory_order_relaxed);
    g_reading = 0;
    erase_locked();
  }
}

void scan_reading() {
  std::lock_guard<std::mutex> lock(g_mutex);
  ++g_reading;
}

void scan_ended() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_reading > 0 && --g_reading == 0) erase_locked();
}

bool wanted() { return g_wanted.load(std::memory_order_relaxed); }

void read(const std::string& path, uint64_t bytes, uint64_t position, uint64_t size) {
  if (!wanted()) return;
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_open == 0) return;  // the statement ended while this reader's thread was reading
  g_bytes += bytes;
  if (now - g_started < g_delay || g_reading == 0) return;
  if (g_drawn && now - g_last_draw < kRedraw) return;
  const double seconds = std::chrono::duration<double>(now - g_started).count();
  const double rate = seconds > 0 ? static_cast<double>(g_bytes) / seconds : 0;
  // One column short of the width: a line that fills the last column wraps on some
  // terminals, and "\r" would then go back to the wrong line.
  const size_t width = terminal_width();
  write_all("\r" + line(path, position, size, rate, width > 1 ? width - 1 : width) + "\033[K\r");
  g_drawn = true;
  g_last_draw = now;
}

std::string line(const std::string& path, uint64_t position, uint64_t size, double bytes_per_second,
                 size_t width) {
  std::string tail = "  " + amount(static_cast<double>(position));
  if (size > 0) {
    const unsigned percent = static_cast<unsigned>(std::min<uint64_t>(100, position * 100 / size));
    tail += " of " + amount(static_cast<double>(size)) + " (" + std::to_string(percent) + "%)";
  }
  tail += "  " + amount(bytes_per_second) + "/s";
  const std::string head = "sqlhunt: ";
  // A file name is text from the evidence: control characters (an escape sequence
  // in a name would drive the terminal) are shown as '?'.
  std::string file = path;
  for (char& c : file)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  // The file's end says more than its start (the folder is the same for every file of
  // a glob): cut from the left, keeping at least its last 8 bytes.
  const size_t fixed = head.size() + tail.size();
  const size_t room = width > fixed ? width - fixed : 0;
  if (file.size() > room) {
    const size_t keep = room > 3 ? room - 3 : 0;
    file = "..." + file.substr(file.size() - std::max<size_t>(keep, std::min<size_t>(8, file.size())));
    // Never cut inside a UTF-8 character: skip continuation bytes after the dots.
    size_t i = 3;
    while (i < file.size() && (static_cast<unsigned char>(file[i]) & 0xC0) == 0x80) ++i;
    file.erase(3, i - 3);
  }
  std::string out = head + file + tail;
  if (out.size() > width) {  // a terminal narrower than the numbers
    out.resize(width);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
  }
  return out;
}

}  // namespace sqlhunt::progress
