//! Alignment tests on real code (zlib's adler32.c and edits of it): self-alignment, moved
//! blocks, consistent renames, inserted lines, dropped coincidences, and the regressions the
//! property tests found (tie-breaks that made `align(a, b)` differ from `align(b, a)`).

use super::linediff::{LineOp, LineOpKind, region_line_diff};
use super::*;
use crate::lex::{TokenizedFile, tokenize};
use crate::source::SourceFile;

fn data(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    std::fs::read_to_string(path).unwrap()
}

fn adler32() -> String {
    data("c/zlib_adler32.c")
}

/// Lines `from..=to` (1-based) of `text`, with their line ends.
fn lines(text: &str, from: usize, to: usize) -> String {
    text.split_inclusive('\n')
        .skip(from - 1)
        .take(to + 1 - from)
        .collect()
}

struct Pair {
    a: SourceFile,
    b: SourceFile,
    ta: TokenizedFile,
    tb: TokenizedFile,
}

impl Pair {
    fn new(a: &str, b: &str) -> Pair {
        let a = SourceFile::from_text("a.c", a, None);
        let b = SourceFile::from_text("b.c", b, None);
        let (ta, tb) = (tokenize(&a), tokenize(&b));
        Pair { a, b, ta, tb }
    }

    fn side_a(&self) -> Side<'_> {
        Side {
            tokens: &self.ta.tokens,
            text: &self.a.text,
            lines: &self.a.lines,
        }
    }

    fn side_b(&self) -> Side<'_> {
        Side {
            tokens: &self.tb.tokens,
            text: &self.b.text,
            lines: &self.b.lines,
        }
    }

    fn align(&self, config: &AlignConfig) -> Alignment {
        align(self.side_a(), self.side_b(), config)
    }

    fn swapped(&self) -> Pair {
        Pair::new(&self.b.text, &self.a.text)
    }

    /// Line of the first token of region `r` on each side.
    fn region_lines(&self, r: &AlignedRegion) -> (u32, u32) {
        (
            self.ta.tokens[r.a_start() as usize].line,
            self.tb.tokens[r.b_start() as usize].line,
        )
    }
}

/// The regions of `align(b, a)` seen from `align(a, b)`: sides swapped, in A order.
fn mirrored(regions: &[AlignedRegion]) -> Vec<(u32, u32, u32, u32, RegionKind, bool, u32)> {
    let mut out: Vec<_> = regions
        .iter()
        .map(|r| {
            (
                r.b_start(),
                r.b_end(),
                r.a_start(),
                r.a_end(),
                r.kind,
                r.moved,
                r.matched,
            )
        })
        .collect();
    out.sort_by_key(|r| (r.0, r.2));
    out
}

fn plain(regions: &[AlignedRegion]) -> Vec<(u32, u32, u32, u32, RegionKind, bool, u32)> {
    regions
        .iter()
        .map(|r| {
            (
                r.a_start(),
                r.a_end(),
                r.b_start(),
                r.b_end(),
                r.kind,
                r.moved,
                r.matched,
            )
        })
        .collect()
}

#[track_caller]
fn assert_mirrors(pair: &Pair, config: &AlignConfig) {
    let ab = pair.align(config);
    let ba = pair.swapped().align(config);
    assert_eq!(plain(&ab.regions), mirrored(&ba.regions));
    assert_eq!(ab.matching.a_to_b, ba.matching.b_to_a);
}

// ----- the basic cases on real code -------------------------------------------------------------

#[test]
fn self_alignment_is_one_identical_region_matching_every_token() {
    let text = adler32();
    let pair = Pair::new(&text, &text);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 1);
    let r = &al.regions[0];
    assert_eq!((r.kind, r.moved), (RegionKind::Identical, false));
    assert_eq!(r.matched as usize, pair.ta.tokens.len());
    assert!(
        al.matching
            .a_to_b
            .iter()
            .enumerate()
            .all(|(i, &j)| j == i as u32)
    );
}

/// Line of the first token at or after line `line` of `text`.
fn first_token_line(text: &str, line: u32) -> u32 {
    let file = SourceFile::from_text("x.c", text, None);
    tokenize(&file)
        .tokens
        .iter()
        .find(|t| t.line >= line)
        .unwrap()
        .line
}

#[test]
fn a_block_moved_from_the_top_to_the_bottom_is_flagged_moved() {
    let text = adler32();
    let total = text.lines().count();
    // The licence, includes and macros (lines 1-59) move below the functions. "Moved" is the
    // block off the heaviest in-order chain: the smaller one.
    let moved = [lines(&text, 60, total), lines(&text, 1, 59)].concat();
    let pair = Pair::new(&text, &moved);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 2, "the header block and the functions");
    let flags: Vec<bool> = al.regions.iter().map(|r| r.moved).collect();
    assert_eq!(flags, [true, false]);
    let header_in_b = first_token_line(&moved, (total - 59 + 1) as u32);
    assert_eq!(
        pair.region_lines(&al.regions[0]),
        (first_token_line(&text, 1), header_in_b)
    );
    assert_eq!(al.regions[0].kind, RegionKind::Identical);
    assert_eq!(
        al.matching.matched(),
        pair.ta.tokens.len(),
        "every token keeps its counterpart"
    );
    assert_mirrors(&pair, &AlignConfig::default());
}

#[test]
fn a_small_function_moved_to_the_end_is_flagged_moved() {
    let text = adler32();
    let total = text.lines().count();
    // The three-line `adler32()` wrapper (lines 127-131) moves to the end of the file.
    let moved = [
        lines(&text, 1, 126),
        lines(&text, 132, total),
        lines(&text, 127, 131),
    ]
    .concat();
    let pair = Pair::new(&text, &moved);
    let al = pair.align(&AlignConfig::default());
    let flagged: Vec<(u32, u32)> = al
        .regions
        .iter()
        .filter(|r| r.moved)
        .map(|r| pair.region_lines(r))
        .collect();
    assert_eq!(
        flagged,
        [(128, total as u32 - 3)],
        "the wrapper, from line 128 to the end"
    );
    assert_eq!(
        al.regions.iter().filter(|r| !r.moved).count(),
        2,
        "before and after it"
    );
    assert_eq!(al.matching.matched(), pair.ta.tokens.len());
    assert_mirrors(&pair, &AlignConfig::default());
}

#[test]
fn a_consistently_renamed_function_is_one_renamed_region() {
    let function = lines(&adler32(), 61, 125);
    let renamed = function
        .replace("sum2", "high")
        .replace("adler", "low")
        .replace("buf", "data");
    let pair = Pair::new(&function, &renamed);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 1);
    assert_eq!(al.regions[0].kind, RegionKind::Renamed);
    assert_eq!(al.matching.matched(), pair.ta.tokens.len());
    assert_mirrors(&pair, &AlignConfig::default());

    // Without rename detection, only the identical stretches between renamed names are matched.
    let exact_only = pair.align(&AlignConfig {
        renames: false,
        ..AlignConfig::default()
    });
    assert!(
        exact_only
            .regions
            .iter()
            .all(|r| r.kind != RegionKind::Renamed)
    );
    assert!(exact_only.matching.matched() < pair.ta.tokens.len() / 2);
}

#[test]
fn inserted_lines_make_an_edited_region_with_a_line_diff() {
    let function = lines(&adler32(), 61, 125);
    // Three new lines after line 8 of the function (`adler &= 0xffff;`).
    let inserted = "    if (adler == 0)\n        return 1L;\n    trace(adler);\n";
    let edited = [
        lines(&function, 1, 7),
        inserted.to_owned(),
        lines(&function, 8, 65),
    ]
    .concat();
    let pair = Pair::new(&function, &edited);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 1);
    let r = &al.regions[0];
    assert_eq!(r.kind, RegionKind::Edited);
    assert_eq!(r.fragments.len(), 2, "{:?}", r.fragments);
    assert_eq!(al.matching.matched(), pair.ta.tokens.len());
    let diff = region_line_diff(pair.side_a(), pair.side_b(), r);
    assert_eq!(
        diff,
        [
            LineOp {
                kind: LineOpKind::Equal,
                a: Some((1, 7)),
                b: Some((1, 7))
            },
            LineOp {
                kind: LineOpKind::Added,
                a: None,
                b: Some((8, 10))
            },
            // Runs cover lines holding tokens: lines 8-9 are a blank line and a comment.
            LineOp {
                kind: LineOpKind::Equal,
                a: Some((10, 65)),
                b: Some((13, 68))
            },
        ]
    );
    assert_mirrors(&pair, &AlignConfig::default());
}

#[test]
fn a_changed_statement_is_a_changed_line_inside_the_edited_region() {
    let function = lines(&adler32(), 61, 125);
    let edited = function.replace("n = NMAX / 16;", "n = NMAX >> 4;");
    let pair = Pair::new(&function, &edited);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 1);
    assert_eq!(al.regions[0].kind, RegionKind::Edited);
    let changed: Vec<LineOp> = region_line_diff(pair.side_a(), pair.side_b(), &al.regions[0])
        .into_iter()
        .filter(|op| op.kind != LineOpKind::Equal)
        .collect();
    assert_eq!(
        changed,
        [LineOp {
            kind: LineOpKind::Changed,
            a: Some((39, 39)),
            b: Some((39, 39))
        }]
    );
}

#[test]
fn shared_snippets_below_the_region_minimum_are_dropped() {
    // Two unrelated functions sharing one 14-token statement.
    let a = "int f(int *p, int n) { int t = 0; for (i = 0; i < n; i++) { t += p[i]; } return t; }";
    let b = "void g(char *s) { puts(s); for (i = 0; i < n; i++) { s[i] = 0; } exit(1); }";
    let pair = Pair::new(a, b);
    let config = AlignConfig {
        fingerprint: fingerprint::FingerprintConfig { k: 8, w: 4 },
        min_fragment_tokens: 8,
        ..AlignConfig::default()
    };
    let al = pair.align(&config);
    assert!(al.regions.is_empty());
    assert_eq!(
        al.matching.matched(),
        0,
        "dropped regions leave no matched token"
    );
    let al = pair.align(&AlignConfig {
        min_region_tokens: 10,
        ..config
    });
    assert_eq!(al.regions.len(), 1);
    assert!(al.regions[0].matched >= 12);
}

#[test]
fn empty_inputs_align_to_nothing() {
    for (a, b) in [
        ("", ""),
        ("", "int x;"),
        ("  \n\t\n", "/* only a comment */"),
    ] {
        let pair = Pair::new(a, b);
        let al = pair.align(&AlignConfig::default());
        assert!(al.regions.is_empty());
        assert_eq!(al.matching.matched(), 0);
    }
}

// ----- regressions found by the property tests ----------------------------------------------------

#[test]
fn a_rename_right_after_a_conflicting_use_is_kept() {
    // `size` stays `size` in the first function and becomes `cnt` in the second (where it is only
    // declared). The normalized fragment must be cut between the two uses, not at `cnt`, or
    // trimming drops `cnt` and the pure rename turns into an edit.
    let a = "static int fn_0(int len, int buf) {\n int i, pos, state, size, key;\n len = len + 0;\n return len;\n}\n\nstatic int fn_0(int len, int pos) {\n int i, total, flags, size, key;\n len = len + 0;\n return len;\n}\n";
    let b = a.replacen("flags, size", "flags, cnt", 1);
    let pair = Pair::new(a, &b);
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.matching.matched(), pair.ta.tokens.len());
    assert_eq!(al.regions.len(), 1);
    assert_eq!(al.regions[0].kind, RegionKind::Renamed);
}

#[test]
fn cut_between_identical_tokens() {
    let fa = SourceFile::from_text("a.c", "f(size); g(len, size, key); h(key);", None);
    let fb = SourceFile::from_text("b.c", "f(size); g(len, cnt, key); h(key);", None);
    let (ta, tb) = (tokenize(&fa).tokens, tokenize(&fb).tokens);
    let whole = Fragment {
        a: 0,
        b: 0,
        len: ta.len() as u32,
    };
    let pieces = fragments::split_consistent(whole, &ta, &tb);
    // `size -> size` at token 2, `size -> cnt` at token 9: the cut goes between tokens that are
    // identical on both sides, before `cnt` (token 8 is `,`).
    assert_eq!(pieces.len(), 2);
    assert_eq!((pieces[0].a, pieces[0].len), (0, 8));
    assert_eq!(pieces[1].a, 8);
    let texts: Vec<&str> = (pieces[1].a..pieces[1].a + 2)
        .map(|i| ta[i as usize].text(&fa.text))
        .collect();
    assert_eq!(
        texts,
        [",", "size"],
        "the renamed token is inside the second piece"
    );
}

#[test]
fn swapped_equal_blocks_mirror() {
    // Two equally long renamed regions that swap places: which one is "moved" must not depend
    // on which file is A.
    let f1 = "static int fn_0(int count, int len)\n{\n    int i, pos, total, state, offset;\n    for (i = 0; i < count; i++) { len += i * 1; }\n    return count;\n}\n";
    let f2 = "static int fn_0(int count, int len)\n{\n    int i, buf, pos, flags, value;\n    len = count + 0; // step\n    return count;\n}\n";
    let g1 = "static int fn_0(int count, int len) {\n  int i, buf, pos, total, flags;\n  for (i = 0; i < count; i++) { count += i * 0; }\n  count = count + 0;\n  count = count + 0;\n  return count;\n}\n";
    let g2 = "static int fn_89(int count, int len) {\n  int i, total, flags, offset, key;\n  flags = helper_0(key) - 34;\n  return offset << 55 | key;\n  if (key > 42) { total = helper_4(key, total); }\n  count = helper_5(flags) - 28;\n  return count;\n}\n";
    let a = format!("#include <stdio.h>\n\n/* fn_0 */\n{f1}\n/* fn_0 */\n{f2}\n");
    let b = format!("#include <stdio.h>\n\n{g1}\n{g2}\n");
    assert_mirrors(&Pair::new(&a, &b), &AlignConfig::default());
}

#[test]
fn swapped_similar_functions_mirror() {
    // Two similar functions that swap places: equally long fragments at (x, y) and (y, x).
    let h1 = "static int fn_0(int buf, int pos) {\n int i, n, total, flags, offset;\n for (i = 0; i < buf; i++) { buf += i * 0; }\n return buf;\n}\n";
    let h2 = "static int fn_0(int count, int n) {\n int i, total, flags, value, size;\n for (i = 0; i < count; i++) { count += i * 0; }\n return count;\n}\n";
    let h3 = "static int fn_1(int count, int pos) {\n int i, n, flags, value, size;\n count = count + 0;\n return count;\n}\n";
    let a = format!("#include <stdio.h>\n\n{h1}\n{h2}\n{h3}\n");
    let b = format!("#include <stdio.h>\n\n{h2}\n{h1}\n{h3}\n");
    assert_mirrors(&Pair::new(&a, &b), &AlignConfig::default());
}

#[test]
fn line_diff_of_swapped_lines_mirrors() {
    // Two short statements swap places inside a function: the histogram diff keeps one of them
    // as the anchor, and which one depended on the direction.
    let function = lines(&adler32(), 61, 125);
    let swapped = function.replace(
        "    sum2 = (adler >> 16) & 0xffff;\n    adler &= 0xffff;\n",
        "    adler &= 0xffff;\n    sum2 = (adler >> 16) & 0xffff;\n",
    );
    assert_ne!(function, swapped);
    let pair = Pair::new(&function, &swapped);
    let ab = pair.align(&AlignConfig::default());
    let back = pair.swapped();
    let ba = back.align(&AlignConfig::default());
    assert_eq!(ab.regions.len(), 1);
    assert_eq!(ab.regions[0].kind, RegionKind::Edited);
    let forward = region_line_diff(pair.side_a(), pair.side_b(), &ab.regions[0]);
    let backward: Vec<LineOp> = region_line_diff(back.side_a(), back.side_b(), &ba.regions[0])
        .into_iter()
        .map(mirror_op)
        .collect();
    assert_eq!(forward, backward);
}

fn mirror_op(op: LineOp) -> LineOp {
    LineOp {
        kind: match op.kind {
            LineOpKind::Added => LineOpKind::Removed,
            LineOpKind::Removed => LineOpKind::Added,
            k => k,
        },
        a: op.b,
        b: op.a,
    }
}

#[test]
fn line_diffs_mirror() {
    // The zstd 1.4.9 -> 1.5.7 pair has several edited regions; each one's line diff seen from B
    // is the diff seen from A with added and removed swapped.
    let pair = Pair::new(
        &data("pairs/zstd_compress_literals/1.4.9.c"),
        &data("pairs/zstd_compress_literals/1.5.7.c"),
    );
    let swapped = pair.swapped();
    let ab = pair.align(&AlignConfig::default());
    let ba = swapped.align(&AlignConfig::default());
    let edited: Vec<&AlignedRegion> = ab
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Edited)
        .collect();
    assert!(edited.len() >= 2);
    for r in edited {
        let twin = ba
            .regions
            .iter()
            .find(|t| t.b_start() == r.a_start())
            .unwrap();
        let forward = region_line_diff(pair.side_a(), pair.side_b(), r);
        let backward: Vec<LineOp> = region_line_diff(swapped.side_a(), swapped.side_b(), twin)
            .into_iter()
            .map(mirror_op)
            .collect();
        assert_eq!(forward, backward);
    }
}

// ----- small files (from the find work, issue 3) -------------------------------------------------

#[test]
fn tiny_identical_files_are_identical() {
    // 18 tokens: shorter than `min_region_tokens`, longer than a k-gram.
    let text = "DATE_FORMAT = \"d F Y\"\nTIME_FORMAT = \"H:i\"\nSHORT_DATE_FORMAT = \"d.m.Y\"\nDECIMAL_SEPARATOR = \",\"\nTHOUSAND_SEPARATOR = \" \"\n";
    let a = SourceFile::from_text("a/formats.py", text, None);
    let b = SourceFile::from_text("b/formats.py", &format!("# another header\n{text}"), None);
    let c = crate::compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.a.tokens, 15);
    assert_eq!(c.scores.similarity, 1.0);
    assert_eq!(c.verdict, crate::report::Verdict::Identical);

    // 3 tokens: not even one k-gram, still identical.
    let a = SourceFile::from_text("a.py", "VERSION = 3\n", None);
    let b = SourceFile::from_text("b.py", "VERSION = 3  # same\n", None);
    let c = crate::compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.scores.similarity, 1.0);
    assert_eq!(c.verdict, crate::report::Verdict::Identical);
}

#[test]
fn short_coincidences_in_big_files_still_do_not_count() {
    // The same 14-token loop header inside two otherwise unrelated functions of 60+ tokens.
    let a = SourceFile::from_text(
        "a.c",
        "int f(int *v, int n) { int s = 1; for (i = 0; i < n; i++) { s *= v[i] + 3; } if (s > 100) { s = s / 2 - 7; } return s * s - 1; }\n",
        None,
    );
    let b = SourceFile::from_text(
        "b.c",
        "void g(char *p, long m) { char q = 'x'; for (i = 0; i < n; i++) { p[m] ^= q; } while (m-- > 0) { q = q << 1; } puts(p); }\n",
        None,
    );
    let c = crate::compare(&a, &b, &AlignConfig::default());
    assert_eq!(c.scores.matched_tokens, 0, "{:?}", c.regions);
}

#[test]
fn identical_token_streams_match_whatever_their_size() {
    // OpenSSL's include/openssl/ecdsa.h, 1.1.1 -> 3.x: only the licence comment changed, and
    // the code is 3 tokens (below k and below the region minimum). It scored 0.
    let header = |licence: &str| {
        format!("/*\n * Licensed under the {licence}.\n */\n\n#include <openssl/ec.h>\n")
    };
    let pair = Pair::new(&header("OpenSSL license"), &header("Apache License 2.0"));
    let al = pair.align(&AlignConfig::default());
    assert_eq!(al.regions.len(), 1);
    assert_eq!(
        (al.regions[0].kind, al.regions[0].matched),
        (RegionKind::Identical, 3)
    );
    assert_eq!(al.matching.matched(), 3);
    // A short stream that only appears inside a longer one is still a coincidence.
    let pair = Pair::new(
        "#include <openssl/ec.h>\n",
        &format!("#include <openssl/ec.h>\n{}", adler32()),
    );
    assert!(pair.align(&AlignConfig::default()).regions.is_empty());
}

#[test]
fn small_files_keep_their_shared_code() {
    // OpenSSL crypto/o_init.c, 1.1.1 -> 3.x: one include path changed; the other 12 of its 15
    // tokens are the same. With a fixed 20-token region minimum this scored 0.
    let old = "#include \"e_os.h\"\n#include <openssl/err.h>\n\n\nvoid OPENSSL_init(void)\n{\n    return;\n}\n";
    let new = old.replace("\"e_os.h\"", "\"internal/e_os.h\"");
    let pair = Pair::new(old, &new);
    let config = AlignConfig::default();
    assert_eq!(config.min_region_tokens_for(15, 15), 12);
    let al = pair.align(&config);
    assert_eq!(al.regions.len(), 1);
    assert_eq!(al.matching.matched(), 12);
    assert_eq!(pair.region_lines(&al.regions[0]), (2, 2));

    // The relative bar applies to small files only.
    assert_eq!(config.min_region_tokens_for(15, 5000), 12);
    assert_eq!(config.min_region_tokens_for(30, 5000), 15);
    assert_eq!(config.min_region_tokens_for(40, 5000), 20);
    assert_eq!(config.min_region_tokens_for(4000, 5000), 20);
}

#[test]
fn small_files_are_seeded_from_every_kgram() {
    use crate::fingerprint::{kgram_hashes, winnow};
    let config = AlignConfig::default();
    assert_eq!(config.seed_fingerprints_for(37, 1000).w, 1);
    assert_eq!(config.seed_fingerprints_for(38, 1000).w, 8);
    // A 16-token statement inside a 24-token file: each has fewer k-grams than two windows,
    // and here winnowing keeps no common k-gram at all.
    let a = "x = f(a6, b) + g(c6) * h;";
    let b = format!("y = 1; {a} z = 2;");
    let pair = Pair::new(a, &b);
    let winnowed = |t: &TokenizedFile| -> std::collections::HashSet<u64> {
        let hashes: Vec<u64> = t.tokens.iter().map(|x| x.exact).collect();
        winnow(&kgram_hashes(&hashes, 12), 8)
            .iter()
            .map(|f| f.hash)
            .collect()
    };
    assert!(winnowed(&pair.ta).is_disjoint(&winnowed(&pair.tb)));
    let al = pair.align(&config);
    assert_eq!(al.matching.matched(), 16, "all of A is found in B");
}

#[test]
fn a_small_file_in_a_large_one_aligns_alike_prepared_or_not() {
    // 31 tokens of adler32.c's `len == 1` case against the whole file: seeded from the
    // k-grams the two share, the large file's never sorted whole.
    let big = adler32();
    let small = lines(&big, 71, 76);
    let pair = Pair::new(&small, &big);
    let n = pair.ta.tokens.len();
    assert!((20..38).contains(&n), "{n} tokens");
    let config = AlignConfig::default();
    let unprepared = pair.align(&config);
    assert_eq!(
        unprepared.matching.matched(),
        n,
        "all of the small file is found"
    );
    let (pa, pb) = (
        Prepared::new(&pair.ta.tokens, &config),
        Prepared::new(&pair.tb.tokens, &config),
    );
    let prepared = align_prepared((pair.side_a(), &pa), (pair.side_b(), &pb), &config);
    assert_eq!(prepared.matching, unprepared.matching);
    assert_eq!(plain(&prepared.regions), plain(&unprepared.regions));
    assert_mirrors(&pair, &config);
}

#[test]
fn a_file_shorter_than_a_kgram_is_found_whole_across_a_gap() {
    // zstd's common/debug.c, 1.4.9 -> 1.5.7: 8 tokens (an include and one declaration), the
    // declaration now inside an `#if`. No k-gram to seed from; before the tiny-file search it
    // scored 0.
    let pair = Pair::new(
        &data("pairs/zstd_debug/1.4.9.c"),
        &data("pairs/zstd_debug/1.5.7.c"),
    );
    assert_eq!((pair.ta.tokens.len(), pair.tb.tokens.len()), (8, 23));
    let config = AlignConfig::default();
    let al = pair.align(&config);
    assert_eq!(al.regions.len(), 1, "{:?}", al.regions);
    let region = &al.regions[0];
    assert_eq!((region.kind, region.matched), (RegionKind::Edited, 8));
    assert_eq!(
        region.fragments.len(),
        2,
        "the include, then the declaration"
    );
    assert_eq!(pair.region_lines(region), (22, 22));
    assert_mirrors(&pair, &config);
    let (pa, pb) = (
        Prepared::new(&pair.ta.tokens, &config),
        Prepared::new(&pair.tb.tokens, &config),
    );
    let prepared = align_prepared((pair.side_a(), &pa), (pair.side_b(), &pb), &config);
    assert_eq!(prepared.matching, al.matching);
}

#[test]
fn a_tiny_file_scattered_or_shorter_than_half_a_kgram_is_not_matched() {
    let config = AlignConfig::default();
    let tiny = "#include \"debug.h\"\nint g_debuglevel = DEBUGLEVEL;\n";
    // Its include at the top, its declaration 150 lines further down: no region holds both.
    let far = format!(
        "#include \"debug.h\"\n{}int g_debuglevel = DEBUGLEVEL;\n",
        adler32()
    );
    let pair = Pair::new(tiny, &far);
    assert_eq!(pair.ta.tokens.len(), 8);
    assert!(pair.align(&config).regions.is_empty());
    // Together, it is found, and the tightest place wins over an earlier, looser one.
    let near = format!(
        "#include \"debug.h\"\nint x;\n\nint g_debuglevel = DEBUGLEVEL;\n{}{tiny}",
        adler32()
    );
    let pair = Pair::new(tiny, &near);
    let al = pair.align(&config);
    assert_eq!(al.regions.len(), 1);
    assert_eq!(al.regions[0].kind, RegionKind::Identical);
    assert_mirrors(&pair, &config);
    // 5 tokens, under half a k-gram: one statement, found anywhere; not looked for.
    let pair = Pair::new("int g_debuglevel = DEBUGLEVEL;\n", &near);
    assert!(pair.align(&config).regions.is_empty());
}

/// The renamed tiles of `a` against `b` with the default settings, fragments cut only when
/// needed (`lazily`, as `align` does) or all of them beforehand (the tiling it replaced), and
/// the matching after them.
fn renamed_tiles(a: &[Token], b: &[Token], lazily: bool) -> (Vec<Fragment>, Matching) {
    let config = AlignConfig::default();
    let (pa, pb) = (Prepared::new(a, &config), Prepared::new(b, &config));
    let (sa, sb) = (pa.seeds(), pb.seeds());
    let mut m = Matching::new(a.len(), b.len());
    let min = config.min_fragment_tokens;
    let seeds = seeds::shared_seeds_by_hash(sa.exact.by_hash, sb.exact.by_hash);
    let exact = fragments::extend(&seeds, sa.exact.hashes, sb.exact.hashes);
    tiling::tile_exact(exact, &mut m, a, b, min);
    let ((norm_a, names_a), (norm_b, names_b)) = (sa.normalized.unwrap(), sb.normalized.unwrap());
    let seeds = seeds::shared_seeds_with(
        norm_a.by_hash,
        norm_b.by_hash,
        seeds::CommonHashes::SkipVeryCommon,
    );
    let normalized = fragments::extend(&seeds, norm_a.hashes, norm_b.hashes);
    let mut splitter = fragments::Splitter::default();
    let mut split = |f: Fragment, out: &mut Vec<Fragment>| {
        splitter.split(f, (a, names_a), (b, names_b), out);
    };
    let tiles = if lazily {
        tiling::tile_renamed(normalized, split, &mut m, a, b, min)
    } else {
        let mut pieces = Vec::new();
        normalized.into_iter().for_each(|f| split(f, &mut pieces));
        tiling::tile_renamed_cut_beforehand(pieces, &mut m, a, b, min)
    };
    (tiles, m)
}

/// A file's path and tokens.
type TokensOf = (std::path::PathBuf, Vec<Token>);

/// Cutting renamed fragments only when the tiler needs their pieces, and skipping those that
/// can no longer add a pair, lays the same tiles in the same order as cutting every fragment
/// first: on every real pair of `tests/data/pairs` both ways, and on each pair's older file
/// against every other pair's (unrelated code of one language, where short normalized
/// fragments abound off the diagonal).
#[test]
fn renamed_fragments_cut_when_needed_tile_as_if_cut_beforehand() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pairs");
    let mut versions = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let mut files: Vec<_> = std::fs::read_dir(entry.unwrap().path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .collect();
        files.sort();
        if let [old, new] = &files[..] {
            let tokens = |p: &std::path::Path| {
                let text = std::fs::read_to_string(p).unwrap();
                let file = SourceFile::from_text(&p.to_string_lossy(), &text, None);
                (p.to_path_buf(), tokenize(&file).tokens)
            };
            versions.push((tokens(old), tokens(new)));
        }
    }
    versions.sort_by(|x, y| x.0.0.cmp(&y.0.0));
    let mut pairs: Vec<(&TokensOf, &TokensOf)> = Vec::new();
    for (i, (old, new)) in versions.iter().enumerate() {
        pairs.extend([(old, new), (new, old)]);
        for (other, _) in &versions[i + 1..] {
            if old.0.extension() == other.0.extension() {
                pairs.push((old, other));
            }
        }
    }
    let mut renamed = 0;
    for (x, y) in &pairs {
        let (lazy, m_lazy) = renamed_tiles(&x.1, &y.1, true);
        let (beforehand, m_beforehand) = renamed_tiles(&x.1, &y.1, false);
        let name = format!("{} against {}", x.0.display(), y.0.display());
        assert_eq!(lazy, beforehand, "{name}");
        assert_eq!(m_lazy, m_beforehand, "{name}");
        renamed += lazy.len();
    }
    assert!(pairs.len() >= 30, "{} pairs", pairs.len());
    assert!(
        renamed >= 20,
        "only {renamed} renamed tiles: the test would not see a difference"
    );
}
