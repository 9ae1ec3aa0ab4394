#!/usr/bin/env bash
# Whole-command cost of structure and licences: `simile compare` on the sqlite3.c pair
# (libsqlite3-sys 0.24.2 vs 0.30.1: SQLite 3.38 vs 3.46, 9 MB per side), token-only
# (--no-structure --no-license) against the default (units, rename map, licences), N runs
# each, interleaved; median wall time and mean CPU time, written to bench/RESULTS.md (section
# "Structure: speed").
#
# Usage: bench/structure-speed.sh [RUNS] [CORPUS_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs="${1:-7}"
corpus="${2:-${SIMILE_CORPUS:-/work/cache/corpus}}"
a="$corpus/libsqlite3-sys-0.24.2/sqlite3/sqlite3.c"
b="$corpus/libsqlite3-sys-0.30.1/sqlite3/sqlite3.c"
for f in "$a" "$b"; do
    [[ -f "$f" ]] || { echo "structure-speed: $f not found" >&2; exit 2; }
done
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p simile-cli
simile="$root/target/release/simile"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
load_before="$(cut -d' ' -f1 /proc/loadavg)"
for _ in $(seq "$runs"); do
    for mode in tokens-only structure full; do
        case "$mode" in
            tokens-only) flags=(--no-structure --no-license) ;;
            structure) flags=(--no-license) ;;
            full) flags=() ;;
        esac
        /usr/bin/time -f "$mode %e %U %S %M" -a -o "$out" \
            "$simile" compare --quiet "${flags[@]}" "$a" "$b" > /dev/null
    done
done
load_after="$(cut -d' ' -f1 /proc/loadavg)"
python3 - "$out" "$here/RESULTS.md" "$runs" "$load_before" "$load_after" <<'PY'
import os, platform, statistics, sys, time
path, results, runs, load_before, load_after = sys.argv[1:]
rows = {}
for line in open(path):
    mode, wall, user, sys_, rss = line.split()
    rows.setdefault(mode, []).append((float(wall), float(user) + float(sys_), int(rss)))
def stat(mode):
    r = rows[mode]
    return statistics.median(x[0] for x in r), statistics.mean(x[1] for x in r), max(x[2] for x in r)
base_wall, base_cpu, _ = stat("tokens-only")
START, END = "<!-- structure-speed:start -->", "<!-- structure-speed:end -->"
lines = [START, "## Structure: speed (bench/structure-speed.sh)", "",
         f"`simile compare` on sqlite3.c, SQLite 3.38 vs 3.46 (libsqlite3-sys 0.24.2 vs 0.30.1), "
         f"release build, {runs} interleaved runs per mode, wall time median, CPU time mean, "
         f"incl. reading and rendering. Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()} "
         f"({os.cpu_count()} cores), load average {load_before} before and {load_after} after "
         f"(the machine is shared: other developers' builds and benchmarks were running).", "",
         "| mode | flags | wall (s) | x token-only | CPU (s) | x token-only | max RSS (MB) |",
         "|---|---|---:|---:|---:|---:|---:|"]
flags = {"tokens-only": "--no-structure --no-license", "structure": "--no-license", "full": "(default)"}
for mode in ["tokens-only", "structure", "full"]:
    wall, cpu, rss = stat(mode)
    lines.append(f"| {mode} | `{flags[mode]}` | {wall:.2f} | {wall / base_wall:.2f} | {cpu:.2f} | {cpu / base_cpu:.2f} | {rss // 1024} |")
lines += ["", END]
text = "\n".join(lines) + "\n"
old = open(results).read() if os.path.exists(results) else "# Benchmark results\n\n"
if START in old and END in old:
    before, after = old[:old.index(START)], old[old.index(END) + len(END):].lstrip("\n")
    new = before + text + ("\n" + after if after else "")
else:
    new = old.rstrip("\n") + "\n\n" + text
open(results, "w").write(new)
print(text)
PY
