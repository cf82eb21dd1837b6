"""ip_normalize() against an independent oracle: Python's ipaddress module (RFC 5952
text through .compressed, IPv4-mapped addresses through .ipv4_mapped, zones through
.scope_id), on the decorated forms logs write and on random addresses.

Run by ctest with Debian's /usr/bin/python3:
    tests/run_host.sh /usr/bin/python3 tests/python/test_ip_normalize.py
"""
import ipaddress
import os
import random
import re
import sqlite3
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
ZONE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def oracle(text):
    """What ip_normalize() should return, computed with ipaddress alone."""
    s = text.strip(" \t\r\n")
    if not s:
        return None
    port = None
    if s.startswith("["):
        close = s.find("]")
        if close < 0:
            return None
        inside, rest = s[1:close], s[close + 1:]
        if rest:
            if not rest.startswith(":"):
                return None
            port = rest[1:]
        s = inside
        if ":" not in s and "%" in s:
            return None
    elif s.count(":") == 1:
        s, port = s.split(":")
        if "%" in s:
            return None
    if port is not None and not (port.isdigit() and port.isascii() and 1 <= len(port) <= 5 and int(port) <= 65535):
        return None
    if "%" in s:
        addr, zone = s.split("%", 1)
        if ":" not in addr or not ZONE.match(zone):
            return None
        s = addr
    if not all(c in "0123456789abcdefABCDEF:." for c in s):
        return None  # ipaddress takes integers and more; logs write text
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return None
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        return str(a.ipv4_mapped)
    return a.compressed


def random_v6(rnd):
    groups = [rnd.choice([0, 0, 0, rnd.randrange(65536)]) for _ in range(8)]
    text = ":".join(f"{g:x}" if rnd.random() < 0.5 else f"{g:04X}" for g in groups)
    return ipaddress.IPv6Address(text).compressed if rnd.random() < 0.5 else text


def random_value(rnd):
    kind = rnd.randrange(8)
    v4 = ".".join(str(rnd.randrange(256)) for _ in range(4))
    if kind == 0:
        return v4
    if kind == 1:
        return f"{v4}:{rnd.randrange(70000)}"
    if kind == 2:
        return f"[{random_v6(rnd)}]:{rnd.randrange(70000)}"
    if kind == 3:
        return f"::ffff:{v4}" if rnd.random() < 0.5 else f"::FFFF:{rnd.randrange(65536):x}:{rnd.randrange(65536):x}"
    if kind == 4:
        return f"{random_v6(rnd)}%{rnd.choice(['eth0', '11', 'en-1.x', 'bad zone', ''])}"
    if kind == 5:  # leading zeros, too many parts, stray characters
        return rnd.choice([f"0{v4}", v4 + ".1", v4 + "/24", "x" + v4, v4.replace(".", ":", 1), f"[{v4}]"])
    if kind == 6:
        return random_v6(rnd)
    return "".join(rnd.choice("0123456789abcdef:.[]%") for _ in range(rnd.randrange(1, 20)))


class IpNormalize(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.conn = sqlite3.connect(":memory:")
        cls.conn.enable_load_extension(True)
        cls.conn.load_extension(EXTENSION)

    def check(self, values):
        got = self.conn.execute(
            "select value, ip_normalize(value) from json_each(?)", (__import__("json").dumps(values),)).fetchall()
        mismatches = [(v, g, oracle(v)) for v, g in got if g != oracle(v)]
        self.assertEqual(mismatches, [], mismatches[:10])
        return got

    def test_what_logs_write(self):
        got = self.check(["175.45.176.99:17362", "[2603:1036:4:3f::5]:1672", "::1", "2603:10b6:5:345::11",
                          "::ffff:10.0.0.4", "fe80::1%eth0", "[fe80::1%11]:3389", "0.0.0.0", "", "-",
                          "127.0.0.1:0", "[::]:0", "1:2:3:4:5:6:7:8", "1::", "::ffff:0:1.2.3.4"])
        self.assertEqual(dict(got)["[2603:1036:4:3f::5]:1672"], "2603:1036:4:3f::5")

    def test_random_values(self):
        rnd = random.Random(5952)
        values = [random_value(rnd) for _ in range(20000)]
        got = self.check(values)
        self.assertGreater(sum(1 for _, g in got if g is not None), 8000)  # the test is not all refusals
        self.assertGreater(sum(1 for _, g in got if g is None), 2000)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
