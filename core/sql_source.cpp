#include "core/sql_source.h"

#include <strings.h>

#include "core/error.h"
#include "core/json_text.h"

namespace sqlhunt::sql {

// The start of a SQL text for a message, its leading blanks left out.
namespace {
std::string sql_excerpt(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  return sqlhunt::excerpt(start == std::string_view::npos ? std::string_view() : text.substr(start));
}
}  // namespace

SqlSource::SqlSource(sqlite3* db, std::string_view select, std::string who)
    : db_(db), who_(std::move(who)) {
  if (select.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw Error(who_ + ": the SELECT is empty");
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, select.data(), static_cast<int>(select.size()), &stmt_, &tail);
  if (rc != SQLITE_OK)
    throw Error(who_ + ": cannot prepare the SELECT: " + sqlite3_errmsg(db_));
  if (!stmt_)  // only comments
    throw Error(who_ + ": the SELECT is empty");
  // One statement only: whatever follows must prepare to nothing (spaces, comments).
  // The rest is prepared, not merely scanned, so `SELECT 1; -- x` is accepted and
  // `SELECT 1; DELETE FROM t` is refused without running either.
  const char* end = select.data() + select.size();
  if (tail && tail < end) {
    sqlite3_stmt* next = nullptr;
    const int rc2 = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &next, nullptr);
    const bool more = rc2 != SQLITE_OK || next != nullptr;
    sqlite3_finalize(next);
    if (more) {
      const std::string rest = sql_excerpt(std::string_view(tail, static_cast<size_t>(end - tail)));
      sqlite3_finalize(stmt_);
      throw Error(who_ + ": give one SELECT; more SQL follows it: '" + rest + "'");
    }
  }
  if (!sqlite3_stmt_readonly(stmt_)) {
    sqlite3_finalize(stmt_);
    throw Error(who_ + ": the SQL must be a read-only SELECT, not '" + sql_excerpt(select) + "'");
  }
  const int n = sqlite3_column_count(stmt_);
  if (n == 0) {
    sqlite3_finalize(stmt_);
    throw Error(who_ + ": the SQL returns no columns: '" + sql_excerpt(select) + "'");
  }
  names_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt_, i);
    names_.emplace_back(name ? name : "");
  }
}

SqlSource::~SqlSource() { sqlite3_finalize(stmt_); }

int SqlSource::find(std::string_view name) const {
  int found = -1;
  for (int i = 0; i < column_count(); ++i) {
    const std::string& c = names_[static_cast<size_t>(i)];
    if (c.size() != name.size() || strncasecmp(c.data(), name.data(), name.size()) != 0) continue;
    if (found >= 0)
      throw Error(who_ + ": the SELECT has two columns named '" + std::string(name) +
                  "'; give one of them another name (AS)");
    found = i;
  }
  return found;
}

int SqlSource::require(std::string_view name, std::string_view hint) const {
  const int i = find(name);
  if (i >= 0) return i;
  std::string msg = who_ + ": the SELECT has no column '" + std::string(name) + "' (it gives: ";
  for (int c = 0; c < column_count(); ++c) {
    if (c) msg += ", ";
    msg += names_[static_cast<size_t>(c)];
  }
  msg += ")";
  if (!hint.empty()) {
    msg += "; ";
    msg += hint;
  }
  throw Error(msg);
}

bool SqlSource::step() {
  if (done_) return false;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    ++rows_;
    return true;
  }
  done_ = true;
  if (rc == SQLITE_DONE) return false;
  throw Error(who_ + ": the SELECT failed: " + sqlite3_errmsg(db_));
}

sqlite3_value* SqlSource::value(int col) const { return sqlite3_column_value(stmt_, col); }

}  // namespace sqlhunt::sql
