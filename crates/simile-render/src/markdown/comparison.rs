//! The Markdown of one comparison: a summary line, the files, a table of regions, what is only
//! on one side, the function-level mapping, the renamed identifiers, each side's licence, then
//! a collapsible `diff` block per edited region.

use super::{MAX_DIFFS, code_line, code_span, escape_text, fence_for, structure};
use crate::util::{group_thousands, kind_word, line_range, percent};
use crate::{RenderOptions, SourceSet};
use simile::align::RegionKind;
use simile::align::linediff::LineOpKind;
use simile::report::{Comparison, LineRange, Region};
use std::io::{self, Write};

/// Write one comparison with its title at heading `level` (2 = `##`), so a report that holds
/// several comparisons can nest them.
pub fn write_comparison(
    out: &mut dyn Write,
    c: &Comparison,
    sources: &SourceSet,
    options: &RenderOptions,
    level: usize,
) -> io::Result<()> {
    let h = "#".repeat(level);
    writeln!(
        out,
        "{h} simile: {} ↔ {}\n",
        code_span(&c.a.path, false),
        code_span(&c.b.path, false)
    )?;
    summary(out, c)?;
    files(out, c)?;
    regions_table(out, c)?;
    only_in(out, c)?;
    if let Some(units) = &c.units {
        structure::units(out, units, options.full)?;
    }
    structure::renames(out, &c.renames, options.full)?;
    if let Some(licenses) = &c.licenses {
        structure::licenses(out, licenses)?;
    }
    warnings(out, c)?;
    edited_diffs(out, c, sources, options, level + 1)
}

fn summary(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    let s = &c.scores;
    writeln!(
        out,
        "**Similarity {}** · **{}** · coverage A {}, B {} · {} tokens matched\n",
        percent(s.similarity),
        c.verdict.as_str(),
        percent(s.coverage_a),
        percent(s.coverage_b),
        group_thousands(s.matched_tokens as u64)
    )
}

fn files(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    writeln!(out, "| | file | language | lines | tokens |")?;
    writeln!(out, "|---|---|---|---:|---:|")?;
    for (label, f) in [("A", &c.a), ("B", &c.b)] {
        writeln!(
            out,
            "| {label} | {} | {} | {} | {} |",
            code_span(&f.path, true),
            f.language,
            group_thousands(f.lines as u64),
            group_thousands(f.tokens as u64)
        )?;
    }
    writeln!(out)
}

fn regions_table(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    let sum = &c.summary;
    let moved = if sum.moved > 0 {
        format!("; {} moved", sum.moved)
    } else {
        String::new()
    };
    write!(
        out,
        "**Regions:** {} identical, {} renamed, {} edited{moved}.",
        sum.identical, sum.renamed, sum.edited
    )?;
    if let Some(l) = &c.scores.longest_fragment {
        write!(
            out,
            " Longest fragment: {} tokens (A {} ↔ B {}).",
            group_thousands(l.tokens as u64),
            line_range(l.a),
            line_range(l.b)
        )?;
    }
    writeln!(out, "\n")?;
    if c.regions.is_empty() {
        return writeln!(out, "No matched regions.\n");
    }
    writeln!(out, "| # | kind | A lines | B lines | tokens | notes |")?;
    writeln!(out, "|---:|---|---|---|---:|---|")?;
    for r in &c.regions {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.id,
            kind_word(r.kind),
            line_range(r.a.lines()),
            line_range(r.b.lines()),
            group_thousands(r.matched_tokens as u64),
            notes(r)
        )?;
    }
    writeln!(out)
}

/// "moved; renames `a` → `b`, ..." for the table's last column.
fn notes(r: &Region) -> String {
    let mut notes = Vec::new();
    if r.moved {
        notes.push("moved".to_string());
    }
    if !r.renames.is_empty() {
        let shown: Vec<String> = r
            .renames
            .iter()
            .take(4)
            .map(|n| format!("{} → {}", code_span(&n.a, true), code_span(&n.b, true)))
            .collect();
        let more = if r.renames.len() > 4 {
            format!(" and {} more", r.renames.len() - 4)
        } else {
            String::new()
        };
        notes.push(format!("renames {}{more}", shown.join(", ")));
    }
    notes.join("; ")
}

fn only_in(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    let mut any = false;
    for (label, ranges) in [("A", &c.only_in_a), ("B", &c.only_in_b)] {
        if ranges.is_empty() {
            continue;
        }
        any = true;
        let total: u32 = ranges.iter().map(LineRange::len).sum();
        let shown: Vec<String> = ranges.iter().take(20).map(|r| line_range(*r)).collect();
        let more = if ranges.len() > 20 {
            format!(", … ({} more)", ranges.len() - 20)
        } else {
            String::new()
        };
        writeln!(
            out,
            "- Only in {label}: lines {}{more} ({} lines)",
            shown.join(", "),
            group_thousands(total as u64)
        )?;
    }
    if any {
        writeln!(out)?;
    }
    Ok(())
}

fn warnings(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    for w in &c.warnings {
        let path = w
            .path
            .as_deref()
            .map(|p| format!("{}: ", code_span(p, false)))
            .unwrap_or_default();
        writeln!(out, "> **Warning:** {path}{}\n", escape_text(&w.message))?;
    }
    Ok(())
}

fn edited_diffs(
    out: &mut dyn Write,
    c: &Comparison,
    sources: &SourceSet,
    options: &RenderOptions,
    level: usize,
) -> io::Result<()> {
    let edited: Vec<&Region> = c
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Edited && !r.diff.is_empty())
        .collect();
    if edited.is_empty() {
        return Ok(());
    }
    writeln!(out, "{} Edited regions\n", "#".repeat(level))?;
    let shown = if options.full {
        edited.len()
    } else {
        edited.len().min(MAX_DIFFS)
    };
    for r in &edited[..shown] {
        let moved = if r.moved { ", moved" } else { "" };
        writeln!(
            out,
            "<details><summary>Region {}: A {} ↔ B {}{moved}</summary>\n",
            r.id,
            line_range(r.a.lines()),
            line_range(r.b.lines())
        )?;
        let body = diff_lines(c, r, sources, options.context as u32);
        let fence = fence_for(&body);
        writeln!(out, "{fence}diff\n{body}{fence}\n\n</details>\n")?;
    }
    if shown < edited.len() {
        writeln!(
            out,
            "{} more edited region(s) not shown; `--full` shows all.\n",
            edited.len() - shown
        )?;
    }
    Ok(())
}

/// The `diff` block of an edited region: `-`/`+` lines, equal lines as context, long equal
/// runs cut to `ctx` lines next to each change.
fn diff_lines(c: &Comparison, r: &Region, sources: &SourceSet, ctx: u32) -> String {
    let mut s = String::new();
    let line = |s: &mut String, mark: char, path: &str, n: u32| {
        s.push(mark);
        s.push_str(&code_line(sources.line(path, n).unwrap_or("")));
        s.push('\n');
    };
    let last = r.diff.len() - 1;
    for (i, hunk) in r.diff.iter().enumerate() {
        match (hunk.op, hunk.a, hunk.b) {
            (LineOpKind::Equal, Some(a), _) => {
                let n = a.len();
                let head = if i == 0 { 0 } else { ctx.min(n) };
                let tail = if i == last { 0 } else { ctx.min(n - head) };
                if n <= head + tail + 1 {
                    (a.start..=a.end).for_each(|l| line(&mut s, ' ', &c.a.path, l));
                } else {
                    (a.start..a.start + head).for_each(|l| line(&mut s, ' ', &c.a.path, l));
                    s.push_str(&format!("@@ {} unchanged line(s) @@\n", n - head - tail));
                    (a.end + 1 - tail..=a.end).for_each(|l| line(&mut s, ' ', &c.a.path, l));
                }
            }
            (_, a, b) => {
                if let Some(a) = a {
                    (a.start..=a.end).for_each(|l| line(&mut s, '-', &c.a.path, l));
                }
                if let Some(b) = b {
                    (b.start..=b.end).for_each(|l| line(&mut s, '+', &c.b.path, l));
                }
            }
        }
    }
    s
}
