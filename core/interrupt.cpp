#include "core/interrupt.h"

#include <signal.h>

#include <atomic>
#include <mutex>

namespace sqlhunt::interrupt {
namespace {

std::atomic<int> g_open_scans{0};
std::atomic<bool> g_requested{false};
struct sigaction g_previous;

// Async-signal-safe: atomics and the previous handler only.
void on_sigint(int sig, siginfo_t* info, void* context) {
  if (g_open_scans.load(std::memory_order_relaxed) > 0) g_requested.store(true, std::memory_order_relaxed);
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN && g_previous.sa_handler) {
    g_previous.sa_handler(sig);
  }
}

}  // namespace

void install() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current;
    if (sigaction(SIGINT, nullptr, &current) != 0) return;
    const bool handled = (current.sa_flags & SA_SIGINFO) ? current.sa_sigaction != nullptr
                                                         : current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN;
    if (!handled) return;  // Ctrl-C ends the process: nothing to add
    g_previous = current;
    struct sigaction ours = current;
    ours.sa_sigaction = on_sigint;
    ours.sa_flags = (current.sa_flags | SA_SIGINFO) & ~SA_RESETHAND;
    sigaction(SIGINT, &ours, nullptr);
  });
}

bool requested() { return g_requested.load(std::memory_order_relaxed); }

void scan_opened() { g_open_scans.fetch_add(1, std::memory_order_relaxed); }

void scan_closed() {
  if (g_open_scans.fetch_sub(1, std::memory_order_relaxed) == 1) g_requested.store(false, std::memory_order_relaxed);
}

void raise_for_test() {
  if (g_open_scans.load() > 0) g_requested.store(true);
}

}  // namespace sqlhunt::interrupt
