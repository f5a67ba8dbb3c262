#!/usr/bin/env bash
# Local infrastructure for development and tests: nats-server (JetStream), redis-server
# and PostgreSQL on 127.0.0.1, with all state under $DATA_DIR. See infra/README.md.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(dirname "$INFRA_DIR")

# Defaults stay clear of the system services' ports (4222, 6379, 5432).
: "${NATS_PORT:=14222}" "${NATS_MONITOR_PORT:=18222}" "${REDIS_PORT:=16379}" "${PG_PORT:=15432}"
: "${PG_PASSWORD:=rush-dev}" "${PG_DB:=rush}" "${READY_TIMEOUT:=60}"
# Cluster mode (`--cluster` or CLUSTER=1): 3 nats nodes and a 6-node Redis Cluster instead of
# one of each. Their routes and cluster buses need ports of their own, derived from the above.
: "${CLUSTER:=0}" "${NATS_CLUSTER_PORT:=$((NATS_PORT + 2000))}" "${REDIS_CLUSTER_BUS_PORT:=$((REDIS_PORT + 100))}"
ARGS=()
for arg in "$@"; do
  if [[ $arg == --cluster ]]; then CLUSTER=1; else ARGS+=("$arg"); fi
done
set -- ${ARGS[@]+"${ARGS[@]}"}
DATA_DIR=${DATA_DIR:-.data}
[[ $DATA_DIR == /* ]] || DATA_DIR=$ROOT/$DATA_DIR
export NATS_PORT NATS_MONITOR_PORT

ALL_SERVICES=(nats redis postgres)
SVC_CHOICES=$(IFS='|' && echo "${ALL_SERVICES[*]}")

# shellcheck source=lib/common.sh
. "$INFRA_DIR/lib/common.sh"
# shellcheck source=lib/install.sh
. "$INFRA_DIR/lib/install.sh"
# shellcheck source=lib/nats.sh
. "$INFRA_DIR/lib/nats.sh"
# shellcheck source=lib/redis.sh
. "$INFRA_DIR/lib/redis.sh"
# shellcheck source=lib/postgres.sh
. "$INFRA_DIR/lib/postgres.sh"
if [[ $CLUSTER == 1 ]]; then
  # shellcheck source=lib/nats-cluster.sh
  . "$INFRA_DIR/lib/nats-cluster.sh"
  # shellcheck source=lib/redis-cluster.sh
  . "$INFRA_DIR/lib/redis-cluster.sh"
fi

usage() {
  cat <<EOF
usage: infra.sh <command> [--cluster] [service...]     services: ${ALL_SERVICES[*]} (default: all)

  install            install missing servers (apt-get; brew hint on macOS)
  up [svc...]        install, then start what is not running and wait until it answers
  down [svc...]      stop gracefully
  status [svc...]    running/stopped per server; exit 3 unless all are running
  env                print NATS_URL, REDIS_URL, DATABASE_URL (shell/dotenv format)
  restart <svc...>   down, then up
  logs <svc>         last 100 lines of the server's log
  --cluster          (or CLUSTER=1) 3 nats-server nodes (JetStream R3) and a Redis Cluster of
                     3 masters + 3 replicas, ports counted up from NATS_PORT, REDIS_PORT, ...

env: DATA_DIR=$DATA_DIR
     NATS_PORT=$NATS_PORT NATS_MONITOR_PORT=$NATS_MONITOR_PORT REDIS_PORT=$REDIS_PORT
     PG_PORT=$PG_PORT PG_PASSWORD=*** PG_DB=$PG_DB PG_BINDIR=${PG_BINDIR:-<auto>}
     CLUSTER=$CLUSTER NATS_CLUSTER_PORT=$NATS_CLUSTER_PORT REDIS_CLUSTER_BUS_PORT=$REDIS_CLUSTER_BUS_PORT
EOF
}

check_config() {
  local var
  [[ $CLUSTER == [01] ]] || die "CLUSTER must be 0 or 1, got '$CLUSTER'"
  for var in NATS_PORT NATS_MONITOR_PORT REDIS_PORT PG_PORT NATS_CLUSTER_PORT REDIS_CLUSTER_BUS_PORT; do
    # +5: cluster mode counts up to six ports from each base.
    if ! [[ ${!var} =~ ^[1-9][0-9]{0,4}$ ]] || ((${!var} + 5 > 65535)); then
      die "$var must be a TCP port number, got '${!var}'"
    fi
  done
  [[ $READY_TIMEOUT =~ ^[0-9]+$ ]] || die "READY_TIMEOUT must be a number of seconds"
}

# Sets SERVICES to the services named in "$@" (all when none), rejecting unknown names.
resolve_services() {
  local svc
  (($#)) || set -- "${ALL_SERVICES[@]}"
  SERVICES=()
  for svc in "$@"; do
    case " ${ALL_SERVICES[*]} " in
      *" $svc "*) SERVICES+=("$svc") ;;
      *) die "unknown service '$svc' (expected one of: ${ALL_SERVICES[*]})" ;;
    esac
  done
}

# World-traversable: as root, postgres runs as another user and must reach its data dir.
make_data_dir() {
  [[ -d $DATA_DIR ]] && return
  mkdir -p "$(dirname "$DATA_DIR")"
  mkdir -m 755 "$DATA_DIR"
}

svc_running_line() {
  log "$1: $2 on 127.0.0.1:$("$1_port") (pid $3)"
}

# Allows a few seconds for the pid file to appear, then stops waiting on a dead process.
svc_wait_ready() {
  local svc=$1 start=$SECONDS
  until "${svc}_ready"; do
    ((SECONDS - start < READY_TIMEOUT)) || svc_fail "$svc" "did not answer within ${READY_TIMEOUT}s"
    if ((SECONDS - start >= 3)) && ! "${svc}_pid" >/dev/null; then
      svc_fail "$svc" "exited during startup"
    fi
    sleep 0.2
  done
}

svc_after_up() {
  if declare -F "$1_after_up" >/dev/null; then "$1_after_up"; fi
}

svc_up() {
  local svc=$1 pid port
  if pid=$("${svc}_pid"); then
    # A cluster with a node down counts as running: start the missing nodes first.
    if declare -F "${svc}_start_missing" >/dev/null; then "${svc}_start_missing"; fi
    svc_wait_ready "$svc"
    svc_after_up "$svc"
    svc_running_line "$svc" "already running" "$pid"
    return
  fi
  for port in $("${svc}_ports"); do
    if port_in_use "$port"; then
      die "$svc: 127.0.0.1:$port is taken by another process (not the $svc of $DATA_DIR); stop it or pick other ports (see infra.sh help)"
    fi
  done
  "${svc}_start"
  svc_wait_ready "$svc"
  pid=$("${svc}_pid") || svc_fail "$svc" "answers, but its pid file is missing"
  svc_after_up "$svc"
  svc_running_line "$svc" running "$pid"
}

svc_down() {
  local svc=$1 pid
  if ! pid=$("${svc}_pid"); then
    log "$svc: not running"
    return
  fi
  "${svc}_stop" "$pid" || true
  wait_until "$READY_TIMEOUT" pid_gone "$pid" ||
    die "$svc: pid $pid still running ${READY_TIMEOUT}s after the stop request; see infra.sh logs $svc"
  log "$svc: stopped (was pid $pid)"
}

# One line per server; returns 0 if it is running.
svc_status() {
  local svc=$1 pid state=running note=''
  if ! pid=$("${svc}_pid"); then
    state=stopped pid=-
    if port_in_use "$("${svc}_port")"; then note=" (port taken by another process)"; fi
  fi
  printf '%-9s %-8s 127.0.0.1:%-12s pid %-8s data %s%s\n' \
    "$svc" "$state" "$("${svc}_ports" | tr ' ' ,)" "$pid" "$("${svc}_datadir")" "$note"
  [[ $state == running ]]
}

urlencode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c" && out+=$c ;;
    esac
  done
  printf '%s' "$out"
}

cmd_env() {
  if [[ $CLUSTER == 1 ]]; then
    # Every node: clients find the others from these, and any one may be down.
    printf 'NATS_URL=%s\n' "$(nats_urls)"
    printf 'REDIS_URL=%s\n' "$(redis_urls)"
    printf 'NATS_REPLICAS=3\n'
  else
    printf 'NATS_URL=%q\n' "nats://127.0.0.1:$NATS_PORT"
    printf 'REDIS_URL=%q\n' "redis://127.0.0.1:$REDIS_PORT"
  fi
  printf 'DATABASE_URL=%q\n' \
    "postgres://postgres:$(urlencode "$PG_PASSWORD")@127.0.0.1:$PG_PORT/$(urlencode "$PG_DB")"
}

main() {
  local cmd=${1:-help} svc rc=0
  (($#)) && shift
  check_config
  case $cmd in
    install | up | down | status | restart | logs) resolve_services "$@" ;;
  esac
  case $cmd in
    install) cmd_install "${SERVICES[@]}" ;;
    up)
      cmd_install "${SERVICES[@]}"
      make_data_dir
      for svc in "${SERVICES[@]}"; do svc_up "$svc"; done
      ;;
    down) for svc in "${SERVICES[@]}"; do svc_down "$svc"; done ;;
    status)
      for svc in "${SERVICES[@]}"; do svc_status "$svc" || rc=3; done
      return "$rc"
      ;;
    env) cmd_env ;;
    restart)
      (($#)) || die "usage: infra.sh restart <$SVC_CHOICES>"
      cmd_install "${SERVICES[@]}"
      make_data_dir
      for svc in "${SERVICES[@]}"; do
        svc_down "$svc"
        svc_up "$svc"
      done
      ;;
    logs)
      (($# == 1)) || die "usage: infra.sh logs <$SVC_CHOICES>"
      local file
      file=$("${SERVICES[0]}_logfile")
      [[ -e $file ]] || die "${SERVICES[0]}: no log yet at $file"
      tail -n 100 "$file"
      ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
