#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (SQLite backend, no cgo) from the Go module proxy once and
# caches the binary outside the clone. Prints the binary path on stdout.
#
# Two bugs of v1.24.2 are patched (scripts/infra/ferretdb-patches/, applied with git apply; the cached
# binary's name carries a hash of the patches, so changing them rebuilds it):
# - 0001: the SQLite backend looks `_id` up with `_ferretdb_sjson->'$._id'` while the unique `_id`
#   index is on `_ferretdb_sjson->"_id"`, so SQLite never uses the index: every find, update or
#   delete by `_id` scans the table (EXPLAIN QUERY PLAN "SCAN"; 160 ms per lookup in a 50,000-document
#   collection, 500 ms per update). Patched: "SEARCH ... USING INDEX", 2 ms and 4 ms at any size.
# - 0002: an `update` command keeps every statement's query open until the command ends, one pooled
#   SQLite connection each; about 100 statements in flight (one bulkWrite, or several at once)
#   exhaust the pool of 100 and the server waits forever. Patched: each query is closed after its
#   statement.
set -euo pipefail
VERSION="v1.24.2"
PATCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ferretdb-patches"
PATCH_LEVEL="$(cat "$PATCH_DIR"/*.patch | sha256sum | cut -c1-12)"
CACHE_DIR="${TESTPULSE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/testpulse}"
BIN="$CACHE_DIR/ferretdb-$VERSION-$PATCH_LEVEL"
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
for patch in "$PATCH_DIR"/*.patch; do
  (cd "$work/src" && git apply "$patch") || { echo "install-ferretdb: $patch does not apply" >&2; exit 1; }
done
(cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
mv "$BIN.tmp" "$BIN"
echo "$BIN"
