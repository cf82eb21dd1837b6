"""The extension loaded from Python's sqlite3 module (a second real client besides the
sqlite3 shell): loading, a function call, an SQL error as a Python exception, and the
exact surface — every function and module sqlhunt adds, no more, no less.

Run by ctest with Debian's /usr/bin/python3 (which can load extensions) as
    tests/run_host.sh /usr/bin/python3 tests/python/test_load.py
"""
import os
import sqlite3
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]

# Every SQL function (name, number of arguments) and module sqlhunt registers. A change
# to the surface is a change to this list and to docs/README.md.
EXPECTED_FUNCTIONS = {
    ("hex_decode", 1), ("hex_decode", 2),
    ("sqlhunt_debug", 0), ("sqlhunt_debug", 1), ("sqlhunt_version", 0),
    ("extract_iocs", 1), ("extract_iocs", 2), ("ioc_refang", 1), ("ioc_type", 1), ("ip_class", 1),
    ("ip_normalize", 1),
    ("sqlhunt_config", 1), ("sqlhunt_config", 2),
    ("sqlhunt_cache_clear", 0), ("sqlhunt_cache_clear", 1),
    ("audit_fields", 1), ("audit_decode", 1), ("audit_decode", 2),
    ("cmdline_pattern", 1),
    ("svg_timeline", 2), ("svg_timeline", 3), ("svg_timeline", 4), ("svg_tree", 3), ("svg_tree", 4),
    ("svg_bars", 2), ("svg_bars", 3), ("svg_map", 2), ("svg_map", 3), ("svg_map", 4),
}
EXPECTED_MODULES = {"alerts", "alert_entities", "audit_events", "audit_records", "audit_events_from", "iocs", "ip_enrichment",
                    "ti_lookup", "sqlhunt_columns", "sqlhunt_tables", "sqlhunt_settings", "dbscan",
                    "process_tree", "win_events", "office_activity", "net_flows"}
# Only in the network build (SQLHUNT_NETWORK).
NETWORK_FUNCTIONS = {("kql_last_query", 0), ("kql_last_status", 0)}
NETWORK_MODULES = {"kql", "adx"}


def connect(load: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    if load:
        conn.enable_load_extension(True)
        conn.load_extension(EXTENSION)
        conn.enable_load_extension(False)
    return conn


def surface(conn):
    functions = set(conn.execute("select name, narg from pragma_function_list"))
    modules = {r[0] for r in conn.execute("select name from pragma_module_list")}
    return functions, modules


class LoadFromPython(unittest.TestCase):
    def test_hex_decode(self):
        conn = connect(True)
        row = conn.execute("select hex_decode('2F746D70'), hex_decode('6C73002D6C61', ' ')").fetchone()
        self.assertEqual(row, ("/tmp", "ls -la"))
        self.assertIsNone(conn.execute("select hex_decode(NULL)").fetchone()[0])

    def test_error_is_an_exception_with_the_message(self):
        conn = connect(True)
        with self.assertRaises(sqlite3.OperationalError) as ctx:
            conn.execute("select hex_decode('ABC')").fetchone()
        self.assertIn("odd number of hex digits", str(ctx.exception))
        self.assertIn("position 3", str(ctx.exception))

    def test_version(self):
        conn = connect(True)
        version = conn.execute("select sqlhunt_version()").fetchone()[0]
        self.assertRegex(version, r"^\d+\.\d+\.\d+$")

    def test_surface_is_exactly_what_is_documented(self):
        before_f, before_m = surface(connect(False))
        after_f, after_m = surface(connect(True))
        network = connect(True).execute("select json_extract(sqlhunt_debug(), '$.options.network')").fetchone()[0]
        self.assertEqual(after_f - before_f, EXPECTED_FUNCTIONS | (NETWORK_FUNCTIONS if network else set()))
        self.assertEqual(after_m - before_m, EXPECTED_MODULES | (NETWORK_MODULES if network else set()))

    def test_pure_functions_work_in_a_schema(self):
        # hex_decode is innocuous and deterministic: usable in a generated column.
        conn = connect(True)
        conn.execute("create table t(h text, v text as (hex_decode(h)))")
        conn.execute("insert into t(h) values ('2F746D70')")
        self.assertEqual(conn.execute("select v from t").fetchone()[0], "/tmp")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
