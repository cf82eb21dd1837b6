#include "core/cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>

#include "core/config.h"
#include "core/error.h"
#include "core/sqlite.h"

namespace sqlhunt::cache {


const config::Registration kSettings({
    {"cache.path", "SQLHUNT_CACHE", "${CACHE}/cache.db", config::Kind::kPath, true, 0, 0,
     "The cache file (SQLite). 'off' keeps no cache."},
});
namespace {

void make_dirs(const std::string& file) {
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos || slash == 0) return;
  const std::string dir = file.substr(0, slash);
  for (size_t at = 1; at <= dir.size(); ++at) {
    if (at != dir.size() && dir[at] != '/') continue;
    const std::string part = dir.substr(0, at);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      throw Error("cache: cannot create directory '" + part + "': " + std::strerror(errno));
  }
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

}  // namespace

double now_epoch() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

struct Cache::Impl {
  sqlite3* db = nullptr;
  std::mutex m;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error("cache: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw Error(std::string("cache: ") + msg);
    }
  }
  void prepare(Stmt& st, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &st.s, nullptr) != SQLITE_OK) fail("cannot prepare");
  }
};

Cache::Cache(const std::string& path, bool create_folders) : path_(path), impl_(std::make_unique<Impl>()) {
  if (create_folders) {
    make_dirs(path);
  } else if (const size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    struct stat st;
    const std::string dir = path.substr(0, slash);
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw Error("cache: the folder of cache.path '" + path + "' does not exist (" + dir +
                  "): sqlhunt creates only its default cache folder");
  }
  const int rc = sqlite3_open_v2(path.c_str(), &impl_->db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw Error("cache: cannot open '" + path + "': " + msg);
  }
  try {
    sqlite3_busy_timeout(impl_->db, 5000);
    impl_->exec("PRAGMA journal_mode=WAL");
    impl_->exec("PRAGMA synchronous=NORMAL");
    impl_->exec(
        "CREATE TABLE IF NOT EXISTS entries("
        " source TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL, value TEXT NOT NULL,"
        " fetched REAL NOT NULL, expires REAL NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID");
  } catch (const Error& e) {
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw Error(std::string(e.what()) + " (cache file '" + path + "')");
  }
}

Cache::~Cache() {
  if (impl_ && impl_->db) sqlite3_close(impl_->db);
}

std::shared_ptr<Cache> Cache::current() {
  const auto path = config::get("cache.path");
  if (!path || *path == "off") return nullptr;
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<Cache>> open;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = open[*path];
  // Only the default folder (~/.cache/sqlhunt) is created: a path someone set with a
  // typo, or pointing somewhere odd, is an error rather than a new tree of folders.
  if (!slot) slot = std::make_shared<Cache>(*path, *path == config::default_of("cache.path"));
  return slot;
}

std::vector<std::optional<Entry>> Cache::get(const std::string& source, const std::vector<std::string>& keys) {
  std::lock_guard<std::mutex> lock(impl_->m);
  std::vector<std::optional<Entry>> out(keys.size());
  Stmt st;
  impl_->prepare(st, "SELECT status, value, fetched FROM entries WHERE source = ?1 AND key = ?2 AND expires > ?3");
  const double now = now_epoch();
  for (size_t i = 0; i < keys.size(); ++i) {
    sqlite3_reset(st.s);
    sqlite3_bind_text(st.s, 1, source.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st.s, 2, keys[i].c_str(), static_cast<int>(keys[i].size()), SQLITE_STATIC);
    sqlite3_bind_double(st.s, 3, now);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
      Entry e;
      e.status = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
      e.value = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 1));
      e.fetched = sqlite3_column_double(st.s, 2);
      out[i] = std::move(e);
    } else if (rc != SQLITE_DONE) {
      impl_->fail("cannot read '" + path_ + "'");
    }
  }
  return out;
}

void Cache::put(const std::string& source, const std::string& key, const Entry& e, double ttl_seconds) {
  if (ttl_seconds <= 0) return;
  const std::string value = config::redact(e.value);
  std::lock_guard<std::mutex> lock(impl_->m);
  Stmt st;
  impl_->prepare(st,
                 "INSERT OR REPLACE INTO entries(source, key, status, value, fetched, expires) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  sqlite3_bind_text(st.s, 1, source.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(st.s, 2, key.c_str(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(st.s, 3, e.status.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_text(st.s, 4, value.c_str(), static_cast<int>(value.size()), SQLITE_STATIC);
  sqlite3_bind_double(st.s, 5, e.fetched);
  sqlite3_bind_double(st.s, 6, e.fetched + ttl_seconds);
  if (sqlite3_step(st.s) != SQLITE_DONE) impl_->fail("cannot write '" + path_ + "'");
}

long long Cache::clear(const std::optional<std::string>& source) {
  std::lock_guard<std::mutex> lock(impl_->m);
  Stmt st;
  impl_->prepare(st, source ? "DELETE FROM entries WHERE source = ?1" : "DELETE FROM entries");
  if (source) sqlite3_bind_text(st.s, 1, source->c_str(), -1, SQLITE_STATIC);
  if (sqlite3_step(st.s) != SQLITE_DONE) impl_->fail("cannot clear '" + path_ + "'");
  return sqlite3_changes(impl_->db);
}

}  // namespace sqlhunt::cache
