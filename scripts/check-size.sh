#!/usr/bin/env bash
# The mobile cdylib's size (issue 6: goal <= 4 MB, i.e. 4,000,000 bytes): builds
# callscreen-ffi with the workspace's `mobile` profile (LTO, opt-level "s",
# stripped) for this machine's target and fails when it is over the budget.
# Usage: ./scripts/check-size.sh [MAX_BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
max=${1:-4000000}
cargo build -p callscreen-ffi --profile mobile
lib=target/mobile/libcallscreen_ffi.so
size=$(stat -c %s "$lib")
printf '%s: %d bytes (budget %d)\n' "$lib" "$size" "$max"
if [ "$size" -gt "$max" ]; then
  echo "over the size budget" >&2
  exit 1
fi
