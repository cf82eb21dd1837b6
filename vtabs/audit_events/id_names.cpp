#include "vtabs/audit_events/id_names.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

#include "core/error.h"
#include "core/file_kind.h"
#include "core/file_source.h"

namespace sqlhunt::audit {
namespace {

constexpr uint64_t kMaxFileBytes = 64u << 20;

struct Cached {
  std::tuple<uint64_t, int64_t, int64_t, uint64_t> stamp;  // size, mtime s, mtime ns, inode
  std::shared_ptr<const IdNames> names;
};

std::mutex& cache_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, Cached>& cache() {
  static auto* c = new std::map<std::string, Cached>;
  return *c;
}

}  // namespace

void IdNames::add_line(std::string_view line) {
  if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') return;
  const size_t c1 = line.find(':');
  if (c1 == 0 || c1 == std::string_view::npos) return;
  const size_t c2 = line.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return;
  size_t c3 = line.find(':', c2 + 1);
  if (c3 == std::string_view::npos) c3 = line.size();
  const std::string_view id_text = line.substr(c2 + 1, c3 - c2 - 1);
  uint32_t id = 0;
  const auto r = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (r.ec != std::errc() || r.ptr != id_text.data() + id_text.size() || id_text.empty()) return;
  names_.emplace(id, std::string(line.substr(0, c1)));  // the first line of an id wins
}

std::shared_ptr<const IdNames> IdNames::parse(std::string_view text) {
  auto names = std::make_shared<IdNames>();
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    names->add_line(line);
    pos = nl + 1;
  }
  return names;
}

std::shared_ptr<const IdNames> IdNames::load(const std::string& path, const std::string& setting) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw Error(setting + ": cannot open '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw Error(setting + ": '" + path + "' is not a regular file");
  if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes)
    throw Error(setting + ": '" + path + "' is over 64 MB: not a passwd or group file");
  const auto stamp = std::make_tuple(static_cast<uint64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec),
                                     static_cast<int64_t>(st.st_mtim.tv_nsec), static_cast<uint64_t>(st.st_ino));
  {
    std::lock_guard<std::mutex> lock(cache_mutex());
    auto it = cache().find(path);
    if (it != cache().end() && it->second.stamp == stamp) return it->second.names;
  }
  auto names = std::make_shared<IdNames>();
  try {
    files::check(path, setting.c_str(), {});  // an .evtx or a database is named, not read as no names
    files::LineReader reader(path, /*max_line=*/1u << 20, /*buffer_size=*/64u << 10);
    files::Line line;
    uint64_t bytes = 0;
    while (reader.next(line)) {
      bytes += line.text.size() + 1;
      if (bytes > kMaxFileBytes + 1) throw Error("'" + path + "' grew past 64 MB while read");
      if (!line.overlong) names->add_line(line.text);
    }
    if (!reader.error().empty()) throw Error(reader.error());
  } catch (const Error& e) {
    throw Error(setting + ": " + e.what());
  }
  std::lock_guard<std::mutex> lock(cache_mutex());
  if (cache().size() > 64) cache().clear();  // a bound, not a policy: a case has a few files
  cache()[path] = Cached{stamp, names};
  return names;
}

std::optional<std::string_view> IdNames::name(int64_t id) const {
  if (id < 0 || id > UINT32_MAX) return std::nullopt;
  auto it = names_.find(static_cast<uint32_t>(id));
  if (it == names_.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace sqlhunt::audit
