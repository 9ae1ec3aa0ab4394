//! `compare`: the whole pipeline for one pair of files, in one call.

use crate::align::{AlignConfig, Side, align};
use crate::lex::{TokenizedFile, tokenize};
use crate::report::{Comparison, build_comparison};
use crate::source::SourceFile;

/// Compare two source files: tokenize both (in parallel), align, and build the report model.
pub fn compare(a: &SourceFile, b: &SourceFile, config: &AlignConfig) -> Comparison {
    let (ta, tb) = rayon::join(|| tokenize(a), || tokenize(b));
    compare_tokenized((a, &ta), (b, &tb), config)
}

/// Compare two files that are already tokenized (the corpus search reuses its tokens).
pub fn compare_tokenized(
    a: (&SourceFile, &TokenizedFile),
    b: (&SourceFile, &TokenizedFile),
    config: &AlignConfig,
) -> Comparison {
    let side_a = Side {
        tokens: &a.1.tokens,
        text: &a.0.text,
        lines: &a.0.lines,
    };
    let side_b = Side {
        tokens: &b.1.tokens,
        text: &b.0.text,
        lines: &b.0.lines,
    };
    let alignment = align(side_a, side_b, config);
    build_comparison(a, b, &alignment, config)
}
