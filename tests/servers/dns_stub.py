#!/usr/bin/python3
"""A tiny DNS responder for reverse-lookup tests: UDP on 127.0.0.1, a port the system
picks, printed as "PORT <n>" on the first line of stdout. Answers PTR questions only:

    6.6.6.6                    -> evil-host.example.
    8.8.8.8                    -> dns.google.
    2001:4860:4860::8888       -> dns.google.
    9.9.9.3                    -> no answer at all (the client must time out)
    anything else              -> NXDOMAIN
Other question types get NOTIMP. It counts queries: a query for the name "stats.sqlhunt."
(type TXT) is answered with the count. Stops when stdin closes (or after an hour).
"""
import ipaddress
import socket
import struct
import sys
import threading

NAMES = {"6.6.6.6": "evil-host.example.", "8.8.8.8": "dns.google.", "2001:4860:4860::8888": "dns.google."}
SILENT = {"9.9.9.3"}


def read_name(msg: bytes, at: int):
    labels = []
    while True:
        n = msg[at]
        if n == 0:
            return ".".join(labels), at + 1
        labels.append(msg[at + 1: at + 1 + n].decode("ascii", "replace"))
        at += 1 + n


def encode_name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def ptr_to_ip(name: str):
    name = name.lower()
    try:
        if name.endswith(".in-addr.arpa"):
            return str(ipaddress.ip_address(".".join(reversed(name[:-13].split(".")))))
        if name.endswith(".ip6.arpa"):
            nibbles = "".join(reversed(name[:-9].split(".")))
            return str(ipaddress.ip_address(":".join(nibbles[i:i + 4] for i in range(0, 32, 4))))
    except ValueError:
        return None
    return None


def main() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    count = 0
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    sock.settimeout(0.2)
    deadline = threading.Timer(3600, stop.set)
    deadline.daemon = True
    deadline.start()
    while not stop.is_set():
        try:
            msg, peer = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if len(msg) < 12:
            continue
        qid, flags, qd = struct.unpack(">HHH", msg[:6])
        name, end = read_name(msg, 12)
        qtype, qclass = struct.unpack(">HH", msg[end:end + 4])
        question = msg[12:end + 4]
        if name == "stats.sqlhunt" and qtype == 16:
            txt = str(count).encode()
            rdata = bytes([len(txt)]) + txt
            answer = b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 0, len(rdata)) + rdata
            sock.sendto(struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + answer, peer)
            continue
        count += 1
        if qtype != 12:
            sock.sendto(struct.pack(">HHHHHH", qid, 0x8184, 1, 0, 0, 0) + question, peer)
            continue
        ip = ptr_to_ip(name)
        if ip in SILENT:
            continue
        target = NAMES.get(ip)
        if target is None:
            sock.sendto(struct.pack(">HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question, peer)
            continue
        rdata = encode_name(target)
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 12, 1, 300, len(rdata)) + rdata
        sock.sendto(struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + answer, peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
