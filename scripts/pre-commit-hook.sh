#!/bin/sh
# The pre-commit framework's entry for bglint (`language: script` in .pre-commit-hooks.yaml).
# pre-commit runs it from the user's repository with the staged files as arguments. The first run
# installs bglint inside pre-commit's own clone of this repository (pnpm, from the npm registry);
# later runs start at once. `language: node` cannot be used: it runs `npm install` here, and npm
# does not understand the pnpm workspace's `workspace:` dependencies.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/packages/cli/dist/main.js" ]; then
  echo "bglint: first run, installing into $here (once)" >&2
  (cd "$here" && npx --yes pnpm@12.4.2 install --frozen-lockfile --reporter=silent) >&2
fi
exec node "$here/packages/cli/bin/bglint.js" "$@"
