// extension/build_info.h — sqlhunt_version() and sqlhunt_debug().
//
//   sqlhunt_version() -> '0.1.0'
//   sqlhunt_debug()   -> JSON: version, git commit, build type, compiler, SQLite
//                        (compiled against and running), library versions, options
//   sqlhunt_debug('io')       -> JSON: what the file readers read since the last
//                                reset, per file and in all (core/io_stats.h):
//                                {"bytes_read", "reads", "seeks", "opens",
//                                 "files": [{"path", "size", "bytes_read", ...}]}
//   sqlhunt_debug('io_reset') -> the same, then every count back to zero
// The counts are the process's (every connection). A test or a person checking that a
// window seeks: SELECT sqlhunt_debug('io_reset'); <the query>; SELECT sqlhunt_debug('io').
// DIRECTONLY (it names files read) and not deterministic.
//
// Tests read sqlhunt_debug() to skip what a build does not have
// (json_extract(sqlhunt_debug(), '$.options.network')).
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_build_info(sqlite3* db);
}
