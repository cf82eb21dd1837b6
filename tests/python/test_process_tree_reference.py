"""process_tree() against msticpy's proc_tree_build_winlx rule, on the shared exports.

The reference (msticpy.transform.proc_tree_build_winlx) links a process to its parent
with pandas.merge_asof: the latest process at or before the child's time whose
process id is the child's parent id and, on Windows, whose lower-cased image is the
child's lower-cased ParentProcessName. That rule is written out here, brute force
(every child against every row), as the oracle: on these exports, which have one host,
no exit events, no GUIDs and no clock skew, process_tree() must link every process to
the same parent; the places where it deliberately differs (docs/process_trees.md:
hosts kept apart, exits, a pid held by another image, skew) cannot occur in them.

    tests/run_host.sh /usr/bin/python3 tests/python/test_process_tree_reference.py
"""
import csv
import datetime
import os
import sqlite3
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
WINDOWS_CSV = os.path.join(DATASETS, "windows", "processes_on_host.csv")
AUDIT_LOG = os.path.join(DATASETS, "linux", "auditd_log.txt")

if not os.path.exists(WINDOWS_CSV) or not os.path.exists(AUDIT_LOG):
    print(f"SKIP: the shared datasets are not at {DATASETS}")
    sys.exit(77)


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    return conn


def reference_parents(rows, match_names):
    """msticpy's rule: for each row, the index of the latest row (time <= child's time;
    on equal times the later in time order, as merge_asof takes the last match) with
    pid == ppid (and name == parent name); None when there is none."""
    order = sorted(range(len(rows)), key=lambda i: rows[i]["time"])
    rank = {i: r for r, i in enumerate(order)}
    out = {}
    for c, child in enumerate(rows):
        best = None
        for p, par in enumerate(rows):
            if par["pid"] != child["ppid"] or par["time"] > child["time"]:
                continue
            if match_names and par["name"] != child["parent_name"]:
                continue
            if best is None or rank[p] > rank[best]:
                best = p
        out[c] = best
    return out


def tree_parents(conn, table):
    """For each start (by its row number `rid` in `table`, which process_tree carries in
    `extra`), the row number of its parent; None for an inferred parent or a root."""
    select = f"select rowid - 1 as rid, * from {table}"
    rows = conn.execute(
        "select json_extract(c.extra, '$.rid'), json_extract(p.extra, '$.rid') from process_tree(?) c "
        "left join process_tree(?) p on p.proc_key = c.parent_key where not c.inferred",
        (select, select)).fetchall()
    return dict(rows)


class WindowsExport(unittest.TestCase):
    def test_same_parents_as_msticpy(self):
        rows = []
        with open(WINDOWS_CSV, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                t = datetime.datetime.strptime(r["TimeGenerated"], "%Y-%m-%d %H:%M:%S.%f")
                rows.append({"pid": int(r["NewProcessId"], 16), "ppid": int(r["ProcessId"], 16),
                             "time": t.replace(tzinfo=datetime.timezone.utc).timestamp(),
                             "name": r["NewProcessName"].lower(), "parent_name": r["ParentProcessName"].lower()})
        expected = reference_parents(rows, match_names=True)

        conn = connect()
        conn.execute("create table p(pid, ppid, time, image, parent_image)")
        with open(WINDOWS_CSV, encoding="utf-8", newline="") as f:
            conn.executemany("insert into p values (?, ?, ?, ?, ?)",
                             [(r["NewProcessId"], r["ProcessId"], r["TimeGenerated"], r["NewProcessName"],
                               r["ParentProcessName"]) for r in csv.DictReader(f)])
        got = tree_parents(conn, "p")
        self.assertEqual(len(got), len(rows))
        diff = {k: (expected[k], got.get(k)) for k in expected if expected[k] != got.get(k)}
        self.assertEqual(diff, {}, f"{len(diff)} processes linked differently")
        self.assertEqual(sum(v is not None for v in got.values()), 202)  # the rest: 6 inferred parents


class LinuxAudit(unittest.TestCase):
    def test_same_parents_as_msticpy(self):
        conn = connect()
        conn.execute("create table e as select pid, ppid, epoch as time, exe as image from audit_events(?) "
                     "where syscall = 'execve' order by epoch, serial", (AUDIT_LOG,))
        rows = [{"pid": pid, "ppid": ppid, "time": t} for pid, ppid, t in
                conn.execute("select pid, ppid, time from e order by rowid")]
        expected = reference_parents(rows, match_names=False)  # Linux: pid alone
        got = tree_parents(conn, "e")
        self.assertEqual(len(got), len(rows))
        self.assertEqual({k: (v, got.get(k)) for k, v in expected.items() if v != got.get(k)}, {})
        self.assertEqual(sum(v is not None for v in got.values()), 89)  # the rest: under 10 inferred shells


if __name__ == "__main__":
    unittest.main()
