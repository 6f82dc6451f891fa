#!/usr/bin/env bash
# The Android demo on the real Android framework, without the Android SDK:
#  1. compiles android-demo/app (with core-jvm and the generated Kotlin bindings)
#     with kotlinc -Werror against the framework jar Robolectric publishes
#     (org.robolectric:android-all, API 35 = compileSdk), with no androidx;
#  2. compiles android-demo/app/src/test/kotlin and runs those Robolectric tests
#     with Maven (android-demo/pom.xml) at SDK 29 (minSdk) and SDK 37 (the newest
#     Robolectric 4.17 knows), each in its own JVM, against the real
#     libcallscreen_ffi over JNA, Robolectric offline from the Maven-resolved
#     android-all-instrumented jars.
# Installs what it needs: kotlinc from npm (as demo-jvm.sh), the Maven
# dependencies (pinned in the pom). SDK 36+ needs Java 21 or newer for the test
# JVM: TEST_JAVA_HOME, else the newest JDK in /usr/lib/jvm that is 21+.
# Exits non-zero when a compile or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

KOTLIN_VERSION=2.4.20
KOTLIN_HOME="$HOME/.cache/kotlinc"
KOTLINC="$KOTLIN_HOME/node_modules/kotlin-compiler/bin/kotlinc"
if [ ! -x "$KOTLINC" ]; then
    mkdir -p "$KOTLIN_HOME"
    (cd "$KOTLIN_HOME" && npm install --no-save --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION")
fi
if ! command -v mvn >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq maven
fi

# A JDK 21+ for the forked test JVM (Robolectric's SDK 36 and 37 need it).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${TEST_JAVA_HOME:-}" ]; then
    best=0
    for j in /usr/lib/jvm/*; do
        [ -x "$j/bin/java" ] || continue
        v=$(java_major "$j" || echo 0)
        if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best" ]; then best=$v; TEST_JAVA_HOME=$j; fi
    done
fi
if [ -z "${TEST_JAVA_HOME:-}" ]; then
    echo "android-framework-test: no JDK 21+ found (set TEST_JAVA_HOME); Robolectric SDK 37 needs one" >&2
    exit 1
fi
echo "== test JVM: $TEST_JAVA_HOME (Java $(java_major "$TEST_JAVA_HOME"))"

echo "== callscreen-ffi and its Kotlin bindings"
cargo build -p callscreen-ffi -p uniffi-bindgen
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LIB="$TARGET_DIR/debug/libcallscreen_ffi.so"
OUT="$ROOT/android-demo/target"
rm -rf "$OUT/kotlin" "$OUT/test-classes" "$OUT/app.jar"
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --language kotlin --out-dir "$OUT/kotlin" "$LIB"

echo "== Maven: framework jars and test classpath (pinned in android-demo/pom.xml)"
MVN=(mvn -B -f android-demo/pom.xml)
"${MVN[@]}" -q generate-test-resources
ANDROID_JAR="$OUT/android-compile/android-all.jar"
# androidx.test:monitor (Robolectric's, for the test runtime) is an .aar: take its classes out.
python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("classes.jar"))' \
    "$OUT/aar/monitor.aar" "$OUT/aar/monitor-classes.jar"
TEST_CP=$(cat "$OUT/test-classpath.txt")
JNA_JAR=$(tr ':' '\n' <<<"$TEST_CP" | grep '/jna-[0-9.]*\.jar$')

echo "== kotlinc: android-demo/app against the Android framework (API 35)"
if grep -rn 'import androidx\.' android-demo/app/src/main android-demo/core-jvm/src/main; then
    echo "android-framework-test: androidx in the compiled sources" >&2
    exit 1
fi
mapfile -t SOURCES < <(find "$OUT/kotlin" android-demo/core-jvm/src/main/kotlin android-demo/app/src/main/kotlin -name '*.kt' | sort)
"$KOTLINC" -Werror -jvm-target 17 -classpath "$ANDROID_JAR:$JNA_JAR" -d "$OUT/app.jar" "${SOURCES[@]}"

echo "== kotlinc: the Robolectric tests"
mapfile -t TESTS < <(find android-demo/app/src/test/kotlin -name '*.kt' | sort)
"$KOTLINC" -Werror -jvm-target 17 -classpath "$OUT/app.jar:$ANDROID_JAR:$TEST_CP" -d "$OUT/test-classes" "${TESTS[@]}"

echo "== Robolectric tests (Maven Surefire), SDK 29 and SDK 37"
rm -rf "$OUT/surefire-reports"
# Both levels run even when one fails (failures are counted from the reports below).
"${MVN[@]}" test \
    -Dmaven.test.failure.ignore=true \
    -Dtest.jvm="$TEST_JAVA_HOME/bin/java" \
    -Dcallscreen.lib.dir="$TARGET_DIR/debug" \
    -Dcallscreen.app.jar="$OUT/app.jar"

# One line per SDK level and the total, from Surefire's XML reports; fails when a
# test failed or a level ran no test.
python3 - "$OUT/surefire-reports" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
total_pass = total_fail = 0
ok = True
for sdk in ("sdk29", "sdk37"):
    sdk_dir = os.path.join(sys.argv[1], sdk)
    run = fail = skip = 0
    for f in glob.glob(os.path.join(sdk_dir, "TEST-*.xml")):
        r = ET.parse(f).getroot()
        run += int(r.get("tests", 0)); skip += int(r.get("skipped", 0))
        fail += int(r.get("failures", 0)) + int(r.get("errors", 0))
    print(f"  {sdk}: {run - fail - skip} passed, {fail} failed, {skip} skipped")
    total_pass += run - fail - skip; total_fail += fail
    ok = ok and fail == 0 and run > 0
print(f"android-framework: {total_pass} passed, {total_fail} failed")
sys.exit(0 if ok else 1)
PY
