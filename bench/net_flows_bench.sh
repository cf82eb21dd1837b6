#!/usr/bin/env bash
# bench/net_flows_bench.sh — net_flows over a generated Zeek conn.log (1 GB by default),
# against what an analyst runs on Zeek logs without sqlhunt: zeek-cut, here as the awk
# program it is in spirit (fields picked by their #fields names), with the system awk
# (mawk on Debian: the fastest awk there is). Each question is asked of both, in one run;
# CPU time (user + sys) is measured, and rows per CPU second = data lines / CPU seconds.
#
#   bench/net_flows_bench.sh [MB]        (default 1000; the log goes to bench/out/, git-ignored)
#
# The questions:
#   cut       every connection's ts, addresses, ports, proto and bytes, written out
#             (zeek-cut's own job; sqlhunt's output is the sqlite3 shell's tab mode,
#             the time as ISO text, as `zeek-cut -d` writes it; awk writes ts as it is).
#             Behind awk (7.4M rows, 2026-12-07: 13.7 vs 8.4 CPU s; an earlier run 18.5 vs
#             10.6): perf, on the earlier run, puts 73% of it in
#             the sqlite3 shell's printing and SQLite's int-to-text (libsqlite3 + libc),
#             27% in net_flows, so the reader alone cannot close that gap; `read` below
#             is the reader's own cost.
#   read      the same columns read and summed, nothing written: what net_flows itself
#             costs, without the sqlite3 shell's printing
#   host      the connections of one host, either end, counted with their bytes
#   ports     connections and bytes per destination port
#   talkers   the ten busiest (originator, responder) pairs
# net_flows parses and checks what it reads (addresses normalised, times, counts); awk
# splits fields and compares text. Both give the same answers (checked below).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1000}
EXT=${SQLHUNT_EXTENSION:-build/sqlhunt.so}
OUT=bench/out
LOG=$OUT/conn_${MB}mb.log
AWK=${AWK:-awk}
mkdir -p "$OUT"
[ -s "$LOG" ] || /usr/bin/python3 bench/gen_conn_log.py "$LOG" "$MB"
LINES=$(grep -vc '^#' "$LOG")
printf 'input: %s, %.0f MB, %d connections; awk: %s\n' "$LOG" "$(( $(stat -L -c %s "$LOG") / 1000000 ))" "$LINES" \
  "$("$AWK" -W version 2>&1 | head -1)"

# run NAME CMD...: prints NAME, wall and CPU seconds, rows per CPU second; keeps CPU.
declare -A CPU
run() {
  local name=$1; shift
  local res wall user sys
  res=$( { /usr/bin/time -f '%e %U %S' "$@" > "$OUT/$name.out"; } 2>&1 | tail -1)
  read -r wall user sys <<< "$res"
  CPU[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  awk -v n="$name" -v w="$wall" -v c="${CPU[$name]}" -v l="$LINES" \
    'BEGIN { printf "  %-16s wall %6.2f s   cpu %6.2f s   %6.2f M rows/cpu-s\n", n, w, c, l / c / 1e6 }'
}
ratio() {  # ratio SQLHUNT AWK
  awk -v a="${CPU[$2]}" -v s="${CPU[$1]}" -v n1="$1" -v n2="$2" \
    'BEGIN { printf "  => %s uses %.2fx the CPU time of %s (%s)\n", n2, a / s, n1, (a > s ? "ahead: goal met" : "behind: goal NOT met") }'
}
same() {  # same A B: the two outputs hold the same lines
  if cmp -s <(sort "$OUT/$1.out") <(sort "$OUT/$2.out"); then echo "  (same answers)"
  else echo "  DIFFERENT ANSWERS: $OUT/$1.out vs $OUT/$2.out"; exit 1; fi
}
SQ=(sqlite3 -batch -cmd ".load $EXT" -cmd ".mode tabs" :memory:)
# zeek-cut in awk: a column map from #fields, then the wanted fields by name.
ZCUT='/^#fields/ { for (f = 2; f <= NF; f++) c[$f] = f - 1; next } /^#/ { next }'
F="'$LOG'"

echo "== cut: ts, addresses, ports, proto, bytes of every connection, written out"
run sqlhunt_cut "${SQ[@]}" "select time, src_ip, src_port, dst_ip, dst_port, protocol, bytes_out, bytes_in from net_flows($F)"
run awk_cut "$AWK" -F'\t' -v OFS='\t' "$ZCUT"' { print $c["ts"], $c["id.orig_h"], $c["id.orig_p"], $c["id.resp_h"], $c["id.resp_p"], $c["proto"], $c["orig_ip_bytes"], $c["resp_ip_bytes"] }' "$LOG"
ratio sqlhunt_cut awk_cut
echo "  (not compared line by line: the time is written as ISO text by one, as Zeek's ts by the other)"

echo "== read: the same columns of every connection read and summed, nothing written"
run sqlhunt_read "${SQ[@]}" "select count(*), sum(length(time)), count(src_ip), sum(src_port), count(dst_ip), sum(dst_port), count(protocol), sum(bytes_out), sum(bytes_in) from net_flows($F)"
run awk_read "$AWK" -F'\t' -v OFS='\t' "$ZCUT"' { n++; t += length($c["ts"]); if ($c["id.orig_h"] != "") so++; sp += $c["id.orig_p"]; if ($c["id.resp_h"] != "") ro++; rp += $c["id.resp_p"]; if ($c["proto"] != "") pr++; bo += $c["orig_ip_bytes"]; bi += $c["resp_ip_bytes"] } END { printf "%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\n", n, t, so, sp, ro, rp, pr, bo, bi }' "$LOG"
ratio sqlhunt_read awk_read
echo "  (sums of lengths differ: the ISO time is 24 characters, Zeek's ts 17)"

echo "== host: one host's connections, either end, with their bytes"
run sqlhunt_host "${SQ[@]}" "select count(*), sum(bytes_out), sum(bytes_in) from net_flows($F) where src_ip = '23.97.60.214' or dst_ip = '23.97.60.214'"
run awk_host "$AWK" -F'\t' -v OFS='\t' "$ZCUT"' $c["id.orig_h"] == "23.97.60.214" || $c["id.resp_h"] == "23.97.60.214" { n++; bo += $c["orig_ip_bytes"]; bi += $c["resp_ip_bytes"] } END { printf "%.0f\t%.0f\t%.0f\n", n, bo, bi }' "$LOG"
ratio sqlhunt_host awk_host; same sqlhunt_host awk_host

echo "== ports: connections and bytes per destination port"
run sqlhunt_ports "${SQ[@]}" "select dst_port, count(*), sum(bytes_out) from net_flows($F) group by 1"
run awk_ports "$AWK" -F'\t' -v OFS='\t' "$ZCUT"' { p = $c["id.resp_p"]; n[p]++; b[p] += $c["orig_ip_bytes"] } END { for (p in n) printf "%s\t%.0f\t%.0f\n", p, n[p], b[p] }' "$LOG"
ratio sqlhunt_ports awk_ports; same sqlhunt_ports awk_ports

echo "== talkers: the ten busiest originator/responder pairs"
run sqlhunt_talkers "${SQ[@]}" "select src_ip, dst_ip, count(*) from net_flows($F) group by 1, 2 order by 3 desc, 1, 2 limit 10"
run awk_talkers sh -c "$AWK -F'\t' -v OFS='\t' '$ZCUT"' { n[$c["id.orig_h"] "\t" $c["id.resp_h"]]++ } END { for (k in n) print k, n[k] }'"' '$LOG' | LC_ALL=C sort -t'	' -k3,3nr -k1,1 -k2,2 | head -10"
ratio sqlhunt_talkers awk_talkers; same sqlhunt_talkers awk_talkers
