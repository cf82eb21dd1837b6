"""net_flows and office_activity read in flat memory: a file ten times larger costs no
more memory to read than a small one, in every format they read.

For each format, the same generated content at two sizes (SMALL and 10x SMALL records)
is read by a query that decodes every column of every row (count, the length of
`record` and `external_ips`, max(time)), each in a fresh Python process
(peak_memory.py): the peak resident memory minus the memory before the query. Holding
the rows, the records or the file would grow with the file (tens of MB at the large
size); reading one record at a time does not. The generators are
test_nothing_lost_flows.py's (the one copy of each synthetic format).
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peak_memory import MB, main, probe  # noqa: E402 (the one probe)
from test_nothing_lost_flows import network_analytics_csv, office_csv, zeek_body, zeek_header  # noqa: E402

SMALL = 20_000  # records; the large file has ten times as many

FLOWS = ("select count(*), sum(length(record)), sum(length(external_ips)), max(time), "
         "count(parse_error) from net_flows(?)")
OFFICE = ("select count(*), sum(length(record)), sum(length(user_agent)), max(time), "
          "count(parse_error) from office_activity(?)")


def nsg_blob(n):
    """An NSG flow-log blob (version 2) of n tuples, 50 to a record, pretty-printed as
    Azure's own sample is: one JSON document."""
    records = [{"time": f"2018-11-13T11:{r % 60:02d}:00Z", "category": "NetworkSecurityGroupFlowEvent",
                "resourceId": "/S/NETWORKSECURITYGROUPS/WADVM-NSG",
                "properties": {"Version": 2, "flows": [{"rule": "DefaultRule_DenyAllInBound", "flows": [{
                    "mac": "000D3A0AF519",
                    "flowTuples": [f"{1542110377 + r + k},185.208.{k}.{r % 250},10.0.0.4,{50000 + k},3389,T,I,D,B,,,,"
                                   for k in range(50)]}]}]}} for r in range(n // 50)]
    return json.dumps({"records": records}, indent=2).encode()


def vnet_blob(n):
    """A VNet flow-log blob (version 4) of n tuples, 50 to a record."""
    records = [{"time": "2022-09-14T09:00:52.5625085Z", "flowLogVersion": 4, "flowLogGUID": "66aa66aa",
                "macAddress": "112233445566", "category": "FlowLogFlowEvent", "flowLogResourceID": "/S/FL",
                "targetResourceID": "/S/VNET", "operationName": "FlowLogFlowEvent",
                "flowRecords": {"flows": [{"aclID": "00000000-1234", "flowGroups": [{"rule": "DefaultRule_AllowInternetOutBound",
                    "flowTuples": [f"{1663146003599 + r * 1000 + k},10.0.0.6,{192 + k % 50}.0.{r % 250}.1,23956,443,6,O,E,NX,"
                                   f"{k},{705 + k},{k + 1},{4569 + k}" for k in range(50)]}]}]}} for r in range(n // 50)]
    return json.dumps({"records": records}).encode()


def zeek_json(n):
    return b"".join(json.dumps({"_path": "conn", "ts": 1521911721 + i * 0.25, "uid": f"C{i}", "id.orig_h": f"10.0.{i % 200}.1",
                                "id.orig_p": 40000 + i % 20000, "id.resp_h": "23.97.60.214", "id.resp_p": 22,
                                "proto": "tcp", "service": "ssh", "orig_bytes": i, "resp_bytes": 2 * i}).encode() + b"\n"
                    for i in range(n))


def office_json_lines(n):
    return b"".join(json.dumps({"CreationTime": "2022-05-07T12:55:53", "Id": f"id-{i}", "RecordType": 15,
                                "Operation": "UserLoggedIn", "ClientIP": f"[2603:1036:4:3f::{i % 4096:x}]:{1000 + i % 5000}",
                                "UserId": f"u{i % 97}@contoso.com", "ExtendedProperties": [
                                    {"Name": "ResultStatusDetail", "Value": "Redirect"},
                                    {"Name": "UserAgent", "Value": f"Mozilla/5.0 (X11; Linux x86_64) {i % 13}"}]}).encode()
                    + b"\n" for i in range(n))


def office_api_array(n):
    return json.dumps([{"CreationTime": "2015-06-29T20:03:19", "Id": f"id-{i}", "Operation": "FileAccessed",
                        "OrganizationId": "41463f53", "RecordType": 6, "UserType": 0, "Workload": "SharePoint",
                        "ClientIP": "134.170.188.221", "ObjectId": f"https://contoso.sharepoint.com/{i}.docx",
                        "UserId": "alice@contoso.com"} for i in range(n)], indent=1).encode()


def no_errors(n):
    return 0


def office_csv_errors(n):
    # office_csv()'s ClientIP [v6]:1000+i: a port past 65535 is no address, rightly said.
    return max(0, n - (65536 - 1000))


# name: (query, file name, generator of n records, parse errors expected among n)
FORMATS = {
    "net_flows: Zeek TSV": (FLOWS, "conn.log", lambda n: zeek_header() + zeek_body(n), no_errors),
    "net_flows: Zeek JSON": (FLOWS, "conn.json", zeek_json, no_errors),
    "net_flows: NSG v2 blob": (FLOWS, "PT1H.json", nsg_blob, no_errors),
    "net_flows: VNet v4 blob": (FLOWS, "vnet.json", vnet_blob, no_errors),
    "net_flows: AzureNetworkAnalytics CSV": (FLOWS, "flows.csv", lambda n: b"".join(network_analytics_csv(n)),
                                             no_errors),
    "office_activity: Sentinel CSV": (OFFICE, "office.csv", lambda n: b"".join(office_csv(n)), office_csv_errors),
    "office_activity: JSON lines": (OFFICE, "office.jsonl", office_json_lines, no_errors),
    "office_activity: API content blob": (OFFICE, "blob.json", office_api_array, no_errors),
}


class FlatMemory(unittest.TestCase):
    def test_every_format(self):
        with tempfile.TemporaryDirectory() as scratch:
            for name, (sql, file_name, make, errors) in FORMATS.items():
                with self.subTest(name):
                    got = {}
                    for n in (SMALL, 10 * SMALL):
                        path = os.path.join(scratch, f"{n}-{file_name}")
                        data = make(n)
                        with open(path, "wb") as f:
                            f.write(data)
                        got[n] = probe(sql, [path])
                        got[n]["mb"] = len(data) / MB
                        os.remove(path)
                    small, large = got[SMALL], got[10 * SMALL]
                    print(f"{name}: {small['mb']:.0f} MB +{small['peak_mb']:.1f} MB peak, "
                          f"{large['mb']:.0f} MB +{large['peak_mb']:.1f} MB peak")
                    # Every record was read, and only the broken ones failed: the query
                    # did the whole work.
                    self.assertEqual(small["rows"][0][0], SMALL)
                    self.assertEqual(large["rows"][0][0], 10 * SMALL)
                    self.assertEqual(large["rows"][0][4], errors(10 * SMALL), name)
                    # Ten times the file, the same memory (a few MB of slack for allocator
                    # arenas): holding the rows or the file would add tens of MB here.
                    self.assertLess(large["peak_mb"], small["peak_mb"] + 4, name)
                    self.assertLess(large["peak_mb"], large["mb"] / 4, name)


if __name__ == "__main__":
    main()
