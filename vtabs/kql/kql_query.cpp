#include "vtabs/kql/kql_query.h"

#include "vtabs/kql/kql_text.h"

namespace sqlhunt::kql {

std::string window_clause(const std::string& time_column, const Window& w) {
  const std::string t = identifier(time_column);
  std::string out;
  // A bound outside Kusto's datetime range bounds nothing (every datetime is inside).
  if (w.lo && *w.lo > kMinTicks) out = t + " >= " + datetime_literal(*w.lo);
  if (w.hi && *w.hi <= kMaxTicks) {
    if (!out.empty()) out += " and ";
    out += t + " < " + datetime_literal(*w.hi);
  }
  return out;
}

std::string part_kql(const QuerySpec& spec, const std::optional<std::string>& time_column,
                     const PartBounds& part, bool with_take) {
  std::vector<std::string> clauses;
  for (const auto& c : spec.where) {
    if (c.literals.size() == 1) {
      clauses.push_back("where " + identifier(c.column) + " == " + c.literals[0]);
    } else {
      std::string in = "where " + identifier(c.column) + " in (";
      for (size_t i = 0; i < c.literals.size(); ++i) in += (i ? ", " : "") + c.literals[i];
      clauses.push_back(in + ")");
    }
  }
  if (time_column) {
    if (part.nulls) {
      clauses.push_back("where isnull(" + identifier(*time_column) + ")");
    } else {
      const std::string w = window_clause(*time_column, part.window);
      if (!w.empty()) clauses.push_back("where " + w);
    }
  }
  if (with_take && spec.take) clauses.push_back("take " + std::to_string(*spec.take));
  return append_clauses(spec.query, clauses);
}

}  // namespace sqlhunt::kql
