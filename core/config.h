// core/config.h — sqlhunt's settings: one list, read from the environment and from
// sqlhunt_config(name, value) for the session.
//
// Every setting has a key (`virustotal.key`), an environment variable
// (`SQLHUNT_VIRUSTOTAL_KEY`), a default, and two properties:
//   sql      sqlhunt_config() may set it. Base URLs are environment-only: SQL that
//            someone else wrote must never send a key to a host of its choosing.
//   secret   an API key: its value is never returned, logged, cached or put in an
//            error; sqlhunt_config(key) answers 'set' or NULL for it.
// A value set with sqlhunt_config() wins over the environment for the rest of the
// process (every connection of it); sqlhunt_config(key, NULL) forgets it again.
// docs/config.md lists every setting; tests/unit/config_test.cpp checks that it does.
//
// Everything here is thread-safe (the HTTP workers read settings while SQL sets them).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::config {

struct Setting {
  const char* key;
  const char* env;
  const char* default_value;  // "" = unset; "${DATA}" / "${CACHE}" expand (see below)
  bool sql;
  bool secret;
  const char* doc;
};

// Every setting, in the order docs/config.md lists them.
const std::vector<Setting>& settings();
const Setting* find(std::string_view key);

// The value in force: the session value, else the environment, else the default.
// nullopt when none is set (or the value is empty). Throws sqlhunt::Error for an
// unknown key (a typo in our code, not in the user's).
std::optional<std::string> get(std::string_view key);
// The same, as a number (seconds, counts, requests a minute). A value that is not a
// number is an error that names the setting and where it came from.
double get_number(std::string_view key);

// Sets the session value (sqlhunt_config). Throws sqlhunt::Error: unknown key (with
// the closest known one), a key SQL may not set, a number setting given a non-number.
// `value` nullopt clears the session value.
void set(std::string_view key, std::optional<std::string> value);

// What sqlhunt_config(key) shows: the value, 'set' for a secret that is set, nullopt
// when unset. Never a secret's value.
std::optional<std::string> show(std::string_view key);

// Where sqlhunt keeps fetched data by default ($SQLHUNT_DATA_DIR, else the data/ folder
// of the source tree the extension was built from) and its cache
// ($XDG_CACHE_HOME/sqlhunt, else ~/.cache/sqlhunt).
std::string data_dir();
std::string cache_dir();

// Removes every secret's value (set or from the environment) from `text`: a last line
// of defence for error messages and logs built from server replies.
std::string redact(std::string text);

}  // namespace sqlhunt::config
