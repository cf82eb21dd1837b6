#!/usr/bin/env python3
"""Grouping accuracy of cmdline_pattern() on LogHub's hand-labelled 2k-line samples,
beside Drain's published figures.

    bench/pattern_accuracy.py [LOGHUB_DIR]

LOGHUB_DIR (default $SQLHUNT_LOGHUB_DIR, else ../shared/datasets/loghub) holds, per
dataset, either LogHub's own `<Name>_2k.log_structured.csv` (columns Content and
EventId, as published at github.com/logpai/loghub) or `<Name>_2k.tsv` (EventId, a tab,
then the Content, one message a line). The samples are not shipped here: LogHub's
licence allows research and academic use with attribution (Zhu et al., "Loghub: A
Large Collection of System Log Datasets for AI-driven Log Analytics", ISSRE 2023), so
the script says where to put them and exits 0 when they are absent.

Grouping accuracy is LogPAI's: a message counts as correct when the set of messages
sharing its group (here: the same cmdline_pattern()) is exactly the set sharing its
ground-truth template. Each message's Content is patterned alone, with no per-dataset
regexes (Drain's figures use LogPAI's per-dataset preprocessing). Printed per dataset:
the accuracy as patterned, the accuracy with <HOST> and <IP> taken as one placeholder
(`replace(cmdline_pattern(m), '<HOST>', '<IP>')`, a host named either way), the number
of groups, and the largest templates that were split or merged.
"""
import collections
import csv
import os
import sqlite3
import sys

# Drain's grouping accuracy on the LogHub 2k samples (He et al., ICWS 2017, as reported
# in LogPAI's benchmark, Zhu et al., ICSE-SEIP 2019).
DRAIN = {"Linux": 0.690, "OpenSSH": 0.788}
SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(folder, name):
    csv_path = os.path.join(folder, f"{name}_2k.log_structured.csv")
    tsv_path = os.path.join(folder, f"{name}_2k.tsv")
    if os.path.exists(csv_path):
        with open(csv_path, encoding="utf-8", newline="") as f:
            return [(r["EventId"], r["Content"]) for r in csv.DictReader(f)]
    if os.path.exists(tsv_path):
        with open(tsv_path, encoding="utf-8") as f:
            return [tuple(l.rstrip("\n").split("\t", 1)) for l in f]
    return None


def accuracy(truth, groups):
    by_truth, by_group = collections.defaultdict(list), collections.defaultdict(list)
    for i, (t, g) in enumerate(zip(truth, groups)):
        by_truth[t].append(i)
        by_group[g].append(i)
    correct, wrong = 0, []
    for t, idx in by_truth.items():
        gs = {groups[i] for i in idx}
        if len(gs) == 1 and len(by_group[next(iter(gs))]) == len(idx):
            correct += len(idx)
        else:
            wrong.append((len(idx), t, sorted(gs)[:3]))
    return correct / len(truth), len(by_group), sorted(wrong, reverse=True)


def main():
    folder = (sys.argv[1] if len(sys.argv) > 1 else
              os.environ.get("SQLHUNT_LOGHUB_DIR", os.path.join(SOURCE, "..", "shared", "datasets", "loghub")))
    ext = os.environ.get("SQLHUNT_EXTENSION", os.path.join(SOURCE, "build", "sqlhunt.so"))
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(ext)
    found = False
    print(f"{'dataset':8} {'messages':>8} {'templates':>9} {'groups':>6} {'accuracy':>8} "
          f"{'host=ip':>8} {'Drain':>6}")
    details = []
    for name, drain in DRAIN.items():
        rows = load(folder, name)
        if rows is None:
            continue
        found = True
        truth = [r[0] for r in rows]
        typed = [conn.execute("select cmdline_pattern(?)", (r[1],)).fetchone()[0] for r in rows]
        merged = [p.replace("<HOST>", "<IP>") for p in typed]
        acc, groups, wrong = accuracy(truth, typed)
        acc2, _, wrong2 = accuracy(truth, merged)
        print(f"{name:8} {len(rows):8} {len(set(truth)):9} {groups:6} {acc:8.3f} {acc2:8.3f} {drain:6.3f}"
              f"   {'ahead of' if acc2 > drain else 'behind'} Drain")
        details.append((name, wrong2))
    if not found:
        print(f"LogHub samples not found in {folder}: put Linux_2k.log_structured.csv and "
              "OpenSSH_2k.log_structured.csv from github.com/logpai/loghub there (or set "
              "SQLHUNT_LOGHUB_DIR); skipped")
        return 0
    for name, wrong in details:
        print(f"\n{name}: templates not grouped exactly (host=ip), largest first")
        for n, t, gs in wrong[:8]:
            print(f"  {n:5} {t}: {' | '.join(gs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
