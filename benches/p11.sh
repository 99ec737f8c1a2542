#!/usr/bin/env bash
# P11 of shared/PERFORMANCE.md: kterm, kdash and kubetui at 10k, 50k and 150k pods (20 a
# namespace), ONE simulator per size, every app under a watchdog that kills it past 4 GB RSS.
# A peer that is killed, crashes or shows no rows within 120 s is recorded as failing, with its
# RSS at that point. For kterm at each size: peak RSS, first rows, all pods counted, idle CPU and
# LIST requests after sync, `j` → frame, filter keystrokes, tenant switches (the picker), the
# overview (its keys and idle CPU) and the log view; at the largest size also P10 (benches/p10.sh
# on the same simulator: a 410 and a server restart, longest blank table). Prints Markdown tables
# with the P11 budgets and keeps the raw JSON under target/bench-p11/.
#
# Usage: benches/p11.sh [--sizes "10000 50000 150000"] [--idle S] [--peers DIR] [--no-peers] [--no-p10]
#   --sizes     pods per simulator (namespaces = pods / 20)
#   --idle S    seconds after sync before the keys (idle CPU window = S - 5); default 30
#   --peers DIR the peers' binaries (default $KTERM_PEERS or /work/peers/bin)
# SIM_LIMIT_MB (default 6144) is the simulator's own watchdog. A measurement, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes="10000 50000 150000" idle=30 peers=${KTERM_PEERS:-/work/peers/bin} with_peers=1 with_p10=1
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift ;;
    --idle) idle=$2; shift ;;
    --peers) peers=$2; shift ;;
    --no-peers) with_peers=0 ;;
    --no-p10) with_p10=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

echo "== building (nice -n 10): cargo build --release -p kterm -p kterm-sim" >&2
nice -n 10 cargo build --release -q -p kterm -p kterm-sim

out=$root/target/bench-p11/$(date +%Y%m%dT%H%M%S)
mkdir -p "$out/config" "$out/state"
# shellcheck source=benches/lib.sh
. "$root/benches/lib.sh"
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; wait 2>/dev/null || true' EXIT
if [ $with_peers = 1 ]; then mapfile -t apps < <(installed_apps); else apps=(kterm); fi
largest=$(echo "$sizes" | tr ' ' '\n' | sort -n | tail -1)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $sizes; do
  dir=$out/$n
  mkdir -p "$dir"
  start_sim "$n" $((n / 20)) "$dir"
  # Tenants to switch to: spread over the alphabet of namespaces.
  last=$((n / 20))
  switch=""
  for k in 1 2 3 4 5; do switch+=" --switch $(printf 'tenant-%04d' $((last * k / 6)))"; done
  for app in "${apps[@]}"; do
    echo "== $n pods: $app" >&2
    more=""
    [ "$app" = kterm ] && more="$switch --overview-key H --log-key l"
    # shellcheck disable=SC2046,SC2086
    harness run --name "$app" --pods "$n" --sim "$url" --idle "$idle" --timeout 120 --rss-limit-mb 4096 \
      --full-re "$(full_re "$app" "$n")" $(extra "$app") $more --out "$dir/$app.json" \
      $(app_cmd "$app" "$dir/kubeconfig") || echo "   $app at $n pods: the harness failed" >&2
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('   ', r.get('failed') or 'ok', r.get('first_rows_s'), r.get('full_s'), (r.get('rss_hwm_kb') or r.get('rss_at_fail_kb') or 0)//1024, 'MB')" \
      "$dir/$app.json" >&2 || true
  done
  if [ "$n" = "$largest" ] && [ $with_p10 = 1 ]; then
    echo "== $n pods: P10 (410, then a server restart) on this simulator" >&2
    P10_URL=$url P10_SIM_PID=$sim P10_KC=$dir/kubeconfig "$root/benches/p10.sh" "$n" $((n / 20)) |
      tee "$dir/p10.md" >&2 || echo "   P10 failed" >&2
    sim=
  else
    stop_sim
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$out/meta.json" <<PY
import json, os, sys
mem = int(open('/proc/meminfo').read().split()[1]) / 1024 / 1024
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
json.dump({'kind': 'meta', 'date': '$(date +%Y-%m-%d)', 'sizes': [int(n) for n in '$sizes'.split()],
           'machine': '%d cores (%s), %.0f GiB, Linux %s' % (os.cpu_count(), cpu, mem, os.uname().release),
           'load': 'load average $load_before before, $load_after after', 'idle': $idle,
           'label_kterm': 'kterm $(git rev-parse --short HEAD)',
           'label_kdash': 'kdash $( [ -x "$peers/kdash" ] && version kdash)',
           'label_kubetui': 'kubetui $( [ -x "$peers/kubetui" ] && version kubetui)'},
          open(sys.argv[1], 'w'))
PY
{
  PYTHONDONTWRITEBYTECODE=1 python3 "$root/benches/p11report.py" "$out"
  echo "- Raw results: $out"
} | tee "$out/table.md"
