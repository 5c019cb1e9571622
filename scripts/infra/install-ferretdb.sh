#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (SQLite backend, no cgo) from the Go module proxy once and
# caches the binary outside the clone. Prints the binary path on stdout.
set -euo pipefail
VERSION="v1.24.2"
CACHE_DIR="${TESTPULSE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/testpulse}"
BIN="$CACHE_DIR/ferretdb-$VERSION"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
command -v go >/dev/null || { echo "install-ferretdb: Go toolchain not found (need go >= 1.22)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "install-ferretdb: building FerretDB $VERSION (one-time, cached in $CACHE_DIR)" >&2
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
src_dir="$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src_dir" ] || { echo "install-ferretdb: module download failed" >&2; exit 1; }
cp -r "$src_dir" "$work/src"
chmod -R u+w "$work/src"
# The module zip lacks the generated version file that the binary embeds and checks at start.
printf '%s' "$VERSION" > "$work/src/build/version/version.txt"
[ -f "$work/src/build/version/commit.txt" ] || printf 'unknown' > "$work/src/build/version/commit.txt"
[ -f "$work/src/build/version/branch.txt" ] || printf 'unknown' > "$work/src/build/version/branch.txt"
[ -f "$work/src/build/version/package.txt" ] || printf 'unknown' > "$work/src/build/version/package.txt"
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
mv "$BIN.tmp" "$BIN"
echo "$BIN"
