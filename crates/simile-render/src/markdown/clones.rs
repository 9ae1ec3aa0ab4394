//! The Markdown of a clone search, for a review comment or an issue: a heading with the roots,
//! one summary line (pairs, duplication, clusters, blocks) and the `--fail-over` gate's
//! verdict, then tables: similar pairs, the regions of the first pairs (folded in a
//! `<details>`), clusters, submission pairs (`--submissions`), duplicated blocks and the most
//! duplicated files (`--fragments`, or a gate); what was searched and skipped at the end.
//!
//! Every path and name is a code span that no backtick inside can end, so no file name can
//! add markup, links or HTML to the comment; paths are shown below their root when the root
//! alone says where they are (the heading names the roots). A comment has a size limit (65,536
//! characters on GitHub), so unless `full` is set each table lists its first entries
//! ([`MAX_PAIRS`], [`MAX_DETAILED_PAIRS`], ...) and says how many more there are.

use super::{code_span, escape_text};
use crate::RenderOptions;
use crate::util::{
    LicenseTally, ShortPaths, best_word, count, group_thousands, kind_word, line_range, percent,
    role_word,
};
use simile::report::{
    BlockLocation, ClonePair, Clones, ClonesMode, PairOrder, Region, Submissions,
};
use std::io::{self, Write};

/// Pairs listed in the table unless `full`.
pub const MAX_PAIRS: usize = 50;
/// Pairs whose regions are listed unless `full`.
pub const MAX_DETAILED_PAIRS: usize = 10;
/// Regions listed per pair unless `full`.
pub const MAX_REGIONS: usize = 12;
/// Clusters, blocks and files listed unless `full`.
pub const MAX_ROWS: usize = 25;

/// Write the Markdown report of a clone search.
pub fn write_clones(
    out: &mut dyn Write,
    clones: &Clones,
    options: &RenderOptions,
) -> io::Result<()> {
    let view = View {
        c: clones,
        paths: ShortPaths::new(clones),
        full: options.full,
    };
    view.heading(out)?;
    view.gate(out)?;
    view.warnings(out)?;
    view.pairs(out)?;
    view.regions(out)?;
    view.clusters(out)?;
    if let Some(s) = &clones.submissions {
        view.submissions(out, s)?;
    }
    view.blocks(out)?;
    view.files(out)?;
    view.footer(out)
}

struct View<'a> {
    c: &'a Clones,
    paths: ShortPaths,
    full: bool,
}

impl View<'_> {
    /// A path as shown, as a code span.
    fn path(&self, path: &str, in_table: bool) -> String {
        code_span(self.paths.show(path), in_table)
    }

    /// A path in a list where old and new files mix, with its side (`old:`, `new:`).
    fn tagged(&self, path: &str, in_table: bool) -> String {
        code_span(&self.paths.tagged(path), in_table)
    }

    fn shown(&self, n: usize, max: usize) -> usize {
        if self.full { n } else { n.min(max) }
    }

    fn more(&self, out: &mut dyn Write, hidden: usize, what: &str) -> io::Result<()> {
        if hidden > 0 {
            writeln!(
                out,
                "\n{} more {what} not listed; `--full` lists all, `--format json` has them all.",
                group_thousands(hidden as u64)
            )?;
        }
        Ok(())
    }

    fn members(&self, n: u64) -> String {
        if self.c.submissions.is_some() {
            count(n, "submission", "submissions")
        } else {
            count(n, "file", "files")
        }
    }

    fn heading(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let roots: Vec<String> = c.roots.iter().map(|r| code_span(&r.path, false)).collect();
        let joined = if c.mode == ClonesMode::OldNew {
            let side = |old: bool| -> Vec<String> {
                c.roots
                    .iter()
                    .filter(|r| (r.role == simile::report::RootRole::Old) == old)
                    .map(|r| code_span(&r.path, false))
                    .collect()
            };
            format!("{} → {}", side(true).join(", "), side(false).join(", "))
        } else {
            roots.join(", ")
        };
        writeln!(out, "## simile clones: {joined}\n")?;
        let s = &c.summary;
        let mut facts = vec![
            format!(
                "**{}** similar pairs ({} listed) among {}",
                group_thousands(s.similar_pairs),
                group_thousands(c.pairs.len() as u64),
                count(s.files, "file", "files")
            ),
            format!(
                "**{}** of the lines of code duplicated ({} of {})",
                percent(s.duplication),
                group_thousands(s.duplicated_lines),
                group_thousands(s.code_lines)
            ),
            count(c.clusters.len() as u64, "cluster", "clusters"),
        ];
        if let Some(subs) = &c.submissions {
            facts.insert(
                1,
                count(subs.list.len() as u64, "submission", "submissions"),
            );
        }
        if let Some(f) = &c.fragments {
            facts.push(format!(
                "{} ({} within files)",
                count(
                    f.blocks.len() as u64,
                    "duplicated block",
                    "duplicated blocks"
                ),
                group_thousands(f.within_file as u64)
            ));
        }
        if let Some(t) = LicenseTally::of(c) {
            let phrase = t.phrase();
            let phrase = if t.alarming() > 0 {
                format!("**{phrase}**")
            } else {
                phrase
            };
            facts.push(format!("licences of the listed pairs: {phrase}"));
        }
        writeln!(out, "{}\n", facts.join(" · "))?;
        if c.mode == ClonesMode::OldNew || c.roots.len() > 1 {
            writeln!(out, "| root | role | files |\n|---|---|---:|")?;
            for r in &c.roots {
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    code_span(&r.path, true),
                    role_word(r.role),
                    group_thousands(r.files)
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn gate(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(g) = &self.c.gate else {
            return Ok(());
        };
        if g.failed {
            writeln!(
                out,
                "> [!CAUTION]\n> **Duplication gate failed:** {} of the lines of code are duplicated, over the limit of {}.\n",
                percent(g.duplication),
                percent(g.limit)
            )
        } else {
            writeln!(
                out,
                "**Duplication gate passed:** {} of the lines of code are duplicated; the limit is {}.\n",
                percent(g.duplication),
                percent(g.limit)
            )
        }
    }

    fn warnings(&self, out: &mut dyn Write) -> io::Result<()> {
        for w in &self.c.warnings {
            let path = w
                .path
                .as_deref()
                .map(|p| format!("{}: ", code_span(p, false)))
                .unwrap_or_default();
            writeln!(out, "> **Warning:** {path}{}\n", escape_text(&w.message))?;
        }
        Ok(())
    }

    fn pairs(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        writeln!(out, "### Similar pairs\n")?;
        if c.pairs.is_empty() {
            return writeln!(
                out,
                "No similar pairs ({} verified).\n",
                count(
                    c.summary.verified_pairs,
                    "candidate pair",
                    "candidate pairs"
                )
            );
        }
        // With `--sort best-match`, a column says of which files each pair is the best match.
        let best = c.settings.sort == PairOrder::BestMatch;
        let (best_head, best_rule) = if best {
            (" best match |", "---|")
        } else {
            ("", "")
        };
        writeln!(
            out,
            "| # | A | B | similarity | A covered | B covered | matched tokens | longest | verdict |{best_head}\n\
             |---:|---|---|---:|---:|---:|---:|---:|---|{best_rule}"
        )?;
        let shown = self.shown(c.pairs.len(), MAX_PAIRS);
        for p in &c.pairs[..shown] {
            let best_cell = if best {
                format!(" {} |", best_word(p.best_match))
            } else {
                String::new()
            };
            writeln!(
                out,
                "| {} | {} | {} | **{}** | {} | {} | {} | {} | {} |{best_cell}",
                p.rank,
                self.path(&p.a, true),
                self.path(&p.b, true),
                percent(p.similarity),
                percent(p.coverage_a),
                percent(p.coverage_b),
                group_thousands(p.matched_tokens as u64),
                group_thousands(p.longest_fragment as u64),
                p.verdict.as_str()
            )?;
        }
        self.more(out, c.pairs.len() - shown, "pairs")?;
        writeln!(out)
    }

    /// The regions of the first pairs, folded: the tables above answer most questions.
    fn regions(&self, out: &mut dyn Write) -> io::Result<()> {
        let pairs = &self.c.pairs;
        if pairs.is_empty() {
            return Ok(());
        }
        let shown = self.shown(pairs.len(), MAX_DETAILED_PAIRS);
        writeln!(
            out,
            "<details><summary>Matched regions of {}</summary>\n",
            if shown == pairs.len() {
                "each pair".to_string()
            } else {
                format!("the first {shown} pairs")
            }
        )?;
        for p in &pairs[..shown] {
            self.pair(out, p)?;
        }
        if shown < pairs.len() {
            self.more(out, pairs.len() - shown, "pairs")?;
            writeln!(out)?;
        }
        writeln!(out, "</details>\n")
    }

    fn pair(&self, out: &mut dyn Write, p: &ClonePair) -> io::Result<()> {
        writeln!(
            out,
            "#### {}. {} ↔ {}: {} {}\n",
            p.rank,
            self.path(&p.a, false),
            self.path(&p.b, false),
            percent(p.similarity),
            p.verdict.as_str()
        )?;
        if let Some(l) = &p.comparison.licenses {
            super::structure::licenses(out, l)?;
        }
        let regions = &p.comparison.regions;
        if regions.is_empty() {
            return writeln!(out, "No matched regions.\n");
        }
        writeln!(
            out,
            "| # | kind | A lines | B lines | tokens | renames |\n|---:|---|---|---|---:|---|"
        )?;
        let shown = self.shown(regions.len(), MAX_REGIONS);
        for r in &regions[..shown] {
            region_row(out, r)?;
        }
        self.more(out, regions.len() - shown, "regions")?;
        writeln!(out)
    }

    fn clusters(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        if c.clusters.is_empty() {
            return Ok(());
        }
        let what = if c.submissions.is_some() {
            "submissions"
        } else {
            "files"
        };
        writeln!(
            out,
            "### Clusters\n\n{} linked by pairs at least {} similar, largest first.\n\n\
             | # | {what} | pairs | max similarity | mean similarity | members |\n\
             |---:|---:|---:|---:|---:|---|",
            if c.submissions.is_some() {
                "Submissions"
            } else {
                "Files"
            },
            percent(c.settings.cluster_similarity)
        )?;
        let shown = self.shown(c.clusters.len(), MAX_ROWS);
        for k in &c.clusters[..shown] {
            let members: Vec<String> = k.members.iter().map(|m| self.tagged(m, true)).collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                k.id,
                group_thousands(k.members.len() as u64),
                group_thousands(k.pairs as u64),
                percent(k.max_similarity),
                percent(k.mean_similarity),
                members.join(", ")
            )?;
        }
        self.more(out, c.clusters.len() - shown, "clusters")?;
        writeln!(out)
    }

    fn submissions(&self, out: &mut dyn Write, s: &Submissions) -> io::Result<()> {
        writeln!(
            out,
            "### Submission pairs\n\nFiles of one submission are never paired; a token counts once however many file pairs match it.\n"
        )?;
        if s.pairs.is_empty() {
            return writeln!(
                out,
                "No similar submissions among {}.\n",
                self.members(s.list.len() as u64)
            );
        }
        writeln!(
            out,
            "| # | A | B | similarity | A covered | B covered | file pairs (listed) |\n\
             |---:|---|---|---:|---:|---:|---|"
        )?;
        for p in &s.pairs {
            let listed: Vec<String> = p.file_pairs.iter().map(|r| format!("#{r}")).collect();
            writeln!(
                out,
                "| {} | {} | {} | **{}** | {} | {} | {}{} |",
                p.rank,
                self.path(&p.a, true),
                self.path(&p.b, true),
                percent(p.similarity),
                percent(p.coverage_a),
                percent(p.coverage_b),
                group_thousands(p.file_pair_count as u64),
                if listed.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", listed.join(", "))
                }
            )?;
        }
        writeln!(out)
    }

    fn blocks(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(f) = &self.c.fragments else {
            return Ok(());
        };
        writeln!(
            out,
            "### Duplicated blocks\n\n{} within files, {} across files, longest first.\n",
            group_thousands(f.within_file as u64),
            group_thousands(f.across_files as u64)
        )?;
        if f.blocks.is_empty() {
            return writeln!(out, "None.\n");
        }
        writeln!(
            out,
            "| # | kind | tokens | first copy | second copy |\n|---:|---|---:|---|---|"
        )?;
        let shown = self.shown(f.blocks.len(), MAX_ROWS);
        for b in &f.blocks[..shown] {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                b.id,
                kind_word(b.kind),
                group_thousands(b.tokens as u64),
                self.location(&b.a),
                self.location(&b.b)
            )?;
        }
        self.more(out, f.blocks.len() - shown, "blocks")?;
        writeln!(out)
    }

    /// `` `dup/crc.c` lines 15-26 ``.
    fn location(&self, l: &BlockLocation) -> String {
        format!(
            "{} lines {}",
            self.tagged(&l.path, true),
            line_range(l.span.lines())
        )
    }

    fn files(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        if c.fragments.is_none() && c.gate.is_none() {
            return Ok(());
        }
        let files = c.most_duplicated_files();
        writeln!(
            out,
            "### Most duplicated files\n\n{} of {} have duplicated code.\n",
            group_thousands(files.len() as u64),
            count(c.files.len() as u64, "file", "files")
        )?;
        if files.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "| file | duplicated | lines (duplicated / code) | pairs |\n|---|---:|---:|---:|"
        )?;
        let shown = self.shown(files.len(), MAX_ROWS);
        for f in &files[..shown] {
            writeln!(
                out,
                "| {} | **{}** | {} / {} | {} |",
                self.tagged(&f.path, true),
                percent(f.duplication),
                group_thousands(f.duplicated_lines as u64),
                group_thousands(f.code_lines as u64),
                group_thousands(f.pairs as u64)
            )?;
        }
        self.more(out, files.len() - shown, "files")?;
        writeln!(out)
    }

    fn footer(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let s = &c.settings;
        let mut settings = vec![
            format!("min tokens {}", s.min_tokens),
            format!("min similarity {}", percent(s.min_similarity)),
            format!("max-df {}", s.max_df),
            format!("k {}, w {}", s.fingerprint.k, s.fingerprint.w),
        ];
        if s.renamed {
            settings.push("renamed copies looked for".into());
        }
        if !s.ignore.is_empty() {
            let base: Vec<String> = s.ignore.iter().map(|p| code_span(p, false)).collect();
            settings.push(format!("base code {}", base.join(", ")));
        }
        writeln!(
            out,
            "---\n\n**Searched** {} ({} searchable, {} lines, {} tokens); {} verified. Settings: {}.",
            count(c.summary.files, "file", "files"),
            group_thousands(c.summary.searchable_files),
            group_thousands(c.summary.lines),
            group_thousands(c.summary.tokens),
            count(
                c.summary.verified_pairs,
                "candidate pair",
                "candidate pairs"
            ),
            settings.join(", ")
        )?;
        if c.skipped.total > 0 {
            let reasons: Vec<String> = c
                .skipped
                .by_reason
                .iter()
                .map(|r| format!("{} {}", group_thousands(r.count), r.reason.as_str()))
                .collect();
            writeln!(
                out,
                "\n**Skipped** {}: {} (`--format json` lists them).",
                count(c.skipped.total, "file", "files"),
                reasons.join(", ")
            )?;
        }
        Ok(())
    }
}

fn region_row(out: &mut dyn Write, r: &Region) -> io::Result<()> {
    let renames: Vec<String> = r
        .renames
        .iter()
        .take(5)
        .map(|n| {
            format!(
                "{} → {}",
                code_span(&clip(&n.a), true),
                code_span(&clip(&n.b), true)
            )
        })
        .collect();
    let more = if r.renames.len() > 5 { ", …" } else { "" };
    writeln!(
        out,
        "| {} | {}{} | {} | {} | {} | {}{more} |",
        r.id,
        kind_word(r.kind),
        if r.moved { ", moved" } else { "" },
        line_range(r.a.lines()),
        line_range(r.b.lines()),
        group_thousands(r.matched_tokens as u64),
        renames.join(", ")
    )
}

/// A renamed name or literal, cut to 40 characters: a literal can be a whole docstring.
fn clip(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        let cut: String = s.chars().take(39).collect();
        format!("{cut}…")
    }
}
