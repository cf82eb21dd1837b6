"""Every table's column list in docs/ is the one its spec declares.

The spec of a table (core/vtab.h's TableSpec, printed by sqlhunt_columns) drives its
schema and its planner; this test makes it drive the docs too. For every table in
sqlhunt_tables, its docs section is found —
  * a `## name(...)` or `## name` heading in any docs/*.md, up to the next `## `; or
  * the whole page docs/<name>.md —
and the first Markdown table in it whose header starts `| column | type |` must list
exactly the table's visible (non-HIDDEN) columns, in the schema's order, with their
declared types. A row may name several columns at once (`` `file`, `line` `` with
`TEXT, INTEGER`, or one type for all). HIDDEN columns are a table-valued function's
arguments: the section's heading or text must name each of them.
"""
import glob
import os
import re
import sqlite3
import sys
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])


def spec():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    tables = [r[0] for r in conn.execute("select table_name from sqlhunt_tables")]
    cols = {}
    for t, c, ty, hidden in conn.execute(
            "select table_name, column_name, type, hidden from sqlhunt_columns order by table_name, position"):
        cols.setdefault(t, []).append((c, ty, hidden))
    return tables, cols


def sections():
    """{table name: (where, text)} for every `## name` section and docs/<name>.md page."""
    out = {}
    for path in sorted(glob.glob(os.path.join(SOURCE, "docs", "*.md"))):
        text = open(path, encoding="utf-8").read()
        page = os.path.splitext(os.path.basename(path))[0]
        out.setdefault(page, (os.path.relpath(path, SOURCE), text))
        for m in re.finditer(r"^## ([a-z_0-9]+)(\(.*\))?[ \t]*$", text, re.M):
            end = text.find("\n## ", m.end())
            out[m.group(1)] = (f"{os.path.relpath(path, SOURCE)} ## {m.group(1)}",
                               m.group(0) + text[m.end():end if end >= 0 else len(text)])
    return out


def documented_columns(text, hidden):
    """[(name, type)] from the first `| column | type |` table of `text`, or None. Rows
    for the `hidden` (argument) columns may stand in the table too; they are left out."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] == "column" and cells[1] == "type":
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                cells = [c.strip() for c in row.strip().strip("|").split("|")]
                names = re.findall(r"`([a-z_0-9]+)`", cells[0])
                if names and all(n in hidden for n in names):
                    continue
                types = [t.strip() for t in cells[1].split(",")]
                if len(types) == 1:
                    types = types * len(names)
                if len(types) != len(names):
                    raise AssertionError(f"row {row!r}: {len(names)} names but {len(types)} types")
                rows.extend(zip(names, types))
            return rows
    return None


class DocsMatchSpecs(unittest.TestCase):
    def test_every_table_documents_its_columns(self):
        tables, cols = spec()
        docs = sections()
        for table in tables:
            with self.subTest(table=table):
                if table not in docs:
                    self.fail(f"no docs section for {table}: add `## {table}(...)` or docs/{table}.md")
                where, text = docs[table]
                got = documented_columns(text, {c for c, _, h in cols[table] if h})
                self.assertIsNotNone(got, f"{where}: no `| column | type | what |` table")
                want = [(c, ty) for c, ty, hidden in cols[table] if not hidden]
                self.assertEqual(got, want, f"{where}: the column table differs from the spec "
                                            f"(sqlhunt_columns) of {table}")
                for c, _, hidden in cols[table]:
                    if hidden:
                        self.assertRegex(text, r"\b" + re.escape(c) + r"\b",
                                         f"{where}: the argument `{c}` of {table} is not named")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
