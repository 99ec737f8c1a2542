#!/usr/bin/env bash
# Measures the dist profile's choices on this machine: LTO off/thin/fat (and codegen-units=1),
# binary size and build time, with and without the demo feature. Slow (six builds, about
# 70 minutes here): run it by hand when the profile or the dependencies change much, not in CI.
# Usage: packaging/measure-dist.sh [TARGET_DIR]   (default: target/measure-dist)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${1:-target/measure-dist}"
export CARGO_TERM_COLOR=never
bin="$CARGO_TARGET_DIR/dist/kterm"

# One build: its wall time and the binary's size, on one line. $EXTRA: more cargo arguments.
build() {
  local label="$1"; shift
  local start end
  start=$(date +%s)
  # shellcheck disable=SC2086
  env "$@" nice -n 10 cargo build --locked --profile dist --bin kterm ${EXTRA:-} >/dev/null 2>&1
  end=$(date +%s)
  printf '%-28s %5ss  %10s bytes  (%s MB)\n' "$label" "$((end - start))" "$(stat -c %s "$bin")" \
    "$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$bin")/1000000}")"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Each LTO setting compiles every dependency again (cargo keys them on it), so every line is a
# full build of that variant.
build "lto=fat"                CARGO_PROFILE_DIST_LTO=fat
build "lto=thin"               CARGO_PROFILE_DIST_LTO=thin
build "lto=off"                CARGO_PROFILE_DIST_LTO=off
EXTRA=--no-default-features build "lto=fat, no demo" CARGO_PROFILE_DIST_LTO=fat
build "lto=fat, codegen-units=1" CARGO_PROFILE_DIST_LTO=fat CARGO_PROFILE_DIST_CODEGEN_UNITS=1
EXTRA=--no-default-features build "fat, cgu=1, no demo" CARGO_PROFILE_DIST_LTO=fat CARGO_PROFILE_DIST_CODEGEN_UNITS=1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
