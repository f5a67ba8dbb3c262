# shellcheck shell=bash
# Cluster mode (CLUSTER=1): a Redis Cluster of three masters and three replicas. Node i (0..5)
# listens on REDIS_PORT+i with its cluster bus on REDIS_CLUSTER_BUS_PORT+i, data and log under
# $DATA_DIR/redis/n<i+1>. Replaces the redis_* functions of lib/redis.sh for infra.sh.

REDIS_NODES=6
# Failure detection: a master silent this long is failed over to its replica. Redis' 15 s
# default would stop a sale for longer than the 10 s the platform promises.
: "${REDIS_NODE_TIMEOUT_MS:=2000}"
# How long a node started in the background may take to write its pid file (it fails sooner than
# that only by not writing it: a port already taken).
: "${REDIS_NODE_START_S:=10}"

redis_node_home() { echo "$DATA_DIR/redis/n$(($1 + 1))"; }
redis_node_pid() { pid_from_file "$(redis_node_home "$1")/redis.pid" redis-server; }
redis_node_cli() { redis-cli -h 127.0.0.1 -p $((REDIS_PORT + $1)) "${@:2}"; }

# As nats_pid: any live node's pid; `up` starts the missing ones (redis_start_missing).
redis_pid() {
  local i
  for ((i = 0; i < REDIS_NODES; i++)); do redis_node_pid "$i" && return; done
  return 1
}
redis_start_missing() { redis_start; }
redis_port() { echo "$REDIS_PORT"; }
redis_ports() {
  local i
  for ((i = 0; i < REDIS_NODES; i++)); do printf '%s ' $((REDIS_PORT + i)) $((REDIS_CLUSTER_BUS_PORT + i)); done
}
redis_datadir() { echo "$DATA_DIR/redis"; }
redis_logfile() { echo "$(redis_node_home 0)/redis.log"; }
redis_urls() {
  local i urls=()
  for ((i = 0; i < REDIS_NODES; i++)); do urls+=("redis://127.0.0.1:$((REDIS_PORT + i))"); done
  (IFS=, && echo "${urls[*]}")
}

# Every node answers; the cluster itself is created (or found) by redis_after_up.
redis_ready() {
  local i
  for ((i = 0; i < REDIS_NODES; i++)); do [[ $(redis_node_cli "$i" ping 2>/dev/null) == PONG ]] || return 1; done
}

redis_start() {
  local i home
  for ((i = 0; i < REDIS_NODES; i++)); do
    redis_node_pid "$i" >/dev/null && continue
    home=$(redis_node_home "$i")
    mkdir -p "$home"
    redis-server \
      --bind 127.0.0.1 --port $((REDIS_PORT + i)) --protected-mode yes \
      --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-port $((REDIS_CLUSTER_BUS_PORT + i)) --cluster-node-timeout "$REDIS_NODE_TIMEOUT_MS" \
      --dir "$home" "${REDIS_PERSISTENCE[@]}" \
      --daemonize yes --pidfile "$home/redis.pid" --logfile "$home/redis.log" ||
      svc_fail redis "redis-server node $((i + 1)) failed to start"
    # A daemonized node's own process binds its ports and writes its pid file after the command
    # returns: wait for it, so a node that cannot bind fails here, in its own words, and `down`
    # (after a failed `up` too) finds every node that did start.
    wait_until "$REDIS_NODE_START_S" redis_node_pid "$i" >/dev/null || {
      warn "last lines of $home/redis.log:"
      tail -n 5 "$home/redis.log" >&2
      svc_fail redis "redis-server node $((i + 1)) did not start (port $((REDIS_PORT + i)))"
    }
  done
}

redis_cluster_ok() {
  local i
  for ((i = 0; i < REDIS_NODES; i++)); do
    redis_node_cli "$i" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

# First start: join the six nodes into one cluster (each master gets one replica). Later
# starts find the cluster in each node's nodes.conf and only wait for it to be whole again.
redis_after_up() {
  local i nodes=()
  if [[ $(redis_node_cli 0 cluster info 2>/dev/null | grep -c '^cluster_known_nodes:1\b') == 1 ]]; then
    for ((i = 0; i < REDIS_NODES; i++)); do nodes+=("127.0.0.1:$((REDIS_PORT + i))"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >>"$(redis_logfile)" 2>&1 ||
      svc_fail redis "redis-cli --cluster create failed"
  fi
  wait_until "$READY_TIMEOUT" redis_cluster_ok || svc_fail redis "the cluster did not reach cluster_state:ok"
}

redis_stop() {
  local i pid
  for ((i = 0; i < REDIS_NODES; i++)); do
    # Each node as lib/redis.sh stops one: SHUTDOWN, NOSAVE if refused, then KILL.
    if pid=$(redis_node_pid "$i"); then redis_shutdown $((REDIS_PORT + i)) "$pid"; fi
  done
}
