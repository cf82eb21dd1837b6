#include "core/vtab_stored.h"

#include <cctype>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "core/error.h"
#include "core/file_policy.h"
#include "core/vtab.h"

namespace sqlhunt::vtab::stored {
namespace {

constexpr const char* kSuffix = "sqlhunt_args";

// Tables this process created, by connection, schema and name: reconnected freely
// (SQLite reconnects every virtual table after any schema change).
using Key = std::tuple<const sqlite3*, std::string, std::string>;
std::set<Key>& created() {
  static std::set<Key> s;
  return s;
}
std::mutex& created_mutex() {
  static std::mutex m;
  return m;
}

std::string shadow(const char* schema, const char* table) {
  char* q = sqlite3_mprintf("\"%w\".\"%w_%s\"", schema, table, kSuffix);
  std::string out = q ? q : "";
  sqlite3_free(q);
  return out;
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw Error("cannot keep the table's arguments: " + m);
  }
}

}  // namespace

bool creating(sqlite3* db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) {
    if (!sqlite3_stmt_busy(s)) continue;
    const char* sql = sqlite3_sql(s);
    if (!sql) continue;
    // Skip blanks and comments, then "CREATE VIRTUAL TABLE", any case and spacing.
    std::string words;
    for (const char* p = sql; *p && words.size() < 32;) {
      if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n') ++p;
      } else if (p[0] == '/' && p[1] == '*') {
        const char* e = std::strstr(p + 2, "*/");
        p = e ? e + 2 : p + std::strlen(p);
      } else if (std::isspace(static_cast<unsigned char>(*p))) {
        if (!words.empty() && words.back() != ' ') words += ' ';
        ++p;
      } else {
        words += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
        ++p;
      }
    }
    if (words.rfind("create virtual table", 0) == 0) return true;
  }
  return false;
}

void on_create(sqlite3* db, const TableSpec& spec, const char* schema, const char* table, Params& params) {
  bool any = false;
  for (int i = 0; i < spec.column_count; ++i) {
    const Column& c = spec.columns[i];
    if (!(c.flags & kPath)) continue;
    auto it = params.find(c.name);
    if (it == params.end()) continue;
    it->second = files::absolute(it->second);
    any = true;
  }
  if (any) {
    const std::string t = shadow(schema, table);
    exec(db, "CREATE TABLE " + t + "(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID");
    for (const auto& [name, value] : params) {
      char* sql = sqlite3_mprintf("INSERT INTO %s VALUES(%Q, %Q)", t.c_str(), name.c_str(), value.c_str());
      const std::string s = sql ? sql : "";
      sqlite3_free(sql);
      exec(db, s);
    }
  }
  std::lock_guard<std::mutex> lock(created_mutex());
  created().insert({db, schema, table});
}

void keep_learned(sqlite3* db, const char* schema, const char* table, const Params& learned) {
  if (learned.empty()) return;
  const std::string t = shadow(schema, table);
  exec(db, "CREATE TABLE IF NOT EXISTS " + t + "(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID");
  for (const auto& [name, value] : learned) {
    char* sql = sqlite3_mprintf("INSERT OR REPLACE INTO %s VALUES(%Q, %Q)", t.c_str(), name.c_str(), value.c_str());
    const std::string s = sql ? sql : "";
    sqlite3_free(sql);
    exec(db, s);
  }
}

bool on_connect(sqlite3* db, const TableSpec& spec, const char* schema, const char* table, Params& params) {
  // The arguments as they were when the table was created (absolute paths).
  sqlite3_stmt* st = nullptr;
  const std::string sql = "SELECT name, value FROM " + shadow(schema, table);
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* n = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
      if (n && v) params[n] = v;
    }
  }
  sqlite3_finalize(st);  // no shadow table: a table created before paths were kept
  std::lock_guard<std::mutex> lock(created_mutex());
  return spec.trust == Trust::kDirectOnly && !created().count({db, schema, table});
}

void check_reads(const TableSpec& spec, const char* table, const Params& params) {
  for (int i = 0; i < spec.column_count; ++i) {
    const Column& c = spec.columns[i];
    if (!(c.flags & kPath)) continue;
    auto it = params.find(c.name);
    if (it == params.end() || files::stored_table_allowed(it->second)) continue;
    throw Error("table \"" + std::string(table) + "\" of this database reads '" + it->second +
                "': a file-reading table stored in a database is not read by default (a database "
                "someone else wrote could name any file); to read it, sqlhunt_config('files.stored_tables', 1) "
                "or put its folder in SQLHUNT_FILES_ALLOW");
  }
}

void on_destroy(sqlite3* db, const char* schema, const char* table) {
  char* err = nullptr;
  sqlite3_exec(db, ("DROP TABLE IF EXISTS " + shadow(schema, table)).c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  std::lock_guard<std::mutex> lock(created_mutex());
  created().erase({db, schema, table});
}

int on_rename(sqlite3* db, const char* schema, const char* from, const char* to) {
  char* sql = sqlite3_mprintf("ALTER TABLE %s RENAME TO \"%w_%s\"", shadow(schema, from).c_str(), to, kSuffix);
  sqlite3_stmt* probe = nullptr;
  int rc = SQLITE_OK;
  // Only when there is a shadow table to rename.
  if (sqlite3_prepare_v2(db, ("SELECT 1 FROM " + shadow(schema, from)).c_str(), -1, &probe, nullptr) == SQLITE_OK) {
    sqlite3_finalize(probe);
    rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  } else {
    sqlite3_finalize(probe);
  }
  sqlite3_free(sql);
  std::lock_guard<std::mutex> lock(created_mutex());
  if (created().erase({db, schema, from})) created().insert({db, schema, to});
  return rc;
}

int is_shadow_name(const char* suffix) { return std::string(suffix) == kSuffix; }

}  // namespace sqlhunt::vtab::stored
