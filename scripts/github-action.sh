#!/usr/bin/env bash
# The steps of the bglint GitHub Action (action.yml), kept here so they can be tested
# (packages/bglint/test/action.test.ts runs them with a simulated runner).
#
#   github-action.sh cache-key   writes `key=…` to $GITHUB_OUTPUT: the built bglint for this lockfile
#                                and these sources, on this OS, CPU and Node major version
#   github-action.sh lint        runs bglint (the repository's own node_modules/.bin/bglint when it
#                                has one, else the one of this checkout, built here on a cache miss),
#                                writes the SARIF log, `sarif-file` and `exit-code`; exits 2 when
#                                bglint could not run
#   github-action.sh verdict     exits 1 when fail-on-findings is true and bglint exited 1
#
# Nothing is fetched by package name except pnpm itself, at the version the repository's
# package.json pins (packageManager), to install this checkout with its frozen lockfile.
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
built_cli="$action_dir/packages/bglint/dist/cli.js"

cache_key() {
  local digest
  digest=$(cd "$action_dir" && {
    cat pnpm-lock.yaml package.json pnpm-workspace.yaml
    find packages -path '*/node_modules' -prune -o \( -path 'packages/*/src/*' -o -path 'packages/*/package.json' -o -path 'packages/*/scripts/*' \) -type f -print | LC_ALL=C sort | xargs cat
  } | sha256sum | cut -c1-32)
  echo "key=bglint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-node$(node -p 'process.versions.node.split(".")[0]')-$digest" >> "$GITHUB_OUTPUT"
}

# Installs this checkout (dev dependencies too: they build dist/) and bundles packages/bglint.
build_bglint() {
  local pnpm_version tools="${RUNNER_TEMP:?RUNNER_TEMP is not set}/bglint-tools"
  pnpm_version=$(node -p 'require(process.argv[1]).packageManager.replace(/^pnpm@/, "")' "$action_dir/package.json")
  echo "::group::Build bglint from $action_dir (pnpm $pnpm_version, frozen lockfile)"
  npm install --no-save --no-audit --no-fund --prefix "$tools" "pnpm@$pnpm_version" >&2
  (cd "$action_dir" && "$tools/node_modules/.bin/pnpm" install --frozen-lockfile >&2 && node packages/bglint/scripts/build.mjs >&2)
  echo "::endgroup::"
}

# `paths`: one path per line (a path may hold spaces); a single line that is not itself a path is
# split on spaces, as before.
read_paths() {
  local line
  paths=()
  BGLINT_PATHS="${BGLINT_PATHS:-.}"
  if [[ "$BGLINT_PATHS" == *$'\n'* ]]; then
    while IFS= read -r line; do
      line="${line%$'\r'}"
      if [ -n "${line//[[:space:]]/}" ]; then paths+=("$line"); fi
    done <<< "$BGLINT_PATHS"
  elif [ -e "$BGLINT_PATHS" ]; then
    paths=("$BGLINT_PATHS")
  else
    read -r -a paths <<< "$BGLINT_PATHS"
  fi
  [ ${#paths[@]} -gt 0 ] || paths=(.)
}

lint() {
  local sarif="${RUNNER_TEMP:?RUNNER_TEMP is not set}/bglint.sarif" status=0 extra=()
  read_paths
  read -r -a extra <<< "${BGLINT_ARGS:-}"
  if [ -x node_modules/.bin/bglint ]; then
    bglint=(node_modules/.bin/bglint)
  else
    [ -f "$built_cli" ] || build_bglint || { echo "::error title=bglint::could not build bglint from $action_dir"; exit 2; }
    bglint=(node "$action_dir/packages/bglint/bin/bglint.js")
  fi
  "${bglint[@]}" --format sarif --sarif-category "${BGLINT_CATEGORY:-bglint/}" --output-file "$sarif" "${extra[@]}" "${paths[@]}" || status=$?
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
  echo "exit-code=$status" >> "$GITHUB_OUTPUT"
  if [ "$status" -gt 1 ]; then
    echo "::error title=bglint::bglint could not run (exit code $status); see the log above."
    exit "$status"
  fi
}

verdict() {
  if [ "${BGLINT_FAIL_ON_FINDINGS:-false}" = true ] && [ "${BGLINT_EXIT_CODE:-0}" = 1 ]; then
    echo "::error title=bglint::bglint reported errors or too many warnings; see code scanning alerts."
    exit 1
  fi
}

case "${1:-}" in
  cache-key) cache_key ;;
  lint) lint ;;
  verdict) verdict ;;
  *) echo "usage: $0 cache-key|lint|verdict" >&2; exit 2 ;;
esac
