#!/usr/bin/env bash
# `simile clones` against the clone and plagiarism detectors of the field, side by side in one
# run on the same inputs: sim_c (Dick Grune's similarity tester), jscpd 5 (its Rust engine),
# Dolos (its library) and copydetect, on the two corpora of research/peers.md:
#   zstd     zstd 1.4.9 + 1.5.7 `lib/`, the .c and .h files (173 files, 5.5 MB)
#   openssl  OpenSSL 1.1.1w + 3.6.3 `crypto/`, the .c and .h files (1,714 files, 19.6 MB)
# Prints a Markdown table of wall time, CPU time and peak RSS per tool and corpus, and the
# recall of the ground-truth version pairs (bench/pairs/*.csv, scored by bench/clones_eval.py);
# with --write, also replaces the clones section of bench/RESULTS.md.
#
#   bench/clones-peers.sh [--write] [--runs N] [--only zstd|openssl]
#
# Needs the registry corpora (scripts/fetch-corpus.sh; $SIMILE_CORPUS) and the peers, installed
# once by ../shared/bench/install-peers.sh into $PEERS (default bench/.peers; sim_c needs root
# for apt-get). Fast tools run N times (default 3, median); Dolos and copydetect once, each
# capped at $SLOW_TIMEOUT seconds (default 600, as in research/peers.md).
set -euo pipefail
cd "$(dirname "$0")/.."
WRITE=0; RUNS=3; ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --write) WRITE=1 ;;
    --runs) RUNS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    *) echo "usage: bench/clones-peers.sh [--write] [--runs N] [--only zstd|openssl]" >&2; exit 2 ;;
  esac
  shift
done
CORPUS=${SIMILE_CORPUS:-$HOME/.cache/simile-corpus}
PEERS=${PEERS:-$PWD/bench/.peers}
SLOW_TIMEOUT=${SLOW_TIMEOUT:-600}
WORK=${SIMILE_BENCH_DIR:-/tmp/simile-clones-bench}
[ -d "$CORPUS/openssl-src-300.6.1+3.6.3" ] || scripts/fetch-corpus.sh "$CORPUS" >&2
if [ ! -x "$PEERS/npm/node_modules/.bin/jscpd" ]; then
  [ -x ../shared/bench/install-peers.sh ] || { echo "no peers in $PEERS and no ../shared/bench/install-peers.sh" >&2; exit 2; }
  ../shared/bench/install-peers.sh "$PEERS" >&2
fi
cargo build --release -q -p simile-cli
SIMILE=$PWD/target/release/simile
JSCPD=$PEERS/npm/node_modules/.bin/jscpd
mkdir -p "$WORK"

# The two trees, as research/peers.md built them: only .c and .h files.
copy_c() {  # SRC DEST
  [ -d "$2" ] && return
  (cd "$1" && find . -type f \( -name '*.c' -o -name '*.h' \) -print0) |
    while IFS= read -r -d '' f; do mkdir -p "$2/$(dirname "$f")"; cp -p "$1/$f" "$2/$f"; done
}
copy_c "$CORPUS/zstd-sys-1.4.20+zstd.1.4.9/zstd/lib" "$WORK/trees/zstd/v1.4.9"
copy_c "$CORPUS/zstd-sys-2.1.3+zstd.1.5.7/zstd/lib" "$WORK/trees/zstd/v1.5.7"
copy_c "$CORPUS/openssl-src-111.28.2+1.1.1w/openssl/crypto" "$WORK/trees/openssl/1.1.1w"
copy_c "$CORPUS/openssl-src-300.6.1+3.6.3/openssl/crypto" "$WORK/trees/openssl/3.6.3"
cd "$WORK/trees"

# measure RUNS TIMEOUT CMD... -> "median_s peak_mb cpu_s status": wall time (median of RUNS),
# peak RSS (largest), CPU time user+sys (median), status "ok" or "timeout".
measure() {
  local runs=$1 limit=$2; shift 2
  local walls=() cpus=() peak=0 status=ok
  for _ in $(seq "$runs"); do
    local start end rc=0
    rm -f "$WORK/time.txt"
    start=$(date +%s.%N)
    timeout "$limit" /usr/bin/time -f "%M %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || rc=$?
    end=$(date +%s.%N)
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then status=timeout; fi
    # A run killed by `timeout` leaves time.txt empty: read fails, the figures stay 0.
    rss=0 user=0 sys=0
    read -r rss user sys < <(tail -n 1 "$WORK/time.txt" 2>/dev/null) || true
    walls+=("$(echo "$end - $start" | bc)"); cpus+=("$(echo "${user:-0} + ${sys:-0}" | bc)")
    [ "${rss:-0}" -gt "$peak" ] 2>/dev/null && peak=$rss
  done
  local median_wall median_cpu
  median_wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  median_cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median_wall $((peak / 1024)) $median_cpu $status"
}

EVAL="python3 $OLDPWD/bench/clones_eval.py"
PAIRS=$OLDPWD/bench/pairs
rows=$(mktemp); recall=$(mktemp)
for corpus in zstd openssl; do
  [ -n "$ONLY" ] && [ "$ONLY" != "$corpus" ] && continue
  files=$(find "$corpus" -type f | wc -l); bytes=$(du -sb "$corpus" | cut -f1)
  out=$WORK/out/$corpus; rm -rf "$out"; mkdir -p "$out"
  echo "== $corpus: $files files, $bytes bytes" >&2
  # row TOOL MEASUREMENT: a table row, with time and memory relative to simile's default run.
  row() {
    local tool=$1 t=$2 m=$3 c=$4 s=$5 cells ratio="-" mem="-"
    if [ "$s" = timeout ]; then
      cells="> ${SLOW_TIMEOUT} s (timeout) | - | -"
    else
      cells=$(printf '%.2f s | %.2f s | %s MB' "$t" "$c" "$m")
      if [ -n "${s_wall:-}" ]; then
        ratio=$(awk -v x="$t" -v y="$s_wall" 'BEGIN { printf "%.1fx", x / y }')
        mem=$(awk -v x="$m" -v y="$s_rss" 'BEGIN { printf "%.1fx", x / (y > 0 ? y : 1) }')
      fi
    fi
    echo "| $corpus | $tool | $cells | $ratio | $mem |" >> "$rows"
  }
  s_wall=""; s_rss=""
  # simile: the default report (text, the 250 best pairs), and every pair as JSON.
  read -r t m c s < <(measure "$RUNS" 600 "$SIMILE" clones "$corpus" --quiet -o "$out/simile.txt")
  s_wall=$t; s_rss=$m
  row "**simile clones** (text, 250 best pairs)" "$t" "$m" "$c" "$s"
  read -r t m c s < <(measure "$RUNS" 600 "$SIMILE" clones "$corpus" --quiet --top 0 -f json -o "$out/simile.json")
  row "simile clones (JSON, every pair)" "$t" "$m" "$c" "$s"
  # The same report without the renamed channel (identifiers and literals must match), to show
  # what that channel costs. Not sim_c's model: sim_c treats every identifier, number and
  # string alike, as simile's renamed channel does (without its consistency check). Its JSON,
  # run once untimed, gives its recall.
  read -r t m c s < <(measure "$RUNS" 600 "$SIMILE" clones "$corpus" --quiet --no-renames -o "$out/simile-exact.txt")
  row "simile clones --no-renames (text, 250 best pairs)" "$t" "$m" "$c" "$s"
  "$SIMILE" clones "$corpus" --quiet --no-renames --top 0 -f json -o "$out/simile-exact.json"
  # The same pairs listed best matches first (each file's most similar file): the order a
  # reader tracing two releases wants. Its JSON, run once untimed, gives its R-precision.
  "$SIMILE" clones "$corpus" --quiet --sort best-match --top 0 -f json -o "$out/simile-best.json"
  read -r t m c s < <(measure "$RUNS" 600 bash -c "sim_c -p -R $corpus > $out/simc.txt")
  row "sim_c -p -R" "$t" "$m" "$c" "$s"
  read -r t m c s < <(measure "$RUNS" 600 "$JSCPD" --silent --absolute -r json -o "$out/jscpd" "$corpus")
  row "jscpd 5 (-r json -a)" "$t" "$m" "$c" "$s"
  read -r t m c s < <(measure 1 "$SLOW_TIMEOUT" bash -c "cd $PEERS/npm && node dolos-pairs.mjs c \$(find $WORK/trees/$corpus -type f) > $out/dolos.csv")
  row "Dolos (library)" "$t" "$m" "$c" "$s"
  read -r t m c s < <(measure 1 "$SLOW_TIMEOUT" bash -c "$PEERS/venv/bin/python $OLDPWD/bench/copydetect_pairs.py $corpus c h > $out/copydetect.csv")
  row "copydetect (API, no HTML)" "$t" "$m" "$c" "$s"
  case $corpus in
    zstd) csv=$PAIRS/zstd149_zstd157.csv
          maps=("zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/=zstd/v1.4.9/" "zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/=zstd/v1.5.7/") ;;
    openssl) csv=$PAIRS/openssl111_openssl300.csv
          maps=("openssl-src-111.28.2+1.1.1w/openssl/crypto/=openssl/1.1.1w/" "openssl-src-300.6.1+3.6.3/openssl/crypto/=openssl/3.6.3/") ;;
  esac
  $EVAL --markdown "$corpus" . "$csv" "${maps[@]}" simile="$out/simile.json" \
    "simile --no-renames=$out/simile-exact.json" "simile --sort best-match=$out/simile-best.json" \
    simc="$out/simc.txt" \
    jscpd="$out/jscpd/jscpd-report.json" dolos="$out/dolos.csv" copydetect="$out/copydetect.csv" >> "$recall"
done

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)"
report=$(mktemp)
{
  echo "Produced by \`bench/clones-peers.sh\` on $(date -u +%Y-%m-%d), $machine, load average before the run:"
  echo "$(cut -d' ' -f1-3 /proc/loadavg). Binary \`$("$SIMILE" --version)\`, commit \`$(git -C "$OLDPWD" rev-parse --short HEAD)\`."
  echo "Fast tools: median of $RUNS runs; Dolos and copydetect: one run, capped at ${SLOW_TIMEOUT} s."
  echo
  echo "| corpus | tool | wall | CPU (user+sys) | peak RSS | time vs simile | RSS vs simile |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  cat "$rows"
  echo
  echo "Recall of the ground-truth version pairs (a true pair is reported with a score above 0), and"
  echo "R-precision (the share of true pairs among each tool's |truth| best-scored pairs):"
  echo
  echo "| corpus | tool | recall, all | recall, diff_similarity >= 0.5 | R-precision | pairs reported |"
  echo "|---|---|---:|---:|---:|---:|"
  cat "$recall"
} > "$report"
cat "$report"
if [ "$WRITE" = 1 ]; then
  python3 - "$OLDPWD/bench/RESULTS.md" "$report" <<'PY'
import sys
path, report = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
start, end = "<!-- clones-peers:start -->", "<!-- clones-peers:end -->"
block = f"{start}\n{report}{end}"
if start in text:
    before, rest = text.split(start, 1)
    text = before + block + rest.split(end, 1)[1]
else:
    text = text.rstrip("\n") + "\n\n## clones: against the peers (issue 7)\n\n" + block + "\n"
open(path, "w").write(text)
PY
fi
