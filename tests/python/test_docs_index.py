"""docs/README.md names every table and function the extension registers.

The index is where a new analyst looks first; a table or function that is not in it
is one nobody finds. The names come from the extension itself: the functions it adds
(pragma function_list with and without it loaded) and its tables (sqlhunt_tables),
so a new reader or function that forgets its docs entry fails here. Each name must
appear in the index as code (`name` or `name(`).
"""
import os
import re
import sqlite3
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])


def functions(conn):
    return {r[0] for r in conn.execute("select name from pragma_function_list")}


class DocsIndex(unittest.TestCase):
    def test_every_table_and_function_is_in_the_index(self):
        plain = sqlite3.connect(":memory:")
        before = functions(plain)
        conn = sqlite3.connect(":memory:")
        conn.enable_load_extension(True)
        conn.load_extension(EXTENSION)
        names = functions(conn) - before
        names |= {r[0] for r in conn.execute("select table_name from sqlhunt_tables")}
        self.assertGreater(len(names), 10, "the extension registered almost nothing")
        index = open(os.path.join(SOURCE, "docs", "README.md"), encoding="utf-8").read()
        missing = sorted(n for n in names
                         if not re.search(r"`" + re.escape(n) + r"[`(]", index))
        self.assertEqual(missing, [], "docs/README.md does not name these (add them to its tables)")

    def test_every_page_linked_from_the_index_exists(self):
        index = open(os.path.join(SOURCE, "docs", "README.md"), encoding="utf-8").read()
        for page in re.findall(r"\]\(([a-z_0-9]+\.md)\)", index):
            self.assertTrue(os.path.exists(os.path.join(SOURCE, "docs", page)), page)

    def test_every_page_is_in_the_index(self):
        index = open(os.path.join(SOURCE, "docs", "README.md"), encoding="utf-8").read()
        for page in sorted(os.listdir(os.path.join(SOURCE, "docs"))):
            if page.endswith(".md") and page != "README.md":
                self.assertIn("(" + page + ")", index, f"docs/{page} is not linked from docs/README.md")


if __name__ == "__main__":
    unittest.main()
