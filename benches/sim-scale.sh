#!/usr/bin/env bash
# Measure kterm-sim at scale (issue 12's budgets): start to ready (wall and CPU), RSS per pod,
# a full LIST of every pod (JSON, and as kubectl's Table), a first and a later page of 500,
# five watch clients fed by `--churn 200`, and with --churn-minutes the RSS over a long churn.
# The simulator runs under a watchdog that kills it past --limit (MB, default 4096).
# Usage: benches/sim-scale.sh [--pods N] [--namespaces M] [--churn-minutes K] [--kubectl] [--limit MB]
# A measurement tool, not a test: CI never runs it and nothing here asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
pods=10000 namespaces=500 minutes=0 kubectl=0 limit=4096
while [ $# -gt 0 ]; do
  case $1 in
    --pods) pods=$2; shift ;;
    --namespaces) namespaces=$2; shift ;;
    --churn-minutes) minutes=$2; shift ;;
    --kubectl) kubectl=1 ;;
    --limit) limit=$2; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
nice -n 10 cargo build --release -q -p kterm-sim
dir=$(mktemp -d)
sim=
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; kill $(jobs -p) 2>/dev/null; rm -rf "$dir"' EXIT

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
watchdog() { # $1 pid: kill it past $limit MB of RSS
  while kill -0 "$1" 2>/dev/null; do
    if [ "$(rss_kb "$1")" -gt $((limit * 1024)) ]; then
      echo "watchdog: simulator passed $limit MB, killed" >&2; kill -9 "$1"; fi
    sleep 0.5
  done
}
start_sim() { # extra arguments go to kterm-sim
  start=$(date +%s.%N)
  ./target/release/kterm-sim --scenario scale --pods "$pods" --namespaces "$namespaces" \
    --kubeconfig "$dir/kc" "$@" > "$dir/out" 2>&1 &
  sim=$!
  watchdog "$sim" &
  until grep -q ready "$dir/out" 2>/dev/null; do
    kill -0 "$sim" 2>/dev/null || { cat "$dir/out" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(awk '{print ($14+$15)/100}' "/proc/$sim/stat")
  url=$(awk '/ready/ {print $3}' "$dir/out")
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done | median; }

start_sim
loaded=$(rss_kb "$sim")
full=$(time_of "$url/api/v1/pods")
bytes=$(curl -s "$url/api/v1/pods" | wc -c)
table=$(time_of -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' "$url/api/v1/pods")
page=$(time_of "$url/api/v1/pods?limit=500")
token=$(curl -s "$url/api/v1/pods?limit=500&continue=$(curl -s "$url/api/v1/pods?limit=500" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["continue"])')" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["continue"])')
later=$(time_of "$url/api/v1/pods?limit=500&continue=$token")
if [ $kubectl = 1 ]; then
  kubectl_t=$( { /usr/bin/time -f '%e' kubectl --kubeconfig "$dir/kc" get pods -A --no-headers > "$dir/k" ; } 2>&1 | tail -1)
  rows=$(wc -l < "$dir/k")
fi
peak=$(hwm_kb "$sim")
kill "$sim"; wait "$sim" 2>/dev/null || true; sim=

# Five watch clients while 200 pods a second are created and deleted, for 30 s.
start_sim --churn 200
rv=$(curl -s "$url/api/v1/pods?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')
for i in 1 2 3 4 5; do
  curl -sN "$url/api/v1/pods?watch=1&resourceVersion=$rv&timeoutSeconds=30" > "$dir/watch$i" &
done
sleep 31
events=$(for i in 1 2 3 4 5; do wc -l < "$dir/watch$i"; done | sort -n | tr '\n' ' ')
churn_rss=$(rss_kb "$sim")
churn_cpu=$(awk '{print ($14+$15)/100}' "/proc/$sim/stat")

printf '| measure (%s pods, %s namespaces) | value |\n|---|---|\n' "$pods" "$namespaces"
printf '| start to ready (wall / CPU) | %.1f s / %.1f s |\n' "$ready" "$cpu"
printf '| RSS once loaded (per pod) | %d MB (%.1f KB) |\n' $((loaded / 1024)) "$(echo "scale=2; $loaded / $pods" | bc)"
printf '| peak RSS through the lists below (per pod) | %d MB (%.1f KB) |\n' $((peak / 1024)) "$(echo "scale=2; $peak / $pods" | bc)"
printf '| full LIST /api/v1/pods (JSON, %s MB) | %s s |\n' "$(echo "scale=1; $bytes/1048576" | bc)" "$full"
printf '| full LIST as Table (kubectl get) | %s s |\n' "$table"
printf '| first page (limit=500) | %s s |\n' "$page"
printf '| third page (limit=500, continue) | %s s |\n' "$later"
[ $kubectl = 1 ] && printf '| kubectl get pods -A (%s rows) | %s s |\n' "$rows" "$kubectl_t"
printf '| 5 watch clients, 30 s of --churn 200: events each | %s|\n' "$events"
printf '| RSS after 30 s of churn with 5 watches | %d MB |\n' $((churn_rss / 1024))

if [ "$minutes" -gt 0 ]; then
  samples=$((minutes * 6))
  echo "== churn for $minutes min: RSS every 10 s" >&2
  : > "$dir/rss"
  for _ in $(seq "$samples"); do sleep 10; rss_kb "$sim" >> "$dir/rss"; done
  # Flatness after the first minute (the history fills to its byte bound).
  tail -n +7 "$dir/rss" | sort -n | awk -v m="$minutes" '
    NR == 1 {lo = $1} {hi = $1}
    END {printf "| RSS over %s min of --churn 200 (after the first) | %d → %d MB (±%.1f %%) |\n",
         m, lo / 1024, hi / 1024, (hi - lo) / (hi + lo) * 100}'
fi
