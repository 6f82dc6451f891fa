#!/usr/bin/env bash
# Package callscreen-ffi for iOS as ios-demo/CallScreenFFI.xcframework, with
# Swift bindings generated from the same sources (ios-demo/Generated/).
#
#   1. builds the static library (the workspace's `mobile` profile: LTO,
#      opt-level "s") for aarch64-apple-ios (devices), aarch64-apple-ios-sim
#      and x86_64-apple-ios (simulators);
#   2. lipo's the two simulator slices into one;
#   3. generates the Swift bindings with the workspace's pinned uniffi-bindgen
#      (library mode, from a host build, as scripts/bindings-test.sh does);
#   4. runs xcodebuild -create-xcframework with the C header and a
#      module.modulemap for the CallScreenFFI module.
#
# --macos adds a macOS slice (aarch64-apple-darwin + x86_64-apple-darwin), so
# `swift test` can run the CallscreenDemoKit tests on the Mac itself.
#
# macOS only (needs Xcode's xcodebuild and lipo). Idempotent; exits non-zero
# on any failure. See ios-demo/README.md.
set -euo pipefail

if [ "$(uname -s)" != "Darwin" ]; then
    echo "build-xcframework.sh: needs macOS with Xcode (xcodebuild, lipo); this is $(uname -s)." >&2
    echo "Nothing was built. See ios-demo/README.md for the steps on a Mac." >&2
    exit 1
fi
for tool in cargo rustup xcodebuild lipo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build-xcframework.sh: '$tool' not found (install Xcode and rustup)." >&2
        exit 1
    fi
done

WITH_MACOS=0
for arg in "$@"; do
    case "$arg" in
        --macos) WITH_MACOS=1 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "build-xcframework.sh: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=mobile
CRATE=callscreen-ffi
LIB=libcallscreen_ffi.a
DEMO=$ROOT/ios-demo
OUT=$DEMO/CallScreenFFI.xcframework
STAGE=$TARGET_DIR/xcframework

# Matches Package.swift's and project.yml's deployment targets.
export IPHONEOS_DEPLOYMENT_TARGET=15.0
export MACOSX_DEPLOYMENT_TARGET=12.0

IOS_TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
MAC_TARGETS=(aarch64-apple-darwin x86_64-apple-darwin)
TARGETS=("${IOS_TARGETS[@]}")
if [ "$WITH_MACOS" = 1 ]; then
    TARGETS+=("${MAC_TARGETS[@]}")
fi

step() { printf '\n== %s\n' "$*"; }

step "rustup target add ${TARGETS[*]}"
rustup target add "${TARGETS[@]}"

for t in "${TARGETS[@]}"; do
    step "cargo build -p $CRATE --profile $PROFILE --target $t"
    cargo build -p "$CRATE" --profile "$PROFILE" --target "$t"
done

# --- Swift bindings ---------------------------------------------------------
# Library mode reads the uniffi metadata from a library built for the host;
# the debug build keeps its symbols (the mobile profile strips).
step "generating Swift bindings (uniffi-bindgen, library mode)"
cargo build -p "$CRATE"
HOST_LIB=$TARGET_DIR/debug/libcallscreen_ffi.dylib
rm -rf "$STAGE"
mkdir -p "$STAGE/swift"
cargo run -p uniffi-bindgen -- generate --no-format --language swift \
    --out-dir "$STAGE/swift" "$HOST_LIB"
mkdir -p "$DEMO/Generated"
cp "$STAGE/swift/CallScreen.swift" "$STAGE/swift/CallScreenFFI.h" \
    "$STAGE/swift/CallScreenFFI.modulemap" "$DEMO/Generated/"

# The XCFramework's Headers: the C header and the module map, which Xcode
# and SwiftPM only pick up under the name module.modulemap.
HEADERS=$STAGE/headers
mkdir -p "$HEADERS"
cp "$STAGE/swift/CallScreenFFI.h" "$HEADERS/"
cp "$STAGE/swift/CallScreenFFI.modulemap" "$HEADERS/module.modulemap"

# --- slices -----------------------------------------------------------------
lib_of() { echo "$TARGET_DIR/$1/$PROFILE/$LIB"; }

step "lipo: one simulator library (arm64 + x86_64)"
mkdir -p "$STAGE/ios-simulator"
lipo -create "$(lib_of aarch64-apple-ios-sim)" "$(lib_of x86_64-apple-ios)" \
    -output "$STAGE/ios-simulator/$LIB"

ARGS=(
    -library "$(lib_of aarch64-apple-ios)" -headers "$HEADERS"
    -library "$STAGE/ios-simulator/$LIB" -headers "$HEADERS"
)
if [ "$WITH_MACOS" = 1 ]; then
    step "lipo: one macOS library (arm64 + x86_64)"
    mkdir -p "$STAGE/macos"
    lipo -create "$(lib_of aarch64-apple-darwin)" "$(lib_of x86_64-apple-darwin)" \
        -output "$STAGE/macos/$LIB"
    ARGS+=(-library "$STAGE/macos/$LIB" -headers "$HEADERS")
fi

step "xcodebuild -create-xcframework -> $OUT"
rm -rf "$OUT"
xcodebuild -create-xcframework "${ARGS[@]}" -output "$OUT"

echo
echo "Built $OUT and regenerated ios-demo/Generated/."
echo "Next: cd ios-demo && xcodegen && open CallscreenDemo.xcodeproj (see ios-demo/README.md)."
