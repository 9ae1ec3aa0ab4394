#!/usr/bin/env python3
"""Score `simile find --format json` against a ground-truth pair list.

    find_accuracy.py --pairs bench/pairs/zstd149_zstd157.csv --report zstd.json \
        --corpus $SIMILE_CORPUS --name zstd [--seconds 2.3] [--json out.json]

The report must come from a run in the corpus root with relative paths, so that the paths it
prints are the CSV's (`cd $SIMILE_CORPUS && simile find OLD --in NEW -f json`).

For each ground-truth query it finds the query's ranking and checks where the true counterpart
is. A result counts as the counterpart when it is the counterpart's path, or a file whose bytes
are identical to the counterpart's (sha1_B in the CSV): byte-identical files cannot be told
apart by content, and ranking may not look at paths. The strict numbers (path only) are
reported too.

Prints a Markdown section (a table row per threshold, then the misses) on stdout.
"""

import argparse
import csv
import hashlib
import json
import os
import sys


def sha1(path, cache={}):
    if path not in cache:
        try:
            with open(path, "rb") as f:
                cache[path] = hashlib.sha1(f.read()).hexdigest()
        except OSError:
            cache[path] = None
    return cache[path]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--summary":
        return summary(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--cpu", type=float, help="user + system seconds")
    ap.add_argument("--rss-kb", type=int)
    ap.add_argument(
        "--subset",
        action="append",
        default=[],
        help="LABEL=REGEX: also score the queries whose path matches REGEX (all of them)",
    )
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args()

    with open(args.report) as f:
        report = json.load(f)
    find = report["find"]
    by_query = {q["query"]["path"]: q for q in find["queries"]}
    with open(args.pairs) as f:
        pairs = list(csv.DictReader(f))

    rows = []
    for p in pairs:
        q = by_query.get(p["query_path"])
        truth, truth_sha = p["truth_path"], p["sha1_B"]
        rank = strict_rank = None
        matches = q["matches"] if q else []
        for m in matches:
            path = m["file"]["path"]
            same = path == truth
            if strict_rank is None and same:
                strict_rank = m["rank"]
            if rank is None and (same or sha1(os.path.join(args.corpus, path)) == truth_sha):
                rank = m["rank"]
        rows.append(
            {
                "query": p["query_path"],
                "truth": truth,
                "diff_similarity": float(p["diff_similarity"]),
                "lines": (int(p["lines_A"]), int(p["lines_B"])),
                "read": q is not None,
                "fingerprints": q["fingerprints"]["total"] if q else 0,
                "tokens": q["query"]["tokens"] if q else 0,
                "rank": rank,
                "strict_rank": strict_rank,
                "top": matches[0] if matches else None,
                "truth_match": next((m for m in matches if m["rank"] == rank), None),
            }
        )

    def stats(sel):
        n = len(sel)
        top1 = sum(1 for r in sel if r["rank"] == 1)
        top5 = sum(1 for r in sel if r["rank"] is not None and r["rank"] <= 5)
        strict1 = sum(1 for r in sel if r["strict_rank"] == 1)
        unsearchable = sum(1 for r in sel if r["read"] and r["fingerprints"] == 0)
        return {
            "queries": n,
            "top1": top1,
            "top5": top5,
            "strict_top1": strict1,
            "unsearchable": unsearchable,
        }

    hi = [r for r in rows if r["diff_similarity"] >= args.threshold]
    searchable_hi = [r for r in hi if r["fingerprints"] > 0]
    result = {
        "name": args.name,
        "seconds": args.seconds,
        "cpu": args.cpu,
        "threshold": stats(hi),
        "threshold_searchable": stats(searchable_hi),
        "all": stats(rows),
        "subsets": {},
        "corpus_files": find["corpus"]["files"],
        "query_files": len(find["queries"]),
    }

    import re

    table = [
        (f"diff_similarity >= {args.threshold}", "threshold"),
        (f"diff_similarity >= {args.threshold}, with code", "threshold_searchable"),
        ("all", "all"),
    ]
    for spec in args.subset:
        label, regex = spec.split("=", 1)
        sel = [r for r in rows if re.search(regex, r["query"])]
        result["subsets"][label] = stats(sel)
        table.append((f"all, {label}", ("subsets", label)))
    result["rss_kb"] = args.rss_kb

    print(f"### {args.name}\n")
    print(
        f"{result['query_files']} query files against {result['corpus_files']} files"
        + (f", {args.seconds:.1f} s wall" if args.seconds is not None else "")
        + (f" ({args.cpu:.1f} s CPU)" if args.cpu is not None else "")
        + (f", {args.rss_kb / 1024:.0f} MB peak RSS" if args.rss_kb else "")
        + ".\n"
    )
    print("| queries | n | top-1 | top-5 | top-1 (path only) | no code |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, key in table:
        s = result[key[0]][key[1]] if isinstance(key, tuple) else result[key]
        print(
            f"| {label} | {s['queries']} | {s['top1']} ({pct(s['top1'], s['queries'])}) "
            f"| {s['top5']} ({pct(s['top5'], s['queries'])}) "
            f"| {s['strict_top1']} ({pct(s['strict_top1'], s['queries'])}) | {s['unsearchable']} |"
        )
    print()

    misses = [r for r in hi if r["rank"] != 1]
    unread = [r for r in misses if not r["read"]]
    unsearchable = [r for r in misses if r["read"] and r["fingerprints"] == 0]
    others = [r for r in misses if r["read"] and r["fingerprints"] > 0]
    if unread:
        print(
            f"{len(unread)} miss(es) were not read (skipped by the walk: see the report's "
            "`skipped` list, e.g. minified): "
            + ", ".join(f"`{r['query']}`" for r in unread)
            + ".\n"
        )
    if unsearchable:
        print(
            f"{len(unsearchable)} miss(es) have no code to search for (no fingerprint: empty, "
            f"only comments or imports, or fewer than k tokens), e.g. "
            + ", ".join(f"`{r['query']}` ({r['tokens']} tokens)" for r in unsearchable[:5])
            + ".\n"
        )
    if others:
        print(f"Misses with code ({len(others)}):\n")
        print("| query | tokens | diff sim | truth rank | truth score | top-1 | top-1 score |")
        print("|---|---:|---:|---:|---:|---|---:|")
        for r in others:
            t = r["truth_match"]
            top = r["top"]
            print(
                f"| `{r['query']}` | {r['tokens']} | {r['diff_similarity']:.2f} | {r['rank'] or '-'} "
                f"| {t['score']:.3f} | `{top['file']['path'] if top else '-'}` "
                f"| {top['score']:.3f} |"
                if t
                else f"| `{r['query']}` | {r['tokens']} | {r['diff_similarity']:.2f} | - | - "
                f"| `{top['file']['path'] if top else '-'}` | {top['score'] if top else 0:.3f} |"
            )
        print()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 0


def pct(a, n):
    return f"{100.0 * a / n:.1f}%" if n else "n/a"


def summary(paths):
    """A table over several corpora's --json outputs."""
    results = [json.load(open(p)) for p in paths]
    print(
        "| corpus | queries (diff_similarity >= 0.5) | top-1 | top-5 | top-1 (path only) "
        "| wall | CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = {"queries": 0, "top1": 0, "top5": 0, "strict_top1": 0}
    for r in results:
        s = r["threshold"]
        for k in total:
            total[k] += s[k]
        wall = f"{r['seconds']:.1f} s" if r.get("seconds") is not None else ""
        cpu = f"{r['cpu']:.1f} s" if r.get("cpu") is not None else ""
        print(
            f"| {r['name']} | {s['queries']} | {s['top1']} ({pct(s['top1'], s['queries'])}) "
            f"| {s['top5']} ({pct(s['top5'], s['queries'])}) "
            f"| {s['strict_top1']} ({pct(s['strict_top1'], s['queries'])}) | {wall} | {cpu} |"
        )
    t = total
    print(
        f"| **all four** | {t['queries']} | **{t['top1']} ({pct(t['top1'], t['queries'])})** "
        f"| **{t['top5']} ({pct(t['top5'], t['queries'])})** "
        f"| {t['strict_top1']} ({pct(t['strict_top1'], t['queries'])}) | | |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
