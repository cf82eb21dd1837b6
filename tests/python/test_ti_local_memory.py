"""ti.local is streamed: a large indicator feed costs 16 bytes an indicator, not its size.

The feed was read whole into one string, then every record kept as strings and JSON
(several times the file). Now loading keeps a hash and a file number per indicator, and
a lookup that hits reads the file again for the records that match. Here: a CSV feed of
100 MB (400,000 records of 250 bytes, a long description column as real feeds have);
the peak resident memory of the process that looks up three addresses in it (one in
the middle of the file, one on its last line, one absent) grows by a small fraction of
the file, and the answers name the right lines.

Measured in a fresh Python process (Debian's, which loads extensions), from
/proc/self/status.
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peak_memory import MB, SANITIZED, SKIP, probe  # noqa: E402 (the one probe)

RECORDS = 400_000
LOOKUP = ("select observable, status, result, reference from ti_lookup "
          "where observable in (select value from json_each(?)) and provider = 'local' order by 1")


def address(i):
    return f"{10 + i // 65536}.{(i // 256) % 256}.{i % 256}.{i % 128}"


class LocalFeedMemory(unittest.TestCase):
    def test_a_100_mb_feed(self):
        with tempfile.TemporaryDirectory() as d:
            feed = os.path.join(d, "feed.csv")
            filler = "x" * 200
            with open(feed, "w") as f:
                f.write("indicator,type,first_seen,description\n")
                for i in range(RECORDS):
                    f.write(f"{address(i)},ip,2024-01-01,seen in campaign {i} {filler}\n")
            size = os.path.getsize(feed) / MB
            middle, last = RECORDS // 2, RECORDS - 1
            asked = [address(middle), address(last), "203.0.113.9"]
            got = probe(LOOKUP, [json.dumps(asked)], setup=[("select sqlhunt_config('ti.local', ?)", [feed])])
        self.assertEqual(got["rows"], sorted([
            [address(middle), "ok", "in 1 local indicator (ip)", f"{feed}:{middle + 2}"],
            [address(last), "ok", "in 1 local indicator (ip)", f"{feed}:{last + 2}"],
            ["203.0.113.9", "not_found", f"not in {RECORDS} local indicators", None]]))
        print(f"ti.local of {size:.0f} MB ({RECORDS} indicators): peak +{got['peak_mb']:.0f} MB")
        if not SANITIZED:
            # Reading it whole held the file and its records several times over; the
            # index is 16 bytes an indicator (6.4 MB) plus the readers' buffers.
            self.assertLess(got["peak_mb"], 30)


if __name__ == "__main__":
    if not os.path.exists("/proc/self/clear_refs"):
        print("skipped: needs /proc/self/clear_refs")
        sys.exit(SKIP)
    unittest.main(verbosity=2)
