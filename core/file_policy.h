// core/file_policy.h — which files sqlhunt may read, decided in one place.
//
// sqlhunt reads what SQL names, and SQL may come from someone else (a shared Datasette,
// a database handed over with its schema). Three rules, applied by every reader because
// they live where every file is opened (files::expand, files::ByteReader):
//
//   * Only regular files. A FIFO, a device (/dev/zero), a socket or a directory is
//     refused before anything blocks on it: "'x' is a FIFO, not a regular file". A
//     literal path of one is an error; one matched by a glob becomes a parse_error row
//     of that file. `files.special` (a flag) allows them for the analyst who means it.
//   * An optional allow-list of folders: SQLHUNT_FILES_ALLOW in the environment (':'
//     between folders). A path outside it is an error: "'x' is outside the folders
//     sqlhunt may read (files.allow)". Paths are resolved first (symlinks, `..`), so a
//     link out of an allowed folder is outside. From SQL, sqlhunt_config('files.allow',
//     ...) may only narrow it: each folder it names must lie inside the environment's
//     list (any folder, when the environment sets none).
//   * A file-reading table stored in a database (CREATE VIRTUAL TABLE t USING
//     audit_events(path='/etc/passwd') in a file someone else wrote) is not reconnected
//     when the database is opened later, unless every path it names is inside the
//     allow-list or `files.stored_tables` is on (core/vtab.cpp asks stored_table_allowed).
//     Tables this process created itself are always fine.
#pragma once

#include <functional>
#include <string>
#include <sys/stat.h>

namespace sqlhunt::files {

// Throws sqlhunt::Error when `path` may not be read under the allow-list. `path` need
// not exist (the resolved existing prefix is checked).
void check_allowed(const std::string& path);

// Throws sqlhunt::Error naming what `path` is when `st` is not a regular file and
// special files are not allowed.
void check_regular(const std::string& path, const struct stat& st);
// "a FIFO", "a character device", ... for a message.
const char* special_kind(const struct stat& st);

// The test a walk of folders ("**", core/path_glob.h) puts to each folder before it
// goes in: no allow-list, or the folder lies inside an allowed one or on the way to
// one, so a walk of '/**' visits the allowed folders only, not every folder's names.
// The folders in force are resolved once, when the test is made, not at every folder.
std::function<bool(const std::string& dir)> walk_limit();

// May a stored table naming `path` be reconnected? (allow-list or files.stored_tables)
bool stored_table_allowed(const std::string& path);

// `path` as an absolute path (relative ones against the current directory), lexically
// normalised ("a/./b/../c" -> "/cwd/a/c"); globs keep their pattern characters.
std::string absolute(const std::string& path);

}  // namespace sqlhunt::files
