# shellcheck shell=bash
# nats-server with JetStream. Ports and store dir reach nats/nats-server.conf via env.

NATS_HOME=$DATA_DIR/nats
NATS_PID_FILE=$NATS_HOME/nats.pid
NATS_LOG=$NATS_HOME/nats.log
NATS_CONF=$ROOT/nats/nats-server.conf
# One Go scheduler thread: on a machine nats-server shares with a dozen busy processes, a second
# one mostly spins looking for work and parks again, a wake-up per message. Measured on the
# 2-core stack: a third less nats-server CPU per hold (docs/benchmarks.md, `## http`, 4 Dec).
NATS_GOMAXPROCS=${NATS_GOMAXPROCS:-1}

nats_pid() { pid_from_file "$NATS_PID_FILE" nats-server; }
nats_port() { echo "$NATS_PORT"; }
nats_ports() { echo "$NATS_PORT $NATS_MONITOR_PORT"; }
nats_datadir() { echo "$NATS_HOME"; }
nats_logfile() { echo "$NATS_LOG"; }

nats_ready() {
  http_ok "http://127.0.0.1:$NATS_MONITOR_PORT/healthz?js-enabled-only=true"
}

nats_start() {
  [[ -r $NATS_CONF ]] || die "nats: config $NATS_CONF not found"
  mkdir -p "$NATS_HOME"
  rm -f "$NATS_PID_FILE"
  # nats-server has no daemon mode: detach it (own session, immune to SIGHUP) so it
  # outlives this script and a ^C in the terminal that ran it. stdout+stderr go to
  # the log so config errors printed before logging starts are kept too.
  local detach=(nohup)
  have setsid && detach=(setsid nohup)
  GOMAXPROCS=$NATS_GOMAXPROCS NATS_STORE_DIR=$NATS_HOME "${detach[@]}" nats-server -c "$NATS_CONF" -P "$NATS_PID_FILE" \
    >>"$NATS_LOG" 2>&1 </dev/null &
}

# SIGTERM makes nats-server flush and close the JetStream store before exiting.
nats_stop() { kill -TERM "$1"; }
