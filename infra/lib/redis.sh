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

# SHUTDOWN fsyncs the AOF before exiting; SIGTERM does the
# same, so it is the fallback when the port does not answer.
redis_stop() {
  redis_cli shutdown >/dev/null 2>&1 || kill -TERM "$1"
}
