#!/usr/bin/env bash
# Regenerate tests/data/golden/replay.jsonl: `replay --json` over
# tests/data/invites with the fixture options, on a fresh database. Run it only
# for an intended change of behaviour, and commit the new file with the change
# (cli/tests/cli.rs compares the output byte for byte).
set -euo pipefail
cd "$(dirname "$0")/.."
db=$(mktemp -d)/golden.db
cargo run -q -p callscreen-cli -- replay --json --db "$db" \
  --trust-anchor tests/data/pki/sti-ca-root.pem --rcd-trust-anchor tests/data/pki/rcd-root.pem \
  --crl tests/data/crl/sti-ca-intermediate.crl --crl tests/data/crl/sti-pa.crl \
  --crl-signer tests/data/pki/sti-pa-crl-signer.pem \
  --rcd-content https://rcd.example.org/bank-logo.png=tests/data/rcd/bank-logo.png \
  --rcd-content https://rcd.example.org/tampered-logo.png=tests/data/rcd/tampered-logo.png \
  --cert-dir tests/data/certs --own-number +12155551213 --now 2026-11-22T12:00:00Z \
  --trust-verstat tests/data/invites > tests/data/golden/replay.jsonl
echo "tests/data/golden/replay.jsonl: $(wc -l < tests/data/golden/replay.jsonl) verdicts"
