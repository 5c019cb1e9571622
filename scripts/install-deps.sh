#!/usr/bin/env bash
# npm ci when node_modules is missing or older than package-lock.json (tracked by a stamp file).
# Sourced by start.sh and test.sh.
install_dependencies() {
  local stamp=node_modules/.testpulse-install-stamp
  # A tree npm installed after the last lockfile change counts as installed (npm keeps its own copy of the lock).
  if [ ! -f "$stamp" ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then touch "$stamp"; fi
  if [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then return; fi
  printf '[install] npm ci\n' >&2
  npm ci --no-audit --no-fund
  touch "$stamp"
}
