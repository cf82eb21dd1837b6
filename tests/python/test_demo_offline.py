"""`make demo` works offline, as the README says: what it runs after the build (the
case generator, then scripts/investigate: the runbook and the report) opens no IPv4 or
IPv6 socket, and gives the same findings and report on a machine with no network.

Checked two ways:
  * traced: strace -f follows every process (the shell, sqlite3, Python) and records
    each socket(), connect() and send*() call; none may name AF_INET or AF_INET6 (a DNS
    lookup, an RDAP or threat-intel request, even a socket opened and not used). Remote
    providers are given API keys and SQLHUNT_OFFLINE is removed from the environment,
    so only the runbook (its `offline` setting, and asking only local columns and the
    local provider) keeps them quiet; their URLs point at a loopback port where nothing
    listens, so a request that slipped through would still not leave the machine.
    Controls, so the check can fail: a loopback connection, and sqlhunt asking OTX in
    the same environment, are both caught by the same tracer;
  * cut off: the same run inside a new network namespace (`unshare -rn`: no interface
    but a loopback that is down) succeeds, and its terminal output and report are
    byte for byte the traced run's.

Each part skips, saying so, where the machine cannot do it (no strace or ptrace; no
unprivileged user namespaces); the test skips (77) when neither can run or the build
lacks a reader the runbook needs.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
TRACED = "socket,connect,sendto,sendmsg,sendmmsg"
# Only the traced calls stop the process (a seccomp filter): sqlite3 reading files runs
# at full speed under the tracer.
STRACE = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", f"trace={TRACED}"]
INET = re.compile(r"\b(AF_INET6?|PF_INET6?)\b")


# Where nothing listens: a request that slipped through would be refused on this
# machine (and caught by the tracer as a connect to 127.0.0.1), never sent out.
NOWHERE = "http://127.0.0.1:9"


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SQLHUNT_OFFLINE")}
    env.update(SQLHUNT_EXTENSION=EXTENSION, SQLHUNT_SQLITE3=SHELL, SQLHUNT_CACHE="off")
    # Every remote provider keyed, so only `offline` (or not asking) keeps it quiet.
    for provider in ("OTX", "VIRUSTOTAL", "ABUSEIPDB", "GREYNOISE"):
        env[f"SQLHUNT_{provider}_KEY"] = "test-key"
        env[f"SQLHUNT_{provider}_URL"] = NOWHERE
    env["SQLHUNT_RDAP_URL"] = NOWHERE
    return env


def demo_commands(folder):
    """What scripts/demo runs after the build, into folder (not the source tree)."""
    case, report = os.path.join(folder, "case"), os.path.join(folder, "report.html")
    return ([["/usr/bin/python3", os.path.join(SOURCE, "examples", "make_case.py"), case],
             [os.path.join(SOURCE, "scripts", "investigate"), case, report]], report)


def run_demo(folder, wrap):
    """Runs the demo's commands, each inside `wrap` (a list of argv prefixes), in order;
    returns the investigation's stdout and the report's bytes."""
    commands, report = demo_commands(folder)
    out = None
    for i, cmd in enumerate(commands):
        proc = subprocess.run(wrap(i) + cmd, capture_output=True, text=True, timeout=900, env=environment())
        if proc.returncode != 0:
            raise AssertionError(f"{' '.join(wrap(i) + cmd)} failed ({proc.returncode}):\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        out = proc.stdout
    with open(report, "rb") as f:  # both name the case folder
        return out.replace(folder, "FOLDER"), f.read().replace(folder.encode(), b"FOLDER")


def inet_calls(trace):
    with open(trace, encoding="utf-8", errors="replace") as f:
        return [l.rstrip() for l in f if INET.search(l)]


def strace_works():
    if not shutil.which("strace"):
        return "strace is not installed (scripts/setup installs it for the tests)"
    p = subprocess.run(STRACE + ["-o", os.devnull, "true"], capture_output=True, text=True)
    return None if p.returncode == 0 else f"strace cannot trace here: {p.stderr.strip()}"


def unshare_works():
    p = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True)
    return None if p.returncode == 0 else f"unshare -rn is refused here: {p.stderr.strip()}"


class DemoOffline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-offline-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def traced(cls):
        """The demo under strace, once: its output, report and INET calls per command."""
        if not hasattr(cls, "_traced"):
            folder = os.path.join(cls.tmp, "traced")
            os.makedirs(folder)
            traces = [os.path.join(cls.tmp, f"trace-{i}.txt") for i in range(2)]
            out, report = run_demo(folder, lambda i: STRACE + ["-o", traces[i]])
            cls._traced = (out, report, [inet_calls(t) for t in traces])
        return cls._traced

    def test_1a_the_tracer_catches_a_connection(self):
        # The control: a loopback connection, traced the same way, is caught.
        skip = strace_works()
        if skip:
            self.skipTest(skip)
        trace = os.path.join(self.tmp, "control.txt")
        code = "import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 9))\nexcept OSError:\n    pass"
        subprocess.run(STRACE + ["-o", trace, "/usr/bin/python3", "-c", code], check=True)
        calls = inet_calls(trace)
        self.assertTrue(any(re.match(r"\d+\s+connect\(", c) for c in calls), calls)

    def test_1b_the_tracer_catches_sqlhunt_asking_a_provider(self):
        # The same environment without `offline`: a lookup the runbook does not make
        # (OTX, keyed above) is caught as a connection.
        skip = strace_works()
        if skip:
            self.skipTest(skip)
        network = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:",
                                  "select json_extract(sqlhunt_debug(), '$.options.network')"],
                                 capture_output=True, text=True).stdout.strip()
        if network != "1":
            self.skipTest("a build without the remote providers (SQLHUNT_NETWORK=OFF)")
        trace = os.path.join(self.tmp, "control-otx.txt")
        proc = subprocess.run(STRACE + ["-o", trace, SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:",
                                        "select status from ti_lookup where observable = '23.97.60.214' "
                                        "and provider = 'otx'"],
                              capture_output=True, text=True, env=environment(), timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotEqual(proc.stdout.strip(), "offline")
        self.assertTrue(any("127.0.0.1" in c for c in inet_calls(trace)), proc.stdout)

    def test_2_the_demo_opens_no_internet_socket(self):
        skip = strace_works()
        if skip:
            self.skipTest(skip)
        out, report, calls = self.traced()
        self.assertIn("== 15. Summary of findings", out)
        self.assertIn(b"<svg", report)
        self.assertEqual(calls[0], [], "examples/make_case.py opened an internet socket")
        self.assertEqual(calls[1], [], "scripts/investigate (the runbook and the report) opened an internet socket")

    def test_3_the_demo_runs_the_same_without_a_network(self):
        skip = unshare_works()
        if skip:
            self.skipTest(skip)
        folder = os.path.join(self.tmp, "cut-off")
        os.makedirs(folder)
        out, report = run_demo(folder, lambda i: ["unshare", "-rn"])
        self.assertIn("== 15. Summary of findings", out)
        if strace_works() is None:
            traced_out, traced_report, _ = self.traced()
            self.assertEqual(out, traced_out)
            self.assertEqual(report, traced_report)


def main():
    # The runbook's own check: every reader and function it uses is in this build.
    check = subprocess.run([os.path.join(SOURCE, "scripts", "investigate"), "--check"], capture_output=True,
                           text=True, env={**os.environ, "SQLHUNT_EXTENSION": EXTENSION, "SQLHUNT_SQLITE3": SHELL})
    if check.returncode != 0:
        print(f"SKIP: {check.stderr.strip()}")
        return 77
    if strace_works() and unshare_works():
        print(f"SKIP: {strace_works()}; {unshare_works()}")
        return 77
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
