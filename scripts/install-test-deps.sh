#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium package and playwright-core (the
# driver only; it never downloads a browser: the tests point it at /usr/bin/chromium).
# Idempotent; run as root (or with sudo available). Usage: scripts/install-test-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
fi
chromium --version

if ! command -v node >/dev/null 2>&1; then
  echo "install-test-deps: node (>= 18) is required for the browser tests" >&2
  exit 1
fi
# playwright-core has no postinstall download; the lock file pins the exact version.
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent 2>/dev/null \
  || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
echo "install-test-deps: chromium and playwright-core are ready"
