// extension/sqlhunt.cpp — the entry point SQLite calls when the extension is loaded:
//
//   sqlite3> .load ./build/sqlhunt
//   python>  conn.load_extension("./build/sqlhunt")
//
// SQLite derives the entry point's name from the file name (sqlhunt.so ->
// sqlite3_sqlhunt_init). This is the only symbol the library exports.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "core/interrupt.h"
#include "extension/registry.h"

extern "C" __attribute__((visibility("default"))) int sqlite3_sqlhunt_init(
    sqlite3* db, char** err, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  sqlhunt::interrupt::install();  // Ctrl-C reaches reads and waits (core/interrupt.h)
  return sqlhunt::register_all(db, err);
}
