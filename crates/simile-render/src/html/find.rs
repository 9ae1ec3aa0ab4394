//! The static part of a search page: what was searched, then per query its ranked matches with
//! a bar for each score (similarity and both coverages), each match linking to its embedded
//! comparison when there is one (`--compare` keeps the comparison with the best match), the
//! comparison sections themselves (see [`super::comparison`]), and the skipped files.
//!
//! Element ids are generated here (`q-1`, `cmp-1`, `skipped`), never taken from paths, so a
//! hostile file name can neither break a link nor collide with the page's own ids. Each query's
//! ranking is static HTML marked `content-visibility: auto`, so a page of thousands of queries
//! only lays out the ones in sight; the comparison views are drawn by `report.js` when they
//! come near the viewport.

use super::{Page, comparison, esc, esc_attr};
use crate::util::{group_thousands, match_license_word, percent};
use simile::report::{CorpusKind, Find, FindMatch, LicenseChange, QueryResult};
use std::fmt::Write;

/// Add the sections of a search to the page.
pub(crate) fn sections(page: &mut Page, find: &Find) {
    page.title = match find.queries.as_slice() {
        [one] => format!("simile find: {}", one.query.path),
        many => format!("simile find: {} queries", many.len()),
    };
    summary(&mut page.body, find);
    if find.queries.len() > 1 {
        overview(&mut page.body, find);
    }
    for (i, q) in find.queries.iter().enumerate() {
        let cmp_id = q.comparison.as_ref().map(|_| format!("cmp-{}", i + 1));
        ranking(&mut page.body, q, i + 1, cmp_id.as_deref());
        if let (Some(c), Some(id)) = (&q.comparison, &cmp_id) {
            let _ = writeln!(
                page.body,
                "<h3 class=\"cmp-title\">Side by side with the best match <a class=\"back\" href=\"#q-{}\">↑ ranking</a></h3>",
                i + 1
            );
            comparison::section(page, c, id, &format!("/find/queries/{i}/comparison"));
        }
    }
    super::skipped_section(&mut page.body, &find.skipped);
}

/// "Searched 5 files in corpus (5 searchable) · 3 queries · 1 without a match · 2 skipped".
fn summary(b: &mut String, find: &Find) {
    let c = &find.corpus;
    let what = match c.kind {
        CorpusKind::Directory => "Searched",
        CorpusKind::Index => "Searched the index of",
    };
    let roots: Vec<String> = c
        .roots
        .iter()
        .map(|r| format!("<code>{}</code>", esc(r)))
        .collect();
    let n = find.queries.len();
    let _ = write!(
        b,
        "<section class=\"find-summary\"><span>{what} <b>{}</b> file(s) in {} ({} searchable)</span>\
         <span>{} quer{}</span>",
        group_thousands(c.files),
        roots.join(", "),
        group_thousands(c.searchable_files),
        group_thousands(n as u64),
        if n == 1 { "y" } else { "ies" }
    );
    let unmatched = find.queries.iter().filter(|q| q.matches.is_empty()).count();
    if unmatched > 0 {
        let _ = write!(
            b,
            "<span>{} without a match</span>",
            group_thousands(unmatched as u64)
        );
    }
    if find.skipped.total > 0 {
        let _ = write!(
            b,
            "<span><a href=\"#skipped\">{} skipped</a></span>",
            group_thousands(find.skipped.total)
        );
    }
    b.push_str("</section>\n");
}

/// With several queries, one line per query: its best match, linking to the query's ranking
/// (and the match to its comparison, when there is one).
fn overview(b: &mut String, find: &Find) {
    b.push_str(
        "<section class=\"overview\"><h2>Best match per query</h2><div class=\"ranking-wrap\"><table class=\"ranking\">\n\
         <thead><tr><th>query</th><th>best match</th><th>similarity</th><th>verdict</th></tr></thead>\n<tbody>\n",
    );
    for (i, q) in find.queries.iter().enumerate() {
        let _ = write!(
            b,
            "<tr><td class=\"cell-path\"><a class=\"path\" href=\"#q-{}\" title=\"{}\">{}</a></td>",
            i + 1,
            esc_attr(&q.query.path),
            esc(&q.query.path)
        );
        match q.matches.first() {
            Some(m) => {
                let verdict = m.verdict.as_str();
                let path = if q.comparison.is_some() {
                    format!(
                        "<a class=\"path to-comparison\" href=\"#cmp-{}\" title=\"{} (side by side below)\">{}</a>",
                        i + 1,
                        esc_attr(&m.file.path),
                        esc(&m.file.path)
                    )
                } else {
                    format!(
                        "<code class=\"path\" title=\"{}\">{}</code>",
                        esc_attr(&m.file.path),
                        esc(&m.file.path)
                    )
                };
                let _ = writeln!(
                    b,
                    "<td class=\"cell-path\">{path}</td>\
                     <td class=\"metric\"><span class=\"bar\"><span class=\"fill fill-sim\" style=\"width:{:.2}%\"></span></span><span class=\"val\">{}</span></td>\
                     <td><span class=\"verdict verdict-{verdict}\">{}</span></td></tr>",
                    m.similarity * 100.0,
                    percent(m.similarity),
                    verdict.replace('-', " ")
                );
            }
            None => b.push_str(
                "<td class=\"cell-path\"><span class=\"meta\">no similar file</span></td><td></td><td></td></tr>\n",
            ),
        }
    }
    b.push_str("</tbody></table></div></section>\n");
}

/// One query: its file, warnings, and the ranked table.
fn ranking(b: &mut String, q: &QueryResult, n: usize, cmp_id: Option<&str>) {
    let f = &q.query;
    let _ = write!(
        b,
        "<section class=\"query\" id=\"q-{n}\">\n<div class=\"query-head\"><span class=\"side side-a\" title=\"query\">Q</span>\
         <code class=\"path\" title=\"{}\">{}</code>\
         <span class=\"meta\">{} · {} lines · {} tokens · {} file(s) share fingerprints, {} verified</span></div>\n",
        esc_attr(&f.path),
        esc(&f.path),
        esc(f.language.name()),
        group_thousands(f.lines as u64),
        group_thousands(f.tokens as u64),
        group_thousands(q.candidates as u64),
        group_thousands(q.verified as u64),
    );
    if !q.warnings.is_empty() {
        b.push_str("<ul class=\"warnings\">\n");
        for w in &q.warnings {
            let path = w
                .path
                .as_deref()
                .filter(|p| *p != f.path)
                .map(|p| format!("<code>{}</code>: ", esc(p)))
                .unwrap_or_default();
            let _ = writeln!(b, "<li>{path}{}</li>", esc(&w.message));
        }
        b.push_str("</ul>\n");
    }
    if let Some(l) = &q.license {
        let _ = writeln!(
            b,
            "<p class=\"query-licence\">Licence: {}</p>",
            super::structure::license_cell(l)
        );
    }
    if q.matches.is_empty() {
        b.push_str("<p class=\"no-match\">No similar file.</p>\n</section>\n");
        return;
    }
    let licenses = q.license.is_some();
    b.push_str(
        "<div class=\"ranking-wrap\"><table class=\"ranking\">\n<thead><tr><th class=\"rank\">#</th><th>file</th>\
         <th class=\"num\" title=\"the ranking score: how alike the two files are, renamed tokens counting half\">score</th>\
         <th title=\"matched tokens of both files over all tokens of both\">similarity</th>\
         <th title=\"share of the query's tokens found in this file\">query covered</th>\
         <th title=\"share of this file's tokens found in the query\">match covered</th>\
         <th class=\"num\" title=\"lines with matched code, in the query / in the match\">lines</th>\
         <th>verdict</th>",
    );
    b.push_str(if licenses {
        "<th>licence</th></tr></thead>\n<tbody>\n"
    } else {
        "</tr></thead>\n<tbody>\n"
    });
    for m in &q.matches {
        // Only the best match has a comparison (`--compare`).
        let link = cmp_id.filter(|_| m.rank == 1);
        match_row(b, m, link, licenses);
    }
    b.push_str("</tbody></table></div>\n</section>\n");
}

fn match_row(b: &mut String, m: &FindMatch, cmp_id: Option<&str>, licenses: bool) {
    let (path, go) = match cmp_id {
        Some(id) => (
            format!(
                "<a class=\"path to-comparison\" href=\"#{}\" title=\"{}\">{}</a>",
                esc_attr(id),
                esc_attr(&m.file.path),
                esc(&m.file.path),
            ),
            format!(
                "<a class=\"go to-comparison\" href=\"#{}\">side by side ↓</a>",
                esc_attr(id)
            ),
        ),
        None => (
            format!(
                "<code class=\"path\" title=\"{}\">{}</code>",
                esc_attr(&m.file.path),
                esc(&m.file.path)
            ),
            String::new(),
        ),
    };
    let verdict = m.verdict.as_str();
    let _ = write!(
        b,
        "<tr data-rank=\"{}\"><td class=\"rank\">{}</td><td class=\"match-file\">{path}<span class=\"meta\">{} · {} lines · {} tokens</span>{go}</td>\
         <td class=\"num\">{}</td>",
        m.rank,
        m.rank,
        esc(m.file.language.name()),
        group_thousands(m.file.lines as u64),
        group_thousands(m.file.tokens as u64),
        percent(m.score),
    );
    for (class, value) in [
        ("sim", m.similarity),
        ("a", m.coverage_query),
        ("b", m.coverage_match),
    ] {
        let _ = write!(
            b,
            "<td class=\"metric\"><span class=\"bar\"><span class=\"fill fill-{class}\" style=\"width:{:.2}%\"></span></span><span class=\"val\">{}</span></td>",
            value * 100.0,
            percent(value)
        );
    }
    let _ = write!(
        b,
        "<td class=\"num\">{} / {}</td><td><span class=\"verdict verdict-{verdict}\">{}</span></td>",
        group_thousands(m.matched_lines_query as u64),
        group_thousands(m.matched_lines_match as u64),
        verdict.replace('-', " ")
    );
    if licenses {
        let cell = m.license.as_ref().map_or_else(
            || "<span class=\"basis\">not read</span>".to_owned(),
            |l| {
                let change = m.license_change.map_or("", match_license_word);
                let class = match m.license_change {
                    Some(LicenseChange::Changed | LicenseChange::Removed) => "alarm",
                    _ => "calm",
                };
                format!(
                    "{}<br><span class=\"{class}\">{}</span>",
                    super::structure::license_cell(l),
                    esc(change)
                )
            },
        );
        let _ = write!(b, "<td class=\"licence\">{cell}</td>");
    }
    b.push_str("</tr>\n");
}
