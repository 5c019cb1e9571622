#!/usr/bin/env bash
# npm start: installs dependencies when needed, starts Redis + FerretDB (INFRA_PROFILE=dev), builds, and
# runs the nine apps in the foreground (scripts/run-fleet.mjs). Ctrl-C stops the apps; Redis and FerretDB
# keep running for the next start (npm run infra:down stops them). Safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[start] %s\n' "$*" >&2; }

# shellcheck source=install-deps.sh
source scripts/install-deps.sh

start_infrastructure() {
  INFRA_PROFILE=dev bash scripts/infra/up.sh
  set -a
  # shellcheck source=/dev/null
  source .data/dev/infra.env
  set +a
  say "Redis: $REDIS_URL, MongoDB (FerretDB): $MONGO_URL"
}

build() {
  node scripts/build.mjs
}

run_fleet() {
  NODE_ENV=development exec node scripts/run-fleet.mjs
}

install_dependencies
start_infrastructure
build
run_fleet
