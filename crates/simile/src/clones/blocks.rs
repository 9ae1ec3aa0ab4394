//! Duplicated blocks (`clones --fragments`), as jscpd and PMD CPD report them: a run of code and
//! its copy, within one file or across two.
//!
//! Across files, the blocks are the regions of the verified pairs (identical, renamed or
//! edited), so a block is exactly what `simile compare` shows for the two files. Within a file,
//! the file is matched against itself on the exact channel: winnowed fingerprints that repeat
//! at another position seed fragments, extended token by token as the aligner does; a run that
//! overlaps its own copy (a statement repeated back to back) is cut where the copy starts; then,
//! longest first, each copy is kept once, linked to its first occurrence, so three copies of a
//! block make two blocks, not three.

use crate::align::{Side, fragments, seeds};
use crate::fingerprint::{Channel, FingerprintConfig, channel_hashes, kgram_hashes, winnow};
use crate::report::{LineRange, Span, span};
use crate::search::BaseCode;

/// A block duplicated inside one file: the first copy `a`, the later copy `b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WithinBlock {
    /// The first copy.
    pub a: Span,
    /// The later copy.
    pub b: Span,
    /// Tokens in each copy.
    pub tokens: u32,
    /// Lines holding the tokens of either copy, as inclusive runs in order.
    pub lines: Vec<LineRange>,
}

/// Blocks of at least `min_tokens` tokens (not counting base code) that occur twice in the file.
pub(crate) fn within_file(
    side: Side<'_>,
    base: &BaseCode,
    min_tokens: usize,
    config: &FingerprintConfig,
) -> Vec<WithinBlock> {
    let n = side.tokens.len();
    let min_tokens = min_tokens.max(config.k);
    if n < 2 * min_tokens {
        return Vec::new();
    }
    let hashes = channel_hashes(side.tokens, Channel::Exact);
    let fingerprints = winnow(&kgram_hashes(&hashes, config.k), config.w);
    let seeds: Vec<(u32, u32)> = seeds::shared_seeds(&fingerprints, &fingerprints)
        .into_iter()
        .filter(|&(i, j)| i < j)
        .collect();
    let mut found = fragments::extend(&seeds, &hashes, &hashes);
    for f in &mut found {
        if f.a_end() > f.b {
            f.len = f.b - f.a;
        }
    }
    found.retain(|f| f.len as usize >= min_tokens);
    found.sort_by(|x, y| y.len.cmp(&x.len).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b)));
    found.dedup();

    let mask = base.mask(side.tokens);
    let own_tokens = |start: u32, end: u32| match &mask {
        Some(m) => m[start as usize..end as usize]
            .iter()
            .filter(|&&b| !b)
            .count(),
        None => (end - start) as usize,
    };
    let mut copies: Vec<(u32, u32)> = Vec::new();
    let mut blocks = Vec::new();
    for f in found {
        let overlaps = |&(s, e): &(u32, u32)| f.b < e && s < f.b_end();
        if copies.iter().any(overlaps) || own_tokens(f.a, f.a_end()) < min_tokens {
            continue;
        }
        copies.push((f.b, f.b_end()));
        let mut lines = token_lines(side, f.a, f.a_end());
        lines.extend(token_lines(side, f.b, f.b_end()));
        blocks.push(WithinBlock {
            a: span(side, f.a, f.a_end()),
            b: span(side, f.b, f.b_end()),
            tokens: f.len,
            lines: merge_ranges(lines),
        });
    }
    blocks.sort_by_key(|b| (b.a.start_byte, b.b.start_byte));
    blocks
}

/// The lines holding tokens `start..end`, as inclusive runs.
fn token_lines(side: Side<'_>, start: u32, end: u32) -> Vec<LineRange> {
    let mut out: Vec<LineRange> = Vec::new();
    for t in &side.tokens[start as usize..end as usize] {
        match out.last_mut() {
            Some(r) if r.end + 1 >= t.line => r.end = r.end.max(t.line),
            _ => out.push(LineRange {
                start: t.line,
                end: t.line,
            }),
        }
    }
    out
}

/// Sort and merge overlapping or adjacent inclusive ranges.
pub(crate) fn merge_ranges(mut ranges: Vec<LineRange>) -> Vec<LineRange> {
    ranges.sort_unstable();
    let mut out: Vec<LineRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(1) => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Number of lines in merged ranges.
pub(crate) fn count_lines(ranges: &[LineRange]) -> u32 {
    ranges.iter().map(|r| r.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    fn blocks_of(text: &str, min_tokens: usize) -> Vec<WithinBlock> {
        let file = SourceFile::from_text("f.c", text, None);
        let tokens = tokenize(&file);
        let side = Side {
            tokens: &tokens.tokens,
            text: &file.text,
            lines: &file.lines,
        };
        within_file(
            side,
            &BaseCode::none(),
            min_tokens,
            &FingerprintConfig::default(),
        )
    }

    const BODY: &str = "    int total = 0;\n    for (int i = 0; i < count; i++) {\n        if (values[i] > limit) total += values[i] * scale;\n        else total -= values[i] / 2;\n    }\n    return total;\n}\n";

    #[test]
    fn a_pasted_function_body_is_one_block() {
        let text = format!(
            "int first(int *values, int count, int limit, int scale) {{\n{BODY}\nstatic int helper(void) {{ return 42; }}\n\nint second(int *values, int count, int limit, int scale) {{\n{BODY}"
        );
        let blocks = blocks_of(&text, 40);
        assert_eq!(blocks.len(), 1, "{blocks:?}");
        let b = &blocks[0];
        // The copy starts at the shared signature tail `(int *values, ...`: names differ.
        assert_eq!((b.a.start_line, b.a.end_line), (1, 8));
        assert_eq!((b.b.start_line, b.b.end_line), (12, 19));
        assert!(b.tokens >= 60, "{b:?}");
        assert_eq!(
            b.lines,
            [
                LineRange { start: 1, end: 8 },
                LineRange { start: 12, end: 19 }
            ]
        );
    }

    #[test]
    fn three_copies_make_two_blocks_and_short_repeats_none() {
        let f = |name: &str| {
            format!("int {name}(int *values, int count, int limit, int scale) {{\n{BODY}\n")
        };
        let text = format!("{}{}{}", f("a"), f("b"), f("c"));
        let blocks = blocks_of(&text, 40);
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        assert!(
            blocks.iter().all(|b| b.a.start_line == 1),
            "each copy links to the first"
        );
        // Below the minimum, nothing.
        assert!(blocks_of(&text, 500).is_empty());
        // A statement repeated back to back overlaps its own copy: cut, not doubled.
        let repeated = "x = x + 1; ".repeat(40);
        let blocks = blocks_of(&format!("void f(void) {{ {repeated} }}\n"), 40);
        for b in &blocks {
            assert!(
                b.a.end_byte <= b.b.start_byte,
                "copies never overlap: {b:?}"
            );
        }
    }

    #[test]
    fn ranges_merge() {
        let r = |start, end| LineRange { start, end };
        assert_eq!(
            merge_ranges(vec![r(5, 7), r(1, 2), r(3, 3), r(10, 12), r(6, 11)]),
            [r(1, 3), r(5, 12)]
        );
        assert_eq!(count_lines(&[r(1, 3), r(5, 12)]), 11);
    }
}
