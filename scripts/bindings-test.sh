#!/usr/bin/env bash
# Build callscreen-ffi, generate its Python, Kotlin and Swift bindings (uniffi
# library mode), and run the bindings tests against the real library:
#   tests/bindings/python/test_callscreen.py   (pytest)
#   tests/bindings/kotlin/CallScreenTest.kt    (desktop JVM, java -ea)
# Idempotent: installs what is missing (kotlinc via npm, JNA via apt, pytest via
# pip). Swift is generated (and copied to ios-demo/Generated/) but not compiled:
# there is no Swift toolchain on Linux here. See /work/shared/BINDINGS.md.
# Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

KOTLIN_VERSION=2.4.20
PYTEST_VERSION=9.2.0
KOTLIN_HOME="$HOME/.cache/kotlinc"
KOTLINC="$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc"
JNA=/usr/share/java/jna.jar
PYTHON=${PYTHON:-python3}

step() { printf '\n== %s\n' "$*"; }

# --- tools ------------------------------------------------------------------
installed_kotlin() {
    node -p "require('$KOTLIN_HOME/node_modules/kotlin-compiler/package.json').version" 2>/dev/null || true
}
if [ ! -x "$KOTLINC" ] || [ "$(installed_kotlin)" != "$KOTLIN_VERSION" ]; then
    step "installing kotlin-compiler@$KOTLIN_VERSION into $KOTLIN_HOME"
    mkdir -p "$KOTLIN_HOME"
    (cd "$KOTLIN_HOME" && npm install --no-save --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
fi
if [ ! -f "$JNA" ]; then
    step "installing libjna-java"
    apt-get update
    apt-get install -y libjna-java
fi
if ! "$PYTHON" -c 'import pytest' 2>/dev/null; then
    step "installing pytest==$PYTEST_VERSION"
    "$PYTHON" -m pip install "pytest==$PYTEST_VERSION"
fi

# --- build and generate -----------------------------------------------------
step "cargo build -p callscreen-ffi -p uniffi-bindgen"
cargo build -p callscreen-ffi -p uniffi-bindgen
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LIB="$TARGET_DIR/debug/libcallscreen_ffi.so"
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"
OUT="$TARGET_DIR/bindings"

step "generating bindings into $OUT"
rm -rf "$OUT"
for lang in python kotlin swift; do
    "$BINDGEN" generate --no-format --language "$lang" --out-dir "$OUT/$lang" "$LIB"
done
cp "$LIB" "$OUT/python/"
mkdir -p ios-demo/Generated
cp "$OUT"/swift/* ios-demo/Generated/

# --- run --------------------------------------------------------------------
step "pytest tests/bindings/python"
PYTHONPATH="$OUT/python" "$PYTHON" -m pytest -q -p no:cacheprovider tests/bindings/python

step "kotlinc (bindings + tests/bindings/kotlin)"
mapfile -t KT_SOURCES < <(find "$OUT/kotlin" tests/bindings/kotlin -name '*.kt' | sort)
"$KOTLINC" -Werror -classpath "$JNA" -include-runtime -d "$OUT/kt.jar" "${KT_SOURCES[@]}"

step "java -ea CallScreenTestKt"
java -ea -Djna.library.path="$TARGET_DIR/debug" -cp "$OUT/kt.jar:$JNA" CallScreenTestKt "$ROOT"
