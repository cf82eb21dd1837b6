#include "core/vtab_or_merge.h"

#include "core/error.h"

namespace sqlhunt::vtab {

OrMerge::Saved OrMerge::saved(const Constraint& c) {
  Saved s;
  s.column = c.column;
  s.op = c.op;
  s.type = sqlite3_value_type(c.value);
  if (s.type == SQLITE_INTEGER) {
    const sqlite3_int64 v = sqlite3_value_int64(c.value);
    s.bytes.assign(reinterpret_cast<const char*>(&v), sizeof v);
  } else if (s.type == SQLITE_FLOAT) {
    const double v = sqlite3_value_double(c.value);
    s.bytes.assign(reinterpret_cast<const char*>(&v), sizeof v);
  } else if (s.type != SQLITE_NULL) {
    const int n = sqlite3_value_bytes(c.value);
    if (n > kKeptBytes) s.large = true;
    else if (n > 0) s.bytes.assign(static_cast<const char*>(sqlite3_value_blob(c.value)), static_cast<size_t>(n));
  }
  return s;
}

bool OrMerge::same(const Saved& a, const Saved& b) {
  return a.column == b.column && a.op == b.op && a.type == b.type && !a.large && !b.large && a.bytes == b.bytes;
}

void OrMerge::clear() {
  current_.reset();
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
      now.args.push_back(saved(c));
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
      for (const Saved& t : current_->args) shared |= same(t, s);
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
