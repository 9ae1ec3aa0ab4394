//! The CSV of a search: one table with a row per ranked file (`row` = `match`), the region rows
//! of the comparison with the best match when `--compare` kept it (`row` = `region`), and a row
//! for each query that matched nothing (`row` = `none`), so every query searched appears.
//!
//! One header, [`FIND_COLUMNS`], for every row kind: a column that does not apply to a row kind
//! is empty in its rows, so a spreadsheet filter on `row` gives each table on its own. Rows come
//! query by query, in the order of the queries: its match rows by rank, then its region rows
//! in order of position in the query.
//!
//! | column | in rows | meaning |
//! |---|---|---|
//! | `row` | all | `match`, `region` or `none` |
//! | `query` | all | the query file |
//! | `rank` | match, region | the match's rank (1 = best); region rows belong to rank 1 |
//! | `file` | match, region | the matched file |
//! | `score` | match | the ranking score, in `[0, 1]` |
//! | `similarity` | match | matched tokens of both files over all tokens of both |
//! | `coverage_query`, `coverage_match` | match | share of the query's / the match's tokens matched |
//! | `matched_tokens`, `renamed_tokens` | match | tokens matched; of them, tokens whose text differs |
//! | `matched_lines_query`, `matched_lines_match` | match | lines with matched code in each file |
//! | `verdict` | match | `identical`, `near-identical`, `derived`, `shares-fragments` or `unrelated` |
//! | `region` | region | the region number (1-based, in order of position in the query) |
//! | `kind` | region | `identical`, `renamed` or `edited` |
//! | `moved` | region | `true` when the region changed position relative to the rest |
//! | `query_start_line` ... `query_end_column` | region | where it is in the query (lines 1-based inclusive; columns 1-based, end exclusive, in characters) |
//! | `match_start_line` ... `match_end_column` | region | the same in the match |
//! | `region_tokens` | region | tokens matched inside the region |
//! | `renames` | region | `a->b` pairs separated by `; ` |
//! | `license` | match | with `--licenses`: the match's licence (effective, else stated) |
//! | `license_change` | match | with `--licenses`: `same`, `changed`, `added`, `removed` or `none-found`, the query as A |
//!
//! The scores of match rows are those of the ranking (imports and `--ignore`d base code left
//! out); the regions are those of the full comparison, as `simile compare` shows it.

use super::comparison::renames_cell;
use super::{score, text_cell};
use crate::util::{kind_word, shown_license};
use simile::report::{Find, FindMatch, QueryResult, Region};
use std::io::{self, Write};

/// The header of a search's CSV.
pub const FIND_COLUMNS: [&str; 28] = [
    "row",
    "query",
    "rank",
    "file",
    "score",
    "similarity",
    "coverage_query",
    "coverage_match",
    "matched_tokens",
    "renamed_tokens",
    "matched_lines_query",
    "matched_lines_match",
    "verdict",
    "region",
    "kind",
    "moved",
    "query_start_line",
    "query_end_line",
    "query_start_column",
    "query_end_column",
    "match_start_line",
    "match_end_line",
    "match_start_column",
    "match_end_column",
    "region_tokens",
    "renames",
    "license",
    "license_change",
];

/// Columns before `region`: the identity and scores of a match.
const MATCH_PART: usize = 13;

/// Write the header and every row of a search.
pub fn write_find<W: Write>(w: &mut ::csv::Writer<W>, find: &Find) -> io::Result<()> {
    w.write_record(FIND_COLUMNS)?;
    for q in &find.queries {
        write_query(w, q)?;
    }
    Ok(())
}

fn write_query<W: Write>(w: &mut ::csv::Writer<W>, q: &QueryResult) -> io::Result<()> {
    if q.matches.is_empty() {
        let mut row = vec![String::new(); FIND_COLUMNS.len()];
        row[0] = "none".into();
        row[1] = text_cell(&q.query.path);
        return Ok(w.write_record(row)?);
    }
    for m in &q.matches {
        w.write_record(match_record(q, m))?;
    }
    if let Some(c) = &q.comparison {
        for r in &c.regions {
            w.write_record(region_record(&q.query.path, &c.b.path, r))?;
        }
    }
    Ok(())
}

fn match_record(q: &QueryResult, m: &FindMatch) -> Vec<String> {
    let mut row = vec![
        "match".to_string(),
        text_cell(&q.query.path),
        m.rank.to_string(),
        text_cell(&m.file.path),
        score(m.score),
        score(m.similarity),
        score(m.coverage_query),
        score(m.coverage_match),
        m.matched_tokens.to_string(),
        m.renamed_tokens.to_string(),
        m.matched_lines_query.to_string(),
        m.matched_lines_match.to_string(),
        m.verdict.as_str().to_string(),
    ];
    debug_assert_eq!(row.len(), MATCH_PART);
    row.resize(FIND_COLUMNS.len() - 2, String::new());
    row.push(text_cell(
        m.license
            .as_ref()
            .and_then(shown_license)
            .map_or("", |(l, _)| l),
    ));
    row.push(m.license_change.map_or("", |c| c.as_str()).to_owned());
    row
}

fn region_record(query: &str, file: &str, r: &Region) -> Vec<String> {
    let mut row = vec![String::new(); MATCH_PART];
    row[0] = "region".into();
    row[1] = text_cell(query);
    row[2] = "1".into();
    row[3] = text_cell(file);
    row.extend([
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
        String::new(),
        String::new(),
    ]);
    debug_assert_eq!(row.len(), FIND_COLUMNS.len());
    row
}
