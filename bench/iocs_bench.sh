#!/usr/bin/env bash
# bench/iocs_bench.sh — IoC extraction speed, in one run on one generated corpus:
#   1. the C++ scanner alone (build/bench/ioc_scanner_bench, one core, line by line)
#   2. extract_iocs() through the sqlite3 shell: the whole file as one value, and one
#      call per line over a table of the corpus's lines; iocs() per line too
#   3. GNU grep -oE with a comparable set of patterns (LC_ALL=C, its fastest mode)
# and prints wall and CPU time (user + sys), MB/s (1 MB = 10^6 bytes) by each, and the
# ratios to grep in both. On a shared machine the CPU ratio is the one to read.
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSQLHUNT_BENCH=ON && cmake --build build -j2
#   bench/iocs_bench.sh [BUILD_DIR] [MEGABYTES]
# The corpus (bench/out/ioc_corpus.txt, default 110 MB) is generated once by
# bench/gen_ioc_corpus.py (deterministic). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
MB=${2:-110}
OUT=bench/out
CORPUS=$OUT/ioc_corpus_${MB}mb.txt
DB=$OUT/ioc_corpus_${MB}mb.db
mkdir -p "$OUT"
[ -s "$CORPUS" ] || /usr/bin/python3 bench/gen_ioc_corpus.py "$CORPUS" "$MB"
if [ ! -s "$DB" ] || [ "$DB" -ot "$CORPUS" ]; then
  rm -f "$DB"
  /usr/bin/python3 - "$CORPUS" "$DB" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("create table lines(line text)")
with open(sys.argv[1], encoding="utf-8") as f:
    conn.executemany("insert into lines values (?)", ((l.rstrip("\n"),) for l in f))
conn.commit()
PY
fi
EXT=$BUILD/sqlhunt
BYTES=$(stat -c %s "$CORPUS")
MBYTES=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "corpus: $CORPUS, $MBYTES MB, $(wc -l <"$CORPUS") lines; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
# run NAME CMD...: runs CMD, keeps its stdout in $OUT/NAME.out and its wall and CPU
# seconds (children included) in $OUT/NAME.time.
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$OUT/$name.time" "$@" >"$OUT/$name.out"
}
wall() { awk '{ print $1 }' "$OUT/$1.time"; }
cpu() { awk '{ print $2 + $3 }' "$OUT/$1.time"; }

# 1. The scanner alone.
"$BUILD/bench/ioc_scanner_bench" "$CORPUS" 3 | tee "$OUT/scanner.txt"
SCANNER=$(sed -E 's/.* = ([0-9.]+) MB\/s, CPU.*/\1/' "$OUT/scanner.txt")
SCANNER_CPU=$(sed -E 's/.*CPU [0-9.]+ s = ([0-9.]+) MB\/s.*/\1/' "$OUT/scanner.txt")

# 2. Through the sqlite3 shell (the time includes starting the shell and loading the extension).
run whole sqlite3 :memory: ".load $EXT" "select length(extract_iocs(readfile('$CORPUS')));"
run lines sqlite3 "$DB" ".load $EXT" "select sum(length(extract_iocs(line))) from lines;"
run tvf sqlite3 "$DB" ".load $EXT" "select count(*) from lines, iocs(lines.line);"

# 3. grep -oE: IPv4 and IPv6, URLs, e-mail, hashes, CVE, domains, Windows, registry
# and Linux paths (with the common defanged dot and scheme), no validation at all.
PAT='(https?|hxxps?|s?ftp)(://|\[:\]//)[^[:space:]"<>]+'
PAT+='|[A-Za-z0-9._%+-]+(@|\[@\])[A-Za-z0-9-]+((\.|\[\.\])[A-Za-z0-9-]+)+'
PAT+='|([0-9]{1,3}(\.|\[\.\])){3}[0-9]{1,3}'
PAT+='|([0-9a-fA-F]{1,4}:){2,7}:?[0-9a-fA-F]{1,4}'
PAT+='|\b([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})\b'
PAT+='|CVE-[0-9]{4}-[0-9]{4,7}'
PAT+='|([A-Za-z0-9-]+(\.|\[\.\]|\[dot\]|\(\.\)))+[A-Za-z]{2,}'
PAT+='|[A-Za-z]:\\[^[:space:]"<>|]+'
PAT+='|HK(LM|CU|CR|U|CC|EY_[A-Z_]+)\\[^[:space:]]+'
PAT+='|(/[A-Za-z0-9._-]+){2,}'
LC_ALL=C run grep grep -oE "$PAT" "$CORPUS"
n_grep=$(wc -l <"$OUT/grep.out")
rm -f "$OUT/grep.out"

GREP=$(rate "$(wall grep)")
GREP_CPU=$(rate "$(cpu grep)")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
row() {  # label wall cpu result
  local r c
  r=$(rate "$2")
  c=$(rate "$3")
  printf '%-44s %7.2f s %7.2f s %8s %8s  %15s  %6s x %6s x\n' "$1" "$2" "$3" "$r" "$c" "$4" \
    "$(ratio "$r" "$GREP")" "$(ratio "$c" "$GREP_CPU")"
}
echo
printf '%-44s %9s %9s %8s %8s  %15s  %8s %8s\n' "" "wall" "CPU" "MB/s" "MB/s CPU" "result" "x grep" "x grep"
printf '%-44s %9s %9s %8s %8s  %15s  %6s x %6s x\n' "C++ scanner alone (best of 3)" "" "" "$SCANNER" "$SCANNER_CPU" \
  "$(sed -E 's/.*, ([0-9]+) indicators/\1 matches/' "$OUT/scanner.txt")" "$(ratio "$SCANNER" "$GREP")" \
  "$(ratio "$SCANNER_CPU" "$GREP_CPU")"
row "sqlite3: length(extract_iocs(readfile(f)))" "$(wall whole)" "$(cpu whole)" "$(cat "$OUT/whole.out") JSON B"
row "sqlite3: sum(length(extract_iocs(line)))" "$(wall lines)" "$(cpu lines)" "$(cat "$OUT/lines.out") JSON B"
row "sqlite3: count(*) from lines, iocs(line)" "$(wall tvf)" "$(cpu tvf)" "$(cat "$OUT/tvf.out") matches"
row "LC_ALL=C grep -oE (10 patterns)" "$(wall grep)" "$(cpu grep)" "$n_grep matches"
