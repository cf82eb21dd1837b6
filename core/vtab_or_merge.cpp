#include "core/vtab_or_merge.h"

#include <cstring>

#include "core/error.h"

namespace sqlhunt::vtab {
namespace {

bool same_value(sqlite3_value* a, sqlite3_value* b) {
  const int ta = sqlite3_value_type(a);
  if (ta != sqlite3_value_type(b)) return false;
  switch (ta) {
    case SQLITE_INTEGER: return sqlite3_value_int64(a) == sqlite3_value_int64(b);
    case SQLITE_FLOAT: return sqlite3_value_double(a) == sqlite3_value_double(b);
    case SQLITE_NULL: return true;
    default: {
      const int n = sqlite3_value_bytes(a);
      if (n != sqlite3_value_bytes(b)) return false;
      const void* pa = sqlite3_value_blob(a);
      const void* pb = sqlite3_value_blob(b);
      return n == 0 || std::memcmp(pa, pb, static_cast<size_t>(n)) == 0;
    }
  }
}

}  // namespace

void OrMerge::free_branch(Branch& b) {
  for (auto& s : b.args) sqlite3_value_free(s.value);
  b.args.clear();
}

void OrMerge::clear() {
  if (current_) free_branch(*current_);
  current_.reset();
  for (auto& b : earlier_) free_branch(b);
  earlier_.clear();
  skip_.clear();
}

bool OrMerge::start(const TableSpec& spec, const std::string& plan, const std::vector<Constraint>& constraints,
                    const std::vector<TimeWindow>& windows, bool follows_scan) {
  Branch now;
  now.plan = plan;
  now.windows = windows;
  for (const auto& c : constraints)
    if ((spec.columns[c.column].flags & kTime) != kTime)
      now.args.push_back({c.column, c.op, sqlite3_value_dup(c.value)});
  if (!follows_scan || !first_plan_ || plan == *first_plan_) {
    // A scan of its own, or the first branch of an OR (again, for a join's next row).
    clear();
    first_plan_ = plan;
    current_ = std::move(now);
    return false;
  }
  // A later branch of an OR: the rows the earlier ones returned must not come again.
  if (current_) earlier_.push_back(std::move(*current_));
  current_ = std::move(now);
  skip_.clear();
  for (const Branch& e : earlier_) {
    for (const Saved& s : e.args) {
      bool shared = false;
      for (const Saved& t : current_->args)
        shared |= t.column == s.column && t.op == s.op && same_value(t.value, s.value);
      if (!shared)
        throw Error(std::string("this OR is answered by SQLite as one scan per branch (a table made with CREATE "
                                "VIRTUAL TABLE), and the rows two scans share cannot be told apart by '") +
                    spec.columns[s.column].name + "': query the table-valued form, " + spec.name +
                    "('...') WHERE ..., or write the OR as a UNION");
    }
    std::vector<TimeWindow> tell;
    for (const TimeWindow& w : e.windows) {
      bool shared = false;
      for (const TimeWindow& v : current_->windows) shared |= v == w;
      if (!shared) tell.push_back(w);
    }
    skip_.push_back(std::move(tell));
  }
  return true;
}

bool OrMerge::seen_before(const std::function<std::optional<int64_t>(int column)>& time_of) const {
  for (const auto& tell : skip_) {
    bool inside = true;
    for (const TimeWindow& w : tell) inside = inside && w.contains(time_of(w.column));
    if (inside) return true;
  }
  return false;
}

}  // namespace sqlhunt::vtab
