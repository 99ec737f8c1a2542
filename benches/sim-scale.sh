#!/usr/bin/env bash
# Measure kterm-sim at scale: start time, full LIST of every pod (JSON and as kubectl's Table),
# paged LIST, and peak RSS of the simulator. Prints a small table (medians of 5 runs).
# Usage: benches/sim-scale.sh [PODS] [NAMESPACES]
set -euo pipefail
cd "$(dirname "$0")/.."
pods=${1:-10000}
namespaces=${2:-500}
cargo build --release -q -p kterm-sim
dir=$(mktemp -d)
trap 'kill $sim 2>/dev/null || true; rm -rf "$dir"' EXIT
start=$(date +%s.%N)
./target/release/kterm-sim --scenario scale --pods "$pods" --namespaces "$namespaces" --kubeconfig "$dir/kc" > "$dir/out" &
sim=$!
until grep -q ready "$dir/out" 2>/dev/null; do sleep 0.05; done
ready=$(date +%s.%N)
url=$(awk '{print $3}' "$dir/out")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() { for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done | median; }

full=$(time_of "$url/api/v1/pods")
bytes=$(curl -s "$url/api/v1/pods" | wc -c)
table=$(time_of -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io' "$url/api/v1/pods")
page=$(time_of "$url/api/v1/pods?limit=500")
kubectl_t=$( { /usr/bin/time -f '%e' kubectl --kubeconfig "$dir/kc" get pods -A --no-headers > "$dir/k" ; } 2>&1 | tail -1)
rows=$(wc -l < "$dir/k")
rss=$(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$sim/status)

printf '| measure (%s pods, %s namespaces) | value |\n|---|---|\n' "$pods" "$namespaces"
printf '| start to ready | %.2f s |\n' "$(echo "$ready - $start" | bc)"
printf '| full LIST /api/v1/pods (JSON, %s MB) | %s s |\n' "$(echo "scale=1; $bytes/1048576" | bc)" "$full"
printf '| full LIST as Table (kubectl get) | %s s |\n' "$table"
printf '| first page (limit=500) | %s s |\n' "$page"
printf '| kubectl get pods -A (%s rows) | %s s |\n' "$rows" "$kubectl_t"
printf '| simulator peak RSS | %s |\n' "$rss"
