"""Nothing is lost under corruption, for the exports test_nothing_lost.py and
test_nothing_lost_flows.py leave out: alerts as CSV (Sentinel's SecurityAlert export)
and as one JSON array, win_events' SecurityEvent exports (JSON lines and CSV), and the
ti.local indicator files (CSV and JSON lines) the `local` provider of ti_lookup reads.
The harms are theirs (seeded: flipped bytes, NULs, invalid UTF-8, CRLF and lone CR,
cut lines, duplicated spans, truncation), and so are the models of where a record
starts; every value is fetched through Python's sqlite3, whose fetchall() raises on a
TEXT value that is not valid UTF-8.

  alerts CSV, win_events CSV (a clean header, a damaged body): one row per record of
      csv_records() (core/csv.h's rule), at the line where it starts; a record the
      model calls malformed (text after a closing quote, a quote open at the end, a
      field count unlike the header's) has parse_error set
  win_events JSON lines: one row per non-blank physical line
  alerts JSON array (damaged anywhere; a broken array cannot be counted, so what
      core/record_stream.h promises is checked): the records before the first damaged
      byte are rows read whole at their lines; no row read whole is invented; their
      lines strictly increase; a file Python's json module refuses has a parse_error row,
      and one it accepts is one whole row per element
  alerts JSON, seven layouts (pretty-printed as Python, jq and PowerShell write it, one
      element per line, compact, not indented, objects one after another): the array is
      read on after the damage; every intact element is a row read whole or inside an
      error row's span, and for the Python, jq and objects layouts a row read whole
  ti.local (an index, not a table: a malformed record makes the lookup fail, naming
      the file and line): either the query fails naming the first record the model
      calls malformed (and the file cut before that line is then read whole), or every
      record's indicator is found at its own file:line, the matches hold no other line
      and the index counts as many indicators as the model has records
  a record of 200 MB (past the 64 MB cap) in a win_events CSV, an alerts JSON array
      and a ti.local JSON-lines file: one error row (or the lookup's error), naming it,
      and the records around it read

Clean samples are generated here; the shared datasets (alertlist.csv, all_events.jsonl,
host_logons.csv) are damaged too when present, skipped with a message when not.
"""
import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_nothing_lost import (SEEDS, SOURCE, DamagedFiles, corrupt, csv_records,  # noqa: E402 (the one copy of
                               physical_lines, split_header)  # the harms and the models)

SHARED = os.path.join(SOURCE, "..", "shared", "datasets")
BIG = 200 << 20  # past every reader's 64 MB record cap


def shared(*parts):
    return os.path.join(SHARED, *parts)


def alerts_csv(n):
    """A Sentinel SecurityAlert export as alertlist.csv has it: the pandas index column,
    multi-line JSON cells with quotes written twice and \\r\\r\\n breaks."""
    header = (",TenantId,StartTimeUtc,EndTimeUtc,ProviderAlertId,SystemAlertId,ProviderName,VendorName,AlertType,"
              "AlertName,AlertDisplayName,Description,Severity,IsIncident,ExtendedProperties,Entities,TimeGenerated,"
              "CompromisedEntity\n")
    rows = []
    for i in range(n):
        ext = json.dumps({"Alert Mode": "Aggregated", "Query": f"SecurityEvent\n| where EventID == {4600 + i}"},
                         indent=2).replace("\n", "\r\r\n").replace('"', '""')
        ents = json.dumps([{"$id": "2", "HostName": f"host{i}", "Type": "host"},
                           {"$id": "3", "Address": f"10.0.{i % 9}.{i % 250}", "Type": "ip"}]).replace('"', '""')
        rows.append(f"{i},802d39e1,2019-01-11 06:31:{i % 60:02d},2019-01-12 06:31:40,p-{i},sa-{i:05d},CustomAlertRule,"
                    f"Alert Rule,T{i % 7},Alert {i} \u00e9\u2014,Alert {i},\"Domain, controllers {i}\",Low,False,"
                    f"\"{ext}\",\"{ents}\",2019-01-12 06:{i % 60:02d}:40,host{i}\n")
    return header.encode() + "".join(rows).encode()


def security_events(n):
    """SecurityEvent records as Log Analytics exports them (all_events.jsonl's keys)."""
    out = []
    for i in range(n):
        data = (f'<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\r\n'
                f'  <Data Name="TargetUserName">u{i}\u00e9</Data>\r\n  <Data Name="LogonType">{i % 11}</Data>\r\n'
                f"</EventData>")
        out.append({"TenantId": "52b1ab41", "TimeGenerated": f"2019-02-11T08:{i % 60:02d}:22.537Z",
                    "Account": f"WORKGROUP\\\\u{i}", "Computer": f"MSTICAlertsWin{i % 3}", "EventID": 4624 + i % 3,
                    "EventSourceName": "Microsoft-Windows-Security-Auditing", "Channel": "Security",
                    "Activity": "4624 - An account was successfully logged on.", "EventData": data})
    return out


def host_logons_csv(n):
    """msticpy's host_logons.csv projection of SecurityEvent."""
    header = (",TenantId,Account,EventID,TimeGenerated,Computer,SubjectUserName,TargetUserName,TargetLogonId,"
              "LogonProcessName,LogonType,IpAddress\n")
    rows = [f"{i},802d39e1,\"MSTIC\\u{i}, \u00e9\",{4624 + i % 2},2019-01-15 05:15:{i % 60:02d}.980,MSTICAlertsWin1,"
            f"MSTICAlertsWin1$,u{i},0x{i:x},Advapi  ,{i % 11},10.0.0.{i % 250}\n" for i in range(n)]
    return header.encode() + "".join(rows).encode()


def alert_dicts(n):
    return [{"TimeGenerated": f"2019-02-18T0{i % 10}:00:00Z", "AlertName": f"alert {i} \u00e9\u2014",
             "SystemAlertId": f"sa-{i:05d}", "Description": "x" * (i * 37 % 300),
             "Entities": [{"$id": "2", "Address": f"10.0.0.{i % 250}", "Type": "ip"}]} for i in range(n)]


def alerts_array(n):
    """A JSON array of alerts as Python's json.dumps(indent=2) writes each, one after
    another at the left margin, and each element's (start line, start offset, end
    offset)."""
    alerts = alert_dicts(n)
    clean, spans, line = b"[\n", [], 2
    for k, a in enumerate(alerts):
        text = json.dumps(a, indent=2, ensure_ascii=False).encode()
        spans.append((line, len(clean), len(clean) + len(text)))
        clean += text + (b",\n" if k + 1 < n else b"\n")
        line += text.count(b"\n") + 1
    return clean + b"]\n", spans


# The layouts a JSON export of alerts comes in: each gives the file and the text of
# each element as it stands in it.
def alerts_layout(layout, n):
    alerts = alert_dicts(n)
    if layout == "python":  # json.dumps(indent=2) per element, at the left margin
        texts = [json.dumps(a, indent=2, ensure_ascii=False).encode() for a in alerts]
        return b"[\n" + b",\n".join(texts) + b"\n]\n", texts
    if layout == "jq":  # jq . of the array: elements indented by 2
        texts = [json.dumps(a, indent=2).replace("\n", "\n  ").encode() for a in alerts]
        return b"[\n  " + b",\n  ".join(texts) + b"\n]\n", texts
    if layout == "powershell":  # ConvertTo-Json: 4 spaces, two after each colon
        texts = [json.dumps(a, indent=4).replace('": ', '":  ').replace("\n", "\n    ").encode() for a in alerts]
        return b"[\n    " + b",\n    ".join(texts) + b"\n]\n", texts
    if layout == "lines":  # one element per line
        texts = [json.dumps(a).encode() for a in alerts]
        return b"[\n" + b",\n".join(texts) + b"\n]\n", texts
    if layout == "compact":  # jq -c: the whole array on one line
        texts = [json.dumps(a, separators=(",", ":")).encode() for a in alerts]
        return b"[" + b",".join(texts) + b"]\n", texts
    if layout == "indent0":  # json.dumps(indent=0): lines, but no indentation to go by
        texts = [json.dumps(a, indent=0).encode() for a in alerts]
        return b"[\n" + b",\n".join(texts) + b"\n]\n", texts
    if layout == "objects":  # pretty-printed objects one after another, no array
        texts = [json.dumps(a, indent=2).encode() for a in alerts]
        return b"\n".join(texts) + b"\n", texts
    raise ValueError(layout)


class NothingLostMore(DamagedFiles):
    def test_alerts_csv(self):
        self.assertEqual(self.check_csv("alerts", alerts_csv(250), "generated alerts CSV"), 250)

    def test_alerts_csv_shared(self):
        if not os.path.exists(shared("alerts", "alertlist.csv")):
            self.skipTest("../shared/datasets/alerts/alertlist.csv is absent")
        with open(shared("alerts", "alertlist.csv"), "rb") as f:
            self.assertEqual(self.check_csv("alerts", f.read(), "alertlist.csv"), 189)

    def test_win_events_csv(self):
        self.assertEqual(self.check_csv("win_events", host_logons_csv(300), "generated host_logons CSV"), 300)
        if not os.path.exists(shared("windows", "host_logons.csv")):
            self.skipTest("../shared/datasets/windows/host_logons.csv is absent")
        with open(shared("windows", "host_logons.csv"), "rb") as f:
            header, body = split_header(f.read())
        self.assertEqual(self.check_csv("win_events", header + body * 20, "host_logons.csv x20"), 280)

    def test_win_events_json_lines(self):
        clean = b"".join(json.dumps(e).encode() + b"\n" for e in security_events(300))
        self.check_json_lines("win_events", clean, "generated SecurityEvent JSON lines")
        if not os.path.exists(shared("windows", "all_events.jsonl")):
            self.skipTest("../shared/datasets/windows/all_events.jsonl is absent")
        with open(shared("windows", "all_events.jsonl"), "rb") as f:
            self.check_json_lines("win_events", f.read() * 8, "all_events.jsonl x8")

    def test_alerts_json_array(self):
        clean, spans = alerts_array(200)
        self.assertEqual([json.loads(clean[a:b])["SystemAlertId"] for _, a, b in spans],
                         [a["SystemAlertId"] for a in json.loads(clean)], "the spans are the elements")

        def check(seed, data, p, lines, rows):
            whole = self.conn.execute("select line, system_alert_id from alerts(?) where parse_error is null",
                                      (p,)).fetchall()
            # (An error row may share a line with the record before it: `[{...}],` ends the
            # array, and the ',' after it is a row of its own.)
            self.assertEqual([r[0] for r in whole], sorted({r[0] for r in whole}), f"seed {seed}: lines out of order")
            first_harm = next((i for i, (x, y) in enumerate(zip(clean, data)) if x != y), min(len(clean), len(data)))
            intact = [(start, f"sa-{k:05d}") for k, (start, _, end) in enumerate(spans) if end + 1 < first_harm]
            self.assertEqual(whole[:len(intact)], intact, f"seed {seed}: an undamaged record not read whole")
            ids = [r[1] for r in whole]
            # Nothing invented: as often as the damaged file holds it (a row with no id is
            # an element whose "SystemAlertId" line was cut away, whole otherwise).
            for i in set(ids) - {None}:
                self.assertLessEqual(ids.count(i), data.count(json.dumps(i).encode()), f"seed {seed}: {i}")
            try:
                parsed = json.loads(data.decode("utf-8"), parse_constant=float.fromhex)
            except ValueError:
                parsed = None
            if parsed is None:
                self.assertGreater(len(rows) - len(whole), 0, f"seed {seed}: damage without a parse_error row")
            elif isinstance(parsed, list) and all(isinstance(a, dict) for a in parsed):
                self.assertEqual(len(whole), len(parsed), f"seed {seed}: valid JSON, not one row per element")
                self.assertEqual(len(rows), len(parsed), f"seed {seed}")
        self.each_damaged("alerts", clean, "alerts{seed}.json", check)

    def test_alerts_json_array_reads_on(self):
        """After damage, a JSON export is read on at the next element (core/json_scan.h:
        a line break inside a string, a byte outside strings that JSON has only inside
        them, an outdented line or a bracket too many ends the damaged element, and
        skip_to_element finds the next). Over every layout and seed, each element the
        damage left intact (its text still in the file) is a row read whole, or it lies
        in the span of an error row (from that row's line up to the next row's): nothing
        lost unreported. For the pretty-printed layouts below, each intact element is a
        row read whole; the others lose an element when the damage ran into its first
        bytes (lines, powershell) or when a compact array's brackets no longer balance
        (docs/alerts.md gives the measured share)."""
        every_intact_whole = {"python", "jq", "objects"}
        for layout in ["python", "jq", "powershell", "lines", "compact", "indent0", "objects"]:
            clean, texts = alerts_layout(layout, 200)
            for seed in SEEDS:
                with self.subTest(layout=layout, seed=seed):
                    data = corrupt(clean, seed)
                    p = self.write(f"{layout}{seed}.json", data)
                    _, rows = self.lines_of("alerts", p)
                    if rows is None:
                        continue
                    got = self.conn.execute("select line, system_alert_id, parse_error from alerts(?)",
                                            (p,)).fetchall()
                    # A row read whole may still lack a field ("no TimeGenerated field").
                    whole = {r[1] for r in got if r[2] is None or r[2].startswith("no ")}
                    errors = [r[0] for r in got if r[2] and not r[2].startswith("no ")]
                    lines = [r[0] for r in got] + [data.count(b"\n") + 2]
                    spans = [(line, next(x for x in lines if x > line)) for line in errors]
                    lost = []
                    for t in texts:
                        at = data.find(t)
                        sid = json.loads(t)["SystemAlertId"]
                        if at < 0 or sid in whole:
                            continue
                        line = data.count(b"\n", 0, at) + 1
                        self.assertTrue(any(a <= line < b for a, b in spans),
                                        f"{sid} (line {line}) intact, not read and in no error row's span")
                        lost.append(sid)
                    if layout in every_intact_whole:
                        self.assertEqual(lost, [], "intact elements not read whole")

    def test_overlong_records(self):
        header, body = split_header(host_logons_csv(3))
        rows = body.split(b"\n")
        big = rows[1][:40] + b"A" * BIG + rows[1][40:]
        p = self.write("big.csv", header + rows[0] + b"\n" + big + b"\n" + rows[2] + b"\n")
        got = self.conn.execute("select line, target_user, parse_error from win_events(?)", (p,)).fetchall()
        self.assertEqual([(r[0], r[1]) for r in got], [(2, "u0"), (3, None), (4, "u2")])
        self.assertIn("longer than", got[1][2])
        del big
        p = self.write("big.json", b'[{"AlertName": "before"},\n{"AlertName": "' + b"A" * BIG + b'"},\n{"AlertName": "after"}]\n')
        got = self.conn.execute("select line, alert_name, parse_error from alerts(?)", (p,)).fetchall()
        self.assertEqual([(r[0], r[1]) for r in got], [(1, "before"), (2, None), (3, "after")])
        self.assertIn("longer than", got[1][2])
        p = self.write("big.jsonl", b'{"indicator": "6.6.6.6"}\n{"indicator": "' + b"7" * BIG + b'"}\n')
        self.conn.execute("select sqlhunt_config('ti.local', ?)", (p,)).fetchall()
        with self.assertRaisesRegex(sqlite3.OperationalError, f"{p} line 2: longer than"):
            self.conn.execute("select status from ti_lookup where observable = '6.6.6.6' and provider = 'local'").fetchall()

    # ---------------------------------------------------------------------------------
    # ti.local: every record an indicator at its own line, or the lookup fails naming it

    def lookup_lines(self, path, values):
        """{value: the (file, line) pairs of its matches}, each value (bytes, maybe not
        UTF-8: the damage's own) asked on its own."""
        self.conn.execute("select sqlhunt_config('ti.local', ?)", (path,)).fetchall()
        out = {}
        for v in set(values):
            (status, details), = self.conn.execute(
                "select status, details from ti_lookup where observable = cast(? as text) and provider = 'local'",
                (v,)).fetchall()
            out[v] = [(m["file"], m["line"]) for m in json.loads(details)["matches"]] if status == "ok" else []
        return out

    def check_ti(self, name, data, model, cut_at_error=True):
        """`model`: (first malformed line or None, [(line, indicator bytes)]) for the
        damaged data. When the lookup fails, the data cut just before that line (the
        damage before it is still there) is read whole too."""
        p = self.write(name, data)
        bad_line, records = model(data)
        try:
            found = self.lookup_lines(p, [v for _, v in records])
        except sqlite3.OperationalError as e:
            if "is binary data" in str(e):
                return "refused"
            self.assertIsNotNone(bad_line, f"{name}: an error for a file the model reads whole: {e}")
            self.assertIn(f"{p} line {bad_line}:", str(e), f"{name}: the error names another line")
            if not cut_at_error:
                return "error"
            cut = 0
            for _ in range(bad_line - 1):
                cut = data.index(b"\n", cut) + 1
            return "error, " + self.check_ti("cut_" + name, data[:cut], model, False)
        self.assertIsNone(bad_line, f"{name}: line {bad_line} is malformed, and the lookup did not say so")
        matched = set()
        for line, value in records:
            self.assertIn((p, line), found.get(value, []), f"{name}: line {line} ({value!r}) not found")
            matched.update(found[value])
        self.assertEqual(matched, {(p, line) for line, _ in records}, f"{name}: a match at a line with no record")
        # And the index holds as many indicators as the model has records, no more.
        (result,), = self.conn.execute("select result from ti_lookup where observable = 'nothing-here.invalid' "
                                       "and provider = 'local'").fetchall()
        self.assertEqual(result, f"not in {len(records)} local indicators", name)
        return f"read {len(records)}"

    def test_ti_local_json_lines(self):
        feed = b"".join(json.dumps({"indicator": ind, "type": t, "severity": "high", "source": "feed \u00e9"}).encode()
                        + b"\n" for i in range(150)
                        for ind, t in ((f"10.{i % 7}.{i}.9", "ipv4"), (f"evil{i}.example.com", "domain")))

        def model(data):
            records = []
            for line in physical_lines(data):
                text = data.split(b"\n")[line - 1].strip(b" \t\r\n")
                try:
                    j = json.loads(text.decode("utf-8"), parse_constant=float.fromhex)
                except ValueError:
                    return line, records
                # The first of these keys holding a string is the indicator (local_feed.cpp).
                keys = ("indicator", "Indicator", "ioc", "IoC", "IOC", "observable", "Observable", "value", "Value")
                value = next((j[k] for k in keys if isinstance(j, dict) and isinstance(j.get(k), str)), "")
                value = value.strip(" \t\r\n")
                if not value:
                    return line, records
                records.append((line, value.encode("utf-8", "surrogatepass")))
            return None, records

        self.assertEqual(len(model(feed)[1]), 300)
        outcomes = [self.check_ti(f"ti{seed}.jsonl", corrupt(feed, seed), model) for seed in SEEDS]
        print(f"\n  {outcomes}", file=sys.stderr)
        self.assertTrue(any("read" in o for o in outcomes), "the match check ran on nothing")

    def test_ti_local_csv(self):
        header = b"indicator,type,severity,note\r\n"
        body = b"".join(f'{ind},{t},high,"seen in, campaign {i} \u00e9"\r\n'.encode()
                        for i in range(150) for ind, t in ((f"10.{i % 7}.{i}.9", "ipv4"), (f"evil{i}.example.com", "domain")))

        def model(data):
            recs = csv_records(data)
            width, records = len(recs[0][1]), []
            for line, fields, error in recs[1:]:
                if (len(fields) == 1 or not error) and all(not f.strip(b" \t\r\n") for f in fields):
                    continue  # a line of blanks, or of as many empty cells as the header, is blank
                if error or len(fields) != width:
                    return line, records
                value = fields[0].strip(b" \t\r\n")
                if not value:  # other cells but no indicator: an error (local_feed.cpp)
                    return line, records
                records.append((line, value))
            return None, records

        self.assertEqual(len(model(header + body)[1]), 300)
        outcomes = [self.check_ti(f"ti{seed}.csv", header + corrupt(body, seed), model) for seed in SEEDS]
        print(f"\n  {outcomes}", file=sys.stderr)
        self.assertTrue(any("read" in o for o in outcomes), "the match check ran on nothing")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
