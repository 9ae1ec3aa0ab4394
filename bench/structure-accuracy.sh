#!/usr/bin/env bash
# Structure acceptance: on every file pair of the zstd 1.4.9 -> 1.5.7 and SQLite (libsqlite3-sys
# 0.24 -> 0.30) lists, how often a function whose name exists in both versions is mapped to its
# namesake. Runs `simile compare --format json` per pair and writes the numbers and every
# exception to bench/RESULTS.md (section "Structure: namesake mapping").
#
# Usage: bench/structure-accuracy.sh [CORPUS_DIR]   (default: $SIMILE_CORPUS or /work/cache/corpus)
# The pair lists are copied in bench/pairs/ (from the project's corpus fetch script).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="${1:-${SIMILE_CORPUS:-/work/cache/corpus}}"
if [[ ! -d "$corpus" ]]; then
    echo "structure-accuracy: corpus not found at $corpus (pass it as the first argument)" >&2
    exit 2
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p simile-cli
simile="$root/target/release/simile"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for list in "$here/pairs/zstd149_zstd157.csv" "$here/pairs/libsqlite3sys_0.24_0.30.csv"; do
    name="$(basename "$list" .csv)"
    mkdir -p "$out/$name"
    n=0
    tail -n +2 "$list" | while IFS=, read -r a b _rest; do
        n=$((n + 1))
        # Exit code 1 only means "nothing matched"; the JSON is written either way.
        "$simile" compare --quiet --no-license --format json "$corpus/$a" "$corpus/$b" \
            -o "$out/$name/$(printf '%04d' "$n").json" || [[ $? -eq 1 ]]
        printf '%s,%s\n' "$a" "$b" >> "$out/$name/index.csv"
    done
done
python3 "$here/structure_accuracy.py" "$out" "$here/RESULTS.md"
