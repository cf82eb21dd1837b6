"""iocs() and extract_iocs() keep their memory bounded, whatever a text holds.

A text made of nothing but indicators ("http://" over and over: a URL per 14 bytes)
once made iocs() hold every match at once (4x the text) and extract_iocs() build its
whole JSON (6x) and only then fail with "string or blob too big" (19x the text at
its peak). Now iocs() streams a batch of matches at a time, and extract_iocs() stops
as soon as its JSON would pass SQLite's length limit, with an error naming iocs().

Each measurement runs in a fresh Python process: the peak resident memory (VmHWM,
reset through /proc/self/clear_refs once the text exists) minus the memory before the
query. The bounds are a few times the text, far below what holding every match takes.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peak_memory import MB, Repeat, main, probe  # noqa: E402 (the one probe)


class Memory(unittest.TestCase):
    SIZE = 20 * MB

    def test_iocs_streams(self):
        dense = probe("select count(*), max(rowid) from iocs(?)", [Repeat("http://", self.SIZE)])
        sparse = probe("select count(*), max(rowid) from iocs(?)", [Repeat("lorem i", self.SIZE)])
        n = self.SIZE // 7 // 2  # "http://http" is a URL, "://" after it is not
        self.assertEqual(dense["rows"], [[n, n]])  # rowids from 1
        self.assertEqual(sparse["rows"], [[0, None]])
        print(f"iocs() over {self.SIZE / MB:.0f} MB: peak +{dense['peak_mb']:.0f} MB with {n} matches, "
              f"+{sparse['peak_mb']:.0f} MB with none")
        # Holding every match took another 6x the text (120 MB here); the stream holds
        # one batch, so a text of indicators costs what a text of none does (the copies
        # of the text itself: Python's, SQLite's, the cursor's).
        self.assertLess(dense["peak_mb"], sparse["peak_mb"] + 10)
        self.assertLess(dense["peak_mb"], 5 * self.SIZE / MB)

    def test_extract_iocs_stops_at_the_length_limit(self):
        limit = 40 * MB  # the text fits (SQLite applies the limit to it too), its JSON not
        got = probe("select length(extract_iocs(?))", [Repeat("http://", self.SIZE)], limit)
        print(f"extract_iocs() over {self.SIZE / MB:.0f} MB, length limit {limit / MB:.0f} MB: "
              f"peak +{got['peak_mb']:.0f} MB")
        self.assertIn("error", got)
        self.assertRegex(got["error"], r"^extract_iocs: the JSON would be longer than SQLite's length limit "
                                       r"\(40000000 bytes\), reached at byte \d+ of \d+: iocs\(text\) gives "
                                       r"the same indicators as rows, without a limit$")
        # The whole JSON is 7x the text (135 MB here), the matches 4x more: it stops at
        # the limit instead, holding the text's copies and at most the limit.
        self.assertLess(got["peak_mb"], 4 * self.SIZE / MB + 1.5 * limit / MB)

    def test_extract_iocs_up_to_the_limit_still_answers(self):
        # 1 MB of text makes about 13 MB of JSON: under a 20 MB limit it comes back whole.
        got = probe("select length(extract_iocs(?)), json_array_length(extract_iocs(?1))", [Repeat("http://", MB)],
                    20 * MB)
        self.assertNotIn("error", got)
        self.assertEqual(got["rows"][0][1], MB // 7 // 2)


if __name__ == "__main__":
    main()
