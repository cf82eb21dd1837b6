"""audit_events against ausearch, the reference for Linux audit logs.

Grouping: on the in-order fixtures of tests/fixtures/audit/make_fixtures.py and on the
shared ../shared/datasets/linux/auditd_log.txt (938 events; skipped with a message when
the datasets are absent), the events, each one's node, serial and time, and the types of
its records equal `ausearch --format csv` and `ausearch` (raw output, which keeps the
milliseconds). Decoding: exe, comm, cwd, proctitle, PATH names, argv (chunks joined),
key and user-space fields equal `ausearch -i` (TZ=UTC), record by record.

Where sqlhunt deliberately differs from ausearch (DESIGN.md, "Audit events: what one
event means"), a test pins sqlhunt's answer and shows ausearch's: a LOGIN record sharing
a SYSCALL's serial and a record after its event's EOE stay in their event.

Also: every line of every fixture is in exactly one row (sum(record_count) = lines =
count(audit_records)), garbage is rows with parse_error, the 10 MB line is read, and the
errors for a missing file, a directory, a glob matching nothing, an empty file.

Run by ctest with Debian's /usr/bin/python3 (which can load extensions); needs
`ausearch` (Debian package auditd, in scripts/setup): without it the oracle tests skip.
"""
import csv
import datetime
import glob
import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
SHARED_LOG = os.path.join(DATASETS, "linux", "auditd_log.txt")
AUSEARCH = shutil.which("ausearch") or next((p for p in ("/usr/sbin/ausearch", "/sbin/ausearch") if os.path.exists(p)), None)
SKIP = 77

sys.path.insert(0, os.path.join(SOURCE, "tests", "fixtures", "audit"))
import make_fixtures  # noqa: E402  (IN_ORDER: the fixtures ausearch groups as we do)

FIXTURES = tempfile.mkdtemp(prefix="sqlhunt-audit-")
HEADER = re.compile(r"^(?:node=(\S+) )?type=(\S+) msg=audit\(([^)]*)\) ?: *")


def setUpModule():
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "fixtures", "audit", "make_fixtures.py"), FIXTURES],
                   check=True)


def tearDownModule():
    shutil.rmtree(FIXTURES, ignore_errors=True)


def fixture(name):
    return os.path.join(FIXTURES, name)


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    conn.enable_load_extension(False)
    conn.row_factory = sqlite3.Row
    # A garbage line's raw text is its bytes, not always UTF-8.
    conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    return conn


def events(path, where="1"):
    return connect().execute(f"select * from audit_events(?) where {where}", (path,)).fetchall()


def count_lines(path):
    """Lines as a reader sees them: LF-terminated, plus a last line without LF."""
    data = b""
    for f in sorted_files(path):
        with open(f, "rb") as fh:
            data_f = fh.read()
        if f.endswith(".gz"):
            data_f = gzip.decompress(data_f)
        data += data_f if not data_f or data_f.endswith(b"\n") else data_f + b"\n"
    return data.count(b"\n")


def sorted_files(pattern):
    """A glob's files oldest first (audit.log.2.gz, audit.log.1, audit.log), as logrotate numbers them."""
    def age(f):
        m = re.search(r"\.(\d+)(?:\.gz)?$", f)
        return -int(m.group(1)) if m else 0
    return sorted(glob.glob(pattern), key=age)


def one_stream(pattern):
    """The files of a rotated glob as one plain file, for ausearch (which reads one -if)."""
    out = os.path.join(FIXTURES, "stream-" + os.path.basename(os.path.dirname(pattern)) + ".log")
    with open(out, "wb") as w:
        for f in sorted_files(pattern):
            with (gzip.open if f.endswith(".gz") else open)(f, "rb") as r:
                w.write(r.read())
    return out


# ---- ausearch's answers ----------------------------------------------------------------

def run_ausearch(args, path, wrap=()):
    out = subprocess.run([*wrap, AUSEARCH, *args, "-if", path], capture_output=True, env={**os.environ, "TZ": "UTC"})
    text = out.stdout.decode("utf-8", "surrogateescape")
    if out.returncode != 0 and "<no matches>" not in out.stderr.decode(errors="replace"):
        raise AssertionError(f"ausearch {args} {path} failed: {out.stderr!r}")
    return text


def ausearch_csv(path):
    """(node, serial, 'MM/DD/YY HH:MM:SS') of every event, from --format csv."""
    rows = list(csv.DictReader(io.StringIO(run_ausearch(["--format", "csv"], path))))
    return [(r["NODE"] or None, int(r["SERIAL_NUM"]), f'{r["DATE"]} {r["TIME"]}') for r in rows]


def blocks(text):
    """ausearch's output split into events; each a list of record lines in file order
    (ausearch 3.0.9 prints an event's records last first)."""
    out = []
    for block in text.split("----\n"):
        lines = [l for l in block.split("\n") if l.strip() and not l.startswith("time->")]
        if lines:
            out.append(lines[::-1])
    return out


def ausearch_events(path):
    """[(node, serial, 'SECONDS.MILLIS', [record types])] from ausearch's raw output."""
    out = []
    for recs in blocks(run_ausearch([], path)):
        heads = [HEADER.match(r) for r in recs]
        assert all(heads), recs
        node, _, stamp = heads[0].groups()
        sec_ms, serial = stamp.rsplit(":", 1)
        out.append((node, int(serial), sec_ms, [h.group(2) for h in heads]))
    return out


def field_names(body):
    """The names of a raw record body's fields, in order; user-space msg='...' flattened."""
    body = body.split("\x1d", 1)[0]
    names = []
    for m in re.finditer(r"(\S+?)=('[^']*'?|\"[^\"]*\"|\S*)", body):
        if m.group(1) == "msg" and m.group(2).startswith("'"):
            names += field_names(m.group(2).strip("'"))
        else:
            names.append(m.group(1))
    return names


def interpreted(raw_line, interp_line):
    """ausearch -i's value of each field of one record: [(name, value)]. The -i line does
    not quote values that hold spaces, so the names come from the raw line and each value
    runs to the next name."""
    names = field_names(HEADER.sub("", raw_line, count=1))
    body = HEADER.sub("", interp_line, count=1)
    body = body.replace("msg='", "", 1)
    body = re.sub(r"' ?$", " ", body) if "msg='" in interp_line else body
    body = body[:-1] if body.endswith(" ") else body   # ausearch ends every field with a space
    values, pos = [], 0
    for i, name in enumerate(names):
        assert body.startswith(name + "=", pos), (name, body[pos:pos + 80], raw_line[:200])
        start = pos + len(name) + 1
        end = body.find(" " + names[i + 1] + "=", start) if i + 1 < len(names) else len(body)
        assert end >= 0, (names[i + 1], body[start:start + 200])
        value = body[start:end].rstrip("\r")   # CRLF logs: ausearch keeps the CR
        # Several keys of one rule (one hex field, 0x01 between keys): ausearch prints key= per key.
        values += [(name, v) for v in value.split(" key=")] if name == "key" else [(name, value)]
        pos = end + 1
    return values


def ausearch_decoded(path, wrap=()):
    """Per event: [(type, [(name, interpreted value)])] of each record, from ausearch and ausearch -i."""
    raw, interp = blocks(run_ausearch([], path)), blocks(run_ausearch(["-i"], path, wrap))
    assert len(raw) == len(interp), (len(raw), len(interp))
    out = []
    for r_recs, i_recs in zip(raw, interp):
        assert len(r_recs) == len(i_recs)
        out.append([(HEADER.match(r).group(2), interpreted(r, i)) for r, i in zip(r_recs, i_recs)])
    return out


def escaped(value):
    """Our decoded text written the way ausearch -i prints it: control bytes as \\ooo."""
    if value is None:
        return None
    return "".join(f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7f else c for c in value)


def iso(sec_ms):
    sec, ms = sec_ms.split(".")
    t = datetime.datetime.fromtimestamp(int(sec), datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms}Z"


# ---- the tests ---------------------------------------------------------------------------

@unittest.skipUnless(AUSEARCH, "ausearch not found (Debian package auditd; scripts/setup installs it)")
class GroupingAgreesWithAusearch(unittest.TestCase):
    def assert_same_events(self, ours_path, oracle_path=None, where="1"):
        oracle_path = oracle_path or ours_path
        ours = events(ours_path, where)
        theirs_csv = ausearch_csv(oracle_path)
        theirs = ausearch_events(oracle_path)
        self.assertEqual(len(ours), len(theirs_csv), f"{ours_path}: number of events")
        self.assertEqual(len(theirs), len(theirs_csv))
        key = lambda e: (e[2], e[1], e[0] or "")
        # csv: node, serial and time (to the second, UTC).
        ours_csv = sorted(((r["node"], r["serial"], datetime.datetime.fromisoformat(r["time"][:19]).strftime(
            "%m/%d/%y %H:%M:%S")) for r in ours), key=lambda e: (e[2], e[1], e[0] or ""))
        self.assertEqual(ours_csv, sorted(theirs_csv, key=lambda e: (e[2], e[1], e[0] or "")))
        # raw output: the milliseconds, and which records each event holds.
        mine = sorted(((r["node"], r["serial"], r["time"], r["record_types"].split(","), r["epoch"]) for r in ours),
                      key=key)
        want = sorted(((n, s, iso(t), types, float(t)) for n, s, t, types in theirs), key=key)
        for m, w in zip(mine, want):
            self.assertEqual(m[:4], w[:4], ours_path)
            self.assertAlmostEqual(m[4], w[4], places=6)

    def test_in_order_fixtures(self):
        for name in make_fixtures.IN_ORDER:
            with self.subTest(fixture=name):
                self.assert_same_events(fixture(name))

    def test_truncated_last_line_and_10mb_line(self):
        # ausearch reads both; so do we, with the cut line flagged (see LineAccounting).
        for name in ("truncated.log", "big_line.log"):
            with self.subTest(fixture=name):
                self.assert_same_events(fixture(name))

    def test_rotated_files_are_one_stream(self):
        # ausearch reads one file: the rotated set concatenated oldest first is its input.
        pattern = fixture("rotated/audit.log*")
        self.assert_same_events(pattern, one_stream(pattern))
        rows = {r["serial"]: r for r in events(pattern)}
        # Started at the end of audit.log.2.gz and audit.log.1, ended in the next file.
        self.assertEqual((os.path.basename(rows[1601]["file"]), rows[1601]["line"]), ("audit.log.2.gz", 8))
        self.assertEqual((os.path.basename(rows[1603]["file"]), rows[1603]["line"]), ("audit.log.1", 12))
        self.assertEqual([r["record_count"] for r in rows.values()], [7] * 5)

    def test_garbage_lines_are_extra_rows_with_parse_error(self):
        # ausearch drops what is not a record; we keep each such line as a row of its own.
        path = fixture("garbage.log")
        self.assert_same_events(path, where="parse_error is null")
        bad = events(path, "parse_error is not null")
        self.assertEqual([r["line"] for r in bad], [8, 9, 17, 18])
        self.assertTrue(all(r["record_count"] == 1 and r["type"] is None and r["serial"] is None for r in bad))
        self.assertIn("not an audit record", bad[0]["parse_error"])

    def test_record_outside_the_window_is_its_own_row(self):
        # 40 s of log time after its event: ausearch splits it off too, and we say why.
        path = fixture("late_window.log")
        self.assert_same_events(path)
        late = events(path, "parse_error is not null")
        self.assertEqual([(r["serial"], r["record_types"], r["line"]) for r in late], [(1200, "PATH", 36)])
        self.assertIn("late record", late[0]["parse_error"])

    @unittest.skipUnless(os.path.exists(SHARED_LOG), f"needs the shared datasets, not found at {SHARED_LOG}")
    def test_shared_auditd_log(self):
        self.assertEqual(len(ausearch_csv(SHARED_LOG)), 938)
        self.assert_same_events(SHARED_LOG)


@unittest.skipUnless(AUSEARCH, "ausearch not found (Debian package auditd; scripts/setup installs it)")
class DifferencesFromAusearchArePinned(unittest.TestCase):
    def test_login_sharing_a_syscall_serial_is_one_event(self):
        # The kernel logs LOGIN inside the write(2) to /proc/self/loginuid and the write's
        # SYSCALL at its exit, under one serial: one kernel event. ausearch makes two.
        path = fixture("login_syscall.log")
        theirs = ausearch_csv(path)
        self.assertEqual([(s, t) for _, s, t in theirs].count(theirs[0][1:]), 2, theirs)
        rows = events(path)
        self.assertEqual([(r["serial"], r["type"], r["record_types"], r["syscall"], r["ses"], r["auid"])
                          for r in rows],
                         [(1000, "SYSCALL", "LOGIN,SYSCALL,PROCTITLE,EOE", "write", 11, 0),
                          (1001, "SYSCALL", "LOGIN,SYSCALL,PROCTITLE", "write", 12, 0)])

    def test_record_after_eoe_joins_its_event(self):
        # A PATH of serial 1100 after 1100's EOE and inside 1101's records: ausearch
        # --format csv makes it a third event (ausearch 3.0.9's plain output, oddly, puts it
        # back in 1100); within the window it is 1100's, as its serial says.
        path = fixture("late_record.log")
        self.assertEqual([s for _, s, _ in ausearch_csv(path)], [1100, 1100, 1101])
        rows = events(path)
        self.assertEqual([(r["serial"], r["record_count"], r["parse_error"]) for r in rows],
                         [(1100, 8, None), (1101, 7, None)])
        self.assertEqual([p["name"] for p in json.loads(rows[0]["paths"])],
                         ["/bin/cp", "/lib64/ld-linux-x86-64.so.2", "b"])


STRING_FIELDS = {"exe", "comm", "cwd", "proctitle", "name", "acct", "cmd", "hostname", "addr", "terminal", "op",
                 "key"}


@unittest.skipUnless(AUSEARCH, "ausearch not found (Debian package auditd; scripts/setup installs it)")
class DecodingAgreesWithAusearchI(unittest.TestCase):
    def check(self, path, enriched=False):
        ours = sorted(events(path), key=lambda r: (r["epoch"], r["serial"], r["node"] or ""))
        theirs_events = ausearch_events(path)
        order = sorted(range(len(theirs_events)), key=lambda i: (float(theirs_events[i][2]), theirs_events[i][1],
                                                                 theirs_events[i][0] or ""))
        decoded = ausearch_decoded(path)
        self.assertEqual(len(ours), len(decoded))
        checked = 0
        for row, i in zip(ours, order):
            recs = decoded[i]
            where = f"{path} serial {row['serial']}"
            # Record by record: every string field auditd may hex-encode.
            mine = json.loads(row["records"])
            self.assertEqual([r["type"] for r in mine], [t for t, _ in recs], where)
            for m, (rtype, fields) in zip(mine, recs):
                theirs_by_name = {}
                for n, v in fields:
                    theirs_by_name.setdefault(n, []).append(v)
                for name, values in theirs_by_name.items():
                    if name not in STRING_FIELDS or rtype == "SYSCALL" and name == "key":
                        continue
                    # auditd's (null) is JSON null in our records
                    want = None if values[0] == "(null)" else values[0]
                    self.assertEqual(escaped(m["fields"].get(name)), want, f"{where} {rtype}.{name}")
                    checked += 1
            # The event's columns.
            first = lambda name: next((v for t, f in recs for n, v in f if n == name and t == "SYSCALL"),
                                      next((v for _, f in recs for n, v in f if n == name), None))
            for col in ("exe", "comm", "cwd", "proctitle", "cmd"):
                self.assertEqual(escaped(row[col]), first(col), f"{where} {col}")
            names = [v for t, f in recs if t == "PATH" for n, v in f if n == "name"]
            self.assertEqual([escaped(p["name"]) for p in json.loads(row["paths"] or "[]")], names, where)
            keys = [v for t, f in recs if t == "SYSCALL" for n, v in f if n == "key"]
            if keys:   # several keys of one rule: ausearch prints key= twice, we join with commas
                self.assertEqual(row["key"], None if keys == ["(null)"] else ",".join(keys), where)
            self.assertEqual(row["argv"] and [escaped(a) for a in json.loads(row["argv"])], self.argv(recs), where)
            if enriched:   # ausearch -i prints ENRICHED names in place of the ids
                self.assertEqual((row["uid_name"], row["auid_name"]), (first("uid"), first("auid")), where)
            checked += 1
        return checked

    @staticmethod
    def argv(recs):
        """aN and aN[i] of the EXECVE records, chunks joined in order; None without EXECVE."""
        args = {}
        for t, f in recs:
            if t != "EXECVE":
                continue
            for n, v in f:
                m = re.fullmatch(r"a(\d+)(?:\[(\d+)\])?", n)
                if m:
                    args.setdefault(int(m.group(1)), []).append((int(m.group(2) or 0), v))
        if not args:
            return None
        return ["".join(v for _, v in sorted(args[n])) for n in sorted(args)]

    def test_fixtures(self):
        for name in make_fixtures.IN_ORDER:
            with self.subTest(fixture=name):
                self.assertGreater(self.check(fixture(name), enriched=name == "enriched.log"), 0)

    def test_chunked_argument_is_whole(self):
        rows = events(fixture("chunked_args.log"))
        self.assertEqual(json.loads(rows[0]["argv"]),
                         ["perl", "-e", "A" * 3000 + "B" * 3000 + "C" * 3000 + "D" * 1000, "--", "tail"])
        self.assertEqual(json.loads(rows[1]["argv"]), ["printf", "%s", "x" * 6000, "y" * 3000, "z"])

    @unittest.skipUnless(os.path.exists(SHARED_LOG), f"needs the shared datasets, not found at {SHARED_LOG}")
    def test_shared_auditd_log(self):
        self.assertGreater(self.check(SHARED_LOG), 938)


def as_host(passwd, group):
    """A command prefix that runs the command in a private mount namespace with `passwd`
    and `group` over /etc/passwd and /etc/group, so that ausearch -i names ids as the log's
    host would; None where the machine allows no such namespace."""
    script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"'
    for unshare in (["unshare", "-m"], ["unshare", "-rm"]):
        wrap = [*unshare, "sh", "-c", script, "sh", passwd, group]
        probe = subprocess.run([*wrap, "getent", "passwd", "1001"], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.startswith("bob:"):
            return wrap
    return None


@unittest.skipUnless(AUSEARCH, "ausearch not found (Debian package auditd; scripts/setup installs it)")
class NamesAgreeWithAusearchI(unittest.TestCase):
    """uid_name, auid_name, gid_name and account from audit.passwd / audit.group equal what
    ausearch -i prints when the same files are the machine's /etc/passwd and /etc/group
    (a private mount namespace); ausearch's unknown(N) and unset are our NULL."""

    def test_names_from_the_hosts_files(self):
        folder = fixture("names")
        passwd, group = os.path.join(folder, "passwd"), os.path.join(folder, "group")
        wrap = as_host(passwd, group)
        if wrap is None:
            self.skipTest("no private mount namespace here (unshare -m / -rm refused): cannot give ausearch the host's files")
        log = os.path.join(folder, "names.log")
        conn = connect()
        conn.execute("select sqlhunt_config('audit.passwd', ?), sqlhunt_config('audit.group', ?)", (passwd, group))
        try:
            ours = conn.execute("select * from audit_events(?) order by epoch, serial", (log,)).fetchall()
        finally:
            conn.execute("select sqlhunt_config('audit.passwd', NULL), sqlhunt_config('audit.group', NULL)")
        decoded = ausearch_decoded(log, wrap)
        self.assertEqual(len(ours), len(decoded))
        name = lambda v: None if v is None or v == "unset" or v.startswith("unknown(") else v
        checked = 0
        for row, recs in zip(ours, decoded):
            first = lambda n: next((v for t, f in recs for k, v in f if k == n and t == "SYSCALL"),
                                   next((v for _, f in recs for k, v in f if k == n), None))
            where = f"serial {row['serial']}"
            self.assertEqual(row["uid_name"], name(first("uid")), where)
            self.assertEqual(row["auid_name"], name(first("auid")), where)
            self.assertEqual(row["gid_name"], name(first("gid")), where)
            # account: acct, else id named, else auid named (ausearch -i names both)
            want = first("acct") or name(first("id")) or name(first("auid"))
            if want is not None or row["account"] is None:
                self.assertEqual(row["account"], want, where)
            checked += 1
        self.assertEqual(checked, 7)
        # The test is not empty: ausearch named someone in every event but the last two.
        self.assertEqual([r["uid_name"] for r in ours], ["root", "root", "alice", "bob", None, "root", "root"])


class WindowedQueries(unittest.TestCase):
    """A time window pushed down gives the rows the same WHERE gives over the whole log
    (tests/sql/audit_events/pushdown*.sql compare many windows; this is the late-record case)."""

    def test_late_record_is_late_with_a_window_too(self):
        path = fixture("late_window.log")
        where = "time between '2023-11-14T22:31:40' and '2023-11-14T22:31:41'"
        conn = connect()
        conn.execute("create temp table whole as select * from audit_events(?)", (path,))
        cols = "serial, record_count, line, parse_error is not null"
        whole = conn.execute(f"select {cols} from whole where {where}").fetchall()
        pushed = conn.execute(f"select {cols} from audit_events(?) where {where}", (path,)).fetchall()
        self.assertEqual([tuple(r) for r in whole], [(1200, 7, 1, 0), (1200, 1, 36, 1)])
        self.assertEqual([tuple(r) for r in pushed], [tuple(r) for r in whole])


class LineAccounting(unittest.TestCase):
    """Every input line is in exactly one row."""

    def all_inputs(self):
        names = sorted(os.listdir(FIXTURES))
        return [fixture(n) for n in names if n.endswith(".log") and not n.startswith("stream-")] + \
            [fixture("rotated/audit.log*")]

    def test_every_line_in_exactly_one_row(self):
        conn = connect()
        for path in self.all_inputs():
            with self.subTest(fixture=os.path.relpath(path, FIXTURES)):
                lines = count_lines(path)
                total, = conn.execute("select coalesce(sum(record_count), 0) from audit_events(?)", (path,)).fetchone()
                self.assertEqual(total, lines)
                n, = conn.execute("select count(*) from audit_records(?)", (path,)).fetchone()
                self.assertEqual(n, lines)
                seen = []
                for row in conn.execute("select file, line, record_count, records, parse_error from audit_events(?)",
                                        (path,)):
                    recs = json.loads(row["records"])
                    if recs:
                        self.assertEqual(len(recs), row["record_count"])
                        seen += [(row["file"] if i == 0 else None, r["line"]) for i, r in enumerate(recs)]
                    else:   # a line that is not a record
                        self.assertEqual(row["record_count"], 1)
                        self.assertIsNotNone(row["parse_error"])
                        seen.append((row["file"], row["line"]))
                if "*" not in path:   # one file: line numbers are the file's 1..N, each once
                    self.assertEqual(sorted(l for _, l in seen), list(range(1, lines + 1)))

    def test_truncated_last_line(self):
        rows = events(fixture("truncated.log"))
        self.assertEqual([(r["serial"], r["record_count"]) for r in rows], [(1300, 7), (1301, 6), (1302, 2)])
        self.assertIsNone(rows[1]["parse_error"])   # no EOE is not an error
        self.assertIn("line 15", rows[2]["parse_error"])
        self.assertIn("ends inside this line", rows[2]["parse_error"])

    def test_ten_mb_line_is_read(self):
        path = fixture("big_line.log")
        self.assertGreater(os.path.getsize(path), 10_000_000)
        rows = events(path)
        self.assertEqual([r["serial"] for r in rows], [1500, 1501, 1502])
        big = rows[1]
        self.assertIsNone(big["parse_error"])
        self.assertEqual(big["type"], "USER_CMD")
        cmd = json.loads(big["records"])[0]["fields"]["cmd"]
        self.assertEqual(cmd, ("echo " + "0123456789abcdef" * 312500)[:5_000_000])
        self.assertGreater(len(big["raw"]), 10_000_000)

    def test_crlf_is_stripped(self):
        rows = events(fixture("crlf.log"))
        self.assertEqual([(r["serial"], r["record_count"]) for r in rows], [(900, 7), (901, 1)])
        self.assertNotIn("\r", "".join(r["raw"] for r in rows))
        self.assertEqual((rows[0]["cwd"], rows[1]["res"]), ("/home/alice", "failed"))


class Errors(unittest.TestCase):
    def test_missing_file_is_an_error_naming_it(self):
        path = fixture("no-such.log")
        with self.assertRaises(sqlite3.OperationalError) as ctx:
            events(path)
        self.assertIn(path, str(ctx.exception))
        self.assertIn("No such file", str(ctx.exception))

    def test_directory_is_an_error(self):
        with self.assertRaises(sqlite3.OperationalError) as ctx:
            events(fixture("rotated"))
        self.assertIn(fixture("rotated"), str(ctx.exception))

    def test_glob_matching_nothing_is_no_rows(self):
        self.assertEqual(events(fixture("nothing*.log")), [])

    def test_empty_file_is_no_rows(self):
        self.assertEqual(events(fixture("empty.log")), [])
        self.assertEqual(connect().execute("select count(*) from audit_records(?)", (fixture("empty.log"),))
                         .fetchone()[0], 0)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print(f"{result.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)
