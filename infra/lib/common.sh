# shellcheck shell=bash
# Helpers shared by infra.sh and the per-server libs. Sourced, never executed.

log() { printf '%s\n' "$*"; }
warn() { printf 'infra: %s\n' "$*" >&2; }
die() {
  warn "$*"
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# proc_live PID: PID exists and is not a zombie. Exited daemons are reparented to
# pid 1, and in some containers pid 1 is slow to reap them.
proc_live() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  [[ -r /proc/$1/stat ]] || return 0
  stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# pid_alive PID NAME: PID is a live process whose command name contains NAME.
# The name check keeps a stale pid file from matching an unrelated, reused pid.
pid_alive() {
  local pid=$1 name=$2 comm
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  proc_live "$pid" || return 1
  if [[ -r /proc/$pid/comm ]]; then
    comm=$(<"/proc/$pid/comm") 2>/dev/null || return 1
  else
    comm=$(ps -p "$pid" -o comm= 2>/dev/null) || return 1
  fi
  [[ $comm == *"$name"* ]]
}

# pid_from_file FILE NAME: print the pid stored in FILE if that process is alive.
pid_from_file() {
  local file=$1 name=$2 pid=''
  [[ -r $file ]] || return 1
  read -r pid <"$file" || [[ -n $pid ]] || return 1
  pid_alive "$pid" "$name" || return 1
  printf '%s\n' "$pid"
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# http_ok URL: GET URL answers 200. curl if present, else bash /dev/tcp, else node.
http_ok() {
  local url=$1
  if have curl; then
    curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null
    return
  fi
  [[ $url =~ ^http://([^/:]+):([0-9]+)(/.*)?$ ]] || return 1
  local host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]} path=${BASH_REMATCH[3]:-/}
  if (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
    IFS= read -r -t 2 status <&3 || exit 1
    [[ $status == HTTP/*' 200'* ]]
  ) 2>/dev/null; then
    return 0
  fi
  # Some bash builds lack /dev/tcp; node (>=18) has fetch.
  have node && node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"
}

# wait_until SECONDS CMD...: poll CMD until it succeeds; fail after SECONDS.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

pid_gone() { ! proc_live "$1"; }

# svc_fail SVC MESSAGE: report a failed start with the tail of the server's log, then exit.
svc_fail() {
  local svc=$1 logfile
  shift
  warn "$svc: $*"
  logfile=$("${svc}_logfile")
  if [[ -s $logfile ]]; then
    warn "last lines of $logfile:"
    tail -n 20 "$logfile" >&2
  fi
  exit 1
}
