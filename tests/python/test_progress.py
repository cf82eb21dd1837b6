"""The progress line of long scans (core/progress.h), seen the way an analyst sees it:
the sqlite3 shell run on a pseudo-terminal. The line appears on a terminal only, after
`progress.delay`, with the file, how far into it the reader is and a rate; it is gone
before the result is printed; `progress` 0 turns it off; with stderr a pipe (every other
test, every script) nothing is written.

    tests/run_host.sh /usr/bin/python3 tests/python/test_progress.py
"""
import fcntl
import gzip
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
ERASE = "\r\x1b[K"
DRAWN = re.compile(r"\r(sqlhunt: [^\r\x1b]*)\x1b\[K\r")


def write_log(path, events):
    """A plain audit log: one execve event (SYSCALL, EXECVE, EOE) per serial."""
    with open(path, "w") as f:
        for n in range(1, events + 1):
            stamp = f"audit({1551485425 + n // 100}.{n % 1000:03d}:{n})"
            f.write(f"type=SYSCALL msg={stamp}: arch=c000003e syscall=59 success=yes exit=0 a0=55 a1=56 "
                    f"a2=57 a3=0 items=2 ppid=1 pid={1000 + n} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 "
                    f'egid=0 sgid=0 fsgid=0 tty=pts0 ses=7 comm="ls" exe="/usr/bin/ls" key=(null)\n')
            f.write(f'type=EXECVE msg={stamp}: argc=2 a0="ls" a1="-la"\n')
            f.write(f"type=EOE msg={stamp}: \n")


def run_on_terminal(sql, env_extra, stdout_on_terminal=True):
    """Runs the shell with stderr (and stdout) on a pseudo-terminal 100 columns wide;
    returns (what the terminal received, stdout if it was a pipe)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = dict(os.environ, **env_extra)
    proc = subprocess.Popen([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:", sql],
                            stdin=subprocess.DEVNULL, stderr=slave,
                            stdout=slave if stdout_on_terminal else subprocess.PIPE, env=env)
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            raise AssertionError("the shell did not finish in 120 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            break
        if not chunk:
            break
        received += chunk
    out = ""
    if proc.stdout:
        out = proc.stdout.read().decode()
        proc.stdout.close()
    proc.wait()
    os.close(master)
    # The terminal turns "\n" into "\r\n" (onlcr); the test reads what a screen gets.
    return received.decode("utf-8", "replace").replace("\r\n", "\n"), out


class ProgressLine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-progress-")
        cls.log = os.path.join(cls.tmp, "audit.log")
        write_log(cls.log, 40000)  # 12 MB: read in several calls
        cls.events = 40000
        with open(cls.log, "rb") as f, gzip.open(cls.log + ".gz", "wb") as g:
            shutil.copyfileobj(f, g)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def count_sql(self, path):
        return f"select count(*) from audit_events('{path}');"

    def test_drawn_on_a_terminal_and_erased_before_the_result(self):
        screen, _ = run_on_terminal(self.count_sql(self.log), {"SQLHUNT_PROGRESS_DELAY": "0"})
        lines = DRAWN.findall(screen)
        self.assertTrue(lines, f"no progress line on the terminal: {screen!r}")
        size_mb = f"{os.path.getsize(self.log) / 1024 / 1024:.1f} MB"
        for line in lines:
            self.assertLessEqual(len(line), 99, line)  # one column short of the width
            self.assertRegex(line, r"^sqlhunt: .*audit\.log  [0-9.]+ (B|KB|MB) of " + re.escape(size_mb) +
                             r" \(\d+%\)  [0-9.]+ (B|KB|MB|GB)/s$")
        # Erased, then the result: the count is alone on a clean line.
        last_draw = screen.rfind("\x1b[K\r")
        erase = screen.find(ERASE, last_draw + 1)
        result = screen.find(f"{self.events}\n")
        self.assertGreater(erase, last_draw, screen[-300:])
        self.assertGreater(result, erase, screen[-300:])
        self.assertEqual(screen[erase + len(ERASE):], f"{self.events}\n")

    def test_gzip_reports_compressed_bytes_of_the_compressed_size(self):
        screen, out = run_on_terminal(self.count_sql(self.log + ".gz"), {"SQLHUNT_PROGRESS_DELAY": "0"},
                                      stdout_on_terminal=False)
        self.assertEqual(out, f"{self.events}\n")
        lines = DRAWN.findall(screen)
        self.assertTrue(lines, repr(screen))
        gz_kb = os.path.getsize(self.log + ".gz") / 1024
        for line in lines:
            total = re.search(r" of ([0-9.]+) KB ", line)
            self.assertIsNotNone(total, line)
            self.assertAlmostEqual(float(total.group(1)), gz_kb, delta=0.06)
        self.assertTrue(screen.endswith(ERASE), repr(screen[-100:]))

    def test_not_before_the_delay(self):
        # The default delay is 2 s; this scan takes a fraction of that.
        small = os.path.join(self.tmp, "small.log")
        write_log(small, 200)
        screen, out = run_on_terminal(self.count_sql(small), {}, stdout_on_terminal=False)
        self.assertEqual(out, "200\n")
        self.assertEqual(screen, "")

    def test_off_with_the_setting(self):
        screen, out = run_on_terminal("select sqlhunt_config('progress', 0) is not null;" + self.count_sql(self.log),
                                      {"SQLHUNT_PROGRESS_DELAY": "0"}, stdout_on_terminal=False)
        self.assertEqual(out, f"1\n{self.events}\n")
        self.assertEqual(screen, "")
        screen, _ = run_on_terminal(self.count_sql(self.log), {"SQLHUNT_PROGRESS_DELAY": "0", "SQLHUNT_PROGRESS": "0"},
                                    stdout_on_terminal=False)
        self.assertEqual(screen, "")

    def test_never_when_stderr_is_not_a_terminal(self):
        proc = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:", self.count_sql(self.log)],
                              capture_output=True, text=True, env=dict(os.environ, SQLHUNT_PROGRESS_DELAY="0"))
        self.assertEqual((proc.stdout, proc.stderr), (f"{self.events}\n", ""))

    def test_a_bad_setting_is_an_error_naming_it(self):
        proc = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:", self.count_sql(self.log)],
                              capture_output=True, text=True, env=dict(os.environ, SQLHUNT_PROGRESS_DELAY="soon"))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("SQLHUNT_PROGRESS_DELAY", proc.stderr)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
