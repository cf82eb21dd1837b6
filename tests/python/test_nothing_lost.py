"""Nothing is lost under corruption: every line of the input is in exactly one row or
one parse_error row, whatever an attacker (or a bad disk) did to the file.

For each reader, clean fixtures are corrupted at random positions (seeded, so a failure
names its seed): truncation, flipped bytes, NUL bytes, invalid UTF-8, CRLF and lone CR
mixed in, and one line longer than the readers' 64 MB record limit. The invariant is
checked through the table's own `line` (and, for audit_events, `record_count`) columns,
from Python's sqlite3 module, whose fetchall() also proves every TEXT value is valid
UTF-8 (it raises otherwise and the whole result would be lost).

  alerts (JSON lines): one row per non-blank physical line, the lines all distinct
  audit_events: sum(record_count) equals the number of non-blank lines, and so does
                audit_records' row count

The harms, the models (physical_lines; csv_records, core/csv.h's rule) and the checks
(DamagedFiles.check_csv, check_json_lines) are here once, for test_nothing_lost_flows.py
and test_nothing_lost_more.py too.
"""
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import unittest

EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SEEDS = range(12)


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    return conn


def corrupt(data: bytes, seed: int) -> bytes:
    """Damage `data` in a seeded way: a few of each kind of harm."""
    rnd = random.Random(seed)
    b = bytearray(data)
    for _ in range(rnd.randint(3, 12)):
        harm = rnd.choice(["flip", "nul", "utf8", "crlf", "cr", "cut_line", "dup"])
        at = rnd.randrange(len(b)) if b else 0
        if harm == "flip":
            b[at] ^= 1 << rnd.randrange(8)
        elif harm == "nul":
            b[at:at] = b"\0" * rnd.randint(1, 5)
        elif harm == "utf8":
            b[at:at] = rnd.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"])
        elif harm == "crlf":
            nl = b.find(b"\n", at)
            if nl > 0:
                b[nl:nl] = b"\r"
        elif harm == "cr":
            b[at:at] = b"\r"
        elif harm == "cut_line":
            nl = b.find(b"\n", at)
            if nl > 0:
                del b[at:nl]
        elif harm == "dup":
            b[at:at] = b[at:at + rnd.randint(1, 200)]
    if rnd.random() < 0.5:  # truncated at a random point
        del b[rnd.randrange(len(b) // 2, len(b)):]
    return bytes(b)


def physical_lines(data: bytes):
    """1-based numbers of the non-blank lines, as the readers count lines (LF ends a line)."""
    out = []
    for i, line in enumerate(data.split(b"\n"), 1):
        if line.strip(b" \t\r"):
            out.append(i)
    if data.endswith(b"\n") and out and out[-1] == len(data.split(b"\n")):
        out.pop()
    return out


def csv_records(data: bytes):
    """The records of core/csv.h in `data`, as (line, fields, error): the 1-based line
    where each starts (blank lines are no records), its fields (quotes unescaped, the
    CR of a CRLF left out) and whether the reader reports it (text after a closing
    quote, a quote still open at the end). Its scan() state machine, byte for byte."""
    field_start, unquoted, quoted, quote_seen, quote_seen_cr = range(5)
    records, i, line, n = [], 0, 1, len(data)
    while i < n:
        if data[i] == 0x0A or (data[i] == 0x0D and i + 1 < n and data[i + 1] == 0x0A):
            i += 1 if data[i] == 0x0A else 2
            line += 1
            continue
        start_line, fields, cur, error = line, [], bytearray(), False
        state, newlines = field_start, 0
        while i < n:
            c = data[i]
            if state == quoted:
                if c == 0x22:
                    state = quote_seen
                else:
                    cur.append(c)
                    newlines += c == 0x0A
                i += 1
            elif state == quote_seen:
                if c == 0x0A:
                    break
                if c == 0x22:
                    cur.append(c)
                    state = quoted
                elif c == 0x2C:
                    fields.append(bytes(cur))
                    cur, state = bytearray(), field_start
                elif c == 0x0D:
                    state = quote_seen_cr
                else:
                    cur.append(c)
                    error, state = True, unquoted
                i += 1
            elif state == quote_seen_cr:
                if c == 0x0A:
                    break
                cur.append(0x0D)
                error, state = True, unquoted  # the byte is read again as text
            elif state == field_start and c == 0x22:
                state = quoted
                i += 1
            else:
                if c == 0x0A:
                    break
                if c == 0x2C:
                    fields.append(bytes(cur))
                    cur, state = bytearray(), field_start
                else:
                    cur.append(c)
                    state = unquoted
                i += 1
        if state == unquoted and cur.endswith(b"\r"):
            del cur[-1]  # a record's last CR (before its LF, or the end of the data) is no data
        error |= state == quoted and i >= n
        fields.append(bytes(cur))
        records.append((start_line, fields, error))
        i += 1
        line += newlines + 1
    return records


def split_header(data: bytes):
    """A CSV export's header line (with its line break) and its body."""
    nl = data.index(b"\n") + 1
    return data[:nl], data[nl:]


def csv_malformed(records, width):
    """The lines of csv_records() the readers must report: an error, or fields unlike the header's."""
    return [line for line, fields, error in records if error or len(fields) != width]


class DamagedFiles(unittest.TestCase):
    """A scratch folder for damaged files and a connection (the base of every nothing-lost test)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sqlhunt_lost_")
        self.conn = connect()

    def tearDown(self):
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, data):
        p = os.path.join(self.tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def lines_of(self, table, path):
        """The `line` of every row of table(path), and the rows (every TEXT value valid
        UTF-8, or fetchall() raises); (None, None) when the damage made the file binary
        in its first 4 KB and it was refused whole, with an error naming it."""
        try:
            rows = self.conn.execute(f"select * from {table}(?)", (path,)).fetchall()
        except sqlite3.OperationalError as e:
            self.assertIn("is binary data", str(e))
            return None, None
        return [r[0] for r in self.conn.execute(f"select line from {table}(?)", (path,))], rows

    def each_damaged(self, table, body, name, check, label="", header=b""):
        """For every seed, in a subTest of its own: `body` damaged, written after `header`
        as `name` (with {seed} in it) and read from `table`; then check(seed, damaged
        body, path, lines, rows). A file refused as binary is not checked further."""
        for seed in SEEDS:
            with self.subTest(label=label or table, seed=seed):
                damaged = corrupt(body, seed)
                p = self.write(name.format(seed=seed), header + damaged)
                lines, rows = self.lines_of(table, p)
                if lines is not None:
                    check(seed, damaged, p, lines, rows)

    def check_csv(self, table, clean, label):
        """Damage the body of a CSV export; every record of the model is one row at its
        line, and every malformed one is a parse_error row."""
        header, body = split_header(clean)
        width = len(csv_records(header)[0][1])
        self.assertEqual(csv_malformed(csv_records(body), width), [], f"{label}: the model reads the clean file")

        def check(seed, damaged, p, lines, _):
            records = csv_records(damaged)
            self.assertEqual(len(lines), len(set(lines)), f"{label} seed {seed}: a line in two rows")
            self.assertEqual(sorted(lines), [r[0] + 1 for r in records], f"{label} seed {seed}")
            errors = {r[0] for r in self.conn.execute(f"select line from {table}(?) where parse_error is not null", (p,))}
            for line in csv_malformed(records, width):
                self.assertIn(line + 1, errors, f"{label} seed {seed}: a malformed record read as whole")
        self.each_damaged(table, body, table + "{seed}.csv", check, label, header)
        return len(csv_records(body))

    def check_json_lines(self, table, clean, label):
        def check(seed, data, _, lines, __):
            self.assertEqual(len(lines), len(set(lines)), f"{label} seed {seed}: a line in two rows")
            # A damaged first line may change the shape detection; the count holds.
            self.assertEqual(sorted(lines), physical_lines(data), f"{label} seed {seed}")
        self.each_damaged(table, clean, table + "{seed}.jsonl", check, label)


class NothingLost(DamagedFiles):
    def test_alerts_json_lines(self):
        with open(os.path.join(SOURCE, "tests", "fixtures", "alerts", "bad_lines.jsonl"), "rb") as f:
            clean = f.read()
        alerts = [{"TimeGenerated": f"2019-02-18T0{i % 10}:00:00Z", "AlertName": f"alert {i} \u00e9\u2014",
                   "Description": "x" * (i * 37 % 300)} for i in range(200)]
        clean += b"".join(json.dumps(a).encode() + b"\n" for a in alerts)
        for seed in SEEDS:
            with self.subTest(seed=seed):
                data = corrupt(clean, seed)
                p = self.write(f"a{seed}.jsonl", data)
                rows = self.conn.execute(f"select line, parse_error, alert_name, record from alerts('{p}')").fetchall()
                lines = [r[0] for r in rows]
                self.assertEqual(len(lines), len(set(lines)), f"seed {seed}: a line in two rows")
                # JSON lines: every non-blank line is one row. (A damaged first line may
                # change the shape detection; the count still holds.)
                self.assertEqual(sorted(lines), physical_lines(data), f"seed {seed}")

    def test_alerts_overlong_line(self):
        big = b'{"AlertName":"' + b"A" * (80 << 20) + b'"}\n'
        p = self.write("big.jsonl", b'{"AlertName":"before"}\n' + big + b'{"AlertName":"after"}\n')
        rows = self.conn.execute(f"select line, alert_name, parse_error from alerts('{p}')").fetchall()
        self.assertEqual([(r[0], r[1]) for r in rows], [(1, "before"), (2, None), (3, "after")])
        self.assertIn("longer than", rows[1][2])

    def test_audit_events(self):
        with open(os.path.join(SOURCE, "tests", "fixtures", "audit", "sample.log"), "rb") as f:
            clean = f.read() * 20
        for seed in SEEDS:
            with self.subTest(seed=seed):
                data = corrupt(clean, seed)
                p = self.write(f"audit{seed}.log", data)
                n_lines = len(physical_lines(data))
                got = self.conn.execute(f"select sum(record_count) from audit_events('{p}')").fetchone()[0] or 0
                recs = self.conn.execute(f"select count(*) from audit_records('{p}')").fetchone()[0]
                self.assertEqual((got, recs), (n_lines, n_lines), f"seed {seed}")
                # Every TEXT column of every row: fetchall() fails on invalid UTF-8.
                self.conn.execute(f"select * from audit_events('{p}')").fetchall()


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
