#!/usr/bin/env bash
# Download real source corpora from the package registries, with ordinary clients only.
#
#   bash bench/fetch-corpus.sh [DEST]     (default: $SIMILE_CORPUS or ~/.cache/simile-corpus)
#
# Every artifact is checked against its sha256, so every machine gets byte-identical trees.
# Ground truth lives in bench/pairs/*.csv: paths there are relative to DEST.
#   query_path,truth_path  the older file and its true counterpart in the newer tree
#                          (same relative path, or for zlib -> zlib-ng the same basename)
#   lines_A,lines_B        line counts
#   diff_similarity        GNU-diff line ratio 2*common/(lines_A+lines_B)
#   token_jaccard(_multiset) Jaccard of C-like token sets (multisets), comments stripped
#   match_kind,n_candidates,sha1_A,sha1_B
#
# What you get (about 240 MB, 18k files, 5.7M lines):
#   openssl-src-111.28.2+1.1.1w/openssl   OpenSSL 1.1.1w      pairs/openssl111_openssl300.csv
#   openssl-src-300.6.1+3.6.3/openssl     OpenSSL 3.6.3
#   zstd-sys-1.4.20+zstd.1.4.9/zstd       zstd 1.4.9          pairs/zstd149_zstd157.csv
#   zstd-sys-2.1.3+zstd.1.5.7/zstd        zstd 1.5.7
#   libsqlite3-sys-0.24.2                 SQLite 3.38 (+SQLCipher)  pairs/libsqlite3sys_0.24_0.30.csv
#   libsqlite3-sys-0.30.1                 SQLite 3.46 (+SQLCipher)
#   libz-sys-1.1.31/src/zlib, src/zlib-ng zlib 1.3 and its fork zlib-ng   pairs/zlib_zlibng.csv
#   django-4.2.30, django-5.1.15          Django (Python, JS, HTML)       pairs/django42_django51.csv
set -euo pipefail

DEST=${1:-${SIMILE_CORPUS:-$HOME/.cache/simile-corpus}}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$DEST"

# name version sha256-of-artifact
CRATES=(
  "openssl-src 111.28.2+1.1.1w bb1830e20a48a975ca898ca8c1d036a36c3c6c5cb7dabc1c216706587857920f"
  "openssl-src 300.6.1+3.6.3 46eb8fb9fb3b61ce1c0f8a026c4c1a0714d3a9e138e7fbde78753ce2babc3846"
  "libz-sys 1.1.31 ff20308ecabd635a2dc1dd5834a86c462cca20efba1d5d3ddab1f8aea3455cb2"
  "zstd-sys 1.4.20+zstd.1.4.9 ebd5b733d7cf2d9447e2c3e76a5589b4f5e5ae065c22a2bc0b023cbc331b6c8e"
  "zstd-sys 2.1.3+zstd.1.5.7 f729a06d0257428fd9d997ac8db7e1407bd0262ab016b085b36bc52957c0052d"
  "libsqlite3-sys 0.24.2 898745e570c7d0453cc1fbc4a701eb6c662ed54e8fec8b7d14be137ebeeb9d14"
  "libsqlite3-sys 0.30.1 2e99fb7a497b1e3339bc746195567ed8d3e24945ecd636e3619d20b9de9e9149"
)
PYPI=(
  "django 4.2.30 4ebc7a434e3819db6cf4b399fb5b3f536310a30e8486f08b66886840be84b37c"
  "django 5.1.15 46a356b5ff867bece73fc6365e081f21c569973403ee7e9b9a0316f27d0eb947"
)

check() {  # file sha256
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { echo "checksum mismatch for $1: $got" >&2; exit 1; }
}

export CARGO_HOME="$SCRATCH/cargo-home"   # private: leaves ~/.cargo alone
for spec in "${CRATES[@]}"; do
  read -r name ver sha <<<"$spec"
  dest="$DEST/$name-$ver"
  if [ -d "$dest" ]; then echo "have $name $ver"; continue; fi
  proj="$SCRATCH/p-$name-${ver//+/_}"
  mkdir -p "$proj/src"; : > "$proj/src/lib.rs"
  printf '[package]\nname = "corpus-fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' \
    "$name" "${ver%%+*}" > "$proj/Cargo.toml"
  cargo fetch --quiet --manifest-path "$proj/Cargo.toml" --target x86_64-unknown-linux-gnu
  crate=$(ls "$CARGO_HOME"/registry/cache/*/"$name-$ver.crate")
  check "$crate" "$sha"
  mkdir -p "$dest.tmp" && tar -xzf "$crate" -C "$dest.tmp" --strip-components=1 && mv "$dest.tmp" "$dest"
  echo "got $name $ver"
done

for spec in "${PYPI[@]}"; do
  read -r name ver sha <<<"$spec"
  dest="$DEST/$name-$ver"
  if [ -d "$dest" ]; then echo "have $name $ver"; continue; fi
  dl="$SCRATCH/pip-$name-$ver"; mkdir -p "$dl"
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$dl" "$name==$ver"
  sdist=$(ls "$dl"/*.tar.gz)
  check "$sdist" "$sha"
  mkdir -p "$dest.tmp" && tar -xzf "$sdist" -C "$dest.tmp" --strip-components=1 && mv "$dest.tmp" "$dest"
  echo "got $name $ver"
done
echo "corpus ready in $DEST"
