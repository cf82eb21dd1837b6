"""A time window on audit_events reads the window, not the file before it.

The saving is measured by what the readers read (sqlhunt_debug('io'), counted in
core/file_source's ByteReader), on multi-MB logs that span days
(tests/fixtures/audit/make_fixtures.py `long`: one event every 30 s):

  * a one-minute window in the middle of a plain 12.7 MB log reads < 2% of it, and the
    rows are the right ones, with offsets that point at their first record;
  * the same over a rotated set (audit.log.3 .. audit.log, 6.3 MB each): < 2% of the set
    and < 2% of the file holding the window; the other files are skipped on a probe;
  * reading `line` costs a newline scan of the skipped part (documented): the lines are
    right and the bytes before the window are read;
  * a .gz cannot seek: it is read from its start up to the window (documented), and the
    answer is still right;
  * audit_records seeks the same way.
"""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE, "tests", "fixtures", "audit"))
import make_fixtures as fx  # noqa: E402

TMP = tempfile.mkdtemp(prefix="sqlhunt-window-io-")
LONG = os.path.join(TMP, "long")


def setUpModule():
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "fixtures", "audit", "make_fixtures.py"), TMP, "long"],
                   check=True)


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def connect():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    conn.enable_load_extension(False)
    return conn


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def minute_of(event):
    """A one-minute window [start, start + 59.999 s] that starts at event `event`'s time."""
    start = fx.LONG_START + event * fx.LONG_STEP_S
    return iso(start) + ".000Z", iso(start + 59) + ".999Z", start


def expected_serials(start):
    """The events the fixture has in [start, start + 60 s)."""
    return [100000 + (t - fx.LONG_START) // fx.LONG_STEP_S
            for t in range(start, start + 60) if (t - fx.LONG_START) % fx.LONG_STEP_S == 0]


def measured(conn, sql, args=()):
    """Runs sql and returns (rows, io) with io = what the readers read while it ran."""
    conn.execute("select sqlhunt_debug('io_reset')").fetchone()
    rows = conn.execute(sql, args).fetchall()
    io = json.loads(conn.execute("select sqlhunt_debug('io')").fetchone()[0])
    return rows, io


def per_file(io):
    return {os.path.basename(f["path"]): f for f in io["files"]}


def minute_query(conn, columns, path, event, table="audit_events"):
    """`columns` of the one-minute window that starts at event `event`, ordered by the
    first column: (rows, io, the window's start epoch)."""
    lo, hi, start = minute_of(event)
    rows, io = measured(conn, f"select {columns} from {table}(?) where time between ? and ? order by 1", (path, lo, hi))
    return rows, io, start


class WindowReads(unittest.TestCase):
    def test_io_counter_shape_and_reset(self):
        conn = connect()
        path = os.path.join(LONG, "gz", "audit.log")
        rows, io = measured(conn, "select count(*) from audit_events(?)", (path,))
        self.assertEqual(rows[0][0], fx.LONG_FILE_EVENTS)
        size = os.path.getsize(path)
        # The file once, its 2-byte gzip magic, and core/file_kind's look at its kind
        # before the scan (the magic again and the first 4 KB).
        self.assertEqual(io["bytes_read"], size + 2 + (2 + 4096),
                         "a whole scan reads the file once (and the magic, and the kind check's 4 KB)")
        self.assertEqual(per_file(io)["audit.log"]["size"], size)
        self.assertEqual(io["opens"], 2, "the kind check, then the scan")
        self.assertEqual(io["seeks"], 0)
        again = json.loads(conn.execute("select sqlhunt_debug('io_reset')").fetchone()[0])
        self.assertEqual(again["bytes_read"], io["bytes_read"], "io_reset shows the counts it clears")
        after = json.loads(conn.execute("select sqlhunt_debug('io')").fetchone()[0])
        self.assertEqual(after, {"bytes_read": 0, "reads": 0, "seeks": 0, "opens": 0, "files": []})
        with self.assertRaisesRegex(sqlite3.OperationalError, "unknown topic"):
            conn.execute("select sqlhunt_debug('nope')").fetchone()

    def test_plain_minute_in_the_middle(self):
        path = os.path.join(LONG, "plain.log")
        rows, io, start = minute_query(connect(), "serial, offset", path, fx.LONG_PLAIN_EVENTS // 2)
        self.assertEqual([r[0] for r in rows], expected_serials(start))
        size = os.path.getsize(path)
        self.assertLess(io["bytes_read"], 0.02 * size, io)
        self.assertGreater(io["seeks"], 0)
        with open(path, "rb") as f:
            data = f.read()
        for serial, offset in rows:
            self.assertTrue(offset == 0 or data[offset - 1:offset] == b"\n")
            self.assertRegex(data[offset:offset + 80].decode(), rf"^type=\S+ msg=audit\(\d+\.\d+:{serial}\)")

    def test_epoch_bounds_read_the_same_little(self):
        conn = connect()
        path = os.path.join(LONG, "plain.log")
        _, _, start = minute_of(fx.LONG_PLAIN_EVENTS // 3)
        rows, io = measured(conn, "select serial from audit_events(?) where epoch >= ? and epoch < ? order by serial",
                            (path, start, start + 60))
        self.assertEqual([r[0] for r in rows], expected_serials(start))
        self.assertLess(io["bytes_read"], 0.02 * os.path.getsize(path), io)

    def test_line_costs_a_newline_scan(self):
        path = os.path.join(LONG, "plain.log")
        rows, io, start = minute_query(connect(), "line, offset", path, fx.LONG_PLAIN_EVENTS // 2)
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(len(rows), len(expected_serials(start)))
        for line, offset in rows:
            self.assertEqual(line, data.count(b"\n", 0, offset) + 1)
        self.assertGreater(io["bytes_read"], rows[0][1], "the bytes before the window were read to count lines")

    def test_rotated_minute_in_the_middle_of_one_file(self):
        folder = os.path.join(LONG, "rotated")
        # audit.log.2 holds events LONG_PLAIN_EVENTS + LONG_FILE_EVENTS ..; its middle:
        event = fx.LONG_PLAIN_EVENTS + fx.LONG_FILE_EVENTS + fx.LONG_FILE_EVENTS // 2
        rows, io, start = minute_query(connect(), "serial, file", os.path.join(folder, "audit.log*"), event)
        self.assertEqual([r[0] for r in rows], expected_serials(start))
        self.assertEqual({os.path.basename(r[1]) for r in rows}, {"audit.log.2"})
        sizes = {n: os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder)}
        self.assertLess(io["bytes_read"], 0.02 * sum(sizes.values()), io)
        files = per_file(io)
        self.assertLess(files["audit.log.2"]["bytes_read"], 0.02 * sizes["audit.log.2"], io)
        for other in ("audit.log.3", "audit.log.1", "audit.log"):
            # only its first and/or last record was probed
            self.assertLessEqual(files[other]["bytes_read"], 16 << 10, (other, files[other]))

    def test_gz_is_read_from_its_start(self):
        folder = os.path.join(LONG, "gz")
        event = fx.LONG_PLAIN_EVENTS + 2 * fx.LONG_FILE_EVENTS + fx.LONG_FILE_EVENTS // 2  # the middle of .1.gz
        rows, io, start = minute_query(connect(), "serial", os.path.join(folder, "audit.log*"), event)
        self.assertEqual([r[0] for r in rows], expected_serials(start))
        files = per_file(io)
        gz = os.path.getsize(os.path.join(folder, "audit.log.1.gz"))
        # gzip has no random access: the stream is read from its start past the window
        # (about half of it here), as docs/audit_events.md says.
        self.assertGreater(files["audit.log.1.gz"]["bytes_read"], 0.3 * gz, io)
        self.assertEqual(files["audit.log.1.gz"]["seeks"], 0)
        self.assertLessEqual(files["audit.log"]["bytes_read"], 16 << 10, io)

    def test_audit_records_seeks_too(self):
        path = os.path.join(LONG, "plain.log")
        rows, io, start = minute_query(connect(), "distinct serial", path, fx.LONG_PLAIN_EVENTS // 4, "audit_records")
        self.assertEqual([r[0] for r in rows], expected_serials(start))
        self.assertLess(io["bytes_read"], 0.02 * os.path.getsize(path), io)


if __name__ == "__main__":
    unittest.main()
