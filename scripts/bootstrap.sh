#!/usr/bin/env bash
# Everything the start and test commands need on a fresh Debian/Ubuntu machine with only
# Node >= 20: the servers (apt-get, through infra/), pnpm, and the workspace's dependencies.
# Idempotent and quick when all is in place.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  echo "bootstrap: Node >= 20 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

bash infra/infra.sh install

# pnpm at the version package.json pins, installed under .data/tools so it needs neither root
# nor corepack (whose signature keys lag behind pnpm releases on older Node builds).
want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
tools="$ROOT/.data/tools"
if [[ $(pnpm --version 2>/dev/null || true) != "$want" ]]; then
  if [[ $("$tools/node_modules/.bin/pnpm" --version 2>/dev/null || true) != "$want" ]]; then
    echo "bootstrap: installing pnpm $want into .data/tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" "pnpm@$want" >/dev/null
  fi
fi
echo "bootstrap: pnpm $want"

# Browser tests drive Debian's Chromium (Playwright's own download cannot run here).
if [[ ${RUSH_SKIP_BROWSER:-0} != 1 ]] && ! command -v chromium >/dev/null 2>&1 && [[ -f packages/web/package.json ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    ((EUID == 0)) || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
  fi
fi
