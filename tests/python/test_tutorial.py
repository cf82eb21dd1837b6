"""docs/tutorial.md quotes each step of the runbook before running it: the quoted SQL
must be the step file's (sql/steps/NN_*.sql without its header comment and its .print
lines), so the page never shows SQL the runbook does not run. The outputs themselves are
checked by test_doc_examples.py (the page runs as one session over the demo case).
"""
import glob
import os
import re
import sys
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def step_body(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(l for l in lines if not l.startswith(".print")).strip("\n")


class Tutorial(unittest.TestCase):
    def test_every_step_is_quoted_as_it_is(self):
        page = open(os.path.join(SOURCE, "docs", "tutorial.md"), encoding="utf-8").read()
        quoted = dict(re.findall(r"<!-- docs-check: skip \(quoted from (sql/steps/[^;]+\.sql);[^\n]*\n```sql\n(.*?)\n```",
                                 page, re.S))
        steps = sorted(os.path.relpath(p, SOURCE) for p in glob.glob(os.path.join(SOURCE, "sql", "steps", "*.sql")))
        self.assertEqual(sorted(quoted), steps, "every step of sql/steps is quoted once")
        for path in steps:
            with self.subTest(step=path):
                self.assertEqual(quoted[path], step_body(os.path.join(SOURCE, path)))
                self.assertIn(f".read {path}\n", page, "and run")

    def test_the_runbook_reads_every_step_in_order(self):
        runbook = open(os.path.join(SOURCE, "sql", "investigate.sql"), encoding="utf-8").read()
        read = re.findall(r"^\.read (sql/steps/\S+)$", runbook, re.M)
        steps = sorted(os.path.relpath(p, SOURCE) for p in glob.glob(os.path.join(SOURCE, "sql", "steps", "*.sql")))
        self.assertEqual(read, steps)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
