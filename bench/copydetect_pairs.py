#!/usr/bin/env python3
"""Run copydetect all-against-all on a tree through its Python API and print one CSV row per
pair: similarity,left,right (the larger of copydetect's two per-file similarities).

    copydetect-venv/bin/python bench/copydetect_pairs.py DIR [EXTENSION...]   (default: c h)

copydetect's command line writes only an HTML report; its API gives the scores. No HTML is
generated here, which spares copydetect the report it would write on the command line.
"""
import sys

from copydetect import CopyDetector


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    tree, extensions = argv[0], argv[1:] or ["c", "h"]
    detector = CopyDetector(
        test_dirs=[tree],
        ref_dirs=[tree],
        extensions=extensions,
        display_t=0.0,
        autoopen=False,
        silent=True,
    )
    detector.run()
    matrix = detector.similarity_matrix
    print("similarity,left,right")
    files = detector.test_files
    refs = detector.ref_files
    seen = set()
    for i, left in enumerate(files):
        for j, right in enumerate(refs):
            if left == right:
                continue
            key = frozenset((left, right))
            score = float(max(matrix[i, j, 0], matrix[i, j, 1]))
            if score > 0 and key not in seen:
                seen.add(key)
                print(f"{score:.4f},{left},{right}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
