//! The text view of a comparison: header with the scores, a table of regions, what is only in
//! one file, then every region with its code and line numbers (edited regions as a diff, or
//! both sides in two columns with `side_by_side`, see [`super::side_by_side`]).

use super::Palette;
use crate::util::{group_thousands, kind_word, line_range as lines, percent};
use crate::{RenderOptions, SourceSet};
use owo_colors::Style;
use simile::align::RegionKind;
use simile::align::linediff::LineOpKind;
use simile::report::{Comparison, LineRange, Region};
use std::io::{self, Write};

/// Write the text report of one comparison.
pub fn write(
    out: &mut dyn Write,
    c: &Comparison,
    sources: &SourceSet,
    options: &RenderOptions,
) -> io::Result<()> {
    ComparisonView::new(c, sources, options).write(out)
}

struct ComparisonView<'a> {
    c: &'a Comparison,
    sources: &'a SourceSet,
    options: &'a RenderOptions,
    paint: Palette,
    /// Width of line-number columns.
    digits: usize,
}

impl<'a> ComparisonView<'a> {
    fn new(c: &'a Comparison, sources: &'a SourceSet, options: &'a RenderOptions) -> Self {
        let digits = c.a.lines.max(c.b.lines).max(1).to_string().len();
        ComparisonView {
            c,
            sources,
            options,
            paint: Palette { on: options.color },
            digits,
        }
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        self.header(out)?;
        self.table(out)?;
        self.only_in(out)?;
        self.warnings(out)?;
        super::structure::write(out, self.c, &self.paint, self.options)?;
        for region in &self.c.regions {
            self.region(out, region)?;
        }
        Ok(())
    }

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.c;
        let p = &self.paint;
        let s = &c.scores;
        writeln!(
            out,
            "{} {} {} {}",
            p.bold("simile compare"),
            self.path(&c.a.path),
            p.dim("<->"),
            self.path(&c.b.path)
        )?;
        for (label, f) in [("A", &c.a), ("B", &c.b)] {
            writeln!(
                out,
                "  {}  {}  {}, {} lines, {} tokens",
                p.bold(label),
                self.path(&f.path),
                f.language,
                group_thousands(f.lines as u64),
                group_thousands(f.tokens as u64)
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "  similarity  {}  {}",
            p.bold(&percent(s.similarity)),
            p.bold(c.verdict.as_str())
        )?;
        writeln!(
            out,
            "  coverage    A {}  B {}  ({} tokens matched; {} / {} lines)",
            percent(s.coverage_a),
            percent(s.coverage_b),
            group_thousands(s.matched_tokens as u64),
            group_thousands(s.matched_lines_a as u64),
            group_thousands(s.matched_lines_b as u64)
        )?;
        if let Some(l) = &s.longest_fragment {
            writeln!(
                out,
                "  longest     {} tokens, A {} <-> B {}",
                group_thousands(l.tokens as u64),
                lines(l.a),
                lines(l.b)
            )?;
        }
        let sum = &c.summary;
        writeln!(
            out,
            "  regions     {} identical, {} renamed, {} edited{}",
            sum.identical,
            sum.renamed,
            sum.edited,
            if sum.moved > 0 {
                format!("; {} moved", sum.moved)
            } else {
                String::new()
            }
        )?;
        writeln!(out)
    }

    fn path(&self, path: &str) -> String {
        crate::terminal_safe(path).into_owned()
    }

    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.c.regions.is_empty() {
            return writeln!(out, "  no matched regions\n");
        }
        let p = &self.paint;
        let w = self.digits * 2 + 1;
        writeln!(
            out,
            "  {}",
            p.dim(&format!(
                "{:>4}  {:<9}  {:<w$}  {:<w$}  {:>7}",
                "#", "kind", "A lines", "B lines", "tokens"
            ))
        )?;
        for r in &self.c.regions {
            let kind = format!("{:<9}", kind_word(r.kind));
            let kind = kind.replacen(kind_word(r.kind), &p.kind(r.kind), 1);
            writeln!(
                out,
                "  {:>4}  {}  {:<w$}  {:<w$}  {:>7}{}",
                r.id,
                kind,
                lines(r.a.lines()),
                lines(r.b.lines()),
                group_thousands(r.matched_tokens as u64),
                if r.moved {
                    format!("  {}", p.moved("moved"))
                } else {
                    String::new()
                }
            )?;
        }
        writeln!(out)
    }

    fn only_in(&self, out: &mut dyn Write) -> io::Result<()> {
        for (label, ranges) in [("A", &self.c.only_in_a), ("B", &self.c.only_in_b)] {
            if ranges.is_empty() {
                continue;
            }
            let total: u32 = ranges.iter().map(LineRange::len).sum();
            let mut shown: Vec<String> = ranges.iter().take(20).map(|r| lines(*r)).collect();
            if ranges.len() > 20 {
                shown.push(format!("... ({} more)", ranges.len() - 20));
            }
            let head = format!("  only in {label}: ");
            let tail = format!("  ({total} lines)");
            for line in super::wrapped_list(&head, &shown, &tail, self.options.width) {
                writeln!(out, "{line}")?;
            }
        }
        if !self.c.only_in_a.is_empty() || !self.c.only_in_b.is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }

    fn warnings(&self, out: &mut dyn Write) -> io::Result<()> {
        for w in &self.c.warnings {
            let path = w
                .path
                .as_deref()
                .map(|p| format!("{}: ", self.path(p)))
                .unwrap_or_default();
            // Wrapped, not cut: the end of a warning names the lines it is about.
            let lines = super::wrapped_words(
                "  warning: ",
                &format!("{path}{}", w.message),
                self.options.width,
            );
            let label = self.paint.paint("warning:", Style::new().yellow().bold());
            for (k, line) in lines.iter().enumerate() {
                match k {
                    0 => writeln!(out, "{}", line.replacen("warning:", &label, 1))?,
                    _ => writeln!(out, "{line}")?,
                }
            }
        }
        if !self.c.warnings.is_empty() {
            writeln!(out)?;
        }
        Ok(())
    }

    fn region(&self, out: &mut dyn Write, r: &Region) -> io::Result<()> {
        let p = &self.paint;
        let moved = if r.moved {
            format!(" {}", p.moved("moved"))
        } else {
            String::new()
        };
        let title = format!(
            "region {} {} A {} <-> B {} {} tokens",
            r.id,
            p.kind(r.kind),
            lines(r.a.lines()),
            lines(r.b.lines()),
            group_thousands(r.matched_tokens as u64)
        );
        writeln!(out, "{} {title}{moved}", p.dim("--"))?;
        if !r.renames.is_empty() {
            let mut items: Vec<(String, String)> = r
                .renames
                .iter()
                .take(12)
                .map(|n| {
                    (
                        self.clip(&n.a),
                        format!("-> {} ({})", self.clip(&n.b), n.count),
                    )
                })
                .collect();
            if r.renames.len() > 12 {
                items.push((
                    format!("... ({} more)", r.renames.len() - 12),
                    String::new(),
                ));
            }
            for line in rename_lines("   renames: ", &items, self.options.width) {
                writeln!(out, "{line}")?;
            }
        }
        if self.options.side_by_side {
            super::side_by_side::Columns::new(self.c, self.sources, self.options).region(out, r)?;
        } else if r.kind == RegionKind::Edited && !r.diff.is_empty() {
            self.diff(out, r)?;
        } else {
            self.code_block(out, &self.c.a.path, r.a.lines())?;
        }
        writeln!(out)
    }

    /// Lines of one file, with the middle of long blocks elided.
    fn code_block(&self, out: &mut dyn Write, path: &str, range: LineRange) -> io::Result<()> {
        let ctx = self.options.context.max(1) as u32;
        let n = range.len();
        if self.options.full || n <= 2 * ctx + 1 {
            for l in range.start..=range.end {
                self.code_line(out, ' ', Some(l), None, path, l)?;
            }
            return Ok(());
        }
        for l in range.start..range.start + ctx {
            self.code_line(out, ' ', Some(l), None, path, l)?;
        }
        self.elision(out, n - 2 * ctx)?;
        for l in range.end + 1 - ctx..=range.end {
            self.code_line(out, ' ', Some(l), None, path, l)?;
        }
        Ok(())
    }

    fn elision(&self, out: &mut dyn Write, hidden: u32) -> io::Result<()> {
        let pad = " ".repeat(self.digits * 2 + 1);
        writeln!(
            out,
            " {pad}   {}",
            self.paint.dim(&format!("... {hidden} more line(s)"))
        )
    }

    fn diff(&self, out: &mut dyn Write, r: &Region) -> io::Result<()> {
        let ctx = self.options.context as u32;
        let (a_path, b_path) = (&self.c.a.path, &self.c.b.path);
        let last = r.diff.len() - 1;
        for (i, op) in r.diff.iter().enumerate() {
            match op.op {
                LineOpKind::Equal => {
                    let (Some(a), Some(b)) = (op.a, op.b) else {
                        continue;
                    };
                    self.equal_run(out, a, b, i == 0, i == last, ctx)?;
                }
                LineOpKind::Removed | LineOpKind::Added | LineOpKind::Changed => {
                    if let Some(a) = op.a {
                        for l in a.start..=a.end {
                            self.code_line(out, '-', Some(l), None, a_path, l)?;
                        }
                    }
                    if let Some(b) = op.b {
                        for l in b.start..=b.end {
                            self.code_line(out, '+', None, Some(l), b_path, l)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Unchanged lines inside an edited region: all of them with `full`, else `ctx` lines next
    /// to each change.
    fn equal_run(
        &self,
        out: &mut dyn Write,
        a: LineRange,
        b: LineRange,
        first: bool,
        last: bool,
        ctx: u32,
    ) -> io::Result<()> {
        let n = a.len();
        let head = if first { 0 } else { ctx.min(n) };
        let tail = if last { 0 } else { ctx.min(n - head) };
        let show_all = self.options.full || n <= head + tail + 1;
        let a_path = &self.c.a.path;
        let pair = |k: u32| (a.start + k, (b.start + k).min(b.end));
        if show_all {
            for k in 0..n {
                let (la, lb) = pair(k);
                self.code_line(out, ' ', Some(la), Some(lb), a_path, la)?;
            }
            return Ok(());
        }
        for k in 0..head {
            let (la, lb) = pair(k);
            self.code_line(out, ' ', Some(la), Some(lb), a_path, la)?;
        }
        self.elision(out, n - head - tail)?;
        for k in n - tail..n {
            let (la, lb) = pair(k);
            self.code_line(out, ' ', Some(la), Some(lb), a_path, la)?;
        }
        Ok(())
    }

    fn code_line(
        &self,
        out: &mut dyn Write,
        mark: char,
        a: Option<u32>,
        b: Option<u32>,
        path: &str,
        line: u32,
    ) -> io::Result<()> {
        let num = |n: Option<u32>| {
            n.map_or_else(
                || " ".repeat(self.digits),
                |n| format!("{n:>w$}", w = self.digits),
            )
        };
        let text = self.sources.line(path, line).unwrap_or("");
        let text = self.clip(text);
        let numbers = format!("{} {}", num(a), num(b));
        // No line ends in spaces: an empty line is its gutter and mark alone, an empty
        // unchanged line its line numbers alone.
        let (numbers, body) = match (mark, text.is_empty()) {
            ('-', true) => (&numbers[..], format!(" {}", self.paint.removed("-"))),
            ('+', true) => (&numbers[..], format!(" {}", self.paint.added("+"))),
            ('-', false) => (
                &numbers[..],
                format!(" {}", self.paint.removed(&format!("- {text}"))),
            ),
            ('+', false) => (
                &numbers[..],
                format!(" {}", self.paint.added(&format!("+ {text}"))),
            ),
            (_, true) => (numbers.trim_end(), String::new()),
            (_, false) => (&numbers[..], format!("   {text}")),
        };
        writeln!(out, " {}{body}", self.paint.dim(numbers))
    }

    /// Make a line of file content safe and cut it to the terminal width.
    fn clip(&self, text: &str) -> String {
        let safe = crate::terminal_safe(text);
        let room = self
            .options
            .width
            .saturating_sub(self.digits * 2 + 6)
            .max(20);
        if safe.chars().count() <= room {
            safe.into_owned()
        } else {
            let cut: String = safe.chars().take(room - 1).collect();
            format!("{cut}…")
        }
    }
}

/// A region's renames, `(old, "-> new (count)")`, after `head` and wrapped at `width` between
/// renames, continuation lines under the first. A rename longer than a line breaks before its
/// arrow, its two halves on lines of their own: on one line, a region's renames ran far past
/// the width, and a half sharing a line with the renames around it read as another rename.
fn rename_lines(head: &str, items: &[(String, String)], width: usize) -> Vec<String> {
    let indent = " ".repeat(head.chars().count());
    let room = width.saturating_sub(indent.len());
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let flush = |line: &mut String, lines: &mut Vec<String>| {
        if !line.is_empty() {
            let lead = if lines.is_empty() { head } else { &indent };
            lines.push(format!("{lead}{}", std::mem::take(line)));
        }
    };
    for (k, (old, new)) in items.iter().enumerate() {
        let comma = if k + 1 < items.len() { "," } else { "" };
        let whole = if new.is_empty() {
            format!("{old}{comma}")
        } else {
            format!("{old} {new}{comma}")
        };
        let n = whole.chars().count();
        if n > room {
            flush(&mut line, &mut lines);
            line.push_str(old);
            flush(&mut line, &mut lines);
            line = format!("{new}{comma}");
            flush(&mut line, &mut lines);
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + n > room {
            flush(&mut line, &mut lines);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&whole);
    }
    flush(&mut line, &mut lines);
    lines
}

#[cfg(test)]
mod tests {
    use super::rename_lines;

    fn rename(old: &str, new: &str, count: u32) -> (String, String) {
        (old.to_owned(), format!("-> {new} ({count})"))
    }

    #[test]
    fn renames_wrap_between_renames_and_a_long_one_breaks_before_its_arrow() {
        let items = [
            rename("n", "count", 3),
            rename("buf", "buffer", 2),
            rename(
                "ZSTD_compressBlock_generic",
                "ZSTD_compressBlock_noDict_generic",
                1,
            ),
            rename("i", "j", 4),
            ("... (2 more)".to_owned(), String::new()),
        ];
        // Wide enough: one line.
        assert_eq!(
            rename_lines("   renames: ", &items, 200),
            ["   renames: n -> count (3), buf -> buffer (2), \
              ZSTD_compressBlock_generic -> ZSTD_compressBlock_noDict_generic (1), \
              i -> j (4), ... (2 more)"]
        );
        // 50 columns: short renames share lines; the long one's halves get lines of their
        // own, never shared with another rename.
        assert_eq!(
            rename_lines("   renames: ", &items, 50),
            [
                "   renames: n -> count (3), buf -> buffer (2),",
                "            ZSTD_compressBlock_generic",
                "            -> ZSTD_compressBlock_noDict_generic (1),",
                "            i -> j (4), ... (2 more)",
            ]
        );
    }
}
