"""Nothing is lost under corruption, for net_flows and office_activity: every line of the
input is in exactly one row or one parse_error row, whatever was done to the file (the
seeded harms of test_nothing_lost.py: flipped bytes, NULs, invalid UTF-8, CRLF and lone
CR, cut lines, duplicated spans, truncation). Checked from Python's sqlite3 module, whose
fetchall() also proves every TEXT value is valid UTF-8.

  net_flows, Zeek TSV (a clean header, a damaged body): one row per non-blank line of
             the body
  net_flows, Zeek JSON lines; office_activity, JSON lines: one row per non-blank line
  net_flows, NSG flow-log blob (damaged anywhere): rows, every TEXT value valid,
             nothing invented (every row read whole is a tuple that stands in the
             damaged file, no more often than it stands there), and every record the
             damage left intact (its text still in the file) read whole: the "records"
             array is read on after the damage (core/json_scan.h)
  net_flows, AzureNetworkAnalytics CSV; office_activity, Sentinel CSV (a clean header,
             a damaged body): one row per record, each row at the line where its
             record starts, as csv_records() (test_nothing_lost.py's model of
             core/csv.h's documented rule: a quote opens a field only at its start, a
             line break inside quotes is part of the record) finds them in the damaged
             bytes, and every record it calls malformed a parse_error row. A quote the
             damage left open rightly takes the following lines into its record; the
             model says which, so a record dropped or split is still caught.
A file whose first 4 KB the damage made binary (NUL bytes) is refused whole, with an
error naming it (core/file_kind.h): loud, not lost.
"""
import json
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_nothing_lost import DamagedFiles, physical_lines  # noqa: E402 (the one copy of the harms and the checks)


def zeek_header():
    return ("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes"
            "\tresp_bytes\tconn_state\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount"
            "\tcount\tstring\n").encode()


def zeek_body(n):
    rnd = random.Random(n)
    lines = []
    for i in range(n):
        lines.append(f"{1521911721 + i * 0.25:.6f}\tC{i:08d}\t10.0.{i % 5}.{i % 200}\t{40000 + i}"
                     f"\t{rnd.choice(['23.97.60.214', '2001:db8::7', '10.1.0.1'])}\t{rnd.choice([22, 80, 443])}"
                     f"\ttcp\t{rnd.choice(['ssh', '-', 'http'])}\t0.{i:06d}\t{i}\t{2 * i}\tSF")
    return ("\n".join(lines) + "\n").encode()


def office_csv(n):
    header = "\ufeffTimeGenerated [UTC],Operation,OfficeId,ClientIP,UserId,Parameters,UserAgent,OfficeObjectId\r\n"
    rows = []
    for i in range(n):
        params = '"[{""Name"":""Force"",""Value"":""False""},{""Name"":""SubjectContainsWords"",""Value"":""legal, hr""}]"'
        obj = f'"https://contoso.sharepoint.com/sites/a/{i}.docx\r\n(moved)"' if i % 17 == 0 else f"/sites/b/{i}"
        rows.append(f'"4/28/2021, {1 + i % 12}:{i % 60:02d}:26.000 PM",FileAccessed,id-{i},[2603:1036:4:3f::{i:x}]:{1000 + i},'
                    f"u{i}@contoso.com,{params},Mozilla/5.0 (Windows NT 10.0; Win64; x64) \u00e9,{obj}\r\n")
    return header.encode(), "".join(rows).encode()


def network_analytics_csv(n):
    header = (",TenantId,TimeGenerated,FlowStartTime,FlowEndTime,FlowIntervalEndTime,FlowType,ResourceGroup,VMName,"
              "VMIPAddress,PublicIPs,SrcIP,DestIP,L4Protocol,L7Protocol,DestPort,FlowDirection,AllowedOutFlows,"
              "AllowedInFlows,DeniedInFlows,DeniedOutFlows,RemoteRegion,VMRegion,AllExtIPs,TotalAllowedFlows\n")
    rows = []
    for i in range(n):
        public = f"\"['65.55.44.{i % 250}', '13.71.172.{i % 7}']\"" if i % 3 else f"['65.55.44.{i % 250}']"
        rows.append(f"{i},52b1ab41-869e,2019-02-12 14:22:40.697,2019-02-12 13:00:07.000,2019-02-12 13:45:08.000,"
                    f"2019-02-12 14:00:00.000,AzurePublic,rg,vm{i % 4},10.0.3.{i % 9},{public},,,T,https,443.0,O,"
                    f"{i % 5}.0,0.0,0.0,0.0,eastus2,eastus,65.55.44.{i % 250},{i % 5}.0\n")
    return header.encode(), "".join(rows).encode()


class NothingLostFlows(DamagedFiles):
    def test_zeek_tsv(self):
        header, body = zeek_header(), zeek_body(400)
        header_lines = header.count(b"\n")
        def check(seed, damaged, _, lines, __):
            self.assertEqual(len(lines), len(set(lines)), f"seed {seed}: a line in two rows")
            self.assertEqual(sorted(lines), [n + header_lines for n in physical_lines(damaged)], f"seed {seed}")
        self.each_damaged("net_flows", body, "conn{seed}.log", check, header=header)

    def test_json_lines(self):
        zeek = b"".join(json.dumps({"_path": "conn", "ts": 1521911721 + i, "uid": f"C{i}", "id.orig_h": f"10.0.0.{i % 250}",
                                    "id.resp_h": "23.97.60.214", "id.resp_p": 22, "service": "s\u00e9"}).encode() + b"\n"
                        for i in range(300))
        office = b"".join(json.dumps({"CreationTime": "2022-05-07T12:55:53", "Id": f"id-{i}", "RecordType": i % 60,
                                      "ClientIP": f"[2603:1036:4:3f::{i:x}]:{1000 + i}", "Operation": "Set-\u2014"}).encode()
                          + b"\n" for i in range(300))
        self.check_json_lines("net_flows", zeek, "Zeek JSON lines")
        self.check_json_lines("office_activity", office, "Office JSON lines")

    def test_csv(self):
        for table, (header, body) in (("office_activity", office_csv(300)), ("net_flows", network_analytics_csv(300))):
            self.assertEqual(self.check_csv(table, header + body, f"{table} CSV"), 300)

    def test_nsg_blob(self):
        records = [{"time": f"2018-07-18T12:{r:02d}:00Z", "category": "NetworkSecurityGroupFlowEvent",
                    "resourceId": "/S/NETWORKSECURITYGROUPS/WADVM-NSG",
                    "properties": {"Version": 2, "flows": [{"rule": "DefaultRule_DenyAllInBound", "flows": [{
                        "mac": "000D3A0AF519",
                        "flowTuples": [f"{1531917335 + 60 * r + k},185.208.209.{k},10.0.0.4,{50000 + k},3389,T,I,D,B,,,,"
                                       for k in range(20)]}]}]}} for r in range(30)]
        clean = json.dumps({"records": records}, indent=2).encode()
        # Each record as it stands in the blob (indented by 4 inside "records").
        texts = [json.dumps(r, indent=2).replace("\n", "\n    ").encode() for r in records]
        self.assertTrue(all(t in clean for t in texts))

        def check(seed, data, p, _, rows):
            self.assertGreater(len(rows), 0, f"seed {seed}")
            read = self.conn.execute("select json_extract(record, '$.flowTuple') from net_flows(?) "
                                     "where parse_error is null", (p,)).fetchall()
            tuples = [r[0] for r in read]
            for t in set(tuples):  # as often as the (damaged, maybe duplicated) file has it
                self.assertLessEqual(tuples.count(t), data.count(json.dumps(t).encode()), f"seed {seed}: {t}")
            self.assertLessEqual(len(tuples), 600)
            # A record the damage left intact is read whole, wherever the damage was: the
            # "records" array is read on after it (core/json_scan.h).
            seen = set(tuples)
            for i, (r, t) in enumerate(zip(records, texts)):
                if t in data:
                    missing = [ft for ft in r["properties"]["flows"][0]["flows"][0]["flowTuples"] if ft not in seen]
                    self.assertEqual(missing[:1], [], f"seed {seed}: record {i} is intact, {len(missing)} tuples not read")
        self.each_damaged("net_flows", clean, "PT1H{seed}.json", check)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
