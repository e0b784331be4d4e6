#!/usr/bin/env bash
# Sets up a fresh machine for sealkit: pnpm, the workspace's packages and a build.
# With --tests, also what the test suite uses beyond Node: Debian's chromium (browser tests),
# Python's cryptography (the independent opener) and the Go-built reference binaries
# (kubeseal, Bitnami's controller, kube-apiserver, etcd; see scripts/reference-binaries.sh),
# and the CLI's single-file executable.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=false
case "${1:-}" in
  --tests) tests=true ;;
  "") ;;
  *) echo "usage: bash scripts/setup.sh [--tests]" >&2; exit 2 ;;
esac

PNPM_VERSION=9.15.9
# corepack's signature check fails against the registry here, so pnpm comes from npm.
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

pnpm install --frozen-lockfile --reporter=silent
pnpm build >/dev/null

$tests || exit 0

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing chromium for the browser tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    echo "setup: chromium could not be installed; the browser tests will be skipped" >&2
fi

if ! python3 -c 'import cryptography' 2>/dev/null; then
  echo "setup: installing Python's cryptography for the independent opener" >&2
  python3 -m pip install --quiet cryptography || echo "setup: cryptography could not be installed" >&2
fi

bash scripts/reference-binaries.sh

# The single-file executable is a build artifact of its own (not in pnpm build: ~15 s and 100 MB).
pnpm --filter @sealkit/cli build:sea >/dev/null 2>&1 || echo "setup: the single-file executable could not be built; its tests will be skipped" >&2
