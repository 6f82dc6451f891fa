#!/usr/bin/env bash
# Every test of the project: formatting, lints, the Rust tests (unit, fixtures,
# shared vectors, torture and property tests), the crate-graph check, the mobile
# cdylib's size budget, the Kotlin and Python bindings tests and the demo's JVM
# tests. Installs what the bindings tests need.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# xmllint validates the report XML against its schema (core/tests/report_xml.rs).
if ! command -v xmllint >/dev/null 2>&1; then
  echo "== installing libxml2-utils (xmllint)"
  apt-get update -qq && apt-get install -y -qq libxml2-utils
fi

echo "== cargo fmt"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "== rustdoc (no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

echo "== no networking crate in the core's graph"
./scripts/check-no-network.sh

echo "== mobile cdylib size (<= 4 MB)"
./scripts/check-size.sh

echo "== cargo test"
cargo test --workspace


if [ -x scripts/bindings-test.sh ]; then
  echo "== bindings (Kotlin on the JVM, Python)"
  ./scripts/bindings-test.sh
fi

echo "== demo seed stories (android-demo/core-jvm on the JVM)"
./scripts/demo-jvm.sh

echo "== Android demo on the framework (kotlinc + Robolectric, SDK 29 and 37)"
./scripts/android-framework-test.sh
