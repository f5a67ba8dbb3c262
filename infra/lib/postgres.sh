# shellcheck shell=bash
# PostgreSQL cluster in $DATA_DIR/postgres, TCP on 127.0.0.1 only, password auth.

PG_HOME=$DATA_DIR/postgres
PG_LOG=$DATA_DIR/postgres.log
PG_OS_USER=${PG_OS_USER:-postgres}
PG_BIN=

postgres_pid() { pid_from_file "$PG_HOME/postmaster.pid" postgres; }
postgres_port() { echo "$PG_PORT"; }
postgres_ports() { echo "$PG_PORT"; }
postgres_datadir() { echo "$PG_HOME"; }
postgres_logfile() { echo "$PG_LOG"; }

# Resolved lazily: on a fresh machine `install` has to run first.
pg_resolve_bin() {
  [[ -n $PG_BIN ]] && return
  if ! PG_BIN=$(pg_find_bindir) || ! pg_bins_present "$PG_BIN"; then
    die "postgres: initdb/pg_ctl/postgres not found (set PG_BINDIR or run: infra.sh install)"
  fi
}

# initdb, pg_ctl and postgres refuse to run as root: drop to the postgres OS user.
# cd / because those tools fail if they cannot read the caller's working directory.
as_pg_user() {
  if ! is_root; then
    "$@"
  elif have runuser; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  elif have sudo; then
    (cd / && sudo -u "$PG_OS_USER" -- "$@")
  else
    die "postgres: running as root needs runuser or sudo to switch to '$PG_OS_USER'"
  fi
}

pg_psql() {
  local psql=$PG_BIN/psql
  [[ -x $psql ]] || psql=$(command -v psql) || die "postgres: psql not found"
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 \
    "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

postgres_ready() {
  pg_resolve_bin
  if [[ -x $PG_BIN/pg_isready ]]; then
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
  else
    pg_psql -d postgres -tAc 'select 1' >/dev/null 2>&1
  fi
}

# Root case: the data dir belongs to the postgres user, which must be able to reach it.
pg_prepare_dirs() {
  mkdir -p "$PG_HOME"
  touch "$PG_LOG"
  if is_root; then
    id -u "$PG_OS_USER" >/dev/null 2>&1 ||
      die "postgres: running as root needs an OS user '$PG_OS_USER' (set PG_OS_USER, or install the postgresql package, which creates it)"
    chown "$PG_OS_USER:" "$PG_HOME" "$PG_LOG"
    if ! as_pg_user test -w "$PG_HOME"; then
      local dir='' part parts
      IFS=/ read -ra parts <<<"${PG_HOME#/}"
      for part in "${parts[@]}"; do
        dir=$dir/$part
        as_pg_user test -x "$dir" ||
          die "postgres: user '$PG_OS_USER' cannot enter $dir, so it cannot use $PG_HOME. Use a DATA_DIR outside it, or: chmod o+x $dir"
      done
      die "postgres: user '$PG_OS_USER' cannot write $PG_HOME"
    fi
  fi
  chmod 700 "$PG_HOME"
}

pg_initdb() {
  local pwfile locale_opt=(--no-locale)
  # C.UTF-8 keeps sorting byte-wise but gives UTF-8 ctype; not every system ships it.
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_opt=(--locale=C.UTF-8)
  fi
  pwfile=$(mktemp "$DATA_DIR/.pg-password.XXXXXX")
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  is_root && chown "$PG_OS_USER" "$pwfile"
  if ! as_pg_user "$PG_BIN/initdb" -D "$PG_HOME" -U postgres --auth=scram-sha-256 \
    --pwfile="$pwfile" -E UTF8 "${locale_opt[@]}" >>"$PG_LOG" 2>&1; then
    rm -f "$pwfile"
    svc_fail postgres "initdb failed"
  fi
  rm -f "$pwfile"
  log "postgres: initialised $PG_HOME (${locale_opt[*]})"
}

# Dev-friendly but durable: fsync stays on so a crash does not corrupt the cluster.
pg_server_opts() {
  local opts=(
    "-p $PG_PORT"
    "-c listen_addresses=127.0.0.1"
    "-c unix_socket_directories=''"
    "-c max_connections=200"
    "-c shared_buffers=256MB"
    "-c work_mem=8MB"
    "-c maintenance_work_mem=128MB"
    "-c fsync=on"
    "-c synchronous_commit=on"
    "-c max_wal_size=2GB"
    "-c log_min_duration_statement=500ms"
    "-c log_line_prefix='%m [%p] %q%u@%d '"
  )
  echo "${opts[*]}"
}

postgres_start() {
  pg_resolve_bin
  pg_prepare_dirs
  [[ -s $PG_HOME/PG_VERSION ]] || pg_initdb
  as_pg_user "$PG_BIN/pg_ctl" start -w -t "$READY_TIMEOUT" -D "$PG_HOME" -l "$PG_LOG" \
    -o "$(pg_server_opts)" >/dev/null ||
    svc_fail postgres "pg_ctl start failed"
}

# Create $PG_DB if missing; runs on every up, so a new PG_DB appears without a restart.
postgres_after_up() {
  local exists
  pg_resolve_bin
  exists=$(pg_psql -d postgres -tA -v db="$PG_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'") ||
    die "postgres: cannot log in as postgres on 127.0.0.1:$PG_PORT; PG_PASSWORD must match the one the cluster was created with"
  if [[ $exists != 1 ]]; then
    pg_psql -d postgres -v db="$PG_DB" <<<"SELECT format('CREATE DATABASE %I', :'db') \\gexec"
    log "postgres: created database $PG_DB"
  fi
}

# fast: roll back open transactions and checkpoint, rather than wait for clients to leave.
postgres_stop() {
  pg_resolve_bin
  as_pg_user "$PG_BIN/pg_ctl" stop -w -t "$READY_TIMEOUT" -D "$PG_HOME" -m fast >/dev/null
}
