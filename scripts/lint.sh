#!/usr/bin/env bash
# ESLint over the workspace with the Nx module-boundary rule. The rule needs the Nx project graph and
# silently skips itself without one, so the graph is computed first and a canary import (an app
# reaching into another app) must be refused, or the lint fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
NX_DAEMON=false npx nx show projects >/dev/null
npx eslint . --max-warnings=0

canary="import { GatewayEnv } from '../../gateway/src/env';
export const leaked = GatewayEnv;"
if out="$(printf '%s\n' "$canary" | npx eslint --stdin --stdin-filename apps/user-preferences/src/boundary-canary.ts 2>&1)"; then
  echo "lint: the module-boundary rule did not refuse an app importing another app" >&2
  exit 1
fi
grep -q '@nx/enforce-module-boundaries' <<<"$out" || { echo "lint: canary failed for another reason:" >&2; echo "$out" >&2; exit 1; }
echo "lint: clean; module boundaries enforced (canary refused)"
