// bench/ioc_scanner_bench.cpp — the IoC scanner alone, on one core, over a file.
//
//   build/bench/ioc_scanner_bench FILE [REPEAT]
//
// Reads FILE into memory, then runs ioc::extract() over it line by line (the way
// extract_iocs() meets a column value) REPEAT times (default 3) and prints the best
// run's wall and CPU time as MB/s (1 MB = 10^6 bytes) with the number of indicators.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/ioc/ioc.h"

using namespace sqlhunt;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [REPEAT]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

  // Wall time and this process's CPU time (user + sys), best of the runs each: on a
  // shared machine the CPU time is what the scan costs, the wall time what it waited.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
  };
  double best = 1e30, best_cpu = 1e30;
  std::vector<ioc::Match> found;
  size_t total = 0;
  for (int r = 0; r < repeat; ++r) {
    found.clear();
    total = 0;
    std::map<ioc::Type, size_t> counts;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_now();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      found.clear();
      ioc::extract(std::string_view(text).substr(pos, nl - pos), found);
      total += found.size();
      pos = nl + 1;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, secs);
    best_cpu = std::min(best_cpu, cpu_now() - c0);
  }
  std::printf("scanner (C++, one core, per line): %.1f MB in %.3f s = %.1f MB/s, CPU %.3f s = %.1f MB/s, %zu indicators\n",
              text.size() / 1e6, best, text.size() / 1e6 / best, best_cpu, text.size() / 1e6 / best_cpu, total);
  return 0;
}
