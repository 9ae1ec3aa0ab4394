#!/usr/bin/env bash
# Index benchmarks at scale: build throughput, index size against source size, peak memory of a
# build, postings-level query latency on an index of ~100,000 files, and update times.
#
#   bench/index-bench.sh                 # corpus from $SIMILE_CORPUS (or ~/.cache/simile-corpus)
#   VARIANTS=6 RUNS=3 QUERY_RUNS=50 SIMILE_BENCH_DIR=/tmp/simile-bench bench/index-bench.sh
#
# The corpus is built from the registry corpora (fetch them with the project's corpus script) by
# bench/make-corpus.py: variant 0 is a plain copy, the others are mutated copies (renamed
# identifiers, deleted and duplicated lines), like forks and vendored copies. With 6 variants:
# ~100,000 files, ~1.05 GB of indexed source. Everything is written under $SIMILE_BENCH_DIR,
# outside the repository. Prints a Markdown report for bench/RESULTS.md on stdout.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${SIMILE_CORPUS:-$HOME/.cache/simile-corpus}
scratch=${SIMILE_BENCH_DIR:-/tmp/simile-bench}
variants=${VARIANTS:-6}
runs=${RUNS:-3}
query_runs=${QUERY_RUNS:-50}
tree="$scratch/corpus-$variants"
index="$scratch/index-$variants.simile"

[ -d "$corpus" ] || { echo "no corpus at $corpus (set SIMILE_CORPUS)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
mkdir -p "$scratch"

echo "building release binaries..." >&2
(cd "$repo" && cargo build --release -q -p simile-cli && cargo build --release -q -p simile-index --example query_bench)
simile="$repo/target/release/simile"
query_bench="$repo/target/release/examples/query_bench"

if [ ! -f "$tree/.complete" ]; then
    echo "generating the corpus in $tree..." >&2
    rm -rf "$tree"
    python3 "$repo/bench/make-corpus.py" "$corpus" "$tree" "$variants" >&2
    touch "$tree/.complete"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
field() { grep -F "$1" "$2" | sed 's/.*: //'; }
load_start=$(load)

# Warm the page cache: queries and builds are measured warm.
find "$tree" -type f -print0 | xargs -0 cat > /dev/null

# --- build ------------------------------------------------------------------------------------
best_wall=999999; rows=""
for i in $(seq 1 "$runs"); do
    rm -rf "$index"
    /usr/bin/time -v "$simile" --quiet index build "$tree" -o "$index" 2> "$scratch/time.txt"
    wall=$(field "Elapsed (wall clock)" "$scratch/time.txt" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    user=$(field "User time" "$scratch/time.txt")
    sys=$(field "System time" "$scratch/time.txt")
    rss=$(field "Maximum resident set size" "$scratch/time.txt")
    rows+="| $i | $wall | $user + $sys | $((rss / 1024)) |"$'\n'
    if awk "BEGIN { exit !($wall < $best_wall) }"; then best_wall=$wall; fi
done
"$simile" index stats "$index" --format json > "$scratch/stats.json"
read -r files source_bytes disk_bytes postings keys < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["files"], s["source_bytes"], s["disk_bytes"], s["postings"], s["fingerprints"])' "$scratch/stats.json")

# --- queries ----------------------------------------------------------------------------------
v0="$tree/v0"
queries=(
    "$v0/zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/decompress/huf_decompress.c"
    "$v0/zstd-sys-2.1.3+zstd.1.5.7/zstd/lib/compress/zstdmt_compress.c"
    "$v0/openssl-src-300.6.1+3.6.3/openssl/crypto/evp/pmeth_lib.c"
    "$v0/openssl-src-300.6.1+3.6.3/openssl/apps/list.c"
    "$v0/openssl-src-111.28.2+1.1.1w/openssl/crypto/aes/aes_core.c"
    "$v0/libz-sys-1.1.31/src/zlib/zlib.h"
    "$v0/django-5.1.15/django/db/models/expressions.py"
    "$v0/django-4.2.30/django/db/models/sql/compiler.py"
    "$v0/django-4.2.30/tests/mail/tests.py"
    "$v0/django-5.1.15/tests/prefetch_related/tests.py"
)
query_json=$("$query_bench" "$index" "${queries[@]}" --runs "$query_runs")

# The whole command, as a user runs it: `simile find QUERY --index INDEX -f json`, process start,
# reading and tokenizing the query, lookups, verifying the best candidates with the full
# alignment, rendering. Median of $E2E_RUNS warm runs per query (bench/measure.py).
e2e_rows=""
for q in "${queries[@]}"; do
    read -r med rss fastest < <(python3 "$repo/bench/measure.py" --runs "${E2E_RUNS:-15}" -- "$simile" --quiet find "$q" --index "$index" -f json)
    e2e_rows+="$(wc -l < "$q") $med $fastest $rss ${q#"$v0/"}"$'\n'
done

# --- update -----------------------------------------------------------------------------------
time_of() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
noop=$(time_of "$simile" --quiet index update "$index")
cp -r "$v0/zstd-sys-2.1.3+zstd.1.5.7" "$tree/extra"
added=$(find "$tree/extra" -type f | wc -l)
add=$(time_of "$simile" --quiet index update "$index")
rm -rf "$tree/extra"
remove=$(time_of "$simile" --quiet index update "$index")
"$simile" index check "$index" > /dev/null
load_end=$(load)

# --- report -----------------------------------------------------------------------------------
python3 - "$query_json" <<EOF
import json, sys
q = json.loads(sys.argv[1])
files, source, disk, postings, keys = $files, $source_bytes, $disk_bytes, $postings, $keys
best = $best_wall
cpu = open("/proc/cpuinfo").read()
model = next(l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("model name"))
print(f"Machine: {model}, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average $load_start at the start, $load_end at the end (shared machine).")
print()
print(f"Corpus: {files:,} files indexed, {source / 1e9:.2f} GB of source ({$variants} variants of the registry corpora); {keys:,} distinct fingerprints, {postings:,} postings.")
print()
print("| build run | wall s | CPU s (user + sys) | peak RSS MB |")
print("|---|---|---|---|")
print("""$rows""".rstrip())
print()
print(f"- build throughput (best run): **{source / 1e6 / best:.0f} MB/s** wall ({source / 1e6:.0f} MB in {best:.1f} s); CPU time is in the table: on a busy machine it says more than the wall time")
print(f"- index on disk: **{disk / 1e6:.1f} MB = {disk / source:.3f} x the source**")
print(f"- open: {q['open_ms']:.1f} ms; query fingerprints: median {q['fingerprints_per_query_median']} per 2,000-line file")
print(f"- postings-level query (fingerprint the query, look up every fingerprint, count shared per file, top 20), {q['queries']} queries x {q['runs']} warm runs: **median {q['query_ms_median']:.2f} ms** wall (p90 {q['query_ms_p90']:.2f} ms, max {q['query_ms_max']:.2f} ms), **median {q['query_cpu_ms_median']:.2f} ms** of CPU; lookups alone median {q['lookup_ms_median']:.2f} ms wall; the query file ranked first {q['self_found_first']}/{q['queries']}")
print(f"- update with nothing changed: {float('$noop'):.2f} s; adding {$added} files: {float('$add'):.2f} s; removing them again: {float('$remove'):.2f} s")
rows = [l.split(" ", 4) for l in """$e2e_rows""".strip().splitlines()]
medians = sorted(float(r[1]) * 1000 for r in rows)
print()
print(f"End to end, \`simile find QUERY --index INDEX -f json\` (process start, query read and tokenized, lookups, the best {15} candidates aligned in full, JSON written), median of ${E2E_RUNS:-15} warm runs per query:")
print()
print("| query | lines | median ms | fastest ms | peak RSS MB |")
print("|---|---:|---:|---:|---:|")
for lines, med, fastest, rss, name in rows:
    print(f"| \`{name}\` | {int(lines):,} | {float(med) * 1000:.0f} | {float(fastest) * 1000:.0f} | {rss} |")
print()
print(f"- **median over the queries: {medians[len(medians) // 2]:.0f} ms**, slowest query's median {medians[-1]:.0f} ms (target: 100 ms for a 2,000-line query against 50,000 files or more)")
EOF
