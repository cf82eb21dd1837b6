#!/usr/bin/env python3
"""Runs one command and writes its wall time and memory to a file (stdio passes through).

    bench/measure.py STATS_FILE CMD [ARG...]     exit status: the command's

STATS_FILE gets one line: "SECONDS MAXRSS_KB ANON_KB USER_S SYS_S", where
  MAXRSS_KB  the kernel's peak resident set (what /usr/bin/time -f %M reports); it counts
             every page of a file the command maps and touches, so a tool that mmaps a
             1 GB log shows ~1 GB however little memory it allocates;
  ANON_KB    the peak of RssAnon in /proc/PID/status (heap, stacks: what the command
             itself allocated), sampled every 5 ms, so a spike shorter than that can be
             missed;
  USER_S, SYS_S  the CPU time the command used (all its threads), from wait4's rusage.
The time is taken around the child alone (the sampling runs in a thread), not Python's start.
"""
import os
import subprocess
import sys
import threading
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    stats, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.monotonic()
    child = subprocess.Popen(cmd)
    status_path = f"/proc/{child.pid}/status"
    peak_anon = 0
    done = threading.Event()

    def sample():
        nonlocal peak_anon
        while not done.is_set():
            try:
                with open(status_path) as f:
                    for line in f:
                        if line.startswith("RssAnon:"):
                            peak_anon = max(peak_anon, int(line.split()[1]))
                            break
            except OSError:
                pass
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - t0
    done.set()
    sampler.join()
    with open(stats, "w") as f:
        f.write(f"{seconds:.3f} {usage.ru_maxrss} {peak_anon} {usage.ru_utime:.3f} {usage.ru_stime:.3f}\n")
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
