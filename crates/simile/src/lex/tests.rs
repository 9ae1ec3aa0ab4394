//! Tokenizer tests: exact token texts and kinds for the tricky constructs of every language,
//! line numbers under every line ending, the scanner's invariants on real files (tests/data and,
//! when `$SIMILE_CORPUS` is set, the registry corpora) and on random text.

use super::*;
use crate::source::{Language, LineIndex, SourceFile};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const I: TokenKind = TokenKind::Identifier;
const K: TokenKind = TokenKind::Keyword;
const N: TokenKind = TokenKind::Number;
const S: TokenKind = TokenKind::String;
const P: TokenKind = TokenKind::Punctuation;

// ----- helpers ----------------------------------------------------------------------------------

/// Every invariant the scanner promises, as a list of violations (empty when all hold).
pub(crate) fn invariant_violations(
    text: &str,
    lines: &LineIndex,
    t: &TokenizedFile,
) -> Vec<String> {
    let mut errors = Vec::new();
    let len = text.len() as u32;
    let mut prev_end = 0u32;
    for (n, tok) in t.tokens.iter().enumerate() {
        let at = format!("token {n} at {}..{}", tok.start, tok.end);
        if tok.start >= tok.end {
            errors.push(format!("{at}: empty"));
        }
        if tok.end > len {
            errors.push(format!("{at}: past the end ({len})"));
            continue;
        }
        if tok.start < prev_end {
            errors.push(format!(
                "{at}: overlaps the previous token (ends {prev_end})"
            ));
        }
        prev_end = tok.end;
        if !text.is_char_boundary(tok.start as usize) || !text.is_char_boundary(tok.end as usize) {
            errors.push(format!("{at}: splits a UTF-8 character"));
            continue;
        }
        let body = tok.text(text);
        if tok.exact != xxhash_rust::xxh3::xxh3_64(body.as_bytes()) {
            errors.push(format!("{at}: exact is not xxh3 of {body:?}"));
        }
        if tok.line != lines.line_of(tok.start) {
            errors.push(format!(
                "{at}: line {} but starts on {}",
                tok.line,
                lines.line_of(tok.start)
            ));
        }
        // Whitespace separates tokens (a here-document body is string content and may start
        // with its indentation).
        if tok.kind != TokenKind::String && body.contains(|c: char| c.is_whitespace()) {
            errors.push(format!("{at}: holds whitespace: {body:?}"));
        }
    }
    let mut prev_end = 0u32;
    for (n, c) in t.comments.iter().enumerate() {
        let at = format!("comment {n} at {}..{}", c.start, c.end);
        if c.start >= c.end || c.end > len || c.start < prev_end {
            errors.push(format!(
                "{at}: empty, past the end or overlapping (prev end {prev_end})"
            ));
            continue;
        }
        prev_end = c.end;
        if !text.is_char_boundary(c.start as usize) || !text.is_char_boundary(c.end as usize) {
            errors.push(format!("{at}: splits a UTF-8 character"));
        }
        if c.line != lines.line_of(c.start) {
            errors.push(format!("{at}: wrong line {}", c.line));
        }
    }
    // Tokens and comments never overlap each other.
    let mut spans: Vec<(u32, u32, &str)> = t
        .tokens
        .iter()
        .map(|x| (x.start, x.end, "token"))
        .chain(t.comments.iter().map(|c| (c.start, c.end, "comment")))
        .collect();
    spans.sort_unstable();
    for w in spans.windows(2) {
        if w[1].0 < w[0].1 {
            errors.push(format!(
                "{} {}..{} overlaps {} {}..{}",
                w[0].2, w[0].0, w[0].1, w[1].2, w[1].0, w[1].1
            ));
        }
    }
    errors
}

fn assert_invariants(name: &str, file: &SourceFile, t: &TokenizedFile) {
    let errors = invariant_violations(&file.text, &file.lines, t);
    assert!(
        errors.is_empty(),
        "{name} ({}): {} violation(s), first: {:#?}",
        file.language.name(),
        errors.len(),
        &errors[..errors.len().min(5)]
    );
}

fn lex_file(lang: Language, src: &str) -> (SourceFile, TokenizedFile) {
    let file = SourceFile::from_text("snippet", src, Some(lang));
    let tokens = tokenize(&file);
    assert_invariants("snippet", &file, &tokens);
    (file, tokens)
}

/// `(text, kind)` of every token.
fn lex(lang: Language, src: &str) -> Vec<(String, TokenKind)> {
    let (file, t) = lex_file(lang, src);
    t.tokens
        .iter()
        .map(|x| (x.text(&file.text).to_owned(), x.kind))
        .collect()
}

fn texts(lang: Language, src: &str) -> Vec<String> {
    lex(lang, src).into_iter().map(|(t, _)| t).collect()
}

fn comments(lang: Language, src: &str) -> Vec<(String, u32)> {
    let (file, t) = lex_file(lang, src);
    t.comments
        .iter()
        .map(|c| (c.text(&file.text).to_owned(), c.line))
        .collect()
}

#[track_caller]
fn assert_lex(lang: Language, src: &str, expected: &[(&str, TokenKind)]) {
    let got = lex(lang, src);
    let got: Vec<(&str, TokenKind)> = got.iter().map(|(t, k)| (t.as_str(), *k)).collect();
    assert_eq!(got, expected, "{} tokens of {src:?}", lang.name());
}

/// Tokens (texts) of `src` whose flags have `bit`.
fn flagged(lang: Language, src: &str, bit: u8) -> Vec<String> {
    let (file, t) = lex_file(lang, src);
    t.tokens
        .iter()
        .filter(|x| x.flags.has(bit))
        .map(|x| x.text(&file.text).to_owned())
        .collect()
}

/// The exact-hash stream: what similarity sees.
fn stream(lang: Language, src: &str) -> Vec<u64> {
    lex_file(lang, src)
        .1
        .tokens
        .iter()
        .map(|t| t.exact)
        .collect()
}

// ----- C ----------------------------------------------------------------------------------------

#[test]
fn c_kr_definition() {
    // From zlib's old-style code: parameters declared between `)` and `{`.
    let src = "int\nmax(a, b)\n    int a, b;\n{\n    return a > b ? a : b;\n}\n";
    assert_lex(
        Language::C,
        src,
        &[
            ("int", K),
            ("max", I),
            ("(", P),
            ("a", I),
            (",", P),
            ("b", I),
            (")", P),
            ("int", K),
            ("a", I),
            (",", P),
            ("b", I),
            (";", P),
            ("{", P),
            ("return", K),
            ("a", I),
            (">", P),
            ("b", I),
            ("?", P),
            ("a", I),
            (":", P),
            ("b", I),
            (";", P),
            ("}", P),
        ],
    );
}

#[test]
fn c_define_with_continuation_lines_is_tokenized_and_flagged() {
    let src = "#define MAX(a, b) \\\n    ((a) > (b) ? \\\n     (a) : (b))\nint x = MAX(1, 2);\n";
    let (file, t) = lex_file(Language::C, src);
    let pp: Vec<&str> = t
        .tokens
        .iter()
        .filter(|x| x.flags.has(TokenFlags::PREPROCESSOR))
        .map(|x| x.text(&file.text))
        .collect();
    assert_eq!(
        pp,
        [
            "#", "define", "MAX", "(", "a", ",", "b", ")", "(", "(", "a", ")", ">", "(", "b", ")",
            "?", "(", "a", ")", ":", "(", "b", ")", ")"
        ]
    );
    assert_eq!(t.tokens[1].kind, K, "`define` is a keyword");
    assert_eq!(t.tokens[2].kind, I);
    // The continuation lines keep their own line numbers.
    let q = t.tokens.iter().find(|x| x.text(&file.text) == "?").unwrap();
    assert_eq!(q.line, 2);
    // The line after the directive is plain code.
    let int = t
        .tokens
        .iter()
        .rfind(|x| x.text(&file.text) == "int")
        .unwrap();
    assert_eq!((int.line, int.flags), (4, TokenFlags::default()));
    assert!(t.comments.is_empty());
}

#[test]
fn c_include_header_name_is_one_string_with_import_flag() {
    let src =
        "#include <sys/types.h>\n#include \"local.h\" /* ours */\n# include_next <x.h>\nint y;\n";
    assert_lex(
        Language::C,
        src,
        &[
            ("#", P),
            ("include", K),
            ("<sys/types.h>", S),
            ("#", P),
            ("include", K),
            ("\"local.h\"", S),
            ("#", P),
            ("include_next", K),
            ("<x.h>", S),
            ("int", K),
            ("y", I),
            (";", P),
        ],
    );
    let both = TokenFlags::IMPORT | TokenFlags::PREPROCESSOR;
    let (file, t) = lex_file(Language::C, src);
    for tok in &t.tokens[..9] {
        assert_eq!(tok.flags.0, both, "{:?}", tok.text(&file.text));
    }
    assert_eq!(t.tokens[9].flags.0, 0);
    assert_eq!(comments(Language::C, src), [("/* ours */".to_owned(), 2)]);
}

#[test]
fn c_less_than_in_if_directive_is_not_a_header_name() {
    assert_lex(
        Language::C,
        "#if A < B && C > D\n#endif\n",
        &[
            ("#", P),
            ("if", K),
            ("A", I),
            ("<", P),
            ("B", I),
            ("&&", P),
            ("C", I),
            (">", P),
            ("D", I),
            ("#", P),
            ("endif", K),
        ],
    );
    assert!(flagged(Language::C, "#if A < B\n#endif\n", TokenFlags::IMPORT).is_empty());
}

#[test]
fn c_pragma_and_other_directives() {
    let src = "#pragma init(setup)\n#pragma once\n#undef X\n#line 10 \"f.c\"\n";
    assert_lex(
        Language::C,
        src,
        &[
            ("#", P),
            ("pragma", K),
            ("init", I),
            ("(", P),
            ("setup", I),
            (")", P),
            ("#", P),
            ("pragma", K),
            ("once", I),
            ("#", P),
            ("undef", K),
            ("X", I),
            ("#", P),
            ("line", K),
            ("10", N),
            ("\"f.c\"", S),
        ],
    );
    assert_eq!(
        flagged(Language::C, src, TokenFlags::PREPROCESSOR).len(),
        16
    );
}

#[test]
fn c_stringizing_and_pasting_inside_a_macro() {
    assert_eq!(
        texts(Language::C, "#define CAT(a, b) a ## b\n#define STR(x) #x\n"),
        [
            "#", "define", "CAT", "(", "a", ",", "b", ")", "a", "##", "b", "#", "define", "STR",
            "(", "x", ")", "#", "x"
        ]
    );
}

#[test]
fn c_char_literals() {
    assert_lex(
        Language::C,
        r#"c = '\''; d = '\\'; e = 'x'; f = '"'; g = L'w';"#,
        &[
            ("c", I),
            ("=", P),
            ("'\\''", S),
            (";", P),
            ("d", I),
            ("=", P),
            ("'\\\\'", S),
            (";", P),
            ("e", I),
            ("=", P),
            ("'x'", S),
            (";", P),
            ("f", I),
            ("=", P),
            ("'\"'", S),
            (";", P),
            ("g", I),
            ("=", P),
            ("L'w'", S),
            (";", P),
        ],
    );
}

#[test]
fn c_apostrophe_in_error_text_does_not_swallow_code() {
    let src = "#error don't build this\nint y = 'a';\n";
    assert_lex(
        Language::C,
        src,
        &[
            ("#", P),
            ("error", K),
            ("don", I),
            ("'", P),
            ("t", I),
            ("build", I),
            ("this", I),
            ("int", K),
            ("y", I),
            ("=", P),
            ("'a'", S),
            (";", P),
        ],
    );
}

#[test]
fn c_punctuation_by_maximal_munch_without_digraphs() {
    assert_eq!(
        texts(
            Language::C,
            "p->q <<= 2; a != b && c || d; i++; f(x, ...); a <: b %> c;"
        ),
        [
            "p", "->", "q", "<<=", "2", ";", "a", "!=", "b", "&&", "c", "||", "d", ";", "i", "++",
            ";", "f", "(", "x", ",", "...", ")", ";", "a", "<", ":", "b", "%", ">", "c", ";"
        ]
    );
}

#[test]
fn c_numbers() {
    assert_eq!(
        lex(Language::C, "0x1Fu 1.5e-3f 1e+9 0x1p-3 .5 07 10UL 0xe+1"),
        [
            ("0x1Fu".to_owned(), N),
            ("1.5e-3f".to_owned(), N),
            ("1e+9".to_owned(), N),
            ("0x1p-3".to_owned(), N),
            (".5".to_owned(), N),
            ("07".to_owned(), N),
            ("10UL".to_owned(), N),
            // `0xe+1` is `0xe + 1`: `e` is a hex digit, not an exponent
            ("0xe".to_owned(), N),
            ("+".to_owned(), P),
            ("1".to_owned(), N),
        ]
    );
}

#[test]
fn c_comments_are_kept_aside_with_text_and_line() {
    let src = "/* Copyright (c) Meta Platforms, Inc.\n * All rights reserved. */\nint x; // trailing\n// continued \\\n   still the comment\nint y;\n";
    assert_eq!(texts(Language::C, src), ["int", "x", ";", "int", "y", ";"]);
    assert_eq!(
        comments(Language::C, src),
        [
            (
                "/* Copyright (c) Meta Platforms, Inc.\n * All rights reserved. */".to_owned(),
                1
            ),
            ("// trailing".to_owned(), 3),
            ("// continued \\\n   still the comment".to_owned(), 4),
        ]
    );
}

#[test]
fn c_comment_markers_inside_strings_are_string_text() {
    let src = r#"s = "/* not a comment */ // nor this"; t = '/';"#;
    assert_eq!(
        texts(Language::C, src),
        [
            "s",
            "=",
            r#""/* not a comment */ // nor this""#,
            ";",
            "t",
            "=",
            "'/'",
            ";"
        ]
    );
    assert!(comments(Language::C, src).is_empty());
}

#[test]
fn c_string_with_backslash_newline_continues_under_every_line_ending() {
    for nl in ["\n", "\r\n", "\r"] {
        let src = format!("s = \"abc\\{nl}def\"; int z;{nl}");
        let got = texts(Language::C, &src);
        assert_eq!(
            got,
            ["s", "=", &format!("\"abc\\{nl}def\""), ";", "int", "z", ";"],
            "line ending {nl:?}"
        );
    }
}

#[test]
fn c_unterminated_string_stops_at_the_line_end() {
    assert_eq!(
        texts(Language::C, "s = \"oops;\nint x;\n"),
        ["s", "=", "\"oops;", "int", "x", ";"]
    );
}

#[test]
fn c_unterminated_block_comment_runs_to_the_end() {
    let src = "int a; /* never closed\nint b;\n";
    assert_eq!(texts(Language::C, src), ["int", "a", ";"]);
    assert_eq!(comments(Language::C, src)[0].0, "/* never closed\nint b;\n");
}

// ----- line endings ---------------------------------------------------------------------------

#[test]
fn lines_are_right_for_lf_crlf_and_lone_cr() {
    for nl in ["\n", "\r\n", "\r"] {
        let src = [
            "int a;",
            "/* two",
            "   lines */",
            "",
            "#define X \\",
            "  1",
            "int b; // c",
        ]
        .join(nl);
        let (file, t) = lex_file(Language::C, &src);
        let lines: Vec<(&str, u32)> = t
            .tokens
            .iter()
            .map(|x| (x.text(&file.text), x.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("int", 1),
                ("a", 1),
                (";", 1),
                ("#", 5),
                ("define", 5),
                ("X", 5),
                ("1", 6),
                ("int", 7),
                ("b", 7),
                (";", 7)
            ],
            "line ending {nl:?}"
        );
        let comment_lines: Vec<u32> = t.comments.iter().map(|c| c.line).collect();
        assert_eq!(comment_lines, [2, 7], "line ending {nl:?}");
        // The preprocessor line ends with its continuation, whatever the line ending.
        assert!(!t.tokens[7].flags.has(TokenFlags::PREPROCESSOR), "{nl:?}");
        assert!(t.tokens[6].flags.has(TokenFlags::PREPROCESSOR), "{nl:?}");
    }
}

#[test]
fn python_lines_under_crlf_and_lone_cr() {
    for nl in ["\n", "\r\n", "\r"] {
        let src = ["def f(x):  # c", "    s = '''a", "b'''", "    return x"].join(nl);
        let (file, t) = lex_file(Language::Python, &src);
        let lines: Vec<u32> = t.tokens.iter().map(|x| x.line).collect();
        assert_eq!(lines, [1, 1, 1, 1, 1, 1, 2, 2, 2, 4, 4], "{nl:?}");
        assert_eq!(t.tokens[8].text(&file.text), format!("'''a{nl}b'''"));
        assert_eq!(t.comments.len(), 1);
    }
}

// ----- C++ --------------------------------------------------------------------------------------

#[test]
fn cpp_raw_strings() {
    assert_lex(
        Language::Cpp,
        r#"auto s = R"x(a )" b)x"; auto t = u8R"(line
two)"; auto u = LR"(w)";"#,
        &[
            ("auto", K),
            ("s", I),
            ("=", P),
            (r#"R"x(a )" b)x""#, S),
            (";", P),
            ("auto", K),
            ("t", I),
            ("=", P),
            ("u8R\"(line\ntwo)\"", S),
            (";", P),
            ("auto", K),
            ("u", I),
            ("=", P),
            (r#"LR"(w)""#, S),
            (";", P),
        ],
    );
}

#[test]
fn cpp_raw_string_hides_comment_markers_and_quotes() {
    let src = "const char* q = R\"sql(SELECT \"a\" -- /* x */\n)sql\"; int n;";
    assert_eq!(
        texts(Language::Cpp, src),
        [
            "const",
            "char",
            "*",
            "q",
            "=",
            "R\"sql(SELECT \"a\" -- /* x */\n)sql\"",
            ";",
            "int",
            "n",
            ";"
        ]
    );
    assert!(comments(Language::Cpp, src).is_empty());
}

#[test]
fn cpp_template_closers_do_not_depend_on_spacing() {
    // `>>` closing two template lists and the C++03 spelling `> >` are the same code.
    let tight = "std::vector<std::vector<int>> v;";
    let spaced = "std::vector<std::vector<int> > v;";
    assert_eq!(stream(Language::Cpp, tight), stream(Language::Cpp, spaced));
    assert_eq!(
        texts(Language::Cpp, tight),
        [
            "std", "::", "vector", "<", "std", "::", "vector", "<", "int", ">", ">", "v", ";"
        ]
    );
    // Shifts are read the same way on both sides of a comparison.
    assert_eq!(
        texts(Language::Cpp, "x >>= y >> 2;"),
        ["x", ">", ">=", "y", ">", ">", "2", ";"]
    );
}

#[test]
fn cpp_digit_separators() {
    assert_eq!(
        lex(
            Language::Cpp,
            "int n = 1'000'000; auto h = 0xFF'FF; char c = 'x';"
        ),
        [
            ("int".to_owned(), K),
            ("n".to_owned(), I),
            ("=".to_owned(), P),
            ("1'000'000".to_owned(), N),
            (";".to_owned(), P),
            ("auto".to_owned(), K),
            ("h".to_owned(), I),
            ("=".to_owned(), P),
            ("0xFF'FF".to_owned(), N),
            (";".to_owned(), P),
            ("char".to_owned(), K),
            ("c".to_owned(), I),
            ("=".to_owned(), P),
            ("'x'".to_owned(), S),
            (";".to_owned(), P),
        ]
    );
}

#[test]
fn cpp_keywords_and_scope() {
    assert_eq!(
        lex(
            Language::Cpp,
            "template <typename T> class A : public B { };"
        ),
        [
            ("template".to_owned(), K),
            ("<".to_owned(), P),
            ("typename".to_owned(), K),
            ("T".to_owned(), I),
            (">".to_owned(), P),
            ("class".to_owned(), K),
            ("A".to_owned(), I),
            (":".to_owned(), P),
            ("public".to_owned(), K),
            ("B".to_owned(), I),
            ("{".to_owned(), P),
            ("}".to_owned(), P),
            (";".to_owned(), P),
        ]
    );
}

// ----- Rust -------------------------------------------------------------------------------------

#[test]
fn rust_lifetimes_versus_chars() {
    assert_lex(
        Language::Rust,
        r"fn f<'a>(x: &'a str) -> char { let c = 'a'; let n = '\n'; let e = '\u{1F600}'; let s = '😀'; 'é' }",
        &[
            ("fn", K),
            ("f", I),
            ("<", P),
            ("'a", I),
            (">", P),
            ("(", P),
            ("x", I),
            (":", P),
            ("&", P),
            ("'a", I),
            ("str", I),
            (")", P),
            ("->", P),
            ("char", I),
            ("{", P),
            ("let", K),
            ("c", I),
            ("=", P),
            ("'a'", S),
            (";", P),
            ("let", K),
            ("n", I),
            ("=", P),
            (r"'\n'", S),
            (";", P),
            ("let", K),
            ("e", I),
            ("=", P),
            (r"'\u{1F600}'", S),
            (";", P),
            ("let", K),
            ("s", I),
            ("=", P),
            ("'😀'", S),
            (";", P),
            ("'é'", S),
            ("}", P),
        ],
    );
}

#[test]
fn rust_static_lifetime_and_labels() {
    assert_eq!(
        texts(
            Language::Rust,
            "const S: &'static str = \"\"; 'outer: loop { break 'outer; }"
        ),
        [
            "const", "S", ":", "&", "'static", "str", "=", "\"\"", ";", "'outer", ":", "loop", "{",
            "break", "'outer", ";", "}"
        ]
    );
}

#[test]
fn rust_raw_and_byte_strings() {
    assert_lex(
        Language::Rust,
        r###"let a = r#"raw "quoted" // text"#; let b = br"\d"; let c = b'x'; let d = b'\''; let e = b"\x00"; let f = r##"a "# b"##;"###,
        &[
            ("let", K),
            ("a", I),
            ("=", P),
            (r###"r#"raw "quoted" // text"#"###, S),
            (";", P),
            ("let", K),
            ("b", I),
            ("=", P),
            (r#"br"\d""#, S),
            (";", P),
            ("let", K),
            ("c", I),
            ("=", P),
            ("b'x'", S),
            (";", P),
            ("let", K),
            ("d", I),
            ("=", P),
            (r"b'\''", S),
            (";", P),
            ("let", K),
            ("e", I),
            ("=", P),
            (r#"b"\x00""#, S),
            (";", P),
            ("let", K),
            ("f", I),
            ("=", P),
            (r###"r##"a "# b"##"###, S),
            (";", P),
        ],
    );
}

#[test]
fn rust_raw_identifiers_are_one_identifier() {
    assert_lex(
        Language::Rust,
        "let r#type = r#match;",
        &[
            ("let", K),
            ("r#type", I),
            ("=", P),
            ("r#match", I),
            (";", P),
        ],
    );
}

#[test]
fn rust_strings_may_span_lines() {
    // Multi-line string literals are ordinary Rust (help texts, test inputs).
    let src = "let help = \"usage: x\n  -h  help\";\nlet n = 1;\n";
    assert_eq!(
        texts(Language::Rust, src),
        [
            "let",
            "help",
            "=",
            "\"usage: x\n  -h  help\"",
            ";",
            "let",
            "n",
            "=",
            "1",
            ";"
        ]
    );
}

#[test]
fn rust_nested_block_comments() {
    let src = "/* outer /* inner */ still outer */ fn main() {} /** doc */ //! inner doc\n";
    assert_eq!(
        texts(Language::Rust, src),
        ["fn", "main", "(", ")", "{", "}"]
    );
    assert_eq!(
        comments(Language::Rust, src),
        [
            ("/* outer /* inner */ still outer */".to_owned(), 1),
            ("/** doc */".to_owned(), 1),
            ("//! inner doc".to_owned(), 1),
        ]
    );
}

#[test]
fn rust_ranges_and_method_calls_on_numbers() {
    assert_eq!(
        texts(
            Language::Rust,
            "for i in 0..10 { 1.max(2); 1.5f32; 0..=n; }"
        ),
        [
            "for", "i", "in", "0", "..", "10", "{", "1", ".", "max", "(", "2", ")", ";", "1.5f32",
            ";", "0", "..=", "n", ";", "}"
        ]
    );
}

#[test]
fn rust_use_is_an_import() {
    let src = "use std::{fs, io};\nextern crate alloc;\nextern \"C\" { fn f(); }\nfn g() {}\n";
    assert_eq!(
        flagged(Language::Rust, src, TokenFlags::IMPORT),
        [
            "use", "std", "::", "{", "fs", ",", "io", "}", ";", "extern", "crate", "alloc", ";"
        ]
    );
}

// ----- Python -----------------------------------------------------------------------------------

#[test]
fn python_triple_quoted_strings_and_prefixes() {
    let src = "def f():\n    \"\"\"Doc with \"quotes\" and '''.\"\"\"\n    a = rb'\\d+' + Rb\"x\" + f\"{x!r}\" + u'é'\n    return '''one\ntwo'''\n";
    assert_lex(
        Language::Python,
        src,
        &[
            ("def", K),
            ("f", I),
            ("(", P),
            (")", P),
            (":", P),
            ("\"\"\"Doc with \"quotes\" and '''.\"\"\"", S),
            ("a", I),
            ("=", P),
            (r"rb'\d+'", S),
            ("+", P),
            ("Rb\"x\"", S),
            ("+", P),
            ("f\"{x!r}\"", S),
            ("+", P),
            ("u'é'", S),
            ("return", K),
            ("'''one\ntwo'''", S),
        ],
    );
}

#[test]
fn python_decorators_comments_and_continuations() {
    let src = "@property  # cached\ndef size(self):\n    total = self.a + \\\n        self.b\n    return total\n";
    assert_lex(
        Language::Python,
        src,
        &[
            ("@", P),
            ("property", I),
            ("def", K),
            ("size", I),
            ("(", P),
            ("self", K),
            (")", P),
            (":", P),
            ("total", I),
            ("=", P),
            ("self", K),
            (".", P),
            ("a", I),
            ("+", P),
            ("self", K),
            (".", P),
            ("b", I),
            ("return", K),
            ("total", I),
        ],
    );
    assert_eq!(
        comments(Language::Python, src),
        [("# cached".to_owned(), 1)]
    );
    let (_, t) = lex_file(Language::Python, src);
    assert_eq!(
        t.tokens[16].line, 4,
        "`b` after the continuation is on line 4"
    );
}

#[test]
fn python_hash_inside_strings_is_not_a_comment() {
    let src = "x = '#not' + \"# neither\"  # but this is\n";
    assert_eq!(
        texts(Language::Python, src),
        ["x", "=", "'#not'", "+", "\"# neither\""]
    );
    assert_eq!(
        comments(Language::Python, src),
        [("# but this is".to_owned(), 1)]
    );
}

#[test]
fn python_imports() {
    let src = "from django.db import (\n    models,\n    router,\n)\nimport os\nx = 1\n";
    assert_eq!(
        flagged(Language::Python, src, TokenFlags::IMPORT),
        [
            "from", "django", ".", "db", "import", "(", "models", ",", "router", ",", ")",
            "import", "os"
        ]
    );
}

#[test]
fn python_slash_is_division_not_a_comment() {
    assert_eq!(
        texts(Language::Python, "a = b // c / d"),
        ["a", "=", "b", "//", "c", "/", "d"]
    );
}

// ----- Java -------------------------------------------------------------------------------------

#[test]
fn java_text_blocks_chars_and_annotations() {
    let src = "@Override\npublic String q() {\n    String s = \"\"\"\n        Hello \"world\" \\\"\"\"\n        \"\"\";\n    char c = '\\u0041';\n    return s + c;\n}\n";
    assert_lex(
        Language::Java,
        src,
        &[
            ("@", P),
            ("Override", I),
            ("public", K),
            ("String", I),
            ("q", I),
            ("(", P),
            (")", P),
            ("{", P),
            ("String", I),
            ("s", I),
            ("=", P),
            (
                "\"\"\"\n        Hello \"world\" \\\"\"\"\n        \"\"\"",
                S,
            ),
            (";", P),
            ("char", K),
            ("c", I),
            ("=", P),
            ("'\\u0041'", S),
            (";", P),
            ("return", K),
            ("s", I),
            ("+", P),
            ("c", I),
            (";", P),
            ("}", P),
        ],
    );
}

#[test]
fn java_imports_and_generics() {
    let src = "package a.b;\nimport java.util.*;\nclass X { Map<String, List<Integer>> m; }\n";
    assert_eq!(
        flagged(Language::Java, src, TokenFlags::IMPORT),
        [
            "package", "a", ".", "b", ";", "import", "java", ".", "util", ".*", ";"
        ]
    );
    assert_eq!(
        stream(Language::Java, "Map<String, List<Integer>> m;"),
        stream(Language::Java, "Map<String, List<Integer> > m;")
    );
}

// ----- JavaScript / TypeScript ------------------------------------------------------------------

#[test]
fn javascript_division_versus_regex() {
    assert_lex(
        Language::JavaScript,
        "a / b / c; x = /re\\/[/]/g.test(s); if (ok) y = (p + q) / 2;",
        &[
            ("a", I),
            ("/", P),
            ("b", I),
            ("/", P),
            ("c", I),
            (";", P),
            ("x", I),
            ("=", P),
            ("/re\\/[/]/g", S),
            (".", P),
            ("test", I),
            ("(", P),
            ("s", I),
            (")", P),
            (";", P),
            ("if", K),
            ("(", P),
            ("ok", I),
            (")", P),
            ("y", I),
            ("=", P),
            ("(", P),
            ("p", I),
            ("+", P),
            ("q", I),
            (")", P),
            ("/", P),
            ("2", N),
            (";", P),
        ],
    );
}

#[test]
fn javascript_regex_after_keywords_and_operators() {
    assert_eq!(
        texts(
            Language::JavaScript,
            "function f(s) { return /x'y/.test(s) || [/a/, /b/i]; }"
        ),
        [
            "function", "f", "(", "s", ")", "{", "return", "/x'y/", ".", "test", "(", "s", ")",
            "||", "[", "/a/", ",", "/b/i", "]", ";", "}"
        ]
    );
    // A lone slash at the line end is division, not an unterminated regex.
    assert_eq!(
        texts(Language::JavaScript, "x = a\n/ b;"),
        ["x", "=", "a", "/", "b", ";"]
    );
}

#[test]
fn javascript_template_literals_nest() {
    let src = "const s = `a ${ `inner ${x + '}'} ` } b`; const t = `line\nbreak`;";
    assert_eq!(
        texts(Language::JavaScript, src),
        [
            "const",
            "s",
            "=",
            "`a ${ `inner ${x + '}'} ` } b`",
            ";",
            "const",
            "t",
            "=",
            "`line\nbreak`",
            ";"
        ]
    );
}

#[test]
fn javascript_strings_comments_and_dollar_names() {
    let src = "var $el = 'it\\'s', _x = \"q\"; // done\n/* block */ $el.on();";
    assert_lex(
        Language::JavaScript,
        src,
        &[
            ("var", K),
            ("$el", I),
            ("=", P),
            ("'it\\'s'", S),
            (",", P),
            ("_x", I),
            ("=", P),
            ("\"q\"", S),
            (";", P),
            ("$el", I),
            (".", P),
            ("on", I),
            ("(", P),
            (")", P),
            (";", P),
        ],
    );
    assert_eq!(comments(Language::JavaScript, src).len(), 2);
}

#[test]
fn javascript_imports() {
    let src = "import {\n  a,\n  b\n} from './x.js';\nconst y = import('./lazy.js');\n";
    assert_eq!(
        flagged(Language::JavaScript, src, TokenFlags::IMPORT),
        ["import", "{", "a", ",", "b", "}", "from", "'./x.js'", ";"]
    );
}

#[test]
fn typescript_generics() {
    let src = "function id<T extends object>(x: T): Map<string, Array<number>> { return x as unknown as Map<string, Array<number>>; }";
    let got = lex(Language::TypeScript, src);
    let kinds: Vec<TokenKind> = got.iter().map(|t| t.1).collect();
    let words: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        words,
        [
            "function", "id", "<", "T", "extends", "object", ">", "(", "x", ":", "T", ")", ":",
            "Map", "<", "string", ",", "Array", "<", "number", ">", ">", "{", "return", "x", "as",
            "unknown", "as", "Map", "<", "string", ",", "Array", "<", "number", ">", ">", ";", "}"
        ]
    );
    assert_eq!(kinds[0], K);
    assert_eq!(kinds[15], K, "`string` is a TypeScript keyword");
    assert_eq!(
        stream(Language::TypeScript, "let m: Map<K, Set<V>> = f();"),
        stream(Language::TypeScript, "let m: Map<K, Set<V> > = f();")
    );
}

#[test]
fn typescript_regex_after_arrow_and_comma() {
    assert_eq!(
        texts(
            Language::TypeScript,
            "const f = (s: string) => /^a+$/.test(s), g = 4 / 2;"
        ),
        [
            "const", "f", "=", "(", "s", ":", "string", ")", "=>", "/^a+$/", ".", "test", "(", "s",
            ")", ",", "g", "=", "4", "/", "2", ";"
        ]
    );
}

// ----- Go ---------------------------------------------------------------------------------------

#[test]
fn go_raw_strings_runes_and_imports() {
    let src = "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nvar p = `C:\\dir\n\"raw\"`\nvar r = '世'\nvar n = '\\n'\n";
    assert_lex(
        Language::Go,
        src,
        &[
            ("package", K),
            ("main", I),
            ("import", K),
            ("(", P),
            ("\"fmt\"", S),
            ("\"os\"", S),
            (")", P),
            ("var", K),
            ("p", I),
            ("=", P),
            ("`C:\\dir\n\"raw\"`", S),
            ("var", K),
            ("r", I),
            ("=", P),
            ("'世'", S),
            ("var", K),
            ("n", I),
            ("=", P),
            ("'\\n'", S),
        ],
    );
    assert_eq!(
        flagged(Language::Go, src, TokenFlags::IMPORT),
        ["package", "main", "import", "(", "\"fmt\"", "\"os\"", ")"]
    );
}

// ----- C# ---------------------------------------------------------------------------------------

#[test]
fn csharp_verbatim_and_interpolated_strings() {
    let src = "var p = @\"C:\\dir\\\"\"quoted\"\"\"; var s = $\"Hi {name}!\"; var b = $@\"{a}\\n\"; var r = @$\"x\";";
    assert_lex(
        Language::CSharp,
        src,
        &[
            ("var", K),
            ("p", I),
            ("=", P),
            ("@\"C:\\dir\\\"\"quoted\"\"\"", S),
            (";", P),
            ("var", K),
            ("s", I),
            ("=", P),
            ("$\"Hi {name}!\"", S),
            (";", P),
            ("var", K),
            ("b", I),
            ("=", P),
            ("$@\"{a}\\n\"", S),
            (";", P),
            ("var", K),
            ("r", I),
            ("=", P),
            ("@$\"x\"", S),
            (";", P),
        ],
    );
}

#[test]
fn csharp_interpolation_holes_may_hold_strings() {
    let src = "var s = $\"{(ok ? \"yes\" : \"no\")} done\"; int n;";
    assert_eq!(
        texts(Language::CSharp, src),
        [
            "var",
            "s",
            "=",
            "$\"{(ok ? \"yes\" : \"no\")} done\"",
            ";",
            "int",
            "n",
            ";"
        ]
    );
}

#[test]
fn csharp_region_directives_and_usings() {
    let src = "using System.IO;\n#region Helpers\nclass A { }\n#endregion\n";
    assert_lex(
        Language::CSharp,
        src,
        &[
            ("using", K),
            ("System", I),
            (".", P),
            ("IO", I),
            (";", P),
            ("#", P),
            ("region", K),
            ("Helpers", I),
            ("class", K),
            ("A", I),
            ("{", P),
            ("}", P),
            ("#", P),
            ("endregion", K),
        ],
    );
    assert_eq!(
        flagged(Language::CSharp, src, TokenFlags::PREPROCESSOR),
        ["#", "region", "Helpers", "#", "endregion"]
    );
    assert_eq!(
        flagged(Language::CSharp, src, TokenFlags::IMPORT),
        ["using", "System", ".", "IO", ";"]
    );
    // `using (...)` is a statement, not an import.
    assert!(
        flagged(
            Language::CSharp,
            "using (var f = Open()) { }",
            TokenFlags::IMPORT
        )
        .is_empty()
    );
}

// ----- Ruby, shell, PHP, Perl -------------------------------------------------------------------

#[test]
fn ruby_begin_end_comments() {
    let src = "=begin\nA block comment with 'quotes' and def.\n=end\ndef hi # greet\n  puts \"hi\"\nend\n";
    assert_lex(
        Language::Ruby,
        src,
        &[
            ("def", K),
            ("hi", I),
            ("puts", I),
            ("\"hi\"", S),
            ("end", K),
        ],
    );
    assert_eq!(
        comments(Language::Ruby, src),
        [
            (
                "=begin\nA block comment with 'quotes' and def.\n=end".to_owned(),
                1
            ),
            ("# greet".to_owned(), 4),
        ]
    );
}

#[test]
fn ruby_indented_begin_is_not_a_comment() {
    // `=begin` opens a comment only in column 0.
    assert_eq!(
        texts(Language::Ruby, "x = 1\n  =begin\ny = 2\n"),
        ["x", "=", "1", "=", "begin", "y", "=", "2"]
    );
}

#[test]
fn shell_hash_in_parameters_versus_comments() {
    let src = "echo $# ${#name} a#b \"#\" # comment\nn=$((n+1))\n";
    assert_eq!(
        texts(Language::Shell, src),
        [
            "echo", "$", "#", "$", "{", "#", "name", "}", "a", "#", "b", "\"#\"", "n", "=", "$",
            "(", "(", "n", "+", "1", ")", ")"
        ]
    );
    assert_eq!(
        comments(Language::Shell, src),
        [("# comment".to_owned(), 1)]
    );
}

#[test]
fn shell_quotes_and_variables() {
    let src = "name='it''s $raw'\necho \"$HOME/${name}\" `date`\n";
    assert_lex(
        Language::Shell,
        src,
        &[
            ("name", I),
            ("=", P),
            ("'it'", S),
            ("'s $raw'", S),
            ("echo", I),
            ("\"$HOME/${name}\"", S),
            ("`date`", S),
        ],
    );
}

#[test]
fn shell_heredoc_body_is_one_string() {
    let src = "cat <<EOF > out.txt\nDon't stop: $x\nEOF\necho done\ncat <<-'END'\n\tit's raw\n\tEND\nexit 0\n";
    assert_eq!(
        texts(Language::Shell, src),
        [
            "cat",
            "<<",
            "EOF",
            ">",
            "out",
            ".",
            "txt",
            "Don't stop: $x\nEOF",
            "echo",
            "done",
            "cat",
            "<<",
            "-",
            "'END'",
            "\tit's raw\n\tEND",
            "exit",
            "0"
        ]
    );
}

#[test]
fn php_variables_and_both_comment_styles() {
    let src = "<?php\n$count = 0; # hash comment\n// slash comment\n/* block */ echo $count;\n";
    assert_lex(
        Language::Php,
        src,
        &[
            ("<", P),
            ("?", P),
            ("php", I),
            ("$count", I),
            ("=", P),
            ("0", N),
            (";", P),
            ("echo", K),
            ("$count", I),
            (";", P),
        ],
    );
    assert_eq!(
        comments(Language::Php, src),
        [
            ("# hash comment".to_owned(), 2),
            ("// slash comment".to_owned(), 3),
            ("/* block */".to_owned(), 4),
        ]
    );
}

#[test]
fn perl_pod_and_array_length() {
    let src = "my $n = $#list; # last index\n\n=head1 NAME\n\nFoo - don't parse 'this'\n\n=cut\n\nsub f { return 1; }\n";
    assert_eq!(
        texts(Language::Perl, src),
        [
            "my", "$n", "=", "$", "#", "list", ";", "sub", "f", "{", "return", "1", ";", "}"
        ]
    );
    assert_eq!(
        comments(Language::Perl, src),
        [
            ("# last index".to_owned(), 1),
            (
                "=head1 NAME\n\nFoo - don't parse 'this'\n\n=cut".to_owned(),
                3
            ),
        ]
    );
}

#[test]
fn perl_equals_at_line_start_inside_code_is_an_operator() {
    // POD starts in column 0 only; an indented `=word` continues an expression.
    assert_eq!(
        texts(Language::Perl, "my $x\n    =compute();\n"),
        ["my", "$x", "=", "compute", "(", ")", ";"]
    );
}

// ----- Kotlin, Swift, Scala ---------------------------------------------------------------------

#[test]
fn kotlin_swift_scala_nest_block_comments() {
    for (lang, keyword) in [
        (Language::Kotlin, "val"),
        (Language::Swift, "let"),
        (Language::Scala, "val"),
    ] {
        let src = format!("/* a /* b */ c */ {keyword} x = 1 // end\n");
        assert_eq!(
            texts(lang, &src),
            [keyword, "x", "=", "1"],
            "{}",
            lang.name()
        );
        assert_eq!(
            comments(lang, &src),
            [
                ("/* a /* b */ c */".to_owned(), 1),
                ("// end".to_owned(), 1)
            ],
            "{}",
            lang.name()
        );
    }
}

#[test]
fn kotlin_raw_strings_and_backtick_names() {
    assert_eq!(
        lex(
            Language::Kotlin,
            "val s = \"\"\"a \"b\" ${x}\"\"\"\nfun `my test`() = 'c'"
        ),
        [
            ("val".to_owned(), K),
            ("s".to_owned(), I),
            ("=".to_owned(), P),
            ("\"\"\"a \"b\" ${x}\"\"\"".to_owned(), S),
            ("fun".to_owned(), K),
            ("`my test`".to_owned(), S),
            ("(".to_owned(), P),
            (")".to_owned(), P),
            ("=".to_owned(), P),
            ("'c'".to_owned(), S),
        ]
    );
}

#[test]
fn swift_multiline_strings_and_imports() {
    let src = "import Foundation\nlet s = \"\"\"\n  hi \\(name)\n  \"\"\"\nfunc f() {}\n";
    assert_eq!(
        texts(Language::Swift, src),
        [
            "import",
            "Foundation",
            "let",
            "s",
            "=",
            "\"\"\"\n  hi \\(name)\n  \"\"\"",
            "func",
            "f",
            "(",
            ")",
            "{",
            "}"
        ]
    );
    assert_eq!(
        flagged(Language::Swift, src, TokenFlags::IMPORT),
        ["import", "Foundation"]
    );
}

#[test]
fn scala_triple_quotes_and_symbols() {
    assert_eq!(
        texts(
            Language::Scala,
            "object A { val r = \"\"\"\\d+\"\"\".r; def f(x: Int): Int = x * 2 }"
        ),
        [
            "object",
            "A",
            "{",
            "val",
            "r",
            "=",
            "\"\"\"\\d+\"\"\"",
            ".",
            "r",
            ";",
            "def",
            "f",
            "(",
            "x",
            ":",
            "Int",
            ")",
            ":",
            "Int",
            "=",
            "x",
            "*",
            "2",
            "}"
        ]
    );
}

// ----- plain text -------------------------------------------------------------------------------

#[test]
fn plain_text_is_words_numbers_and_punctuation() {
    assert_lex(
        Language::Text,
        "It's 42, // not a comment #either",
        &[
            ("It", I),
            ("'", P),
            ("s", I),
            ("42", N),
            (",", P),
            ("//", P),
            ("not", I),
            ("a", I),
            ("comment", I),
            ("#", P),
            ("either", I),
        ],
    );
    assert!(comments(Language::Text, "// x /* y */ # z").is_empty());
}

#[test]
fn non_ascii_identifiers_are_whole() {
    assert_eq!(
        texts(Language::Python, "café = naïve + 日本"),
        ["café", "=", "naïve", "+", "日本"]
    );
    assert_eq!(
        texts(Language::Text, "«quoted» — dash"),
        ["«quoted»", "—", "dash"]
    );
}

// ----- formatting never changes the stream ------------------------------------------------------

#[test]
fn whitespace_comments_and_line_endings_never_change_the_stream() {
    let cases: [(Language, &str, &str); 6] = [
        (
            Language::C,
            "int f(int a){return a+1;}",
            "/* f */\nint\nf ( int a )\n{\n    return a + 1;   // inc\n}\n",
        ),
        (
            Language::Python,
            "def f(a):\n    return a+1\n",
            "def f( a ):  # f\n    return a + \\\n        1\n",
        ),
        (
            Language::Rust,
            "fn f(a: u8) -> u8 { a + 1 }",
            "/// doc\nfn f(\n    a: u8\n) -> u8 {\n    a + 1 /* inc */\n}",
        ),
        (
            Language::JavaScript,
            "const f = (a) => a / 2;",
            "const f = (a) =>\n  a /* half */ / 2;",
        ),
        (
            Language::Go,
            "func f(a int) int { return a + 1 }",
            "// f\nfunc f(a int) int {\n\treturn a + 1\n}\n",
        ),
        (
            Language::Shell,
            "if [ -f x ]; then echo y; fi",
            "if [ -f x ]; then   # check\n  echo y; fi",
        ),
    ];
    for (lang, a, b) in cases {
        assert_eq!(
            stream(lang, a),
            stream(lang, b),
            "{}: {a:?} vs {b:?}",
            lang.name()
        );
        let crlf = b.replace('\n', "\r\n");
        assert_eq!(stream(lang, &crlf), stream(lang, b), "{} CRLF", lang.name());
        let cr = b.replace('\n', "\r");
        assert_eq!(stream(lang, &cr), stream(lang, b), "{} CR", lang.name());
    }
}

// ----- imports across languages -----------------------------------------------------------------

#[test]
fn import_words_mid_statement_are_not_imports() {
    assert!(
        flagged(
            Language::JavaScript,
            "const m = await import('./m.js');",
            TokenFlags::IMPORT
        )
        .is_empty()
    );
    assert!(
        flagged(
            Language::Python,
            "x = 1  # from here import nothing\n",
            TokenFlags::IMPORT
        )
        .is_empty()
    );
    assert_eq!(
        flagged(
            Language::Php,
            "<?php\nrequire_once 'a.php';\nuse A\\B;\n$x = 1;\n",
            TokenFlags::IMPORT
        ),
        ["require_once", "'a.php'", ";", "use", "A", "\\", "B", ";"]
    );
}

#[test]
fn import_words_used_as_values_are_not_imports() {
    let cases: [(Language, &str, &[&str]); 6] = [
        // In C, `include` and `import` are ordinary identifiers; only directives import.
        (
            Language::C,
            "#include <a.h>\nint f(void) {\n  include = 1;\n  import += include;\n  include(2);\n}\n",
            &["#", "include", "<a.h>"],
        ),
        // C++20 imports a module with the statement word; an identifier of that name is a value.
        (
            Language::Cpp,
            "import std;\nint g() { import = 2; return import; }\n",
            &["import", "std", ";"],
        ),
        // JavaScript's `import.meta` is an expression, even at the start of a statement.
        (
            Language::JavaScript,
            "import x from './x.js';\nimport.meta.hot.accept();\n",
            &["import", "x", "from", "'./x.js'", ";"],
        ),
        // Python's relative imports and Go's dot import continue with `.`, and still import.
        (
            Language::Python,
            "from . import views\nfrom .models import A\n",
            &[
                "from", ".", "import", "views", "from", ".", "models", "import", "A",
            ],
        ),
        (
            Language::Go,
            "package main\nimport . \"fmt\"\n",
            &["package", "main", "import", ".", "\"fmt\""],
        ),
        // Ruby's `load` as a name assigned.
        (
            Language::Ruby,
            "load = 3\nrequire 'json'\n",
            &["require", "'json'"],
        ),
    ];
    for (language, src, imports) in cases {
        assert_eq!(
            flagged(language, src, TokenFlags::IMPORT),
            imports,
            "{}: {src:?}",
            language.name()
        );
    }
}

// ----- invariants on real files -----------------------------------------------------------------

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn check_file(path: &Path) -> Option<usize> {
    let file = crate::source::read_source(path, &crate::source::ReadOptions::default()).ok()?;
    let t = tokenize(&file);
    assert_invariants(&path.display().to_string(), &file, &t);
    Some(t.tokens.len())
}

#[test]
fn invariants_hold_on_every_test_data_file() {
    let files = files_under(&data_dir());
    assert!(
        files.len() >= 20,
        "tests/data holds the real files: {}",
        files.len()
    );
    let mut languages = std::collections::BTreeSet::new();
    for path in &files {
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let file = crate::source::read_source(path, &Default::default()).unwrap();
        languages.insert(file.language);
        let n = check_file(path).unwrap();
        assert!(n > 0, "{}: no tokens", path.display());
    }
    for lang in Language::ALL {
        if lang != Language::Text {
            assert!(
                languages.contains(&lang),
                "tests/data has no {} file",
                lang.name()
            );
        }
    }
}

#[test]
fn invariants_hold_on_every_test_data_file_in_every_language() {
    // Reading a file with the wrong rules must not break the scanner either.
    for path in files_under(&data_dir()) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for lang in Language::ALL {
            let file = SourceFile::from_text("x", &text, Some(lang));
            let t = tokenize(&file);
            assert_invariants(&format!("{} as {}", path.display(), lang.name()), &file, &t);
        }
    }
}

fn read_data(rel: &str) -> (SourceFile, TokenizedFile) {
    let file = crate::source::read_source(&data_dir().join(rel), &Default::default()).unwrap();
    let t = tokenize(&file);
    (file, t)
}

#[test]
fn real_files_spot_checks() {
    // Rack's error page: a `<<'HTML'` here-document of 48 lines is one string.
    let (file, t) = read_data("ruby/rack_show_status.rb");
    assert_eq!(file.language, Language::Ruby);
    let body = t
        .tokens
        .iter()
        .position(|x| x.text(&file.text) == "<<")
        .unwrap();
    assert_eq!(t.tokens[body + 1].text(&file.text), "'HTML'");
    let html = t.tokens[body + 2];
    assert_eq!((html.kind, html.line), (S, 60));
    assert!(
        html.text(&file.text).starts_with("<!DOCTYPE HTML")
            && html.text(&file.text).ends_with("\nHTML")
    );
    let tail: Vec<&str> = t.tokens[body + 3..]
        .iter()
        .map(|x| x.text(&file.text))
        .collect();
    assert_eq!(tail, ["end", "end"]);

    // zlib: the licence header is a comment; includes are imports.
    let (file, t) = read_data("c/zlib_adler32.c");
    assert!(
        t.comments[0]
            .text(&file.text)
            .contains("Copyright (C) 1995-2011, 2016 Mark Adler")
    );
    assert_eq!(t.comments[0].line, 1);
    let include: Vec<&str> = t
        .tokens
        .iter()
        .take_while(|x| x.flags.has(TokenFlags::IMPORT))
        .map(|x| x.text(&file.text))
        .collect();
    assert_eq!(include, ["#", "include", "\"zutil.h\""]);

    // Cordova: the Apache header is one block comment, then `package ...;` is an import.
    let (file, t) = read_data("java/Device.java");
    assert!(
        t.comments[0]
            .text(&file.text)
            .contains("Licensed to the Apache Software Foundation")
    );
    assert_eq!(t.tokens[0].text(&file.text), "package");
    assert!(t.tokens[0].flags.has(TokenFlags::IMPORT));
    assert_eq!(t.tokens[0].line, 19);

    // Go's unicode tests: rune literals are strings, never split.
    let (file, t) = read_data("go/letter_test.go");
    let runes = t
        .tokens
        .iter()
        .filter(|x| x.kind == S && x.text(&file.text).starts_with('\''))
        .count();
    assert_eq!(runes, 40, "rune literals");
}

/// The registry corpora (19k files, 240 MB): set `SIMILE_CORPUS` (scripts/test does) to run.
#[test]
fn invariants_hold_on_the_corpora_when_present() {
    use rayon::prelude::*;
    let Some(root) = std::env::var_os("SIMILE_CORPUS") else {
        eprintln!("SIMILE_CORPUS not set: corpus check skipped");
        return;
    };
    let files = files_under(Path::new(&root));
    let read = files.par_iter().filter(|p| check_file(p).is_some()).count();
    assert!(
        read > 10_000,
        "expected the corpora to hold thousands of files, read {read}"
    );
}

// ----- robustness on random text ----------------------------------------------------------------

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("SIMILE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

/// Text made of the characters that drive the scanner's state, so random strings actually reach
/// strings, comments, raw strings, preprocessor lines and regexes.
fn lexer_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "'",
        "`",
        "/",
        "*",
        "#",
        "\\",
        "\n",
        "\r",
        "\r\n",
        " ",
        "\t",
        "$",
        "{",
        "}",
        "(",
        ")",
        "<",
        ">",
        "=",
        "@",
        "r",
        "b",
        "R",
        "u8",
        "x",
        "0",
        "1.5e",
        "'a",
        "\"\"\"",
        "'''",
        "/*",
        "*/",
        "//",
        "#define ",
        "#include ",
        "=begin\n",
        "=end\n",
        "=pod\n",
        "=cut\n",
        "${",
        "r#\"",
        "\"#",
        "é",
        "日",
        "😀",
        "\u{0301}",
        "<<EOF\n",
        "EOF\n",
        "return ",
        "R\"x(",
        ")x\"",
        "$\"",
        "@\"",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn random_text_never_panics_and_keeps_invariants(text in "\\PC{0,200}", lang in 0..Language::ALL.len()) {
        let file = SourceFile::from_text("fuzz", &text, Some(Language::ALL[lang]));
        let t = tokenize(&file);
        let errors = invariant_violations(&file.text, &file.lines, &t);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn lexer_soup_never_panics_and_keeps_invariants(text in lexer_soup(), lang in 0..Language::ALL.len()) {
        let file = SourceFile::from_text("fuzz", &text, Some(Language::ALL[lang]));
        let t = tokenize(&file);
        let errors = invariant_violations(&file.text, &file.lines, &t);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn crlf_and_lf_give_the_same_tokens_and_lines(text in lexer_soup(), lang in 0..Language::ALL.len()) {
        let lf = text.replace("\r\n", "\n").replace('\r', "\n");
        let crlf = lf.replace('\n', "\r\n");
        let lang = Language::ALL[lang];
        let (fa, ta) = (SourceFile::from_text("a", &lf, Some(lang)), SourceFile::from_text("b", &crlf, Some(lang)));
        let (ka, kb) = (tokenize(&fa), tokenize(&ta));
        let norm = |f: &SourceFile, t: &TokenizedFile| -> Vec<(String, TokenKind, u32)> {
            t.tokens.iter().map(|x| (x.text(&f.text).replace("\r\n", "\n"), x.kind, x.line)).collect()
        };
        prop_assert_eq!(norm(&fa, &ka), norm(&ta, &kb));
        prop_assert_eq!(ka.comments.len(), kb.comments.len());
    }
}

#[test]
fn backslash_at_the_very_end_does_not_hang() {
    // Regression: a C file ending in `// note \` or `#define X \` without a final newline
    // looped forever following a continuation that does not exist.
    assert_eq!(
        comments(Language::C, "int x; // note \\"),
        [("// note \\".to_owned(), 1)]
    );
    // The stray backslash is a token, as it would be anywhere else.
    assert_eq!(
        texts(Language::C, "#define X \\"),
        ["#", "define", "X", "\\"]
    );
    assert_eq!(
        texts(Language::Cpp, "#define X \\\r\n"),
        ["#", "define", "X"]
    );
}

#[test]
fn rust_quote_line_break_quote_is_not_a_char_under_any_line_ending() {
    // Found by `crlf_and_lf_give_the_same_tokens_and_lines`: `'<LF>'` read as a char literal but
    // `'<CR><LF>'` as two apostrophes.
    for nl in ["\n", "\r\n", "\r"] {
        assert_eq!(
            texts(Language::Rust, &format!("'{nl}'")),
            ["'", "'"],
            "{nl:?}"
        );
    }
}
