#!/usr/bin/env bash
# bench/clustering_bench.sh — clustering repetitive events, in one run, CPU time (user+sys):
#   1. cmdline_pattern() MB/s over a generated corpus of command lines and log messages
#      (bench/gen_cmdlines.py): one call per line over a table, and the whole file as
#      one value; beside GNU sed -E (LC_ALL=C) doing comparable substitutions (GUIDs,
#      times, IPv4, hex, home/temp paths, SIDs, base64, numbers) over the same file.
#   2. dbscan() on 100,000 rows x 3 features (20 blobs and 10% noise, standard
#      scaling, eps 0.1, min_samples 10) beside scikit-learn's StandardScaler + DBSCAN
#      on the same rows. scikit-learn is timed in its own process around scaling and
#      fit only (not Python's start or its imports); dbscan() is timed as the whole
#      sqlite3 process, SELECT and all. The two results are compared (clusters, cores).
#   3. The grouping accuracy on LogHub's labelled samples (bench/pattern_accuracy.py),
#      when they are present.
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#   bench/clustering_bench.sh [BUILD_DIR] [MEGABYTES]       (default build, 40 MB)
# Inputs are generated once into bench/out/ (deterministic). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
MB=${2:-40}
OUT=bench/out
EXT=$PWD/$BUILD/sqlhunt
mkdir -p "$OUT"
CORPUS=$OUT/cmdlines_${MB}mb.txt
DB=$OUT/cmdlines_${MB}mb.db
[ -s "$CORPUS" ] || /usr/bin/python3 bench/gen_cmdlines.py "$CORPUS" "$MB"
if [ ! -s "$DB" ] || [ "$DB" -ot "$CORPUS" ]; then
  # One line a row, as written: ASCII mode reads no quoting, and no line holds 0x1f.
  rm -f "$DB"
  sqlite3 "$DB" 'create table lines(line text)' '.mode ascii' ".separator "$'\x1f'" \\n" ".import $CORPUS lines"
fi
BYTES=$(stat -c %s "$CORPUS")
echo "corpus: $CORPUS, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $(wc -l <"$CORPUS") lines; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# cpu CMD...: runs CMD (stdout to $OUT/last.out), prints "user+sys wall" seconds.
cpu() {
  /usr/bin/time -f "%U %S %e" -o "$OUT/time.txt" "$@" >"$OUT/last.out"
  awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$OUT/time.txt"
}
rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

echo
echo "== cmdline_pattern"
read -r c_lines w_lines < <(cpu sqlite3 "$DB" ".load $EXT" "select sum(length(cmdline_pattern(line))) from lines;")
n_lines=$(cat "$OUT/last.out")
read -r c_base w_base < <(cpu sqlite3 "$DB" "select sum(length(line)) from lines;")
read -r c_whole w_whole < <(cpu sqlite3 :memory: ".load $EXT" "select length(cmdline_pattern(readfile('$CORPUS')));")
SED=(sed -E
  -e 's/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/<GUID>/g'
  -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?/<TIME>/g'
  -e 's/((Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2}( [0-9]{4})?/<TIME>/g'
  -e 's/S-1-[0-9]+(-[0-9]+)+/<SID>/g'
  -e 's/([0-9]{1,3}\.){3}[0-9]{1,3}/<IP>/g'
  -e 's/0x[0-9A-Fa-f]+/<HEX>/g'
  -e 's/\b[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*\b/<HEX>/g'
  -e 's#/home/[^/ ]+#/home/<USER>#g'
  -e 's#\\Users\\[^\\ ]+#\\Users\\<USER>#g'
  -e 's#/tmp/[^/ .]+#/tmp/<TMP>#g'
  -e 's#\\Temp\\[^\\ .]+#\\Temp\\<TMP>#g'
  -e 's#[A-Za-z0-9+/]{32,}={0,2}#<B64>#g'
  -e 's/[0-9]+(\.[0-9]+)*/<NUM>/g')
read -r c_sed w_sed < <(LC_ALL=C cpu "${SED[@]}" "$CORPUS")
printf '%-46s %8s %8s %8s\n' "" "cpu s" "wall s" "MB/s cpu"
printf '%-46s %8s %8s %8s\n' "cmdline_pattern, one call per line (table)" "$c_lines" "$w_lines" "$(rate "$c_lines")"
printf '%-46s %8s %8s %8s\n' "  the same SELECT without the function" "$c_base" "$w_base" "$(rate "$c_base")"
printf '%-46s %8s %8s %8s\n' "cmdline_pattern, the whole file as one value" "$c_whole" "$w_whole" "$(rate "$c_whole")"
printf '%-46s %8s %8s %8s\n' "sed -E, 13 substitutions (LC_ALL=C)" "$c_sed" "$w_sed" "$(rate "$c_sed")"
echo "patterned bytes (per line): $n_lines; distinct patterns: $(sqlite3 "$DB" ".load $EXT" "select count(distinct cmdline_pattern(line)) from lines;") of $(wc -l <"$CORPUS") lines"
awk -v a="$c_sed" -v b="$c_lines" -v c="$c_whole" 'BEGIN {
  printf "ratio, CPU: sed / cmdline_pattern per line = %.2fx, sed / whole file = %.2fx (goal: > 1, ahead of sed): %s\n",
         a / b, a / c, (a / b > 1 ? "met" : "MISSED") }'

echo
echo "== dbscan, 100,000 x 3"
PTS=$OUT/dbscan_100k.db
NPY=$OUT/dbscan_100k.npy
if [ ! -s "$PTS" ] || [ ! -s "$NPY" ]; then
  rm -f "$PTS" "$NPY"
  /usr/bin/python3 - "$PTS" "$NPY" <<'PY'
import sqlite3, sys
import numpy as np
rng = np.random.default_rng(15)
n = 100_000
centres = rng.uniform(-50, 50, size=(20, 3))
x = centres[rng.integers(0, 20, n)] + rng.normal(0, 1.5, size=(n, 3))
noise = rng.random(n) < 0.1
x[noise] = rng.uniform(-60, 60, size=(noise.sum(), 3))
np.save(sys.argv[2], x)
conn = sqlite3.connect(sys.argv[1])
conn.execute("create table pts(id integer primary key, a real, b real, c real)")
conn.executemany("insert into pts values (?, ?, ?, ?)", ((i, *map(float, r)) for i, r in enumerate(x)))
conn.commit()
PY
fi
read -r c_ours w_ours < <(cpu sqlite3 "$PTS" ".load $EXT" \
  "select count(distinct cluster_id), sum(is_core), sum(cluster_id is null) from dbscan('select id, a, b, c from pts', 0.1, 10);")
ours=$(cat "$OUT/last.out")
read -r c_skl_proc w_skl_proc < <(cpu /usr/bin/python3 - "$NPY" <<'PY'
import sys, time
import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.preprocessing import StandardScaler
x = np.load(sys.argv[1])
t0 = time.process_time()
labels = DBSCAN(eps=0.1, min_samples=10).fit(StandardScaler().fit_transform(x))
fit = time.process_time() - t0
print(f"{len(set(labels.labels_)) - (1 if -1 in labels.labels_ else 0)}|{len(labels.core_sample_indices_)}|{(labels.labels_ == -1).sum()} {fit:.2f}")
PY
)
read -r skl c_skl < "$OUT/last.out"
printf '%-46s %8s %8s  %s\n' "" "cpu s" "wall s" "clusters|cores|noise"
printf '%-46s %8s %8s  %s\n' "dbscan() (whole sqlite3 process)" "$c_ours" "$w_ours" "$ours"
printf '%-46s %8s %8s  %s\n' "scikit-learn DBSCAN (scaling + fit only)" "$c_skl" "-" "$skl"
printf '%-46s %8s %8s\n' "scikit-learn, the whole python3 process" "$c_skl_proc" "$w_skl_proc"
[ "$ours" = "$skl" ] && echo "same result: yes" || echo "same result: NO ($ours vs $skl)"
awk -v a="$c_skl" -v b="$c_ours" 'BEGIN {
  printf "ratio, CPU: scikit-learn fit / dbscan() = %.2fx (goal: > 1, ahead): %s\n", a / b, (a / b > 1 ? "met" : "MISSED") }'

echo
echo "== grouping accuracy (LogHub 2k samples)"
SQLHUNT_EXTENSION=$EXT.so /usr/bin/python3 bench/pattern_accuracy.py
