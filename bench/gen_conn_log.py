#!/usr/bin/env python3
"""Writes a Zeek conn.log (TSV, Zeek's default writer) of about MB megabytes, for
bench/net_flows_bench.sh. Deterministic (a fixed seed): the same size gives the same file.

    gen_conn_log.py OUT MB

Lines look like the shared conn_wrccdc2018.log: the same 21 fields and header, scans
(REJ, S0 with unset service and counts) mixed with sessions (SF, RSTR) carrying
service, duration and counts; addresses from a few private /16s and a pool of public
hosts; ts mostly increasing with connections written when they end (so ts steps back,
as Zeek's does)."""
import random
import sys

HEADER = """#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tconn
#open\t2019-11-08-11-44-16
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents
#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]
"""


def main():
    out, mb = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(20180324)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    private = [f"10.{a}.{b}.{c}" for a in (47, 128, 164, 0) for b in range(0, 40, 3) for c in range(1, 250, 7)]
    public = [f"{a}.{b}.{c}.{d}" for a, b, c, d in
              ((23, 97, 60, 214), (104, 211, 30, 1), (65, 55, 44, 109), (13, 71, 172, 130), (52, 168, 138, 145),
               (40, 124, 45, 19), (185, 208, 209, 70), (122, 222, 24, 18), (5, 188, 86, 36), (222, 228, 49, 37))]
    services = ["http", "ssl", "dns", "ssh", "-", "-", "-"]
    target = mb * 1_000_000
    ts = 1521911720.0
    size = 0
    with open(out, "w", encoding="ascii", newline="\n") as f:
        f.write(HEADER)
        size += len(HEADER)
        buf = []
        while size < target:
            ts += rnd.random() * 0.01
            start = ts - (rnd.random() * 30 if rnd.random() < 0.2 else 0)  # written at its end
            uid = "C" + "".join(rnd.choice(alphabet) for _ in range(17))
            orig = rnd.choice(private) if rnd.random() < 0.8 else rnd.choice(public)
            resp = rnd.choice(private) if rnd.random() < 0.7 else rnd.choice(public)
            if rnd.random() < 0.5:  # a scan: rejected or unanswered
                state = rnd.choice(["REJ", "S0"])
                line = (f"{start:.6f}\t{uid}\t{orig}\t{rnd.randrange(1024, 65535)}\t{resp}\t{rnd.randrange(1, 65535)}"
                        f"\ttcp\t-\t{rnd.random() * 0.001:.6f}\t0\t0\t{state}\t-\t-\t0\tSr\t2\t104\t2\t80\t-")
            else:
                proto = "udp" if rnd.random() < 0.2 else "tcp"
                ob, rb = rnd.randrange(0, 200000), rnd.randrange(0, 2000000)
                op, rp = rnd.randrange(1, 200), rnd.randrange(1, 2000)
                line = (f"{start:.6f}\t{uid}\t{orig}\t{rnd.randrange(1024, 65535)}\t{resp}\t{rnd.choice([22, 80, 443, 53, 3389])}"
                        f"\t{proto}\t{rnd.choice(services)}\t{rnd.random() * 60:.6f}\t{ob}\t{rb}\t{rnd.choice(['SF', 'RSTR', 'S1'])}"
                        f"\t-\t-\t0\tShADadFf\t{op}\t{ob + op * 52}\t{rp}\t{rb + rp * 52}\t(empty)")
            buf.append(line)
            size += len(line) + 1
            if len(buf) >= 10000:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
