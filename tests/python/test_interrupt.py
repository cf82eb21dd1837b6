"""Ctrl-C stops a query that is reading or waiting (core/interrupt.h).

The real sqlite3 shell runs the query; the test sends it SIGINT (what Ctrl-C sends) and
measures how long the statement takes to end. Cases:
  * a gzip bomb (10 GiB of zeros in a 10 MB file of concatenated gzip members);
  * a FIFO that nobody writes, read with files.special on (refused without it);
  * a provider that accepts the connection and never answers (http.timeout 60 s).
Each must end within 1 s of the signal (the goal is ~100 ms; the bound leaves room for
a loaded CI machine and the sanitizer build) with "interrupted".
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib

EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
SANITIZE = os.environ.get("SQLHUNT_SANITIZE", "0") in ("1", "ON", "TRUE", "true")
LIMIT = 3.0 if SANITIZE else 1.0


def write_gzip_bomb(path):
    """10 GiB of zeros in a 10 MB file: one 64 MB gzip member written 160 times. Each
    member starts with 10 KB of audit records, so the file's first bytes say "audit log" and
    audit_events reads on (core/file_kind refuses a file that is binary from its start)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = c.compress(b"type=LOGIN msg=audit(1551485405.594:266): pid=1 uid=0\n" * 200 + b"\0" * (64 << 20)) + c.flush()
    with open(path, "wb") as f:
        for _ in range(160):
            f.write(member)


class Interrupt(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sqlhunt_int_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def interrupt_after(self, sql, delay=1.0, env=None):
        """Runs sql, sends SIGINT after `delay` s; returns (seconds from the signal to
        the end, stderr, whether the query had already ended)."""
        e = dict(os.environ)
        e.update(env or {})
        p = subprocess.Popen([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:", sql],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)
        time.sleep(delay)
        early = p.poll() is not None
        t0 = time.monotonic()
        if not early:
            p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.fail("the query did not stop within 30 s of Ctrl-C")
        return time.monotonic() - t0, err, early

    def test_gzip_bomb(self):
        bomb = os.path.join(self.tmp, "audit.log.gz")
        write_gzip_bomb(bomb)
        took, err, early = self.interrupt_after(f"select count(*) from audit_events('{bomb}')")
        self.assertFalse(early, "the bomb was read whole before the signal: make it bigger")
        self.assertIn("interrupted", err)
        self.assertLess(took, LIMIT, f"Ctrl-C took {took:.3f} s to stop the gzip bomb")
        print(f"gzip bomb: stopped {took * 1000:.0f} ms after SIGINT", file=sys.stderr)

    def test_fifo_read_with_special_files_on(self):
        fifo = os.path.join(self.tmp, "pipe")
        os.mkfifo(fifo)
        writer_stop = threading.Event()

        def keep_open():  # a writer that never writes: without it, open() would see EOF
            fd = os.open(fifo, os.O_WRONLY)
            writer_stop.wait(40)
            os.close(fd)

        t = threading.Thread(target=keep_open, daemon=True)
        t.start()
        try:
            took, err, early = self.interrupt_after(
                f"select sqlhunt_config('files.special', 1) is not null; select count(*) from audit_events('{fifo}')")
        finally:
            writer_stop.set()
        self.assertFalse(early)
        self.assertIn("interrupted", err)
        self.assertLess(took, LIMIT, f"Ctrl-C took {took:.3f} s to stop the FIFO read")
        print(f"FIFO: stopped {took * 1000:.0f} ms after SIGINT", file=sys.stderr)

    def test_dead_provider(self):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(64)
        port = srv.getsockname()[1]
        held = []
        stop = threading.Event()

        def accept():  # accepts and never answers
            srv.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(srv.accept()[0])
                except OSError:
                    pass

        t = threading.Thread(target=accept, daemon=True)
        t.start()
        env = {"SQLHUNT_VIRUSTOTAL_URL": f"http://127.0.0.1:{port}/vt", "SQLHUNT_VIRUSTOTAL_KEY": "k",
               "SQLHUNT_VIRUSTOTAL_RATE": "0", "SQLHUNT_HTTP_TIMEOUT": "60", "SQLHUNT_CACHE": "off"}
        try:
            took, err, early = self.interrupt_after(
                "select count(*) from ti_lookup where observable in ('8.8.8.8', '1.1.1.1') and provider = 'virustotal'",
                env=env)
        finally:
            stop.set()
            for c in held:
                c.close()
            srv.close()
        self.assertFalse(early)
        self.assertIn("interrupted", err)
        self.assertLess(took, LIMIT, f"Ctrl-C took {took:.3f} s to stop the wait on a dead provider")
        print(f"dead provider: stopped {took * 1000:.0f} ms after SIGINT", file=sys.stderr)

    def test_the_next_statement_starts_clean(self):
        bomb = os.path.join(self.tmp, "b.gz")
        write_gzip_bomb(bomb)
        sample = os.path.join(os.environ.get("SQLHUNT_SOURCE_DIR", "."), "tests", "fixtures", "audit", "sample.log")
        # -interactive: the shell goes on to the next statement after Ctrl-C (reading a
        # script, it stops reading instead).
        p = subprocess.Popen([SHELL, "-interactive", "-cmd", f".load {EXTENSION}", ":memory:"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        p.stdin.write(f"select count(*) from audit_events('{bomb}');\n")
        p.stdin.flush()
        time.sleep(1)
        p.send_signal(signal.SIGINT)
        time.sleep(0.5)
        out, err = p.communicate(f"select count(*) from audit_events('{sample}');\n", timeout=30)
        self.assertIn("interrupted", err)
        self.assertIn("\n8\n", "\n" + out.replace("sqlite> ", "").replace("   ...> ", ""))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
