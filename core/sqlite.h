// core/sqlite.h — the SQLite API as a loadable extension sees it.
//
// Every adapter includes this instead of <sqlite3.h>: inside a loadable extension
// SQLite's functions are reached through the sqlite3_api table that the host passes to
// sqlite3_sqlhunt_init (extension/sqlhunt.cpp defines it with SQLITE_EXTENSION_INIT1).
// Parsers and readers never include this file; that is what keeps them testable,
// fuzzable and benchmarkable without SQLite.
#pragma once

#include <sqlite3ext.h>

SQLITE_EXTENSION_INIT3
