//! The CSV of a clone search: one table, one header ([`CLONES_COLUMNS`]), whose first column
//! `row` says what each row is, so a spreadsheet filter on `row` gives each table on its own.
//! Rows come in this order: each listed pair (`pair`) followed by its regions (`region`), best
//! pair first; the clusters (`cluster`), largest first; with `--submissions` the submission
//! pairs (`submission-pair`); with `--fragments` the duplicated blocks (`block`), longest
//! first; and every file read (`file`), in path order, with its duplication. A column that does
//! not apply to a row kind is empty in its rows.
//!
//! | column | in rows | meaning |
//! |---|---|---|
//! | `row` | all | `pair`, `region`, `cluster`, `submission-pair`, `block` or `file` |
//! | `rank` | pair, region, cluster, submission-pair, block | 1-based position in its list: the pair's rank (region rows repeat their pair's), the cluster's, submission pair's or block's number |
//! | `a` | pair, region, submission-pair, block, file | file A (the submission A; the block's first copy; the file) |
//! | `b` | pair, region, submission-pair, block | file B (the submission B; the block's second copy) |
//! | `submission_a`, `submission_b` | pair, file | with `--submissions`: the submissions of A and B (of the file) |
//! | `similarity` | pair, submission-pair, cluster | matched tokens of both over all tokens of both; for a cluster, its most similar pair |
//! | `mean_similarity` | cluster | the mean similarity of the cluster's pairs |
//! | `coverage_a`, `coverage_b` | pair, submission-pair | share of A's / B's tokens matched in the other |
//! | `matched_tokens` | pair, region, block | tokens matched (in the pair, the region, the block) |
//! | `renamed_tokens` | pair | matched tokens whose text differs |
//! | `matched_lines_a`, `matched_lines_b` | pair | lines with matched code in A / B |
//! | `longest` | pair | the longest matched fragment, in tokens |
//! | `verdict` | pair | `identical`, `near-identical`, `derived`, `shares-fragments` or `unrelated` |
//! | `region` | region | the region's number in its pair (1-based, in order of position in A) |
//! | `kind` | region, block | `identical`, `renamed` or `edited` |
//! | `moved` | region | `true` when the region changed position relative to the rest |
//! | `a_start_line` ... `a_end_column` | region, block | where it is in A (lines 1-based inclusive; columns 1-based, end exclusive, in characters) |
//! | `b_start_line` ... `b_end_column` | region, block | the same in B |
//! | `renames` | region | `a->b` pairs separated by `; ` |
//! | `members` | cluster | its files (submissions), separated by `; ` |
//! | `pairs` | cluster, submission-pair, file | pairs inside the cluster; file pairs between the two submissions; reported pairs the file is part of |
//! | `file_pairs_listed` | submission-pair | ranks of the listed pairs between the two submissions, separated by `; ` |
//! | `lines`, `code_lines`, `tokens` | file | the file's lines, lines holding code, code tokens |
//! | `duplicated_lines`, `duplication` | file | its code lines matched in a reported pair (or a block), and their share of its code lines |
//! | `best_match` | pair | of which of its files the pair is the best match: `both`, `a` (B is A's most similar file), `b` or `neither` (as `best_match` in the JSON report) |
//! | `license_change` | pair | with `--licenses`: `same`, `changed`, `added`, `removed` or `none-found` |
//! | `license_a`, `license_b` | pair | with `--licenses`: A's / B's licence, the effective one when it can be stated (an SPDX expression), else the one the file states |
//!
//! Columns are only ever added at the end, so a reader that finds cells by position keeps
//! working (`best_match` came after `duplication`, the licence columns after `best_match`).
//!
//! Scores of pair rows leave imports and `--ignore`d base code out, as the ranking does; the
//! regions are those of the full comparison, as `simile compare` shows it.

use super::comparison::renames_cell;
use super::{score, text_cell};
use crate::util::{kind_word, shown_license};
use simile::report::{
    CloneBlock, CloneCluster, CloneFile, ClonePair, Clones, FileLicense, Region, Span,
    SubmissionPair,
};
use std::io::{self, Write};

/// The header of a clone search's CSV.
pub const CLONES_COLUMNS: [&str; 40] = [
    "row",
    "rank",
    "a",
    "b",
    "submission_a",
    "submission_b",
    "similarity",
    "mean_similarity",
    "coverage_a",
    "coverage_b",
    "matched_tokens",
    "renamed_tokens",
    "matched_lines_a",
    "matched_lines_b",
    "longest",
    "verdict",
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
    "renames",
    "members",
    "pairs",
    "file_pairs_listed",
    "lines",
    "code_lines",
    "tokens",
    "duplicated_lines",
    "duplication",
    "best_match",
    "license_change",
    "license_a",
    "license_b",
];

/// A row under construction: empty cells, filled by column name.
struct Row(Vec<String>);

impl Row {
    fn new(kind: &str) -> Row {
        let mut cells = vec![String::new(); CLONES_COLUMNS.len()];
        cells[0] = kind.to_string();
        Row(cells)
    }

    fn set(&mut self, column: &str, value: impl Into<String>) -> &mut Row {
        let i = CLONES_COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("a column of CLONES_COLUMNS");
        self.0[i] = value.into();
        self
    }

    fn spans(&mut self, a: &Span, b: &Span) -> &mut Row {
        self.set("a_start_line", a.start_line.to_string())
            .set("a_end_line", a.end_line.to_string())
            .set("a_start_column", a.start_column.to_string())
            .set("a_end_column", a.end_column.to_string())
            .set("b_start_line", b.start_line.to_string())
            .set("b_end_line", b.end_line.to_string())
            .set("b_start_column", b.start_column.to_string())
            .set("b_end_column", b.end_column.to_string())
    }
}

/// Write the header and every row of a clone search.
pub fn write_clones<W: Write>(w: &mut ::csv::Writer<W>, clones: &Clones) -> io::Result<()> {
    w.write_record(CLONES_COLUMNS)?;
    for p in &clones.pairs {
        w.write_record(&pair_row(p).0)?;
        for r in &p.comparison.regions {
            w.write_record(&region_row(p, r).0)?;
        }
    }
    for k in &clones.clusters {
        w.write_record(&cluster_row(k).0)?;
    }
    if let Some(s) = &clones.submissions {
        for p in &s.pairs {
            w.write_record(&submission_pair_row(p).0)?;
        }
    }
    if let Some(f) = &clones.fragments {
        for b in &f.blocks {
            w.write_record(&block_row(b).0)?;
        }
    }
    for f in &clones.files {
        w.write_record(&file_row(f).0)?;
    }
    Ok(())
}

fn pair_row(p: &ClonePair) -> Row {
    let mut row = Row::new("pair");
    row.set("rank", p.rank.to_string())
        .set("a", text_cell(&p.a))
        .set("b", text_cell(&p.b))
        .set("similarity", score(p.similarity))
        .set("coverage_a", score(p.coverage_a))
        .set("coverage_b", score(p.coverage_b))
        .set("matched_tokens", p.matched_tokens.to_string())
        .set("renamed_tokens", p.renamed_tokens.to_string())
        .set("matched_lines_a", p.matched_lines_a.to_string())
        .set("matched_lines_b", p.matched_lines_b.to_string())
        .set("longest", p.longest_fragment.to_string())
        .set("verdict", p.verdict.as_str())
        .set("best_match", p.best_match.as_str())
        .set(
            "submission_a",
            text_cell(p.submission_a.as_deref().unwrap_or("")),
        )
        .set(
            "submission_b",
            text_cell(p.submission_b.as_deref().unwrap_or("")),
        );
    if let Some(l) = &p.comparison.licenses {
        let license = |f: &FileLicense| text_cell(shown_license(f).map_or("", |(l, _)| l));
        row.set("license_change", l.change.as_str())
            .set("license_a", license(&l.a))
            .set("license_b", license(&l.b));
    }
    row
}

fn region_row(p: &ClonePair, r: &Region) -> Row {
    let mut row = Row::new("region");
    row.set("rank", p.rank.to_string())
        .set("a", text_cell(&p.a))
        .set("b", text_cell(&p.b))
        .set("matched_tokens", r.matched_tokens.to_string())
        .set("region", r.id.to_string())
        .set("kind", kind_word(r.kind))
        .set("moved", r.moved.to_string())
        .set("renames", renames_cell(r))
        .spans(&r.a, &r.b);
    row
}

fn cluster_row(k: &CloneCluster) -> Row {
    let mut row = Row::new("cluster");
    row.set("rank", k.id.to_string())
        .set("similarity", score(k.max_similarity))
        .set("mean_similarity", score(k.mean_similarity))
        .set("members", text_cell(&k.members.join("; ")))
        .set("pairs", k.pairs.to_string());
    row
}

fn submission_pair_row(p: &SubmissionPair) -> Row {
    let listed: Vec<String> = p.file_pairs.iter().map(|r| r.to_string()).collect();
    let mut row = Row::new("submission-pair");
    row.set("rank", p.rank.to_string())
        .set("a", text_cell(&p.a))
        .set("b", text_cell(&p.b))
        .set("similarity", score(p.similarity))
        .set("coverage_a", score(p.coverage_a))
        .set("coverage_b", score(p.coverage_b))
        .set("pairs", p.file_pair_count.to_string())
        .set("file_pairs_listed", listed.join("; "));
    row
}

fn block_row(b: &CloneBlock) -> Row {
    let mut row = Row::new("block");
    row.set("rank", b.id.to_string())
        .set("a", text_cell(&b.a.path))
        .set("b", text_cell(&b.b.path))
        .set("matched_tokens", b.tokens.to_string())
        .set("kind", kind_word(b.kind))
        .spans(&b.a.span, &b.b.span);
    row
}

fn file_row(f: &CloneFile) -> Row {
    let mut row = Row::new("file");
    row.set("a", text_cell(&f.path))
        .set("pairs", f.pairs.to_string())
        .set("lines", f.lines.to_string())
        .set("code_lines", f.code_lines.to_string())
        .set("tokens", f.tokens.to_string())
        .set("duplicated_lines", f.duplicated_lines.to_string())
        .set("duplication", score(f.duplication))
        .set(
            "submission_a",
            text_cell(f.submission.as_deref().unwrap_or("")),
        );
    row
}
