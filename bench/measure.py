#!/usr/bin/env python3
"""Run a command N times; print its median wall time (seconds) and peak RSS (MB).

    bench/measure.py [--runs N] [--warmup W] -- CMD [ARGS...]

Output: one line "MEDIAN_SECONDS PEAK_RSS_MB MIN_SECONDS". Wall time comes from perf_counter
around each run (stdout and stderr go to /dev/null), minus the harness's own cost measured on
`true`, peak RSS from GNU time's %M (Debian's
`time` package, /usr/bin/time). Exit status of the command is ignored (diff exits 1 on a
difference), unless it was killed by a signal.
"""
import statistics
import subprocess
import tempfile
import sys
import time


def run_once(cmd):
    # Peak RSS comes from GNU time (%M), a small C program that forks and execs: measuring the
    # child of this Python process directly would count Python's own pages (fork copies them,
    # vfork shares them). Wall time is perf_counter around the whole, ~1 ms of overhead.
    with tempfile.NamedTemporaryFile("r") as out:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", out.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode < 0:
            sys.exit(f"{cmd[0]} was killed by signal {-proc.returncode}")
        lines = out.read().split()
        rss_kb = int(lines[-1]) if lines else 0
    return elapsed, rss_kb / 1024


def main(argv):
    runs, warmup = 10, 1
    while argv and argv[0] != "--":
        flag = argv.pop(0)
        if flag == "--runs":
            runs = int(argv.pop(0))
        elif flag == "--warmup":
            warmup = int(argv.pop(0))
        else:
            sys.exit(__doc__)
    cmd = argv[1:]
    if not cmd:
        sys.exit(__doc__)
    # The harness itself costs a few ms per run (Python's spawn of /usr/bin/time): measure it on
    # `true` and subtract it, so millisecond-scale commands are reported fairly.
    overhead = statistics.median(run_once(["true"])[0] for _ in range(20))
    for _ in range(warmup):
        run_once(cmd)
    results = [run_once(cmd) for _ in range(runs)]
    times = [max(t - overhead, 0.0) for t, _ in results]
    print(f"{statistics.median(times):.4f} {max(m for _, m in results):.0f} {min(times):.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
