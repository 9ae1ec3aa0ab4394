#!/usr/bin/env bash
# Accuracy and time of `simile find` on real corpora: every file of an older version is a
# query against the whole newer tree, and the true counterpart (bench/pairs/*.csv) should be
# the top result.
#
#   bench/find-accuracy.sh            # builds the release binary, runs all corpora,
#                                     # rewrites the find-accuracy section of bench/RESULTS.md
#
# Environment: SIMILE_CORPUS (default /work/cache/corpus; fetch it with scripts/fetch-corpus.sh),
# SIMILE (a binary to use instead of building one), OUT (scratch directory, default
# target/find-accuracy), NO_RESULTS=1 (print the section instead of writing RESULTS.md),
# CORPORA (space-separated names to run, default all).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=${SIMILE_CORPUS:-/work/cache/corpus}
out=${OUT:-$root/target/find-accuracy}
mkdir -p "$out"

if [ -z "${SIMILE:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p simile-cli
  SIMILE=$root/target/release/simile
fi
[ -d "$corpus" ] || { echo "no corpus at $corpus: run scripts/fetch-corpus.sh" >&2; exit 2; }

# name | older tree (the queries) | newer tree (the corpus) | ground truth | role | subset
# (the subset is scored apart to compare with the peers' numbers in research/peers.md, which
# used the .c/.h files of zstd's lib/ and OpenSSL's crypto/)
CORPORA_TABLE=(
  "zstd|zstd-sys-1.4.20+zstd.1.4.9|zstd-sys-2.1.3+zstd.1.5.7|zstd149_zstd157.csv|acceptance|lib .c/.h=/zstd/lib/.*[.][ch]$"
  "sqlite|libsqlite3-sys-0.24.2|libsqlite3-sys-0.30.1|libsqlite3sys_0.24_0.30.csv|acceptance|"
  "django|django-4.2.30|django-5.1.15|django42_django51.csv|acceptance|"
  "zlib|libz-sys-1.1.31/src/zlib|libz-sys-1.1.31/src/zlib-ng|zlib_zlibng.csv|acceptance|"
  "openssl|openssl-src-111.28.2+1.1.1w/openssl|openssl-src-300.6.1+3.6.3/openssl|openssl111_openssl300.csv|information|crypto .c/.h=/openssl/crypto/.*[.][ch]$"
)
wanted=${CORPORA:-zstd sqlite django zlib openssl}

intro="$out/intro.md"
corpora="$out/corpora.md"
: > "$corpora"
{
  echo "## find: accuracy on real corpora"
  echo
  echo "Produced by \`bench/find-accuracy.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -sm);"
  echo "binary \`$("$SIMILE" --version)\`, commit \`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)\`."
  echo "Every file of the older tree is a query (\`simile find OLD --in NEW --no-ignore --hidden"
  echo "--top 5 --format json\`; \`--no-ignore --hidden\` because the ground truth covers every file)."
  echo "A result counts when it is the true counterpart or a byte-identical copy of it (sha1):"
  echo "identical files cannot be told apart by content, and ranking never looks at paths."
  echo "\"top-1 (path only)\" does not accept copies. Wall times include walking, reading,"
  echo "tokenizing and indexing the newer tree, then searching all queries, on a shared machine."
  echo
} > "$intro"

jsons=()
for spec in "${CORPORA_TABLE[@]}"; do
  IFS='|' read -r name old new pairs role subset <<<"$spec"
  case " $wanted " in *" $name "*) ;; *) continue ;; esac
  report="$out/$name.json"
  start=$(date +%s%N)
  status=0
  (cd "$corpus" && /usr/bin/env time -f "%M %U %S" -o "$out/$name.rss" \
      "$SIMILE" find "$old" --in "$new" --no-ignore --hidden --top 5 --format json --quiet \
      > "$report") || status=$?
  end=$(date +%s%N)
  # exit 1 only says some query found nothing
  [ "$status" -le 1 ] || { echo "simile failed on $name (exit $status)" >&2; exit 1; }
  seconds=$(( (end - start) / 1000000 ))e-3
  read -r rss_kb user_s sys_s < <(tail -n 1 "$out/$name.rss")
  cpu=$(python3 -c "print($user_s + $sys_s)")
  subset_args=()
  [ -n "$subset" ] && subset_args=(--subset "$subset")
  python3 "$here/find_accuracy.py" --pairs "$here/pairs/$pairs" --report "$report" \
    --corpus "$corpus" --name "$name ($role)" --seconds "$seconds" --cpu "$cpu" --rss-kb "$rss_kb" \
    "${subset_args[@]}" --json "$out/$name.summary.json" >> "$corpora"
  [ "$role" = acceptance ] && jsons+=("$out/$name.summary.json")
done

section="$out/section.md"
{
  cat "$intro"
  if [ "${#jsons[@]}" -gt 0 ]; then
    python3 "$here/find_accuracy.py" --summary "${jsons[@]}"
    echo
  fi
  cat "$corpora"
} > "$section"

if [ -n "${NO_RESULTS:-}" ]; then
  cat "$section"
  exit 0
fi
results="$here/RESULTS.md"
begin='<!-- find-accuracy:begin -->'
end_mark='<!-- find-accuracy:end -->'
[ -f "$results" ] || printf '# Benchmark results\n\n' > "$results"
python3 - "$results" "$section" "$begin" "$end_mark" <<'PY'
import sys
path, section, begin, end = sys.argv[1:]
text = open(path).read()
body = begin + "\n" + open(section).read().rstrip() + "\n" + end
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    text = head + body + tail
else:
    text = text.rstrip() + "\n\n" + body + "\n"
open(path, "w").write(text)
PY
echo "wrote the find-accuracy section of $results"
