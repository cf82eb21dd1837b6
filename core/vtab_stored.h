// core/vtab_stored.h — tables saved in a database with CREATE VIRTUAL TABLE.
//
//   CREATE VIRTUAL TABLE case_audit USING audit_events(path='case/audit.log*');
//
// Two things make such a table safe to keep and to open again:
//   * Paths are stored absolute, and what a table learned when it was made is kept. SQLite keeps the CREATE statement as written, so the
//     arguments of kPath columns are made absolute (against the current directory) when
//     the table is created and kept in a shadow table "<table>_sqlhunt_args"(name,
//     value); a later connection reads them from there. The database then works when it
//     is opened from another folder. A table that learned something when it was made (a
//     remote query's result columns) keeps it there too, so reopening the database
//     sends nothing.
//   * A file-reading table that a database names is not reconnected blindly: opened
//     later (a new connection), it reads only paths inside the allow-list
//     (SQLHUNT_FILES_ALLOW), or any path once the user says so with
//     sqlhunt_config('files.stored_tables', 1) — a database someone else wrote could
//     otherwise read /etc/passwd or block on a FIFO the moment a table is queried
//     (core/file_policy.h). Tables created by this process are always reconnected.
#pragma once

#include "core/params.h"
#include "core/sqlite.h"

namespace sqlhunt::vtab {

struct TableSpec;

namespace stored {

// Is the connection running CREATE VIRTUAL TABLE? (xCreate and xConnect are one
// function in an eponymous module; this tells them apart. xCreate runs while the
// statement steps, so its text is known.)
bool creating(sqlite3* db);
// xCreate: makes the kPath arguments of `params` absolute and keeps them.
void on_create(sqlite3* db, const TableSpec& spec, const char* schema, const char* table, Params& params);
// xCreate, after the table is made: keeps what it learned (Table::learned()) with its
// arguments, so on_connect hands it back.
void keep_learned(sqlite3* db, const char* schema, const char* table, const Params& learned);
// xConnect of a table a database holds (not an eponymous use): `params` from the shadow
// table where there is one. True when the table was not created by this process, so
// its reads must pass check_reads() (connecting alone reads nothing: DROP TABLE and
// PRAGMA table_info work on any stored table).
bool on_connect(sqlite3* db, const TableSpec& spec, const char* schema, const char* table, Params& params);
// Before such a table reads: throws sqlhunt::Error unless every path it names may be
// read by a stored table (core/file_policy.h).
void check_reads(const TableSpec& spec, const char* table, const Params& params);
// xDestroy / xRename: the shadow table follows the table.
void on_destroy(sqlite3* db, const char* schema, const char* table);
int on_rename(sqlite3* db, const char* schema, const char* from, const char* to);
// xShadowName: "sqlhunt_args" is ours (SQLite then protects it in defensive mode).
int is_shadow_name(const char* suffix);

}  // namespace stored
}  // namespace sqlhunt::vtab
