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
At the top of a page (its first three lines), two more words:
    session   the page's blocks run in one shell, in order, as a reader types them
              (a tutorial: later blocks stand on what earlier ones made)
    case      the demo case is generated (examples/make_case.py) into a temporary
              folder, and 'examples/case' in the page's SQL names that folder
and `table:NAME` words: the page is skipped, saying so, when this build has no table or
function NAME (a page over readers a build may leave out).
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
MARK = "@@sqlhunt-docs-check@@"


def page_directive(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    return next((l for l in lines[:3] if l.startswith("<!-- docs-check:")), "")


_case = []
_names = []


def build_has(name):
    """Whether the extension under test has a table or function of this name."""
    if not _names:
        probe = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", ":memory:",
                                "select name from pragma_module_list union select name from pragma_function_list"],
                               capture_output=True, text=True, check=True)
        _names.extend(probe.stdout.split())
    return name in _names


def demo_case():
    """The demo case, generated once per run into a temporary folder."""
    if not _case:
        tmp = tempfile.mkdtemp(prefix="sqlhunt-docs-case-")
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "examples", "make_case.py"), os.path.join(tmp, "case")],
                       check=True)
        _case.append(os.path.join(tmp, "case"))
    return _case[0]


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
            # A dot-command may show its output too (`.read sql/steps/...` in a tutorial).
            expected = []
            while k < len(block) and block[k].startswith("--"):
                expected.append(block[k][3:] if block[k].startswith("-- ") else block[k][2:])
                k += 1
            out.append(("\n".join(current), expected or None))
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
            top = page_directive(page)
            missing = [w[6:] for w in top.replace("-->", " ").split() if w.startswith("table:") and not build_has(w[6:])]
            if missing:
                print(f"skipped {os.path.relpath(page, SOURCE)}: this build has no {', '.join(missing)}")
                continue
            runs = []  # (where, statements) to run, each in its own shell
            for lineno, directive, block in blocks(page):
                where = f"{os.path.relpath(page, SOURCE)}:{lineno}"
                if "skip" in directive:
                    continue
                if "requires datasets" in directive and not os.path.isdir(DATASETS):
                    print(f"skipped {where}: needs ../shared/datasets")
                    continue
                stmts = statements(block)
                if "case" in top.split():
                    stmts = [(sql.replace("'examples/case'", "'" + demo_case() + "'"), e) for sql, e in stmts]
                runs.append((where, stmts))
            if "session" in top.split() and runs:
                runs = [(runs[0][0], [(w, st) for w, sts in runs for st in sts])]
            else:
                runs = [(w, [(w, st) for st in sts]) for w, sts in runs]
            for _, located in runs:
                stmts = [st for _, st in located]
                outputs = run_block(stmts)
                for n, (where, (sql, expected)) in enumerate(located):
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
