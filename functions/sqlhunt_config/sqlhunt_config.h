// functions/sqlhunt_config — settings and the cache, from SQL.
//
//   sqlhunt_config(name)          -> TEXT   the value in force; 'set' for a key that is
//                                           set (never its value); NULL when unset
//   sqlhunt_config(name, value)   -> TEXT   sets it for the rest of the process (all
//                                           connections); NULL value forgets it again.
//                                           Returns what sqlhunt_config(name) now says
//   sqlhunt_cache_clear()         -> INTEGER  deletes every cached remote answer;
//                                             returns how many
//   sqlhunt_cache_clear(source)   -> INTEGER  only those of one provider ('virustotal')
//   SELECT * FROM sqlhunt_settings            every setting a module registered: key,
//                                             env, default_value, kind, sql, min, max,
//                                             value (as sqlhunt_config(key) shows it), doc
//
// Errors: an unknown setting (naming the closest one), a setting SQL may not set (base
// URLs: environment only, so SQL from someone else cannot send a key elsewhere), a
// number setting given something else, an unusable cache file. Every setting, its
// environment variable and default: docs/config.md.
// Direct-only: a view or trigger cannot change settings, clear the cache or read the
// values in force.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_sqlhunt_config(sqlite3* db);
}
