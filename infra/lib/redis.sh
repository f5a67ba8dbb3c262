# shellcheck shell=bash
# redis-server, daemonized, AOF persistence under $DATA_DIR/redis.

REDIS_HOME=$DATA_DIR/redis
REDIS_PID_FILE=$REDIS_HOME/redis.pid
REDIS_LOG=$REDIS_HOME/redis.log

# Persistence is the AOF alone, fsynced every second. No RDB snapshot points: each forks Redis,
# and a sale's writes pass the default "10000 changes in 60 seconds" every minute. The AOF is
# rewritten only past REDIS_AOF_REWRITE_MIN_SIZE: a sale appends ~4 KB per hold, so the default
# 64 MB came round every ~15 s at full load, and each rewrite's child took a core for over a second
# from a stack that has two (docs/benchmarks.md, `## http`, 5 Dec).
REDIS_AOF_REWRITE_MIN_SIZE=${REDIS_AOF_REWRITE_MIN_SIZE:-1gb}
REDIS_PERSISTENCE=(--appendonly yes --appendfsync everysec --save "" --auto-aof-rewrite-min-size "$REDIS_AOF_REWRITE_MIN_SIZE")

redis_pid() { pid_from_file "$REDIS_PID_FILE" redis-server; }
redis_port() { echo "$REDIS_PORT"; }
redis_ports() { echo "$REDIS_PORT"; }
redis_datadir() { echo "$REDIS_HOME"; }
redis_logfile() { echo "$REDIS_LOG"; }

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

redis_ready() { [[ $(redis_cli ping 2>/dev/null) == PONG ]]; }

redis_start() {
  mkdir -p "$REDIS_HOME"
  redis-server \
    --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$REDIS_HOME" "${REDIS_PERSISTENCE[@]}" \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" ||
    svc_fail redis "redis-server failed to start"
}

# redis_shutdown PORT PID: stops the redis-server on PORT and waits until PID is gone. SHUTDOWN
# fsyncs the AOF before exiting (SIGTERM does the same: the fallback when the port does not
# answer). It may be refused (a failed save: "Errors trying to SHUTDOWN"), and redis-cli exits 0
# on an error reply; then SHUTDOWN NOSAVE (the AOF is still fsynced), and what is left, KILL.
# Nothing outlives `down`: a test's data folder is deleted next, pid file and all.
redis_shutdown() {
  local port=$1 pid=$2 said
  said=$(timeout 10 redis-cli -h 127.0.0.1 -p "$port" shutdown 2>&1) || said="no answer"
  if [[ $said == *ERR* ]]; then
    warn "redis on port $port refused SHUTDOWN (${said//$'\n'/ }): SHUTDOWN NOSAVE"
    timeout 10 redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  elif [[ $said == "no answer" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  wait_until 10 pid_gone "$pid" && return
  warn "redis on port $port (pid $pid) still running after SHUTDOWN: killed"
  kill -KILL "$pid" 2>/dev/null || true
  wait_until 5 pid_gone "$pid" || true
}

redis_stop() { redis_shutdown "$REDIS_PORT" "$1"; }
