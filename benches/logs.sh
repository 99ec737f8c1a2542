#!/usr/bin/env bash
# P5 of shared/PERFORMANCE.md (issue 8, section 6): live logs under a flood of sequence-numbered
# lines from `kterm-sim --log-rate`, kterm beside kdash 2.1.1 and kubetui 1.14.0 on the same pod in
# the same run. kterm: lines received and sequence gaps (its saved ring checked line by line), CPU,
# RSS every 10 s, key → frame during the flood, `l` → first lines, search and filter over the full
# ring; then a second simulator at a lower rate long enough to fill the ring several times (RSS
# flat once full). Peers: lines shown (highest seq on their screen) vs lines sent, RSS, CPU.
# Every app runs under a watchdog that kills it past 4 GB RSS. Prints Markdown tables.
#
# Usage: benches/logs.sh [--quick] [--seconds S] [--ring-seconds S] [--rate N] [--ring-rate N]
#                        [--peers DIR] [--no-peers] [--no-build]
#   --seconds S       flood per app (default 60)       --rate N        flood rate (default 100000)
#   --ring-seconds S  the ring run (default 300)       --ring-rate N   its rate (default 20000)
#   --quick           20 s floods and a 60 s ring run, for a first look
#   --peers DIR       where kdash and kubetui are (default $KTERM_PEERS or /work/peers/bin)
#   --no-build        use the release binaries already in $CARGO_TARGET_DIR (or target/)
#
# Run it nice'd on a shared machine (`nice -n 10 benches/logs.sh`). Needs python3, ss, curl and
# /proc. A measurement tool, not a test: CI never runs it and nothing here asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=60 ring_seconds=300 rate=100000 ring_rate=20000 peers=${KTERM_PEERS:-/work/peers/bin} with_peers=1 build=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) seconds=20 ring_seconds=60 ;;
    --seconds) seconds=$2; shift ;;
    --ring-seconds) ring_seconds=$2; shift ;;
    --rate) rate=$2; shift ;;
    --ring-rate) ring_rate=$2; shift ;;
    --peers) peers=$2; shift ;;
    --no-peers) with_peers=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ $build = 1 ]; then
  echo "== building (nice -n 10): cargo build --release -p kterm -p kterm-sim" >&2
  nice -n 10 cargo build --release -q -p kterm -p kterm-sim
fi
bin=${CARGO_TARGET_DIR:-$root/target}/release
out=$root/target/bench-logs/$(date +%Y%m%dT%H%M%S)
mkdir -p "$out/config" "$out/save"
sim=
trap '[ -n "$sim" ] && kill -CONT $sim 2>/dev/null && kill $sim 2>/dev/null; wait 2>/dev/null || true' EXIT

start_sim() { # $1 rate, $2 directory; sets sim (pid) and url
  echo "== starting kterm-sim --log-rate $1 (one pod, benches/logs-scenario.yaml)" >&2
  "$bin/kterm-sim" --scenario benches/logs-scenario.yaml --log-rate "$1" --kubeconfig "$2/kubeconfig" \
    > "$2/sim.out" 2>&1 &
  sim=$!
  for _ in $(seq 300); do grep -q ready "$2/sim.out" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$2/sim.out" || { echo "simulator not ready in 30 s:" >&2; cat "$2/sim.out" >&2; exit 1; }
  url=$(awk '/ready/ {print $3}' "$2/sim.out")
}
stop_sim() { kill -CONT "$sim" 2>/dev/null || true; kill "$sim"; wait "$sim" 2>/dev/null || true; sim=; }
bench() { PYTHONDONTWRITEBYTECODE=1 python3 "$root/benches/logbench.py" "$@"; }
pod=api/v1/namespaces/logbench/pods/flood/log

start_sim "$rate" "$out"
# The simulator's numbered lines: their mean length, from one second of a followed stream.
line_bytes=$(timeout 1 curl -sN "$url/$pod?follow=true" | grep 'seq=' | awk '{n += length($0) + 1} END {printf "%.1f", n / NR}' || true)
echo "   $url; numbered lines ≈ $line_bytes bytes" >&2

echo "== kterm: $seconds s of the flood, then search, filter and save on the frozen ring" >&2
bench kterm --sim-url "$url" --sim-pid "$sim" --seconds "$seconds" --save-dir "$out/save" --out "$out/kterm.json" \
  --env "KTERM_CONFIG_DIR=$out/config" --env "XDG_STATE_HOME=$out" -- \
  "$bin/kterm" --kubeconfig "$out/kubeconfig" -n logbench || echo "   kterm run failed" >&2
apps=(kterm)
if [ $with_peers = 1 ]; then
  for p in kdash kubetui; do
    if [ ! -x "$peers/$p" ]; then echo "   $p: not installed (looked in $peers)" >&2; continue; fi
    apps+=("$p")
    echo "== $p: $seconds s in its log view of the same pod" >&2
    case $p in  # kdash: enter = containers, enter = logs; kubetui: enter on the pod = its logs
      kdash) args=(--open '\r,\r' -- "$peers/kdash") ;;
      kubetui) args=(--open '\r' --count-re 'Log \[[0-9]+/[0-9]+\]' -- "$peers/kubetui" -A) ;;
    esac
    bench peer --name "$p" --sim-url "$url" --rate "$rate" --seconds "$seconds" --out "$out/$p.json" \
      --env "KUBECONFIG=$out/kubeconfig" "${args[@]}" || echo "   $p run failed" >&2
  done
fi
stop_sim

mkdir -p "$out/ring/config"
start_sim "$ring_rate" "$out/ring"
echo "== kterm alone: $ring_seconds s at $ring_rate lines/s, RSS every 10 s" >&2
bench ring --sim-url "$url" --seconds "$ring_seconds" --out "$out/ring.json" \
  --env "KTERM_CONFIG_DIR=$out/ring/config" --env "XDG_STATE_HOME=$out/ring" -- \
  "$bin/kterm" --kubeconfig "$out/ring/kubeconfig" -n logbench || echo "   ring run failed" >&2
stop_sim

version() { "$peers/$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
python3 - "$out/meta.json" <<EOF
import json, os, sys
mem = int(open('/proc/meminfo').read().split()[1]) / 1024 / 1024
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
json.dump({'date': '$(date +%Y-%m-%d)', 'machine': '%d cores (%s), %.0f GiB' % (os.cpu_count(), cpu, mem),
           'load': 'load average $(cut -d' ' -f1-3 /proc/loadavg) at the end', 'rate': $rate, 'seconds': $seconds,
           'ring_rate': $ring_rate, 'ring_seconds': $ring_seconds, 'rows': 50, 'cols': 200,
           'line_bytes': float('${line_bytes:-133}'),
           'label_kterm': 'kterm $(git rev-parse --short HEAD)', 'label_kdash': 'kdash $(version kdash)',
           'label_kubetui': 'kubetui $(version kubetui)'}, open(sys.argv[1], 'w'))
EOF
results=()
for a in "${apps[@]}" ring; do [ -f "$out/$a.json" ] && results+=("$out/$a.json"); done
{
  python3 "$root/benches/logreport.py" "$out/meta.json" "${results[@]}"
  echo
  echo "Raw results: $out"
} | tee "$out/table.md"
