// extension/registry.h — registers everything sqlhunt adds to a connection.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {

// Registers every table and function in the list in registry.cpp. On failure returns
// the SQLite code and sets *err to a message naming what failed (sqlite3_malloc'd).
int register_all(sqlite3* db, char** err);

}  // namespace sqlhunt
