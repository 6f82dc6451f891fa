#!/usr/bin/env bash
# Instructions per screened call vs per raw ES256 verify, with callgrind (a
# count, not a time: repeatable on a busy machine). Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example profile_screen -p callscreen-core
bin=target/release/examples/profile_screen
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'; }
n=500
base=$(count base $n); verify=$(count verify $n); screen=$(count screen $n)
awk -v b="$base" -v v="$verify" -v s="$screen" -v n="$n" 'BEGIN {
  printf "instructions per raw ES256 verify: %d\n", (v-b)/n
  printf "instructions per screened INVITE:  %d\n", (s-b)/n
  printf "ratio: %.4f\n", (s-b)/(v-b) }'
