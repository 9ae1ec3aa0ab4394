//! The CSV report, RFC 4180 (comma separated, CRLF line ends, fields quoted when they hold a
//! comma, quote or line break, quotes doubled), with a header. One file per report kind, each
//! with its own column set:
//!
//! **`compare`** ([`comparison`]): one row per matched region, columns [`REGION_COLUMNS`]:
//!
//! | column | meaning |
//! |---|---|
//! | `a_path`, `b_path` | the two files (every row names its pair, so reports of several pairs concatenate) |
//! | `region` | the region number (1-based, in order of position in A) |
//! | `kind` | `identical`, `renamed` or `edited` |
//! | `moved` | `true` when the region changed position relative to the rest |
//! | `a_start_line`, `a_end_line`, `a_start_column`, `a_end_column` | where it is in A (lines 1-based inclusive; columns 1-based, end exclusive, in characters) |
//! | `b_start_line`, ... `b_end_column` | the same in B |
//! | `matched_tokens` | tokens matched inside the region |
//! | `renames` | `a->b` pairs separated by `; ` (identifiers and literals that differ consistently) |
//! | `similarity`, `coverage_a`, `coverage_b`, `verdict` | the pair's scores, repeated on each row for filtering |
//!
//! **`find`** ([`find`]): one row per ranked file, and with `--compare` the region rows of the
//! comparison with the best match, in one table told apart by its first column, `row`
//! (columns [`FIND_COLUMNS`](find::FIND_COLUMNS); see there).
//!
//! **`clones`** ([`clones`]): one row per listed pair and per region of it, per cluster, per
//! submission pair, per duplicated block and per file, in one table told apart by `row`
//! (columns [`CLONES_COLUMNS`](clones::CLONES_COLUMNS); see there).
//!
//! A file name or renamed literal that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is prefixed with `'`, so a spreadsheet shows it as text instead of running it as a
//! formula (OWASP "CSV injection"), and control characters in them (escape sequences, line
//! breaks) are shown as their Unicode pictures (`␛`, `␊`). Scripts that need exact values should
//! read `--format json`.

pub mod clones;
pub mod comparison;
pub mod find;

pub use comparison::{REGION_COLUMNS, write_regions};

use crate::Document;
use simile::report::ReportBody;
use std::io::{self, Write};

/// Write the CSV report.
pub fn render(doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            w.write_record(REGION_COLUMNS)?;
            write_regions(&mut w, comparison)?;
        }
        ReportBody::Clones { clones } => clones::write_clones(&mut w, clones)?,
        ReportBody::Find { find } => find::write_find(&mut w, find)?,
    }
    w.flush()
}

/// Scores with four decimals: enough to sort, short enough to read.
pub(crate) fn score(x: f64) -> String {
    format!("{x:.4}")
}

/// A cell holding file-derived text, defused against spreadsheet formulas.
pub(crate) fn text_cell(s: &str) -> String {
    // Control characters (from file names) as their pictures: a CSV shown in a terminal must
    // not act on it, and a line break inside a cell breaks line-based tools.
    let s = crate::sanitize::terminal_safe(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_cell("-1->2"), "'-1->2");
        assert_eq!(text_cell("src/a.c"), "src/a.c");
    }
}
