// functions/charts — SQL aggregates that draw SVG charts (docs/charts.md).
//
// Each returns one complete, standalone <svg> element as TEXT: put it in an HTML page,
// save it as a .svg file, show it in any client that displays SVG. Rows are drawn in
// the order the aggregate receives them where order matters (lanes, children, bars),
// so a subquery's ORDER BY decides. An aggregate over no rows returns a small SVG that
// says so (not NULL), so a report still has its place for the chart.
//
//   svg_timeline(time, lane [, label [, mark]]) -> TEXT
//       Events on a UTC time axis, one lane per distinct `lane` (first-seen order).
//       `time`: epoch seconds or any time text sqlhunt reads (core/time.h). Events
//       without a label make a density strip; labelled ones are dots with their label;
//       mark = 1 draws a red diamond and a dashed line across all lanes (the alert).
//       A row whose time is NULL or no time is not drawn and is counted in a note.
//         SELECT svg_timeline(time, source, label, is_alert) FROM timeline;
//
//   svg_tree(key, parent_key, label [, mark]) -> TEXT
//       A tree as an indented outline with elbow lines; children in the order given.
//       A NULL or unknown parent_key makes a root. mark = 1 draws the node in red.
//         SELECT svg_tree(proc_key, parent_key, cmdline, is_attacker)
//         FROM (SELECT * FROM session_tree ORDER BY path);
//
//   svg_bars(category, value [, series]) -> TEXT
//       Horizontal bars, one per category (first-seen order), stacked by series with a
//       legend; each bar ends with its total. Values NULL, negative or no number are
//       not drawn and are counted in a note.
//         SELECT svg_bars(dst_port, flows, direction) FROM (... ORDER BY flows DESC);
//
//   svg_map(latitude, longitude [, label [, mark]]) -> TEXT
//       Points on a world outline (Equal Earth projection), labelled; marked ones red.
//       The outline is the TopoJSON file of the setting map.world (scripts/fetch-world
//       fetches Natural Earth's); without it the points are drawn on an empty globe
//       with a note saying why. Rows without a location in range are counted in a note.
//         SELECT svg_map(latitude, longitude, ip || ' ' || country, ip = '23.97.60.214')
//         FROM ip_enrichment WHERE ip IN (...);
//
// Security: svg_timeline, svg_tree and svg_bars are pure (DETERMINISTIC | INNOCUOUS):
// functions of their rows alone. svg_map reads a file (the outline named by a setting),
// so it is DIRECTONLY, as every sqlhunt function that reads files is.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_charts(sqlite3* db);
}
