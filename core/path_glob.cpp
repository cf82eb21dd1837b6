#include "core/path_glob.h"

#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>

#include <cstring>

#include "core/error.h"
#include "core/file_policy.h"
#include "core/interrupt.h"

namespace sqlhunt::files {
namespace {

// Where the first segment that is exactly "**" starts, or npos.
size_t globstar_at(const std::string& p) {
  for (size_t i = p.find("**"); i != std::string::npos; i = p.find("**", i + 1)) {
    const bool starts = i == 0 || p[i - 1] == '/';
    const bool ends = i + 2 == p.size() || p[i + 2] == '/';
    if (starts && ends) return i;
  }
  return std::string::npos;
}

// `dir` (a path, "" for the current directory) and a name or pattern below it.
std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// A directory name taken literally inside a pattern: a '[' or '*' in it is no glob.
std::string escaped(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// glob(3): the paths `pattern` matches, each directory marked with a trailing '/'.
std::vector<std::string> plain_glob(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g;
  std::memset(&g, 0, sizeof g);
  const int rc = ::glob(pattern.c_str(), GLOB_MARK, nullptr, &g);
  if (rc == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH)
    throw Error("cannot expand '" + pattern + "'" + (rc == GLOB_NOSPACE ? ": out of memory" : ": read error"));
  return out;
}

using WalkLimit = std::function<bool(const std::string& dir)>;

// `dir` and every directory below it, depth first; names starting with '.', symbolic
// links, and folders `may_enter` refuses (the allow-list) are not entered.
void each_directory(const std::string& dir, const WalkLimit& may_enter, std::vector<std::string>& out) {
  if (interrupt::requested()) throw Error("interrupted");
  if (!may_enter(dir.empty() ? "." : dir)) return;
  out.push_back(dir);
  DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
  if (!d) return;  // unreadable below a readable root: glob(3) passes over it too
  std::vector<std::string> subs;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    bool is_dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      is_dir = ::lstat(join(dir, e->d_name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    }
    if (is_dir) subs.push_back(join(dir, e->d_name));
  }
  ::closedir(d);
  for (const auto& s : subs) each_directory(s, may_enter, out);
}

void glob_into(const std::string& pattern, const WalkLimit& may_enter, std::vector<std::string>& out) {
  const size_t at = globstar_at(pattern);
  if (at == std::string::npos) {
    for (auto& p : plain_glob(pattern))
      if (p.back() != '/') out.push_back(std::move(p));
    return;
  }
  // "head/**/rest": every directory the head names, and every one below each, with
  // "rest" (which may hold another "**") matched in it; "head/**" is "head/**/*".
  const std::string head = pattern.substr(0, at);
  std::string rest = at + 3 <= pattern.size() ? pattern.substr(at + 3) : "";
  if (rest.empty()) rest = "*";
  std::vector<std::string> roots;
  if (head.empty()) {
    roots.push_back("");
  } else {
    for (auto& p : plain_glob(head))  // "a/b*/" matches directories only, marked
      if (p.back() == '/') roots.push_back(p.size() > 1 ? p.substr(0, p.size() - 1) : p);
  }
  std::vector<std::string> dirs;
  for (const auto& r : roots) each_directory(r, may_enter, dirs);
  for (const auto& d : dirs) glob_into(join(escaped(d), rest), may_enter, out);
}

}  // namespace

void glob_files(const std::string& pattern, std::vector<std::string>& out) {
  // The allow-list is resolved only for a walk: a plain glob needs no limit.
  glob_into(pattern, globstar_at(pattern) == std::string::npos ? WalkLimit() : walk_limit(), out);
}

}  // namespace sqlhunt::files
