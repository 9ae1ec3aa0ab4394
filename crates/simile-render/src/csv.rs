//! The CSV report: one row per matched region, with a header, RFC 4180 (comma separated, CRLF
//! line ends, fields quoted when they hold a comma, quote or line break, quotes doubled).
//!
//! Columns, in order ([`REGION_COLUMNS`]):
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
//! A file name or renamed literal that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is prefixed with `'`, so a spreadsheet shows it as text instead of running it as a
//! formula (OWASP "CSV injection"). Scripts that need exact values should read `--format json`.

use crate::Document;
use crate::util::kind_word;
use simile::report::{Comparison, Region, ReportBody};
use std::io::{self, Write};

/// The header of the region rows.
pub const REGION_COLUMNS: [&str; 19] = [
    "a_path",
    "b_path",
    "region",
    "kind",
    "moved",
    "a_start_line",
    "a_end_line",
    "a_start_column",
    "a_end_column",
    "b_start_line",
    "b_end_line",
    "b_start_column",
    "b_end_column",
    "matched_tokens",
    "renames",
    "similarity",
    "coverage_a",
    "coverage_b",
    "verdict",
];

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
        ReportBody::Find { .. } => return Err(crate::util::not_yet("csv", "find")),
    }
    w.flush()
}

/// Write the rows of one comparison's regions (the header is the caller's).
pub fn write_regions<W: Write>(w: &mut ::csv::Writer<W>, c: &Comparison) -> io::Result<()> {
    for r in &c.regions {
        w.write_record(region_record(c, r))?;
    }
    Ok(())
}

fn region_record(c: &Comparison, r: &Region) -> Vec<String> {
    let renames = r
        .renames
        .iter()
        .map(|n| format!("{}->{}", n.a, n.b))
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        text_cell(&c.a.path),
        text_cell(&c.b.path),
        r.id.to_string(),
        kind_word(r.kind).to_string(),
        r.moved.to_string(),
        r.a.start_line.to_string(),
        r.a.end_line.to_string(),
        r.a.start_column.to_string(),
        r.a.end_column.to_string(),
        r.b.start_line.to_string(),
        r.b.end_line.to_string(),
        r.b.start_column.to_string(),
        r.b.end_column.to_string(),
        r.matched_tokens.to_string(),
        text_cell(&renames),
        score(c.scores.similarity),
        score(c.scores.coverage_a),
        score(c.scores.coverage_b),
        c.verdict.as_str().to_string(),
    ]
}

/// Scores with four decimals: enough to sort, short enough to read.
fn score(x: f64) -> String {
    format!("{x:.4}")
}

/// A cell holding file-derived text, defused against spreadsheet formulas.
pub(crate) fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
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
