#!/usr/bin/env python3
"""Similarity calibration: how `simile compare` scores true version pairs and unrelated pairs.

    bench/calibrate.py [--simile PATH] [--corpus DIR] [--unrelated N] [--seed S] [--jobs J]
                       [--label TEXT] [--json FILE] [--top K] [-- EXTRA SIMILE ARGS...]

Drives the release binary's JSON output (`simile compare -f json`), so what is measured is what
users get. Needs the registry corpora (scripts/fetch-corpus.sh; `$SIMILE_CORPUS`).

(a) True pairs: every row of bench/pairs/*.csv (a file and its counterpart in the next release,
    with the GNU-diff line similarity `diff_similarity`). Pairs whose bytes are identical are
    counted apart (they always score 1.0).
(b) Unrelated pairs, drawn at random (seeded) from the files those lists name:
    - within a project: two different files of one release with the same extension;
    - across projects: two C files (.c/.h) of different projects (zstd, OpenSSL, zlib, SQLite),
      the hardest case because C shares idioms and boilerplate.

Prints a Markdown section for bench/RESULTS.md: distributions (percentiles, share above 5%,
10%, 20%), verdicts, the agreement with diff_similarity on changed pairs, and the highest
scoring unrelated pairs so they can be inspected. Arguments after `--` go to simile (e.g.
`-- --min-tokens 30`), to measure other settings.
"""
import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "bench" / "pairs"
C_FAMILY = {".c", ".h"}


def run_compare(simile, corpus, a, b, extra):
    cmd = [simile, "compare", "-f", "json", "--quiet", *extra, str(corpus / a), str(corpus / b)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        return {"a": a, "b": b, "error": proc.stderr.strip()[:200]}
    c = json.loads(proc.stdout)["comparison"]
    s = c["scores"]
    return {
        "a": a,
        "b": b,
        "similarity": s["similarity"],
        "coverage": max(s["coverage_a"], s["coverage_b"]),
        "matched": s["matched_tokens"],
        "tokens": (c["a"]["tokens"], c["b"]["tokens"]),
        "verdict": c["verdict"],
        "regions": len(c["regions"]),
        "seconds": elapsed,
    }


def true_pairs():
    rows = []
    for path in sorted(PAIRS.glob("*.csv")):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                row["list"] = path.stem
                rows.append(row)
    return rows


def project_of(path):
    return path.split("/", 1)[0]


def unrelated_pairs(rows, n, rng):
    """`n` within-project pairs and `n` cross-project C pairs, never a true pair."""
    truth = {(r["query_path"], r["truth_path"]) for r in rows}
    by_release = {}
    for r in rows:
        for p in (r["query_path"], r["truth_path"]):
            by_release.setdefault(project_of(p), set()).add(p)
    by_release = {k: sorted(v) for k, v in by_release.items()}

    def ok(a, b):
        return a != b and (a, b) not in truth and (b, a) not in truth and Path(a).name != Path(b).name

    # Files are drawn uniformly from all files (not releases first: the SQLite list names a
    # dozen files, which would then be paired again and again), pairs are distinct.
    all_files = sorted((f, release) for release, files in by_release.items() for f in files)
    within, seen = [], set()
    while len(within) < n:
        a, release = rng.choice(all_files)
        same_ext = [f for f in by_release[release] if Path(f).suffix == Path(a).suffix]
        b = rng.choice(same_ext)
        if ok(a, b) and frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            within.append((a, b))

    c_files = {k: [f for f in v if Path(f).suffix in C_FAMILY] for k, v in by_release.items()}
    c_files = {k: v for k, v in c_files.items() if v}

    def family(release):
        # Two releases of one project are not "different projects".
        return release.split("-")[0].replace("libsqlite3", "sqlite").replace("libz", "zlib")

    across = []
    c_all = sorted((f, release) for release, files in c_files.items() for f in files)
    while len(across) < n:
        (a, ra), (b, rb) = rng.choice(c_all), rng.choice(c_all)
        if family(ra) != family(rb) and ok(a, b) and frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            across.append((a, b))
    return within, across


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def distribution(results):
    sims = [r["similarity"] for r in results if "similarity" in r]
    if not sims:
        return "no results"
    above = lambda t: 100.0 * sum(s > t for s in sims) / len(sims)
    return (
        f"n={len(sims)} | mean {statistics.mean(sims):.3f} | p50 {pct(sims, .5):.3f} | "
        f"p90 {pct(sims, .9):.3f} | p99 {pct(sims, .99):.3f} | max {max(sims):.3f} | "
        f">5% {above(.05):.1f}% | >10% {above(.10):.1f}% | >20% {above(.20):.1f}%"
    )


def verdicts(results):
    counts = {}
    for r in results:
        if "verdict" in r:
            counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--simile", default=str(ROOT / "target" / "release" / "simile"))
    ap.add_argument("--corpus", default=os.environ.get("SIMILE_CORPUS", str(Path.home() / ".cache" / "simile-corpus")))
    ap.add_argument("--unrelated", type=int, default=1000, help="pairs of each unrelated kind")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--label", default="defaults")
    ap.add_argument("--json", help="write every result to this file")
    ap.add_argument("--top", type=int, default=8, help="unrelated pairs to list, highest first")
    ap.add_argument("--max-lines", type=int, default=0, help="skip true pairs with a side longer than this (0: none)")
    ap.add_argument("extra", nargs="*", help="arguments after -- go to simile compare")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"corpus not found: {corpus} (run scripts/fetch-corpus.sh)")

    rows = true_pairs()
    if args.max_lines:
        rows = [r for r in rows if max(int(r["lines_A"]), int(r["lines_B"])) <= args.max_lines]
    rng = random.Random(args.seed)
    within, across = unrelated_pairs(true_pairs(), args.unrelated, rng)

    jobs = [(r["query_path"], r["truth_path"]) for r in rows] + within + across
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda p: run_compare(args.simile, corpus, p[0], p[1], args.extra), jobs))
    wall = time.perf_counter() - started
    true_results = results[: len(rows)]
    within_results = results[len(rows) : len(rows) + len(within)]
    across_results = results[len(rows) + len(within) :]
    errors = [r for r in results if "error" in r]

    for row, res in zip(rows, true_results):
        res["diff_similarity"] = float(row["diff_similarity"])
        res["identical"] = row["sha1_A"] == row["sha1_B"]
        res["list"] = row["list"]
    changed = [r for r in true_results if "similarity" in r and not r["identical"]]
    identical = [r for r in true_results if "similarity" in r and r["identical"]]

    out = []
    p = out.append
    p(f"### {args.label}: `simile compare {' '.join(args.extra)}`".rstrip())
    p("")
    p(f"{len(jobs)} comparisons in {wall:.0f} s with {args.jobs} jobs; {len(errors)} errors.")
    p("")
    p("| pairs | similarity distribution |")
    p("|---|---|")
    p(f"| true pairs, changed | {distribution(changed)} |")
    p(f"| true pairs, byte-identical | {distribution(identical)} |")
    for name in sorted({r["list"] for r in changed}):
        p(f"| &nbsp;&nbsp;{name} (changed) | {distribution([r for r in changed if r['list'] == name])} |")
    p(f"| unrelated, same project | {distribution(within_results)} |")
    p(f"| unrelated, C across projects | {distribution(across_results)} |")
    p("")
    p(f"Verdicts, true changed pairs: {verdicts(changed)}.  ")
    p(f"Verdicts, unrelated same project: {verdicts(within_results)}.  ")
    p(f"Verdicts, unrelated C across projects: {verdicts(across_results)}.")
    p("")
    # Agreement with the line diff on changed pairs.
    diffs = [(r["diff_similarity"], r["similarity"]) for r in changed]
    if len(diffs) > 2:
        xs, ys = zip(*diffs)
        corr = statistics.correlation(xs, ys)
        below = sum(1 for d, s in diffs if d >= 0.5 and s < 0.3)
        above = sum(1 for d, s in diffs if d < 0.2 and s > 0.5)
        gap = statistics.mean(s - d for d, s in diffs)
        p(
            f"Changed true pairs against diff_similarity: Pearson r = {corr:.3f}; mean(simile - diff) = "
            f"{gap:+.3f}; {below} pairs with diff >= 0.5 score < 0.3 (missed), {above} pairs with diff < 0.2 "
            "score > 0.5."
        )
        p("")
        missed = sorted((r for r in changed if r["diff_similarity"] >= 0.5 and r["similarity"] < 0.3), key=lambda r: r["similarity"])
        if missed:
            p("Missed true pairs (diff >= 0.5, simile < 0.3):")
            p("")
            for r in missed[: args.top]:
                p(f"- {r['similarity']:.3f} (diff {r['diff_similarity']:.3f}, tokens {r['tokens'][0]}/{r['tokens'][1]}) `{r['a']}`")
            p("")
    unrelated = sorted((r for r in within_results + across_results if "similarity" in r), key=lambda r: -r["similarity"])
    p(f"Highest scoring unrelated pairs (of {len(unrelated)}):")
    p("")
    for r in unrelated[: args.top]:
        p(
            f"- {r['similarity']:.3f} (coverage {r['coverage']:.2f}, {r['matched']} tokens, {r['verdict']}) "
            f"`{r['a']}` vs `{r['b']}`"
        )
    print("\n".join(out))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f)


if __name__ == "__main__":
    main()
