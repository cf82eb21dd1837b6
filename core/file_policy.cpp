#include "core/file_policy.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/error.h"

namespace sqlhunt::files {
namespace {

void only_narrows(std::string_view value);

const config::Registration kSettings({
    {"files.allow", "SQLHUNT_FILES_ALLOW", "", config::Kind::kPath, true, 0, 0,
     "Folders sqlhunt may read, separated by ':' ('' = any). From SQL it may only be narrowed to folders inside the environment's list.",
     only_narrows},
    {"files.special", "SQLHUNT_FILES_SPECIAL", "0", config::Kind::kFlag, true, 0, 0,
     "1: read FIFOs, devices and sockets too (by default only regular files are read)."},
    {"files.stored_tables", "SQLHUNT_FILES_STORED_TABLES", "0", config::Kind::kFlag, true, 0, 0,
     "1: reconnect file-reading tables stored in a database whatever paths they name (by default only inside files.allow)."},
});

std::vector<std::string> split_folders(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t colon = list.find(':', start);
    const std::string_view part = list.substr(start, colon == std::string_view::npos ? list.npos : colon - start);
    if (!part.empty()) out.emplace_back(part);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return out;
}

// The real path of `path`, or of its longest existing prefix with the rest appended
// (a file not created yet, a glob's pattern part).
std::string resolved(const std::string& path) {
  const std::string abs = absolute(path);
  std::string head = abs, tail;
  while (!head.empty()) {
    char buf[PATH_MAX];
    if (::realpath(head.c_str(), buf)) return std::string(buf) + tail;
    const size_t slash = head.rfind('/');
    if (slash == std::string::npos || head == "/") break;
    tail = head.substr(slash) + tail;
    head = slash == 0 ? "/" : head.substr(0, slash);
  }
  return abs;
}

bool inside(const std::string& path, const std::string& folder) {
  if (folder == "/") return true;
  return path == folder || (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
                            path[folder.size()] == '/');
}

// The folders in force, resolved: the environment's, narrowed by the session's.
std::vector<std::string> allowed_folders(bool* any) {
  *any = false;
  std::vector<std::string> env, out;
  if (const char* e = std::getenv("SQLHUNT_FILES_ALLOW"); e && *e)
    for (const auto& f : split_folders(e)) env.push_back(resolved(f));
  const auto v = config::get("files.allow");  // the session's value, else the environment's
  if (!v) {
    *any = env.empty();
    return env;
  }
  for (const auto& f : split_folders(*v)) {
    const std::string r = resolved(f);
    bool ok = env.empty();
    for (const auto& e2 : env) ok |= inside(r, e2);
    if (ok) out.push_back(r);  // a folder outside the environment's list widens nothing
  }
  if (out.empty() && env.empty()) *any = true;
  return out;
}

// sqlhunt_config('files.allow', ...) narrows the environment's list, never widens it:
// SQL someone else wrote must not open folders the analyst closed.
void only_narrows(std::string_view value) {
  const char* e = std::getenv("SQLHUNT_FILES_ALLOW");
  const auto folders = split_folders(value);
  if (folders.empty() && e && *e)
    throw Error("sqlhunt_config: files.allow may only narrow SQLHUNT_FILES_ALLOW, and '' would allow every folder");
  if (!e || !*e) return;
  std::vector<std::string> env;
  for (const auto& f : split_folders(e)) env.push_back(resolved(f));
  for (const auto& f : folders) {
    const std::string r = resolved(f);
    bool ok = false;
    for (const auto& g : env) ok |= inside(r, g);
    if (!ok)
      throw Error("sqlhunt_config: files.allow may only narrow SQLHUNT_FILES_ALLOW: '" + f + "' is outside it");
  }
}

}  // namespace

std::string absolute(const std::string& path) {
  std::string p = path;
  if (p.empty() || p[0] != '/') {
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) throw Error("cannot tell the current directory to resolve '" + path + "'");
    p = std::string(cwd) + "/" + p;
  }
  // Lexical normalisation: ".", "..", "//".
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    const std::string seg = p.substr(i, j - i);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& s : parts) out += "/" + s;
  return out.empty() ? "/" : out;
}

void check_allowed(const std::string& path) {
  bool any = false;
  const auto folders = allowed_folders(&any);
  if (any) return;
  const std::string r = resolved(path);
  for (const auto& f : folders)
    if (inside(r, f)) return;
  std::string list;
  for (const auto& f : folders) list += (list.empty() ? "" : ":") + f;
  throw Error("'" + path + "' is outside the folders sqlhunt may read (files.allow: " +
              (list.empty() ? std::string("none") : list) + ")" +
              (r != absolute(path) ? " once its links are followed (" + r + ")" : std::string()));
}

const char* special_kind(const struct stat& st) {
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode)) return "a character device";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  if (S_ISDIR(st.st_mode)) return "a directory";
  return "not a regular file";
}

void check_regular(const std::string& path, const struct stat& st) {
  if (S_ISREG(st.st_mode)) return;
  if (S_ISDIR(st.st_mode))
    throw Error("'" + path + "' is a directory: name the files in it, e.g. '" + path + "/*'");
  if (config::get_flag("files.special")) return;
  throw Error("'" + path + "' is " + special_kind(st) +
              ", not a regular file: sqlhunt reads regular files only (sqlhunt_config('files.special', 1) to read it)");
}

std::function<bool(const std::string& dir)> walk_limit() {
  bool any = false;
  auto folders = allowed_folders(&any);
  if (any) return [](const std::string&) { return true; };
  return [folders = std::move(folders)](const std::string& dir) {
    const std::string r = resolved(dir);
    for (const auto& f : folders)
      if (inside(r, f) || inside(f, r)) return true;
    return false;
  };
}

bool stored_table_allowed(const std::string& path) {
  if (config::get_flag("files.stored_tables")) return true;
  bool any = false;
  const auto folders = allowed_folders(&any);
  if (any) return false;  // no allow-list: nothing vouches for a path a database names
  const std::string r = resolved(path);
  for (const auto& f : folders)
    if (inside(r, f)) return true;
  return false;
}

}  // namespace sqlhunt::files
