// core/cache.h — the persistent cache of remote answers, in an SQLite file.
//
// One file (setting cache.path, default $XDG_CACHE_HOME/sqlhunt/cache.db; 'off' for
// none) with one table:
//   entries(source, key, status, value, fetched, expires)  PRIMARY KEY (source, key)
// `source` is a provider (virustotal, rdap, ...), `key` what was asked (an IP, a hash),
// `value` the provider's parsed answer as JSON. Negative answers (not found) are
// entries like any other; transient failures (timeouts, 5xx, quota) are never stored.
// Nothing that holds a key is ever written: callers store parsed answers and server
// bodies only, and put() runs every value through config::redact() besides.
//
// Two processes may share the file: it is opened in WAL mode with a busy timeout of
// 5 s, and every write is one short transaction. A cache that cannot be opened or
// written is not an error for the query: lookups just go to the network (and the
// row's status says the cache failed).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sqlhunt::cache {

struct Entry {
  std::string status;  // the provider's status: ok, not_found
  std::string value;   // JSON
  double fetched = 0;  // epoch seconds
};

class Cache {
 public:
  // The cache for the current cache.path setting (opened once per path and kept);
  // nullptr when it is 'off'. Throws sqlhunt::Error when the file cannot be opened.
  static std::shared_ptr<Cache> current();

  // `create_folders`: make the file's folders when they are missing (the default path
  // only); otherwise a missing folder is an error.
  Cache(const std::string& path, bool create_folders);
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // The unexpired entry of `source` for each of `keys`, in the same order.
  std::vector<std::optional<Entry>> get(const std::string& source, const std::vector<std::string>& keys);
  void put(const std::string& source, const std::string& key, const Entry& e, double ttl_seconds);
  // Deletes every entry (or every entry of `source`); returns how many.
  long long clear(const std::optional<std::string>& source);
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

double now_epoch();

}  // namespace sqlhunt::cache
