"""The peak memory one SQL statement takes, for the tests that keep memory flat
(test_iocs_memory.py, test_flows_memory.py, test_ti_local_memory.py).

probe() runs the statement in a fresh Python process with the extension loaded: the
peak resident memory (VmHWM, reset through /proc/self/clear_refs just before the
statement) minus the memory before it. A bound value given as Repeat(unit, size) is
built in that process before the peak is reset, so a large text costs the measurement
nothing. main() runs a test module's tests, or skips where peak memory means nothing.
"""
import json
import os
import subprocess
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SANITIZED = os.environ.get("SQLHUNT_SANITIZE", "0") in ("1", "ON", "TRUE", "true")
SKIP = 77
MB = 1_000_000

_PROBE = r"""
import json, sqlite3, sys
ext, sql, params, limit, setup = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
def kb(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
conn = sqlite3.connect(":memory:")
conn.enable_load_extension(True)
conn.load_extension(ext)
if limit:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limit)
for statement, bound in setup:
    conn.execute(statement, bound)
params = [p["unit"] * (p["size"] // len(p["unit"])) if isinstance(p, dict) else p for p in params]
open("/proc/self/clear_refs", "w").write("5")  # the peak starts here
before = kb("VmRSS")
try:
    out = {"rows": conn.execute(sql, params).fetchall()}
except sqlite3.Error as e:
    out = {"error": str(e)}
out["peak_mb"] = (kb("VmHWM") - before) * 1024 / 1e6
print(json.dumps(out))
"""


def Repeat(unit, size):
    """A bound text of `unit` repeated up to `size` bytes, made in the measured process."""
    return {"unit": unit, "size": size}


def probe(sql, params=(), limit=0, setup=()):
    """{"rows": [...]} or {"error": "..."}, and "peak_mb": the statement's peak memory in
    MB. `limit` sets SQLite's length limit when not 0; `setup` is (statement, params)
    pairs run before the peak is reset (settings)."""
    out = subprocess.run([sys.executable, "-c", _PROBE, EXTENSION, sql, json.dumps(list(params)), str(limit),
                          json.dumps([[statement, list(bound)] for statement, bound in setup])],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise AssertionError(out.stderr)
    return json.loads(out.stdout)


def main():
    if not os.path.exists("/proc/self/clear_refs"):
        print("SKIP: needs Linux's /proc/self/clear_refs to measure peak memory")
        sys.exit(SKIP)
    if SANITIZED:
        # ASan keeps freed memory in quarantine and pads every allocation: peak RSS says
        # nothing there. The Release run measures it.
        print("SKIP: peak memory is not measurable under AddressSanitizer (the Release run checks it)")
        sys.exit(SKIP)
    result = unittest.main(module="__main__", exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
