//! A region in two columns: A on the left, B on the right, rows paired the way the region
//! pairs them, sized to the terminal width.
//!
//! Rows of an edited region follow its line diff: equal lines side by side, changed lines next
//! to their replacement, removed lines with an empty right cell, added lines with an empty left
//! cell. The sides of identical and renamed regions hold the same tokens but may be formatted
//! differently, so their lines are paired by position (the report has no finer mapping). The
//! mark between the columns says what a row is, as `sdiff` does: `|` changed, `<` only in A,
//! `>` only in B.

use super::Palette;
use crate::{RenderOptions, SourceSet};
use simile::align::RegionKind;
use simile::align::linediff::LineOpKind;
use simile::report::{Comparison, LineRange, Region};
use std::io::{self, Write};

/// One row: a line of A and/or a line of B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Pair(Option<u32>, Option<u32>, Mark),
    /// `n` rows left out.
    Elided(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Same,
    Changed,
    OnlyA,
    OnlyB,
}

/// Two-column layout of regions of one comparison.
pub struct Columns<'a> {
    c: &'a Comparison,
    sources: &'a SourceSet,
    options: &'a RenderOptions,
    paint: Palette,
    /// Width of a line-number cell.
    digits: usize,
    /// Width of a code cell, in characters.
    cell: usize,
}

impl<'a> Columns<'a> {
    /// The layout for `c` at `options.width` columns.
    pub fn new(c: &'a Comparison, sources: &'a SourceSet, options: &'a RenderOptions) -> Self {
        let digits = c.a.lines.max(c.b.lines).max(1).to_string().len();
        // " NNN code | NNN code": two numbers, two spaces after them, " x " between the halves.
        let chrome = 2 * digits + 2 + 3 + 1;
        let cell = (options.width.saturating_sub(chrome) / 2).max(16);
        Columns {
            c,
            sources,
            options,
            paint: Palette { on: options.color },
            digits,
            cell,
        }
    }

    /// Write the rows of region `r` (its title is written by the caller).
    pub fn region(&self, out: &mut dyn Write, r: &Region) -> io::Result<()> {
        let rows = if r.kind == RegionKind::Edited && !r.diff.is_empty() {
            self.diff_rows(r)
        } else {
            self.positional_rows(r.a.lines(), r.b.lines())
        };
        for row in rows {
            self.row(out, row)?;
        }
        Ok(())
    }

    fn context(&self) -> u32 {
        self.options.context.max(1) as u32
    }

    /// Lines paired by position; the middle of long regions is elided.
    fn positional_rows(&self, a: LineRange, b: LineRange) -> Vec<Row> {
        let n = a.len().max(b.len());
        let at = |k: u32| {
            let la = (k < a.len()).then_some(a.start + k);
            let lb = (k < b.len()).then_some(b.start + k);
            let mark = match (la, lb) {
                (Some(_), None) => Mark::OnlyA,
                (None, Some(_)) => Mark::OnlyB,
                _ => Mark::Same,
            };
            Row::Pair(la, lb, mark)
        };
        let ctx = self.context();
        if self.options.full || n <= 2 * ctx + 1 {
            return (0..n).map(at).collect();
        }
        let mut rows: Vec<Row> = (0..ctx).map(at).collect();
        rows.push(Row::Elided(n - 2 * ctx));
        rows.extend((n - ctx..n).map(at));
        rows
    }

    /// Rows of an edited region, from its line diff; long equal runs keep `context` lines next
    /// to each change.
    fn diff_rows(&self, r: &Region) -> Vec<Row> {
        let ctx = self.context();
        let mut rows = Vec::new();
        let last = r.diff.len() - 1;
        for (i, hunk) in r.diff.iter().enumerate() {
            match (hunk.op, hunk.a, hunk.b) {
                (LineOpKind::Equal, Some(a), Some(b)) => {
                    let n = a.len();
                    let pair = |k: u32| {
                        Row::Pair(
                            Some(a.start + k),
                            Some((b.start + k).min(b.end)),
                            Mark::Same,
                        )
                    };
                    let head = if i == 0 { 0 } else { ctx.min(n) };
                    let tail = if i == last { 0 } else { ctx.min(n - head) };
                    if self.options.full || n <= head + tail + 1 {
                        rows.extend((0..n).map(pair));
                    } else {
                        rows.extend((0..head).map(pair));
                        rows.push(Row::Elided(n - head - tail));
                        rows.extend((n - tail..n).map(pair));
                    }
                }
                (_, a, b) => {
                    let na = a.map_or(0, |r| r.len());
                    let nb = b.map_or(0, |r| r.len());
                    for k in 0..na.max(nb) {
                        let la = a.filter(|_| k < na).map(|r| r.start + k);
                        let lb = b.filter(|_| k < nb).map(|r| r.start + k);
                        let mark = match (la, lb) {
                            (Some(_), Some(_)) => Mark::Changed,
                            (Some(_), None) => Mark::OnlyA,
                            _ => Mark::OnlyB,
                        };
                        rows.push(Row::Pair(la, lb, mark));
                    }
                }
            }
        }
        rows
    }

    fn row(&self, out: &mut dyn Write, row: Row) -> io::Result<()> {
        let p = &self.paint;
        let (la, lb, mark) = match row {
            Row::Elided(n) => {
                let pad = " ".repeat(self.digits);
                return writeln!(out, " {pad}  {}", p.dim(&format!("... {n} more line(s)")));
            }
            Row::Pair(la, lb, mark) => (la, lb, mark),
        };
        let left = self.cell_text(&self.c.a.path, la);
        let right = self.cell_text(&self.c.b.path, lb);
        let (left, right, sign) = match mark {
            Mark::Same => (left, right, " ".to_string()),
            Mark::Changed => (p.removed(&left), p.added(&right), p.dim("|")),
            Mark::OnlyA => (p.removed(&left), right, p.removed("<")),
            Mark::OnlyB => (left, p.added(&right), p.added(">")),
        };
        let num = |n: Option<u32>| {
            let s = n.map_or_else(
                || " ".repeat(self.digits),
                |n| format!("{n:>w$}", w = self.digits),
            );
            p.dim(&s)
        };
        let line = format!(" {} {left} {sign} {} {right}", num(la), num(lb));
        writeln!(out, "{}", line.trim_end())
    }

    /// The code of `line` made terminal-safe, cut or padded to exactly the cell width.
    fn cell_text(&self, path: &str, line: Option<u32>) -> String {
        let text = line.and_then(|l| self.sources.line(path, l)).unwrap_or("");
        let safe = crate::terminal_safe(text);
        let count = safe.chars().count();
        if count > self.cell {
            let mut cut: String = safe.chars().take(self.cell - 1).collect();
            cut.push('…');
            cut
        } else {
            format!("{safe}{}", " ".repeat(self.cell - count))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simile::{AlignConfig, SourceFile, compare};

    fn columns_of(a: &str, b: &str, width: usize) -> String {
        let fa = SourceFile::from_text("a.c", a, None);
        let fb = SourceFile::from_text("b.c", b, None);
        let cfg = AlignConfig {
            min_region_tokens: 5,
            ..AlignConfig::default()
        };
        let c = compare(&fa, &fb, &cfg);
        let sources = SourceSet::from_files([fa, fb]);
        let options = RenderOptions {
            width,
            full: true,
            side_by_side: true,
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        let cols = Columns::new(&c, &sources, &options);
        for r in &c.regions {
            cols.region(&mut out, r).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_fit_the_width_and_pair_changed_lines() {
        let body = |middle: &str| {
            let mut s = String::from("int f(int x, int z) {\n");
            for i in 0..8 {
                s.push_str(&format!("  x = x * {i} + z - {i};\n"));
            }
            s.push_str(middle);
            for i in 0..8 {
                s.push_str(&format!("  z = z + x * {i} - {i};\n"));
            }
            s.push_str("  return x + z;\n}\n");
            s
        };
        let a = body("  y = y * 3;\n");
        let b = body("  y = y * 7 + compute(y, 1, 2, 3);\n");
        let (a, b) = (a.as_str(), b.as_str());
        let out = columns_of(a, b, 60);
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "{line:?} is wider than 60");
        }
        let changed = out
            .lines()
            .find(|l| l.contains(" | "))
            .unwrap_or_else(|| panic!("no changed row in\n{out}"));
        assert!(changed.contains("y = y * 3;"), "{out}");
        assert!(changed.contains("y = y * 7 + comp"), "{out}");
        assert!(out.contains("return x + z;"), "{out}");
    }
}
