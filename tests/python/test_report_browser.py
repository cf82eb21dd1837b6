"""The demo report as a person sees it: the investigation (scripts/investigate) over a
freshly generated demo case writes report.html, and headless Chromium opens it.

Checked:
  * the page is self-contained: no script, stylesheet, font, image or frame is loaded
    from anywhere (no src/href/url()/@import), and Chromium is told that no host name
    resolves, so a reference that slipped through would show as an error;
  * Chromium logs nothing to the console while it renders it (an SVG attribute it cannot
    parse, a broken element, is logged there);
  * each chart rendered: a script added to a copy of the page measures, after layout,
    every chart's box and its parts (the timeline's lanes, strips, labelled dots and
    alert marks; the trees' nodes; the map's countries and places; the bars), and each
    must be there and not empty;
  * a screenshot of the page is written to the build folder (report-screenshot.png).

Skips (77) with a message when Chromium is absent (scripts/setup installs Debian's
`chromium` for the tests) or the build lacks a table the runbook reads.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXTENSION = os.path.abspath(os.environ["SQLHUNT_EXTENSION"])
BUILD = os.environ.get("SQLHUNT_BUILD_DIR", os.path.dirname(EXTENSION))
SHELL = os.environ.get("SQLHUNT_SQLITE3", "sqlite3")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DATA = os.environ.get("SQLHUNT_DATA_DIR", os.path.join(SOURCE, "data"))

CHECK = """<script>
window.addEventListener('load', () => {
  const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const charts = [...document.querySelectorAll('svg.sqlhunt-chart')].map(s => ({
    kind: [...s.classList].find(c => c.startsWith('sqlhunt-') && c !== 'sqlhunt-chart'),
    box: box(s),
    lanes: s.querySelectorAll('text.lane').length,
    strips: [...s.querySelectorAll('path.density')].filter(p => box(p)[0] > 0 && box(p)[1] > 0).length,
    events: [...s.querySelectorAll('circle.event')].filter(c => box(c)[0] > 0).length,
    marks: [...s.querySelectorAll('path.mark')].filter(c => box(c)[0] > 0).length,
    labels: [...s.querySelectorAll('text.event-label, text.mark-label')].filter(t => box(t)[0] > 0).length,
    nodes: [...s.querySelectorAll('g.node')].filter(g => box(g)[0] > 0).length,
    marked: s.querySelectorAll('g.node.marked, g.place.marked').length,
    countries: [...s.querySelectorAll('g.land path')].filter(p => box(p)[0] > 0).length,
    places: [...s.querySelectorAll('g.place')].filter(g => box(g)[0] > 0).length,
    bars: [...s.querySelectorAll('g.bar rect')].filter(r => box(r)[0] > 0).length,
  }));
  const pre = document.createElement('pre');
  pre.id = 'sqlhunt-check';
  pre.textContent = JSON.stringify({charts, tables: document.querySelectorAll('table tr').length});
  document.body.appendChild(pre);
});
</script>"""


def chromium(args, user_data):
    """Chromium headless with nothing reaching out; its stdout and stderr."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}  # not the sanitizer runtime of the build
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-default-apps", "--disable-sync",
           "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={user_data}"] + args
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    return p.stdout, p.stderr


class ReportInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="sqlhunt-report-")
        case = os.path.join(cls.tmp, "case")
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "examples", "make_case.py"), case], check=True)
        cls.report = os.path.join(cls.tmp, "report.html")
        out = subprocess.run([os.path.join(SOURCE, "scripts", "investigate"), case, cls.report],
                             capture_output=True, text=True, timeout=600,
                             env={**os.environ, "SQLHUNT_EXTENSION": EXTENSION, "SQLHUNT_SQLITE3": SHELL})
        if out.returncode != 0:
            raise AssertionError(f"scripts/investigate failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        cls.findings = out.stdout
        with open(cls.report, encoding="utf-8") as f:
            cls.html = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_terminal_shows_the_findings(self):
        self.assertIn("== 15. Summary of findings", self.findings)
        self.assertIn("dbadmin logged in from 23.97.60.214", self.findings)
        self.assertIn("report: " + self.report, self.findings)

    def test_page_is_self_contained(self):
        self.assertIsNone(re.search(r"<(script|link|img|iframe|object|embed)\b", self.html, re.I))
        self.assertIsNone(re.search(r"\b(src|href)\s*=", self.html, re.I))
        self.assertIsNone(re.search(r"url\(|@import", self.html, re.I))

    def test_charts_render_and_nothing_is_logged(self):
        shot = os.path.join(BUILD, "report-screenshot.png")
        _, log = chromium(["--enable-logging=stderr", "--v=0", "--window-size=1100,4200", "--hide-scrollbars",
                           f"--screenshot={shot}", "file://" + self.report], os.path.join(self.tmp, "profile1"))
        console = [l for l in log.splitlines() if ":CONSOLE" in l]
        self.assertEqual(console, [], "Chromium logged to the console while rendering the report")
        self.assertGreater(os.path.getsize(shot), 50_000, "the screenshot is (nearly) empty")
        print(f"screenshot: {shot}")

        checked = os.path.join(self.tmp, "checked.html")
        with open(checked, "w", encoding="utf-8") as f:
            f.write(self.html.replace("</body>", CHECK + "</body>"))
        dom, _ = chromium(["--dump-dom", "--virtual-time-budget=5000", "file://" + checked],
                          os.path.join(self.tmp, "profile2"))
        m = re.search(r'<pre id="sqlhunt-check">(.*?)</pre>', dom, re.S)
        self.assertIsNotNone(m, "the page's check did not run")
        got = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        kinds = [c["kind"] for c in got["charts"]]
        self.assertEqual(kinds, ["sqlhunt-timeline", "sqlhunt-tree", "sqlhunt-tree", "sqlhunt-map", "sqlhunt-bars"])
        for c in got["charts"]:
            self.assertGreater(c["box"][0], 300, c)
            self.assertGreater(c["box"][1], 100, c)
        timeline, linux, windows, world, bars = got["charts"]
        self.assertEqual(timeline["lanes"], 5)           # Linux, Windows, Network, Office 365, Alerts
        self.assertGreaterEqual(timeline["strips"], 4)   # the routine of the four sources
        self.assertGreaterEqual(timeline["events"], 20)  # the attack's headline events
        self.assertEqual(timeline["marks"], 2)           # the two alerts
        self.assertGreaterEqual(timeline["labels"], 20)
        self.assertGreaterEqual(linux["nodes"], 20)      # the session and the first cron run
        self.assertGreaterEqual(linux["marked"], 5)
        self.assertGreaterEqual(windows["nodes"], 12)
        self.assertGreaterEqual(windows["marked"], 6)
        self.assertGreater(world["countries"], 150)      # Natural Earth's 1:110m countries
        self.assertGreaterEqual(world["places"], 8)
        self.assertEqual(world["marked"], 1)             # the suspect
        self.assertGreaterEqual(bars["bars"], 9)         # 7 (direction, port) pairs, 2 of them on both NSGs
        self.assertGreater(got["tables"], 30)            # findings, addresses, flows, Office


def main():
    if not os.path.exists(CHROMIUM):
        print("SKIP: Chromium is not installed (scripts/setup installs Debian's chromium for the tests)")
        return 77
    if not os.path.exists(os.path.join(DATA, "world", "countries-110m.json")):
        print(f"SKIP: the world outline is not in {DATA}/world (scripts/fetch-world, run by scripts/setup)")
        return 77
    # The runbook's own check: every reader and function it uses is in this build.
    check = subprocess.run([os.path.join(SOURCE, "scripts", "investigate"), "--check"], capture_output=True,
                           text=True, env={**os.environ, "SQLHUNT_EXTENSION": EXTENSION, "SQLHUNT_SQLITE3": SHELL})
    if check.returncode != 0:
        print(f"SKIP: {check.stderr.strip()}")
        return 77
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
