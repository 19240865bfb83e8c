#!/usr/bin/env bash
# Builds editors/vscode/bglint.vsix: installs the extension's own tools (kept out of the workspace and
# its tests), type-checks, bundles the client into dist/extension.js and packages it with vsce.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npx tsc -p .
npm run package
echo "built $(pwd)/bglint.vsix"
