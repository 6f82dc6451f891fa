#!/usr/bin/env bash
# Play the five seed stories of issue 7 on the desktop JVM against the real
# library: builds callscreen-ffi, generates its Kotlin bindings, compiles them
# with android-demo/core-jvm (the demo's platform-free Kotlin module) and runs
# org.callscreen.demo.ScenariosKt, then compiles and runs core-jvm's tests
# (view models, HTTPS certificate fetcher and cache, Ut transport with Digest,
# delivery backoff; local HTTPS servers with a certificate made by keytool).
# Uses the same kotlinc (npm) and JNA (apt) as scripts/bindings-test.sh,
# installing them when missing. Exits non-zero when a story or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

KOTLIN_VERSION=2.4.20
KOTLIN_HOME="$HOME/.cache/kotlinc"
KOTLINC="$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc"
JNA=/usr/share/java/jna.jar

if [ ! -x "$KOTLINC" ]; then
    mkdir -p "$KOTLIN_HOME"
    (cd "$KOTLIN_HOME" && npm install --no-save --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
fi
if [ ! -f "$JNA" ]; then
    apt-get update && apt-get install -y libjna-java
fi

cargo build -p callscreen-ffi -p uniffi-bindgen
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LIB="$TARGET_DIR/debug/libcallscreen_ffi.so"
OUT="$TARGET_DIR/demo-jvm"
rm -rf "$OUT"
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --language kotlin --out-dir "$OUT/kotlin" "$LIB"

mapfile -t SOURCES < <(find "$OUT/kotlin" android-demo/core-jvm/src/main/kotlin -name '*.kt' | sort)
"$KOTLINC" -Werror -classpath "$JNA" -include-runtime -d "$OUT/demo.jar" "${SOURCES[@]}"
mapfile -t TESTS < <(find android-demo/core-jvm/src/test/kotlin -name '*.kt' | sort)
"$KOTLINC" -Werror -classpath "$OUT/demo.jar:$JNA" -d "$OUT/tests.jar" "${TESTS[@]}"

java -Djna.library.path="$TARGET_DIR/debug" -cp "$OUT/demo.jar:$JNA" org.callscreen.demo.ScenariosKt "$ROOT"
java -Djna.library.path="$TARGET_DIR/debug" -cp "$OUT/demo.jar:$OUT/tests.jar:$JNA" org.callscreen.demo.test.JvmTestsKt "$ROOT"
