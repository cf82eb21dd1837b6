// vtabs/kql/kql_typed.h — CREATE VIRTUAL TABLE t USING kql(query=...) / adx(...): a
// table with the answer's own columns and the plan that pushes SQL's WHERE and LIMIT
// into the KQL (what it pushes and how: kql_vtab.h, kql_query.h).
#pragma once

#include <memory>

#include "core/params.h"
#include "core/sqlite.h"
#include "core/vtab.h"

namespace sqlhunt::kql {

// The typed table for CREATE arguments `params` of `module` (kql or adx): its columns
// come from `columns=` or from the server (`query | take 0`). Throws sqlhunt::Error.
std::unique_ptr<vtab::Table> make_typed_table(sqlite3* db, const vtab::TableSpec& module, Params params, bool adx);

}  // namespace sqlhunt::kql
