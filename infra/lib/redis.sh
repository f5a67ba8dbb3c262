# shellcheck shell=bash
# redis-server, daemonized, AOF persistence under $DATA_DIR/redis.

REDIS_HOME=$DATA_DIR/redis
REDIS_PID_FILE=$REDIS_HOME/redis.pid
REDIS_LOG=$REDIS_HOME/redis.log

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
    --dir "$REDIS_HOME" --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" ||
    svc_fail redis "redis-server failed to start"
}

# SHUTDOWN fsyncs the AOF (and saves a snapshot) before exiting; SIGTERM does the
# same, so it is the fallback when the port does not answer.
redis_stop() {
  redis_cli shutdown >/dev/null 2>&1 || kill -TERM "$1"
}
