// vtabs/kql — run KQL where the data lives (Log Analytics behind Microsoft Sentinel,
// Azure Data Explorer) and join the small answer locally.
//
//   SELECT * FROM kql('SecurityAlert | where Severity == "High"');
//   SELECT * FROM kql('Syslog | take 10', '["<workspace-id>", "<workspace-id>"]');
//   SELECT * FROM kql('SigninLogs', NULL, 'P1D');                   -- timespan
//   SELECT * FROM adx('help', 'Samples', 'StormEvents | take 5');
//   CREATE VIRTUAL TABLE alerts_live USING kql(query='SecurityAlert');
//   SELECT TimeGenerated, AlertName FROM alerts_live
//     WHERE TimeGenerated >= '2019-02-18' AND CompromisedEntity = 'VICTIM00' LIMIT 10;
//   SELECT kql_last_query(), kql_last_status();
//
// kql(query [, workspace [, timespan [, time_column]]]) — one row per result row:
//   workspace_id TEXT     the workspace the row came from
//   table_name   TEXT     its result table (PrimaryResult; more with fork / batches)
//   row_index    INTEGER  0-based, within its table, across the parts of a split
//   row          TEXT     the row as a JSON object keyed by column name (datetimes in
//                         sqlhunt's time form, dynamic values as JSON)
//   warning      TEXT     NULL; on a warning row (before the rows it is about): why
//                         rows are missing (partial, truncated, offline) — never a
//                         partial answer taken silently for the whole
// `workspace` is an ID or a JSON array of them (default: loganalytics.workspace);
// `timespan` the API's (ISO 8601: 'P1D', '2019-02-18T00:00:00Z/2019-02-19T00:00:00Z');
// `time_column` the datetime column a cut answer is split by (default: TimeGenerated,
// else the answer's first datetime column).
//
// adx(cluster, database, query [, time_column]) — the same rows without workspace_id;
// `cluster` is a name put into adx.url (SQLHUNT_ADX_URL, default
// https://{cluster}.kusto.windows.net), never a host SQL chooses.
//
// CREATE VIRTUAL TABLE t USING kql(query='...' [, workspace=..., timespan=...,
// time_column=..., columns='Name:type, ...']) (or adx(cluster=, database=, query=...))
// declares the answer's columns with SQLite types from the API's column types
// (kql_types.h), learned by sending `query | take 0` when the table is made and kept
// with it in the database (Table::learned(): reopening sends nothing), or taken from
// `columns`, which sends nothing; plus `workspace_id` (kql) and `warning`
// (renamed kql_workspace_id / kql_warning when the answer has such a column).
// Its plan pushes into the KQL (kql_query.h), exactly, so SQLite checks nothing again:
//   `=` / `IN` on string, long, int and real columns  -> | where C == v / C in (...)
//   bounds on the time column (kTime: the instants they name)  -> | where T >= ... and T < ...
//   LIMIT (+ OFFSET), when SQLite allows it           -> | take N
// A value no KQL literal can hold (a control character) is filtered here instead, and
// then LIMIT is not pushed. A WHERE that can match nothing (an empty IN, a NULL bound, a
// text value for a number column) sends nothing.
//
// kql_last_query() is the KQL this connection's last kql/adx scan asked for first (sent,
// or answered by the cache, or held back offline); kql_last_status() a JSON object:
// status (ok, partial, truncated, offline, empty, error, running), requests (sent to
// the server), cached, parts, splits, rows, warnings, queries (every KQL asked for,
// probes included).
//
// Errors are SQL errors with the API's own words: bad KQL (400), not authorized
// (401/403), no such workspace, rate limited past kql.timeout, a timeout, no
// credentials (see kql_fetch.h, kql_auth.h). The split of an answer cut at the
// server's cap, the memory bound and the order of rows: kql_run.h.
// Direct-only (SQLITE_VTAB_DIRECTONLY): it sends queries with the analyst's
// credentials. Built only with SQLHUNT_NETWORK. See docs/kql.md.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_kql(sqlite3* db);
}
