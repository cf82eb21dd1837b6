"""docs/config.md's table of settings is exactly what the modules registered.

Each module declares its settings where it lives (core/config.h's Registration);
sqlhunt_settings lists them. The table between the markers
`<!-- settings-table:begin -->` and `<!-- settings-table:end -->` in docs/config.md
must equal the table this test builds from sqlhunt_settings, row for row. Run with
SQLHUNT_UPDATE_EXPECTED=1 to rewrite it (then read the diff before committing).
"""
import os
import sqlite3
import sys
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
DOC = os.path.join(SOURCE, "docs", "config.md")
BEGIN, END = "<!-- settings-table:begin -->", "<!-- settings-table:end -->"


def fmt(v):
    if v is None:
        return ""
    return str(int(v)) if v == int(v) else "%g" % v


def table():
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(EXTENSION)
    rows = ["| environment | sqlhunt_config key | default | accepts | what it is |", "|---|---|---|---|---|"]
    for key, env, default, kind, sql, lo, hi, doc in conn.execute(
            "select key, env, default_value, kind, sql, min, max, doc from sqlhunt_settings order by key"):
        default = "(unset)" if default is None else "`" + default.replace("${DATA}", "<data>").replace("${CACHE}", "<cache>") + "`"
        accepts = {"number": f"{fmt(lo)} to {fmt(hi)}", "flag": "0 or 1", "secret": "a key (secret)",
                   "url": "a URL", "path": "a path or glob", "text": "text"}[kind]
        where = f"`{key}`" if sql else f"`{key}` (environment only)"
        rows.append(f"| `{env}` | {where} | {default} | {accepts} | {doc} |")
    return "\n".join(rows)


class DocsConfig(unittest.TestCase):
    def test_settings_table_is_the_registered_list(self):
        text = open(DOC, encoding="utf-8").read()
        self.assertIn(BEGIN, text)
        self.assertIn(END, text)
        head, rest = text.split(BEGIN, 1)
        current, tail = rest.split(END, 1)
        want = table()
        if os.environ.get("SQLHUNT_UPDATE_EXPECTED"):
            open(DOC, "w", encoding="utf-8").write(head + BEGIN + "\n" + want + "\n" + END + tail)
            return
        self.assertEqual(current.strip(), want,
                         "docs/config.md's settings table differs from sqlhunt_settings "
                         "(SQLHUNT_UPDATE_EXPECTED=1 rewrites it)")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
