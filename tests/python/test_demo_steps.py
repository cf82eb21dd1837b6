"""The bundled demo (examples/demo.sql over the case examples/make_case.py writes) says
what issue 12 asked of it: its first step lists each indicator of the threat report once,
with how often the report names it, and the attacker's login shows who logged in (the
`account` column, named by the host's passwd file in the case).

Runs the demo as `make demo` does (scripts/demo: the case into examples/case, SQLite's
shell over examples/demo.sql) with this build's extension.
"""
import os
import re
import subprocess
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")


def step(output, n):
    """The lines of step n of the demo's output."""
    m = re.search(rf"^== {n}\. .*?$(.*?)(?=^== |\Z)", output, re.S | re.M)
    assert m, f"no step {n} in the demo's output"
    return [l for l in m.group(1).splitlines() if l.strip()]


class DemoSteps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "examples", "make_case.py"),
                        os.path.join(SOURCE, "examples", "case")], check=True)
        with open(os.path.join(SOURCE, "examples", "demo.sql")) as f:
            demo = f.read()
        out = subprocess.run([SHELL, "-batch", "-list", "-header", "-cmd", f".load {EXTENSION}", ":memory:"],
                             input=demo, capture_output=True, text=True, cwd=SOURCE,
                             env={**os.environ, "SQLHUNT_CACHE": "off"}, timeout=300)
        cls.output = out.stdout + out.stderr

    def test_first_step_lists_each_indicator_once_with_its_count(self):
        rows = step(self.output, 1)
        self.assertEqual(rows[0], "type|value|mentions|defanged")
        values = [r.split("|")[1] for r in rows[1:]]
        self.assertEqual(len(values), len(set(values)), rows)
        counts = {r.split("|")[1]: int(r.split("|")[2]) for r in rows[1:]}
        # The report names the attacker's address and the staging domain twice each.
        self.assertEqual(counts["23.97.60.214"], 2)
        self.assertEqual(counts["update-checker.online"], 2)

    def test_login_step_names_the_account(self):
        rows = step(self.output, 6)
        header = rows.index(next(r for r in rows if r.startswith("time|")))
        self.assertEqual(rows[header].split("|")[:2], ["time", "account"])
        self.assertEqual([r.split("|")[1] for r in rows[header + 1:]], ["ian"])


if __name__ == "__main__":
    unittest.main()
