#!/usr/bin/env bash
# npm test: every check, in order, stopping at the first failure: formatting, lint, types, build, unit
# tests, deployment manifests, then the end-to-end tests against a fresh Redis + FerretDB (INFRA_PROFILE=
# test, stopped again afterwards, also on failure). REDIS_URL / MONGO_URL set by the caller are used as
# they are and never stopped. Ends with one line `tests: N passed, N failed` (unit + end-to-end tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS_DIR=.data/test-results
CALLER_REDIS_URL="${REDIS_URL:-}"
CALLER_MONGO_URL="${MONGO_URL:-}"
stop_infra_on_exit=0

say() { printf '\n[test] %s\n' "$*" >&2; }

# shellcheck source=install-deps.sh
source scripts/install-deps.sh

step() {
  local name="$1"
  shift
  say "$name: $*"
  "$@"
}

# Counts the tests in the Jest JSON reports; a suite that could not run counts as one failed test.
# Prints the summary line and fails when anything failed.
summarize() {
  node -e '
    const fs = require("fs");
    let passed = 0;
    let failed = 0;
    for (const file of process.argv.slice(1)) {
      if (!fs.existsSync(file)) continue;
      try {
        const report = JSON.parse(fs.readFileSync(file, "utf8"));
        passed += report.numPassedTests;
        failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
      } catch {
        failed += 1;
      }
    }
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  ' "$RESULTS_DIR/unit.json" "$RESULTS_DIR/e2e.json"
}

finish() {
  local status=$? summary counted=0
  set +e
  if [ "$stop_infra_on_exit" = 1 ]; then INFRA_PROFILE=test bash scripts/infra/down.sh; fi
  summary="$(summarize)" || counted=1
  printf '\n%s\n' "$summary"
  if [ "$status" -eq 0 ] && [ "$counted" -ne 0 ]; then status=1; fi
  exit "$status"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Fresh Redis + FerretDB for the end-to-end tests, stopped again at exit, unless the caller gave both URLs
# or a test infrastructure is already running. One npm test at a time per clone runs this phase (the test
# profile has fixed ports).
start_test_infrastructure() {
  mkdir -p .data
  if command -v flock >/dev/null; then
    exec 9>.data/test-infra.lock
    if ! flock -n 9; then
      say "waiting for another npm test in this clone to finish its end-to-end tests"
      flock 9
    fi
  fi
  if [ -z "$CALLER_REDIS_URL" ] || [ -z "$CALLER_MONGO_URL" ]; then
    if pid_alive .data/test/redis.pid || pid_alive .data/test/ferretdb.pid; then
      # Started by someone else (npm run test:e2e, an interrupted run): used as is, left running.
      say "reusing the test infrastructure that is already running (left running afterwards)"
    else
      rm -rf .data/test # fresh Redis and FerretDB state
      stop_infra_on_exit=1
    fi
  fi
  INFRA_PROFILE=test bash scripts/infra/up.sh
  set -a
  # shellcheck source=/dev/null
  source .data/test/infra.env
  set +a
  say "end-to-end infrastructure: REDIS_URL=$REDIS_URL MONGO_URL=$MONGO_URL"
}

trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
install_dependencies
step format npx prettier --check .
step lint bash scripts/lint.sh
step types npx tsc -p tsconfig.json --noEmit
step build node scripts/build.mjs
step "unit tests" npx jest -c jest.config.ts --json --outputFile="$RESULTS_DIR/unit.json"
step "deployment manifests" bash scripts/validate-deploy.sh
start_test_infrastructure
# dist/ was just built. --forceExit: a handle a test leaks must not hang CI (Jest then always prints a
# "Force exiting" hint, leak or not; npm run test:e2e without it shows a real leak).
step "end-to-end tests" env E2E_SKIP_BUILD=1 npx jest -c e2e/jest.config.ts --runInBand --forceExit \
  --json --outputFile="$RESULTS_DIR/e2e.json"
