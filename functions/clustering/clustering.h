// functions/clustering — collapsing thousands of repetitive events so the unusual ones
// stand out (docs/clustering.md).
//
//   cmdline_pattern(text) -> TEXT
//       `text` with its variable parts replaced by typed placeholders: <NUM>, <HEX>,
//       <GUID>, <IP>, <MAC>, <HOST>, <EMAIL>, <TIME>, <USER>, <TMP>, <SID>, <B64>, <ID>
//       (functions/clustering/pattern.h has the rules). NULL gives NULL; a number is
//       read as its text. Works on command lines and on any log message:
//         SELECT cmdline_pattern(cmdline) AS pattern, count(*) AS n
//         FROM audit_events('audit.log') WHERE syscall = 'execve'
//         GROUP BY pattern ORDER BY n;
//       cmdline_pattern('sleep 5') = 'sleep <NUM>'
//
//   SELECT key, cluster_id, cluster_size, is_core
//   FROM dbscan(sql [, eps [, min_samples [, scale]]])
//       DBSCAN (scikit-learn's definition, functions/clustering/dbscan.h) over the rows
//       of `sql`, a SELECT whose first column is a row key (any value, handed back as
//       it is) and whose other columns are the numeric features. One row out per row
//       in, in the SELECT's order:
//         key           the first column's value
//         cluster_id    the cluster, numbered from 0 as scikit-learn numbers them; NULL
//                       for noise
//         cluster_size  rows in that cluster (1 for noise)
//         is_core       1 for a core point
//       eps (default 0.5) > 0, min_samples (default 5) >= 1, and scale (default
//       'standard'): 'standard' (per column: minus the mean, over the standard
//       deviation), 'minmax' (per column, to 0..1), 'unit' (each row to length 1:
//       msticpy's dbcluster_events, whose usual eps is 0.01) or 'none'. The scaling is
//       computed over the SELECT's rows, so eps is in those scaled units.
//       A feature that is NULL, text that is no number, or not finite is an error
//       naming the row's key and the column: DBSCAN has no distance to a missing value,
//       and leaving the row out would hide it, so the SELECT decides (WHERE, coalesce).
//         SELECT e.time, e.cmdline, c.cluster_id, c.cluster_size
//         FROM dbscan('SELECT rowid, length(cmdline), argc FROM ev', 0.3, 3) c
//         JOIN ev e ON e.rowid = c.key WHERE c.cluster_id IS NULL;
//       Plan: the SELECT runs once per xFilter and every row is read before the first
//       comes out (clustering needs them all); memory is linear in the rows.
//
// Security: cmdline_pattern is pure (DETERMINISTIC | INNOCUOUS). dbscan is registered
// DIRECTONLY: its argument is SQL, which it runs as a top-level statement
// (core/sql_source.h says why that must never be reachable from a view or trigger).
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_clustering(sqlite3* db);
}
