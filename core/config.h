// core/config.h — sqlhunt's settings: read from the environment and from
// sqlhunt_config(name, value) for the session. The mechanism lives here; the settings
// themselves are declared by the module that reads them, where it lives:
//
//   static const config::Registration kSettings({
//       {"rdap.rate", "SQLHUNT_RDAP_RATE", "60", config::Kind::kNumber, true, 0, 100000,
//        "RDAP requests a minute; 0 for no limit."},
//   });
//
// so a new table adds its settings without touching core. Every setting has a key
// (`virustotal.key`), an environment variable (`SQLHUNT_VIRUSTOTAL_KEY`), a default, a
// kind, and:
//   sql      sqlhunt_config() may set it. Base URLs are environment-only: SQL that
//            someone else wrote must never send a key to a host of its choosing.
//   kSecret  an API key: its value is never returned, logged, cached or put in an
//            error; sqlhunt_config(key) answers 'set' or NULL for it.
//   kNumber  a number in [min, max] (seconds, counts, requests a minute): anything else
//            is refused when set, and is an error naming the setting when read from the
//            environment.
// A value set with sqlhunt_config() wins over the environment for the rest of the
// process (every connection of it); sqlhunt_config(key, NULL) forgets it again.
// `SELECT * FROM sqlhunt_settings` lists every registered setting, and a test checks
// that docs/config.md's table is exactly that list.
//
// Everything here is thread-safe (the HTTP workers read settings while SQL sets them).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::config {

enum class Kind {
  kText,    // any text
  kPath,    // a file, folder or glob ("${DATA}" and "${CACHE}" expand, see below)
  kUrl,     // a base URL
  kSecret,  // an API key
  kNumber,  // a number in [min, max]
  kFlag,    // 0 or 1 (also off/on, false/true, no/yes)
};
const char* kind_name(Kind kind);

struct Setting {
  const char* key;
  const char* env;
  const char* default_value;  // "" = unset; "${DATA}" / "${CACHE}" expand (see below)
  Kind kind;
  bool sql;                   // sqlhunt_config() may set it
  double min, max;            // kNumber only
  const char* doc;
  // Refuses a value SQL may not set (throws sqlhunt::Error with the reason); called by
  // set() before the value is kept. nullptr: any value of the kind.
  void (*check)(std::string_view value) = nullptr;
};

// Declares settings; a static object in the module that reads them. A key registered
// twice with different properties aborts at load time (a bug in our code).
class Registration {
 public:
  Registration(std::initializer_list<Setting> settings);
};

// Every registered setting, ordered by key.
std::vector<Setting> settings();
const Setting* find(std::string_view key);

// The value in force: the session value, else the environment, else the default.
// nullopt when none is set (or the value is empty). Throws sqlhunt::Error for an
// unknown key (a typo in our code, not in the user's).
std::optional<std::string> get(std::string_view key);
// The same, as a number (kNumber: seconds, counts, requests a minute; kFlag: 0 or 1).
// A value that is not a number in the setting's range is an error that names the
// setting, where the value came from and the range.
double get_number(std::string_view key);
// A kFlag setting as a bool.
bool get_flag(std::string_view key);

// The default of `key`, expanded ("${DATA}", "${CACHE}"); nullopt when it has none.
std::optional<std::string> default_of(std::string_view key);

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
