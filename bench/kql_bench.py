#!/usr/bin/python3
"""kql() benchmarks beside what the notebook's stack does with the same answer.

    /usr/bin/python3 bench/kql_bench.py BUILD_DIR [--rows N] [--runs N]

The local stand-in (tests/servers/kusto_stub.py, 127.0.0.1) serves the `Big` table of N
rows (default 500,000: the Log Analytics answer cap) as the Log Analytics query API
does, gzip-compressed, each answer made once and then replayed (memo), so every client
below reads the same bytes and the server's own cost is not counted. Each client
fetches the whole answer and reduces it to the same four numbers (rows, sum of Seq,
distinct Computer, latest TimeGenerated), in its own process:

  sqlhunt typed   CREATE VIRTUAL TABLE t USING kql(query='Big'); SELECT count(*), ... FROM t
  sqlhunt kql()   SELECT count(*), sum(json_extract(row, '$.Seq')), ... FROM kql('Big')
  python json     urllib + json.loads + a dict per row with its datetime parsed: what the
                  azure-monitor-query SDK behind msticpy does before pandas (pandas left
                  out: the comparison is generous to it)
  jq              curl | jq over the rows (when jq is installed)

Printed per client: wall seconds and CPU seconds (user+sys of the client process
alone), the median of --runs, and sqlhunt's ratio against each rival.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
STUB = os.path.join(SOURCE, "tests", "servers", "kusto_stub.py")
TOKEN = "bench-token"

PY_CLIENT = r"""
import gzip, json, sys, urllib.request
from datetime import datetime
url = sys.argv[1]
req = urllib.request.Request(url, data=json.dumps({"query": "Big"}).encode(), headers={
    "Authorization": "Bearer %s", "Content-Type": "application/json", "Accept-Encoding": "gzip"})
with urllib.request.urlopen(req) as r:
    body = r.read()
    if r.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
t = json.loads(body)["tables"][0]
names = [c["name"] for c in t["columns"]]
dates = [c["name"] for c in t["columns"] if c["type"] == "datetime"]
rows = []
for r in t["rows"]:
    row = dict(zip(names, r))
    for d in dates:
        if row[d] is not None:
            row[d] = datetime.fromisoformat(row[d][:26].rstrip("Z"))  # 7 digits: Python takes 6
    rows.append(row)
print(len(rows), sum(r["Seq"] for r in rows), len({r["Computer"] for r in rows}),
      max(r["TimeGenerated"] for r in rows).isoformat())
""" % TOKEN


def timed(cmd, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, shell=isinstance(cmd, str))
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode != 0:
        sys.exit(f"failed: {cmd}\n{out.stderr}")
    return wall, cpu, out.stdout.strip()


def ratio(r, better, worse):
    """'2.8x faster' for r = 2.8, '1.4x slower' for r = 0.7: a loss said as one."""
    return f"{r:.1f}x {better}" if r >= 1 else f"{1 / r:.1f}x {worse}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ext = os.path.join(os.path.abspath(args.build), "sqlhunt.so")
    stub = subprocess.Popen(["/usr/bin/python3", STUB, "--token", TOKEN], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    base = "http://127.0.0.1:%d" % int(stub.stdout.readline().split()[1])
    try:
        cfg = urllib.request.Request(base + "/_config", method="POST",
                                     data=json.dumps({"big_rows": args.rows, "memo": True}).encode())
        urllib.request.urlopen(cfg).read()
        env = dict(os.environ, SQLHUNT_LOGANALYTICS_URL=base, SQLHUNT_LOGANALYTICS_TOKEN=TOKEN,
                   SQLHUNT_LOGANALYTICS_WORKSPACE="bench", SQLHUNT_KQL_TIMEOUT="600")
        url = base + "/v1/workspaces/bench/query"
        sqlite = shutil.which("sqlite3")
        clients = {
            "sqlhunt typed": [sqlite, "-cmd", f".load {ext}", ":memory:",
                              "create virtual table t using kql(query='Big');"
                              "select count(*), sum(Seq), count(distinct Computer), max(TimeGenerated) from t"],
            "sqlhunt kql()": [sqlite, "-cmd", f".load {ext}", ":memory:",
                              "select count(*), sum(json_extract(row, '$.Seq')), "
                              "count(distinct json_extract(row, '$.Computer')), "
                              "max(json_extract(row, '$.TimeGenerated')) from kql('Big')"],
            "python json": ["/usr/bin/python3", "-c", PY_CLIENT, url],
        }
        if shutil.which("jq") and shutil.which("curl"):
            clients["jq"] = (f"curl -s --compressed -H 'Authorization: Bearer {TOKEN}' -H 'Content-Type: application/json' "
                             f"-d '{{\"query\":\"Big\"}}' {url} | jq -c '.tables[0].rows | [length, (map(.[5]) | add), "
                             f"(map(.[1]) | unique | length), (map(.[0]) | max)]'")
        # Warm: the stub makes each answer once (typed tables also ask for `Big | take 0`).
        for name, cmd in clients.items():
            timed(cmd, env)
        results = {}
        for name, cmd in clients.items():
            runs = [timed(cmd, env) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            results[name] = (wall, cpu, runs[0][2])
        print(f"kql bench: {args.rows:,} rows (Big), Log Analytics answer from the local stub, gzip, "
              f"median of {args.runs}")
        print(f"{'client':<16}{'wall s':>9}{'cpu s':>9}  result")
        for name, (wall, cpu, out) in results.items():
            print(f"{name:<16}{wall:>9.2f}{cpu:>9.2f}  {' '.join(out.split())}")
        for ours in ("sqlhunt typed", "sqlhunt kql()"):
            for rival in [r for r in results if not r.startswith("sqlhunt")]:
                w = results[rival][0] / results[ours][0]
                c = results[rival][1] / results[ours][1]
                print(f"{ours} vs {rival}: {ratio(w, 'faster', 'slower')} wall, {ratio(c, 'less', 'more')} CPU")
    finally:
        stub.stdin.close()
        stub.stdout.close()
        stub.wait(timeout=10)


if __name__ == "__main__":
    main()
