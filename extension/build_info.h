// extension/build_info.h — sqlhunt_version() and sqlhunt_debug().
//
//   sqlhunt_version() -> '0.1.0'
//   sqlhunt_debug()   -> JSON: version, git commit, build type, compiler, SQLite
//                        (compiled against and running), library versions, options
//
// Tests read sqlhunt_debug() to skip what a build does not have
// (json_extract(sqlhunt_debug(), '$.options.network')).
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_build_info(sqlite3* db);
}
