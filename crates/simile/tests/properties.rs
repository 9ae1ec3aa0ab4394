//! Property tests of the whole comparison on generated programs: a C-like program A, and B made
//! from A by the edits people make (functions moved, duplicated or replaced, statements inserted
//! or deleted, variables renamed, code reformatted). For every pair:
//!
//! - a file compared with itself (or a reformatted copy) is 1.0 similar, in one identical region;
//! - compare(A, B) mirrors compare(B, A): equal scores, regions with their sides swapped;
//! - scores lie in [0, 1]; regions lie inside both files, never overlap on one side (in tokens
//!   or bytes), and every matched token lies in exactly one region; line ranges agree with the
//!   byte spans.
//!
//! The same invariants hold on arbitrary text in every language: fragments of every lexical
//! form (comments, strings, raw strings, here-documents, line endings) mixed with arbitrary
//! characters, and a copy of it with blocks deleted, duplicated and moved.
//!
//! `SIMILE_PROPTEST_CASES` raises the number of cases (default 64 per property, so the suite
//! stays fast in the dev profile).

mod common;

use common::*;
use proptest::prelude::*;
use simile::align::{AlignConfig, RegionKind, Side, align};
use simile::fingerprint::FingerprintConfig;
use simile::lex::tokenize;
use simile::source::Language;
use simile::{SourceFile, compare};

// ----- a small generator of C-like programs -----------------------------------------------------

const VARS: [&str; 12] = [
    "count", "len", "buf", "pos", "n", "total", "state", "flags", "value", "offset", "size", "key",
];
const NEW_VARS: [&str; 8] = ["cnt", "length", "data", "p", "m", "sum", "st", "opts"];
const STRINGS: [&str; 5] = ["ok", "error: %d", "done\\n", "%s=%s", ""];
const TEMPLATES: [&str; 9] = [
    "{0} = {1} + {n};",
    "if ({0} > {n}) {{ {1} = {f}({0}, {1}); }}",
    "for (i = 0; i < {0}; i++) {{ {1} += i * {n}; }}",
    "{0} = {f}({1}) - {n};",
    "{f}({0}, \"{s}\");",
    "while ({0} != {n}) {{ {0} = {0} / 2; }}",
    "{0}[{n}] = {1}->next;",
    "switch ({0}) {{ case {n}: {1}++; break; default: {1}--; }}",
    "return {0} << {n} | {1};",
];

#[derive(Debug, Clone)]
struct Stmt {
    template: usize,
    v0: usize,
    v1: usize,
    n: u32,
    f: usize,
    s: usize,
}

#[derive(Debug, Clone)]
struct Func {
    id: usize,
    /// Names of the function's variable slots (a rename changes one).
    vars: Vec<String>,
    body: Vec<Stmt>,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    brace_on_own_line: bool,
    indent: usize,
    comments: bool,
    crlf: bool,
}

#[derive(Debug, Clone)]
enum Edit {
    MoveFunc(prop::sample::Index, prop::sample::Index),
    DuplicateFunc(prop::sample::Index),
    ReplaceFunc(prop::sample::Index, Func),
    InsertStmt(prop::sample::Index, prop::sample::Index, Stmt),
    DeleteStmt(prop::sample::Index, prop::sample::Index),
    RenameVar(prop::sample::Index, prop::sample::Index, usize),
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        0..TEMPLATES.len(),
        0usize..6,
        0usize..6,
        0u32..64,
        0usize..6,
        0..STRINGS.len(),
    )
        .prop_map(|(template, v0, v1, n, f, s)| Stmt {
            template,
            v0,
            v1,
            n,
            f,
            s,
        })
}

fn func() -> impl Strategy<Value = Func> {
    (
        0usize..500,
        prop::sample::subsequence(VARS.to_vec(), 6),
        prop::collection::vec(stmt(), 1..7),
    )
        .prop_map(|(id, vars, body)| Func {
            id,
            vars: vars.into_iter().map(str::to_owned).collect(),
            body,
        })
}

fn program() -> impl Strategy<Value = Vec<Func>> {
    prop::collection::vec(func(), 1..6)
}

fn style() -> impl Strategy<Value = Style> {
    (any::<bool>(), 1usize..9, any::<bool>(), any::<bool>()).prop_map(
        |(brace_on_own_line, indent, comments, crlf)| Style {
            brace_on_own_line,
            indent,
            comments,
            crlf,
        },
    )
}

fn edit() -> impl Strategy<Value = Edit> {
    use prop::sample::Index;
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::MoveFunc(a, b)),
        any::<Index>().prop_map(Edit::DuplicateFunc),
        (any::<Index>(), func()).prop_map(|(a, f)| Edit::ReplaceFunc(a, f)),
        (any::<Index>(), any::<Index>(), stmt()).prop_map(|(a, b, s)| Edit::InsertStmt(a, b, s)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::DeleteStmt(a, b)),
        (any::<Index>(), any::<Index>(), 0..NEW_VARS.len())
            .prop_map(|(a, b, n)| Edit::RenameVar(a, b, n)),
    ]
}

fn apply(mut prog: Vec<Func>, edits: &[Edit]) -> Vec<Func> {
    for e in edits {
        let n = prog.len();
        match e {
            Edit::MoveFunc(from, to) => {
                let f = prog.remove(from.index(n));
                prog.insert(to.index(n), f);
            }
            Edit::DuplicateFunc(i) => {
                let f = prog[i.index(n)].clone();
                prog.push(f);
            }
            Edit::ReplaceFunc(i, f) => prog[i.index(n)] = f.clone(),
            Edit::InsertStmt(i, at, s) => {
                let body = &mut prog[i.index(n)].body;
                body.insert(at.index(body.len() + 1), s.clone());
            }
            Edit::DeleteStmt(i, at) => {
                let body = &mut prog[i.index(n)].body;
                if body.len() > 1 {
                    body.remove(at.index(body.len()));
                }
            }
            Edit::RenameVar(i, slot, name) => {
                // Consistent renames only: a new name already in use would merge two variables.
                let vars = &mut prog[i.index(n)].vars;
                if !vars.iter().any(|v| v == NEW_VARS[*name]) {
                    let k = slot.index(vars.len());
                    vars[k] = NEW_VARS[*name].to_owned();
                }
            }
        }
    }
    prog
}

fn render(prog: &[Func], style: Style) -> String {
    let pad = " ".repeat(style.indent);
    let mut out = String::from("#include <stdio.h>\n\n");
    for f in prog {
        if style.comments {
            out.push_str(&format!("/* fn_{} */\n", f.id));
        }
        out.push_str(&format!(
            "static int fn_{}(int {}, int {})",
            f.id, f.vars[0], f.vars[1]
        ));
        out.push_str(if style.brace_on_own_line {
            "\n{\n"
        } else {
            " {\n"
        });
        out.push_str(&format!(
            "{pad}int i, {}, {}, {}, {};\n",
            f.vars[2], f.vars[3], f.vars[4], f.vars[5]
        ));
        for s in &f.body {
            let line = TEMPLATES[s.template]
                .replace("{0}", &f.vars[s.v0])
                .replace("{1}", &f.vars[s.v1])
                .replace("{n}", &s.n.to_string())
                .replace("{f}", &format!("helper_{}", s.f))
                .replace("{s}", STRINGS[s.s])
                .replace("{{", "{")
                .replace("}}", "}");
            out.push_str(&pad);
            out.push_str(&line);
            if style.comments && s.n % 3 == 0 {
                out.push_str(" // step");
            }
            out.push('\n');
        }
        out.push_str(&format!("{pad}return {};\n}}\n\n", f.vars[0]));
    }
    if style.crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

fn source(name: &str, text: &str) -> SourceFile {
    SourceFile::from_text(name, text, None)
}

/// Configurations the properties must hold under: the default and a few unusual ones.
fn config() -> impl Strategy<Value = AlignConfig> {
    prop_oneof![
        3 => Just(AlignConfig::default()),
        1 => (2usize..16, 1usize..10, 1usize..40, 0u32..10, any::<bool>()).prop_map(|(k, w, min_region, gap, renames)| {
            AlignConfig {
                fingerprint: FingerprintConfig { k, w },
                min_fragment_tokens: k,
                min_region_tokens: min_region,
                max_gap_lines: gap,
                renames,
            }
        }),
    ]
}

// ----- the properties ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    #[test]
    fn a_file_is_fully_similar_to_itself_and_to_a_reformatted_copy(prog in program(), s1 in style(), s2 in style()) {
        let a = source("a.c", &render(&prog, s1));
        let b = source("b.c", &render(&prog, s2));
        let config = AlignConfig::default();
        for other in [&a, &b] {
            let c = compare(&a, other, &config);
            prop_assert_eq!(c.scores.similarity, 1.0);
            prop_assert_eq!(c.regions.len(), 1, "{:?}", c.regions);
            prop_assert_eq!(c.regions[0].kind, RegionKind::Identical);
            prop_assert!(!c.regions[0].moved);
            prop_assert_eq!(c.verdict, simile::report::Verdict::Identical);
        }
    }

    #[test]
    fn compare_mirrors_when_the_sides_swap(prog in program(), edits in prop::collection::vec(edit(), 0..6), s1 in style(), s2 in style(), config in config()) {
        let a = source("a.c", &render(&prog, s1));
        let b = source("b.c", &render(&apply(prog, &edits), s2));
        let ab = compare(&a, &b, &config);
        let ba = compare(&b, &a, &config);
        let errors = mirror_violations(&ab, &ba);
        prop_assert!(errors.is_empty(), "{}\nA:\n{}\nB:\n{}", errors.join("\n"), a.text, b.text);
    }

    #[test]
    fn reports_and_alignments_keep_their_invariants(prog in program(), edits in prop::collection::vec(edit(), 0..6), s1 in style(), s2 in style(), config in config()) {
        let a = source("a.c", &render(&prog, s1));
        let b = source("b.c", &render(&apply(prog, &edits), s2));
        let c = compare(&a, &b, &config);
        let errors = report_violations(&c, &a, &b);
        prop_assert!(errors.is_empty(), "{}\nA:\n{}\nB:\n{}", errors.join("\n"), a.text, b.text);

        let (ta, tb) = (tokenize(&a), tokenize(&b));
        let al = align(
            Side { tokens: &ta.tokens, text: &a.text, lines: &a.lines },
            Side { tokens: &tb.tokens, text: &b.text, lines: &b.lines },
            &config,
        );
        let errors = alignment_violations(&al, ta.tokens.len(), tb.tokens.len(), &config);
        prop_assert!(errors.is_empty(), "{}\nA:\n{}\nB:\n{}", errors.join("\n"), a.text, b.text);
    }

    #[test]
    fn renaming_variables_never_loses_code(prog in program(), renames in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..NEW_VARS.len()), 1..4), s in style()) {
        // Consistent renames only: every token still has its counterpart.
        let edits: Vec<Edit> = renames.into_iter().map(|(f, v, n)| Edit::RenameVar(f, v, n)).collect();
        let renamed = apply(prog.clone(), &edits);
        let a = source("a.c", &render(&prog, s));
        let b = source("b.c", &render(&renamed, s));
        let c = compare(&a, &b, &AlignConfig::default());
        prop_assert_eq!(c.scores.similarity, 1.0, "\nA:\n{}\nB:\n{}", a.text, b.text);
        // Every token matched in order: one region, renamed unless no rename changed a name.
        prop_assert_eq!(c.regions.len(), 1);
        let expected = if a.text == b.text { RegionKind::Identical } else { RegionKind::Renamed };
        prop_assert_eq!(c.regions[0].kind, expected);
        prop_assert!(!c.regions[0].moved);
    }
}

/// Text over a tiny vocabulary: repeats everywhere, so fragments tie in length and position
/// and only the tie-breaks decide. The hardest case for symmetry.
fn repetitive_text() -> impl Strategy<Value = (String, String)> {
    let word = prop::sample::select(vec!["a", "b", "c", "d", "a b", "\n"]);
    let words = prop::collection::vec(word, 20..200);
    (
        words,
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                0usize..40,
                0u8..3,
            ),
            0..4,
        ),
    )
        .prop_map(|(words, edits)| {
            let a = words.join(" ");
            let mut b = words.clone();
            for (i, j, len, op) in edits {
                let n = b.len();
                if n == 0 {
                    break;
                }
                let (start, to) = (i.index(n), j.index(n));
                let end = (start + len).min(n);
                match op {
                    // move a block
                    0 => {
                        let block: Vec<&str> = b.drain(start..end).collect();
                        let at = to.min(b.len());
                        b.splice(at..at, block);
                    }
                    // delete a block
                    1 => {
                        b.drain(start..end);
                    }
                    // duplicate a block
                    _ => {
                        let block: Vec<&str> = b[start..end].to_vec();
                        b.splice(to..to, block);
                    }
                }
            }
            (a, b.join(" "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    #[test]
    fn symmetric_and_consistent_on_repetitive_text((a, b) in repetitive_text(), k in 2usize..8, w in 1usize..6, min_region in 1usize..12, gap in 0u32..4) {
        let config = AlignConfig {
            fingerprint: FingerprintConfig { k, w },
            min_fragment_tokens: k,
            min_region_tokens: min_region,
            max_gap_lines: gap,
            renames: true,
        };
        let (fa, fb) = (source("a.txt", &a), source("b.txt", &b));
        let ab = compare(&fa, &fb, &config);
        let ba = compare(&fb, &fa, &config);
        let errors = mirror_violations(&ab, &ba);
        prop_assert!(errors.is_empty(), "{}\nA: {:?}\nB: {:?}", errors.join("\n"), a, b);
        let errors = report_violations(&ab, &fa, &fb);
        prop_assert!(errors.is_empty(), "{}\nA: {:?}\nB: {:?}", errors.join("\n"), a, b);
        let self_ab = compare(&fa, &fa, &config);
        prop_assert_eq!(self_ab.scores.similarity, 1.0);
    }
}

/// Text made of pieces of every lexical form of the 17 languages and arbitrary characters.
fn any_text() -> impl Strategy<Value = Vec<String>> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "{", "}", "(", ")", "[", "]", ";", ",", "=", "+", "->", "::", "\\", "/", "*",
            "/*", "*/", "//", "#", "#include <a.h>\n", "\"", "'", "`", "${", "'''", "\"\"\"",
            "r#\"", "\"#", "R\"x(", ")x\"", "<<EOF\n", "EOF\n", "=begin\n", "=end\n", "@\"",
            "$x", "@y", "\n", "\r\n", "\r", " ", "\t", "\u{a0}", "if", "fn", "def", "class",
            "return", "import os\n", "0x1F", "3.5e-2", "42", "x", "value", "é", "日本",
        ])
        .prop_map(str::to_owned),
        2 => "[a-z_][a-z0-9_]{0,6}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..160)
}

/// `pieces` as A, and B made from it by deleting, duplicating and moving runs of pieces.
fn text_pair() -> impl Strategy<Value = (String, String)> {
    (
        any_text(),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                0usize..30,
                0u8..3,
            ),
            0..4,
        ),
    )
        .prop_map(|(pieces, edits)| {
            let a = pieces.concat();
            let mut b = pieces;
            for (i, j, len, op) in edits {
                let n = b.len();
                if n == 0 {
                    break;
                }
                let (start, to) = (i.index(n), j.index(n));
                let end = (start + len).min(n);
                let block: Vec<String> = b[start..end].to_vec();
                match op {
                    0 => {
                        b.drain(start..end);
                    }
                    1 => {
                        b.splice(to..to, block);
                    }
                    _ => {
                        b.drain(start..end);
                        let at = to.min(b.len());
                        b.splice(at..at, block);
                    }
                }
            }
            (a, b.concat())
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(64)))]

    #[test]
    fn any_text_in_any_language_keeps_every_invariant((a, b) in text_pair(), lang in 0..Language::ALL.len(), config in config()) {
        let language = Language::ALL[lang];
        let fa = SourceFile::from_text("a", &a, Some(language));
        let fb = SourceFile::from_text("b", &b, Some(language));
        let ab = compare(&fa, &fb, &config);
        let errors = report_violations(&ab, &fa, &fb);
        prop_assert!(errors.is_empty(), "{}\n{language:?}\nA: {a:?}\nB: {b:?}", errors.join("\n"));
        let ba = compare(&fb, &fa, &config);
        let errors = mirror_violations(&ab, &ba);
        prop_assert!(errors.is_empty(), "{}\n{language:?}\nA: {a:?}\nB: {b:?}", errors.join("\n"));
        // A file is fully similar to itself, whatever it holds (if it holds a token).
        let itself = compare(&fa, &fa, &config);
        if ab.a.tokens > 0 {
            prop_assert_eq!(itself.scores.similarity, 1.0, "{:?} A: {:?}", language, a);
        }
        let errors = report_violations(&itself, &fa, &fa);
        prop_assert!(errors.is_empty(), "{}\n{language:?}\nA: {a:?}", errors.join("\n"));
    }
}
