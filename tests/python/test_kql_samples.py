"""kql() over real Sentinel exports: the shared datasets served as Log Analytics would.

tests/servers/kusto_stub.py --samples answers workspace `samples` with the rows of
../shared/datasets' alerts_list.jsonl (SecurityAlert, 25 x 31), all_events.jsonl
(SecurityEvent, 25 x 226) and az_net_flows.csv (AzureNetworkAnalytics_CL, 460 x 24),
and AuditLog_CL with auditd_log.txt's lines. The oracle here reads the same files with
Python's json and csv modules and says what every cell must be, by the documented
rules (docs/kql.md): datetimes in sqlhunt's time text, booleans true/false (1/0 in a
typed table), dynamic values decoded once, empty numeric CSV cells NULL, text as it is.

Proves, on real data (multi-line cells, JSON in JSON strings, 226 columns, a pandas
index column, integers written as floats): every row and cell of kql()'s `row` and of
a typed table's columns; that pushed-down WHERE clauses select the rows the oracle
selects; and that the notebook's AuditLog_CL records, fetched through kql() into
audit_events_from(), are audit_events' 938 events of the raw file.

Skipped (exit 77) when the datasets are absent or the build has no network.
"""
import csv
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_kql as base  # noqa: E402  (its Stub and shell helpers)

DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(base.SOURCE, "..", "shared", "datasets"))
ALERTS = os.path.join(DATASETS, "alerts", "alerts_list.jsonl")
EVENTS = os.path.join(DATASETS, "windows", "all_events.jsonl")
FLOWS = os.path.join(DATASETS, "network", "az_net_flows.csv")
AUDIT = os.path.join(DATASETS, "linux", "auditd_log.txt")

TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$")
NUMBER = re.compile(r"^-?\d+(\.\d*)?$")


def time_text(v):
    """sqlhunt's time text of an export's time: to the millisecond, cut (not rounded)."""
    m = TIME.match(v)
    return f"{m.group(1)}T{m.group(2)}.{(m.group(3) or '')[:3].ljust(3, '0')}Z"


def oracle_jsonl(path):
    """[(column names, [row as the dict kql()'s `row` must be])]: the converted pickles
    keep JSON types, and write times as ISO-8601 UTC text ending in Z (datasets README)."""
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    names = list(records[0])
    times = {n for n in names if any(isinstance(r[n], str) and TIME.match(r[n]) and r[n].endswith("Z") for r in records)}
    rows = []
    for r in records:
        rows.append({n: (time_text(r[n]) if r[n] else None) if n in times else r[n] for n in names})
    return names, times, rows


def oracle_csv(path):
    """The same for a pandas CSV: its unnamed index column dropped, a column of numbers
    numbers (empty cells NULL), a column of 'YYYY-MM-DD HH:MM:SS.fff' times, text as is."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        header, *data = list(csv.reader(f))
    keep = [i for i, n in enumerate(header) if n]
    names = [header[i] for i in keep]
    kinds = {}
    for i, n in zip(keep, names):
        cells = [row[i] for row in data if row[i] != ""]
        kinds[n] = ("time" if cells and all(TIME.match(c) for c in cells) else
                    "number" if cells and all(NUMBER.match(c) for c in cells) else "text")
    rows = []
    for row in data:
        out = {}
        for i, n in zip(keep, names):
            v = row[i]
            out[n] = v if kinds[n] == "text" else None if v == "" else time_text(v) if kinds[n] == "time" else float(v)
        rows.append(out)
    return names, {n for n in names if kinds[n] == "time"}, rows


class KqlSamples(base.StubShell, unittest.TestCase):
    stub_args = ("--samples", DATASETS, "--audit-sample", AUDIT)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.oracle = {"SecurityAlert": oracle_jsonl(ALERTS), "SecurityEvent": oracle_jsonl(EVENTS),
                      "AzureNetworkAnalytics_CL": oracle_csv(FLOWS)}

    def test_every_row_and_cell_of_kql(self):
        for table, (names, _, expected) in self.oracle.items():
            with self.subTest(table=table):
                rows = self.query(f"select row_index, row, warning from kql('{table}', 'samples') order by row_index")[0]
                self.assertEqual(len(rows), len(expected))
                self.assertGreater(len(expected), 20)
                for r, e in zip(rows, expected):
                    self.assertIsNone(r["warning"])
                    got = json.loads(r["row"])
                    self.assertEqual(list(got), names, "the answer's column order")
                    self.assertEqual(got, e, f"row {r['row_index']}")

    def test_every_cell_of_a_typed_table(self):
        decl = {"SecurityAlert": {"TimeGenerated": "TEXT", "IsIncident": "INTEGER", "Entities": "TEXT", "ConfidenceScore": "TEXT"},
                "SecurityEvent": {"EventID": "INTEGER", "Task": "INTEGER", "Level": "TEXT", "EventProperties": "TEXT"},
                "AzureNetworkAnalytics_CL": {"DestPort": "REAL", "FlowStartTime": "TEXT", "PublicIPs": "TEXT"}}
        for table, (names, times, expected) in self.oracle.items():
            with self.subTest(table=table):
                make = f"create virtual table t using kql(query='{table}', workspace='samples');"
                info = {r["name"]: r["type"] for r in self.query(make + "select name, type from pragma_table_info('t')")[0]}
                for column, sql_type in decl[table].items():
                    self.assertEqual(info[column], sql_type, column)
                rows = self.query(make + "select * from t")[0]
                self.assertEqual(len(rows), len(expected))
                for got, e in zip(rows, expected):
                    for n in names:
                        v = e[n]
                        if isinstance(v, bool):
                            v = int(v)
                        if isinstance(v, (dict, list)):
                            self.assertEqual(json.loads(got[n]), v, n)
                        else:
                            self.assertEqual(got[n], v, n)
                    self.assertIsNone(got["warning"])
                    self.assertEqual(got["workspace_id"], "samples")

    def test_pushdown_keeps_the_rows_the_oracle_keeps(self):
        _, _, alerts = self.oracle["SecurityAlert"]
        _, _, events = self.oracle["SecurityEvent"]
        _, _, flows = self.oracle["AzureNetworkAnalytics_CL"]
        cases = [
            ("SecurityAlert", "CompromisedEntity = 'MSTICALERTSLXVM2' AND Severity IN ('Low', 'High')",
             ['| where CompromisedEntity == "MSTICALERTSLXVM2"', '| where Severity in ("High", "Low")'],  # SQLite sorts an IN list
             [a for a in alerts if a["CompromisedEntity"] == "MSTICALERTSLXVM2" and a["Severity"] in ("Low", "High")]),
            ("SecurityEvent", "EventID IN (4798, 4799) AND TimeGenerated >= '2019-02-11T08:40:24.827Z'"
             " AND TimeGenerated <= '2019-02-11 08:40:24.833'",
             ["| where TimeGenerated >= datetime(2019-02-11T08:40:24.827Z) and TimeGenerated < datetime(2019-02-11T08:40:24.834Z)",
              "| where EventID in (4798, 4799)"],
             [e for e in events if e["EventID"] in (4798, 4799)
              and "2019-02-11T08:40:24.827Z" <= e["TimeGenerated"] <= "2019-02-11T08:40:24.833Z"]),
            ("AzureNetworkAnalytics_CL", "DestPort = 443 AND FlowDirection = 'O'",
             ["| where DestPort == 443", '| where FlowDirection == "O"'],
             [f for f in flows if f["DestPort"] == 443 and f["FlowDirection"] == "O"]),
        ]
        for table, where, appended, expected in cases:
            with self.subTest(table=table):
                self.assertGreater(len(expected), 1)
                make = f"create virtual table t using kql(query='{table}', workspace='samples');"
                rows, _, _ = self.last(make + f"select count(*) as n from t where {where}")
                self.assertEqual(rows, [{"n": len(expected)}])
                sent = self.stub.sent()[-1]
                self.assertEqual(sent.split("\n")[0], table)
                for clause in appended:
                    self.assertIn(clause, sent.split("\n"))

    def test_notebook_auditlog_through_kql_into_audit_events_from(self):
        columns = ("time, epoch, serial, node, type, record_types, syscall, success, exit, pid, ppid, uid, auid, ses, "
                   "comm, exe, argv, cmdline, proctitle, cwd, paths, key, op, acct, account, hostname, addr, terminal, "
                   "res, records, record_count, raw, parse_error")
        fetched = ("SELECT json_extract(row, ''$.RawData''), json_extract(row, ''$.Computer'') AS node FROM "
                   "kql(''AuditLog_CL | where Computer == \"MSTICAlertsLxVM2\" | project TimeGenerated, Computer, RawData'', ''ws1'')")
        sql = (f"create temp table a as select {columns} from audit_events('{AUDIT}');"
               f"create temp table b as select {columns} from audit_events_from('{fetched}');"
               "update a set node = 'MSTICAlertsLxVM2' where node is null;"
               "select (select count(*) from a) as a, (select count(*) from b) as b,"
               " (select count(*) from (select * from a except select * from b)) as only_a,"
               " (select count(*) from (select * from b except select * from a)) as only_b")
        rows = self.query(sql)[0]
        self.assertEqual(rows, [{"a": 938, "b": 938, "only_a": 0, "only_b": 0}])
        self.assertEqual(self.stub.stats()["requests"], 1)


if __name__ == "__main__":
    if not os.path.exists(ALERTS):
        print(f"skipped: needs the shared datasets, not found at {DATASETS}")
        sys.exit(base.SKIP)
    if not base.network_build():
        print("skipped: the no-network build has no kql()")
        sys.exit(base.SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
