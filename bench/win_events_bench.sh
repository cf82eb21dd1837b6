#!/usr/bin/env bash
# bench/win_events_bench.sh — win_events against the tools an analyst would otherwise
# run, in one run, timed in CPU (user + sys) and wall time, with peak memory:
#
#   1. EVTX: a large log built from the shared samples' whole chunks (security.evtx,
#      sysmon.evtx, ... repeated), read by win_events, Debian's evtxexport (libevtx,
#      -f xml and its default text form) and python-evtx (evtx_dump.py) on the same file.
#      Goal: at least 20x evtxexport.
#   2. A Sentinel SecurityEvent export as JSON lines (the shared all_events.jsonl and
#      failed_logons.jsonl repeated: EventData as XML text, flattened columns), the same
#      fields selected by win_events and by `jq -c`. Goal: ahead of jq.
#
#   bench/win_events_bench.sh [EVTX_MB] [JSON_MB]   (defaults 24 and 1000; inputs go to
#                                                    bench/out/, git-ignored)
# python-evtx reads ~0.1 MB/s: at 24 MB it alone takes about four minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
EVTX_MB=${1:-24}
JSON_MB=${2:-1000}
EXT=${SQLHUNT_EXTENSION:-build/sqlhunt.so}
DS=${SQLHUNT_DATASETS:-../shared/datasets}
OUT=bench/out
mkdir -p "$OUT"
PY=/usr/bin/python3
EVTX=$OUT/win_events_big.evtx
JSONL=$OUT/securityevent.jsonl

# ---- inputs -------------------------------------------------------------------------
$PY - "$DS" "$EVTX" "$EVTX_MB" "$JSONL" "$JSON_MB" <<'PYEOF'
import binascii, json, os, struct, sys
ds, evtx, evtx_mb, jsonl, json_mb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])

if not os.path.exists(evtx) or os.path.getsize(evtx) < evtx_mb * 1_000_000:
    # Every whole, undamaged chunk of the samples (signature, header checksum right).
    chunks, header = [], None
    for name in ("security.evtx", "sysmon.evtx", "plaso_System2_truncated.evtx", "Application_no_crc32.evtx",
                 "new-user-security.evtx", "Security_short_selected.evtx"):
        data = open(f"{ds}/windows/evtx/{name}", "rb").read()
        header = header or data[:4096]
        for off in range(4096, len(data) - 65535, 65536):
            c = data[off:off + 65536]
            crc = struct.unpack_from("<I", c, 124)[0]
            if c[:8] == b"ElfChnk\0" and crc and crc == binascii.crc32(c[:120] + c[128:512]) & 0xFFFFFFFF:
                chunks.append(c)
    n = (evtx_mb * 1_000_000 - 4096) // 65536 + 1
    # A file header that counts them all, with its checksum, as Windows writes one.
    h = bytearray(header)
    struct.pack_into("<QQQ", h, 8, 0, n - 1, 1)
    struct.pack_into("<H", h, 42, min(n, 0xFFFF))
    struct.pack_into("<I", h, 120, 0)
    struct.pack_into("<I", h, 124, binascii.crc32(bytes(h[:120])) & 0xFFFFFFFF)
    with open(evtx, "wb") as f:
        f.write(h)
        for i in range(n):
            f.write(chunks[i % len(chunks)])

if not os.path.exists(jsonl) or os.path.getsize(jsonl) < json_mb * 1_000_000:
    lines = [l.rstrip("\n") for f in ("all_events.jsonl", "failed_logons.jsonl")
             for l in open(f"{ds}/windows/{f}", encoding="utf-8") if l.strip()]
    target, size = json_mb * 1_000_000, 0
    with open(jsonl, "w", encoding="utf-8") as f:
        while size < target:
            for l in lines:
                f.write(l + "\n")
                size += len(l) + 1
PYEOF
evtx_bytes=$(stat -c %s "$EVTX")
json_bytes=$(stat -c %s "$JSONL")
json_events=$(wc -l < "$JSONL")
printf '%s: %.1f MB\n%s: %.1f MB, %d events\n' "$EVTX" "$(echo "$evtx_bytes/1000000" | bc -l)" \
  "$JSONL" "$(echo "$json_bytes/1000000" | bc -l)" "$json_events"

# ---- measuring ----------------------------------------------------------------------
# run NAME CMD...: prints wall and CPU seconds and peak memory, and remembers the CPU.
declare -A CPU
run() {
  local name=$1; shift
  local res wall user sys rss
  res=$( { /usr/bin/time -f '%e %U %S %M' "$@" >/dev/null; } 2>&1 | tail -1)
  read -r wall user sys rss <<<"$res"
  CPU[$name]=$(echo "$user + $sys" | bc -l)
  printf '  %-30s wall %7.2f s  cpu %7.2f s  %6d MB' "$name" "$wall" "${CPU[$name]}" $((rss / 1024))
}
mbs() { printf '  %8.1f MB/s (cpu)\n' "$(echo "$1 / 1000000 / ${CPU[$2]}" | bc -l)"; }
eps() { printf '  %10.0f events/s (cpu)\n' "$(echo "$1 / ${CPU[$2]}" | bc -l)"; }
ratio() { # ratio FAST SLOW GOAL: how many times the CPU time of SLOW is FAST's
  local r; r=$(echo "${CPU[$2]} / ${CPU[$1]}" | bc -l)
  printf '  => %s takes %.1fx the CPU time of %s' "$2" "$r" "$1"
  if [ -n "${3:-}" ]; then
    if (( $(echo "$r >= $3" | bc -l) )); then printf '  (goal %sx: met)\n' "$3"; else printf '  (goal %sx: NOT met)\n' "$3"; fi
  else printf '\n'; fi
}
SQ=(sqlite3 -batch -cmd ".load $EXT" :memory:)

echo "== EVTX: every event as XML (win_events' raw column; evtxexport -f xml; python-evtx's evtx_dump.py)"
run win_events_raw "${SQ[@]}" "select sum(length(raw)) from win_events('$EVTX')"; mbs "$evtx_bytes" win_events_raw
run evtxexport_xml evtxexport -f xml "$EVTX"; mbs "$evtx_bytes" evtxexport_xml
run python_evtx_xml evtx_dump.py "$EVTX"; mbs "$evtx_bytes" python_evtx_xml
ratio win_events_raw evtxexport_xml 20
ratio win_events_raw python_evtx_xml

echo "== EVTX: every event's strings (win_events' event_data; evtxexport's text form)"
run win_events_data "${SQ[@]}" "select count(*), sum(length(event_data)) from win_events('$EVTX')"; mbs "$evtx_bytes" win_events_data
run evtxexport_text evtxexport "$EVTX"; mbs "$evtx_bytes" evtxexport_text
ratio win_events_data evtxexport_text 20

echo "== EVTX: the investigation's query (logons by account and type), and a count by event id"
run win_events_logons "${SQ[@]}" "select target_domain, target_user, logon_type_name, count(*) from win_events('$EVTX') where event_id = 4624 group by 1, 2, 3"; mbs "$evtx_bytes" win_events_logons
run win_events_ids "${SQ[@]}" "select event_id, count(*) from win_events('$EVTX') group by 1"; mbs "$evtx_bytes" win_events_ids
ratio win_events_logons evtxexport_text 20

echo "== SecurityEvent JSON lines: the same fields, every event (EventData XML parsed by win_events)"
run win_events_json "${SQ[@]}" "select time, event_id, computer, subject_user, target_user, logon_type, ip_address from win_events('$JSONL')"; eps "$json_events" win_events_json
run jq "jq" -c "{TimeGenerated, EventID, Computer, SubjectUserName, TargetUserName, LogonType, IpAddress}" "$JSONL"; eps "$json_events" jq
ratio win_events_json jq 1
