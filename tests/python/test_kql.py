"""kql(), adx() and typed kql tables against tests/servers/kusto_stub.py on 127.0.0.1.

The stub speaks the documented Log Analytics query API, ADX's v1 and v2 query
endpoints and Azure AD's token endpoint, and runs the KQL it gets (a small engine), so
these tests check rows as well as the text sent. Each query runs in a fresh sqlite3
shell (or a fresh Python for the token-expiry tests): tokens and rate-limit state are
per process.

Proves: typed columns from the API's types; the KQL appended for WHERE and LIMIT, to
the byte, and that its quoting survives hostile strings (the stub decodes literals by
the documented rules and must find exactly the row); exact time bounds; an answer cut
at a row cap split by time until every row is there, in time order (counted requests);
a 100,000-row answer; client credentials, a token kept in memory and asked again after
expiry or a 401; each error (bad KQL, auth, 404, 429 Retry-After, 500, garbage, partial,
slow vs kql.timeout, too large); offline; the opt-in cache; several workspaces; ADX v1
and v2; a token or secret never in an error, the cache file or the HTTP trace.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local_server import EXTENSION, SHELL, SOURCE, LocalServer, ShellQueries, network_build  # noqa: E402

TOKEN = "static-token-5d41402abc4b2a76"
SECRET = "client-secret-7e2f9c0b11aa"
SKIP = 77


class Stub(LocalServer):
    def __init__(self, *args):
        super().__init__("kusto_stub.py", "--token", TOKEN, "--tenant", "contoso", "--client-id", "app-1",
                         "--client-secret", SECRET, *args)

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as r:
            return json.load(r)

    def stats(self):
        return self.get("/_stats")

    def reset(self, **config):
        self.get("/_reset")
        cfg = {"row_cap": 500000, "token_life": 3600, "token_valid": None, "slow_seconds": 5, "delay_ms": 0}
        cfg.update(config)
        req = urllib.request.Request(self.base + "/_config", data=json.dumps(cfg).encode(), method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def sent(self):
        return [q["kql"] for q in self.stats()["queries"]]


class StubShell(ShellQueries):
    shell_timeout = 180
    """A TestCase mixin: a stub per class (`stub_args`), reset before each test, and
    queries run in a fresh sqlite3 shell whose environment points at it."""
    stub: Stub
    stub_args: tuple = ()

    @classmethod
    def setUpClass(cls):
        cls.stub = Stub(*cls.stub_args)
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-kql-")

    @classmethod
    def tearDownClass(cls):
        cls.stub.stop()

    def setUp(self):
        self.stub.reset()

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQLHUNT_") or k in ("SQLHUNT_EXTENSION", "SQLHUNT_SANITIZE")}
        env.update({
            "SQLHUNT_LOGANALYTICS_URL": self.stub.base,
            "SQLHUNT_LOGANALYTICS_TOKEN": TOKEN,
            "SQLHUNT_LOGANALYTICS_WORKSPACE": "ws1",
            "SQLHUNT_ADX_URL": self.stub.base + "/adx/{cluster}",
            "SQLHUNT_ADX_TOKEN": TOKEN,
            "SQLHUNT_AZURE_AUTHORITY_URL": self.stub.base,
            "SQLHUNT_CACHE": os.path.join(self.tmp, "cache.db"),
            "SQLHUNT_KQL_TIMEOUT": "20",
        })
        env.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            env.pop(k, None)
        return env

    def error(self, sql, env=None):
        rows, err, _ = self.query(sql, env, check=False)
        self.assertTrue(err, f"expected an error, got {rows}")
        return err.strip()

    def last(self, sql, env=None):
        """Runs `sql` then returns (rows, kql_last_query(), kql_last_status() as a dict)."""
        rows, _, _ = self.query(sql + "; select kql_last_query() as q, kql_last_status() as s;", env)
        meta = rows.pop()
        return rows, meta["q"], json.loads(meta["s"]) if meta["s"] else None



class Kql(StubShell, unittest.TestCase):
    # ---- kql() ------------------------------------------------------------------

    def test_kql_rows_as_json(self):
        rows, q, st = self.last("select * from kql('SecurityAlert | take 2')")
        self.assertEqual(q, "SecurityAlert | take 2")
        self.assertEqual([(r["workspace_id"], r["table_name"], r["row_index"], r["warning"]) for r in rows],
                         [("ws1", "PrimaryResult", 0, None), ("ws1", "PrimaryResult", 1, None)])
        row = json.loads(rows[0]["row"])
        self.assertEqual(row["TimeGenerated"], "2019-03-02T00:09:00.000Z")
        # Log Analytics sends dynamic values as JSON text: the row holds them as JSON.
        self.assertEqual(row["Entities"][0]["Address"], "23.97.60.214")
        self.assertEqual(st["status"], "ok")
        self.assertEqual(st["requests"], 1)

    def test_limit_becomes_take(self):
        rows, q, _ = self.last("select row_index from kql('Big') limit 3")
        self.assertEqual([r["row_index"] for r in rows], [0, 1, 2])
        self.assertEqual(q, "Big\n| take 3")
        self.assertEqual(self.stub.sent(), ["Big\n| take 3"])

    def test_several_workspaces(self):
        rows, _, st = self.last("select workspace_id, count(*) as n from kql('SecurityAlert', '[\"ws1\", \"ws2\"]') "
                                "group by 1 order by 1")
        self.assertEqual(rows, [{"workspace_id": "ws1", "n": 5}, {"workspace_id": "ws2", "n": 5}])
        self.assertEqual(sorted(q["path"] for q in self.stub.stats()["queries"]),
                         ["/v1/workspaces/ws1/query", "/v1/workspaces/ws2/query"])
        self.assertEqual(st["requests"], 2)

    def test_timespan_goes_to_the_api(self):
        self.query("select count(*) from kql('SecurityAlert', 'ws1', 'P1D')")
        self.assertEqual(self.stub.stats()["queries"][0]["timespan"], "P1D")

    def test_100000_rows(self):
        rows, _, elapsed = self.query("select count(*) as n, sum(json_extract(row, '$.Seq')) as s, "
                                      "min(row_index) as lo, max(row_index) as hi from kql('Big')")
        self.assertEqual(rows, [{"n": 100000, "s": 4999950000, "lo": 0, "hi": 99999}])
        self.assertEqual(self.stub.stats()["requests"], 1)
        print(f"100,000 rows through kql(): {elapsed:.2f} s")

    # ---- typed tables and pushdown -----------------------------------------------

    def test_typed_columns_from_the_api_types(self):
        rows, _, _ = self.query(
            "create virtual table ev using kql(query='Events');"
            "select name, type from pragma_table_info('ev');")
        self.assertEqual([(r["name"], r["type"]) for r in rows], [
            ("TimeGenerated", "TEXT"), ("Computer", "TEXT"), ("EventID", "INTEGER"), ("Success", "INTEGER"),
            ("Score", "REAL"), ("Data", "TEXT"), ("Id", "TEXT"), ("Duration", "TEXT"), ("Seq", "INTEGER"),
            ("workspace_id", "TEXT"), ("warning", "TEXT")])
        self.assertEqual(self.stub.sent(), ["Events\n| take 0"])
        rows, _, _ = self.query(
            "create virtual table ev using kql(query='Events');"
            "select TimeGenerated, typeof(EventID) as t1, Success, typeof(Score) as t2, json_valid(Data) as j, "
            "json_extract(Data, '$.tags[1]') as tag, Id, Duration from ev where Seq = 1;")
        self.assertEqual(rows, [{"TimeGenerated": "2019-03-02T00:01:00.000Z", "t1": "integer", "Success": 0,
                                 "t2": "real", "j": 1, "tag": "b", "Id": "6a1b2c3d-0000-0000-0000-000000000001",
                                 "Duration": "00:00:01"}])

    def test_typed_columns_are_matched_by_name_in_every_answer(self):
        rows, _, _ = self.query("create virtual table e using kql(query='Events', workspace='[\"ws1\", \"ws-reordered\"]');"
                                "select workspace_id, Computer, Seq, typeof(Score) as t from e where Seq in (3, 9) order by 1, 3")
        self.assertEqual(rows, [{"workspace_id": "ws-reordered", "Computer": "line\nbreak", "Seq": 3, "t": "real"},
                                {"workspace_id": "ws-reordered", "Computer": "web01", "Seq": 9, "t": "real"},
                                {"workspace_id": "ws1", "Computer": "line\nbreak", "Seq": 3, "t": "real"},
                                {"workspace_id": "ws1", "Computer": "web01", "Seq": 9, "t": "real"}])

    def test_columns_given_send_nothing_when_made(self):
        rows, _, _ = self.query("create virtual table t using kql(query='Events', "
                                "columns='TimeGenerated:datetime, Computer:string, Seq:long');"
                                "select name, type from pragma_table_info('t');")
        self.assertEqual([(r["name"], r["type"]) for r in rows][:3],
                         [("TimeGenerated", "TEXT"), ("Computer", "TEXT"), ("Seq", "INTEGER")])
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_a_stored_table_keeps_its_columns_and_reopens_without_asking(self):
        db = os.path.join(self.tmp, "case.db")
        if os.path.exists(db):
            os.remove(db)
        # Three tables in one connection: SQLite reconnects every virtual table after each
        # schema change; the columns kept at CREATE answer those reconnects.
        subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", db,
                        "create virtual table a using kql(query='SecurityAlert');"
                        "create virtual table b using kql(query='Events');"
                        "create virtual table c using adx(cluster='help', database='Samples', query='Events');"],
                       check=True, env=self.env(), capture_output=True)
        self.assertEqual(self.stub.sent(), ["SecurityAlert\n| take 0", "Events\n| take 0", "Events\n| take 0"])
        self.stub.reset()
        out = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", db,
                              "select name from pragma_table_info('b') limit 3; drop table c;"],
                             env=self.env(), capture_output=True, text=True)
        self.assertEqual(out.stdout.split(), ["TimeGenerated", "Computer", "EventID"], out.stderr)
        self.assertEqual(self.stub.stats()["requests"], 0, "opening and inspecting a stored table sends nothing")
        out = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", db, "select count(*) from a"],
                             env=self.env(), capture_output=True, text=True)
        self.assertEqual(out.stdout.strip(), "5", out.stderr)
        self.assertEqual(self.stub.sent(), ["SecurityAlert"])

    def test_pushdown_text_for_three_queries(self):
        setup = "create virtual table alerts_live using kql(query='SecurityAlert');"
        cases = [
            ("select AlertName from alerts_live where CompromisedEntity = 'MSTICAlertsLxVM2' "
             "and TimeGenerated >= '2019-03-02' and TimeGenerated < '2019-03-03' order by TimeGenerated",
             "SecurityAlert\n"
             "| where CompromisedEntity == \"MSTICAlertsLxVM2\"\n"
             "| where TimeGenerated >= datetime(2019-03-02T00:00:00Z) and TimeGenerated < datetime(2019-03-03T00:00:00Z)",
             ["SSH Anomalous Login ML", "Detected suspicious file download",
              "Possible suspicious scheduling tasks access detected", "Suspicious Activity Detected"][:3]),
            # (SQLite offers a LIMIT to a virtual table only when every WHERE term is one it
            # can hand over: BETWEEN is not, in 3.40; >= and <= are.)
            ("select AlertName from alerts_live where Severity in ('High', 'Medium') "
             "and TimeGenerated >= '2019-03-02 00:00' and TimeGenerated <= '2019-03-02T00:10:30Z' limit 10",
             "SecurityAlert\n"
             "| where Severity in (\"High\", \"Medium\")\n"
             "| where TimeGenerated >= datetime(2019-03-02T00:00:00Z) and TimeGenerated < datetime(2019-03-02T00:10:30.001Z)\n"
             "| take 10",
             ["SSH Anomalous Login ML", "Detected suspicious file download"]),
            ("select AlertName from alerts_live where SystemAlertId = 'a1b2c3d4-0005' limit 5 offset 0",
             "SecurityAlert\n| where SystemAlertId == \"a1b2c3d4-0005\"\n| take 5",
             ["SSH Anomalous Login ML"]),
        ]
        for sql, kql, names in cases:
            with self.subTest(sql=sql):
                self.stub.reset()
                rows, q, st = self.last(setup + sql)
                self.assertEqual(q, kql)
                self.assertEqual(self.stub.sent(), ["SecurityAlert\n| take 0", kql])  # what the server got
                self.assertEqual([r["AlertName"] for r in rows], names)
                self.assertEqual(st["status"], "ok")
                print(f"\nSQL: {sql}\nKQL:\n{kql}")

    def test_limit_is_not_pushed_when_sqlite_must_filter_or_sort(self):
        setup = "create virtual table ev using kql(query='Events');"
        for sql in ("select Seq from ev order by Seq limit 2",
                    "select Seq from ev where Computer like 'web%' limit 2",
                    "select Seq from ev where Computer = char(7) limit 2"):
            with self.subTest(sql=sql):
                _, q, _ = self.last(setup + sql)
                self.assertNotIn("take", q)
        _, q, _ = self.last(setup + "select Seq from ev limit 2 offset 3")
        self.assertEqual(q, "Events\n| take 5")

    def test_hostile_strings_are_quoted_so_the_server_finds_exactly_them(self):
        values = {"it's": 0, 'say "hi"': 1, "back\\slash": 2, "line\nbreak": 3, "tab\there": 4,
                  "| where 1==1": 5, "// not a comment": 6, "caf\u00e9 \u6f22\u5b57": 7, "": 8}
        setup = "create virtual table ev using kql(query='Events');"
        for value, seq in values.items():
            with self.subTest(value=value):
                self.stub.reset()
                sql_literal = "'" + value.replace("'", "''") + "'"
                rows, q, _ = self.last(setup + f"select Seq from ev where Computer = {sql_literal}")
                self.assertEqual([r["Seq"] for r in rows], [seq])
                kql_literal = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
                self.assertEqual(q, f"Events\n| where Computer == {kql_literal}")
                self.assertEqual(self.stub.sent()[-1], q)
        # All at once, as one `in`.
        literals = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        rows, q, _ = self.last(setup + f"select Seq from ev where Computer in ({literals}) order by Seq")
        self.assertEqual([r["Seq"] for r in rows], sorted(values.values()))
        self.assertEqual(q.count("\n"), 1)
        self.assertTrue(q.startswith("Events\n| where Computer in ("))

    def test_a_value_no_literal_can_hold_is_filtered_here(self):
        rows, q, st = self.last("create virtual table ev using kql(query='Events');"
                                "select Seq from ev where Computer in (char(7), 'web01')")
        self.assertEqual(rows, [{"Seq": 9}])
        self.assertEqual(q, "Events")

    def test_numbers_and_impossible_values(self):
        setup = "create virtual table ev using kql(query='Events');"
        rows, q, _ = self.last(setup + "select count(*) as n from ev where EventID = '4624'")
        self.assertEqual((rows[0]["n"], q), (5, "Events\n| where EventID == 4624"))
        rows, q, _ = self.last(setup + "select Seq from ev where Score = 1.5")
        self.assertEqual((rows, q), ([{"Seq": 1}], "Events\n| where Score == real(1.5)"))
        rows, q, _ = self.last(setup + "select Seq from ev where Seq in (3, 4.0, 4.5)")
        self.assertEqual((rows, q), ([{"Seq": 3}, {"Seq": 4}], "Events\n| where Seq in (3, 4)"))
        before = self.stub.stats()["requests"]
        for sql in ("select * from ev where EventID = 'abc'", "select * from ev where Seq in (0.5)",
                    "select * from ev where TimeGenerated >= NULL", "select * from ev where Computer = NULL",
                    "select * from ev where TimeGenerated > '2019-03-02' and TimeGenerated < '2019-03-01'"):
            with self.subTest(sql=sql):
                rows, q, st = self.last(setup + sql)
                # A NULL is turned away by the vtab base before the scan starts (no record);
                # the others by the scan, which records status 'empty'.
                self.assertEqual((rows, q), ([], None))
                self.assertTrue(st is None or st["status"] == "empty", st)
        self.assertEqual(self.stub.stats()["requests"] - before, 5, "only the five CREATEs asked anything")

    def test_time_bounds_mean_the_instants(self):
        # Oracle: every row fetched, filtered here by the instants.
        setup = "create virtual table ev using kql(query='Events');"
        all_rows, _, _ = self.query(setup + "select TimeGenerated as t, Seq from ev")
        bounds = [("> '2019-03-02T00:01:00Z'", lambda t: t > "2019-03-02T00:01:00.000Z"),
                  (">= '2019-03-02 00:01'", lambda t: t >= "2019-03-02T00:01:00.000Z"),
                  ("<= '2019-03-02T01:03:00+01:00'", lambda t: t <= "2019-03-02T00:03:00.000Z"),
                  ("< 1551484980", lambda t: t < "2019-03-02T00:03:00.000Z"),
                  ("= '2019-03-02T00:04:00.000Z'", lambda t: t == "2019-03-02T00:04:00.000Z")]
        for sql, keep in bounds:
            with self.subTest(bound=sql):
                rows, q, _ = self.last(setup + f"select Seq from ev where TimeGenerated {sql} order by Seq")
                want = [r["Seq"] for r in all_rows if r["t"] is not None and keep(r["t"])]
                self.assertEqual([r["Seq"] for r in rows], sorted(want))
                self.assertIn("| where TimeGenerated ", q)

    # ---- the answer cap: split by time --------------------------------------------

    def test_a_cut_answer_is_split_until_every_row_is_there_in_time_order(self):
        self.stub.reset(row_cap=7000)
        rows, _, _ = self.query(
            "select count(*) as n, count(distinct json_extract(row, '$.Seq')) as d, sum(warning is not null) as w "
            "from kql('Big'); select kql_last_status() as s;")
        self.assertEqual(rows[0], {"n": 100000, "d": 100000, "w": 0})
        st = json.loads(rows[1]["s"])
        self.assertEqual(st["status"], "ok")
        self.assertGreaterEqual(st["splits"], 4)
        self.assertEqual(st["requests"], self.stub.stats()["requests"])
        self.assertIn("Big\n| summarize kql_min = min(TimeGenerated), kql_max = max(TimeGenerated), "
                      "kql_nulls = countif(isnull(TimeGenerated))", st["queries"])
        # Time order: Seq is the second of the row's time.
        rows, _, _ = self.query("select json_extract(row, '$.Seq') as s from kql('Big')")
        seqs = [r["s"] for r in rows]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(seqs), 100000)

    def test_the_parts_of_a_split_keep_to_the_rate_limit(self):
        # kql.rate is a bucket of that many requests a minute for the whole process: with 3,
        # a split that needs more stops at the 4th (it would wait 20 s, past kql.timeout)
        # and the server never sees more than 3.
        self.stub.reset(row_cap=30000)
        err = self.error("select count(*) from kql('Big')", self.env(SQLHUNT_KQL_RATE="3", SQLHUNT_KQL_TIMEOUT="10"))
        self.assertIn("kql: ws1: rate limited", err)
        self.assertEqual(self.stub.stats()["requests"], 3)

    def test_sql_bounds_split_without_a_probe(self):
        self.stub.reset(row_cap=3000)
        rows, q, st = self.last("create virtual table big using kql(query='Big');"
                                "select count(*) as n, min(Seq) as lo, max(Seq) as hi from big "
                                "where TimeGenerated >= '2019-03-01T01:00:00Z' and TimeGenerated < '2019-03-01T05:00:00Z'")
        self.assertEqual(rows, [{"n": 14400, "lo": 3600, "hi": 17999}])
        self.assertFalse([k for k in st["queries"] if "summarize" in k])
        self.assertEqual(st["status"], "ok")

    def test_what_cannot_be_split_comes_with_a_warning_row(self):
        self.stub.reset(row_cap=10)
        rows, _, st = self.last("select row_index, warning from kql('Nulls')")
        self.assertEqual(len(rows), 11)
        self.assertIsNotNone(rows[0]["warning"])
        self.assertIn("null", rows[0]["warning"])
        self.assertEqual(st["status"], "truncated")
        # The typed table says it too, and the warning row passes the time bounds.
        rows, _, st = self.last("create virtual table n using kql(query='Nulls');"
                                "select n, warning from n")
        self.assertIsNotNone(rows[0]["warning"])
        self.assertEqual(st["status"], "truncated")

    def test_an_answer_past_max_response_is_split_too(self):
        env = self.env(SQLHUNT_KQL_MAX_RESPONSE_MB="1")
        rows, _, _ = self.query("select count(*) as n, sum(warning is not null) as w from kql('Huge');"
                                "select kql_last_status() as s", env)
        self.assertEqual((rows[0]["n"], rows[0]["w"]), (2000, 0))
        self.assertGreater(json.loads(rows[1]["s"])["splits"], 0)

    def test_a_partial_answer_is_never_taken_for_the_whole(self):
        rows, _, st = self.last("select row_index, warning from kql('Partial')")
        self.assertIn("E_LOW_MEMORY_CONDITION", rows[0]["warning"])
        self.assertIsNone(rows[1]["warning"])
        self.assertEqual(st["status"], "partial")

    # ---- ADX -------------------------------------------------------------------------

    def test_adx_v2_and_v1(self):
        for api in ("2", "1"):
            with self.subTest(api=api):
                self.stub.reset(row_cap=4)
                env = self.env(SQLHUNT_ADX_API=api)
                rows, _, _ = self.query("select count(*) as n, sum(warning is not null) as w "
                                        "from adx('help', 'Samples', 'Events')", env)
                self.assertEqual(rows, [{"n": 11, "w": 0}], "cut at 4 rows, split, the null-time row in its own part")
                self.assertIn("Events\n| where isnull(TimeGenerated)", self.stub.sent())
                self.assertTrue(all(q["path"] == f"/adx/help/v{api}/rest/query" for q in self.stub.stats()["queries"]))
                self.assertEqual(self.stub.stats()["queries"][0]["db"], "Samples")
                rows, _, _ = self.query("create virtual table e using adx(cluster='help', database='Samples', "
                                        "query='Events | take 3');"
                                        "select typeof(Seq) as t, Data from e where Seq = 2", env)
                self.assertEqual(rows, [{"t": "integer", "Data": "{\"n\":2,\"tags\":[\"a\",\"b\"]}"}])

    def test_adx_cluster_is_a_name_never_a_host(self):
        err = self.error("select * from adx('evil.example/x', 'Samples', 'Events')")
        self.assertIn("not a cluster name", err)
        rows, _, _ = self.query(f"select count(*) as n from adx('{self.stub.base}/adx/help', 'Samples', 'Events')")
        self.assertEqual(rows, [{"n": 11}])
        err = self.error("select * from adx('https://other.example', 'Samples', 'Events')")
        self.assertIn("is not a URL adx.url", err)

    # ---- auth ------------------------------------------------------------------------

    def creds_env(self, **extra):
        creds = {"SQLHUNT_LOGANALYTICS_TOKEN": None, "SQLHUNT_AZURE_TENANT": "contoso",
                 "SQLHUNT_AZURE_CLIENT_ID": "app-1", "SQLHUNT_AZURE_CLIENT_SECRET": SECRET}
        creds.update(extra)
        return self.env(**creds)

    def run_python(self, script, env):
        code = ("import sqlite3, sys, time, json\n"
                f"c = sqlite3.connect(':memory:'); c.enable_load_extension(True); c.load_extension({EXTENSION!r})\n"
                + script)
        out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout

    def test_client_credentials_token_kept_then_refreshed_after_expiry(self):
        self.stub.reset(token_life=2)
        self.run_python("for i in range(3):\n"
                        "    c.execute(\"select count(*) from kql('SecurityAlert')\").fetchall()\n"
                        "time.sleep(2.3)\n"
                        "c.execute(\"select count(*) from kql('SecurityAlert')\").fetchall()\n", self.creds_env())
        st = self.stub.stats()
        self.assertEqual(st["requests"], 4)
        self.assertEqual(st["token_requests"], 2, "one token for three queries, a new one after expires_in")
        self.assertEqual(st["scopes"], ["https://api.loganalytics.io/.default"] * 2)

    def test_a_401_forgets_the_token_and_asks_once_more(self):
        # The server stops taking the token after 1 s although it said an hour.
        self.stub.reset(token_life=3600, token_valid=1)
        self.run_python("print(c.execute(\"select count(*) from kql('SecurityAlert')\").fetchall())\n"
                        "time.sleep(1.3)\n"
                        "print(c.execute(\"select count(*) from kql('SecurityAlert')\").fetchall())\n", self.creds_env())
        st = self.stub.stats()
        self.assertEqual(st["token_requests"], 2)
        self.assertEqual(st["requests"], 3, "the refused request was sent again with the new token")

    def test_adx_token_scope_is_the_cluster(self):
        self.query("select count(*) from adx('help', 'Samples', 'Events')",
                   self.creds_env(SQLHUNT_ADX_TOKEN=None))
        self.assertEqual(self.stub.stats()["scopes"], [self.stub.base + "/adx/help/.default"])

    def test_auth_errors(self):
        err = self.error("select * from kql('SecurityAlert')", self.env(SQLHUNT_LOGANALYTICS_TOKEN=None))
        self.assertIn("kql: no credentials (azure.tenant, azure.client_id, azure.client_secret not set)", err)
        err = self.error("select * from kql('SecurityAlert')", self.env(SQLHUNT_LOGANALYTICS_TOKEN="wrong"))
        self.assertIn("kql: ws1: not authorized (403 InvalidAuthenticationToken: The access token is invalid.)", err)
        err = self.error("select * from kql('SecurityAlert')",
                         self.creds_env(SQLHUNT_AZURE_CLIENT_SECRET="not-the-secret"))
        self.assertIn("Azure AD refused the client credentials (401 invalid_client: AADSTS7000215", err)
        self.assertNotIn("not-the-secret", err)
        err = self.error("select * from kql('SecurityAlert', 'forbidden-ws')")
        self.assertIn("not authorized (403 InsufficientAccessError", err)

    def test_secrets_never_in_errors_cache_or_trace(self):
        env = self.creds_env(SQLHUNT_TRACE_HTTP="1", SQLHUNT_KQL_CACHE_TTL="60",
                             SQLHUNT_CACHE=os.path.join(self.tmp, "secrets.db"))
        _, err, _ = self.query("select count(*) from kql('SecurityAlert'); select * from kql('Nope');", env, check=False)
        self.assertIn("sqlhunt http", err)
        self.assertIn("Failed to resolve table", err)
        for secret in (SECRET, "stub-token-"):
            self.assertNotIn(secret, err)
        data = open(os.path.join(self.tmp, "secrets.db"), "rb").read()
        self.assertIn(b"MSTICAlertsLxVM2", data, "the answer was cached")
        for secret in (SECRET.encode(), b"stub-token-", TOKEN.encode()):
            self.assertNotIn(secret, data)

    # ---- errors ------------------------------------------------------------------------

    def test_bad_kql_is_an_sql_error_with_the_api_message(self):
        err = self.error("select * from kql('SecurityAlert | wher Severity == 1')")
        self.assertEqual(err.splitlines()[-1].split("kql: ", 1)[1],
                         "the query was refused (400 BadArgumentError: The request had some invalid properties: "
                         "A recognition error occurred in the query.: Query could not be parsed at 'wher'); "
                         "KQL sent: SecurityAlert | wher Severity == 1")
        err = self.error("create virtual table t using kql(query='NoSuchTable')")
        self.assertIn("Failed to resolve table or column expression named 'NoSuchTable'", err)

    def test_server_errors(self):
        self.assertIn("kql: missing-ws: no such workspace (404 WorkspaceNotFoundError",
                      self.error("select * from kql('SecurityAlert', 'missing-ws')"))
        self.assertIn("kql: ws1: the server answered 500 (InternalServerError: Something went wrong",
                      self.error("select * from kql('Boom')"))
        self.assertIn("kql: the answer cannot be read: not a Log Analytics answer",
                      self.error("select * from kql('Garbage')"))
        self.assertIn("no workspace: give kql(query, workspace) or set SQLHUNT_LOGANALYTICS_WORKSPACE",
                      self.error("select * from kql('X')", self.env(SQLHUNT_LOGANALYTICS_WORKSPACE=None)))
        self.assertIn("is not a workspace ID", self.error("select * from kql('X', '../v2')"))

    def test_429_retry_after(self):
        rows, _, elapsed = self.query("select count(*) as n from kql('Throttled')")
        self.assertEqual(rows, [{"n": 11}])
        self.assertEqual(self.stub.stats()["requests"], 2)
        self.assertGreaterEqual(elapsed, 0.9, "asked again only after Retry-After: 1")
        err = self.error("select * from kql('Throttled120')", self.env(SQLHUNT_KQL_TIMEOUT="2"))
        self.assertIn("kql: ws1: rate limited: kql: 429 Too Many Requests, retry after 120 s", err)

    def test_a_slow_reply_stops_at_the_timeout(self):
        self.stub.reset(slow_seconds=8)
        start = time.monotonic()
        err = self.error("select * from kql('Slow')", self.env(SQLHUNT_KQL_TIMEOUT="1"))
        self.assertLess(time.monotonic() - start, 6)
        self.assertIn("kql: ws1: timed out after 1 s (kql.timeout)", err)

    # ---- offline, cache, trust ---------------------------------------------------------

    def test_offline_sends_nothing(self):
        rows, _, st = self.last("select workspace_id, row, warning from kql('SecurityAlert')",
                                self.env(SQLHUNT_OFFLINE="1"))
        self.assertEqual(len(rows), 1)
        self.assertIsNone(rows[0]["row"])
        self.assertIn("offline", rows[0]["warning"])
        self.assertEqual(st["status"], "offline")
        err = self.error("create virtual table t using kql(query='SecurityAlert')", self.env(SQLHUNT_OFFLINE="1"))
        self.assertIn("sqlhunt is offline: give them with columns=", err)
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_offline_set_in_sql_sends_nothing_for_kql_adx_or_a_token(self):
        sql = ("select sqlhunt_config('offline', 1);"
               "select 'kql' as t, row, warning from kql('SecurityAlert', '[\"ws1\", \"ws2\"]');"
               "select 'adx' as t, row, warning from adx('help', 'Samples', 'Events');"
               "create virtual table typed using kql(query='SecurityAlert', columns='TimeGenerated:datetime, AlertName:string');"
               "select 'typed' as t, AlertName as row, warning from typed where AlertName = 'x' limit 3;"
               "select kql_last_status() as s;")
        for env in (self.env(), self.creds_env()):
            rows = self.query(sql, env)[0]
            status = json.loads(rows.pop()["s"])
            rows.pop(0)  # sqlhunt_config's answer
            self.assertEqual([r["t"] for r in rows], ["kql", "kql", "adx", "typed"], "a warning row each, per workspace")
            for r in rows:
                self.assertIsNone(r["row"])
                self.assertIn("offline: not asked: sqlhunt is offline", r["warning"])
            self.assertEqual((status["status"], status["requests"]), ("offline", 0))
            st = self.stub.stats()
            self.assertEqual((st["requests"], st["token_requests"]), (0, 0), "no query, no token asked for")
        # Turned off again in the same session, the same scan asks.
        rows = self.query("select sqlhunt_config('offline', 1); select sqlhunt_config('offline', 0);"
                          "select count(*) as n from kql('SecurityAlert')")[0]
        self.assertEqual(rows[-1], {"n": 5})
        self.assertEqual(self.stub.stats()["requests"], 1)

    def test_cache_is_off_by_default_and_answers_when_on(self):
        cache = os.path.join(self.tmp, "c.db")
        self.query("select count(*) from kql('SecurityAlert')", self.env(SQLHUNT_CACHE=cache))
        self.query("select count(*) from kql('SecurityAlert')", self.env(SQLHUNT_CACHE=cache))
        self.assertEqual(self.stub.stats()["requests"], 2)
        self.assertFalse(os.path.exists(cache) and b"MSTICAlertsLxVM2" in open(cache, "rb").read())
        env = self.env(SQLHUNT_CACHE=cache, SQLHUNT_KQL_CACHE_TTL="600")
        self.stub.reset()
        self.query("select count(*) from kql('SecurityAlert')", env)
        rows, _, st = self.last("select count(*) as n from kql('SecurityAlert')", env)
        self.assertEqual(rows, [{"n": 5}])
        self.assertEqual((st["requests"], st["cached"]), (0, 1))
        self.assertEqual(self.stub.stats()["requests"], 1)
        # Offline, the cached answer still answers.
        rows, _, st = self.last("select count(*) as n from kql('SecurityAlert')",
                                self.env(SQLHUNT_CACHE=cache, SQLHUNT_KQL_CACHE_TTL="600", SQLHUNT_OFFLINE="1"))
        self.assertEqual((rows, st["status"]), ([{"n": 5}], "ok"))
        # A partial answer is never cached.
        self.query("select count(*) from kql('Partial')", env)
        self.query("select count(*) from kql('Partial')", env)
        self.assertEqual(sum(1 for q in self.stub.stats()["queries"] if q["kql"] == "Partial"), 2)

    def test_direct_only(self):
        err = self.error("create view v as select * from kql('SecurityAlert'); select * from v;")
        self.assertIn("unsafe use of virtual table", err)

    def test_docs_examples_against_the_stub(self):
        """docs/kql.md's blocks with output under them, run as test_doc_examples runs
        every other page (its own directive skips it there: it needs a workspace)."""
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import test_doc_examples as docs
        page = os.path.join(SOURCE, "docs", "kql.md")
        saved, env = dict(os.environ), self.env()  # (env() reads os.environ: before clearing it)
        os.environ.clear()
        os.environ.update(env)
        checked = 0
        try:
            for lineno, _, block in docs.blocks(page):
                stmts = docs.statements(block)
                if not any(expected for _, expected in stmts):
                    continue
                outputs = docs.run_block(stmts)
                for n, (sql, expected) in enumerate(stmts):
                    if expected is None:
                        continue
                    checked += 1
                    actual = outputs[n].rstrip("\n").split("\n") if n < len(outputs) and outputs[n] else []
                    with self.subTest(line=lineno, sql=sql):
                        self.assertEqual(actual, expected)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.assertGreaterEqual(checked, 7)

    def test_base_url_cannot_come_from_sql(self):
        err = self.error("select sqlhunt_config('loganalytics.url', 'https://elsewhere.example')")
        self.assertIn("'loganalytics.url' can only be set in the environment (SQLHUNT_LOGANALYTICS_URL)", err)


if __name__ == "__main__":
    if not network_build():
        print("skipped: the no-network build has no kql()")
        sys.exit(SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
