#!/usr/bin/env bash
# Seed inputs for one fuzz target, from the repository's own files (fuzz/run.sh calls this):
#
#   fuzz/seed.sh TARGET DIR
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd .. && pwd)
target=$1
out=$2
mkdir -p "$out"
data=$repo/crates/simile/tests/data

# The first byte of `tokenize` and `compare` inputs picks the language: its index in
# simile::source::Language::ALL.
lang_byte() {
    case ${1##*.} in
        c | h) echo 0 ;; cpp | cc | hpp) echo 1 ;; cs) echo 2 ;; go) echo 3 ;; java) echo 4 ;;
        js) echo 5 ;; ts) echo 6 ;; kt) echo 7 ;; swift) echo 8 ;; scala) echo 9 ;; rs) echo 10 ;;
        php) echo 11 ;; py) echo 12 ;; rb) echo 13 ;; sh) echo 14 ;; pl) echo 15 ;; *) echo 16 ;;
    esac
}
byte() { printf "\\$(printf '%03o' "$1")"; }

case $target in
    tokenize)
        n=0
        while IFS= read -r f; do
            n=$((n + 1))
            { byte "$(lang_byte "$f")"; head -c 16000 "$f"; } >"$out/seed-$n"
        done < <(find "$data" "$repo/examples" -type f | sort)
        ;;
    compare)
        n=0
        for dir in "$data"/pairs/*/; do
            files=("$dir"*)
            [ "${#files[@]}" -ge 2 ] || continue
            a=${files[0]} b=${files[1]}
            for settings in 0 165; do
                n=$((n + 1))
                len=$(head -c 6000 "$a" | wc -c)
                {
                    byte "$(lang_byte "$a")"; byte "$settings"
                    byte $((len % 256)); byte $((len / 256))
                    head -c 6000 "$a"; head -c 6000 "$b"
                } >"$out/seed-$n"
            done
        done
        ;;
    index_reader)
        # The three kinds of file of a real index, each as it is and with checksums fixed.
        simile=$repo/target/release/simile
        [ -x "$simile" ] || simile=$repo/target/debug/simile
        [ -x "$simile" ] || { (cd "$repo" && cargo build -q -p simile-cli); simile=$repo/target/debug/simile; }
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        "$simile" -q index build "$data" -o "$tmp/i.simile" --memory 64K
        for f in "$tmp"/i.simile/*; do
            case $f in
                *.sgm) kind=0 ;; *.cat) kind=1 ;; */MANIFEST) kind=2 ;; *) continue ;;
            esac
            name=$(basename "$f")
            { byte $kind; cat "$f"; } >"$out/$name"
            { byte $((kind + 129)); cat "$f"; } >"$out/$name.fixed"
        done
        # Patch mode (bit 6): one patch over the built-in segment, one over the catalog.
        { byte 64; printf '\x20\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08'; } >"$out/patch-segment"
        { byte 65; printf '\x40\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00'; } >"$out/patch-catalog"
        ;;
    index_dir)
        # Every file, every kind of damage, with a few parameters.
        for file in 0 1 2 3 4 5 6 7; do
            for damage in 0 1 2 3 4 5; do
                { byte $file; byte $damage; printf '\x10\x00\x00\x01\x40\x02\x00\x80'; } \
                    >"$out/seed-$file-$damage"
            done
        done
        ;;
    template)
        n=0
        for f in "$repo"/templates/*.j2 "$repo"/docs/*.md; do
            [ -f "$f" ] || continue
            n=$((n + 1))
            case $f in *.html.j2) b=1 ;; *.json.j2) b=2 ;; *.md*) b=3 ;; *) b=0 ;; esac
            { byte $b; cat "$f"; } >"$out/seed-$n"
        done
        ;;
    *)
        echo "unknown target $target" >&2
        exit 2
        ;;
esac
echo "seeded $out with $(ls "$out" | wc -l) inputs" >&2
