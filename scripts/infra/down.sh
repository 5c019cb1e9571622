#!/usr/bin/env bash
# Stops the Redis and FerretDB that up.sh started for this profile (data is kept).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stop_pid() { # pidfile name
  if pid_alive "$1"; then
    local pid; pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "$2 stopped"
  fi
  rm -f "$1"
}

stop_pid "$DATA_DIR/ferretdb.pid" ferretdb
stop_pid "$DATA_DIR/redis.pid" redis
