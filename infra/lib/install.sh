# shellcheck shell=bash
# Finding the server binaries, and installing the missing ones with apt.

# pg_find_bindir: print the PostgreSQL server bindir (holding initdb, pg_ctl, postgres).
# Debian keeps these off PATH in /usr/lib/postgresql/<major>/bin.
pg_find_bindir() {
  local dir candidates=()
  if [[ -n ${PG_BINDIR:-} ]]; then
    printf '%s\n' "$PG_BINDIR"
    return
  fi
  if have pg_config && dir=$(pg_config --bindir 2>/dev/null) && [[ -x $dir/initdb ]]; then
    printf '%s\n' "$dir"
    return
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb ]] && candidates+=("$dir")
  done
  if ((${#candidates[@]})); then
    printf '%s\n' "${candidates[@]}" | sort -V | tail -n 1
    return
  fi
  if have initdb; then
    dir=$(command -v initdb)
    printf '%s\n' "${dir%/*}"
    return
  fi
  return 1
}

pg_bins_present() {
  [[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]
}

# svc_binary SVC: print where the server binary is, or fail if it is missing.
svc_binary() {
  local dir
  case $1 in
    nats) command -v nats-server ;;
    redis) have redis-cli && command -v redis-server ;;
    postgres) dir=$(pg_find_bindir) && pg_bins_present "$dir" && printf '%s\n' "$dir" ;;
  esac
}

svc_package() {
  case $1 in
    nats) echo nats-server ;;
    redis) echo redis-server ;;
    postgres) echo postgresql ;;
  esac
}

# apt_install PKG...: apt-get update once, then install, as root (or via sudo).
apt_install() {
  local sudo=()
  if ! is_root; then
    if have sudo; then
      sudo=(sudo)
    else
      log "Installing needs root. Run as root:"
      log "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $*"
      exit 1
    fi
  fi
  "${sudo[@]}" apt-get update
  # env, because sudo resets the environment.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# cmd_install [SVC...]: make sure the server binaries exist; quick no-op when they do.
cmd_install() {
  local svc bin missing=() pkgs=()
  if [[ -n ${PG_BINDIR:-} ]] && [[ " $* " == *" postgres "* ]] && ! pg_bins_present "$PG_BINDIR"; then
    die "PG_BINDIR=$PG_BINDIR has no initdb/pg_ctl/postgres"
  fi
  for svc in "$@"; do
    if bin=$(svc_binary "$svc"); then
      log "$(svc_package "$svc"): found ($bin)"
    else
      missing+=("$svc")
      pkgs+=("$(svc_package "$svc")")
    fi
  done
  ((${#missing[@]})) || return 0

  if [[ $(uname -s) == Darwin ]]; then
    log "Missing: ${pkgs[*]}. Install with:"
    log "  brew install nats-server redis postgresql@16"
    exit 1
  fi
  have apt-get || die "missing ${pkgs[*]} and no apt-get here; install them with your package manager"
  apt_install "${pkgs[@]}"
  for svc in "${missing[@]}"; do
    bin=$(svc_binary "$svc") || die "$(svc_package "$svc"): still missing after apt-get install"
    log "$(svc_package "$svc"): installed ($bin)"
  done
}
