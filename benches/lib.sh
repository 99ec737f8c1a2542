# Shared pieces of benches/compare.sh and benches/p11.sh (sourced, not run): the simulator under a
# memory watchdog, each app's command line and what its screen shows once every pod is counted.
# Expects: root (the repository), out (a results directory), peers (the peers' bin directory).

bin=${CARGO_TARGET_DIR:-$root/target}/release
sim= simdog=
sim_limit_kb=$(( ${SIM_LIMIT_MB:-6144} * 1024 ))

memdog() { # $1 pid, $2 limit in kB, $3 a log: kills the process past the limit (the machine is
           # shared), says so in the log; sets simdog to the watchdog's pid
  ( while kill -0 "$1" 2>/dev/null; do
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
      if [ -n "$rss" ] && [ "$rss" -gt "$2" ]; then
        echo "watchdog: pid $1 killed at $((rss / 1024)) MB" | tee -a "$3" >&2
        kill -9 "$1"
      fi
      sleep 0.5
    done ) &
  simdog=$!
}

harness() { PYTHONDONTWRITEBYTECODE=1 python3 "$root/benches/ptyharness.py" "$@"; }

start_sim() { # $1 pods, $2 namespaces, $3 directory; sets sim (pid), simdog and url
  echo "== starting kterm-sim --scenario scale --pods $1 --namespaces $2 (killed past $((sim_limit_kb / 1024)) MB)" >&2
  "$bin/kterm-sim" --scenario scale --pods "$1" --namespaces "$2" \
    --kubeconfig "$3/kubeconfig" > "$3/sim.out" 2>&1 &
  sim=$!
  memdog "$sim" "$sim_limit_kb" "$3/sim.out"
  for _ in $(seq 3000); do grep -q ready "$3/sim.out" 2>/dev/null && break; kill -0 "$sim" 2>/dev/null || break; sleep 0.1; done
  grep -q ready "$3/sim.out" || { echo "simulator not ready in 300 s:" >&2; cat "$3/sim.out" >&2; exit 1; }
  url=$(awk '/ready/ {print $3}' "$3/sim.out")
  echo "   $(grep ready "$3/sim.out")" >&2
}
stop_sim() { kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null || true; wait "$simdog" 2>/dev/null || true; sim= simdog=; }

app_cmd() { # $1 app, $2 kubeconfig: the harness's command part
  case $1 in
    kterm) echo "--env KTERM_CONFIG_DIR=$out/config --env XDG_STATE_HOME=$out/state -- $bin/kterm --kubeconfig $2 -A" ;;
    kdash) echo "--env KUBECONFIG=$2 -- $peers/kdash" ;;          # opens on all namespaces' pods
    kubetui) echo "--env KUBECONFIG=$2 -- $peers/kubetui -C $2 -A" ;;
  esac
}
full_re() { # $1 app, $2 pods: a regex on screen once every pod is counted
  case $1 in
    kterm) echo "\\b$2 pods\\b" ;;          # status bar: "│ 10000 pods"
    kdash) echo "Pods \\[$2\\]" ;;          # tab title: "Pods [10000]"
    kubetui) echo "Pod \\[[0-9]+/$2\\]" ;;  # table title: "Pod [1/10000]"
  esac
}
extra() { # kubetui filters on enter; kdash's first esc clears the text, the second closes the line;
          # kterm lands on its tenant overview with -A, the pod table is one esc away
  case $1 in
    kubetui) echo "--filter-enter" ;;
    kdash) echo "--filter-reset $(printf '\033\033')" ;;
    kterm) echo "--first-keys $(printf '\033')" ;;
  esac
}
installed_apps() { # kterm and the peers found in $peers
  local p
  echo kterm
  for p in kdash kubetui; do
    if [ -x "$peers/$p" ]; then echo "$p"; else echo "   $p: not installed (looked in $peers)" >&2; fi
  done
}
version() { "$peers/$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
