#!/usr/bin/env bash
# Run one fuzz target on the stable toolchain (see README.md):
#
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# Seeds fuzz/corpus/TARGET from the repository's own files the first time, runs libFuzzer
# with AddressSanitizer under `nice`, and appends the final statistics to fuzz/logs/TARGET.log.
# A crash leaves its input in fuzz/artifacts/TARGET/; keep it under fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd .. && pwd)
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags...]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

corpus=corpus/$target
mkdir -p "$corpus" logs
if [ -z "$(ls -A "$corpus")" ]; then
    ./seed.sh "$target" "$corpus"
fi
# Inputs that once crashed are seeds too: variations of a fixed bug are worth trying.
if [ -d "regressions/$target" ]; then
    cp -n regressions/"$target"/* "$corpus"/ 2>/dev/null || true
fi

case $target in
    index_dir) max_len=256 ;;
    template | compare) max_len=4096 ;;
    *) max_len=16384 ;;
esac

log=logs/$target.log
{
    echo "=== $target: $(date -u +%FT%TZ), ${seconds}s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$log"
# RUSTC_BOOTSTRAP=1: cargo-fuzz passes -Zsanitizer=address, a nightly flag, to stable rustc.
# -O -a: optimized, with debug assertions and overflow checks (arithmetic overflow is a bug).
set +e
nice -n 15 env RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2560 \
    -print_final_stats=1 "$@" 2>&1 | tee "logs/$target.last" \
    | grep -E "^(stat::|==[0-9]+==|SUMMARY|Done|#[0-9]+ *DONE|artifact_prefix|Test unit written)" >>"$log"
status=${PIPESTATUS[0]}
set -e
echo "exit $status" >>"$log"
tail -n 12 "$log"
exit "$status"
