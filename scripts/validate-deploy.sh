#!/usr/bin/env bash
# Validates the deployment files offline: docker/Dockerfile (+ .dockerignore), docker/compose.yml
# and the kustomize trees under k8s/. No Docker engine, no cluster, no download but Go modules.
#
# The checker (scripts/validate-deploy/deploycheck, Go) is built once from the Go module proxy and
# cached outside the clone in ${XDG_CACHE_HOME:-$HOME/.cache}/testpulse/, keyed by a hash of its
# source and of the Go version; later runs take a second or two. It uses the real parsers:
# BuildKit's Dockerfile parser and linter, compose-go's loader with the Compose Specification
# schema, kustomize's renderer, and a strict decode of every rendered object into the k8s.io/api
# types; then testpulse's own rules (see the report of each step).
# Finally it proves that the checks bite: deliberately broken copies (in a temporary folder) of
# each file must be rejected, each with its expected message.
#
# Exits non-zero with the reasons on any failure; prints one summary line on success.
# Env: TESTPULSE_CACHE_DIR (cache folder), VALIDATE_DEPLOY_RENDER_DIR (keep the rendered k8s YAML).
# shellcheck disable=SC2016 # the self-tests' sed scripts hold a literal ${...} and $ on purpose
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_DIR="$ROOT_DIR/scripts/validate-deploy/deploycheck"
CACHE_DIR="${TESTPULSE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/testpulse}"
started=$SECONDS

fail() { printf 'validate-deploy: FAILED: %s\n' "$*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/validate-deploy.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# --- the checker binary: build once, cache by source hash -------------------------------------
command -v go >/dev/null 2>&1 || fail "the Go toolchain is required (go >= 1.26) to build the checker"
go_version="$(go env GOVERSION)"
case "$go_version" in
  go1.2[6-9]* | go1.[3-9][0-9]* | go[2-9]*) ;;
  *) fail "Go >= 1.26 is required to build the checker, found $go_version" ;;
esac
src_hash="$( (cd "$SRC_DIR" && cat go.mod go.sum ./*.go; printf '%s' "$go_version") | sha256sum | cut -c1-16)"
BIN="$CACHE_DIR/deploycheck-$src_hash"
if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE_DIR"
  echo "validate-deploy: building the checker (one-time, cached in $CACHE_DIR)" >&2
  cp -r "$SRC_DIR" "$work/src"
  build_log="$work/build.log"
  if ! (cd "$work/src" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 \
      go build -trimpath -o "$BIN.tmp.$$" .) >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$BIN.tmp.$$"
    fail "could not build the checker from $SRC_DIR (see above; it needs the Go module proxy)"
  fi
  mv -f "$BIN.tmp.$$" "$BIN"
  # Drop the binaries of older checker sources.
  find "$CACHE_DIR" -maxdepth 1 -name 'deploycheck-*' ! -name "deploycheck-$src_hash" -type f -delete 2>/dev/null || true
fi

# --- run one check; keep its report, show it on failure ---------------------------------------
reports=()
check() { # label, command...
  local label="$1" out
  shift
  if ! out="$("$@" 2>&1)"; then
    printf '%s\n' "$out" >&2
    fail "$label"
  fi
  reports+=("$out")
}

# Values for compose's ${VAR:?} secrets during validation only: the file must not hold its own.
compose_env=(-env "JWT_SECRET=validate-deploy-not-a-secret-0123456789abcdef" -env "ADMIN_PASSWORD=validate-deploy-not-a-password")

# The production overlay needs its (gitignored) real secrets: validate it with the base's
# placeholder examples in a copy, allowing placeholders for this run only.
prepare_k8s_copy() { # dest
  rm -rf "$1" && mkdir -p "$1" && cp -r "$ROOT_DIR/k8s" "$1/"
  local f
  for f in "$1"/k8s/base/secrets/*.example.env; do
    cp "$f" "$1/k8s/overlays/production/secrets/$(basename "$f" .example.env).env"
  done
}

render_dir="${VALIDATE_DEPLOY_RENDER_DIR:-$work}"
mkdir -p "$render_dir"
check "docker/Dockerfile" "$BIN" dockerfile -root "$ROOT_DIR"
check "docker/compose.yml" "$BIN" compose -file "$ROOT_DIR/docker/compose.yml" "${compose_env[@]}"
check "k8s/base" "$BIN" kustomize -dir "$ROOT_DIR/k8s/base" -profile base -o "$render_dir/k8s-base.yaml"
prepare_k8s_copy "$work/prod"
check "k8s/overlays/production" env DEPLOYCHECK_ALLOW_PLACEHOLDERS=1 \
  "$BIN" kustomize -dir "$work/prod/k8s/overlays/production" -profile production -o "$render_dir/k8s-production.yaml"

# --- self-test: broken copies must be rejected with the expected message -----------------------
selftests=0
# expect_reject NAME EXPECTED_REGEX FILE_TO_BREAK SED_SCRIPT -- COMMAND...   (SED_SCRIPT - : no edit)
expect_reject() {
  local name="$1" expected="$2" file="$3" script="$4" out
  shift 5
  cp "$file" "$file.orig"
  if [ "$script" != - ]; then
    sed -i -e "$script" "$file"
    if cmp -s "$file" "$file.orig"; then
      fail "self-test '$name': the mutation '$script' changed nothing in $(basename "$file"); update the self-test"
    fi
  fi
  if out="$("$@" 2>&1)"; then
    fail "self-test '$name': the checker accepted a broken file (${file#"$work"/})"
  fi
  if ! grep -Eq -- "$expected" <<<"$out"; then
    printf '%s\n' "$out" >&2
    fail "self-test '$name': rejected, but not with the expected /$expected/"
  fi
  mv -f "$file.orig" "$file"
  selftests=$((selftests + 1))
}

bad="$work/bad"
prepare_k8s_copy "$bad"
mkdir -p "$bad/docker"
cp "$ROOT_DIR/docker/compose.yml" "$bad/docker/compose.yml"
cp "$ROOT_DIR/docker/Dockerfile" "$bad/Dockerfile"
cp "$ROOT_DIR/.dockerignore" "$bad/dockerignore"
kbase=(-- "$BIN" kustomize -dir "$bad/k8s/base")
app_yaml="$bad/k8s/base/apps/data-aggregation.yaml"

expect_reject "k8s misspelled field" 'unknown field "spec\.template\.spec\.containers\[0\]\.readinesProbe"' \
  "$app_yaml" '0,/readinessProbe:/s//readinesProbe:/' "${kbase[@]}"
expect_reject "k8s wrong type" 'cannot unmarshal string into Go struct field .*containerPort of type int32' \
  "$app_yaml" 's/containerPort: 3101/containerPort: "3101"/' "${kbase[@]}"
expect_reject "k8s misspelled kind" 'no kind "Deploymnet" is registered' \
  "$app_yaml" 's/^kind: Deployment$/kind: Deploymnet/' "${kbase[@]}"
expect_reject "k8s writable root fs" 'readOnlyRootFilesystem must be true' \
  "$bad/k8s/base/apps/gateway.yaml" 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "${kbase[@]}"
expect_reject "k8s wrong probe path" 'readinessProbe path "/health/live", want "/health/ready"' \
  "$app_yaml" 's|path: /health/ready|path: /health/live|' "${kbase[@]}"
expect_reject "k8s secret in the ConfigMap" 'holds JWT_SECRET: secrets belong in a Secret' \
  "$bad/k8s/base/config.env" '$a JWT_SECRET=REPLACE-ME-oops' "${kbase[@]}"
expect_reject "k8s unknown kustomization field" 'invalid Kustomization: json: unknown field "configMapGenerators"' \
  "$bad/k8s/base/kustomization.yaml" 's/^configMapGenerator:/configMapGenerators:/' "${kbase[@]}"
expect_reject "k8s exposed service" 'Service alert-management is NodePort: only the gateway may be exposed' \
  "$bad/k8s/base/apps/alert-management.yaml" 's/type: ClusterIP/type: NodePort/' "${kbase[@]}"

dcompose=(-- "$BIN" compose -file "$bad/docker/compose.yml" "${compose_env[@]}")
expect_reject "compose misspelled key" "services\.data-aggregation\.healthchek" \
  "$bad/docker/compose.yml" '0,/healthcheck: \*app-healthcheck/s//healthchek: *app-healthcheck/' "${dcompose[@]}"
expect_reject "compose wrong type" 'healthcheck\.retries: failed to cast' \
  "$bad/docker/compose.yml" '0,/retries: 5/s//retries: five/' "${dcompose[@]}"
expect_reject "compose hard-coded secret" 'JWT_SECRET must come from the environment' \
  "$bad/docker/compose.yml" 's/JWT_SECRET: \${JWT_SECRET:?[^}]*}/JWT_SECRET: hard-coded-secret-hard-coded-secret-123/' "${dcompose[@]}"
expect_reject "compose run without a secret" 'required variable ADMIN_PASSWORD is missing a value' \
  "$bad/docker/compose.yml" - \
  -- "$BIN" compose -file "$bad/docker/compose.yml" -env "JWT_SECRET=validate-deploy-not-a-secret-0123456789abcdef"

dfile=(-- "$BIN" dockerfile -root "$ROOT_DIR" -file "$bad/Dockerfile" -dockerignore "$bad/dockerignore")
expect_reject "Dockerfile root user" 'runtime stage has no USER' \
  "$bad/Dockerfile" '/^USER /d' "${dfile[@]}"
expect_reject "Dockerfile literal \${APP} in exec-form CMD" 'is passed literally \(exec form expands no ARG/ENV\)' \
  "$bad/Dockerfile" 's|^CMD \[.*|CMD ["node", "--enable-source-maps", "dist/apps/${APP}/src/main.js"]|' "${dfile[@]}"
expect_reject "Dockerfile without HEALTHCHECK" 'runtime stage has no HEALTHCHECK' \
  "$bad/Dockerfile" '/^HEALTHCHECK/,/^  CMD \[/d' "${dfile[@]}"
expect_reject "Dockerfile lint" 'lint FromAsCasing' \
  "$bad/Dockerfile" 's/^FROM deps AS build/FROM deps as build/' "${dfile[@]}"
expect_reject "Dockerfile unknown app accepted" 'does not validate APP against "user-preferences"' \
  "$bad/Dockerfile" 's/|user-preferences) ;;/) ;;/' "${dfile[@]}"
expect_reject ".dockerignore lets node_modules in" 'does not exclude apps/gateway/node_modules/x' \
  "$bad/dockerignore" '/^\*\*\/node_modules$/d' "${dfile[@]}"

count() { printf '%s\n' "${reports[@]}" | sed -nE "s#^deploycheck $1.*: ok \((.*)\)\$#\1#p" | grep -oE "$2" | head -1 | grep -oE '^[0-9]+'; }
printf 'validate-deploy: OK in %ss: Dockerfile (%s stages, non-root, BuildKit lint clean), compose.yml (%s apps with healthchecks, schema-valid), k8s base (%s objects) and production overlay (%s objects) strictly valid; %d deliberately broken copies rejected\n' \
  "$((SECONDS - started))" "$(count dockerfile '[0-9]+ stages')" "$(count compose '[0-9]+ apps')" \
  "$(count 'kustomize [^ ]*/k8s/base' '[0-9]+ objects')" "$(count 'kustomize [^ ]*/production' '[0-9]+ objects')" "$selftests"
