#!/usr/bin/env bash
# Installs (if missing) and starts Redis and FerretDB (SQLite backend) on loopback, idempotently.
# When REDIS_URL / MONGO_URL are set, those servers are used and nothing is started for them.
# Writes the URLs to .data/<profile>/infra.env (sourced by the start and test scripts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$DATA_DIR"

start_redis() {
  if ! command -v redis-server >/dev/null; then
    log "installing redis-server (Debian package)"
    if [ "$(id -u)" -ne 0 ]; then log "redis-server is missing and installing it needs root: apt-get install redis-server"; exit 1; fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if pid_alive "$DATA_DIR/redis.pid" && port_open "$REDIS_PORT"; then log "redis already running on $REDIS_PORT"; return; fi
  if port_open "$REDIS_PORT"; then log "port $REDIS_PORT is taken by another process: set LOCAL_REDIS_PORT or REDIS_URL"; exit 1; fi
  mkdir -p "$DATA_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
    --dir "$DATA_DIR/redis" --pidfile "$DATA_DIR/redis.pid" --logfile "$DATA_DIR/redis.log" \
    --save 60 1000 --appendonly no
  wait_port "$REDIS_PORT" 10 redis
  log "redis started on 127.0.0.1:$REDIS_PORT"
}

start_ferretdb() {
  if pid_alive "$DATA_DIR/ferretdb.pid" && port_open "$FERRET_PORT"; then log "ferretdb already running on $FERRET_PORT"; return; fi
  if port_open "$FERRET_PORT"; then log "port $FERRET_PORT is taken by another process: set LOCAL_FERRET_PORT or MONGO_URL"; exit 1; fi
  local bin
  bin="$(bash "$ROOT_DIR/scripts/infra/install-ferretdb.sh")"
  mkdir -p "$DATA_DIR/ferretdb/sqlite" "$DATA_DIR/ferretdb/state"
  FERRETDB_TELEMETRY=disable DO_NOT_TRACK=1 nohup "$bin" \
    --handler=sqlite --sqlite-url="file:$DATA_DIR/ferretdb/sqlite/" \
    --listen-addr="127.0.0.1:$FERRET_PORT" --debug-addr="127.0.0.1:$FERRET_DEBUG_PORT" \
    --state-dir="$DATA_DIR/ferretdb/state" --telemetry=disable --log-level=warn \
    >>"$DATA_DIR/ferretdb.log" 2>&1 &
  echo $! >"$DATA_DIR/ferretdb.pid"
  wait_port "$FERRET_PORT" 30 ferretdb
  log "ferretdb started on 127.0.0.1:$FERRET_PORT (sqlite files in $DATA_DIR/ferretdb/sqlite)"
}

if [ -n "${REDIS_URL:-}" ]; then log "using REDIS_URL from the environment"; else start_redis; fi
if [ -n "${MONGO_URL:-}" ]; then log "using MONGO_URL from the environment"; else start_ferretdb; fi

{
  echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
  echo "MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:$FERRET_PORT}"
} >"$INFRA_ENV_FILE"
