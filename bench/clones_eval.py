#!/usr/bin/env python3
"""Score the pairs that clone detectors report against the ground-truth version pairs.

    bench/clones_eval.py TREE PAIRS_CSV OLD_PREFIX=OLD_DIR NEW_PREFIX=NEW_DIR TOOL=OUTPUT...

TREE is the directory the tools ran in (paths in their outputs are relative to it, or absolute
under it). PAIRS_CSV is a ground-truth list of bench/pairs (query_path,truth_path,...); the two
PREFIX=DIR arguments map its corpus paths onto TREE (e.g.
`zstd-sys-1.4.20+zstd.1.4.9/zstd/lib/=zstd/v1.4.9/`). Only ground-truth pairs whose two files
are both in TREE count.

Each TOOL=OUTPUT names a parser (the first word of TOOL, which may go on to name the tool's
options, as in "simile --no-renames") and an output file:
  simile   the JSON report of `simile clones -f json` (pairs[].a, .b, .similarity; listed in
           another order than by similarity, as with `--sort best-match`, the rank)
  simc     the output of `sim_c -p` ("X consists for N % of Y material")
  jscpd    jscpd's jscpd-report.json (duplicates[].firstFile/secondFile with start/end lines):
           a pair's score is the larger share of either file's lines covered by its clones
  dolos    the CSV of dolos-pairs.mjs (similarity,left,right)
  copydetect  the CSV of bench/copydetect_pairs.py (similarity,left,right)

With `--markdown LABEL` first, prints a Markdown table row per tool instead (LABEL in the first
cell). Otherwise prints one JSON object per tool: ground-truth pairs, pairs reported, recall (a ground-truth pair
is reported with a score above 0), and R-precision (recall within the tool's |GT| best-scored
pairs: the share of the true pairs a reader finds at the top of the list, whatever the tool's
threshold), for all ground-truth pairs and for those whose line similarity (diff_similarity)
is at least 0.5.
"""
import csv
import json
import os
import re
import sys
from collections import defaultdict


def norm(tree, path):
    path = os.path.normpath(path)
    if os.path.isabs(path):
        path = os.path.relpath(path, tree)
    return path


def ground_truth(tree, pairs_csv, mappings):
    out = []
    with open(pairs_csv, newline="") as f:
        for row in csv.DictReader(f):
            a, b = row["query_path"], row["truth_path"]
            for old, new in mappings:
                if a.startswith(old[0]) and b.startswith(new[0]):
                    a = new_path = old[1] + a[len(old[0]):]
                    b = new[1] + b[len(new[0]):]
                    if os.path.isfile(os.path.join(tree, a)) and os.path.isfile(os.path.join(tree, b)):
                        out.append((norm(tree, a), norm(tree, b), float(row["diff_similarity"])))
                    break
    return out


def parse_simile(tree, path):
    clones = json.load(open(path))["clones"]
    pairs = clones["pairs"]
    key = lambda p: frozenset((norm(tree, p["a"]), norm(tree, p["b"])))
    if clones["settings"]["sort"] == "similarity":
        return {key(p): p["similarity"] for p in pairs}
    # Listed in another order (--sort best-match): the order is the ranking, the first pair
    # scores highest.
    return {key(p): (len(pairs) - p["rank"] + 1) / len(pairs) for p in pairs}


SIMC = re.compile(r"^(.*) consists for (\d+) % of (.*) material$")


def parse_simc(tree, path):
    scores = {}
    for line in open(path, errors="replace"):
        m = SIMC.match(line.rstrip("\n"))
        if m:
            key = frozenset((norm(tree, m.group(1)), norm(tree, m.group(3))))
            scores[key] = max(scores.get(key, 0), int(m.group(2)) / 100)
    return scores


def parse_jscpd(tree, path):
    doc = json.load(open(path))
    lines = {}
    covered = defaultdict(lambda: defaultdict(set))
    for d in doc.get("duplicates", []):
        fa, fb = d["firstFile"], d["secondFile"]
        a, b = norm(tree, fa["name"]), norm(tree, fb["name"])
        if a == b:
            continue
        key = frozenset((a, b))
        covered[key][a].update(range(fa["start"], fa["end"] + 1))
        covered[key][b].update(range(fb["start"], fb["end"] + 1))
    def count(p):
        if p not in lines:
            with open(os.path.join(tree, p), "rb") as f:
                lines[p] = max(1, f.read().count(b"\n"))
        return lines[p]
    return {key: max(len(v) / count(p) for p, v in sides.items()) for key, sides in covered.items()}


def parse_csv_pairs(tree, path):
    scores = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            a, b = norm(tree, row["left"]), norm(tree, row["right"])
            if a != b:
                key = frozenset((a, b))
                scores[key] = max(scores.get(key, 0), float(row["similarity"]))
    return scores


PARSERS = {
    "simile": parse_simile,
    "simc": parse_simc,
    "jscpd": parse_jscpd,
    "dolos": parse_csv_pairs,
    "copydetect": parse_csv_pairs,
}


def evaluate(truth, scores):
    ranked = sorted((s, sorted(k)) for k, s in scores.items() if s > 0)
    ranked.reverse()
    result = {}
    for label, subset in (("all", truth), ("diff>=0.5", [t for t in truth if t[2] >= 0.5])):
        keys = [frozenset((a, b)) for a, b, _ in subset]
        found = sum(1 for k in keys if scores.get(k, 0) > 0)
        top = {frozenset(p) for _, p in ranked[: len(keys)]}
        in_top = sum(1 for k in keys if k in top)
        result[label] = {
            "truth_pairs": len(keys),
            "recall": round(found / max(1, len(keys)), 4),
            "found": found,
            "r_precision": round(in_top / max(1, len(keys)), 4),
            "found_in_top": in_top,
        }
    result["reported_pairs"] = len(ranked)
    return result


def markdown_row(label, r):
    a, h = r["all"], r["diff>=0.5"]
    if r["no_output"]:
        # A tool stopped by the time limit leaves nothing: no recall to give, not a recall of 0.
        return f"| {label} | {r['tool']} | no output (timed out) | - | - | - |"
    return (
        f"| {label} | {r['tool']} | {a['found']}/{a['truth_pairs']} ({a['recall']:.1%}) "
        f"| {h['found']}/{h['truth_pairs']} ({h['recall']:.1%}) | {a['r_precision']:.1%} "
        f"| {r['reported_pairs']:,} |"
    )


def main(argv):
    label = None
    if argv[:1] == ["--markdown"]:
        label, argv = argv[1], argv[2:]
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    tree, pairs_csv = argv[0], argv[1]
    old, new = (tuple(m.split("=", 1)) for m in argv[2:4])
    truth = ground_truth(tree, pairs_csv, [(old, new)])
    for spec in argv[4:]:
        tool, path = spec.split("=", 1)
        no_output = not os.path.exists(path) or os.path.getsize(path) == 0
        # A label may add options to its tool's name ("simile --no-renames"): the first word
        # names the parser.
        scores = {} if no_output else PARSERS[tool.split()[0]](tree, path)
        result = {"tool": tool, "output": path, "no_output": no_output, **evaluate(truth, scores)}
        print(markdown_row(label, result) if label else json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
