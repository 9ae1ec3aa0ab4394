//! The text view of `simile find`: for each query a ranked table of its matches (best first),
//! then, with `--compare`, the full comparison with the best match; a footer says what was
//! searched and what was skipped.
//!
//! A match's path is the answer a user copies, so it is never cut: when a path would run past
//! the width, every match's path goes on a line of its own under its row.

use super::Palette;
use super::comparison;
use crate::util::{group_thousands, match_license_word, percent, shown_license};
use crate::{RenderOptions, SourceSet};
use owo_colors::Style;
use simile::report::{CorpusKind, FileLicense, Find, FindMatch, LicenseChange, QueryResult};
use std::io::{self, Write};

/// Write the text report of a search.
pub fn write(
    out: &mut dyn Write,
    find: &Find,
    sources: &SourceSet,
    options: &RenderOptions,
) -> io::Result<()> {
    let view = FindView {
        paint: Palette { on: options.color },
        width: options.width,
    };
    for (i, q) in find.queries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        view.query(out, q)?;
        if let Some(c) = &q.comparison {
            writeln!(out)?;
            comparison::write(out, c, sources, options)?;
        }
    }
    if !find.queries.is_empty() {
        writeln!(out)?;
    }
    view.footer(out, find)
}

struct FindView {
    paint: Palette,
    /// Width of the report (see the module doc on long paths).
    width: usize,
}

impl FindView {
    fn query(&self, out: &mut dyn Write, q: &QueryResult) -> io::Result<()> {
        let p = &self.paint;
        let f = &q.query;
        writeln!(
            out,
            "{} {}  {}",
            p.bold("simile find"),
            safe(&f.path),
            p.dim(&format!(
                "({}, {} lines, {} tokens)",
                f.language,
                group_thousands(f.lines as u64),
                group_thousands(f.tokens as u64)
            ))
        )?;
        if let Some(l) = &q.license {
            writeln!(out, "  {}  {}", p.dim("licence"), self.license(l))?;
        }
        for w in &q.warnings {
            let path = w
                .path
                .as_deref()
                .filter(|path| *path != f.path)
                .map(|path| format!("{}: ", safe(path)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {path}{}",
                p.paint("warning:", Style::new().yellow().bold()),
                w.message
            )?;
        }
        if q.matches.is_empty() {
            return if q.candidates == 0 {
                writeln!(
                    out,
                    "  no similar file (no file shares a fingerprint with it)"
                )
            } else {
                writeln!(
                    out,
                    "  no similar file ({} file(s) share fingerprints with it; {} verified)",
                    q.candidates, q.verified
                )
            };
        }
        let lines_width = q
            .matches
            .iter()
            .map(|m| lines_pair(m).len())
            .max()
            .unwrap_or(0)
            .max("lines".len());
        let header = format!(
            "{:>3}  {:>6}  {:>10}  {:>8}  {:>8}  {:>lines_width$}  {:<16}",
            "#", "score", "similarity", "of query", "of match", "lines", "verdict"
        );
        let paths: Vec<String> = q.matches.iter().map(|m| safe(&m.file.path)).collect();
        let widest = paths.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        // "  " + the header's columns + "  " + the path.
        let beside = 2 + header.chars().count() + 2 + widest <= self.width;
        let header = if beside {
            format!("{header}  file")
        } else {
            header.trim_end().to_owned()
        };
        writeln!(out, "  {}", p.dim(&header))?;
        for (m, path) in q.matches.iter().zip(&paths) {
            let verdict = format!("{:<16}", m.verdict.as_str());
            let verdict = verdict.replacen(m.verdict.as_str(), &p.verdict(m.verdict), 1);
            let row = format!(
                "  {:>3}  {:>6}  {:>10}  {:>8}  {:>8}  {:>lines_width$}  {}",
                m.rank,
                percent(m.score),
                p.bold(&format!("{:>10}", percent(m.similarity))),
                percent(m.coverage_query),
                percent(m.coverage_match),
                lines_pair(m),
                verdict,
            );
            if beside {
                writeln!(out, "{row}  {path}")?;
            } else {
                writeln!(out, "{}", row.trim_end())?;
                writeln!(out, "       {path}")?;
            }
            if let Some(l) = &m.license {
                let change = m.license_change.map_or("", match_license_word);
                let change = match m.license_change {
                    Some(LicenseChange::Changed | LicenseChange::Removed) => {
                        p.paint(change, Style::new().red().bold())
                    }
                    _ => p.dim(change),
                };
                writeln!(
                    out,
                    "       {}  {}  {change}",
                    p.dim("licence"),
                    self.license(l)
                )?;
            }
        }
        Ok(())
    }

    /// A file's licence as the report shows it, with what it rests on.
    fn license(&self, f: &FileLicense) -> String {
        match shown_license(f) {
            Some((license, basis)) => {
                let basis = basis.map_or_else(String::new, |n| {
                    format!(" {}", self.paint.dim(&format!("({})", safe(&n))))
                });
                format!("{}{basis}", self.paint.bold(&safe(license)))
            }
            None => self.paint.dim("(no licence identified)"),
        }
    }

    fn footer(&self, out: &mut dyn Write, find: &Find) -> io::Result<()> {
        let c = &find.corpus;
        let what = match c.kind {
            CorpusKind::Directory => "searched",
            CorpusKind::Index => "searched the index",
        };
        let roots: Vec<String> = c.roots.iter().map(|r| safe(r)).collect();
        let mut line = format!(
            "{what} {} file(s) in {} ({} searchable); {} quer{}",
            group_thousands(c.files),
            roots.join(", "),
            group_thousands(c.searchable_files),
            find.queries.len(),
            if find.queries.len() == 1 { "y" } else { "ies" },
        );
        let unmatched = find.queries.iter().filter(|q| q.matches.is_empty()).count();
        if unmatched > 0 && find.queries.len() > 1 {
            line.push_str(&format!(", {unmatched} without a match"));
        }
        writeln!(out, "{}", self.paint.dim(&line))?;
        if find.skipped.total > 0 {
            let reasons: Vec<String> = find
                .skipped
                .by_reason
                .iter()
                .map(|r| format!("{} {}", r.count, r.reason.as_str()))
                .collect();
            writeln!(
                out,
                "{}",
                self.paint.dim(&format!(
                    "skipped {} file(s): {}",
                    group_thousands(find.skipped.total),
                    reasons.join(", ")
                ))
            )?;
        }
        Ok(())
    }
}

fn lines_pair(m: &FindMatch) -> String {
    format!(
        "{}/{}",
        group_thousands(m.matched_lines_query as u64),
        group_thousands(m.matched_lines_match as u64)
    )
}

fn safe(text: &str) -> String {
    crate::terminal_safe(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use simile::align::AlignConfig;
    use simile::report::{
        CorpusInfo, FileInfo, FindSettings, QueryFingerprints, SkippedSummary, Verdict, Warning,
    };
    use simile::source::walk::{SkipReason, Skipped};
    use simile::source::{Encoding, Language};

    fn info(path: &str, lines: u32, tokens: u32) -> FileInfo {
        FileInfo {
            path: path.into(),
            language: Language::C,
            bytes: 1000,
            lines,
            tokens,
            encoding: Encoding::Utf8,
            content_hash: "0000000000000000".into(),
        }
    }

    fn find() -> Find {
        let m = |rank, path: &str, score, sim, verdict| FindMatch {
            rank,
            file: info(path, 900, 5000),
            score,
            similarity: sim,
            coverage_query: 0.5,
            coverage_match: 0.25,
            matched_tokens: 2000,
            renamed_tokens: 12,
            matched_lines_query: 1234,
            matched_lines_match: 456,
            unchanged_lines_query: 1200,
            unchanged_lines_match: 450,
            verdict,
            shared_fingerprints: 300,
            license: None,
            license_change: None,
        };
        Find {
            queries: vec![
                QueryResult {
                    query: info("old/ptrace.c", 2013, 14200),
                    fingerprints: QueryFingerprints::default(),
                    candidates: 40,
                    verified: 15,
                    matches: vec![
                        m(1, "new/ptrace.c", 0.931, 0.952, Verdict::NearIdentical),
                        m(
                            2,
                            "new/\x1b[31mevil.c",
                            0.05,
                            0.06,
                            Verdict::SharesFragments,
                        ),
                    ],
                    comparison: None,
                    warnings: vec![],
                    license: None,
                },
                QueryResult {
                    query: info("old/empty.c", 0, 0),
                    fingerprints: QueryFingerprints::default(),
                    candidates: 0,
                    verified: 0,
                    matches: vec![],
                    comparison: None,
                    warnings: vec![Warning {
                        path: Some("old/empty.c".into()),
                        message: "the query is empty".into(),
                    }],
                    license: None,
                },
            ],
            corpus: CorpusInfo {
                kind: simile::report::CorpusKind::Directory,
                roots: vec!["new".into()],
                files: 6834,
                searchable_files: 6000,
                tokens: 1,
                postings: 1,
                distinct_fingerprints: 1,
            },
            settings: FindSettings {
                top: 10,
                min_similarity: 0.0,
                max_df: 83,
                verify: 15,
                fingerprint: Default::default(),
                align: AlignConfig::default(),
                ignore: vec![],
                base_kgrams: 0,
                licenses: false,
            },
            skipped: SkippedSummary::new(vec![
                Skipped {
                    path: "new/a.bin".into(),
                    reason: SkipReason::Binary,
                    detail: String::new(),
                },
                Skipped {
                    path: "new/b.bin".into(),
                    reason: SkipReason::Binary,
                    detail: String::new(),
                },
                Skipped {
                    path: "new/c.min.js".into(),
                    reason: SkipReason::Minified,
                    detail: String::new(),
                },
            ]),
        }
    }

    #[test]
    fn ranked_table_then_footer() {
        let mut out = Vec::new();
        write(
            &mut out,
            &find(),
            &SourceSet::default(),
            &RenderOptions::default(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected = "\
simile find old/ptrace.c  (c, 2,013 lines, 14,200 tokens)
    #   score  similarity  of query  of match      lines  verdict           file
    1   93.1%       95.2%     50.0%     25.0%  1,234/456  near-identical    new/ptrace.c
    2    5.0%        6.0%     50.0%     25.0%  1,234/456  shares-fragments  new/␛[31mevil.c

simile find old/empty.c  (c, 0 lines, 0 tokens)
  warning: the query is empty
  no similar file (no file shares a fingerprint with it)

searched 6,834 file(s) in new (6,000 searchable); 2 queries, 1 without a match
skipped 3 file(s): 2 binary, 1 minified
";
        assert_eq!(text, expected);
    }

    #[test]
    fn licences_go_under_the_query_and_each_match() {
        let stated = |id: &str| FileLicense {
            license: Some(id.into()),
            ..FileLicense::default()
        };
        let mut find = find();
        find.settings.licenses = true;
        let q = &mut find.queries[0];
        q.license = Some(stated("CDDL-1.0"));
        q.matches[0].license = Some(stated("CDDL-1.0"));
        q.matches[0].license_change = Some(LicenseChange::Same);
        q.matches[1].license = Some(FileLicense::default());
        q.matches[1].license_change = Some(LicenseChange::Removed);
        let mut out = Vec::new();
        write(
            &mut out,
            &find,
            &SourceSet::default(),
            &RenderOptions::default(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "  licence  CDDL-1.0", "{text}");
        assert!(lines[3].ends_with("new/ptrace.c"), "{text}");
        assert_eq!(lines[4], "       licence  CDDL-1.0  same as the query");
        assert_eq!(
            lines[6],
            "       licence  (no licence identified)  none, the query has one"
        );
    }

    #[test]
    fn paths_too_wide_for_the_table_go_on_lines_of_their_own_whole() {
        let mut find = find();
        let long = format!("new/{}ptrace.c", "deep/".repeat(12));
        find.queries[0].matches[0].file.path = long.clone();
        let render = |width| {
            let mut out = Vec::new();
            let options = RenderOptions {
                width,
                ..RenderOptions::default()
            };
            write(&mut out, &find, &SourceSet::default(), &options).unwrap();
            String::from_utf8(out).unwrap()
        };
        // 76 columns before the path, 72 of path: beside it at 148 columns, not at 147.
        let wide = render(148);
        assert!(
            wide.contains(&format!("near-identical    {long}\n")),
            "{wide}"
        );
        let narrow = render(147);
        let lines: Vec<&str> = narrow.lines().collect();
        assert!(lines[1].ends_with("verdict"), "{narrow}");
        assert!(lines[2].ends_with("near-identical"), "{narrow}");
        assert_eq!(lines[3], format!("       {long}"));
        assert!(lines[4].ends_with("shares-fragments"), "{narrow}");
        assert_eq!(lines[5], "       new/␛[31mevil.c");
    }
}
