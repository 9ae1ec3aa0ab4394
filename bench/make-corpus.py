#!/usr/bin/env python3
"""Make a large corpus for index benchmarks from the registry corpora.

    bench/make-corpus.py SRC DEST VARIANTS

Variant 0 is a copy of SRC (binaries included: the index skips and counts them). Variants
1..VARIANTS-1 are mutated copies of its text files, like forks or vendored copies that drifted:
in each file two identifiers are renamed, about 2% of lines are deleted and 1% duplicated
elsewhere. Mutations are seeded by path and variant, so the corpus is the same on every run.
"""
import os
import random
import re
import shutil
import sys
import zlib

IDENT = re.compile(rb"\b[A-Za-z_][A-Za-z0-9_]{4,}\b")


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:8000]


def mutate(data: bytes, rng: random.Random, variant: int) -> bytes:
    words = list(set(IDENT.findall(data[:200_000])))
    words.sort()
    for word in rng.sample(words, min(2, len(words))):
        data = re.sub(rb"\b" + re.escape(word) + rb"\b", word + b"_v%d" % variant, data)
    lines = data.split(b"\n")
    out = []
    for line in lines:
        r = rng.random()
        if r < 0.02:
            continue
        out.append(line)
        if r > 0.99 and lines:
            out.append(lines[rng.randrange(len(lines))])
    return b"\n".join(out)


def main() -> None:
    src, dest, variants = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = bytes_out = 0
    for variant in range(variants):
        root_out = os.path.join(dest, f"v{variant}")
        for dirpath, _dirs, names in os.walk(src):
            rel_dir = os.path.relpath(dirpath, src)
            for name in names:
                path = os.path.join(dirpath, name)
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                target = os.path.join(root_out, rel_dir, name)
                with open(path, "rb") as f:
                    data = f.read()
                if variant > 0:
                    if is_binary(data):
                        continue
                    rel = os.path.join(rel_dir, name).encode("utf-8", "surrogateescape")
                    rng = random.Random(zlib.crc32(rel) * 1000 + variant)
                    data = mutate(data, rng, variant)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(data)
                files += 1
                bytes_out += len(data)
    print(f"{files} files, {bytes_out / 1e6:.1f} MB in {dest}")


if __name__ == "__main__":
    main()
