# shellcheck shell=bash
# Cluster mode (CLUSTER=1): three nats-server nodes with clustered JetStream over loopback routes.
# Node i (0..2) listens on NATS_PORT+i, monitors on NATS_MONITOR_PORT+i, routes on
# NATS_CLUSTER_PORT+i; its store and log are under $DATA_DIR/nats/n<i+1>. It replaces the
# single-node nats_* functions of lib/nats.sh (same names, same contract for infra.sh).

NATS_NODES=3
NATS_CONF=$ROOT/nats/nats-server.conf

nats_node_home() { echo "$DATA_DIR/nats/n$(($1 + 1))"; }
nats_node_pid() { pid_from_file "$(nats_node_home "$1")/nats.pid" nats-server; }

# The pid of the first live node: infra.sh treats the cluster as running while any node is
# (so `down` stops the survivors of a crash); `up` then starts the missing ones.
nats_pid() {
  local i
  for ((i = 0; i < NATS_NODES; i++)); do nats_node_pid "$i" && return; done
  return 1
}
nats_start_missing() { nats_start; }
nats_port() { echo "$NATS_PORT"; }
nats_ports() {
  local i
  for ((i = 0; i < NATS_NODES; i++)); do
    printf "%s %s %s " $((NATS_PORT + i)) $((NATS_MONITOR_PORT + i)) $((NATS_CLUSTER_PORT + i))
  done
}
nats_datadir() { echo "$DATA_DIR/nats"; }
nats_logfile() { echo "$(nats_node_home 0)/nats.log"; }
nats_urls() {
  local i urls=()
  for ((i = 0; i < NATS_NODES; i++)); do urls+=("nats://127.0.0.1:$((NATS_PORT + i))"); done
  (IFS=, && echo "${urls[*]}")
}

# Ready when every node's JetStream answers (a meta leader is elected once a quorum is up).
nats_ready() {
  local i
  for ((i = 0; i < NATS_NODES; i++)); do
    http_ok "http://127.0.0.1:$((NATS_MONITOR_PORT + i))/healthz" || return 1
  done
}

nats_start_node() {
  local i=$1 home routes=() j
  home=$(nats_node_home "$i")
  mkdir -p "$home"
  rm -f "$home/nats.pid"
  for ((j = 0; j < NATS_NODES; j++)); do routes+=("nats-route://127.0.0.1:$((NATS_CLUSTER_PORT + j))"); done
  local detach=(nohup)
  have setsid && detach=(setsid nohup)
  # The same config as one node; flags add the node's name, ports and routes.
  GOMAXPROCS=$NATS_GOMAXPROCS NATS_PORT=$((NATS_PORT + i)) NATS_MONITOR_PORT=$((NATS_MONITOR_PORT + i)) NATS_STORE_DIR=$home \
    "${detach[@]}" nats-server -c "$NATS_CONF" -P "$home/nats.pid" -n "rush-n$((i + 1))" \
    --cluster_name rush --cluster "nats://127.0.0.1:$((NATS_CLUSTER_PORT + i))" \
    --routes "$(IFS=, && echo "${routes[*]}")" >>"$home/nats.log" 2>&1 </dev/null &
}

nats_start() {
  [[ -r $NATS_CONF ]] || die "nats: config $NATS_CONF not found"
  local i
  for ((i = 0; i < NATS_NODES; i++)); do nats_node_pid "$i" >/dev/null || nats_start_node "$i"; done
}

nats_stop() {
  local i pid
  for ((i = 0; i < NATS_NODES; i++)); do
    if pid=$(nats_node_pid "$i"); then
      kill -TERM "$pid"
      wait_until "$READY_TIMEOUT" pid_gone "$pid" || true
    fi
  done
}
