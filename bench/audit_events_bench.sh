#!/usr/bin/env bash
# bench/audit_events_bench.sh — audit_events() over a large raw auditd log, against the
# reference tools in the same run, on the same file:
#   1. ausearch --format csv -if LOG            (every event, interpreted; auditd's CLI)
#   2. auparse_walk LOG                         (libauparse touching every field; C)
#   3. sqlhunt: SELECT count(*) FROM audit_events(LOG)
#   4. sqlhunt: time, exe, cmdline, cwd, uid, addr read for every event
#   5. a one-minute window in the middle: sqlhunt (WHERE time BETWEEN) and ausearch -ts/-te
# It prints wall time, MB/s (1 MB = 10^6 bytes of log; for the windows, the whole file's
# size over the time, i.e. what scanning it would have to reach), peak RSS and peak
# anonymous memory (bench/measure.py: RSS counts the mapped log's pages, "anon" is what
# the tool allocated; libauparse and ausearch mmap the whole log), the number
# of events each one saw (they must agree), and the ratios issue 3 sets targets for:
# column query >= 20x ausearch csv, count(*) >= 3x the libauparse walk, RSS < 100 MB.
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSQLHUNT_BENCH=ON && cmake --build build -j2
#   bench/audit_events_bench.sh [BUILD_DIR] [SIZE_MB]      (default build, 1024)
# BUILD_DIR defaults to the folder of $SQLHUNT_EXTENSION (set by scripts/bench), else build.
# The log (bench/out/audit_<SIZE>mb_seed<N>.log, git-ignored) is made once by
# bench/gen_audit_log.py and reused; AUDIT_BENCH_SEED picks another seed (default 3).
# Every tool runs once, after the log has been read into the page cache. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then BUILD=$1
elif [ -n "${SQLHUNT_EXTENSION:-}" ]; then BUILD=$(dirname "$SQLHUNT_EXTENSION")
else BUILD=build; fi
MB=${2:-1024}
SEED=${AUDIT_BENCH_SEED:-3}
EXT=$BUILD/sqlhunt
WALK=$BUILD/bench/auparse_walk
OUT=bench/out
LOG=$OUT/audit_${MB}mb_seed${SEED}.log
META=$LOG.meta                  # the generator's facts line; written last, so it marks a whole log
mkdir -p "$OUT"
for need in ausearch sqlite3 "$WALK"; do
  command -v "$need" >/dev/null || { echo "missing $need (scripts/setup; -DSQLHUNT_BENCH=ON)" >&2; exit 1; }
done
if [ ! -s "$META" ] || [ ! -s "$LOG" ]; then
  rm -f "$META"
  echo "generating $LOG ..."
  /usr/bin/python3 bench/gen_audit_log.py "$LOG" "$MB" --seed "$SEED" > "$META.tmp"
  mv "$META.tmp" "$META"
fi
fact() { sed -E "s/.*\\b$1=([^ ]+).*/\\1/" "$META"; }
FIRST=$(fact first_epoch); LAST=$(fact last_epoch); EVENTS=$(fact events)
BYTES=$(stat -L -c %s "$LOG")
# The window: the whole minute that starts in the middle of the log's time span.
W0=$(awk -v a="$FIRST" -v b="$LAST" 'BEGIN { printf "%d", (a + b) / 2 }'); W1=$((W0 + 59))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S; }
aus() { date -u -d "@$1" '+%m/%d/%y %H:%M:%S'; }   # ausearch -ts/-te under LC_ALL=C TZ=UTC
WIN_EVENTS=$(awk -F'[(.:]' -v a="$W0" -v b="$W1" '$2 >= a && $2 <= b { s[$4] } END { print length(s) }' "$LOG")
printf 'log: %s, %.1f MB, %s events, %s records, %s .. %s UTC; window %s .. %s.999 (%s events)\n' \
  "$LOG" "$(awk -v b="$BYTES" 'BEGIN { print b / 1e6 }')" "$EVENTS" "$(fact records)" \
  "$(iso "${FIRST%.*}")" "$(iso "${LAST%.*}")" "$(iso "$W0")" "$(iso "$W1")" "$WIN_EVENTS"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(ausearch -v 2>&1 | head -1); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
cat "$LOG" > /dev/null         # into the page cache, so no run pays for the disk

# run NAME COUNT_FILTER CMD...: times CMD (stdout into COUNT_FILTER, which prints the
# run's event count), records seconds, peak RSS, peak anonymous memory and the count.
declare -A T M A N
STATS=$(mktemp); trap 'rm -f "$STATS"' EXIT
run() {
  local name=$1 filter=$2; shift 2
  N[$name]=$(LC_ALL=C TZ=UTC /usr/bin/python3 bench/measure.py "$STATS" "$@" | eval "$filter")
  read -r T[$name] M[$name] A[$name] < "$STATS"
  M[$name]=$(( ${M[$name]} / 1024 )); A[$name]=$(awk -v k="${A[$name]}" 'BEGIN { printf "%.1f", k / 1024 }')
}
csv_events='tail -n +2 | wc -l'          # ausearch csv: one line per event after the header
SQ=(sqlite3 -batch -cmd ".load $EXT" :memory:)
COLS="count(*), sum(length(time)) + sum(length(exe)) + sum(length(cmdline)) + sum(length(cwd)) + sum(length(uid)) + sum(length(addr))"

# An extension without audit_events (or none at all) leaves the sqlhunt rows out, so the
# rivals can be measured alone.
OURS=$("${SQ[@]}" "SELECT count(*) FROM pragma_module_list WHERE name = 'audit_events'" 2>/dev/null || echo 0)
[ "$OURS" = 1 ] || echo "($EXT.so has no audit_events: sqlhunt rows left out)"

run ausearch_csv "$csv_events" ausearch --format csv -if "$LOG"
run auparse_walk "sed -E 's/^auparse_walk: ([0-9]+) events.*/\\1/'" "$WALK" "$LOG"
if [ "$OURS" = 1 ]; then
  run sqlhunt_count cat "${SQ[@]}" "SELECT count(*) FROM audit_events('$LOG')"
  run sqlhunt_columns "cut -d'|' -f1" "${SQ[@]}" "SELECT $COLS FROM audit_events('$LOG')"
  run sqlhunt_window "cut -d'|' -f1" "${SQ[@]}" \
    "SELECT $COLS FROM audit_events('$LOG') WHERE time BETWEEN '$(iso "$W0").000Z' AND '$(iso "$W1").999Z'"
fi
run ausearch_window "$csv_events" ausearch --format csv -if "$LOG" -ts $(aus "$W0") -te $(aus "$W1")

echo
printf '%-58s %9s %10s %9s %8s %9s\n' "" "time" "speed" "peak RSS" "anon" "events"
row() {  # name label
  [ -n "${T[$1]:-}" ] || return 0
  printf '%-58s %7.3f s %5.0f MB/s %6d MB %5.1f MB %9s\n' "$2" "${T[$1]}" \
    "$(awk -v b="$BYTES" -v s="${T[$1]}" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')" "${M[$1]}" "${A[$1]}" "${N[$1]}"
}
row ausearch_csv    "ausearch --format csv -if LOG"
row auparse_walk    "auparse_walk (libauparse, every field of every record)"
row sqlhunt_count   "sqlhunt: SELECT count(*) FROM audit_events(LOG)"
row sqlhunt_columns "sqlhunt: time, exe, cmdline, cwd, uid, addr of every event"
row sqlhunt_window  "sqlhunt: same columns, one-minute window (time BETWEEN)"
row ausearch_window "ausearch --format csv -ts/-te, same minute"
echo "(peak RSS counts the log's pages a tool maps, and libauparse and ausearch mmap all of it;"
echo " anon is the peak of what the tool allocated, sampled every 5 ms)"
ratio() {  # ours theirs label target
  [ -n "${T[$1]:-}" ] || return 0
  awk -v a="${T[$1]}" -v b="${T[$2]}" -v l="$3" -v t="$4" \
    'BEGIN { r = (a > 0 ? b / a : 0); printf "  %-52s %7.1fx  (target %s)\n", l, r, t }'
}
echo
ratio sqlhunt_columns ausearch_csv "column query vs ausearch --format csv" ">= 20x"
ratio sqlhunt_count auparse_walk "count(*) vs libauparse walk" ">= 3x"
ratio sqlhunt_window ausearch_window "one-minute window vs ausearch -ts/-te" "none set"
peak() { printf '%s\n' "$@" | sort -g | tail -1; }
[ "$OURS" = 1 ] && printf '  %-52s %5d MB RSS, %.1f MB anon  (target < 100 MB)\n' "sqlhunt peak memory, largest of the three" \
  "$(peak "${M[sqlhunt_count]}" "${M[sqlhunt_columns]}" "${M[sqlhunt_window]}")" \
  "$(peak "${A[sqlhunt_count]}" "${A[sqlhunt_columns]}" "${A[sqlhunt_window]}")"

# The counts must agree, or the speeds compare different work.
bad=0
for k in ausearch_csv auparse_walk sqlhunt_count sqlhunt_columns; do
  [ -n "${N[$k]+set}" ] || continue
  [ "${N[$k]}" = "$EVENTS" ] || { echo "MISMATCH: $k saw ${N[$k]} events, the generator wrote $EVENTS" >&2; bad=1; }
done
for k in sqlhunt_window ausearch_window; do
  [ -n "${N[$k]+set}" ] || continue
  [ "${N[$k]}" = "$WIN_EVENTS" ] || { echo "MISMATCH: $k saw ${N[$k]} events in the window, the log holds $WIN_EVENTS" >&2; bad=1; }
done
exit $bad
