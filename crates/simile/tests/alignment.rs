//! Comparison behaviour on real files (tests/data) and on edits of them, through the public
//! `compare` API and the report model: self-comparison, mirroring, moved blocks, renames,
//! edits with their line diffs, reformatting, unrelated files, real version pairs, and the
//! degenerate inputs (empty, whitespace-only, one enormous line).

mod common;

use common::*;
use simile::align::RegionKind;
use simile::align::linediff::LineOpKind;
use simile::lex::{TokenFlags, TokenKind, tokenize};
use simile::report::{Comparison, DiffHunk, LineRange, RenameKind, Verdict};
use simile::source::Language;
use simile::{AlignConfig, SourceFile, compare};

/// The token comparison alone: these tests are about the alignment, not units or licences.
fn cmp(a: &SourceFile, b: &SourceFile) -> Comparison {
    let c = simile::compare_with(
        a,
        b,
        &simile::CompareOptions::tokens_only(AlignConfig::default()),
    );
    assert_none("report", report_violations(&c, a, b));
    c
}

fn text_file(name: &str, text: &str) -> SourceFile {
    SourceFile::from_text(name, text, None)
}

fn lines(text: &str, from: usize, to: usize) -> String {
    text.split_inclusive('\n')
        .skip(from - 1)
        .take(to + 1 - from)
        .collect()
}

// ----- self-comparison and mirroring on every real file -----------------------------------------

#[test]
fn every_real_file_is_identical_to_itself() {
    for path in data_files() {
        let file = simile::source::read_source(&path, &Default::default()).unwrap();
        let c = cmp(&file, &file);
        let name = path.display();
        assert_eq!(c.scores.similarity, 1.0, "{name}");
        assert_eq!(c.verdict, Verdict::Identical, "{name}");
        assert_eq!(c.regions.len(), 1, "{name}");
        assert_eq!(c.regions[0].kind, RegionKind::Identical, "{name}");
        assert!(!c.regions[0].moved, "{name}");
        assert!(c.only_in_a.is_empty() && c.only_in_b.is_empty(), "{name}");
        assert!(c.warnings.is_empty(), "{name}: {:?}", c.warnings);
    }
}

#[test]
fn version_pairs_mirror_when_the_sides_swap() {
    for dir in [
        "zstd_compress_literals",
        "openssl_evp_key",
        "django_deprecation",
        "django_test_queryset_values",
        "foldhash_fast",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(data_dir().join("pairs").join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let read =
            |p: &std::path::Path| simile::source::read_source(p, &Default::default()).unwrap();
        let (a, b) = (read(&files[0]), read(&files[1]));
        let (ab, ba) = (cmp(&a, &b), cmp(&b, &a));
        assert_none(dir, mirror_violations(&ab, &ba));
    }
}

// ----- edits of zlib's adler32.c ----------------------------------------------------------------

fn adler32() -> SourceFile {
    data("c/zlib_adler32.c")
}

#[test]
fn a_block_moved_from_the_top_of_a_to_the_bottom_of_b_is_found_and_flagged() {
    let a = adler32();
    let total = a.text.lines().count();
    // The small `adler32()` wrapper (lines 127-131) moves to the bottom.
    let b = text_file(
        "moved.c",
        &[
            lines(&a.text, 1, 126),
            lines(&a.text, 132, total),
            lines(&a.text, 127, 131),
        ]
        .concat(),
    );
    let c = cmp(&a, &b);
    assert_eq!(c.scores.similarity, 1.0, "moving code loses nothing");
    assert_eq!(c.summary.moved, 1);
    let moved = c.regions.iter().find(|r| r.moved).unwrap();
    assert_eq!(moved.kind, RegionKind::Identical);
    assert_eq!((moved.a.start_line, moved.a.end_line), (128, 130));
    assert_eq!(
        (moved.b.start_line, moved.b.end_line),
        (total as u32 - 3, total as u32 - 1)
    );
    assert_eq!(
        c.verdict,
        Verdict::NearIdentical,
        "every token matches, not in order"
    );
    let ba = cmp(&b, &a);
    assert_none("mirror", mirror_violations(&c, &ba));
}

#[test]
fn a_consistently_renamed_function_is_renamed_with_its_renames() {
    let a = text_file("a.c", &lines(&adler32().text, 61, 125));
    let b = text_file(
        "b.c",
        &a.text
            .replace("sum2", "high")
            .replace("adler", "low")
            .replace("len", "size"),
    );
    let c = cmp(&a, &b);
    assert_eq!(c.scores.similarity, 1.0);
    assert_eq!(c.regions.len(), 1);
    let r = &c.regions[0];
    assert_eq!(r.kind, RegionKind::Renamed);
    let renames: Vec<(&str, &str, RenameKind, u32)> = r
        .renames
        .iter()
        .map(|x| (x.a.as_str(), x.b.as_str(), x.kind, x.count))
        .collect();
    let count = |word: &str| {
        tokenize(&a)
            .tokens
            .iter()
            .filter(|t| t.text(&a.text) == word)
            .count() as u32
    };
    assert_eq!(
        renames,
        [
            ("adler", "low", RenameKind::Identifier, count("adler")),
            ("sum2", "high", RenameKind::Identifier, count("sum2")),
            ("len", "size", RenameKind::Identifier, count("len")),
            ("adler32_z", "low32_z", RenameKind::Identifier, 1),
        ]
    );
    assert_eq!(r.renames[0].count, 18);
    assert_none("mirror", mirror_violations(&c, &cmp(&b, &a)));
}

#[test]
fn renaming_one_variable_throughout_a_function_keeps_one_renamed_region() {
    // The same function twice in one file; only the second copy renames `n`. The first copy's
    // `n` stays `n`, so the whole-file renaming is not a bijection: the aligner must cut between
    // the copies and still call each one whole.
    let function = lines(&adler32().text, 61, 125);
    let a = text_file("a.c", &format!("{function}\n{function}"));
    let b = text_file(
        "b.c",
        &format!(
            "{function}\n{}",
            function
                .replace(" n;", " blocks;")
                .replace("n = ", "blocks = ")
                .replace("--n", "--blocks")
        ),
    );
    let c = cmp(&a, &b);
    assert_eq!(c.scores.similarity, 1.0);
    assert!(
        c.regions.iter().all(|r| r.kind != RegionKind::Edited),
        "{:?}",
        c.regions
    );
    let renames: Vec<(&str, &str)> = c
        .regions
        .iter()
        .flat_map(|r| r.renames.iter().map(|x| (x.a.as_str(), x.b.as_str())))
        .collect();
    assert_eq!(renames, [("n", "blocks")]);
}

#[test]
fn inserted_lines_make_an_edited_region_with_a_correct_line_diff() {
    let a = text_file("a.c", &lines(&adler32().text, 61, 125));
    let inserted = "    if (adler == 0)\n        return 1L;\n    trace(adler);\n";
    let b = text_file(
        "b.c",
        &[
            lines(&a.text, 1, 7),
            inserted.to_owned(),
            lines(&a.text, 8, 65),
        ]
        .concat(),
    );
    let c = cmp(&a, &b);
    assert_eq!(c.regions.len(), 1);
    let r = &c.regions[0];
    assert_eq!(r.kind, RegionKind::Edited);
    assert_eq!(c.scores.coverage_a, 1.0, "nothing of A is lost");
    assert!(c.scores.coverage_b < 1.0);
    let range = |start, end| Some(LineRange { start, end });
    assert_eq!(
        r.diff,
        [
            DiffHunk {
                op: LineOpKind::Equal,
                a: range(1, 7),
                b: range(1, 7)
            },
            DiffHunk {
                op: LineOpKind::Added,
                a: None,
                b: range(8, 10)
            },
            DiffHunk {
                op: LineOpKind::Equal,
                a: range(10, 65),
                b: range(13, 68)
            },
        ]
    );
    assert!(
        c.only_in_b.is_empty(),
        "the inserted lines are inside the region: {:?}",
        c.only_in_b
    );
}

#[test]
fn a_new_function_is_only_in_b() {
    let a = adler32();
    let extra = "\nint unrelated_helper(struct state *s, const char *name) {\n    if (s->refs++ > MAX_REFS)\n        abort_with(name, s->refs);\n    return register_name(s, name, strlen(name));\n}\n";
    let b = text_file("b.c", &format!("{}{extra}", a.text));
    let c = cmp(&a, &b);
    assert_eq!(c.scores.coverage_a, 1.0);
    let last = b.line_count();
    assert_eq!(
        c.only_in_b,
        [LineRange {
            start: last - 4,
            end: last
        }]
    );
    assert!(c.only_in_a.is_empty());
}

// ----- reformatting never lowers similarity -----------------------------------------------------

/// Rewrite `file` from its tokens with other whitespace, other indentation, comments of the
/// language's syntax and (for brace languages) opening braces on their own lines. Tokens keep
/// their lines relative to each other, so preprocessor lines and here-documents stay valid.
fn reformat(file: &SourceFile) -> String {
    let t = tokenize(file);
    let hash_comments = matches!(
        file.language,
        Language::Python | Language::Ruby | Language::Shell | Language::Perl | Language::Php
    );
    let block_comments = !hash_comments && file.language != Language::Text;
    let mut out = String::new();
    let mut prev: Option<&simile::lex::Token> = None;
    for (n, tok) in t.tokens.iter().enumerate() {
        let text = tok.text(&file.text);
        match prev {
            None => {}
            Some(p) if p.line != tok.line || p.text(&file.text).contains(['\n', '\r']) => {
                // (Not after a here-document: its terminator must stay alone on its line.)
                let after_heredoc =
                    p.kind == TokenKind::String && p.text(&file.text).contains('\n');
                if hash_comments && !after_heredoc {
                    out.push_str("  # reformatted");
                }
                for _ in 0..(tok.line - p.line).max(1) {
                    out.push_str("\r\n");
                }
                // A here-document body's indentation is string content: leave it alone.
                let heredoc_body = hash_comments && tok.kind == TokenKind::String;
                if !heredoc_body {
                    out.push_str(&"\t".repeat(n % 3));
                }
            }
            Some(p) => {
                let gap = &file.text[p.end as usize..tok.start as usize];
                let preprocessor = tok.flags.has(TokenFlags::PREPROCESSOR);
                if block_comments && !preprocessor && text == "{" {
                    out.push_str("\n/* brace */\n");
                } else if block_comments && !preprocessor && n % 5 == 0 {
                    out.push_str(" /* c */ ");
                } else if gap.is_empty() {
                    // Languages with hash comments read `a#b` and `<<EOF` by adjacency.
                    if !hash_comments {
                        out.push(' ');
                    }
                } else {
                    out.push_str("   ");
                }
            }
        }
        out.push_str(text);
        prev = Some(tok);
    }
    out
}

#[test]
fn reformatting_keeps_similarity_one_on_every_real_file() {
    for path in data_files() {
        let a = simile::source::read_source(&path, &Default::default()).unwrap();
        let b = SourceFile::from_text(&a.name, &reformat(&a), Some(a.language));
        assert_ne!(a.text, b.text);
        let c = cmp(&a, &b);
        assert_eq!(c.scores.similarity, 1.0, "{}", path.display());
        assert_eq!(c.regions.len(), 1, "{}", path.display());
        assert_eq!(
            c.regions[0].kind,
            RegionKind::Identical,
            "{}",
            path.display()
        );
    }
}

#[test]
fn brace_style_comments_and_indentation_by_hand() {
    let knr = "int\nsum(int *v, int n)\n{\n\tint t = 0, i;\n\n\tfor (i = 0; i < n; i++)\n\t\tt += v[i];\n\treturn t;\n}\n";
    let compact = "int sum(int *v, int n) {   // total of v\n    int t = 0, i;\n    for (i = 0; i < n; i++) /* each */ t += v[i];\n    return t; }\n";
    let c = cmp(&text_file("a.c", knr), &text_file("b.c", compact));
    assert_eq!((c.scores.similarity, c.verdict), (1.0, Verdict::Identical));

    let py_a = "def total(values):\n    result = 0\n    for v in values:\n        result += v * 2\n    return result\n";
    let py_b = "# Sum twice the values.\ndef total( values ):\n  result=0  # start\n  for v in values :\n    result+=v*2\n\n\n  return result\n";
    let c = cmp(&text_file("a.py", py_a), &text_file("b.py", py_b));
    assert_eq!((c.scores.similarity, c.verdict), (1.0, Verdict::Identical));
}

// ----- unrelated and related real files -----------------------------------------------------------

#[test]
fn unrelated_real_files_score_low() {
    // Every pair of files of different origin in tests/data: 16 languages, several projects and
    // licence headers shared between the OpenSSL files (comments do not count). Measured: 0 of
    // 430 pairs match any token.
    let files = data_files();
    let mut worst = (0.0f64, String::new());
    let mut pairs = 0;
    for (i, a) in files.iter().enumerate() {
        for b in &files[i + 1..] {
            if a.parent() == b.parent() && a.to_string_lossy().contains("/pairs/") {
                continue;
            }
            // Licence texts are legal boilerplate, not code: two BSD-3-Clause texts *should*
            // match (the licence tests rely on it); so are two Debian copyright files (the same
            // format header, the same licence paragraphs).
            if [a, b].iter().any(|p| {
                let p = p.to_string_lossy();
                p.contains("/licenses/") || p.contains("/debian/")
            }) {
                continue;
            }
            let read =
                |p: &std::path::Path| simile::source::read_source(p, &Default::default()).unwrap();
            let c = compare(&read(a), &read(b), &AlignConfig::default());
            pairs += 1;
            if c.scores.similarity > worst.0 {
                worst = (
                    c.scores.similarity,
                    format!("{} vs {}", a.display(), b.display()),
                );
            }
        }
    }
    assert!(pairs > 400);
    assert!(
        worst.0 < 0.02,
        "most similar unrelated pair: {:.3} {}",
        worst.0,
        worst.1
    );
}

#[test]
fn real_version_pairs_score_in_a_sensible_range() {
    // (pair, old, new, similarity range, expected verdict). Measured at the time of writing:
    // zstd 0.721, OpenSSL 0.991 (the licence header changed, and comments do not count),
    // Django deprecation 0.951, Django test 0.915, foldhash 0.790.
    let cases = [
        (
            "zstd_compress_literals",
            "1.4.9.c",
            "1.5.7.c",
            0.65..0.80,
            Verdict::Derived,
        ),
        (
            "openssl_evp_key",
            "1.1.1w.c",
            "3.6.3.c",
            0.95..1.0,
            Verdict::NearIdentical,
        ),
        (
            "django_deprecation",
            "4.2.py",
            "5.1.py",
            0.90..0.99,
            Verdict::NearIdentical,
        ),
        (
            "django_test_queryset_values",
            "4.2.py",
            "5.1.py",
            0.85..0.97,
            Verdict::NearIdentical,
        ),
        (
            "foldhash_fast",
            "0.1.5.rs",
            "0.2.0.rs",
            0.70..0.87,
            Verdict::Derived,
        ),
    ];
    for (dir, old, new, range, verdict) in cases {
        let a = data(&format!("pairs/{dir}/{old}"));
        let b = data(&format!("pairs/{dir}/{new}"));
        let c = cmp(&a, &b);
        assert!(
            range.contains(&c.scores.similarity),
            "{dir}: {:.3} not in {range:?}",
            c.scores.similarity
        );
        assert_eq!(c.verdict, verdict, "{dir}");
        assert!(!c.regions.is_empty());
        let longest = c.scores.longest_fragment.unwrap();
        assert!(
            longest.tokens >= 40,
            "{dir}: longest fragment {} tokens",
            longest.tokens
        );
    }
}

#[test]
fn the_zstd_version_pair_explains_its_changes() {
    let a = data("pairs/zstd_compress_literals/1.4.9.c");
    let b = data("pairs/zstd_compress_literals/1.5.7.c");
    let c = cmp(&a, &b);
    // 1.5.7 added functions (a debug dump and an `allowHuffman` helper): B holds code that A does
    // not, and every edited region has a line diff that covers it.
    assert!(c.scores.coverage_a > c.scores.coverage_b);
    assert!(!c.only_in_b.is_empty());
    let edited: Vec<_> = c
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Edited)
        .collect();
    assert!(edited.len() >= 2);
    for r in edited {
        // The runs are in order and cover exactly the region's lines on both sides.
        let a: Vec<LineRange> = r.diff.iter().filter_map(|h| h.a).collect();
        let b: Vec<LineRange> = r.diff.iter().filter_map(|h| h.b).collect();
        for side in [&a, &b] {
            assert!(
                side.windows(2).all(|w| w[0].end < w[1].start),
                "{:?}",
                r.diff
            );
        }
        assert_eq!(
            (a[0].start, a[a.len() - 1].end),
            (r.a.start_line, r.a.end_line)
        );
        assert_eq!(
            (b[0].start, b[b.len() - 1].end),
            (r.b.start_line, r.b.end_line)
        );
        assert!(
            r.diff.iter().any(|h| h.op != LineOpKind::Equal),
            "an edit shows a change"
        );
    }
}

#[test]
fn different_languages_of_the_same_logic_do_not_match() {
    let c = text_file("a.c", "int add(int a, int b) {\n    return a + b;\n}\n");
    let py = text_file("a.py", "def add(a, b):\n    return a + b\n");
    let comparison = cmp(&c, &py);
    assert_eq!(comparison.scores.similarity, 0.0);
    assert_eq!(comparison.verdict, Verdict::Unrelated);
}

// ----- degenerate inputs ------------------------------------------------------------------------

#[test]
fn empty_and_whitespace_only_files() {
    let empty = text_file("empty.c", "");
    let blank = text_file("blank.c", "  \n\n\t\r\n");
    let comment = text_file("comment.c", "/* nothing here */\n");
    let code = adler32();

    for (a, b) in [(&empty, &empty), (&empty, &blank), (&blank, &comment)] {
        let c = cmp(a, b);
        // No code on either side: nothing differs.
        assert_eq!(c.scores.similarity, 1.0);
        assert!(c.regions.is_empty());
        assert!(
            !c.warnings.is_empty(),
            "the reader is told the files hold no code"
        );
    }
    let c = cmp(&empty, &code);
    assert_eq!((c.scores.similarity, c.verdict), (0.0, Verdict::Unrelated));
    assert!(c.regions.is_empty());
    assert_eq!(c.only_in_b.len(), 1, "all of B is only in B");
    assert!(c.warnings.iter().any(|w| w.message.contains("empty")));
    let c = cmp(&code, &blank);
    assert_eq!(c.scores.similarity, 0.0);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.message.contains("no code tokens"))
    );
}

#[test]
fn a_file_of_one_line_with_100k_tokens() {
    // Minified JavaScript: 100 000 tokens on one line.
    let statement = |i: usize| format!("var v{i}=f(v{},{});", i.saturating_sub(1), i % 97);
    let line: String = (0..10_000).map(statement).collect();
    let a = text_file("a.min.js", &line);
    assert_eq!(tokenize(&a).tokens.len(), 100_000);
    assert_eq!(
        tokenize(&a)
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Identifier)
            .count(),
        30_000
    );

    let c = cmp(&a, &a);
    assert_eq!((c.scores.similarity, c.regions.len()), (1.0, 1));
    let r = &c.regions[0];
    assert_eq!((r.a.start_line, r.a.end_line, r.a.start_column), (1, 1, 1));
    assert_eq!(r.a.end_column as usize, line.chars().count() + 1);

    // One statement changed in the middle: still one line, one edited region around it.
    let changed = line.replacen("var v5000=f(v4999,53);", "var v5000=g(v4999,53,0);", 1);
    assert_ne!(changed, line);
    let b = text_file("b.min.js", &changed);
    let c = cmp(&a, &b);
    assert!(c.scores.similarity > 0.999);
    assert_eq!(c.regions.len(), 1);
    assert_eq!(c.regions[0].kind, RegionKind::Edited);
    assert_eq!(
        c.regions[0].diff.len(),
        1,
        "one line, changed: {:?}",
        c.regions[0].diff
    );
    assert_eq!(c.regions[0].diff[0].op, LineOpKind::Changed);
    assert_none("mirror", mirror_violations(&c, &cmp(&b, &a)));
}
