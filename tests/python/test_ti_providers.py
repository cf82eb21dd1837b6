"""ti_lookup and ip_enrichment's TI columns against a local provider stub.

Every remote provider is pointed (SQLHUNT_<P>_URL) at tests/servers/provider_stub.py on
127.0.0.1; nothing else is ever contacted. Each query runs in its own sqlite3 shell
process, so the per-process rate-limit state of one test never leaks into another.

Proves: each provider's documented reply format is read (ok / not_found, severity
rules), 404 / 429 + Retry-After / 500 / slow / malformed / redirect become rows with a
status (never a failed query, never a hang), a 200-IP batch with 100 ms latency runs
concurrently, the second run makes no request (cache), the rate limit and quota wait,
and an API key never reaches the cache file, an error or the trace log.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local_server import EXTENSION, SHELL, SOURCE, LocalServer, ShellQueries, network_build  # noqa: E402
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
KEY = "sk-test-7f3a9c1e5b2d4068"
SKIP = 77


class Stub(LocalServer):
    def __init__(self, delay_ms=0):
        super().__init__("provider_stub.py", "--key", KEY, "--delay-ms", str(delay_ms))

    def stats(self):
        with urllib.request.urlopen(self.base + "/_stats", timeout=5) as r:
            return json.load(r)

    def reset(self):
        urllib.request.urlopen(self.base + "/_reset", timeout=5).read()


class Providers(ShellQueries, unittest.TestCase):
    stub: Stub

    @classmethod
    def setUpClass(cls):
        cls.stub = Stub()
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-ti-")

    @classmethod
    def tearDownClass(cls):
        cls.stub.stop()

    def setUp(self):
        self.stub.reset()
        self.cache = os.path.join(self.tmp, f"{self.id().rsplit('.', 1)[-1]}.db")

    def env(self, stub=None, **extra):
        stub = stub or self.stub
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQLHUNT_") or k in (
            "SQLHUNT_EXTENSION", "SQLHUNT_SANITIZE")}
        env.update({
            "SQLHUNT_VIRUSTOTAL_URL": stub.base + "/vt", "SQLHUNT_ABUSEIPDB_URL": stub.base + "/abuseipdb",
            "SQLHUNT_OTX_URL": stub.base + "/otx", "SQLHUNT_GREYNOISE_URL": stub.base + "/greynoise",
            "SQLHUNT_VIRUSTOTAL_KEY": KEY, "SQLHUNT_ABUSEIPDB_KEY": KEY, "SQLHUNT_OTX_KEY": KEY,
            "SQLHUNT_GREYNOISE_KEY": KEY,
            "SQLHUNT_VIRUSTOTAL_RATE": "0", "SQLHUNT_ABUSEIPDB_RATE": "0", "SQLHUNT_OTX_RATE": "0",
            "SQLHUNT_GREYNOISE_RATE": "0",
            "SQLHUNT_CACHE": self.cache, "SQLHUNT_HTTP_TIMEOUT": "3",
            # ip_enrichment's other remote sources: a closed port on 127.0.0.1, never the
            # machine's resolver or a real registry.
            "SQLHUNT_DNS_SERVER": "127.0.0.1:9", "SQLHUNT_DNS_TIMEOUT": "1",
            "SQLHUNT_RDAP_URL": stub.base + "/rdap",
        })
        env.update(extra)
        return env

    def by_provider(self, observable, providers="'virustotal','abuseipdb','otx','greynoise'", env=None):
        rows, _, _ = self.query(f"select * from ti_lookup where observable = '{observable}' "
                                f"and provider in ({providers})", env)
        return {r["provider"]: r for r in rows}

    def test_malicious_in_every_provider_format(self):
        rows = self.by_provider("6.6.6.6")
        self.assertEqual(set(rows), {"virustotal", "abuseipdb", "otx", "greynoise"})
        for p, r in rows.items():
            self.assertEqual((r["status"], r["severity"]), ("ok", "high"), (p, r))
            self.assertEqual(r["ioc_type"], "ipv4")
            self.assertEqual(r["cached"], 0)
            json.loads(r["details"])
            json.loads(r["raw"])
        self.assertEqual(rows["virustotal"]["result"], "5 malicious, 0 suspicious of 85 engines")
        self.assertEqual(json.loads(rows["virustotal"]["details"])["last_analysis_stats"]["malicious"], 5)
        self.assertEqual(rows["abuseipdb"]["result"], "abuse confidence 100%, 300 reports")
        self.assertEqual(rows["otx"]["result"], "3 pulses")
        self.assertEqual(rows["greynoise"]["result"], "malicious (Example Scanner)")
        self.assertEqual(rows["virustotal"]["reference"], "https://www.virustotal.com/gui/ip-address/6.6.6.6")

    def test_severity_thresholds(self):
        rows = self.by_provider("5.5.5.5")
        # VirusTotal 1 malicious: warning; AbuseIPDB 25: warning; OTX 1 pulse: warning;
        # GreyNoise 'unknown' classification: information.
        self.assertEqual({p: r["severity"] for p, r in rows.items()},
                         {"virustotal": "warning", "abuseipdb": "warning", "otx": "warning",
                          "greynoise": "information"})
        rows = self.by_provider("8.8.4.4")
        self.assertEqual({r["severity"] for r in rows.values()}, {"information"})

    def test_not_found(self):
        rows = self.by_provider("4.4.4.4")
        for p, r in rows.items():
            self.assertEqual((r["status"], r["severity"]), ("not_found", "information"), p)
        self.assertIn("not observed", rows["greynoise"]["result"])
        self.assertEqual(rows["virustotal"]["result"], "Resource 4.4.4.4 not found")

    def test_other_types_go_to_the_providers_that_support_them(self):
        md5 = "eeeeeeee0123456789abcdef01234567"
        rows, _, _ = self.query("select observable, ioc_type, provider, status, severity, status_detail "
                                f"from ti_lookup where observable in ('evil.example.com', '{md5.upper()}', "
                                "'hxxp://evil[.]example[.]com/a') and provider != 'local' order by 1, 3")
        self.assertEqual([(r["observable"], r["ioc_type"], r["provider"], r["status"], r["severity"]) for r in rows], [
            (md5.upper(), "md5", "abuseipdb", "skipped", "unknown"),
            (md5.upper(), "md5", "greynoise", "skipped", "unknown"),
            (md5.upper(), "md5", "otx", "ok", "high"),
            (md5.upper(), "md5", "virustotal", "ok", "high"),
            ("evil.example.com", "domain", "abuseipdb", "skipped", "unknown"),
            ("evil.example.com", "domain", "greynoise", "skipped", "unknown"),
            ("evil.example.com", "domain", "otx", "ok", "high"),
            ("evil.example.com", "domain", "virustotal", "ok", "high"),
            ("hxxp://evil[.]example[.]com/a", "url", "abuseipdb", "skipped", "unknown"),
            ("hxxp://evil[.]example[.]com/a", "url", "greynoise", "skipped", "unknown"),
            ("hxxp://evil[.]example[.]com/a", "url", "otx", "ok", "information"),
            ("hxxp://evil[.]example[.]com/a", "url", "virustotal", "ok", "information"),
        ])
        self.assertEqual(rows[0]["status_detail"], "abuseipdb: not asked: it answers ipv4 ipv6 only, not md5")
        paths = self.stub.stats()["paths"]
        # Asked about the value ioc_type() reads: the hash in lower case, the URL refanged.
        self.assertEqual(paths.get(f"/vt/files/{md5}"), 1)
        self.assertEqual(paths.get("/otx/indicators/domain/evil.example.com/general"), 1)
        self.assertEqual(paths.get("/otx/indicators/url/http://evil.example.com/a/general"), 1)  # stub unquotes
        self.assertEqual(self.stub.stats()["requests"], 6)

    def test_what_is_no_indicator_is_never_sent(self):
        # The file names and non-public names a second classifier once called domains.
        rows, _, _ = self.query("select observable, provider, status, status_detail from ti_lookup "
                                "where observable in ('report.zip', 'host.local', 'a_b.com') "
                                "and provider = 'virustotal' order by 1")
        self.assertEqual({r["status"] for r in rows}, {"skipped"})
        self.assertEqual(rows[0]["status_detail"], "virustotal: not asked: not an indicator (ioc_type() is NULL)")
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_failures_are_rows(self):
        env = self.env(SQLHUNT_HTTP_TIMEOUT="1")
        rows, _, elapsed = self.query(
            "select observable, provider, status, status_detail, severity from ti_lookup "
            "where observable in ('9.9.9.2', '9.9.9.3', '9.9.9.4', '9.9.9.5') and provider = 'virustotal' "
            "order by 1", env)
        got = {r["observable"]: r for r in rows}
        self.assertEqual({r["status"] for r in rows}, {"error"})
        self.assertEqual({r["severity"] for r in rows}, {"unknown"})
        self.assertEqual(got["9.9.9.2"]["status_detail"], "virustotal: HTTP 500: server exploded")
        self.assertRegex(got["9.9.9.3"]["status_detail"], r"^virustotal: timed out after 1 s \(http.timeout\)$")
        self.assertEqual(got["9.9.9.4"]["status_detail"], "virustotal: malformed JSON in the reply (HTTP 200)")
        self.assertIn("redirect to '", got["9.9.9.5"]["status_detail"])
        self.assertIn("not followed", got["9.9.9.5"]["status_detail"])
        self.assertLess(elapsed, 4.5, "the slow reply (5 s) must be cut by http.timeout = 1 s")
        # The redirect was not followed: nothing asked for /elsewhere.
        self.assertNotIn("/elsewhere", self.stub.stats()["paths"])

    def test_failures_are_not_cached(self):
        sql = "select status from ti_lookup where observable = '9.9.9.2' and provider = 'otx'"
        self.query(sql)
        self.query(sql)
        self.assertEqual(self.stub.stats()["paths"]["/otx/indicators/IPv4/9.9.9.2/general"], 2)

    def test_429_retry_after_is_honoured(self):
        rows, _, elapsed = self.query(
            "select provider, status from ti_lookup where observable = '9.9.9.1' and provider = 'virustotal'")
        self.assertEqual(rows, [{"provider": "virustotal", "status": "ok"}])
        self.assertEqual(self.stub.stats()["paths"]["/vt/ip_addresses/9.9.9.1"], 2)
        self.assertGreaterEqual(elapsed, 0.9, "retried only after Retry-After: 1")

    def test_429_past_the_quota_wait_is_quota(self):
        env = self.env(SQLHUNT_HTTP_QUOTA_WAIT="2")
        rows, _, elapsed = self.query(
            "select provider, status, status_detail from ti_lookup "
            "where observable in ('9.9.9.6', '8.8.8.8') and provider = 'virustotal'", env)
        self.assertEqual(len(rows), 2)
        by_status = {r["status"] for r in rows}
        self.assertIn("quota", by_status)
        quota = [r for r in rows if r["status"] == "quota"][0]
        self.assertIn("retry after 120 s", quota["status_detail"])
        self.assertLess(elapsed, 10)

    def test_rate_limit_and_quota_wait(self):
        env = self.env(SQLHUNT_VIRUSTOTAL_RATE="4", SQLHUNT_HTTP_QUOTA_WAIT="1")
        ips = ", ".join(f"'7.7.7.{i}'" for i in range(1, 11))
        rows, _, elapsed = self.query(
            f"select status, count(*) n from ti_lookup where observable in ({ips}) and provider = 'virustotal' "
            "group by status order by status", env)
        self.assertEqual(rows, [{"status": "ok", "n": 4}, {"status": "quota", "n": 6}])
        self.assertEqual(self.stub.stats()["requests"], 4)
        self.assertLess(elapsed, 5)

    def test_no_key_is_a_row_not_an_error(self):
        env = self.env()
        for k in ("SQLHUNT_VIRUSTOTAL_KEY", "SQLHUNT_ABUSEIPDB_KEY", "SQLHUNT_OTX_KEY", "SQLHUNT_GREYNOISE_KEY"):
            del env[k]
        rows = self.by_provider("6.6.6.6", "'local','virustotal','abuseipdb','otx','greynoise'", env=env)
        # Every provider without its setting says so the same way, local included.
        self.assertEqual({p: r["status"] for p, r in rows.items()},
                         {p: "not_configured" for p in ("local", "virustotal", "abuseipdb", "otx", "greynoise")})
        self.assertEqual(rows["virustotal"]["status_detail"],
                         "virustotal: no API key (set SQLHUNT_VIRUSTOTAL_KEY or sqlhunt_config('virustotal.key', ...))")
        self.assertIn("set ti.local", rows["local"]["status_detail"])
        self.assertEqual({r["fetched_at"] for r in rows.values()}, {None})
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_key_from_sqlhunt_config(self):
        env = self.env()
        del env["SQLHUNT_VIRUSTOTAL_KEY"]
        rows, _, _ = self.query(
            f"select sqlhunt_config('virustotal.key', '{KEY}') k;"
            "select status from ti_lookup where observable = '6.6.6.7' and provider = 'virustotal'", env)
        self.assertEqual(rows, [{"k": "set"}, {"status": "ok"}])

    def test_wrong_key_is_refused_without_showing_it(self):
        env = self.env(SQLHUNT_VIRUSTOTAL_KEY="sk-wrong-key-5555", SQLHUNT_ABUSEIPDB_KEY="sk-wrong-key-5555")
        rows = self.by_provider("6.6.6.6", "'virustotal','abuseipdb'", env)
        for r in rows.values():
            self.assertEqual(r["status"], "error")
            self.assertIn("HTTP 401, the key was refused", r["status_detail"])
            self.assertNotIn("sk-wrong-key-5555", json.dumps(r))

    def test_a_key_echoed_by_the_server_is_redacted(self):
        rows, _, _ = self.query("select status, status_detail, raw from ti_lookup "
                                "where observable = '9.9.9.7' and provider = 'virustotal'")
        self.assertEqual(rows, [{"status": "error", "raw": None,
                                 "status_detail": "virustotal: HTTP 403, the key was refused: "
                                                  "key [redacted] may not do this"}])

    def test_base_url_cannot_come_from_sql(self):
        _, err, _ = self.query("select sqlhunt_config('virustotal.url', 'http://127.0.0.1:1/')", check=False)
        self.assertIn("can only be set in the environment (SQLHUNT_VIRUSTOTAL_URL)", err)

    def test_batch_of_200_runs_concurrently(self):
        slow = Stub(delay_ms=100)
        try:
            ips = ", ".join(f"'7.1.{i // 200}.{i % 200}'" for i in range(200))
            rows, _, elapsed = self.query(
                f"select count(*) n, sum(status = 'ok') ok from ti_lookup where observable in ({ips}) "
                "and provider = 'virustotal'", self.env(slow))
            self.assertEqual(rows, [{"n": 200, "ok": 200}])
            self.assertEqual(slow.stats()["requests"], 200)
            # Sequentially: 200 x 100 ms = 20 s. Concurrently (16 at a time): about 1.3 s.
            self.assertLess(elapsed, 6.0, f"200 requests with 100 ms latency took {elapsed:.1f} s")
        finally:
            slow.stop()

    def test_second_run_makes_no_request_and_the_key_is_not_in_the_cache(self):
        ips = ", ".join(f"'6.6.{i}.1'" for i in range(20)) + ", '4.4.4.4'"
        sql = (f"select observable, provider, status, severity, cached from ti_lookup "
               f"where observable in ({ips}) and provider != 'local' order by 1, 2")
        first, _, _ = self.query(sql)
        n = self.stub.stats()["requests"]
        self.assertEqual(n, 21 * 4)
        self.assertEqual({r["cached"] for r in first}, {0})
        self.stub.reset()
        second, _, _ = self.query(sql)
        self.assertEqual(self.stub.stats()["requests"], 0, "the second run must be answered from the cache")
        self.assertEqual({r["cached"] for r in second}, {1})
        strip = lambda rows: [{k: v for k, v in r.items() if k != "cached"} for r in rows]
        self.assertEqual(strip(first), strip(second))
        # not_found is cached too (negative caching).
        self.assertIn({"observable": "4.4.4.4", "provider": "virustotal", "status": "not_found",
                       "severity": "information", "cached": 1}, second)
        # The key is in no byte of the cache (database, WAL, anything beside it).
        for name in os.listdir(self.tmp):
            if name.startswith(os.path.basename(self.cache)):
                with open(os.path.join(self.tmp, name), "rb") as f:
                    self.assertNotIn(KEY.encode(), f.read(), name)
        # sqlhunt_cache_clear empties it, and the next run asks again.
        rows, _, _ = self.query("select sqlhunt_cache_clear('virustotal') n")
        self.assertEqual(rows, [{"n": 21}])
        self.query(sql)
        self.assertEqual(self.stub.stats()["requests"], 21)

    def test_two_processes_share_the_cache(self):
        ips = ", ".join(f"'6.5.{i}.9'" for i in range(30))
        sql = f"select count(*) n from ti_lookup where observable in ({ips}) and provider != 'local'"
        procs = [subprocess.Popen([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:", sql],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env())
                 for _ in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=60)
            self.assertEqual((p.returncode, out.strip(), err), (0, "120", ""))
        rows, _, _ = self.query(f"select sum(cached) c from ti_lookup where observable in ({ips}) "
                                "and provider != 'local'")
        self.assertEqual(rows, [{"c": 120}])

    def test_trace_log_never_shows_the_key(self):
        env = self.env(SQLHUNT_TRACE_HTTP="1")
        _, err, _ = self.query("select * from ti_lookup where observable in ('6.6.6.1', '9.9.9.2')", env)
        self.assertIn("sqlhunt http virustotal", err)
        self.assertNotIn(KEY, err)

    def test_private_addresses_are_not_sent(self):
        # A row per provider asked, so "not asked" is never mistaken for "nothing found".
        addrs = ("10.1.2.3", "192.168.0.1", "198.18.0.1", "127.0.0.1", "2001:db8::1", "::ffff:10.0.0.1")
        rows, _, _ = self.query("select observable, provider, status, status_detail, severity, fetched_at "
                                f"from ti_lookup where observable in ({', '.join(repr(a) for a in addrs)}) "
                                "and provider != 'local'")
        remote = {"virustotal", "abuseipdb", "otx", "greynoise"}
        for a in addrs:
            asked = {r["provider"] for r in rows if r["observable"] == a}
            self.assertEqual(asked, remote, a)
        self.assertEqual({r["status"] for r in rows}, {"skipped"})
        self.assertEqual({r["severity"] for r in rows}, {"unknown"})
        self.assertEqual({r["fetched_at"] for r in rows}, {None})
        got = {(r["observable"], r["provider"]): r["status_detail"] for r in rows}
        self.assertEqual(got[("10.1.2.3", "virustotal")],
                         "virustotal: not asked: 10.1.2.3 is a private address, "
                         "and only public addresses are sent to remote providers")
        self.assertEqual(got[("198.18.0.1", "abuseipdb")],
                         "abuseipdb: not asked: 198.18.0.1 is a reserved address, "
                         "and only public addresses are sent to remote providers")
        self.assertIn("is a documentation address", got[("2001:db8::1", "otx")])
        self.assertEqual(got[("2001:db8::1", "greynoise")], "greynoise: not asked: it answers ipv4 only, not ipv6")
        self.assertIn("is a private address", got[("::ffff:10.0.0.1", "virustotal")])
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_offline_sends_nothing_and_says_so(self):
        # Asked once online (so cached), then offline: the cached answer is still used,
        # what was never asked says 'offline', local answers as always, and the stub
        # sees no request.
        self.query("select status from ti_lookup where observable = '6.6.6.6' and provider = 'virustotal'")
        self.stub.reset()
        rows, _, _ = self.query("select observable, provider, status, status_detail, cached from ti_lookup "
                                "where observable in ('6.6.6.6', '5.5.5.5') and provider in ('local', 'virustotal') "
                                "order by 1, 2", self.env(SQLHUNT_OFFLINE="1"))
        got = {(r["observable"], r["provider"]): (r["status"], r["cached"]) for r in rows}
        self.assertEqual(got, {("5.5.5.5", "local"): ("not_configured", 0), ("5.5.5.5", "virustotal"): ("offline", 0),
                               ("6.6.6.6", "local"): ("not_configured", 0), ("6.6.6.6", "virustotal"): ("ok", 1)})
        offline = [r for r in rows if r["status"] == "offline"][0]
        self.assertTrue(offline["status_detail"].startswith("virustotal: not asked: sqlhunt is offline"))
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_unknown_provider_is_an_error(self):
        _, err, _ = self.query("select * from ti_lookup where observable = '1.2.3.4' and provider = 'virustotl'",
                               check=False)
        self.assertIn("unknown provider 'virustotl'", err)

    def test_ip_enrichment_ti_columns(self):
        rows, _, _ = self.query(
            "select ip, class, ti_severity, json_extract(ti, '$.virustotal.status') vt, "
            "json_extract(status, '$.ti.otx') otx, cached from ip_enrichment "
            "where ip in ('6.6.6.6', '5.5.5.5', '10.0.0.1') order by ip")
        self.assertEqual(rows, [
            {"ip": "10.0.0.1", "class": "private", "ti_severity": "unknown", "vt": "skipped", "otx": "skipped",
             "cached": None},
            {"ip": "5.5.5.5", "class": "public", "ti_severity": "warning", "vt": "ok", "otx": "ok", "cached": 0},
            {"ip": "6.6.6.6", "class": "public", "ti_severity": "high", "vt": "ok", "otx": "ok", "cached": 0},
        ])
        self.stub.reset()
        # Only the sources whose columns are read are asked: GeoIP/class columns ask no provider.
        self.query("select ip, class, asn from ip_enrichment where ip in ('6.6.6.8', '5.5.5.8')")
        self.assertEqual(self.stub.stats()["requests"], 0)

    def test_local_indicators(self):
        csv_path = os.path.join(DATASETS, "ti", "TestIOCs.csv")
        if not os.path.exists(csv_path):
            self.skipTest(f"needs the shared datasets ({csv_path})")
        fixture = os.path.join(SOURCE, "tests", "fixtures", "ti_lookup", "indicators.jsonl")
        env = self.env(SQLHUNT_TI_LOCAL=f"{csv_path}:{fixture}")
        rows, _, _ = self.query(
            "select observable, status, severity, result, reference from ti_lookup "
            "where observable in ('172.93.201.253', 'OLIDHEALTH.COM', '6.6.6.6', '1.2.3.4') "
            "and provider = 'local' order by 1", env)
        self.assertEqual(rows, [
            {"observable": "1.2.3.4", "status": "not_found", "severity": "information",
             "result": "not in 30 local indicators", "reference": None},
            {"observable": "172.93.201.253", "status": "ok", "severity": "high",
             "result": "in 1 local indicator (ip)", "reference": f"{csv_path}:2"},
            {"observable": "6.6.6.6", "status": "ok", "severity": "warning",
             "result": "in 1 local indicator (ipv4)", "reference": f"{fixture}:1"},
            {"observable": "OLIDHEALTH.COM", "status": "ok", "severity": "high",
             "result": "in 1 local indicator (domainname)", "reference": f"{csv_path}:5"},
        ])


if __name__ == "__main__":
    if not network_build():
        print("SKIP: the remote providers need a build with SQLHUNT_NETWORK=ON")
        sys.exit(SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
