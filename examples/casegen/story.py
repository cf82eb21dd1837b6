"""The facts of the demo case, in one place: every part of the generator and every test
that checks an answer reads them from here.

The story is the "Step-by-Step Linux-Windows-Office Investigation" notebook's, on
2019-02-18 (all times UTC):

  13:00-19:00  both hosts go about their business: cron, the Azure agent, monitoring,
               services; thousands of ordinary processes.
  15:00-15:29  an SSH password-guessing run against MSTICAlertsLxVM2 from three
               scanners and, slowly, from the attacker's 23.97.60.214.
  15:29:22     23.97.60.214 logs in as `dbadmin`; in that session: reconnaissance
               (id, uname, cat /etc/passwd, mail), `wget` of QuZYpObins.sh from the
               attacker's own address, chmod, the script run, a crontab installed.
  15:35-18:55  cron runs the script every five minutes.
  15:31, 15:36 Sentinel raises "SSH Anomalous Login ML" and "Detected suspicious file
               download" (SecurityAlert, JSON lines).
  15:50:10     on MSTICAlertsWin1, `ian` logs on over RDP from 13.67.35.176 and runs
               the attack script: ftp -s:MG06.dll (fetching from 23.97.60.214), a new
               account qf938$ added to Administrators, RDP enabled in the registry, a
               scheduled task that runs c:\\pagefile.exe, which then starts.
  16:20-16:40  Office 365: the attacker's address signs in as ian and reads and
               downloads files, and hides mail with an inbox rule.
  network      NSG flow logs (version 2, one blob per hour) of both hosts: the SSH
               flows, the wget, the ftp, RDP, and ordinary traffic.
  intel        a threat report naming C2 addresses (some defanged) and the attacker's,
               and a local TI feed that lists the attacker's address.
"""
import calendar
import time

DAY = "2019-02-18"
T_START = calendar.timegm(time.strptime(f"{DAY} 13:00:00", "%Y-%m-%d %H:%M:%S"))   # 1550494800
T_END = calendar.timegm(time.strptime(f"{DAY} 19:00:00", "%Y-%m-%d %H:%M:%S"))

TENANT = "52b1ab41-869e-4138-9e40-2a4457f09bf0"

# Linux host
LINUX_HOST = "MSTICAlertsLxVM2"
LINUX_PRIVATE_IP = "10.0.3.5"
ATTACKER = "23.97.60.214"
SCANNERS = ["61.184.247.3", "36.156.24.99", "223.111.139.247"]
ADMIN_IP = "10.0.0.5"
BRUTE_START = calendar.timegm(time.strptime(f"{DAY} 15:00:00", "%Y-%m-%d %H:%M:%S"))
LOGIN_TIME = 1550503762.301          # 2019-02-18T15:29:22.301Z
LINUX_USER, LINUX_UID = "dbadmin", 1001
ADMIN_USER, ADMIN_UID = "alice", 1000
FIRST_PID = 21000                    # processes started after boot; daemons have lower pids
PAYLOAD = "QuZYpObins.sh"
PAYLOAD_URL = f"http://{ATTACKER}/{PAYLOAD}"
PAYLOAD_PATH = f"/tmp/{PAYLOAD}"
CRON_LINE = f"*/5 * * * * {PAYLOAD_PATH} >/dev/null 2>&1"

# Windows host
WIN_HOST = "MSTICAlertsWin1"
WIN_PRIVATE_IP = "10.0.3.4"
RDP_SOURCE = "13.67.35.176"
WIN_USER = "ian"
RDP_LOGON_TIME = calendar.timegm(time.strptime(f"{DAY} 15:50:10", "%Y-%m-%d %H:%M:%S")) + 0.418
RDP_LOGON_ID = 0x8F3A21
NEW_ACCOUNT = "qf938$"
FTP_SCRIPT = "MG06.dll"
PAGEFILE = r"c:\pagefile.exe"

# Office 365
O365_USER = "ian@msticalerts.onmicrosoft.com"
O365_START = calendar.timegm(time.strptime(f"{DAY} 16:20:00", "%Y-%m-%d %H:%M:%S"))

# Intelligence
C2_IPS = ["40.76.54.131", "104.211.30.1", "52.183.120.194"]
C2_DOMAIN = "update-checker.online"
PAYLOAD_SHA256 = "b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0"
PAYLOAD_MD5 = "4d1d2b9c6e0e3f8a7b5c4d3e2f1a0b9c"
