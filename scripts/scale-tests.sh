#!/usr/bin/env bash
# The full-size scale tests of the bad-input catalogue (issue 6), which the suite runs only in
# small versions: a tree of 1,000,000 tiny files (indexed, updated, checked, searched) and a
# 100 MB file of code (compared and indexed with a raised --max-size). Release build; each
# step prints its wall time and peak memory. Needs ~5 GB of free disk and ~10 GB of memory.
#
#   scripts/scale-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release -p simile-cli --test scale -- --ignored --nocapture --test-threads 1 2>&1 \
    | grep -E "^(created|[0-9,]+ files|100 MB file|20 MB|100,000 functions|repeated code|2,000 copies|test |test result)"
