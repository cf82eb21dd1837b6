#include "core/io_stats.h"

#include <mutex>

namespace sqlhunt::files::io {
namespace {

struct Registry {
  std::mutex mu;
  // Few files per investigation: a vector in first-opened order, searched linearly on
  // open only (never per read).
  std::vector<std::pair<std::string, std::shared_ptr<Counters>>> files;
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: readers may outlive static teardown
  return *r;
}

}  // namespace

std::shared_ptr<Counters> counters_for(const std::string& path) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (auto& [p, c] : r.files)
    if (p == path) return c;
  r.files.emplace_back(path, std::make_shared<Counters>());
  return r.files.back().second;
}

std::vector<FileIo> snapshot() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<FileIo> out;
  for (auto& [p, c] : r.files) {
    FileIo f{p, c->size.load(), c->bytes_read.load(), c->reads.load(), c->seeks.load(), c->opens.load()};
    if (f.bytes_read || f.reads || f.seeks || f.opens) out.push_back(std::move(f));
  }
  return out;
}

void reset() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::pair<std::string, std::shared_ptr<Counters>>> kept;
  for (auto& [p, c] : r.files) {
    c->bytes_read = 0;
    c->reads = 0;
    c->seeks = 0;
    c->opens = 0;
    // Forget files no reader holds open, so the list stays as small as the work.
    if (c.use_count() > 1) kept.emplace_back(std::move(p), std::move(c));
  }
  r.files.swap(kept);
}

}  // namespace sqlhunt::files::io
