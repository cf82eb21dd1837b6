"""Clients other than the sqlite3 shell, on the queries of tests/fixtures/clients/queries.json
(an audit_events query, an iocs() join, an ip_enrichment lookup with local data), the
same ones tests/node/test_clients.js runs in Node:

  * Python's sqlite3 module (Debian's /usr/bin/python3, which can load extensions);
  * sqlite-utils (Debian's package): `sqlite-utils memory --load-extension ...` and
    `sqlite-utils query case.db --load-extension ...` on a case database written by
    scripts/case-db, joining its plain tables with the extension's functions.

    tests/run_host.sh /usr/bin/python3 tests/python/test_clients.py
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SQLITE_UTILS = shutil.which("sqlite-utils") or "/usr/bin/sqlite-utils"
with open(os.path.join(SOURCE, "tests", "fixtures", "clients", "queries.json")) as f:
    SPEC = json.load(f)

# Offline, the user's cache untouched, paths relative to the source tree.
os.environ.update(SQLHUNT_OFFLINE="1", SQLHUNT_CACHE="off")
os.chdir(SOURCE)


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    conn.enable_load_extension(False)
    return conn


def geoip_query(conn):
    files = [r[0] for r in conn.execute("SELECT value FROM sqlhunt_settings WHERE key IN ('geoip.city_v4', 'geoip.asn_v4')")]
    if all(f and os.path.isfile(f) for f in files):
        return SPEC["geoip"]
    print(f"SKIP (GeoIP): no GeoIP/ASN data at {', '.join(map(str, files))}; checking the class column only")
    return SPEC["geoip_absent"]


def sqlite_utils(*args):
    proc = subprocess.run([SQLITE_UTILS, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"sqlite-utils {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout


def as_lists(json_text, columns):
    """sqlite-utils prints a JSON array of objects; the spec's rows are lists."""
    return [[row[c] for c in columns] for row in json.loads(json_text)]


class PythonSqlite3(unittest.TestCase):
    def test_the_three_queries(self):
        conn = connect()
        for q in SPEC["queries"] + [geoip_query(conn)]:
            with self.subTest(q["name"]):
                self.assertEqual([list(r) for r in conn.execute(q["sql"])], q["rows"])

    def test_parameters_bind_to_table_arguments(self):
        conn = connect()
        self.assertEqual(conn.execute("SELECT count(*) FROM audit_events(?) WHERE addr = ?",
                                      ("tests/fixtures/audit/sample.log", "203.0.113.9")).fetchone(), (2,))


@unittest.skipUnless(os.path.exists(SQLITE_UTILS), "sqlite-utils is not installed (scripts/setup installs it)")
class SqliteUtils(unittest.TestCase):
    def test_memory_runs_the_three_queries(self):
        for q in SPEC["queries"] + [geoip_query(connect())]:
            with self.subTest(q["name"]):
                columns = [d[0] for d in connect().execute(q["sql"]).description]
                out = sqlite_utils("memory", "--load-extension", EXTENSION, q["sql"])
                self.assertEqual(as_lists(out, columns), q["rows"])

    def test_query_on_a_case_database_with_the_extension(self):
        tmp = tempfile.mkdtemp(prefix="sqlhunt-clients-")
        try:
            case = os.path.join(tmp, "case")
            os.makedirs(os.path.join(case, "audit"))
            shutil.copy("tests/fixtures/audit/sample.log", os.path.join(case, "audit", "audit.log"))
            db = os.path.join(tmp, "case.db")
            # No ASN ranges: loading the whole table is not what this test is about.
            empty = os.path.join(tmp, "no-asn.csv")
            open(empty, "w").close()
            proc = subprocess.run([sys.executable, "scripts/case-db", case, db], capture_output=True, text=True,
                                  env=dict(os.environ, SQLHUNT_EXTENSION=EXTENSION, SQLHUNT_GEOIP_ASN_V4=empty,
                                           SQLHUNT_GEOIP_ASN_V6=empty))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            # The case's plain tables joined with the extension's functions and tables.
            sql = ("SELECT l.ip, ip_class(l.ip) AS class, l.success, i.type "
                   "FROM logins l, iocs(l.ip) i ORDER BY l.time")
            out = sqlite_utils("query", db, "--load-extension", EXTENSION, sql)
            self.assertEqual(json.loads(out), [
                {"ip": "61.184.247.3", "class": "public", "success": 0, "type": "ipv4"},
                {"ip": "203.0.113.9", "class": "documentation", "success": 1, "type": "ipv4"}])
            # Without the extension the plain tables still read; its functions do not exist.
            out = sqlite_utils("query", db, "SELECT count(*) AS n FROM case_audit_events WHERE ses = 7", "--csv")
            self.assertEqual(out.split(), ["n", "5"])
            # The case tables are named case_*: the extension's own tables stay usable beside them.
            out = sqlite_utils("query", db, "--load-extension", EXTENSION, "--csv",
                               "SELECT (SELECT count(*) FROM case_audit_events) AS stored, "
                               "(SELECT count(*) FROM audit_events('tests/fixtures/audit/sample.log')) AS live")
            self.assertEqual(out.split(), ["stored,live", "8,8"])
            proc = subprocess.run([SQLITE_UTILS, "query", db, "SELECT ip_class('1.2.3.4')"], capture_output=True, text=True)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("no such function: ip_class", proc.stderr + proc.stdout)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed - len(result.skipped)} passed, {failed} failed, {len(result.skipped)} skipped")
    sys.exit(1 if failed else 0)
