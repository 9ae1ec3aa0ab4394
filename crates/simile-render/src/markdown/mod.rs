//! The Markdown report, written to read well as a code review comment (GitHub, GitLab, Gitea
//! flavoured Markdown). One file per report kind: [`comparison`] for `compare` (and the
//! comparison part of other kinds), [`find`] for `find`, [`clones`] for `clones`.
//!
//! File content never leaves a fenced code block, and every fence is longer than any run of
//! backticks inside it, so code cannot end its block early. Paths, renamed names and literals
//! appear in code spans built the same way; inside tables their `|` is escaped as GFM requires.
//! A review comment has a size limit (65,536 characters on GitHub), so unless `full` is set only
//! the first [`MAX_DIFFS`] edited regions of a comparison get a diff, each with `context` lines
//! around changes, and a search lists at most [`find::MAX_SKIPPED_LISTED`] skipped files.

pub mod clones;
pub mod comparison;
pub mod find;
mod structure;

pub use comparison::write_comparison;

use crate::{Document, RenderOptions};
use simile::report::ReportBody;
use std::io::{self, Write};

/// Edited regions whose diff is shown when `full` is not set.
pub const MAX_DIFFS: usize = 10;

/// Write the Markdown report.
pub fn render(doc: &Document<'_>, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            write_comparison(out, comparison, doc.sources, options, 2)
        }
        ReportBody::Clones { clones } => clones::write_clones(out, clones, options),
        ReportBody::Find { find } => find::write_find(out, find, doc.sources, options),
    }
}

/// A line of code for a fenced block: tabs and control characters would upset some viewers,
/// so control characters become their Unicode pictures (tabs stay).
pub(crate) fn code_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => '\t',
            '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\x7f' => '\u{2421}',
            c => c,
        })
        .collect()
}

/// A backtick fence longer than any backtick run in `body` (and at least three).
pub(crate) fn fence_for(body: &str) -> String {
    "`".repeat(longest_backtick_run(body).max(2) + 1)
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `s` as an inline code span that nothing inside can end early; `in_table` escapes `|` as GFM
/// tables require (the escape is not shown).
pub(crate) fn code_span(s: &str, in_table: bool) -> String {
    let s: String = code_line(s).replace(['\t'], " ");
    let ticks = "`".repeat(longest_backtick_run(&s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    let s = if in_table { s.replace('|', "\\|") } else { s };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// Plain text with Markdown and HTML punctuation escaped.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in code_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_cannot_be_broken() {
        assert_eq!(code_span("a.c", false), "`a.c`");
        assert_eq!(code_span("we`ird", false), "``we`ird``");
        assert_eq!(code_span("`x`", false), "`` `x` ``");
        assert_eq!(code_span("a|b", true), "`a\\|b`");
        assert_eq!(fence_for("no ticks"), "```");
        assert_eq!(fence_for("````four"), "`````");
    }

    #[test]
    fn text_escapes_markup() {
        assert_eq!(escape_text("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
    }
}
