//! Target `tokenize`: every tokenizer on arbitrary bytes. The first byte picks the language
//! (all of `Language::ALL`, plain text included); the rest is read as a file's bytes are
//! (decoded: UTF-8, UTF-16 by BOM, invalid bytes as Windows-1252). Binary input, which reading
//! refuses, is tokenized anyway as lossy UTF-8: the scanner must survive any text.
//!
//! Invariants: tokens and comments lie inside the text, on character boundaries, in increasing
//! order, never overlapping (each other or one another); each carries the line of its first
//! byte and the hash of its own text.

use simile::lex::{exact_hash, tokenize};
use simile::source::{Language, ReadOptions, SourceFile, source_from_bytes};
use std::path::Path;

/// Run the target on one input.
pub fn run(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let language = Language::ALL[pick as usize % Language::ALL.len()];
    let file = load(bytes, language);
    check(&file);
}

/// The bytes as a source file of `language`, decoded the way a file on disk is.
pub fn load(bytes: &[u8], language: Language) -> SourceFile {
    let options = ReadOptions {
        language: Some(language),
        ..ReadOptions::default()
    };
    source_from_bytes(Path::new("fuzz"), bytes.to_vec(), &options).unwrap_or_else(|_| {
        SourceFile::from_text("fuzz", &String::from_utf8_lossy(bytes), Some(language))
    })
}

/// Tokenize `file` and check the invariants of the result.
pub fn check(file: &SourceFile) {
    let text = &file.text;
    let tokenized = tokenize(file);
    let mut spans: Vec<(u32, u32, &str)> = Vec::new();
    for t in &tokenized.tokens {
        assert!(t.start < t.end, "empty token at {}", t.start);
        assert_eq!(
            t.exact,
            exact_hash(&text.as_bytes()[t.start as usize..t.end as usize])
        );
        assert_eq!(
            t.line,
            file.lines.line_of(t.start),
            "line of the token at {}",
            t.start
        );
        spans.push((t.start, t.end, "token"));
    }
    for c in &tokenized.comments {
        assert!(c.start < c.end, "empty comment at {}", c.start);
        assert_eq!(
            c.line,
            file.lines.line_of(c.start),
            "line of the comment at {}",
            c.start
        );
        spans.push((c.start, c.end, "comment"));
    }
    for w in tokenized.tokens.windows(2) {
        assert!(
            w[0].end <= w[1].start,
            "tokens out of order: {:?} {:?}",
            w[0],
            w[1]
        );
    }
    for w in tokenized.comments.windows(2) {
        assert!(
            w[0].end <= w[1].start,
            "comments out of order: {:?} {:?}",
            w[0],
            w[1]
        );
    }
    spans.sort();
    for &(start, end, what) in &spans {
        assert!(
            end as usize <= text.len(),
            "{what} {start}..{end} past the end"
        );
        assert!(
            text.is_char_boundary(start as usize) && text.is_char_boundary(end as usize),
            "{what} {start}..{end} splits a character"
        );
    }
    for w in spans.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "{} {:?} overlaps {} {:?}",
            w[0].2,
            w[0],
            w[1].2,
            w[1]
        );
    }
}
