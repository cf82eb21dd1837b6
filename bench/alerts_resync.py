#!/usr/bin/python3
"""How many intact records a damaged JSON export loses, per layout: a measurement of
core/json_scan's reading on after damage (not a speed benchmark).

    /usr/bin/python3 bench/alerts_resync.py BUILD_DIR [--seeds N] [--against OTHER_BUILD]

For each layout of tests/python/test_nothing_lost_more.py (200 alerts: pretty-printed
as Python, jq and PowerShell write it, one element per line, compact, not indented
(indent=0), objects one after another) and each seed 0..N-1 (default 60), the clean
file is damaged by test_nothing_lost.corrupt() (flipped bytes, NULs, invalid UTF-8,
CR, cut lines, duplicated spans, truncation) and read with alerts(). An element is intact when its
exact text is still in the damaged file; it is lost when no row read whole holds its
SystemAlertId. Printed per layout: intact elements, lost ones, error rows. With
--against, the same for another build (e.g. one without the change) beside it.
A file the damage made binary in its first 4 KB is refused whole and not counted.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUTS = ["python", "jq", "powershell", "lines", "compact", "indent0", "objects"]


def measure(extension, seeds, tmp):
    os.environ["SQLHUNT_EXTENSION"] = extension  # test_nothing_lost reads it on import
    os.environ.setdefault("SQLHUNT_SOURCE_DIR", os.path.dirname(HERE))
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "python"))
    from test_nothing_lost import corrupt
    from test_nothing_lost_more import alerts_layout

    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(extension)
    out = {}
    for layout in LAYOUTS:
        clean, texts = alerts_layout(layout, 200)
        intact = lost = errors = 0
        for seed in range(seeds):
            data = corrupt(clean, seed)
            path = os.path.join(tmp, f"{layout}{seed}.json")
            with open(path, "wb") as f:
                f.write(data)
            try:
                rows = conn.execute("select system_alert_id, parse_error from alerts(?)", (path,)).fetchall()
            except sqlite3.OperationalError as e:
                if "binary data" in str(e):
                    continue
                raise
            whole = {r[0] for r in rows if r[1] is None or r[1].startswith("no ")}
            errors += sum(1 for r in rows if r[1] and not r[1].startswith("no "))
            for t in texts:
                if t in data:
                    intact += 1
                    lost += json.loads(t)["SystemAlertId"] not in whole
        out[layout] = (intact, lost, errors)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("--seeds", type=int, default=60)
    ap.add_argument("--against")
    args = ap.parse_args()
    tmp = os.path.join(args.build, "alerts_resync")
    os.makedirs(tmp, exist_ok=True)
    mine = measure(os.path.abspath(os.path.join(args.build, "sqlhunt.so")), args.seeds, tmp)
    other = None
    if args.against:
        other = measure_in_child(args.against, args.seeds)
    print(f"alerts JSON exports, 200 records, seeds 0-{args.seeds - 1}: intact records lost")
    for layout in LAYOUTS:
        intact, lost, errors = mine[layout]
        line = f"  {layout:<11} {lost:>5} of {intact:>5} lost ({100.0 * lost / max(intact, 1):5.2f}%), {errors:>4} error rows"
        if other:
            o = other[layout]
            line += f"   | {args.against}: {o[1]:>5} of {o[0]:>5} lost ({100.0 * o[1] / max(o[0], 1):5.2f}%)"
        print(line)


def measure_in_child(build, seeds):
    """measure() for another build, in a process of its own: test_nothing_lost reads
    SQLHUNT_EXTENSION once, on import."""
    code = (f"import json, sys; sys.path.insert(0, {HERE!r}); import alerts_resync as a; "
            f"print(json.dumps(a.measure({os.path.abspath(os.path.join(build, 'sqlhunt.so'))!r}, {seeds}, "
            f"{os.path.abspath(os.path.join(build, 'alerts_resync'))!r})))")
    os.makedirs(os.path.join(build, "alerts_resync"), exist_ok=True)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {k: tuple(v) for k, v in json.loads(res.stdout).items()}


if __name__ == "__main__":
    main()
