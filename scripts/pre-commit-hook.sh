#!/bin/sh
# The pre-commit framework's entry for bglint (`language: script` in .pre-commit-hooks.yaml).
# pre-commit runs it from the user's repository with the staged files as arguments. The first run
# installs bglint inside pre-commit's own clone of this repository (pnpm, from the npm registry)
# and bundles it as the npm package is (packages/bglint/dist: one file to load instead of ~150
# modules, so each commit's check starts ~80 ms sooner); later runs start at once. `language: node`
# cannot be used: it runs `npm install` here, and npm does not understand the pnpm workspace's
# `workspace:` dependencies.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/packages/cli/dist/main.js" ]; then
  echo "bglint: first run, installing into $here (once)" >&2
  (cd "$here" && npx --yes pnpm@12.4.2 install --frozen-lockfile --reporter=silent) >&2
fi
if [ ! -f "$here/packages/bglint/dist/cli.js" ]; then
  # Without the bundle the workspace's bin runs the same code, only slower to start.
  (cd "$here" && node packages/bglint/scripts/build.mjs) >&2 \
    || echo "bglint: could not bundle bglint in $here; running it unbundled" >&2
fi
if [ -f "$here/packages/bglint/dist/cli.js" ]; then
  exec node "$here/packages/bglint/bin/bglint.js" "$@"
fi
exec node "$here/packages/cli/bin/bglint.js" "$@"
