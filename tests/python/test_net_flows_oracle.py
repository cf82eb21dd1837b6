"""net_flows() against oracles run on the same shared files (../shared/datasets/network):

  * NSG and VNet flow logs: Python's json module, each tuple split as the documented
    formats say (NSG v1 8 fields, v2 13, VNet v4 13 with ms and IANA numbers);
  * AzureNetworkAnalytics_CL (az_net_flows.csv): Python's csv module, the Python list
    literals read with ast.literal_eval, the row's ends derived as msticpy's query does
    (ExtIP = SrcIP if FlowDirection is I else DestIP, the VM's address on the other end);
  * Zeek TSV: a zeek-cut-style awk (fields picked by their #fields names, as zeek-cut
    does), times turned into milliseconds with Python's Decimal; Zeek JSON: json.

Every row is compared with its oracle row, column by column, and every input record is
found in exactly one row (tuples: one row each), nothing lost and nothing added.

Run by ctest with Debian's /usr/bin/python3:
    tests/run_host.sh /usr/bin/python3 tests/python/test_net_flows_oracle.py
"""
import ast
import csv
import datetime
import decimal
import ipaddress
import json
import os
import re
import sqlite3
import subprocess
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
NET = os.path.join(DATASETS, "network")
SKIP = 77

PROTOCOLS = {"T": "tcp", "U": "udp", "6": "tcp", "17": "udp", "1": "icmp"}
DIRECTIONS = {"I": "inbound", "O": "outbound"}


def canonical(ip):
    a = ipaddress.ip_address(ip)
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped:
        return str(a.ipv4_mapped)
    return a.compressed


def public(ip):
    """The addresses core/ip.h calls public: global unicast (Python's is_global)."""
    return ip is not None and ipaddress.ip_address(ip).is_global


def external(listed, src, dst):
    out = []
    for ip in listed + [x for x in (src, dst) if public(x)]:
        if ip not in out:
            out.append(ip)
    return out


def record_lines(text):
    """The physical line where each element of the "records" array starts."""
    start = text.index("[", text.index('"records"')) + 1
    decoder, pos, lines = json.JSONDecoder(), start, []
    while True:
        m = re.compile(r"[\s,]*").match(text, pos)
        pos = m.end()
        if text[pos] == "]":
            return lines
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def count(v):
    return int(v) if v not in ("", None) else None


class NetFlowsOracle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.conn = sqlite3.connect(":memory:")
        cls.conn.enable_load_extension(True)
        cls.conn.load_extension(EXTENSION)
        cls.conn.row_factory = sqlite3.Row

    def rows(self, path, where="1"):
        return [dict(r) for r in self.conn.execute(f"select * from net_flows(?) where {where} order by rowid", (path,))]

    # ---- NSG and VNet flow logs ---------------------------------------------------

    def flow_log_oracle(self, path):
        text = read_text(path)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            # nsg_v2_aks-agentpool.json: a comma after the last tuple. net_flows reads it
            # as Newtonsoft does (docs/net_flows.md); the oracle removes the comma,
            # keeping the line breaks, so line numbers stay.
            self.assertTrue(path.endswith("nsg_v2_aks-agentpool.json"), path)
            text = re.sub(r",(\s*\])", r"\1", text)
            doc = json.loads(text)
        lines = record_lines(text)
        self.assertEqual(len(lines), len(doc["records"]))
        expected = []
        for rec, line in zip(doc["records"], lines):
            if "flowRecords" in rec:
                source = f"vnet_v{rec['flowLogVersion']}"
                resource = rec["targetResourceID"].rstrip("/").split("/")[-1]
                groups = [(g["rule"], rec["macAddress"], t) for acl in rec["flowRecords"]["flows"]
                          for g in acl["flowGroups"] for t in g["flowTuples"]]
            else:
                props = rec["properties"]
                source = f"nsg_v{props['Version']}"
                resource = rec["resourceId"].rstrip("/").split("/")[-1]
                groups = [(r["rule"], m["mac"], t) for r in props["flows"] for m in r["flows"] for t in m["flowTuples"]]
            for rule, mac, tup in groups:
                f = tup.split(",")
                vnet = source.startswith("vnet")
                self.assertIn(len(f), (8, 13), tup)
                ts = int(f[0])
                state = (f[7] if vnet else (f[8] if len(f) == 13 else "")) or None
                src, dst = canonical(f[1]), canonical(f[2])
                row = {
                    "time_ms": ts if ts >= 10**11 else ts * 1000, "src_ip": src, "dst_ip": dst,
                    "src_port": int(f[3]), "dst_port": int(f[4]), "protocol": PROTOCOLS.get(f[5], f[5]),
                    "direction": DIRECTIONS[f[6]],
                    "allowed": (0 if f[7] == "D" else 1) if vnet else {"A": 1, "D": 0}[f[7]],
                    "state": state, "encryption": f[8] if vnet else None,
                    "flows": 1 if state in (None, "B", "D") else 0,
                    "packets_out": count(f[9]) if len(f) == 13 else None,
                    "bytes_out": count(f[10]) if len(f) == 13 else None,
                    "packets_in": count(f[11]) if len(f) == 13 else None,
                    "bytes_in": count(f[12]) if len(f) == 13 else None,
                    "rule": rule, "mac": mac, "resource": resource, "source": source, "line": line,
                    "external_ips": external([], src, dst), "tuple": tup,
                }
                expected.append(row)
        return expected

    def test_flow_logs(self):
        files = [os.path.join(NET, d, f) for d in ("nsg", "vnet") for f in sorted(os.listdir(os.path.join(NET, d)))
                 if f.endswith(".json")]
        self.assertEqual(len(files), 5)
        tuples = {}
        for path in files:
            expected = self.flow_log_oracle(path)
            got = self.rows(path)
            tuples[os.path.basename(path)] = len(got)
            with self.subTest(file=os.path.basename(path)):
                self.assertEqual(len(got), len(expected))
                for g, e in zip(got, expected):
                    self.assertIsNone(g["parse_error"], e["tuple"])
                    self.assertEqual(json.loads(g["record"])["flowTuple"], e["tuple"])
                    g_ms = round(g["epoch"] * 1000)
                    self.assertEqual(g_ms, e["time_ms"], e["tuple"])
                    self.assertEqual(json.loads(g["external_ips"]), e["external_ips"], e["tuple"])
                    for k in ("src_ip", "dst_ip", "src_port", "dst_port", "protocol", "direction", "allowed", "state",
                              "encryption", "flows", "packets_out", "bytes_out", "packets_in", "bytes_in", "rule", "mac",
                              "resource", "source", "line"):
                        self.assertEqual(g[k], e[k], f"{k} of {e['tuple']}")
        # The README's counts: every tuple is one row.
        self.assertEqual(tuples, {"nsg_v1_wadvm-nsg.json": 38, "nsg_v2_aks-agentpool.json": 8,
                                  "nsg_v2_docs_sample.json": 11, "vnet_v4_docs_sample.json": 19,
                                  "vnet_v4_otel_platformrule.json": 2})

    # ---- AzureNetworkAnalytics_CL -------------------------------------------------

    def test_network_analytics(self):
        path = os.path.join(NET, "az_net_flows.csv")
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            records = []
            for r in reader:
                records.append((reader.line_num, r))
        self.assertEqual(len(records), 460)
        got = self.rows(path)
        self.assertEqual(len(got), len(records))
        for g, (line, r) in zip(got, records):
            d = r["FlowDirection"]
            ext_ip = r["SrcIP"] if d == "I" else r["DestIP"]  # msticpy's ExtIP
            public_ips = ast.literal_eval(r["PublicIPs"]) if r["PublicIPs"] else []
            all_ext = [r["AllExtIPs"]] if r["AllExtIPs"] else ([ext_ip] if ext_ip else public_ips)
            src = r["SrcIP"] or (r["VMIPAddress"] if d == "O" else r["AllExtIPs"]) or None
            dst = r["DestIP"] or (r["VMIPAddress"] if d == "I" else r["AllExtIPs"]) or None
            counts = [float(r[k]) for k in ("AllowedInFlows", "AllowedOutFlows", "DeniedInFlows", "DeniedOutFlows")]
            start = datetime.datetime.strptime(r["FlowStartTime"], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
            end = datetime.datetime.strptime(r["FlowEndTime"], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
            listed = []
            for ip in all_ext + public_ips:
                if ip not in listed:
                    listed.append(ip)
            expected = {
                "line": line, "src_ip": src, "dst_ip": dst, "dst_port": int(float(r["DestPort"])),
                "protocol": PROTOCOLS[r["L4Protocol"]], "service": r["L7Protocol"], "direction": DIRECTIONS[d],
                "flows": int(sum(counts)), "allowed": 1 if counts[0] + counts[1] > 0 and counts[2] + counts[3] == 0 else None,
                "vm": r["VMName"] or None, "flow_type": r["FlowType"], "source": "network_analytics",
                "duration": (end - start).total_seconds(), "parse_error": None,
            }
            with self.subTest(line=line):
                for k, v in expected.items():
                    self.assertEqual(g[k], v, k)
                self.assertEqual(g["time"], start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z")
                self.assertEqual(json.loads(g["external_ips"]), external(listed, src, dst))
                self.assertEqual(json.loads(g["record"]), {k: v for k, v in r.items() if k != ""})

    # ---- Zeek ---------------------------------------------------------------------

    ZEEK_CUT = r"""
        /^#separator/ { next }
        /^#fields/ { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
        /^#/ { next }
        { n = split(want, w, ",")
          out = NR
          for (i = 1; i <= n; i++) out = out "\t" (w[i] in col ? $(col[w[i]]) : "-")
          print out }"""

    def zeek_cut(self, path, fields):
        """zeek-cut, as awk: the named fields of each data line, with its line number."""
        out = subprocess.run(["awk", "-F", "\t", "-v", "want=" + ",".join(fields), self.ZEEK_CUT, path],
                             capture_output=True, text=True, check=True).stdout
        return [dict(zip(["line"] + fields, l.split("\t"))) for l in out.splitlines()]

    @staticmethod
    def ms(ts):
        d = decimal.Decimal(ts) * 1000
        return int(d.to_integral_value(rounding=decimal.ROUND_HALF_UP))

    def test_zeek_tsv(self):
        fields = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration",
                  "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "orig_pkts", "orig_ip_bytes",
                  "resp_pkts", "resp_ip_bytes"]
        for name, lines in (("conn_wrccdc2018.log", 92), ("ssh_wrccdc2018.log", 22)):
            path = os.path.join(NET, "zeek", name)
            cut = self.zeek_cut(path, fields)
            got = self.rows(path)
            self.assertEqual(len(cut), lines)
            self.assertEqual(len(got), lines)
            for g, c in zip(got, cut):
                u = lambda k: None if c[k] == "-" else c[k]  # noqa: E731 (Zeek's unset field)
                with self.subTest(file=name, line=c["line"]):
                    self.assertEqual(g["line"], int(c["line"]))
                    self.assertEqual(round(g["epoch"] * 1000), self.ms(c["ts"]))
                    self.assertEqual(g["flow_id"], c["uid"])
                    self.assertEqual(g["src_ip"], canonical(c["id.orig_h"]))
                    self.assertEqual(g["dst_ip"], canonical(c["id.resp_h"]))
                    self.assertEqual(g["src_port"], int(c["id.orig_p"]))
                    self.assertEqual(g["dst_port"], int(c["id.resp_p"]))
                    self.assertEqual(g["protocol"], u("proto"))
                    self.assertEqual(g["service"], u("service"))
                    self.assertEqual(g["state"], u("conn_state"))
                    self.assertEqual(g["duration"], None if u("duration") is None else float(c["duration"]))
                    b_out = u("orig_ip_bytes") or u("orig_bytes")
                    self.assertEqual(g["bytes_out"], None if b_out is None else int(b_out))
                    self.assertEqual(g["packets_in"], None if u("resp_pkts") is None else int(c["resp_pkts"]))
                    self.assertEqual(g["source"], "zeek_" + name.split("_")[0])
                    self.assertIsNone(g["parse_error"])

    def test_zeek_json_is_the_tsv(self):
        path = os.path.join(NET, "zeek", "ssh_wrccdc2018_jsonstreaming.json")
        records = [json.loads(l) for l in read_text(path).splitlines()]
        got = self.rows(path)
        self.assertEqual(len(got), len(records))
        tsv = {r["flow_id"]: r for r in self.rows(os.path.join(NET, "zeek", "ssh_wrccdc2018.log"))}
        for n, (g, r) in enumerate(zip(got, records), start=1):
            t = datetime.datetime.strptime(r["ts"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
            with self.subTest(line=n):
                self.assertEqual(g["line"], n)
                self.assertEqual(round(g["epoch"] * 1000), round(t.timestamp() * 1000))
                self.assertEqual((g["src_ip"], g["src_port"], g["dst_ip"], g["dst_port"]),
                                 (r["id.orig_h"], r["id.orig_p"], r["id.resp_h"], r["id.resp_p"]))
                self.assertEqual(json.loads(g["record"]), r)
                same = tsv[r["uid"]]
                for k in ("time", "src_ip", "src_port", "dst_ip", "dst_port", "source"):
                    self.assertEqual(g[k], same[k], k)

    # ---- nothing lost -------------------------------------------------------------

    def test_every_record_in_exactly_one_row(self):
        """All the shared network files through one glob: every JSON record (or its
        tuples), CSV row and Zeek data line is one row, keyed by (file, line); none is
        missing, none appears twice (tuples: as often as the record has tuples)."""
        expected = {}
        for d in ("nsg", "vnet"):
            for f in os.listdir(os.path.join(NET, d)):
                if f.endswith(".json"):
                    path = os.path.join(NET, d, f)
                    for row in self.flow_log_oracle(path):
                        expected[(path, row["line"])] = expected.get((path, row["line"]), 0) + 1
        with open(os.path.join(NET, "az_net_flows.csv"), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            for _ in reader:
                expected[(os.path.join(NET, "az_net_flows.csv"), reader.line_num)] = 1
        for f in ("conn_wrccdc2018.log", "ssh_wrccdc2018.log"):
            path = os.path.join(NET, "zeek", f)
            for n, l in enumerate(read_text(path).splitlines(), start=1):
                if not l.startswith("#"):
                    expected[(path, n)] = 1
        path = os.path.join(NET, "zeek", "ssh_wrccdc2018_jsonstreaming.json")
        for n, _ in enumerate(read_text(path).splitlines(), start=1):
            expected[(path, n)] = 1
        got = {}
        for pattern in ("*.csv", "nsg/*.json", "vnet/*.json", "zeek/*.log", "zeek/*.json"):
            for r in self.conn.execute("select file, line, parse_error from net_flows(?)", (os.path.join(NET, pattern),)):
                self.assertIsNone(r["parse_error"], (r["file"], r["line"]))
                got[(r["file"], r["line"])] = got.get((r["file"], r["line"]), 0) + 1
        self.assertEqual(got, expected)
        self.assertEqual(sum(expected.values()), 460 + 38 + 8 + 11 + 19 + 2 + 92 + 22 + 22)


if __name__ == "__main__":
    if not os.path.isdir(NET):
        print(f"SKIP: needs the shared datasets, not found at {DATASETS}")
        sys.exit(SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
