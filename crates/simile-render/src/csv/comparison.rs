//! The region rows of one comparison ([`REGION_COLUMNS`]).

use super::{score, text_cell};
use crate::util::kind_word;
use simile::report::{Comparison, Region};
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

/// Write the rows of one comparison's regions (the header is the caller's).
pub fn write_regions<W: Write>(w: &mut ::csv::Writer<W>, c: &Comparison) -> io::Result<()> {
    for r in &c.regions {
        w.write_record(region_record(c, r))?;
    }
    Ok(())
}

/// `a->b; c->d`: the region's renames.
pub(super) fn renames_cell(r: &Region) -> String {
    let renames = r
        .renames
        .iter()
        .map(|n| format!("{}->{}", n.a, n.b))
        .collect::<Vec<_>>()
        .join("; ");
    text_cell(&renames)
}

fn region_record(c: &Comparison, r: &Region) -> Vec<String> {
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
        renames_cell(r),
        score(c.scores.similarity),
        score(c.scores.coverage_a),
        score(c.scores.coverage_b),
        c.verdict.as_str().to_string(),
    ]
}
