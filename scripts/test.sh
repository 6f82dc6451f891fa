#!/usr/bin/env bash
# Every test of the project: formatting, lints, the Rust tests (unit, fixtures,
# shared vectors, torture and property tests), the crate-graph check, and the
# Kotlin and Python bindings tests. Installs what the bindings tests need.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== no networking crate in the core's graph"
./scripts/check-no-network.sh

echo "== cargo test"
cargo test --workspace


if [ -x scripts/bindings-test.sh ]; then
  echo "== bindings (Kotlin on the JVM, Python)"
  ./scripts/bindings-test.sh
fi
