#!/usr/bin/env bash
# kterm against its peers (kdash 2.1.1, kubetui 1.14.0) on one kterm-sim at scale, in the same run:
# peak RSS, launch → first rows / full count, idle CPU, LIST requests after sync, key → frame,
# filter keystrokes, idle terminal bytes, first frame with the cluster unreachable. Prints a
# Markdown table with the budgets of shared/PERFORMANCE.md (P1–P9) and keeps the raw JSON.
#
# Usage: benches/compare.sh [--quick] [--runs N] [--slope] [--peers DIR] [--pods N] [--namespaces M]
#   --quick       1 run per app, 25 s after sync before the key tests (20 s idle window)
#                 instead of 3 runs and 60 s (55 s window)
#   --runs N      runs per app (interleaved kterm, kdash, kubetui, kterm, …)
#   --slope       also kterm's peak RSS at 1k, 10k and 30k pods (20 a namespace): KB per extra pod
#   --peers DIR   where the peers' binaries are (default $KTERM_PEERS or /work/peers/bin);
#                 a peer that is missing is reported as "not installed". To build them:
#                   cargo install --locked --root DIR kdash@2.1.1 kubetui@1.14.0   (then DIR/bin)
#
# Only the builds run under `nice`; the simulator and the apps run at normal priority.
# Needs python3 (benches/ptyharness.py, standard library only) and a Linux /proc.
# A measurement tool, not a test: CI never runs it and nothing here asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0 slope=0 runs= peers=${KTERM_PEERS:-/work/peers/bin} pods=10000 namespaces=500
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --peers) peers=$2; shift ;;
    --pods) pods=$2; shift ;;
    --namespaces) namespaces=$2; shift ;;
    --slope) slope=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ $quick = 1 ]; then idle=25 mode=quick; else idle=60 mode=full; fi
runs=${runs:-$([ $quick = 1 ] && echo 1 || echo 3)}
unreachable_runs=5

echo "== building (nice -n 10): cargo build --release -p kterm -p kterm-sim" >&2
nice -n 10 cargo build --release -q -p kterm -p kterm-sim

out=$root/target/bench-compare/$(date +%Y%m%dT%H%M%S)
mkdir -p "$out/config"
# shellcheck source=benches/lib.sh
. "$root/benches/lib.sh"
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; wait 2>/dev/null || true' EXIT
start_sim "$pods" "$namespaces" "$out"

# A kubeconfig whose server is a port nobody listens on (bound, then closed at once).
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s#server: .*#server: http://127.0.0.1:$dead#" "$out/kubeconfig" > "$out/kubeconfig.dead"

kc=$out/kubeconfig

mapfile -t apps < <(installed_apps)
for p in "${apps[@]:1}"; do echo "   $p: $("$peers/$p" --version 2>/dev/null | tail -1)" >&2; done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$runs"); do
  for app in "${apps[@]}"; do
    echo "== run $run/$runs: $app (≈$((idle + 25)) s)" >&2
    # shellcheck disable=SC2046
    harness run --name "$app" --sim "$url" --idle "$idle" --full-re "$(full_re "$app" "$pods")" $(extra "$app") \
      --out "$out/$app-$run.json" $(app_cmd "$app" "$kc") ||
      echo "   $app run $run failed" >&2
  done
done
for run in $(seq "$unreachable_runs"); do
  for app in "${apps[@]}"; do
    # shellcheck disable=SC2046
    harness unreachable --name "$app" --out "$out/$app-unreachable-$run.json" \
      $(app_cmd "$app" "$out/kubeconfig.dead") || echo "   $app unreachable run $run failed" >&2
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$out/meta.json" <<EOF
import json, os, sys
mem = int(open('/proc/meminfo').read().split()[1]) / 1024 / 1024
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
json.dump({'kind': 'meta', 'date': '$(date +%Y-%m-%d)', 'mode': '$mode, $runs run(s) per app',
           'machine': '%d cores (%s), %.0f GiB, Linux %s' % (os.cpu_count(), cpu, mem, os.uname().release),
           'load': 'load average $load_before before, $load_after after', 'idle': $idle,
           'pods': $pods, 'namespaces': $namespaces, 'label_kterm': 'kterm $(git rev-parse --short HEAD)',
           'label_kdash': 'kdash $(version kdash)', 'label_kubetui': 'kubetui $(version kubetui)'},
          open(sys.argv[1], 'w'))
EOF
{
  harness report "$out"/*.json
  echo "- The machine is shared (2 cores, other engineers compiling): absolute figures are noisy;"
  echo "  the ratios come from the same run on the same simulator. Raw results: $out"
} | tee "$out/table.md"

[ $slope = 1 ] || exit 0
stop_sim
for n in 1000 10000 30000; do
  mkdir -p "$out/slope-$n"
  start_sim $n $((n / 20)) "$out/slope-$n"
  # shellcheck disable=SC2046
  harness run --name kterm --sim "$url" --idle 20 --presses 0 --filter-key '' --full-re "$(full_re kterm $n)" $(extra kterm) \
    --out "$out/slope-$n/kterm.json" $(app_cmd kterm "$out/slope-$n/kubeconfig")
  stop_sim
done
python3 - "$out" <<'EOF' | tee -a "$out/table.md"
import json, sys
rows = [(n, json.load(open('%s/slope-%d/kterm.json' % (sys.argv[1], n)))['rss_hwm_kb']) for n in (1000, 10000, 30000)]
print('\n| pods (20 a namespace) | kterm peak RSS 20 s after sync | KB per extra pod (budget ≤ 1 KB) |\n|---|---|---|')
for i, (n, kb) in enumerate(rows):
    slope = '—' if i == 0 else '%.2f' % ((kb - rows[i - 1][1]) / (n - rows[i - 1][0]))
    print('| %d | %.1f MB | %s |' % (n, kb / 1024, slope))
EOF
