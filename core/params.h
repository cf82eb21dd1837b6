// core/params.h — the arguments of CREATE VIRTUAL TABLE ... USING module(...).
//
//   CREATE VIRTUAL TABLE case_audit USING audit_events(path='case/audit.log*');
//   CREATE VIRTUAL TABLE case_audit USING audit_events('case/audit.log*');
//
// SQLite hands each argument over as raw text. parse_params() turns them into
// name -> value, unquoting '...', "..." and [...] the way SQL does ('it''s'). A bare
// value (no name=) is positional: it names the table's first argument not yet given.
// Errors say what was wrong: "unknown parameter 'pth'", "more than one 'path'
// parameter", "empty parameter name".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt {

using Params = std::map<std::string, std::string>;

// SQL-unquotes `text` when it is quoted ('x', "x", [x], `x`); otherwise trims it.
std::string sql_unquote(std::string_view text);

// `args`: the raw module arguments; `names`: the accepted names, positional ones first
// in order. Throws sqlhunt::Error.
Params parse_params(const std::vector<std::string_view>& args,
                    const std::vector<std::string>& names);

}  // namespace sqlhunt
