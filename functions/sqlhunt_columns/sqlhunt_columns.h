// functions/sqlhunt_columns — the surface of every sqlhunt table, from its spec.
//
//   SELECT * FROM sqlhunt_columns;        one row per column of every table
//     table_name, column_name, type, position (0-based, as in the schema),
//     hidden (1 = a HIDDEN column: a table-valued function's argument),
//     argument (1 = an input: `col = value` reaches the reader),
//     required (1 = a query must give it), batch (1 = `col IN (...)` is one batch),
//     pushdown (1 = range bounds on it are used by the reader: a time window),
//     doc (one line)
//   SELECT * FROM sqlhunt_tables;         one row per table
//     table_name, doc, trust ('directonly' or 'innocuous'), trust_reason, scan_cost,
//     scan_rows
//
// Both read the TableSpec every table is declared with (core/vtab.h): the same list
// drives the table's schema and its planner, so what they print cannot drift from what
// the tables do. tests/python/test_docs_columns.py checks every docs/ page's column
// table against sqlhunt_columns.
// Innocuous: they read constant data compiled into the extension.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_sqlhunt_columns(sqlite3* db);
}
