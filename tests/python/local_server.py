"""What the tests of remote sources share (not a test itself: ctest runs test_*.py).

LocalServer starts one of tests/servers/*.py on 127.0.0.1 and stops it; shell_json runs
SQL in a fresh sqlite3 shell (so per-process state such as tokens and rate limits never
leaks from one query into the next) and returns its rows; network_build says whether
the extension was built with its network sources (SQLHUNT_NETWORK=ON).
"""
import json
import os
import subprocess
import time

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class LocalServer:
    """A tests/servers/ script: it prints "PORT <n>" first and stops when its stdin is
    closed, so a test that dies leaves no server behind."""

    def __init__(self, script, *args):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(SOURCE, "tests", "servers", script), *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("PORT "), line
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.stdin.close()
        self.proc.stdout.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def shell_json(sql, env, timeout=120):
    """Runs `sql` in `sqlite3 -json` with the extension loaded: (rows as dicts, the rows
    of every statement one after the other; stderr; exit code; seconds)."""
    start = time.monotonic()
    out = subprocess.run([SHELL, "-batch", "-json", "-cmd", f".load {EXTENSION}", ":memory:", sql],
                         capture_output=True, text=True, env=env, timeout=timeout)
    elapsed = time.monotonic() - start
    rows, text, decoder = [], out.stdout.strip(), json.JSONDecoder()
    while text:  # one JSON array per statement
        part, end = decoder.raw_decode(text)
        rows += part
        text = text[end:].strip()
    return rows, out.stderr, out.returncode, elapsed


class ShellQueries:
    """A TestCase mixin: query(sql) runs in a fresh shell with the class's env()."""
    shell_timeout = 120

    def query(self, sql, env=None, check=True):
        """(rows as dicts, stderr, seconds); a failed shell fails the test unless check=False."""
        rows, err, code, elapsed = shell_json(sql, env or self.env(), self.shell_timeout)
        if check and code != 0:
            self.fail(f"sqlite3 failed ({code}): {err}")
        return rows, err, elapsed


def network_build() -> bool:
    out = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:",
                          "select json_extract(sqlhunt_debug(), '$.options.network')"],
                         capture_output=True, text=True)
    return out.stdout.strip() == "1"
