"""Which files sqlhunt reads when SQL or a database comes from someone else
(core/file_policy.h, core/vtab_stored.h), through the real sqlite3 shell:

  * special files (a FIFO, /dev/zero) are refused before anything blocks on them; one
    matched by a glob is a parse_error row of that file;
  * the allow-list (SQLHUNT_FILES_ALLOW) with symlinks and `..` resolved, and
    sqlhunt_config('files.allow') that may narrow it but never widen it;
  * CREATE VIRTUAL TABLE keeps paths absolute, so the database works from another
    folder; a stored file-reading table is not read when the database is opened again
    unless its paths are in the allow-list or files.stored_tables is on; DROP TABLE
    and PRAGMA table_info still work on it.
Every command has a timeout: a hang is a failure, not a stuck test run.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SAMPLE = os.path.join(SOURCE, "tests", "fixtures", "audit", "sample.log")
ALERTS = os.path.join(SOURCE, "tests", "fixtures", "alerts", "bad_lines.jsonl")


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sqlhunt_policy_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_sql(self, *sql, db=":memory:", cwd=None, env=None, timeout=10):
        e = {k: v for k, v in os.environ.items() if not k.startswith("SQLHUNT_FILES")}
        e.update(env or {})
        out = subprocess.run([SHELL, "-batch", "-cmd", f".load {EXTENSION}", db, *sql], capture_output=True,
                             text=True, cwd=cwd or self.tmp, env=e, timeout=timeout)
        return out.stdout.strip(), out.stderr.strip()


class SpecialFiles(Base):
    def test_a_fifo_is_refused_without_blocking(self):
        fifo = os.path.join(self.tmp, "audit.log")
        os.mkfifo(fifo)
        for table in ("audit_events", "audit_records", "alerts"):
            out, err = self.run_sql(f"select count(*) from {table}('{fifo}')", timeout=10)
            self.assertEqual(out, "")
            self.assertIn(f"{table}: '{fifo}' is a FIFO, not a regular file: sqlhunt reads regular files only "
                          "(sqlhunt_config('files.special', 1) to read it)", err)

    def test_a_device_is_refused(self):
        out, err = self.run_sql("select count(*) from audit_events('/dev/zero')")
        self.assertIn("'/dev/zero' is a character device, not a regular file", err)

    def test_a_glob_reports_a_special_file_as_a_row(self):
        shutil.copy(ALERTS, os.path.join(self.tmp, "a.jsonl"))
        os.mkfifo(os.path.join(self.tmp, "b.jsonl"))
        out, err = self.run_sql(f"select count(*), sum(parse_error like '%is a FIFO%') from alerts('{self.tmp}/*.jsonl')")
        self.assertEqual((out, err), ("5|1", ""))


class AllowList(Base):
    def setUp(self):
        super().setUp()
        self.inside = os.path.join(self.tmp, "case")
        self.outside = os.path.join(self.tmp, "elsewhere")
        os.makedirs(self.inside)
        os.makedirs(self.outside)
        shutil.copy(SAMPLE, os.path.join(self.inside, "audit.log"))
        shutil.copy(SAMPLE, os.path.join(self.outside, "audit.log"))
        self.env = {"SQLHUNT_FILES_ALLOW": self.inside}

    def count(self, path, *pre):
        return self.run_sql(*pre, f"select count(*) from audit_events('{path}')", env=self.env)

    def test_inside_is_read_outside_is_not(self):
        self.assertEqual(self.count(f"{self.inside}/audit.log"), ("8", ""))
        self.assertEqual(self.count(f"{self.inside}/audit.log*"), ("8", ""))
        out, err = self.count(f"{self.outside}/audit.log")
        self.assertIn(f"'{self.outside}/audit.log' is outside the folders sqlhunt may read (files.allow: {self.inside})",
                      err)

    def test_links_and_dotdot_are_resolved(self):
        os.symlink(os.path.join(self.outside, "audit.log"), os.path.join(self.inside, "link.log"))
        out, err = self.count(f"{self.inside}/link.log")
        self.assertIn("is outside the folders sqlhunt may read", err)
        self.assertIn("once its links are followed", err)
        out, err = self.count(f"{self.inside}/../elsewhere/audit.log")
        self.assertIn("is outside the folders sqlhunt may read", err)
        # A glob that matches the link: that file is a row saying why, the others read.
        shutil.copy(ALERTS, os.path.join(self.inside, "a.jsonl"))
        os.symlink(ALERTS, os.path.join(self.inside, "b.jsonl"))
        out, err = self.run_sql(f"select count(*), sum(parse_error like '%is outside the folders%') "
                                f"from alerts('{self.inside}/*.jsonl')", env=self.env)
        self.assertEqual((out, err), ("5|1", ""))

    def test_a_double_star_walks_only_toward_allowed_folders(self):
        # '**' from the folder above both: the allowed folder's files are read, and the
        # other folder is not walked at all (no row names its file), so SQL cannot list
        # the disk's names through a walk of '/**'.
        os.makedirs(os.path.join(self.inside, "host1", "logs"))
        shutil.copy(SAMPLE, os.path.join(self.inside, "host1", "logs", "audit.log"))
        out, err = self.run_sql(f"select count(*), count(distinct file), sum(parse_error like '%outside%') "
                                f"from audit_events('{self.tmp}/**/audit.log')", env=self.env)
        self.assertEqual((out, err), ("16|2|0", ""))
        out, err = self.run_sql(f"select count(*) from audit_events('{self.tmp}/**/audit.log')")
        self.assertEqual((out, err), ("24", ""))  # no allow-list: all three

    def test_sql_may_narrow_but_never_widen(self):
        sub = os.path.join(self.inside, "sub")
        os.makedirs(sub)
        out, err = self.count(f"{self.inside}/audit.log", f"select sqlhunt_config('files.allow', '{sub}')")
        self.assertIn("is outside the folders sqlhunt may read", err)
        out, err = self.run_sql(f"select sqlhunt_config('files.allow', '{self.outside}')", env=self.env)
        self.assertIn(f"sqlhunt_config: files.allow may only narrow SQLHUNT_FILES_ALLOW: '{self.outside}' is outside it",
                      err)
        out, err = self.run_sql("select sqlhunt_config('files.allow', '/')", env=self.env)
        self.assertIn("may only narrow", err)

    def test_no_allow_list_reads_anything(self):
        out, err = self.run_sql(f"select count(*) from audit_events('{self.outside}/audit.log')")
        self.assertEqual((out, err), ("8", ""))


class StoredTables(Base):
    def make_db(self, path_sql):
        """A database holding `t`, created by another process (this test's first shell)."""
        os.makedirs(os.path.join(self.tmp, "case"), exist_ok=True)
        shutil.copy(SAMPLE, os.path.join(self.tmp, "case", "audit.log"))
        db = os.path.join(self.tmp, "case.db")
        out, err = self.run_sql(f"create virtual table t using audit_events(path={path_sql})",
                                "create table other(x)", "select count(*) from t", db=db, cwd=self.tmp)
        return db, out, err

    def test_paths_are_kept_absolute(self):
        db, out, err = self.make_db("'case/audit.log'")
        # In the process that created it, a schema change reconnects it: still read.
        self.assertEqual((out, err), ("8", ""))
        out, _ = self.run_sql("select value from t_sqlhunt_args where name = 'path'", db=db)
        self.assertEqual(out, os.path.join(self.tmp, "case", "audit.log"))
        # Opened from another folder, with the user's leave: the same rows.
        out, err = self.run_sql("select sqlhunt_config('files.stored_tables', 1) is not null",
                                "select count(*) from t", db=db, cwd="/")
        self.assertEqual((out, err), ("1\n8", ""))

    def test_a_stored_table_is_not_read_by_default(self):
        # A database someone else wrote: CREATE VIRTUAL TABLE t USING audit_events(path='/etc/passwd').
        db = os.path.join(self.tmp, "hostile.db")
        self.run_sql("create virtual table t using audit_events(path='/etc/passwd')", db=db)
        out, err = self.run_sql("select raw from t", db=db)
        self.assertEqual(out, "")
        self.assertIn("audit_events: table \"t\" of this database reads '/etc/passwd': a file-reading table stored "
                      "in a database is not read by default", err)
        # Still fine: looking at it, dropping it.
        out, err = self.run_sql("select count(*) from pragma_table_info('t')", db=db)
        self.assertEqual(out, "49")
        out, err = self.run_sql("drop table t", "select name from sqlite_schema", db=db)
        self.assertEqual((out, err), ("", ""))

    def test_the_allow_list_vouches_for_stored_paths(self):
        db, _, _ = self.make_db("'case/audit.log'")
        env = {"SQLHUNT_FILES_ALLOW": os.path.join(self.tmp, "case")}
        self.assertEqual(self.run_sql("select count(*) from t", db=db, env=env), ("8", ""))
        env = {"SQLHUNT_FILES_ALLOW": "/etc"}
        out, err = self.run_sql("select count(*) from t", db=db, env=env)
        self.assertIn("a file-reading table stored in a database is not read by default", err)

    def test_a_stored_fifo_does_not_hang(self):
        fifo = os.path.join(self.tmp, "pipe")
        os.mkfifo(fifo)
        db = os.path.join(self.tmp, "fifo.db")
        self.run_sql(f"create virtual table t using audit_events(path='{fifo}')", db=db)
        out, err = self.run_sql("select sqlhunt_config('files.stored_tables', 1) is not null",
                                "select count(*) from t", db=db, timeout=10)
        self.assertIn("is a FIFO, not a regular file", err)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
