#!/usr/bin/env bash
# P10 of shared/PERFORMANCE.md: kterm at 10,000 pods when its watch expires (410 Gone after the
# simulator drops every watch and compacts its history) and when the server refuses connections
# for a while (a restart). Measures, from tmux screen polls every 50 ms: the longest time the
# table showed no pod row ("blank"), the time until the status bar says "live" again, and peak
# RSS (VmHWM) against the steady RSS before the fault. A measurement, not a test.
# Usage: benches/p10.sh [PODS] [NAMESPACES]
# With P10_URL, P10_SIM_PID and P10_KC set (benches/p11.sh), it takes over that running
# simulator instead of starting one; either way the simulator runs under lib.sh's watchdog.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pods=${1:-10000}
namespaces=${2:-500}
dir=$(mktemp -d)
out=$dir peers=
# shellcheck source=benches/lib.sh
. "$root/benches/lib.sh"
session=kterm-p10-$$
trap 'tmux kill-session -t $session 2>/dev/null; kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
if [ -n "${P10_URL:-}" ]; then
  url=$P10_URL sim=$P10_SIM_PID
  cp "$P10_KC" "$dir/kc"
else
  nice -n 10 cargo build --release -q -p kterm -p kterm-sim
  start_sim "$pods" "$namespaces" "$dir"
  cp "$dir/kubeconfig" "$dir/kc"
fi
mkdir -p "$dir/config"
tmux new-session -d -s "$session" -x 200 -y 50 \
  "KTERM_CONFIG_DIR=$dir/config XDG_STATE_HOME=$dir exec $bin/kterm --kubeconfig $dir/kc -A"
screen() { tmux capture-pane -p -t "$session"; }
# With every namespace watched kterm lands on its tenant overview; the pod table is under it.
until screen | grep -q "live"; do sleep 0.05; done
tmux send-keys -t "$session" Escape
until screen | grep -q "$pods pods.*live"; do sleep 0.05; done
pid=$(tmux display-message -p -t "$session" '#{pane_pid}')
sleep 10
steady=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

# Polls for $1 seconds; prints "<longest blank s> <s until live after the fault ends>".
watch_screen() {
  python3 - "$session" "$1" "$2" <<'EOF'
import subprocess, sys, time
session, seconds, fault_end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
start = time.time(); blank_since = None; longest = 0.0; live_at = None; lost_live = False
while time.time() - start < seconds:
    s = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
    rows = any("tenant-" in l and "/" in l for l in s.splitlines()[1:-2])
    now = time.time() - start
    if not rows:
        blank_since = now if blank_since is None else blank_since
        longest = max(longest, now - blank_since)
    else:
        blank_since = None
    live = "│ live" in s
    if not live:
        lost_live = True
    if live and lost_live and live_at is None and now >= fault_end:
        live_at = now - fault_end
    time.sleep(0.05)
print(f"{longest:.2f} {live_at if live_at is not None else float('nan'):.2f} {int(lost_live)}")
EOF
}

printf '| fault (%s pods) | longest blank table | live again, from the fault | peak RSS ÷ steady RSS |\n|---|---|---|---|\n' "$pods"
# 1. Every watch dropped and the history compacted: the re-watch gets 410 Gone and re-lists.
curl -s -X POST "$url/_sim/faults" -d '{"dropWatches": true, "compact": true}' > /dev/null
read -r blank live lost < <(watch_screen 15 0)
curl -s -X POST "$url/_sim/faults" -d '{"dropWatches": null}' > /dev/null
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
printf '| watch expired (410 Gone, re-list) | %s s | %s s | %s |\n' "$blank" \
  "$([ "$lost" = 1 ] && echo "$live" || echo "never left live")" \
  "$(echo "scale=2; $hwm / $steady" | bc)"
# 2. The server restarts: killed, and started again on the same port 3 s later (a fresh store,
#    so the old resourceVersions mean nothing to it).
port=${url##*:}
kill $sim; wait $sim 2>/dev/null || true
( sleep 3; exec "$bin/kterm-sim" --scenario scale --pods "$pods" --namespaces "$namespaces" \
    --port "$port" --kubeconfig "$dir/kc2" > "$dir/out2" 2>&1 ) &
sim=$!
memdog "$sim" "$sim_limit_kb" "$dir/out2"
read -r blank live lost < <(watch_screen $((45 + pods / 5000)) 0)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
printf '| server restarted (down 3 s, then the simulator loads %s pods) | %s s | %s s | %s |\n' \
  "$pods" "$blank" "$live" "$(echo "scale=2; $hwm / $steady" | bc)"
echo
echo "steady RSS $((steady / 1024)) MB; peak RSS (VmHWM, whole run) $((hwm / 1024)) MB"
