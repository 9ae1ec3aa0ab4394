#!/usr/bin/env bash
# Totals of the fuzz runs recorded in fuzz/logs/TARGET.log by fuzz/run.sh: runs, executions,
# fuzzing time (libFuzzer's own count; a run stopped by a crash is timed by its executions
# and its average rate) and how each run ended.
#
#   fuzz/stats.sh
set -euo pipefail
cd "$(dirname "$0")"
printf '%-13s %5s %13s %9s %s\n' target runs executions minutes endings
for log in logs/*.log; do
    target=$(basename "$log" .log)
    awk -v t="$target" '
        /^=== / { runs++; units = 0; rate = 0; secs = -1 }
        /^Done [0-9]+ runs in [0-9]+ second/ { secs = $5 }
        /stat::number_of_executed_units:/ { units = $2 }
        /stat::average_exec_per_sec:/ { rate = $2 }
        /^exit / {
            total += units
            time += (secs >= 0 ? secs : (rate > 0 ? units / rate : 0))
            endings = endings (endings ? "," : "") ($2 == 0 ? "ok" : "found")
        }
        END { printf "%-13s %5d %13d %9.1f %s\n", t, runs, total, time / 60, endings }
    ' "$log"
done
