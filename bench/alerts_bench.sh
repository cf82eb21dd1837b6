#!/usr/bin/env bash
# bench/alerts_bench.sh — alerts() and alert_entities() over ~100 MB exports, against the
# tools an analyst would otherwise use in the same run: Python's json/csv modules (what
# the notebook's pandas/msticpy path does underneath; pandas is not installed here) and
# jq. Prints wall time, peak memory (max RSS) and the ratio to sqlhunt for each.
#
#   bench/alerts_bench.sh [MB]          (default 100; inputs go to bench/out/, git-ignored)
#
# Inputs are the shared exports repeated (fresh SystemAlertId per copy):
#   alerts.jsonl  JSON lines;  alerts.json  one JSON array (pretty-printed, like an
#   `az` / portal export);  alerts.csv  the CSV export with its multi-line JSON cells.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
EXT=${SQLHUNT_EXTENSION:-build/sqlhunt.so}
DS=${SQLHUNT_DATASETS:-../shared/datasets}
OUT=bench/out
mkdir -p "$OUT"
PY=/usr/bin/python3

if [ ! -s "$OUT/alerts.jsonl" ] || [ "$(( $(stat -c %s "$OUT/alerts.jsonl") / 1000000 ))" -lt "$MB" ]; then
  $PY - "$DS" "$OUT" "$MB" <<'PYEOF'
import csv, io, json, sys
ds, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = mb * 1_000_000
lines = [json.loads(l) for l in open(f"{ds}/alerts/alerts_list.jsonl", encoding="utf-8")]
with open(f"{out}/alerts.jsonl", "w", encoding="utf-8") as fl, open(f"{out}/alerts.json", "w", encoding="utf-8") as fa:
    fa.write("[\n")
    n = size = 0
    while size < target:
        for r in lines:
            r = dict(r, SystemAlertId=f"{n:08d}-{r['SystemAlertId']}")
            s = json.dumps(r, ensure_ascii=False)
            fl.write(s + "\n")
            fa.write(("" if n == 0 else ",\n") + json.dumps(r, ensure_ascii=False, indent=2))
            size += len(s) + 1
            n += 1
    fa.write("\n]\n")
src = open(f"{ds}/alerts/alertlist.csv", encoding="utf-8", newline="").read()
header, rest = src.split("\r\n", 1)
with open(f"{out}/alerts.csv", "w", encoding="utf-8", newline="") as fc:
    fc.write(header + "\r\n")
    size = 0
    while size < target:
        fc.write(rest)
        size += len(rest)
PYEOF
fi
ls -l "$OUT"/alerts.jsonl "$OUT"/alerts.json "$OUT"/alerts.csv | awk '{printf "%s %.1f MB\n", $NF, $5/1e6}'

# run NAME CMD...: prints "NAME  seconds  maxRSS-MB" and remembers them.
declare -A T M
run() {
  local name=$1; shift
  local res
  res=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -1)
  T[$name]=${res% *}; M[$name]=$(( ${res#* } / 1024 ))
  printf '  %-34s %7.2f s %7d MB\n' "$name" "${T[$name]}" "${M[$name]}"
}
ratio() { awk -v a="${T[$2]}" -v b="${T[$1]}" -v ma="${M[$2]}" -v mb="${M[$1]}" -v n1="$1" -v n2="$2" \
  'BEGIN { printf "  => %s takes %.1fx the time and %.1fx the memory of %s\n", n2, a / b, ma / mb, n1 }'; }
SQ=(sqlite3 -batch -cmd ".load $EXT" :memory:)

echo "== JSON lines: alerts by name"
run sqlhunt_jsonl "${SQ[@]}" "select alert_name, count(*) from alerts('$OUT/alerts.jsonl') group by 1"
run python_json_lines $PY -c "
import json, collections, sys
c = collections.Counter(json.loads(l)['AlertName'] for l in open(sys.argv[1], encoding='utf-8'))" "$OUT/alerts.jsonl"
run jq_jsonl sh -c "jq -r .AlertName '$OUT/alerts.jsonl' | sort | uniq -c"
ratio sqlhunt_jsonl python_json_lines; ratio sqlhunt_jsonl jq_jsonl

echo "== JSON lines: every column (Entities and ExtendedProperties decoded a second time)"
run sqlhunt_jsonl_all "${SQ[@]}" "select count(*), count(parse_error), max(time), sum(length(entities)), sum(length(extended_properties)), sum(length(record)), count(compromised_entity), count(remediation_steps) from alerts('$OUT/alerts.jsonl')"
run python_jsonl_all $PY -c "
import json, sys
n = 0
for l in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(l)
    e = json.dumps(json.loads(r['Entities'] or 'null'), separators=(',', ':'))
    x = json.loads(r['ExtendedProperties'] or 'null')
    c = r['CompromisedEntity'] or (x or {}).get('Compromised Host')
    s = json.loads(r['RemediationSteps']) if r['RemediationSteps'] else None
    n += 1" "$OUT/alerts.jsonl"
ratio sqlhunt_jsonl_all python_jsonl_all

echo "== JSON array: alerts by name"
run sqlhunt_array "${SQ[@]}" "select alert_name, count(*) from alerts('$OUT/alerts.json') group by 1"
run python_json_load $PY -c "
import json, collections, sys
c = collections.Counter(r['AlertName'] for r in json.load(open(sys.argv[1], encoding='utf-8')))" "$OUT/alerts.json"
run jq_array sh -c "jq -r '.[].AlertName' '$OUT/alerts.json' | sort | uniq -c"
ratio sqlhunt_array python_json_load; ratio sqlhunt_array jq_array

echo "== CSV export: alerts by name"
run sqlhunt_csv "${SQ[@]}" "select alert_name, count(*) from alerts('$OUT/alerts.csv') group by 1"
run python_csv $PY -c "
import csv, collections, sys
c = collections.Counter(r['AlertName'] for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))" "$OUT/alerts.csv"
ratio sqlhunt_csv python_csv

echo "== JSON lines: every entity (Entities decoded twice, \$ref resolved)"
run sqlhunt_entities "${SQ[@]}" "select e.type, count(*) from alerts('$OUT/alerts.jsonl') a, alert_entities(a.entities) e group by 1"
run python_entities $PY -c "
import json, collections, sys
c = collections.Counter()
for l in open(sys.argv[1], encoding='utf-8'):
    for e in json.loads(json.loads(l)['Entities'] or '[]'):
        c[e.get('Type')] += 1" "$OUT/alerts.jsonl"
ratio sqlhunt_entities python_entities
echo "(python_entities counts top-level entities only and resolves no \$ref: less work than sqlhunt)"
