#!/usr/bin/env bash
# End-to-end tests of the HTML report in headless Chromium: builds simile, generates reports,
# opens them, clicks, checks, and saves screenshots under test-artifacts/browser/.
# Needs scripts/install-test-deps.sh once. Set SIMILE_CORPUS to include the sqlite3.c pair.
# Usage: scripts/test-browser.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo build --release -q -p simile-cli
else
  cargo build -q -p simile-cli
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "test-browser: playwright-core is missing; run scripts/install-test-deps.sh" >&2
  exit 1
fi
export SIMILE_BIN="${SIMILE_BIN:-$PWD/target/$profile/simile}"
exec node --test --test-reporter=spec tests/browser/
