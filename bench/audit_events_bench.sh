#!/usr/bin/env bash
# bench/audit_events_bench.sh — audit_events() over large raw auditd logs, against the
# reference tools in the same run, on the same files:
#   1. ausearch --format csv -if LOG            (every event, interpreted; auditd's CLI)
#   2. auparse_walk LOG                         (libauparse touching every field; C)
#   3. sqlhunt: SELECT count(*) FROM audit_events(LOG)
#   4. sqlhunt: time, exe, cmdline, cwd, uid, addr read for every event
#   5. a one-minute window in the middle: sqlhunt (WHERE time BETWEEN) and ausearch -ts/-te
#   6. the same on a 10 GB log generated for this run (removed after)
# sqlhunt runs with audit.threads=1 (everything on the query's thread: one core), and
# the column query once more with the default 2 threads (less wall time, more CPU).
#
# Every row prints wall time, CPU time (user+sys, all threads), MB/s by CPU time (1 MB =
# 10^6 bytes of log; for windows, the whole file's size over the time: what a scan would
# have to reach), peak RSS and peak anonymous memory (bench/measure.py: RSS counts the
# mapped log's pages; libauparse and ausearch mmap the log), the events seen (they must
# agree), and for sqlhunt's windows the bytes it read (sqlhunt_debug('io')). The ratios
# are in CPU time, against issue 12's goals on one core: count(*) >= 1 GB/s, the column
# query >= 40x ausearch --format csv and >= 6x the libauparse walk; the 10 GB window
# under 0.5 s and >= 50x ausearch -ts/-te (wall and CPU).
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSQLHUNT_BENCH=ON && cmake --build build -j2
#   bench/audit_events_bench.sh [BUILD_DIR] [SIZE_MB]      (default build, 1024)
# BUILD_DIR defaults to the folder of $SQLHUNT_EXTENSION (set by scripts/bench), else build.
# The SIZE_MB log (bench/out/audit_<SIZE>mb_seed<N>.log, git-ignored) is made once by
# bench/gen_audit_log.py and reused; AUDIT_BENCH_SEED picks another seed (default 3).
# AUDIT_BENCH_WINDOW_GB sets the size of the window log (default 10; 0 leaves it out): it
# needs that much free disk and a few minutes to generate, and is deleted at the end.
# Every tool runs once, after its log has been read into the page cache. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then BUILD=$1
elif [ -n "${SQLHUNT_EXTENSION:-}" ]; then BUILD=$(dirname "$SQLHUNT_EXTENSION")
else BUILD=build; fi
MB=${2:-1024}
SEED=${AUDIT_BENCH_SEED:-3}
BIG_GB=${AUDIT_BENCH_WINDOW_GB:-10}
EXT=$BUILD/sqlhunt
WALK=$BUILD/bench/auparse_walk
OUT=bench/out
LOG=$OUT/audit_${MB}mb_seed${SEED}.log
META=$LOG.meta                  # the generator's facts line; written last, so it marks a whole log
BIG=$OUT/audit_${BIG_GB}gb_window.log
mkdir -p "$OUT"
for need in ausearch sqlite3 "$WALK"; do
  command -v "$need" >/dev/null || { echo "missing $need (scripts/setup; -DSQLHUNT_BENCH=ON)" >&2; exit 1; }
done
STATS=$(mktemp)
trap 'rm -f "$STATS" "$BIG" "$BIG.tmp"' EXIT
if [ ! -s "$META" ] || [ ! -s "$LOG" ]; then
  rm -f "$META"
  echo "generating $LOG ..."
  /usr/bin/python3 bench/gen_audit_log.py "$LOG" "$MB" --seed "$SEED" > "$META.tmp"
  mv "$META.tmp" "$META"
fi
fact() { sed -E "s/.*\\b$1=([^ ]+).*/\\1/" <<< "$2"; }
FACTS=$(cat "$META")
FIRST=$(fact first_epoch "$FACTS"); LAST=$(fact last_epoch "$FACTS"); EVENTS=$(fact events "$FACTS")
BYTES=$(stat -L -c %s "$LOG")
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S; }
aus() { date -u -d "@$1" '+%m/%d/%y %H:%M:%S'; }   # ausearch -ts/-te under LC_ALL=C TZ=UTC
# The window: the whole minute that starts in the middle of a log's time span.
middle() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (a + b) / 2 }'; }
W0=$(middle "$FIRST" "$LAST"); W1=$((W0 + 59))
WIN_EVENTS=$(awk -F'[(.:]' -v a="$W0" -v b="$W1" '$2 >= a && $2 <= b { s[$4] } END { print length(s) }' "$LOG")
printf 'log: %s, %.1f MB, %s events, %s records, %s .. %s UTC; window %s .. %s.999 (%s events)\n' \
  "$LOG" "$(awk -v b="$BYTES" 'BEGIN { print b / 1e6 }')" "$EVENTS" "$(fact records "$FACTS")" \
  "$(iso "${FIRST%.*}")" "$(iso "${LAST%.*}")" "$(iso "$W0")" "$(iso "$W1")" "$WIN_EVENTS"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "$(ausearch -v 2>&1 | head -1); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
cat "$LOG" > /dev/null         # into the page cache, so no run pays for the disk

# run NAME SIZE COUNT_FILTER CMD...: times CMD (stdout into COUNT_FILTER, which prints the
# run's event count and, for sqlhunt's windows, the bytes read), and records wall and CPU
# seconds, peak RSS, peak anonymous memory and the count.
declare -A T C M A N R S
run() {
  local name=$1 size=$2 filter=$3 out; shift 3
  out=$(LC_ALL=C TZ=UTC /usr/bin/python3 bench/measure.py "$STATS" "$@" | eval "$filter")
  N[$name]=${out%% *}; R[$name]=$( [ "$out" != "${out#* }" ] && echo "${out#* }" || echo "")
  local user sys
  read -r T[$name] M[$name] A[$name] user sys < "$STATS"
  C[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
  M[$name]=$(( ${M[$name]} / 1024 )); A[$name]=$(awk -v k="${A[$name]}" 'BEGIN { printf "%.1f", k / 1024 }')
  S[$name]=$size
}
csv_events='tail -n +2 | wc -l'          # ausearch csv: one line per event after the header
SQ=(sqlite3 -batch -cmd ".load $EXT" :memory:)
SQ1=(env SQLHUNT_AUDIT_THREADS=1 "${SQ[@]}")      # audit.threads = 1: one core
COLS="count(*), sum(length(time)) + sum(length(exe)) + sum(length(cmdline)) + sum(length(cwd)) + sum(length(uid)) + sum(length(addr))"
IO="SELECT json_extract(sqlhunt_debug('io'), '\$.bytes_read');"
# sqlhunt's output: "count|sum" then, for windows, the bytes read.
cols_count="cut -d'|' -f1"
window_count="cut -d'|' -f1 | paste -sd' '"

# An extension without audit_events (or none at all) leaves the sqlhunt rows out, so the
# rivals can be measured alone.
OURS=$("${SQ[@]}" "SELECT count(*) FROM pragma_module_list WHERE name = 'audit_events'" 2>/dev/null || echo 0)
[ "$OURS" = 1 ] || echo "($EXT.so has no audit_events: sqlhunt rows left out)"
between() { echo "time BETWEEN '$(iso "$1").000Z' AND '$(iso "$2").999Z'"; }

run ausearch_csv "$BYTES" "$csv_events" ausearch --format csv -if "$LOG"
run auparse_walk "$BYTES" "sed -E 's/^auparse_walk: ([0-9]+) events.*/\\1/'" "$WALK" "$LOG"
if [ "$OURS" = 1 ]; then
  run sqlhunt_count "$BYTES" "$cols_count" "${SQ1[@]}" "SELECT count(*) FROM audit_events('$LOG')"
  run sqlhunt_columns "$BYTES" "$cols_count" "${SQ1[@]}" "SELECT $COLS FROM audit_events('$LOG')"
  run sqlhunt_columns2 "$BYTES" "$cols_count" "${SQ[@]}" "SELECT $COLS FROM audit_events('$LOG')"
  run sqlhunt_window "$BYTES" "$window_count" "${SQ1[@]}" \
    "SELECT $COLS FROM audit_events('$LOG') WHERE $(between "$W0" "$W1")" "$IO"
fi
run ausearch_window "$BYTES" "$csv_events" ausearch --format csv -if "$LOG" -ts $(aus "$W0") -te $(aus "$W1")

if [ "$BIG_GB" != 0 ]; then
  echo "generating $BIG ($BIG_GB GB, deleted at the end) ..."
  BIG_FACTS=$(/usr/bin/python3 bench/gen_audit_log.py "$BIG" "$((BIG_GB * 1000))" --seed "$SEED")
  BIG_BYTES=$(stat -c %s "$BIG")
  B0=$(middle "$(fact first_epoch "$BIG_FACTS")" "$(fact last_epoch "$BIG_FACTS")"); B1=$((B0 + 59))
  printf 'window log: %s, %.1f MB, %s events, %s .. %s UTC; window %s .. %s.999\n' "$BIG" \
    "$(awk -v b="$BIG_BYTES" 'BEGIN { print b / 1e6 }')" "$(fact events "$BIG_FACTS")" \
    "$(iso "$(fact first_epoch "$BIG_FACTS" | cut -d. -f1)")" "$(iso "$(fact last_epoch "$BIG_FACTS" | cut -d. -f1)")" \
    "$(iso "$B0")" "$(iso "$B1")"
  cat "$BIG" > /dev/null || true   # into the page cache as far as it fits
  if [ "$OURS" = 1 ]; then
    run big_sqlhunt "$BIG_BYTES" "$window_count" "${SQ1[@]}" \
      "SELECT $COLS FROM audit_events('$BIG') WHERE $(between "$B0" "$B1")" "$IO"
  fi
  run big_ausearch "$BIG_BYTES" "$csv_events" ausearch --format csv -if "$BIG" -ts $(aus "$B0") -te $(aus "$B1")
  rm -f "$BIG"
fi

echo
printf '%-70s %9s %9s %11s %8s %8s %9s %s\n' "" "wall" "CPU" "CPU speed" "peak RSS" "anon" "events" "read"
row() {  # name label
  [ -n "${T[$1]:-}" ] || return 0
  local read=""
  [ -n "${R[$1]:-}" ] && read=$(awk -v r="${R[$1]}" -v s="${S[$1]}" 'BEGIN { printf "%.2f MB (%.3f%% of the file)", r / 1e6, 100 * r / s }')
  printf '%-70s %7.3f s %7.3f s %6.0f MB/s %5d MB %5.1f MB %9s %s\n' "$2" "${T[$1]}" "${C[$1]}" \
    "$(awk -v b="${S[$1]}" -v s="${C[$1]}" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')" "${M[$1]}" "${A[$1]}" \
    "${N[$1]}" "$read"
}
row ausearch_csv     "ausearch --format csv -if LOG"
row auparse_walk     "auparse_walk (libauparse, every field of every record)"
row sqlhunt_count    "sqlhunt: SELECT count(*) FROM audit_events(LOG), 1 thread"
row sqlhunt_columns  "sqlhunt: time, exe, cmdline, cwd, uid, addr of every event, 1 thread"
row sqlhunt_columns2 "sqlhunt: the same columns, 2 threads (the default)"
row sqlhunt_window   "sqlhunt: same columns, one-minute window (time BETWEEN)"
row ausearch_window  "ausearch --format csv -ts/-te, same minute"
row big_sqlhunt      "sqlhunt: one-minute window in the middle of the ${BIG_GB} GB log"
row big_ausearch     "ausearch --format csv -ts/-te, same minute, same ${BIG_GB} GB log"
echo "(CPU is user+sys of all threads; speed is the file's size over the CPU time. Peak RSS"
echo " counts the log's pages a tool maps, and libauparse and ausearch mmap all of it; anon"
echo " is the peak of what the tool allocated, sampled every 5 ms)"
ratio() {  # ours theirs label [goal]: CPU-time ratio theirs/ours, and whether it meets ">= N"
  [ -n "${C[$1]:-}" ] && [ -n "${C[$2]:-}" ] || return 0
  awk -v a="${C[$1]}" -v b="${C[$2]}" -v l="$3" -v t="${4:-}" \
    'BEGIN { r = (a > 0 ? b / a : 0)
             if (t == "") printf "  %-66s %8.1fx  (no goal set)\n", l, r
             else printf "  %-66s %8.1fx  (goal %s: %s)\n", l, r, t, (r >= substr(t, 4) + 0 ? "met" : "NOT met") }'
}
echo
echo "Ratios in CPU time:"
ratio sqlhunt_columns ausearch_csv "column query (1 thread) vs ausearch --format csv" ">= 40"
ratio sqlhunt_columns auparse_walk "column query (1 thread) vs libauparse walk" ">= 6"
ratio sqlhunt_count auparse_walk "count(*) (1 thread) vs libauparse walk" ">= 3"
ratio sqlhunt_window ausearch_window "one-minute window vs ausearch -ts/-te (${MB} MB log)"
ratio big_sqlhunt big_ausearch "one-minute window vs ausearch -ts/-te (${BIG_GB} GB log)" ">= 50"
if [ -n "${C[sqlhunt_count]:-}" ]; then
  awk -v b="$BYTES" -v s="${C[sqlhunt_count]}" \
    'BEGIN { r = b / 1e6 / s; printf "  %-66s %6.0f MB/s (goal >= 1000 MB/s: %s)\n", "count(*) (1 thread), CPU speed", r, (r >= 1000 ? "met" : "NOT met") }'
fi
if [ -n "${T[big_sqlhunt]:-}" ]; then
  awk -v a="${T[big_sqlhunt]}" -v b="${T[big_ausearch]:-0}" -v gb="$BIG_GB" \
    'BEGIN { printf "  %-66s %8.3f s  (goal < 0.5 s: %s); %.1fx ausearch in wall time (goal >= 50: %s)\n",
             "one-minute window in " gb " GB, wall time", a, (a < 0.5 ? "met" : "NOT met"), (a > 0 ? b / a : 0), (a > 0 && b / a >= 50 ? "met" : "NOT met") }'
fi
peak() { printf '%s\n' "$@" | sort -g | tail -1; }
[ "$OURS" = 1 ] && printf '  %-66s %5d MB RSS, %.1f MB anon  (goal < 100 MB)\n' "sqlhunt peak memory, largest of its runs" \
  "$(peak "${M[sqlhunt_count]}" "${M[sqlhunt_columns]}" "${M[sqlhunt_columns2]}" "${M[sqlhunt_window]}" "${M[big_sqlhunt]:-0}")" \
  "$(peak "${A[sqlhunt_count]}" "${A[sqlhunt_columns]}" "${A[sqlhunt_columns2]}" "${A[sqlhunt_window]}" "${A[big_sqlhunt]:-0}")"

# The counts must agree, or the speeds compare different work.
bad=0
for k in ausearch_csv auparse_walk sqlhunt_count sqlhunt_columns sqlhunt_columns2; do
  [ -n "${N[$k]+set}" ] || continue
  [ "${N[$k]}" = "$EVENTS" ] || { echo "MISMATCH: $k saw ${N[$k]} events, the generator wrote $EVENTS" >&2; bad=1; }
done
for k in sqlhunt_window ausearch_window; do
  [ -n "${N[$k]+set}" ] || continue
  [ "${N[$k]}" = "$WIN_EVENTS" ] || { echo "MISMATCH: $k saw ${N[$k]} events in the window, the log holds $WIN_EVENTS" >&2; bad=1; }
done
if [ -n "${N[big_sqlhunt]+set}" ] && [ -n "${N[big_ausearch]+set}" ] && [ "${N[big_sqlhunt]}" != "${N[big_ausearch]}" ]; then
  echo "MISMATCH: in the ${BIG_GB} GB log's window sqlhunt saw ${N[big_sqlhunt]} events, ausearch ${N[big_ausearch]}" >&2; bad=1
fi
exit $bad
