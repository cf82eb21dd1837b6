"""scripts/case-db: a case folder made of the repository's fixtures, written as plain
tables, then read the way BI tools and a shared Datasette read it — by the sqlite3 shell
and by Python's sqlite3 module, neither loading the extension. Checked: every table and
view reads; each table holds exactly what the extension answers on the same files;
case_sources counts rows and parse errors per file; indexes on time, host, IP and
session; a second run reads nothing that did not change; a grown case (a rotation, a new
alerts file) updates to what a fresh build gives, without a duplicated row.

    tests/run_host.sh /usr/bin/python3 tests/python/test_case_db.py
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
FIXTURES = os.path.join(SOURCE, "tests", "fixtures")
CASE_DB = os.path.join(SOURCE, "scripts", "case-db")

DATA_TABLES = ["case_audit_events", "case_alerts", "case_alert_entities", "case_iocs"]
VIEWS = {"logins", "sessions", "process_creations", "ip_sightings", "ioc_sightings", "timeline"}
# Sources the fixture case has no file for: absent, or skipped with a note by a build without their table.
LATER = {"windows": "win_events", "office": "office_activity", "network": "net_flows"}


def sample_lines():
    with open(os.path.join(FIXTURES, "audit", "sample.log")) as f:
        return f.readlines()


def make_case(folder):
    """The case layout of docs/clients.md, from the fixtures: the live audit log holds the
    sample's first 8 lines (event 520's later records are still to come)."""
    os.makedirs(os.path.join(folder, "audit"))
    os.makedirs(os.path.join(folder, "ti"))
    with open(os.path.join(folder, "audit", "audit.log"), "w") as f:
        f.writelines(sample_lines()[:8])
    alerts_dir = tempfile.mkdtemp()
    subprocess.run([sys.executable, os.path.join(FIXTURES, "alerts", "make_fixtures.py")], cwd=alerts_dir, check=True)
    shutil.copy(os.path.join(alerts_dir, "alerts.jsonl"), os.path.join(folder, "alerts.jsonl"))
    shutil.copy(os.path.join(alerts_dir, "bad_lines.jsonl"), os.path.join(folder, ".bad_lines.jsonl"))
    shutil.rmtree(alerts_dir)
    with open(os.path.join(FIXTURES, "iocs", "hafnium_advisory.txt")) as f:
        report = f.read()
    with open(os.path.join(folder, "threat_report.txt"), "w") as f:
        f.write(report + "\nAddendum: SSH password guessing from 61.184.247[.]3 before the intrusion.\n")
    shutil.copy(os.path.join(FIXTURES, "ti_lookup", "indicators.jsonl"), os.path.join(folder, "ti", "indicators.jsonl"))


def grow_case(folder):
    """auditd rotates (the live log becomes audit.log.1, the rest of the sample is the new
    live log) and a second alerts export arrives, with lines that do not parse."""
    os.rename(os.path.join(folder, "audit", "audit.log"), os.path.join(folder, "audit", "audit.log.1"))
    with open(os.path.join(folder, "audit", "audit.log"), "w") as f:
        f.writelines(sample_lines()[8:])
    os.rename(os.path.join(folder, ".bad_lines.jsonl"), os.path.join(folder, "alerts_bad.jsonl"))


# ASN ranges of the case's addresses alone: loading the whole ASN table (30 MB of CSV)
# on each run would be most of this test's time, and is ip_enrichment's own test's job.
ASN_V4 = "23.97.0.0,23.97.255.255,8075,Microsoft Corporation\n61.184.0.0,61.184.255.255,4134,Chinanet\n"


def case_db(folder, out, *extra):
    asn = os.path.join(os.path.dirname(folder), "asn-ipv4.csv")
    if not os.path.exists(asn):
        with open(asn, "w") as f:
            f.write(ASN_V4)
    env = dict(os.environ, SQLHUNT_EXTENSION=EXTENSION, SQLHUNT_CACHE="off",
               SQLHUNT_GEOIP_ASN_V4=asn, SQLHUNT_GEOIP_ASN_V6=asn)
    proc = subprocess.run([sys.executable, CASE_DB, folder, out, *extra], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"case-db failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stderr


def plain(path):
    """Python's sqlite3 on the case database, no extension loaded (as Datasette opens it)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def objects(conn):
    return dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"))


def dump(path, table):
    return plain(path).execute(f'SELECT * FROM "{table}"').fetchall()


def with_extension(folder, sql):
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    cwd = os.getcwd()
    os.chdir(folder)  # case-db reads with relative globs: `file` is relative to the case
    try:
        return conn.execute(sql).fetchall()
    finally:
        os.chdir(cwd)


class CaseDb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-case-db-")
        cls.case = os.path.join(cls.tmp, "case")
        make_case(cls.case)
        cls.db = os.path.join(cls.tmp, "case.db")
        cls.first_log = case_db(cls.case, cls.db)
        cls.first = {t: dump(cls.db, t) for t in objects(plain(cls.db))}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_1_every_table_and_view_reads_without_the_extension(self):
        have = objects(plain(self.db))
        for t in DATA_TABLES + ["case_ip_enrichment", "case_ti_lookup", "case_ips", "case_sources", "case_info"]:
            self.assertEqual(have.get(t), "table", t)
        for v in VIEWS:
            self.assertEqual(have.get(v), "view", v)
        # The sqlite3 shell, no .load: every row of every table and view.
        script = "".join(f'SELECT count(*) FROM (SELECT * FROM "{name}");\n' for name in sorted(have))
        proc = subprocess.run([SHELL, "-bail", "-batch", self.db], input=script, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        counts = dict(zip(sorted(have), map(int, proc.stdout.split())))
        # Python without the extension: the same counts.
        conn = plain(self.db)
        for name in sorted(have):
            self.assertEqual(len(conn.execute(f'SELECT * FROM "{name}"').fetchall()), counts[name], name)
        for name in DATA_TABLES + ["case_ip_enrichment", "case_ti_lookup"] + sorted(VIEWS):
            self.assertGreater(counts[name], 0, name)

    def test_2_tables_hold_what_the_extension_answers(self):
        self.assertEqual(dump(self.db, "case_audit_events"),
                         with_extension(self.case, "SELECT * FROM audit_events('audit/audit.log*')"))
        self.assertEqual(dump(self.db, "case_alerts"), with_extension(self.case, "SELECT * FROM alerts('alerts*')"))
        self.assertEqual(len(dump(self.db, "case_alert_entities")),
                         with_extension(self.case, "SELECT count(*) FROM alerts('alerts*') a, "
                                                   "alert_entities(a.entities)")[0][0])
        with open(os.path.join(self.case, "threat_report.txt")) as f:
            report = f.read()
        got = plain(self.db).execute("SELECT type, value FROM case_iocs WHERE file = 'threat_report.txt'").fetchall()
        self.assertEqual(got, with_extension(self.case, f"SELECT type, value FROM iocs({sql_text(report)})"))

    def test_3_case_sources_says_what_was_read(self):
        rows = plain(self.db).execute("SELECT source, table_name, file, size, rows, parse_errors, status, note "
                                      "FROM case_sources").fetchall()
        by = {(r[0], r[1], r[2]): r for r in rows}
        audit = by[("audit", "case_audit_events", "audit/audit.log")]
        self.assertEqual(audit[3], os.path.getsize(os.path.join(self.case, "audit", "audit.log")))
        self.assertEqual(audit[4:7], (with_extension(self.case, "SELECT count(*) FROM audit_events('audit/audit.log')")[0][0],
                                      0, "read"))
        self.assertEqual(by[("alerts", "case_alerts", "alerts.jsonl")][4:7], (3, 0, "read"))
        self.assertEqual(by[("reports", "case_iocs", "threat_report.txt")][6], "read")
        self.assertEqual(by[("ti", "case_ti_lookup", "ti/indicators.jsonl")][6], "read")
        modules = {r[0] for r in with_extension(self.case, "SELECT name FROM pragma_module_list")}
        for source, table in LATER.items():
            row = [r for r in rows if r[0] == source]
            self.assertEqual(len(row), 1, row)
            if table in modules:
                self.assertEqual(row[0][6], "absent", row)
            else:
                self.assertEqual(row[0][6], "skipped", row)
                self.assertIn(f"{table} is not in this build", row[0][7])

    def test_4_indexes_on_time_host_ip_session(self):
        indexes = {r[0] for r in plain(self.db).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        for i in ["audit_events_time", "audit_events_node", "audit_events_addr", "audit_events_ses",
                  "alerts_time", "alerts_compromised_entity", "alert_entities_address", "alert_entities_time",
                  "iocs_value", "ip_enrichment_ip", "ti_lookup_observable"]:
            self.assertIn("case_" + i, indexes)
        plan = plain(self.db).execute("EXPLAIN QUERY PLAN SELECT * FROM case_audit_events WHERE addr = '1.2.3.4'").fetchall()
        self.assertIn("USING INDEX case_audit_events_addr", str(plan))

    def test_5_enrichment_and_views(self):
        conn = plain(self.db)
        ips = {r[0] for r in conn.execute("SELECT ip FROM case_ips")}
        self.assertLessEqual({"61.184.247.3", "203.0.113.9", "23.97.60.214"}, ips)
        self.assertEqual(conn.execute("SELECT class FROM case_ip_enrichment WHERE ip = '203.0.113.9'").fetchone(),
                         ("documentation",))
        self.assertEqual(conn.execute("SELECT asn, as_org FROM case_ip_enrichment WHERE ip = '61.184.247.3'").fetchone(),
                         (4134, "Chinanet"))
        geoip = with_extension(self.case, "SELECT value FROM sqlhunt_settings WHERE key = 'geoip.city_v4'")[0][0]
        if geoip and os.path.isfile(geoip):
            self.assertEqual(conn.execute("SELECT country_code FROM case_ip_enrichment WHERE ip = '23.97.60.214'").fetchone(),
                             ("SG",))
        else:
            print(f"note: no GeoIP database at {geoip}: country not checked (scripts/fetch-geoip fetches it)")
        # Offline: nothing remote was asked.
        self.assertEqual(conn.execute("SELECT value FROM case_info WHERE key = 'offline'").fetchone(), ("1",))
        self.assertEqual(conn.execute("SELECT count(*) FROM case_ti_lookup WHERE provider <> 'local'").fetchone(), (0,))
        self.assertEqual(conn.execute("SELECT severity FROM case_ti_lookup WHERE observable = '6.6.6.6'").fetchall(), [])
        self.assertEqual(conn.execute("SELECT os, account, ip, success, session FROM logins WHERE success = 1").fetchall(),
                         [("linux", "1000", "203.0.113.9", 1, "7")])
        self.assertEqual(conn.execute("SELECT ip, commands FROM sessions WHERE session = '7'").fetchall(),
                         [("203.0.113.9", 2)])
        self.assertEqual(conn.execute("SELECT image, command_line FROM process_creations").fetchall(),
                         [("/usr/bin/curl", "curl -s -o '/tmp/a b.sh'"), ("/bin/dash", None)])  # its EXECVE record is not logged yet
        self.assertEqual(conn.execute("SELECT DISTINCT value, source, field FROM ioc_sightings ORDER BY 2").fetchall(),
                         [("61.184.247.3", "case_audit_events", "addr")])

    def test_6_a_second_run_reads_nothing_that_did_not_change(self):
        log = case_db(self.case, self.db)
        for line in log.strip().splitlines():
            self.assertRegex(line, r": (unchanged|skipped|absent) \(")
        now = {t: dump(self.db, t) for t in objects(plain(self.db))}
        for t in now:
            if t not in ("case_sources", "case_info"):
                self.assertEqual(now[t], self.first[t], t)
        # case_sources: the same rows, now 'unchanged' where they were 'read'.
        status = 7
        self.assertEqual([r[:status] + r[status + 1:] for r in now["case_sources"]],
                         [r[:status] + r[status + 1:] for r in self.first["case_sources"]])
        self.assertEqual({r[status] for r in now["case_sources"]} - {"unchanged", "skipped", "absent"}, set())

    def test_7_a_grown_case_updates_to_what_a_fresh_build_gives(self):
        work = os.path.join(self.tmp, "grown")
        shutil.copytree(self.case, work)
        db = os.path.join(self.tmp, "grown.db")
        shutil.copy(self.db, db)
        os.utime(db)
        grow_case(work)
        log = case_db(work, db)
        self.assertIn("audit: read (2)", log)
        self.assertIn("alerts: read (4)", log)   # two files, two tables
        self.assertIn("reports: unchanged (1)", log)
        fresh = os.path.join(self.tmp, "fresh.db")
        case_db(work, fresh)
        for t in DATA_TABLES + ["case_ips", "case_ip_enrichment"]:
            self.assertEqual(dump(db, t), dump(fresh, t), t)
        for v in VIEWS:
            self.assertEqual(sorted(dump(db, v), key=repr), sorted(dump(fresh, v), key=repr), v)
        conn = plain(db)
        # Every event once: the curl event's records from both files are one row now.
        self.assertEqual(conn.execute("SELECT count(*), count(DISTINCT serial) FROM case_audit_events "
                                      "WHERE parse_error IS NULL").fetchone(),
                         conn.execute("SELECT count(DISTINCT serial), count(DISTINCT serial) FROM case_audit_events "
                                      "WHERE parse_error IS NULL").fetchone())
        self.assertEqual(conn.execute("SELECT record_count FROM case_audit_events WHERE serial = 520").fetchone(), (6,))
        self.assertEqual(conn.execute("SELECT file, rows, parse_errors FROM case_sources WHERE table_name = 'case_alerts' "
                                      "ORDER BY file").fetchall(),
                         [("alerts.jsonl", 3, 0), ("alerts_bad.jsonl", 4, 2)])
        self.assertEqual(conn.execute("SELECT count(*) FROM sessions WHERE session = '7'").fetchone(), (1,))
        self.assertEqual(conn.execute("SELECT command_line FROM process_creations WHERE image = '/bin/dash'").fetchall(),
                         [("sh '/tmp/a b.sh'",)])  # the EXECVE record came with the rotation
        # The report did not change: its row is the first run's.
        first = plain(self.db).execute("SELECT read_at FROM case_sources WHERE source = 'reports'").fetchone()
        self.assertEqual(conn.execute("SELECT read_at, status FROM case_sources WHERE source = 'reports'").fetchone(),
                         (first[0], "unchanged"))

    def test_8_a_view_has_its_columns_when_its_first_part_is_left_out(self):
        # A case without alerts: timeline's first part (case_alerts) is left out, and its
        # columns are still the file's, not those the logins part would give.
        work = os.path.join(self.tmp, "no-alerts")
        shutil.copytree(self.case, work)
        os.remove(os.path.join(work, "alerts.jsonl"))
        db = os.path.join(self.tmp, "no-alerts.db")
        self.assertIn("alerts: absent (1)", case_db(work, db))
        conn = plain(db)
        self.assertNotIn("case_alerts", objects(conn))
        columns = [r[1] for r in conn.execute("PRAGMA table_info(timeline)")]
        self.assertEqual(columns, ["time", "epoch", "lane", "kind", "summary", "account", "ip", "session", "is_alert",
                                   "source", "file", "line"])
        self.assertEqual(conn.execute("SELECT DISTINCT kind FROM timeline ORDER BY 1").fetchall(),
                         [("failed login",), ("login",), ("process",)])
        self.assertEqual(conn.execute("SELECT count(*) FROM timeline WHERE source = 'case_alerts'").fetchone(), (0,))
        first = plain(self.db).execute("SELECT count(*) FROM timeline WHERE source <> 'case_alerts'").fetchone()
        self.assertEqual(conn.execute("SELECT count(*) FROM timeline").fetchone(), first)

    def test_9_each_view_file_read_whole_is_its_parts(self):
        # `.read sql/views/NAME.sql` (the runbook does) makes the TEMP view of every part;
        # case-db cuts the same file into parts. Both readings of a file are one text: no
        # part is lost or glued to another.
        folder = os.path.join(SOURCE, "sql", "views")
        self.assertEqual({n[:-4] for n in os.listdir(folder)}, VIEWS)
        for name in sorted(os.listdir(folder)):
            if name == "ip_sightings.sql":
                continue  # written by case-db over every address column: test_10
            with open(os.path.join(folder, name)) as f:
                text = f.read()
            head = f"DROP VIEW IF EXISTS temp.{name[:-4]};\nCREATE TEMP VIEW {name[:-4]} AS\n"
            self.assertIn(head, text, name)
            body = text.split(head)[1]
            self.assertTrue(sqlite3.complete_statement(body), name)
            self.assertEqual(body.count(";"), 1, name)
            parts = body.rstrip().rstrip(";").split("\nUNION ALL\n-- part: ")
            self.assertTrue(parts[0].startswith("-- part: "), name)
            for part in parts:
                self.assertNotIn("\n--", part, f"{name}: a comment inside a part, or a part without its line")
            stored = plain(self.db).execute("SELECT sql FROM sqlite_master WHERE name = ?", (name[:-4],)).fetchone()[0]
            for part in parts:
                select = part.split("\n", 1)[1]
                if all(t.strip() in objects(plain(self.db)) for t in part.split("\n", 1)[0].replace("-- part: ", "").split(",")):
                    self.assertIn(select, stored, name)
                else:
                    self.assertNotIn(select, stored, name)

    def test_10_ip_sightings_has_the_runbook_files_columns(self):
        # case-db writes ip_sightings over whatever address columns the tables have; the
        # runbook's sql/views/ip_sightings.sql names the same columns in the same order.
        with open(os.path.join(SOURCE, "sql", "views", "ip_sightings.sql")) as f:
            text = f.read()
        first = text.split("CREATE TEMP VIEW ip_sightings AS\n")[1].split("\nFROM ")[0]
        names = [re.search(r"(\w+)$", item.strip()).group(1) for item in first[len("SELECT "):].split(",")]
        columns = [r[1] for r in plain(self.db).execute("PRAGMA table_info(ip_sightings)")]
        self.assertEqual(columns, names)
        self.assertEqual(columns, ["ip", "source", "field", "time", "host", "file", "line"])

    def test_11_a_host_the_log_does_not_name_has_a_lane(self):
        # The fixture's audit log has no node= field: its events are on one lane that
        # says so, not on a NULL lane (a timeline chart would drop or merge them).
        conn = plain(self.db)
        self.assertEqual(conn.execute("SELECT count(*) FROM timeline WHERE lane IS NULL").fetchone(), (0,))
        self.assertEqual(conn.execute("SELECT DISTINCT lane FROM timeline WHERE source = 'case_audit_events' "
                                      "ORDER BY 1").fetchall(), [("Linux (unnamed host)",)])

    def test_12_on_the_demo_case_the_views_are_the_runbooks(self):
        # The demo case has every source, so every part of every view is stored (a part
        # holding a subquery's UNION ALL among them). Each view cut from sql/views gives
        # the rows the runbook's whole-file TEMP views give over the same case (the
        # runbook names files by absolute path, case-db relative to the case).
        probe = subprocess.run([os.path.join(SOURCE, "scripts", "investigate"), "--check"], capture_output=True,
                               text=True, env=dict(os.environ, SQLHUNT_EXTENSION=EXTENSION, SQLHUNT_SQLITE3=SHELL))
        if probe.returncode != 0:
            self.skipTest(probe.stderr.strip())
        case = os.path.join(self.tmp, "demo")
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "examples", "make_case.py"), case], check=True,
                       capture_output=True)
        db = os.path.join(self.tmp, "demo.db")
        case_db(case, db)
        views = sorted(n[:-4] for n in os.listdir(os.path.join(SOURCE, "sql", "views")) if n != "ip_sightings.sql")
        script = [".read sql/prelude.sql", ".mode json"]
        for v in views:
            script += [f".output {os.path.join(self.tmp, v + '.json')}", f"SELECT * FROM {v};"]
        subprocess.run([SHELL, "-batch", "-bail", "-cmd", f".load {EXTENSION}", "-cmd", f".parameter set $case {sql_text(case)}",
                        ":memory:"], input="\n".join(script) + "\n", text=True, check=True, cwd=SOURCE,
                       capture_output=True, env=dict(os.environ, SQLHUNT_CACHE="off"))
        conn = plain(db)
        for v in views:
            with open(os.path.join(self.tmp, v + ".json")) as f:
                text = f.read()
            runbook = [tuple(case_relative(value, case) for value in row.values()) for row in json.loads(text or "[]")]
            stored = [tuple(row) for row in conn.execute(f'SELECT * FROM "{v}"')]
            self.assertGreater(len(stored), 0, v)
            self.assertEqual(sorted(stored, key=repr), sorted(runbook, key=repr), v)
        # Every source's part is there: the timeline has each lane of the case.
        self.assertEqual([r[0] for r in conn.execute("SELECT DISTINCT lane FROM timeline ORDER BY 1")],
                         ["Alerts", "Linux MSTICAlertsLxVM2", "Network", "Office 365", "Windows MSTICAlertsWin1"])


def case_relative(value, case):
    """A runbook `file` (absolute) as case-db writes it (relative to the case folder)."""
    return value[len(case) + 1:] if isinstance(value, str) and value.startswith(case + "/") else value


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
