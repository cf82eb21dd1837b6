#!/usr/bin/env python3
"""Writes the demo case: the evidence of one intrusion across a Linux host, a Windows
host, their network and Office 365, the story of the "Step-by-Step Linux-Windows-Office
Investigation" notebook (examples/casegen/story.py tells it and holds its facts).

    examples/make_case.py [OUT_DIR]      (default: examples/case)

Deterministic: the same bytes on every run and machine (seeded random numbers, gzip
without a time stamp), so tests can check answers over it. About 4 MB. The folder
follows the case layout of docs/clients.md ("The case folder"):

    audit/audit.log, audit.log.1, audit.log.2.gz   Linux audit log, rotated
    etc/passwd, etc/group                          the Linux host's accounts
    alerts.jsonl                                   Sentinel SecurityAlert export
    windows/SecurityEvent.jsonl                    Sentinel SecurityEvent export
    network/<NSG>_<hour>.json                      NSG flow logs, version 2
    office/OfficeActivity.jsonl                    Sentinel OfficeActivity export
    threat_report.txt                              a threat report's text
    ti_feed.csv                                    a local threat-intel feed
"""
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from casegen import intel, linux, network, office, windows  # noqa: E402


def main():
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "case")
    out = sys.argv[1] if len(sys.argv) > 1 else default
    # A folder of ours is written afresh (a file left from an older generator would
    # join the evidence); any other existing folder is refused rather than mixed into.
    if os.path.isdir(out) and os.listdir(out):
        ours = os.path.exists(os.path.join(out, ".sqlhunt-demo-case")) or os.path.abspath(out) == default
        if not ours:
            sys.exit(f"make_case: {out} exists and is not a demo case; not writing into it")
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, ".sqlhunt-demo-case"), "w").close()
    flows = network.Flows(random.Random(4))
    linux.write(out, random.Random(20190218), flows)
    windows.write(out, random.Random(2), flows)
    office.write(out, random.Random(3))
    network.write(out, flows, random.Random(5))
    intel.write(out)


if __name__ == "__main__":
    main()
