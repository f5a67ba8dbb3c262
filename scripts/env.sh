# Sourced by the scripts: puts the pinned pnpm (from bootstrap) first on PATH.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
if [[ -x $ROOT/.data/tools/node_modules/.bin/pnpm ]]; then
  PATH="$ROOT/.data/tools/node_modules/.bin:$PATH"
  export PATH
fi
