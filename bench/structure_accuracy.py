#!/usr/bin/env python3
"""Evaluate the unit mapping of `simile compare --format json` outputs: for functions (and
methods) whose name exists in both versions of a file pair, the share mapped to a namesake.

With duplicate names on a side (the same static function under two `#if` branches), a name
counts min(count in A, count in B) times, and is satisfied as often as A units of that name
are paired with B units of that name.

Usage: structure_accuracy.py OUTPUT_DIR RESULTS_MD
OUTPUT_DIR holds one folder per pair list, each with NNNN.json files and index.csv.
The section between the structure-accuracy markers of RESULTS_MD is replaced (or appended).
"""
import collections
import json
import os
import platform
import sys
import time

CALLABLE = {"function", "method"}
START = "<!-- structure-accuracy:start -->"
END = "<!-- structure-accuracy:end -->"


def evaluate(path):
    with open(path) as f:
        report = json.load(f)
    comparison = report["comparison"]
    units = comparison.get("units")
    if units is None:
        return None
    names_a = collections.Counter()
    names_b = collections.Counter()
    for entry in units["units"]:
        if entry["a"] and entry["a"]["kind"] in CALLABLE:
            names_a[entry["a"]["name"]] += 1
        if entry["b"] and entry["b"]["kind"] in CALLABLE:
            names_b[entry["b"]["name"]] += 1
    expected = {n: min(names_a[n], names_b[n]) for n in names_a if n in names_b}
    achieved = collections.Counter()
    misses = []
    for entry in units["units"]:
        a = entry["a"]
        if not a or a["kind"] not in CALLABLE or a["name"] not in expected:
            continue
        b = entry["b"]
        if b and b["name"] == a["name"]:
            achieved[a["name"]] += 1
        else:
            misses.append((a, entry))
    total = sum(expected.values())
    ok = sum(min(achieved[n], expected[n]) for n in expected)
    # A miss counts only while its name still lacks namesake pairs (a duplicate beyond the
    # count of the other side is not an exception).
    lacking = {n: expected[n] - min(achieved[n], expected[n]) for n in expected}
    exceptions = []
    for a, entry in misses:
        if lacking.get(a["name"], 0) > 0:
            lacking[a["name"]] -= 1
            exceptions.append((a, entry))
    return {
        "a": comparison["a"]["path"],
        "b": comparison["b"]["path"],
        "total": total,
        "ok": ok,
        "exceptions": exceptions,
        "units_a": units["a"]["units"],
        "units_b": units["b"]["units"],
        "heuristic": units["a"]["heuristic_units"] + units["b"]["heuristic_units"],
        "errors": units["a"]["error_count"] + units["b"]["error_count"],
    }


def lines(r):
    return str(r["start"]) if r["start"] == r["end"] else f'{r["start"]}-{r["end"]}'


def describe(a, entry):
    b = entry["b"]
    if b is None:
        return f'`{a["name"]}` (A {lines(a["lines"])}): removed'
    sim = entry.get("similarity")
    sim = f", {sim * 100:.1f}%" if sim is not None else ""
    return (f'`{a["name"]}` (A {lines(a["lines"])}) -> `{b["name"]}` (B {lines(b["lines"])}):'
            f' {entry["status"]}{sim}')


def short(path, corpus_roots):
    for root in corpus_roots:
        i = path.find(root)
        if i >= 0:
            return path[i:]
    return path


def main():
    out_dir, results = sys.argv[1], sys.argv[2]
    section = [START, "## Structure: namesake mapping (bench/structure-accuracy.sh)", ""]
    section.append(
        f"Run {time.strftime('%Y-%m-%d')} on {platform.node()} ({os.cpu_count()} cores, shared with "
        "other developers). For every file pair of the list: functions and methods whose name "
        "exists in both versions, and how many the unit mapping pairs with their namesake "
        "(`simile compare --format json --no-license`).")
    section.append("")
    section.append("| pair list | file pairs | with units | namesake functions | mapped to namesake | share | heuristic units | unparsed places |")
    section.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    details = []
    grand_total = grand_ok = 0
    for name in sorted(os.listdir(out_dir)):
        folder = os.path.join(out_dir, name)
        if not os.path.isdir(folder):
            continue
        files = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
        results_list = [r for r in (evaluate(os.path.join(folder, f)) for f in files) if r]
        total = sum(r["total"] for r in results_list)
        ok = sum(r["ok"] for r in results_list)
        grand_total += total
        grand_ok += ok
        with_units = sum(1 for r in results_list if r["units_a"] or r["units_b"])
        heuristic = sum(r["heuristic"] for r in results_list)
        errors = sum(r["errors"] for r in results_list)
        share = f"{100 * ok / total:.2f}%" if total else "n/a"
        section.append(f"| {name} | {len(files)} | {with_units} | {total} | {ok} | {share} | {heuristic} | {errors} |")
        details.append(f"### {name}: exceptions")
        details.append("")
        any_exc = False
        for r in results_list:
            if not r["exceptions"]:
                continue
            any_exc = True
            details.append(f'- {short(r["a"], ["zstd-sys", "libsqlite3-sys"])} '
                           f'({r["ok"]}/{r["total"]}):')
            for a, entry in r["exceptions"]:
                details.append(f"  - {describe(a, entry)}")
        if not any_exc:
            details.append("none")
        details.append("")
    share = f"{100 * grand_ok / grand_total:.2f}%" if grand_total else "n/a"
    section.append(f"| **all** | | | {grand_total} | {grand_ok} | **{share}** | | |")
    section.append("")
    section.extend(details)
    section.append(END)
    text = "\n".join(section) + "\n"
    old = open(results).read() if os.path.exists(results) else "# Benchmark results\n\n"
    if START in old and END in old:
        before = old[:old.index(START)]
        after = old[old.index(END) + len(END):].lstrip("\n")
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    with open(results, "w") as f:
        f.write(new)
    print(f"namesake mapping: {grand_ok}/{grand_total} ({share}); written to {results}")


if __name__ == "__main__":
    main()
