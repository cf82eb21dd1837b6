"""Every SQL example in the docs runs as written and prints what the page says.

In a ```sql block of README.md or docs/*.md, a statement (ending with ';' at the end of
a line) that is directly followed by lines starting with '-- ' is checked: the real
sqlite3 shell's output for it (list mode, '|' between columns) must equal those lines
without the '-- '. A '-- ...' line means "and more lines that are not shown": the lines
before it must match the start of the output. Statements not followed by such lines are
run (to set up later ones) but not compared. A blank line ends an expected block, so a
'-- ' comment separated by a blank line is prose. Each block runs in its own fresh
`sqlite3 :memory:` with the extension loaded, in the source tree's root; `.load` lines
are left out (the runner loads the extension).

A page or block opts out with an HTML comment on the line just before the block
(or at the top of the page for all its blocks):
    <!-- docs-check: skip (reason) -->           not run: needs a remote service, say
    <!-- docs-check: requires datasets -->      skipped when ../shared/datasets is absent
"""
import glob
import os
import re
import subprocess
import sys
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
MARK = "@@sqlhunt-docs-check@@"


def blocks(path):
    """(line number, directive, lines) for each ```sql block; directive from the line before."""
    lines = open(path, encoding="utf-8").read().split("\n")
    page_directive = next((l for l in lines[:3] if l.startswith("<!-- docs-check:")), "")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sql":
            directive = lines[i - 1] if i > 0 and lines[i - 1].startswith("<!-- docs-check:") else page_directive
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            yield i + 1, directive, lines[i + 1:j]
            i = j
        i += 1


def statements(block):
    """(sql text, expected lines or None) in order."""
    out, current, k = [], [], 0
    while k < len(block):
        line = block[k]
        stripped = line.strip()
        if not current and (stripped.startswith(".load") or not stripped or stripped.startswith("--")):
            k += 1
            continue
        current.append(line)
        k += 1
        if stripped.startswith(".") and len(current) == 1:
            out.append(("\n".join(current), None))
            current = []
            continue
        if re.search(r";\s*$", line):
            expected = []
            while k < len(block) and block[k].startswith("--"):
                expected.append(block[k][3:] if block[k].startswith("-- ") else block[k][2:])
                k += 1
            out.append(("\n".join(current), expected or None))
            current = []
    if current:
        out.append(("\n".join(current), None))
    return out


def run_block(stmts):
    script = []
    for sql, _ in stmts:
        script.append(sql)
        script.append(f".print {MARK}")
    proc = subprocess.run(["stdbuf", "-o0", "-e0", SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:"],
                          input="\n".join(script) + "\n", capture_output=False, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, cwd=SOURCE, timeout=300)
    parts = proc.stdout.split(MARK + "\n")
    return parts


class DocExamples(unittest.TestCase):
    def test_every_sql_example(self):
        pages = [os.path.join(SOURCE, "README.md")] + sorted(glob.glob(os.path.join(SOURCE, "docs", "*.md")))
        checked = 0
        for page in pages:
            for lineno, directive, block in blocks(page):
                where = f"{os.path.relpath(page, SOURCE)}:{lineno}"
                if "skip" in directive:
                    continue
                if "requires datasets" in directive and not os.path.isdir(DATASETS):
                    print(f"skipped {where}: needs ../shared/datasets")
                    continue
                stmts = statements(block)
                outputs = run_block(stmts)
                for n, (sql, expected) in enumerate(stmts):
                    if expected is None:
                        continue
                    checked += 1
                    actual = outputs[n].rstrip("\n").split("\n") if n < len(outputs) and outputs[n] else []
                    with self.subTest(where=where, sql=sql):
                        if expected and expected[-1] == "...":
                            self.assertEqual(actual[:len(expected) - 1], expected[:-1], where)
                        else:
                            self.assertEqual(actual, expected, where)
        print(f"{checked} documented results checked")
        self.assertGreater(checked, 0)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
