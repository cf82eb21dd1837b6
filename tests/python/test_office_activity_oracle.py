"""office_activity() against Python's csv and json modules on the shared Office exports
(../shared/datasets/office): every record is one row, and every column equals what the
source field holds, read independently:

  * office_activity.csv (Sentinel's portal export): csv with utf-8-sig, the US 12-hour
    times with datetime.strptime, JSON cells with json.loads, ClientIP with ipaddress;
  * o365_audit_sst5f.jsonl and the API content blob: json, RecordType/UserType numbers
    named from the schema document's tables (the entries these files use, copied here
    by hand from office-365-management-activity-api-schema.md).

Run by ctest with Debian's /usr/bin/python3:
    tests/run_host.sh /usr/bin/python3 tests/python/test_office_activity_oracle.py
"""
import csv
import datetime
import ipaddress
import json
import os
import sqlite3
import sys
import unittest

EXTENSION = os.environ["SQLHUNT_EXTENSION"]
SOURCE = os.environ.get("SQLHUNT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DATASETS = os.environ.get("SQLHUNT_DATASETS", os.path.join(SOURCE, "..", "shared", "datasets"))
OFFICE = os.path.join(DATASETS, "office")
SKIP = 77

# AuditLogRecordType and User Type entries the shared files use (schema document).
RECORD_TYPES = {1: "ExchangeAdmin", 2: "ExchangeItem", 3: "ExchangeItemGroup", 4: "SharePoint",
                6: "SharePointFileOperation", 8: "AzureActiveDirectory", 9: "AzureActiveDirectoryAccountLogon",
                11: "ComplianceDLPSharePoint", 14: "SharePointSharingOperation", 15: "AzureActiveDirectoryStsLogon",
                25: "MicrosoftTeams", 36: "SharePointListOperation", 50: "ExchangeItemAggregated",
                56: "SharePointFieldOperation"}
NAMES = {v: k for k, v in RECORD_TYPES.items()}
USER_TYPES = {0: "Regular", 2: "Admin", 3: "DcAdmin", 4: "System", 5: "Application"}


def endpoint(value):
    """(address, port) from ClientIP as Office writes it: ip, ip:port, [v6]:port."""
    if not value:
        return None, None
    port = None
    if value.startswith("["):
        addr, rest = value[1:].split("]")
        port = int(rest[1:]) if rest else None
    elif value.count(":") == 1:
        addr, port = value.split(":")
        port = int(port)
    else:
        addr = value
    a = ipaddress.ip_address(addr)
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped:
        a = a.ipv4_mapped
    return a.compressed, port


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def decoded(value):
    """A cell as office_activity's record holds it: JSON arrays/objects decoded."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


def user_agent(record):
    if record.get("UserAgent"):
        return record["UserAgent"]
    for key in ("ExtendedProperties", "ExtraProperties"):
        v = decoded(record.get(key))
        if isinstance(v, list):
            for e in v:
                if isinstance(e, dict) and str(e.get("Name", e.get("Key", ""))).strip().lower() == "useragent":
                    return e.get("Value") or None
    return None


class OfficeActivityOracle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.conn = sqlite3.connect(":memory:")
        cls.conn.enable_load_extension(True)
        cls.conn.load_extension(EXTENSION)
        cls.conn.row_factory = sqlite3.Row

    def rows(self, path):
        return [dict(r) for r in self.conn.execute("select * from office_activity(?) order by rowid", (path,))]

    def test_sentinel_csv_export(self):
        path = os.path.join(OFFICE, "office_activity.csv")
        records = []
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            reader.fieldnames  # reads the header row
            end = reader.line_num
            for r in reader:
                records.append((end + 1, r))  # a record starts on the line after the last one ended
                end = reader.line_num
        self.assertEqual(len(records), 266)
        self.assertTrue(all(len(r) == 131 for _, r in records))
        got = self.rows(path)
        self.assertEqual(len(got), len(records))
        for g, (line, r) in zip(got, records):
            t = datetime.datetime.strptime(r["TimeGenerated [UTC]"], "%m/%d/%Y, %I:%M:%S.%f %p")
            rt = r["RecordType"]
            name = RECORD_TYPES[int(rt)] if rt.isdigit() else rt
            ip, port = endpoint(r["ClientIP"] or r["ClientIP_"] or r["Client_IPAddress"] or r["ActorIpAddress"])
            expected = {
                "line": line, "time": iso(t), "id": r["OfficeId"], "record_type": name, "record_type_id": NAMES[name],
                "operation": r["Operation"], "workload": r["OfficeWorkload"], "result_status": r["ResultStatus"] or None,
                "user_id": r["UserId"] or r["UserId_"] or None, "user_type": r["UserType"], "user_key": r["UserKey"] or None,
                "client_ip": ip, "client_port": port, "user_agent": user_agent(r),
                "object_id": r["OfficeObjectId"] or None, "organization_id": r["OrganizationId"], "parse_error": None,
            }
            with self.subTest(line=line):
                for k, v in expected.items():
                    self.assertEqual(g[k], v, k)
                self.assertEqual(json.loads(g["record"]), {k: decoded(v) for k, v in r.items()})

    def test_management_api_records(self):
        for name, count in (("o365_audit_sst5f.jsonl", 4), ("o365_activity_api_content_blob_docs.json", 3)):
            path = os.path.join(OFFICE, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            records = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines()]
            self.assertEqual(len(records), count)
            got = self.rows(path)
            self.assertEqual(len(got), count)
            for g, r in zip(got, records):
                ip, port = endpoint(r.get("ClientIP"))
                expected = {
                    "time": iso(datetime.datetime.strptime(r["CreationTime"], "%Y-%m-%dT%H:%M:%S")),
                    "id": r["Id"], "record_type": RECORD_TYPES[r["RecordType"]], "record_type_id": r["RecordType"],
                    "operation": r["Operation"], "workload": r["Workload"], "result_status": r["ResultStatus"],
                    "user_id": r["UserId"], "user_type": USER_TYPES[r["UserType"]], "user_key": r["UserKey"],
                    "client_ip": ip, "client_port": port, "user_agent": user_agent(r),
                    "object_id": r.get("ObjectId"), "organization_id": r["OrganizationId"], "parse_error": None,
                }
                with self.subTest(file=name, id=r["Id"]):
                    for k, v in expected.items():
                        self.assertEqual(g[k], v, k)
                    self.assertEqual(json.loads(g["record"]), r)

    def test_every_record_in_exactly_one_row(self):
        ids = {}
        for r in self.conn.execute("select id, file, line from office_activity(?)", (os.path.join(OFFICE, "*.*"),)):
            if r["file"].endswith("LICENSE-Apache-2.0"):
                continue
            ids.setdefault(r["id"], []).append((os.path.basename(r["file"]), r["line"]))
        with open(os.path.join(OFFICE, "office_activity.csv"), encoding="utf-8-sig", newline="") as f:
            expected = [r["OfficeId"] for r in csv.DictReader(f)]
        for name in ("o365_audit_sst5f.jsonl", "o365_activity_api_content_blob_docs.json"):
            with open(os.path.join(OFFICE, name), encoding="utf-8") as f:
                text = f.read()
            recs = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines()]
            expected += [r["Id"] for r in recs]
        self.assertEqual(len(expected), 266 + 4 + 3)
        self.assertEqual(sorted(ids), sorted(expected))
        self.assertTrue(all(len(v) == 1 for v in ids.values()), [v for v in ids.values() if len(v) > 1])


if __name__ == "__main__":
    if not os.path.isdir(OFFICE):
        print(f"SKIP: needs the shared datasets, not found at {DATASETS}")
        sys.exit(SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
