// core/sql_function.h — small helpers for scalar SQL functions.
//
// Function adapters stay thin: read arguments, call the pure C++ code, set the result.
// These helpers make the common parts one line each and keep C++ exceptions out of
// SQLite (guard() turns any exception into an SQL error).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/sqlite.h"

namespace sqlhunt::sqlfn {

// Flags for functions of their arguments alone: usable in indexes, generated columns,
// CHECK constraints, and from views and triggers of any schema.
inline constexpr int kPure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
// Flags for functions that read files or the network: only from top-level SQL, never
// from a schema (a view or trigger someone else wrote could otherwise make us reach out).
inline constexpr int kDirectOnly = SQLITE_UTF8 | SQLITE_DIRECTONLY;

inline std::string_view text_arg(sqlite3_value* v) {
  const auto* t = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return t ? std::string_view(t, static_cast<size_t>(sqlite3_value_bytes(v))) : std::string_view();
}

// Every TEXT value sqlhunt returns is valid UTF-8, as SQLite's TEXT promises its
// readers (Python's driver fails on a whole result otherwise): result_text() replaces
// bytes that are not with U+FFFD (an ASCII run costs a word-at-a-time check).
// result_text_valid() is for text already known to be valid (JSON built by
// core/json_text, literals, text checked before).
void result_text(sqlite3_context* ctx, std::string_view s);
inline void result_text_valid(sqlite3_context* ctx, std::string_view s) {
  sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
// NULL when the value is absent.
void result_opt(sqlite3_context* ctx, const std::optional<std::string>& v);
void result_opt(sqlite3_context* ctx, const std::optional<std::string_view>& v);
void result_opt(sqlite3_context* ctx, const std::optional<int64_t>& v);
void result_opt(sqlite3_context* ctx, const std::optional<double>& v);

// result_text_z(): result_text_valid() for text that will be read as text
// (sqlite3_column_text, length(), the shell printing it): SQLite (3.40) gives such a
// value a NUL terminator then, and for a value set with its length it reallocates the
// value's buffer to do so (vdbeMemAddTerminator). result_text() uses it. Handed over NUL-terminated (length -1), the text is copied
// with its terminator and never reallocated; in a column scan the reallocation cost a
// fifth of the query's CPU. Text that holds a NUL byte is set with its length.
// `scratch` holds the terminated copy (a buffer the caller keeps, so no allocation per
// value); text that is already a std::string is passed as is.
inline void result_text_z(sqlite3_context* ctx, std::string_view s, std::string& scratch) {
  if (s.empty()) return sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
  if (s.size() > 0x7fffffff || std::memchr(s.data(), 0, s.size())) return result_text_valid(ctx, s);
  scratch.assign(s);
  sqlite3_result_text(ctx, scratch.c_str(), -1, SQLITE_TRANSIENT);
}
inline void result_text_z(sqlite3_context* ctx, const std::string& s) {
  if (s.empty()) return sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
  if (s.size() > 0x7fffffff || std::memchr(s.data(), 0, s.size())) return result_text_valid(ctx, s);
  sqlite3_result_text(ctx, s.c_str(), -1, SQLITE_TRANSIENT);
}

// What an error message may show: cut to a screenful (it may quote a 10 MB argument)
// and valid UTF-8 (it may quote bytes of a log). Every error sqlhunt raises goes
// through it: result_error() here, the vtab base's messages in core/vtab.cpp.
std::string safe_message(std::string_view msg);
void result_error(sqlite3_context* ctx, const std::string& msg);

// Runs `body` and reports any exception as an SQL error.
template <class F>
void guard(sqlite3_context* ctx, F&& body) {
  try {
    body();
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (const std::exception& e) {
    result_error(ctx, e.what());
  }
}

}  // namespace sqlhunt::sqlfn
