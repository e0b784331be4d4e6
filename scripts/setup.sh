#!/usr/bin/env bash
# Sets up a fresh machine for sealkit: pnpm, the workspace's packages, a build,
# and (for the browser tests) Debian's chromium when it is missing and apt is at hand.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=9.15.9
# corepack's signature check fails against the registry here, so pnpm comes from npm.
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing chromium for the browser tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    echo "setup: chromium could not be installed; the browser tests will be skipped" >&2
fi

pnpm install --frozen-lockfile --reporter=silent
pnpm build >/dev/null
