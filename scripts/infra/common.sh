# Shared settings of the local infrastructure scripts. Source it; INFRA_PROFILE picks the set:
#   dev  (npm start): Redis 127.0.0.1:6379, FerretDB 127.0.0.1:27017, data in .data/dev
#   test (npm test):  Redis 127.0.0.1:6381, FerretDB 127.0.0.1:27019, data in .data/test
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA_PROFILE="${INFRA_PROFILE:-dev}"
case "$INFRA_PROFILE" in
  dev) REDIS_PORT="${LOCAL_REDIS_PORT:-6379}"; FERRET_PORT="${LOCAL_FERRET_PORT:-27017}"; FERRET_DEBUG_PORT="${LOCAL_FERRET_DEBUG_PORT:-8088}" ;;
  test) REDIS_PORT="${LOCAL_REDIS_PORT:-6381}"; FERRET_PORT="${LOCAL_FERRET_PORT:-27019}"; FERRET_DEBUG_PORT="${LOCAL_FERRET_DEBUG_PORT:-8089}" ;;
  *) echo "INFRA_PROFILE must be dev or test, got '$INFRA_PROFILE'" >&2; exit 1 ;;
esac
DATA_DIR="$ROOT_DIR/.data/$INFRA_PROFILE"
INFRA_ENV_FILE="$DATA_DIR/infra.env"

log() { printf '[infra:%s] %s\n' "$INFRA_PROFILE" "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_port() { # port seconds name
  local i
  for ((i = 0; i < $2 * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  log "$3 did not open port $1 within $2 s"; return 1
}
