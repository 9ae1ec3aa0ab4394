//! The Markdown of a search: per query a heading, a ranked table of its matches (best first)
//! and, with `--compare`, the comparison with the best match nested one heading level below;
//! then what was searched and what was skipped.

use super::{code_span, escape_text, write_comparison};
use crate::util::{group_thousands, match_license_word, percent, skip_detail};
use crate::{RenderOptions, SourceSet};
use simile::report::{CorpusKind, Find, FindMatch, LicenseChange, QueryResult};
use std::io::{self, Write};

/// Skipped files listed by name when `full` is not set (the counts by reason are always
/// complete).
pub const MAX_SKIPPED_LISTED: usize = 50;

/// Write the Markdown report of a search.
pub fn write_find(
    out: &mut dyn Write,
    find: &Find,
    sources: &SourceSet,
    options: &RenderOptions,
) -> io::Result<()> {
    for q in &find.queries {
        query(out, q, find.settings.licenses)?;
        if let Some(c) = &q.comparison {
            write_comparison(out, c, sources, options, 3)?;
        }
    }
    corpus(out, find)?;
    skipped(out, find, options)
}

fn query(out: &mut dyn Write, q: &QueryResult, licenses: bool) -> io::Result<()> {
    let f = &q.query;
    writeln!(out, "## simile find: {}\n", code_span(&f.path, false))?;
    writeln!(
        out,
        "{} · {} lines · {} tokens · {} file(s) share fingerprints with it, {} verified\n",
        f.language,
        group_thousands(f.lines as u64),
        group_thousands(f.tokens as u64),
        group_thousands(q.candidates as u64),
        group_thousands(q.verified as u64)
    )?;
    for w in &q.warnings {
        let path = w
            .path
            .as_deref()
            .filter(|p| *p != f.path)
            .map(|p| format!("{}: ", code_span(p, false)))
            .unwrap_or_default();
        writeln!(out, "> **Warning:** {path}{}\n", escape_text(&w.message))?;
    }
    if let Some(l) = &q.license {
        writeln!(out, "**Licence:** {}\n", super::structure::license_cell(l))?;
    }
    if q.matches.is_empty() {
        return writeln!(out, "No similar file.\n");
    }
    let (licence_head, licence_rule) = if licenses {
        (" licence |", "---|")
    } else {
        ("", "")
    };
    writeln!(
        out,
        "| # | file | score | similarity | query covered | match covered | matched lines (query / match) | verdict |{licence_head}"
    )?;
    writeln!(out, "|---:|---|---:|---:|---:|---:|---:|---|{licence_rule}")?;
    for m in &q.matches {
        match_row(out, m, licenses)?;
    }
    writeln!(out)
}

fn match_row(out: &mut dyn Write, m: &FindMatch, licenses: bool) -> io::Result<()> {
    let licence = if licenses {
        let words = m.license.as_ref().map_or_else(
            || "not read".to_owned(),
            |l| {
                let change = m.license_change.map_or("", match_license_word);
                let change = match m.license_change {
                    Some(LicenseChange::Changed | LicenseChange::Removed) => {
                        format!("**{change}**")
                    }
                    _ => change.to_owned(),
                };
                format!("{}<br>{change}", super::structure::license_cell(l))
            },
        );
        format!(" {words} |")
    } else {
        String::new()
    };
    writeln!(
        out,
        "| {} | {} | {} | **{}** | {} | {} | {} / {} | {} |{licence}",
        m.rank,
        code_span(&m.file.path, true),
        percent(m.score),
        percent(m.similarity),
        percent(m.coverage_query),
        percent(m.coverage_match),
        group_thousands(m.matched_lines_query as u64),
        group_thousands(m.matched_lines_match as u64),
        m.verdict.as_str()
    )
}

fn corpus(out: &mut dyn Write, find: &Find) -> io::Result<()> {
    let c = &find.corpus;
    let what = match c.kind {
        CorpusKind::Directory => "Searched",
        CorpusKind::Index => "Searched the index of",
    };
    let roots: Vec<String> = c.roots.iter().map(|r| code_span(r, false)).collect();
    let n = find.queries.len();
    let unmatched = find.queries.iter().filter(|q| q.matches.is_empty()).count();
    let unmatched = if unmatched > 0 {
        format!(", {unmatched} without a match")
    } else {
        String::new()
    };
    writeln!(
        out,
        "---\n\n**{what}** {} file(s) in {} ({} searchable); {n} quer{}{unmatched}.",
        group_thousands(c.files),
        roots.join(", "),
        group_thousands(c.searchable_files),
        if n == 1 { "y" } else { "ies" },
    )
}

fn skipped(out: &mut dyn Write, find: &Find, options: &RenderOptions) -> io::Result<()> {
    let s = &find.skipped;
    if s.total == 0 {
        return Ok(());
    }
    let reasons: Vec<String> = s
        .by_reason
        .iter()
        .map(|r| format!("{} {}", group_thousands(r.count), r.reason.as_str()))
        .collect();
    writeln!(
        out,
        "\n**Skipped** {} file(s): {}.\n",
        group_thousands(s.total),
        reasons.join(", ")
    )?;
    let shown = if options.full {
        s.files.len()
    } else {
        s.files.len().min(MAX_SKIPPED_LISTED)
    };
    writeln!(
        out,
        "<details><summary>Skipped files</summary>\n\n| file | reason | detail |\n|---|---|---|"
    )?;
    for f in &s.files[..shown] {
        writeln!(
            out,
            "| {} | {} | {} |",
            code_span(&f.path, true),
            f.reason.as_str(),
            escape_text(skip_detail(f))
        )?;
    }
    if shown < s.files.len() {
        writeln!(
            out,
            "\n{} more not listed; `--full` lists all, `--format json` has them all.",
            group_thousands((s.files.len() - shown) as u64)
        )?;
    }
    writeln!(out, "\n</details>")
}
