//! The text view of `simile clones`, in the order a reader asks the questions:
//! 1. what was searched (roots and their roles, files, lines, tokens) and what came out (pairs
//!    found and listed, the duplication, the `--fail-over` gate);
//! 2. the ranked table of pairs, fitted to the terminal width (paths are cut in the middle,
//!    keeping their first directory and file name, or go on lines of their own when the
//!    terminal is too narrow for two path columns);
//! 3. each listed pair with its regions, one line each;
//! 4. clusters, largest first; with `--submissions` the table of submission pairs; with
//!    `--fragments` the duplicated blocks; with `--fragments` or a gate, the most duplicated
//!    files;
//! 5. a footer: skipped files and warnings.
//!
//! Paths are shown below their root when the root alone says where a file is
//! (`util::ShortPaths`); the header names the roots. Long lists (regions of
//! a pair, clusters, blocks, files) are cut to their first entries unless `full` is set, and
//! say how many more there are. Every path passes through [`crate::terminal_safe`]
//! and every section is cut to the terminal width, so no file name can act on the terminal or
//! wrap the tables. The text shows no code: `simile compare A B` shows a pair's code.

use super::{FitWidth, Palette};
use crate::RenderOptions;
use crate::terminal_safe;
use crate::util::{
    LicenseTally, ShortPaths, best_word, count, elide_path, group_thousands, kind_word, line_range,
    percent, role_word, shown_license,
};
use owo_colors::Style;
use simile::report::{
    BlockLocation, CloneCluster, ClonePair, Clones, ClonesMode, FileLicense, LicenseChange,
    LicenseComparison, PairOrder, Region, RootRole, Submissions,
};
use std::io::{self, Write};

/// Regions listed per pair unless `full`.
pub const MAX_REGIONS: usize = 12;
/// Clusters listed unless `full`.
pub const MAX_CLUSTERS: usize = 20;
/// Duplicated blocks listed unless `full`.
pub const MAX_BLOCKS: usize = 30;
/// Most duplicated files listed unless `full`.
pub const MAX_FILES: usize = 10;

/// Write the text report of a clone search.
pub fn write(out: &mut dyn Write, clones: &Clones, options: &RenderOptions) -> io::Result<()> {
    let view = ClonesView {
        c: clones,
        paths: ShortPaths::new(clones),
        paint: Palette { on: options.color },
        options,
    };
    // Every line is cut to the width: paths and member lists have no natural bound.
    let mut out = FitWidth::new(out, options.width);
    view.header(&mut out)?;
    view.pairs_table(&mut out)?;
    view.pair_details(&mut out)?;
    view.clusters(&mut out)?;
    if let Some(s) = &clones.submissions {
        view.submissions(&mut out, s)?;
    }
    view.blocks(&mut out)?;
    view.duplicated_files(&mut out)?;
    view.footer(&mut out)?;
    out.flush()
}

struct ClonesView<'a> {
    c: &'a Clones,
    paths: ShortPaths,
    paint: Palette,
    options: &'a RenderOptions,
}

impl ClonesView<'_> {
    /// A path as shown: below its root, terminal-safe.
    fn path(&self, path: &str) -> String {
        crate::terminal_safe(self.paths.show(path)).into_owned()
    }

    /// A path in a list where old and new files mix: with its side (`old:`, `new:`).
    fn tagged(&self, path: &str) -> String {
        crate::terminal_safe(&self.paths.tagged(path)).into_owned()
    }

    /// At most `max` of `n` entries unless `full`.
    fn shown(&self, n: usize, max: usize) -> usize {
        if self.options.full { n } else { n.min(max) }
    }

    fn section(&self, out: &mut dyn Write, title: &str, note: &str) -> io::Result<()> {
        writeln!(out)?;
        if note.is_empty() {
            writeln!(out, "{}", self.paint.bold(title))
        } else {
            writeln!(out, "{}  {}", self.paint.bold(title), self.paint.dim(note))
        }
    }

    /// `... 12 more (--full lists all)`.
    fn more(&self, out: &mut dyn Write, hidden: usize, what: &str) -> io::Result<()> {
        if hidden == 0 {
            return Ok(());
        }
        writeln!(
            out,
            "  {}",
            self.paint.dim(&format!(
                "... {} more {what} (--full lists all, --format json has them all)",
                group_thousands(hidden as u64)
            ))
        )
    }

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let p = &self.paint;
        if c.mode == ClonesMode::OldNew {
            // A pair's A is always an old file and its B a new one.
            writeln!(out, "{}", p.bold("simile clones"))?;
            for r in &c.roots {
                let label = if r.role == RootRole::Old { "A" } else { "B" };
                writeln!(
                    out,
                    "  {}  {:<3}  {}  {}",
                    p.bold(label),
                    role_word(r.role),
                    crate::terminal_safe(&r.path),
                    p.dim(&format!("({})", count(r.files, "file", "files")))
                )?;
            }
        } else {
            let roots: Vec<String> = c
                .roots
                .iter()
                .map(|r| crate::terminal_safe(&r.path).into_owned())
                .collect();
            writeln!(out, "{} {}", p.bold("simile clones"), roots.join("  "))?;
            if c.roots.len() > 1 {
                let listed: Vec<String> = c
                    .roots
                    .iter()
                    .map(|r| {
                        format!(
                            "{} ({})",
                            crate::terminal_safe(&r.path),
                            count(r.files, "file", "files")
                        )
                    })
                    .collect();
                writeln!(out, "  roots        {}", listed.join(", "))?;
            }
        }
        writeln!(out)?;
        self.summary(out)
    }

    fn summary(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let s = &c.summary;
        let p = &self.paint;
        let skipped = if c.skipped.total > 0 {
            format!("; {} skipped", group_thousands(c.skipped.total))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  files        {} read, {} searchable; {} lines ({} of code), {} tokens{skipped}",
            group_thousands(s.files),
            group_thousands(s.searchable_files),
            group_thousands(s.lines),
            group_thousands(s.code_lines),
            group_thousands(s.tokens),
        )?;
        if let Some(subs) = &c.submissions {
            writeln!(
                out,
                "  submissions  {} (files of one submission are never paired)",
                group_thousands(subs.list.len() as u64)
            )?;
        }
        writeln!(
            out,
            "  pairs        {} similar, {} listed{}; {} verified",
            p.bold(&group_thousands(s.similar_pairs)),
            group_thousands(c.pairs.len() as u64),
            match c.settings.sort.as_str() {
                "similarity" => String::new(),
                order => format!(" (by {order})"),
            },
            count(s.verified_pairs, "candidate pair", "candidate pairs")
        )?;
        writeln!(
            out,
            "  duplication  {} of the lines of code ({} of {})",
            p.bold(&percent(s.duplication)),
            group_thousands(s.duplicated_lines),
            group_thousands(s.code_lines)
        )?;
        if let Some(t) = LicenseTally::of(c) {
            let phrase = t.phrase();
            let phrase = if t.alarming() > 0 {
                p.paint(&phrase, Style::new().red().bold())
            } else {
                phrase
            };
            writeln!(
                out,
                "  licences     {phrase} (of the {} listed)",
                count(c.pairs.len() as u64, "pair", "pairs")
            )?;
        }
        let members: usize = c.clusters.iter().map(|k| k.members.len()).sum();
        writeln!(
            out,
            "  clusters     {} ({} in all)",
            group_thousands(c.clusters.len() as u64),
            self.members(members as u64)
        )?;
        if let Some(f) = &c.fragments {
            writeln!(
                out,
                "  blocks       {}: {} within files, {} across files",
                group_thousands(f.blocks.len() as u64),
                group_thousands(f.within_file as u64),
                group_thousands(f.across_files as u64)
            )?;
        }
        if let Some(g) = &c.gate {
            let verdict = if g.failed {
                p.paint("FAILED", Style::new().red().bold())
            } else {
                p.paint("passed", Style::new().green().bold())
            };
            writeln!(
                out,
                "  gate         {verdict}: {} duplicated, limit {}",
                percent(g.duplication),
                percent(g.limit)
            )?;
        }
        self.settings(out)
    }

    /// One dim line with the settings that decide what counts as a pair.
    fn settings(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.c.settings;
        let mut parts = vec![
            format!("min tokens {}", s.min_tokens),
            format!("min similarity {}", percent(s.min_similarity)),
            format!("clusters at {}", percent(s.cluster_similarity)),
            format!("max-df {}", s.max_df),
            format!("k {}, w {}", s.fingerprint.k, s.fingerprint.w),
        ];
        if s.renamed {
            parts.push("renamed copies looked for".into());
        }
        if !s.ignore.is_empty() {
            let base: Vec<String> = s
                .ignore
                .iter()
                .map(|p| crate::terminal_safe(p).into_owned())
                .collect();
            writeln!(
                out,
                "  base code    {} ({} k-grams never count)",
                base.join(", "),
                group_thousands(s.base_kgrams)
            )?;
        }
        writeln!(
            out,
            "  {}",
            self.paint
                .dim(&format!("settings     {}", parts.join(", ")))
        )
    }

    /// What clusters are made of: files, or submissions with `--submissions`.
    fn member_word(&self) -> &'static str {
        if self.c.submissions.is_some() {
            "submissions"
        } else {
            "files"
        }
    }

    fn members(&self, n: u64) -> String {
        if self.c.submissions.is_some() {
            count(n, "submission", "submissions")
        } else {
            count(n, "file", "files")
        }
    }

    fn pairs_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        writeln!(out)?;
        if c.pairs.is_empty() {
            return writeln!(
                out,
                "  no similar pairs ({} verified)",
                count(
                    c.summary.verified_pairs,
                    "candidate pair",
                    "candidate pairs"
                )
            );
        }
        let table = PairsTable::new(self, &c.pairs);
        table.write(out, self)
    }

    fn pair_details(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.c.pairs.is_empty() {
            return Ok(());
        }
        self.section(
            out,
            "regions of each pair",
            "(simile compare A B shows a pair's code)",
        )?;
        for pair in &self.c.pairs {
            self.pair(out, pair)?;
        }
        Ok(())
    }

    fn pair(&self, out: &mut dyn Write, pair: &ClonePair) -> io::Result<()> {
        let p = &self.paint;
        writeln!(
            out,
            "{} {} {} {} {}  {} {}",
            p.dim("--"),
            p.bold(&format!("#{}", pair.rank)),
            self.path(&pair.a),
            p.dim("<->"),
            self.path(&pair.b),
            percent(pair.similarity),
            self.paint.verdict(pair.verdict)
        )?;
        let regions = &pair.comparison.regions;
        let shown = self.shown(regions.len(), MAX_REGIONS);
        let digits = pair
            .comparison
            .a
            .lines
            .max(pair.comparison.b.lines)
            .max(1)
            .to_string()
            .len();
        let w = (digits * 2 + 1).max(7);
        if let Some(l) = &pair.comparison.licenses {
            self.license(out, l)?;
        }
        for r in &regions[..shown] {
            self.region(out, r, w)?;
        }
        self.more(out, regions.len() - shown, "regions")
    }

    /// A pair's licences (`--licenses`): how they changed, then each side's on a line of its
    /// own (an expression and what it rests on do not fit beside each other).
    fn license(&self, out: &mut dyn Write, l: &LicenseComparison) -> io::Result<()> {
        let p = &self.paint;
        let change = match l.change {
            LicenseChange::Same => "same".to_owned(),
            LicenseChange::Changed => p.bold("CHANGED"),
            LicenseChange::Added => "added in B".to_owned(),
            LicenseChange::Removed => p.bold("REMOVED in B"),
            LicenseChange::NoneFound => p.dim("none found"),
        };
        let side = |f: &FileLicense| match shown_license(f) {
            Some((license, basis)) => {
                let basis = basis.map_or_else(String::new, |n| {
                    format!(" {}", p.dim(&format!("({})", terminal_safe(&n))))
                });
                format!("{}{basis}", terminal_safe(license))
            }
            None => p.dim("none identified"),
        };
        let copyright = if l.copyright_changed {
            "; copyright changed"
        } else {
            ""
        };
        writeln!(out, "   {}  {change}{copyright}", p.dim("licence"))?;
        if l.change == LicenseChange::NoneFound {
            // Neither side has a licence to show: "none found" says it all.
            return Ok(());
        }
        writeln!(out, "            A {}", side(&l.a))?;
        writeln!(out, "            B {}", side(&l.b))
    }

    fn region(&self, out: &mut dyn Write, r: &Region, w: usize) -> io::Result<()> {
        let p = &self.paint;
        let kind = format!("{:<9}", kind_word(r.kind));
        let kind = kind.replacen(kind_word(r.kind), &p.kind(r.kind), 1);
        let mut line = format!(
            "  {:>4}  {}  {:<w$}  {:<w$}  {:>7}",
            r.id,
            kind,
            line_range(r.a.lines()),
            line_range(r.b.lines()),
            group_thousands(r.matched_tokens as u64),
        );
        if r.moved {
            line.push_str(&format!("  {}", p.moved("moved")));
        }
        if !r.renames.is_empty() {
            let shown: Vec<String> = r
                .renames
                .iter()
                .take(3)
                .map(|n| format!("{} -> {}", rename_side(&n.a), rename_side(&n.b)))
                .collect();
            let more = if r.renames.len() > 3 { ", ..." } else { "" };
            line.push_str(&format!(
                "  {}",
                p.dim(&format!("{}{more}", shown.join(", ")))
            ));
        }
        writeln!(out, "{line}")
    }

    fn clusters(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        if c.clusters.is_empty() {
            return Ok(());
        }
        self.section(
            out,
            "clusters",
            &format!(
                "{} linked by pairs at least {} similar, largest first",
                self.member_word(),
                percent(c.settings.cluster_similarity)
            ),
        )?;
        let mw = self.member_word().len();
        writeln!(
            out,
            "  {}",
            self.paint.dim(&format!(
                "{:>4}  {:>mw$}  {:>5}  {:>7}  {:>7}  members",
                "#",
                self.member_word(),
                "pairs",
                "max",
                "mean"
            ))
        )?;
        let shown = self.shown(c.clusters.len(), MAX_CLUSTERS);
        for k in &c.clusters[..shown] {
            self.cluster(out, k, mw)?;
        }
        self.more(out, c.clusters.len() - shown, "clusters")
    }

    fn cluster(&self, out: &mut dyn Write, k: &CloneCluster, mw: usize) -> io::Result<()> {
        let members: Vec<String> = k.members.iter().map(|m| self.tagged(m)).collect();
        writeln!(
            out,
            "  {:>4}  {:>mw$}  {:>5}  {:>7}  {:>7}  {}",
            k.id,
            group_thousands(k.members.len() as u64),
            group_thousands(k.pairs as u64),
            percent(k.max_similarity),
            percent(k.mean_similarity),
            members.join(", ")
        )
    }

    fn submissions(&self, out: &mut dyn Write, s: &Submissions) -> io::Result<()> {
        let p = &self.paint;
        self.section(
            out,
            "submission pairs",
            "a token counts once however many file pairs match it",
        )?;
        if s.pairs.is_empty() {
            return writeln!(out, "  no similar submissions");
        }
        let files_width = s
            .pairs
            .iter()
            .map(|sp| file_pairs_cell(sp).chars().count())
            .max()
            .unwrap_or(0)
            .max("file pairs".len());
        writeln!(
            out,
            "  {}",
            p.dim(&format!(
                "{:>4}  {:>10}  {:>6}  {:>6}  {:<files_width$}  A <-> B",
                "#", "similarity", "of A", "of B", "file pairs"
            ))
        )?;
        for sp in &s.pairs {
            writeln!(
                out,
                "  {:>4}  {}  {:>6}  {:>6}  {:<files_width$}  {} {} {}",
                sp.rank,
                p.bold(&format!("{:>10}", percent(sp.similarity))),
                percent(sp.coverage_a),
                percent(sp.coverage_b),
                file_pairs_cell(sp),
                self.path(&sp.a),
                p.dim("<->"),
                self.path(&sp.b)
            )?;
        }
        Ok(())
    }

    fn blocks(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(f) = &self.c.fragments else {
            return Ok(());
        };
        self.section(
            out,
            "duplicated blocks",
            &format!(
                "{} within files, {} across files, longest first",
                group_thousands(f.within_file as u64),
                group_thousands(f.across_files as u64)
            ),
        )?;
        if f.blocks.is_empty() {
            return writeln!(out, "  none");
        }
        let shown = self.shown(f.blocks.len(), MAX_BLOCKS);
        let locations: Vec<(String, String)> = f.blocks[..shown]
            .iter()
            .map(|b| (self.location(&b.a), self.location(&b.b)))
            .collect();
        // Both locations share what the fixed columns leave.
        let fixed = 2 + 4 + 2 + 9 + 2 + 7 + 2;
        let widest = |side: fn(&(String, String)) -> &String| {
            locations
                .iter()
                .map(|l| side(l).chars().count())
                .max()
                .unwrap_or(0)
        };
        let layout = PathLayout::new(
            self.options.width.saturating_sub(fixed + 2),
            widest(|l| &l.0),
            widest(|l| &l.1),
        );
        let header = format!("{:>4}  {:<9}  {:>7}", "#", "kind", "tokens");
        let header = match layout {
            PathLayout::Columns(wa, _) => format!("{header}  {:<wa$}  second copy", "first copy"),
            PathLayout::Stacked => header,
        };
        writeln!(out, "  {}", self.paint.dim(&header))?;
        for (b, (la, lb)) in f.blocks[..shown].iter().zip(&locations) {
            let kind = format!("{:<9}", kind_word(b.kind));
            let kind = kind.replacen(kind_word(b.kind), &self.paint.kind(b.kind), 1);
            let row = format!(
                "  {:>4}  {kind}  {:>7}",
                b.id,
                group_thousands(b.tokens as u64)
            );
            layout.write_row(out, &row, (la.as_str(), lb.as_str()), 8, self.options.width)?;
        }
        self.more(out, f.blocks.len() - shown, "blocks")
    }

    /// `dup/crc.c:15-26`.
    fn location(&self, l: &BlockLocation) -> String {
        format!("{}:{}", self.tagged(&l.path), line_range(l.span.lines()))
    }

    /// The files with the most duplicated code, when duplication is the question (`--fragments`
    /// or a `--fail-over` gate).
    fn duplicated_files(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        if c.fragments.is_none() && c.gate.is_none() {
            return Ok(());
        }
        let files = c.most_duplicated_files();
        self.section(
            out,
            "most duplicated files",
            &format!(
                "{} of {} files have duplicated code",
                group_thousands(files.len() as u64),
                group_thousands(c.files.len() as u64)
            ),
        )?;
        if files.is_empty() {
            return writeln!(out, "  none");
        }
        let shown = self.shown(files.len(), MAX_FILES);
        let lines_width = files[..shown]
            .iter()
            .map(|f| lines_cell(f.duplicated_lines, f.code_lines).len())
            .max()
            .unwrap_or(0)
            .max("lines".len());
        writeln!(
            out,
            "  {}",
            self.paint.dim(&format!(
                "{:>10}  {:>lines_width$}  {:>5}  file",
                "duplicated", "lines", "pairs"
            ))
        )?;
        for f in &files[..shown] {
            writeln!(
                out,
                "  {}  {:>lines_width$}  {:>5}  {}",
                self.paint.bold(&format!("{:>10}", percent(f.duplication))),
                lines_cell(f.duplicated_lines, f.code_lines),
                group_thousands(f.pairs as u64),
                self.tagged(&f.path)
            )?;
        }
        self.more(out, files.len() - shown, "files")
    }

    fn footer(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let p = &self.paint;
        let mut lines = Vec::new();
        if c.skipped.total > 0 {
            let reasons: Vec<String> = c
                .skipped
                .by_reason
                .iter()
                .map(|r| format!("{} {}", group_thousands(r.count), r.reason.as_str()))
                .collect();
            lines.push(p.dim(&format!(
                "skipped {} file(s): {} (--format json lists them)",
                group_thousands(c.skipped.total),
                reasons.join(", ")
            )));
        }
        for w in &c.warnings {
            let path = w
                .path
                .as_deref()
                .map(|path| format!("{}: ", crate::terminal_safe(path)))
                .unwrap_or_default();
            lines.push(format!(
                "{} {path}{}",
                p.paint("warning:", Style::new().yellow().bold()),
                crate::terminal_safe(&w.message)
            ));
        }
        if !lines.is_empty() {
            writeln!(out)?;
        }
        for line in lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The ranked table of pairs, its path columns sized to what the terminal leaves.
struct PairsTable<'a> {
    pairs: &'a [ClonePair],
    /// With `--sort best-match`, a column says of which files each pair is the best match.
    best: bool,
    rank_width: usize,
    tokens_width: usize,
    verdict_width: usize,
    layout: PathLayout,
    a_paths: Vec<String>,
    b_paths: Vec<String>,
}

impl<'a> PairsTable<'a> {
    fn new(view: &ClonesView<'_>, pairs: &'a [ClonePair]) -> Self {
        let a_paths: Vec<String> = pairs.iter().map(|p| view.path(&p.a)).collect();
        let b_paths: Vec<String> = pairs.iter().map(|p| view.path(&p.b)).collect();
        let tokens_width = pairs
            .iter()
            .map(|p| group_thousands(p.matched_tokens.max(p.longest_fragment) as u64).len())
            .max()
            .unwrap_or(0)
            .max("longest".len());
        let verdict_width = pairs
            .iter()
            .map(|p| p.verdict.as_str().len())
            .max()
            .unwrap_or(0)
            .max("verdict".len());
        let rank_width = pairs
            .iter()
            .map(|p| p.rank.to_string().len())
            .max()
            .unwrap_or(1);
        let best = view.c.settings.sort == PairOrder::BestMatch;
        let best_width = if best { 2 + BEST_WIDTH } else { 0 };
        // "  #  similarity  ######  ######  tokens  longest  verdict  " (then "best  ") then A,
        // "  ", B.
        let fixed =
            2 + rank_width + 2 + 10 + 2 + 6 + 2 + 6 + 2 * (2 + tokens_width) + 2 + verdict_width;
        let fixed = fixed + best_width;
        let room = view.options.width.saturating_sub(fixed + 4);
        let widest = |paths: &[String]| paths.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        let layout = PathLayout::new(room, widest(&a_paths), widest(&b_paths));
        PairsTable {
            pairs,
            best,
            rank_width,
            tokens_width,
            verdict_width,
            layout,
            a_paths,
            b_paths,
        }
    }

    fn write(&self, out: &mut dyn Write, view: &ClonesView<'_>) -> io::Result<()> {
        let p = &view.paint;
        let (rw, tw, vw) = (self.rank_width, self.tokens_width, self.verdict_width);
        let mut header = format!(
            "{:>rw$}  {:>10}  {:>6}  {:>6}  {:>tw$}  {:>tw$}  {:<vw$}",
            "#", "similarity", "of A", "of B", "tokens", "longest", "verdict"
        );
        if self.best {
            header = format!("{header}  {:<BEST_WIDTH$}", "best");
        }
        if let PathLayout::Columns(aw, _) = self.layout {
            header = format!("{header}  {:<aw$}  B", "A");
        }
        writeln!(out, "  {}", p.dim(header.trim_end()))?;
        for (i, pair) in self.pairs.iter().enumerate() {
            let verdict = format!("{:<vw$}", pair.verdict.as_str());
            let mut verdict = verdict.replacen(pair.verdict.as_str(), &p.verdict(pair.verdict), 1);
            if self.best {
                verdict = format!("{verdict}  {:<BEST_WIDTH$}", best_word(pair.best_match));
            }
            let row = format!(
                "  {:>rw$}  {}  {:>6}  {:>6}  {:>tw$}  {:>tw$}  {verdict}",
                pair.rank,
                p.bold(&format!("{:>10}", percent(pair.similarity))),
                percent(pair.coverage_a),
                percent(pair.coverage_b),
                group_thousands(pair.matched_tokens as u64),
                group_thousands(pair.longest_fragment as u64),
            );
            let paths = (self.a_paths[i].as_str(), self.b_paths[i].as_str());
            self.layout
                .write_row(out, &row, paths, 2 + rw + 2, view.options.width)?;
        }
        Ok(())
    }
}

/// How a table's two path columns share what its other columns leave: side by side, each cut
/// to its share (in the middle, keeping the first directory and the file name: [`elide_path`]),
/// or, when a share would cut a path to fewer than [`MIN_PATH_COLUMN`] characters, each path on
/// a line of its own under its row, as wide as the terminal. On an 80-column terminal the pairs table
/// left 12 characters a path (`…/zstd_v07.h`, the other side cut to `…/z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathLayout {
    /// Widths of the A and B columns.
    Columns(usize, usize),
    Stacked,
}

/// The narrowest a path column may be before the paths go on lines of their own.
const MIN_PATH_COLUMN: usize = 16;

impl PathLayout {
    /// The layout for two columns whose widest paths are `a` and `b` characters, in `room`.
    fn new(room: usize, a: usize, b: usize) -> PathLayout {
        let (wa, wb) = split_room(room, a, b);
        let cramped = |width: usize, widest: usize| width < widest && width < MIN_PATH_COLUMN;
        if cramped(wa, a) || cramped(wb, b) {
            PathLayout::Stacked
        } else {
            PathLayout::Columns(wa, wb)
        }
    }

    /// Write a table row (its other columns formatted) and its two paths: after it, or on two
    /// lines below it, `A` and `B`, indented by `indent` in a report `width` wide.
    fn write_row(
        self,
        out: &mut dyn Write,
        row: &str,
        (a, b): (&str, &str),
        indent: usize,
        width: usize,
    ) -> io::Result<()> {
        match self {
            PathLayout::Columns(wa, wb) => {
                writeln!(
                    out,
                    "{row}  {:<wa$}  {}",
                    elide_path(a, wa),
                    elide_path(b, wb)
                )
            }
            PathLayout::Stacked => {
                let room = width.saturating_sub(indent + 3).max(MIN_PATH_COLUMN);
                // The row's last column is padded for the paths that no longer follow it.
                writeln!(out, "{}", row.trim_end())?;
                writeln!(out, "{:indent$}A  {}", "", elide_path(a, room))?;
                writeln!(out, "{:indent$}B  {}", "", elide_path(b, room))
            }
        }
    }
}

/// Width of the `best` column of the pairs table.
const BEST_WIDTH: usize = 4;

/// Widths for two columns sharing `room` columns: each gets what it needs when both fit;
/// otherwise the narrower keeps what it needs up to half, the other takes the rest.
fn split_room(room: usize, a: usize, b: usize) -> (usize, usize) {
    if a + b <= room {
        return (a, b);
    }
    let half = room / 2;
    if a <= half {
        (a, room - a)
    } else if b <= half {
        (room - b, b)
    } else {
        (half, room - half)
    }
}

/// One side of a rename, terminal-safe and short: literals can be whole docstrings.
fn rename_side(s: &str) -> String {
    let safe = crate::terminal_safe(s);
    if safe.chars().count() <= 24 {
        safe.into_owned()
    } else {
        let cut: String = safe.chars().take(23).collect();
        format!("{cut}…")
    }
}

/// `1 (#1)`, `3 (#2, #7, ...)`: file pairs between two submissions, and the listed ones.
fn file_pairs_cell(sp: &simile::report::SubmissionPair) -> String {
    let ranks: Vec<String> = sp
        .file_pairs
        .iter()
        .take(3)
        .map(|r| format!("#{r}"))
        .collect();
    if ranks.is_empty() {
        return group_thousands(sp.file_pair_count as u64);
    }
    let more = if sp.file_pairs.len() > 3 { ", ..." } else { "" };
    format!(
        "{} ({}{more})",
        group_thousands(sp.file_pair_count as u64),
        ranks.join(", ")
    )
}

fn lines_cell(duplicated: u32, code: u32) -> String {
    format!(
        "{}/{}",
        group_thousands(duplicated as u64),
        group_thousands(code as u64)
    )
}

#[cfg(test)]
mod tests {
    use super::split_room;

    #[test]
    fn two_columns_share_the_room() {
        assert_eq!(split_room(40, 10, 12), (10, 12));
        assert_eq!(split_room(40, 10, 50), (10, 30));
        assert_eq!(split_room(40, 50, 10), (30, 10));
        assert_eq!(split_room(40, 30, 30), (20, 20));
    }
}
