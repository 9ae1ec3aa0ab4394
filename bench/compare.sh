#!/usr/bin/env bash
# Whole-command timings of `simile compare` against GNU diff and `git diff --no-index
# --histogram` (and sim_c when installed), measured side by side in one run on the pairs of the
# compare issue. Prints a Markdown table; with --write, also replaces the "compare" section of
# bench/RESULTS.md.
#
#   bench/compare.sh [--write] [--runs N]
#
# Needs the registry corpora (scripts/fetch-corpus.sh; $SIMILE_CORPUS or ~/.cache/simile-corpus).
# Wall time is the median of N runs (default 10) after a warm-up run; peak RSS the largest of
# them (bench/measure.py: perf_counter and wait4).
set -euo pipefail
cd "$(dirname "$0")/.."
WRITE=0; RUNS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --write) WRITE=1 ;;
    --runs) RUNS=$2; shift ;;
    *) echo "usage: bench/compare.sh [--write] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
CORPUS=${SIMILE_CORPUS:-$HOME/.cache/simile-corpus}
[ -d "$CORPUS/libsqlite3-sys-0.30.1" ] || scripts/fetch-corpus.sh "$CORPUS" >&2
cargo build --release -q -p simile-cli
SIMILE=$PWD/target/release/simile

PAIRS=(
  "zstd_compress.c 1.4.9 vs 1.5.7|zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/compress/zstd_compress.c|zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/compress/zstd_compress.c"
  "sqlite3.c 3.38 vs 3.46|libsqlite3-sys-0.24.2/sqlite3/sqlite3.c|libsqlite3-sys-0.30.1/sqlite3/sqlite3.c"
)

# measure CMD... -> "median_seconds peak_rss_mb"
measure() {
  python3 bench/measure.py --runs "$RUNS" -- "$@" | awk '{print $1, $2}'
}

table=$(mktemp)
{
  echo "| pair | tool | wall (median of $RUNS) | peak RSS | ratio to simile |"
  echo "|---|---|---:|---:|---:|"
  for spec in "${PAIRS[@]}"; do
    IFS='|' read -r label a b <<< "$spec"
    A=$CORPUS/$a; B=$CORPUS/$b
    read -r s_t s_m < <(measure "$SIMILE" compare --color never "$A" "$B")
    read -r j_t j_m < <(measure "$SIMILE" compare -f json "$A" "$B")
    read -r d_t d_m < <(measure diff "$A" "$B")
    read -r g_t g_m < <(measure git diff --no-index --histogram "$A" "$B")
    ratio() { awk -v x="$1" -v y="$s_t" 'BEGIN { if (y > 0) printf "%.2fx", x / y; else print "-" }'; }
    ms() { awk -v x="$1" 'BEGIN { printf "%.1f ms", x * 1000 }'; }
    echo "| $label | simile compare (text) | $(ms "$s_t") | ${s_m} MB | 1.00x |"
    echo "| $label | simile compare -f json | $(ms "$j_t") | ${j_m} MB | $(ratio "$j_t") |"
    echo "| $label | GNU diff | $(ms "$d_t") | ${d_m} MB | $(ratio "$d_t") |"
    echo "| $label | git diff --no-index --histogram | $(ms "$g_t") | ${g_m} MB | $(ratio "$g_t") |"
    if command -v sim_c >/dev/null; then
      read -r c_t c_m < <(measure sim_c -p -a "$A" "$B")
      echo "| $label | sim_c -p -a | $(ms "$c_t") | ${c_m} MB | $(ratio "$c_t") |"
    fi
  done
} > "$table"
cat "$table"

if [ "$WRITE" = 1 ]; then
  machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
  python3 - "$table" "$machine" "$(date -u +%Y-%m-%d)" <<'PY'
import re, sys
table, machine, day = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
section = f"""<!-- compare:start -->
Measured {day} by `bench/compare.sh --write` on {machine}.

{table}<!-- compare:end -->"""
path = "bench/RESULTS.md"
text = open(path).read()
text = re.sub(r"<!-- compare:start -->.*<!-- compare:end -->", section, text, flags=re.S)
open(path, "w").write(text)
PY
  echo "wrote bench/RESULTS.md" >&2
fi
