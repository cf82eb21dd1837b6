"""Office 365 activity as Microsoft Sentinel's OfficeActivity table exported as JSON
lines (office/OfficeActivity.jsonl): the tenant's people at work from the office's
address, and, from 16:20, the attacker's address signing in as ian, reading and
downloading files, reading mail and adding an inbox rule that hides replies. Exchange
writes ClientIP with its port; Parameters is JSON text, as Sentinel stores it.
"""
import hashlib
import json
import os
import time
import uuid

from . import story as S

OFFICE_IP = "40.69.136.121"
DOMAIN = S.O365_USER.split("@")[1]
PEOPLE = [S.O365_USER, f"adele@{DOMAIN}", f"john@{DOMAIN}", f"megan@{DOMAIN}"]
FILES = ["Finance/Q4 results.xlsx", "Finance/Payroll 2019.xlsx", "IT/VPN setup.docx", "IT/Server passwords.xlsx",
         "HR/Org chart.pptx", "Sales/Pipeline.xlsx", "Projects/Roadmap 2019.docx"]
SITE = f"https://{DOMAIN.split('.')[0]}.sharepoint.com/sites/shared"
BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.109 "
           "Safari/537.36")
ATTACKER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:65.0) Gecko/20100101 Firefox/65.0"


def iso(t):
    whole = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int(round((t - whole) * 1000)):03d}Z"


class Activity:
    def __init__(self, rng):
        self.rng = rng
        self.rows = []

    def add(self, t, workload, record_type, operation, user, ip, obj, agent, **extra):
        row = {
            "TenantId": S.TENANT,
            "TimeGenerated": iso(t),
            "OfficeWorkload": workload,
            "RecordType": record_type,
            "Operation": operation,
            "OrganizationId": "4b2462a4-bbee-495a-a0e1-f23ae524cc9c",
            "UserType": "Regular",
            "UserKey": "i:0h.f|membership|1003200045c28d0b@live.com" if user == S.O365_USER else
                       f"i:0h.f|membership|{hashlib.md5(user.encode()).hexdigest()[:16]}@live.com",
            "UserId": user,
            "ClientIP": ip,
            "UserAgent": agent,
            "OfficeObjectId": obj,
            "ResultStatus": "Succeeded",
            "OfficeId": str(uuid.UUID(int=self.rng.getrandbits(128))),
            "SourceSystem": "OfficeActivityManager",
            "Type": "OfficeActivity",
        }
        row.update(extra)
        self.rows.append((t, len(self.rows), row))

    def file(self, t, operation, user, ip, name, agent):
        self.add(t, "SharePoint", "SharePointFileOperation", operation, user, ip, f"{SITE}/Shared Documents/{name}",
                 agent, SourceFileName=name.split("/")[-1], Site_Url=SITE + "/")

    def logon(self, t, user, ip, agent):
        self.add(t, "AzureActiveDirectory", "AzureActiveDirectoryStsLogon", "UserLoggedIn", user, ip,
                 "00000003-0000-0ff1-ce00-000000000000", agent,
                 ExtendedProperties=json.dumps([{"Name": "UserAgent", "Value": agent},
                                                {"Name": "RequestType", "Value": "OAuth2:Authorize"},
                                                {"Name": "ResultStatusDetail", "Value": "Success"}]))


def write(out, rng):
    act = Activity(rng)
    # A working afternoon from the office.
    t = S.T_START + 120
    while t < S.T_END:
        user = rng.choice(PEOPLE)
        op = rng.choice(["FileAccessed", "FileAccessed", "FileAccessed", "FilePreviewed", "FileModified"])
        act.file(t, op, user, OFFICE_IP, rng.choice(FILES), BROWSER)
        t += rng.uniform(60, 300)
    for user in PEOPLE:
        act.logon(S.T_START + 300 + 7 * PEOPLE.index(user), user, OFFICE_IP, BROWSER)
    # The attacker, as ian, from 23.97.60.214.
    t = S.O365_START + 4.2
    act.logon(t, S.O365_USER, S.ATTACKER, ATTACKER_UA)
    for i, name in enumerate(["IT/Server passwords.xlsx", "Finance/Payroll 2019.xlsx", "IT/VPN setup.docx"]):
        act.file(t + 61 + 40 * i, "FileAccessed", S.O365_USER, S.ATTACKER, name, ATTACKER_UA)
        act.file(t + 75 + 40 * i, "FileDownloaded", S.O365_USER, S.ATTACKER, name, ATTACKER_UA)
    act.add(t + 310, "Exchange", "ExchangeItemAggregated", "MailItemsAccessed", S.O365_USER, f"{S.ATTACKER}:50122",
            S.O365_USER, ATTACKER_UA)
    params = [{"Name": "Name", "Value": "."}, {"Name": "SubjectContainsWords", "Value": "invoice;password;security"},
              {"Name": "MoveToFolder", "Value": "RSS Feeds"}, {"Name": "StopProcessingRules", "Value": "True"}]
    act.add(t + 402, "Exchange", "ExchangeAdmin", "New-InboxRule", S.O365_USER, f"{S.ATTACKER}:50131", S.O365_USER,
            ATTACKER_UA, Parameters=json.dumps(params))
    act.rows.sort(key=lambda r: (r[0], r[1]))
    d = os.path.join(out, "office")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "OfficeActivity.jsonl"), "w", newline="\n") as f:
        for _, _, row in act.rows:
            f.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n")
