#!/usr/bin/env bash
# The core never touches the network (DESIGN.md): fail if any HTTP, TLS, socket or
# async-runtime crate appears in callscreen-core's normal dependency graph.
set -euo pipefail
cd "$(dirname "$0")/.."
graph=$(cargo tree -p callscreen-core -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u)
bad=$(echo "$graph" | grep -E '^(reqwest|hyper|hyper-util|ureq|curl|curl-sys|isahc|surf|attohttpc|rustls|native-tls|openssl|openssl-sys|tokio|async-std|mio|socket2|h2|http|tungstenite)$' || true)
if [ -n "$bad" ]; then
  echo "networking crates in callscreen-core: $bad" >&2
  exit 1
fi
echo "callscreen-core: $(echo "$graph" | wc -l) crates, none for networking"
