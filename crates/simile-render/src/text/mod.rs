//! The terminal report. One file per report kind: [`comparison`] for `compare` (and the
//! comparison part of other commands), [`find`] for `find`, [`clones`] for `clones`;
//! [`side_by_side`] lays a region's two sides out in columns for `--side-by-side`.
//!
//! Long regions are summarised (their first and last `context` lines) unless `full` is set, so a
//! comparison of two 250,000-line files stays readable. Every piece of file content (code and
//! paths) passes through [`terminal_safe`](crate::terminal_safe) and lines are cut to the
//! terminal width.

pub mod clones;
pub mod comparison;
pub mod find;
pub mod side_by_side;
pub mod structure;

use crate::{Document, RenderOptions};
use owo_colors::{OwoColorize, Style};
use simile::align::RegionKind;
use simile::report::{ReportBody, Verdict};
use std::io::{self, Write};

/// Write the text report.
pub fn render(doc: &Document<'_>, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            comparison::write(out, comparison, doc.sources, options)
        }
        ReportBody::Clones { clones } => clones::write(out, clones, options),
        ReportBody::Find { find } => find::write(out, find, doc.sources, options),
    }
}

/// Colours, or none.
pub(crate) struct Palette {
    pub on: bool,
}

impl Palette {
    pub fn paint(&self, text: &str, style: Style) -> String {
        if self.on {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }
    pub fn bold(&self, t: &str) -> String {
        self.paint(t, Style::new().bold())
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint(t, Style::new().dimmed())
    }
    pub fn kind(&self, kind: RegionKind) -> String {
        let (word, style) = match kind {
            RegionKind::Identical => ("identical", Style::new().green()),
            RegionKind::Renamed => ("renamed", Style::new().cyan()),
            RegionKind::Edited => ("edited", Style::new().yellow()),
        };
        self.paint(word, style)
    }
    /// A verdict, coloured by how strong it is.
    pub fn verdict(&self, v: Verdict) -> String {
        let style = match v {
            Verdict::Identical | Verdict::NearIdentical => Style::new().green().bold(),
            Verdict::Derived => Style::new().yellow().bold(),
            Verdict::SharesFragments => Style::new().cyan(),
            Verdict::Unrelated => Style::new().dimmed(),
        };
        self.paint(v.as_str(), style)
    }
    pub fn removed(&self, t: &str) -> String {
        self.paint(t, Style::new().red())
    }
    pub fn added(&self, t: &str) -> String {
        self.paint(t, Style::new().green())
    }
    pub fn moved(&self, t: &str) -> String {
        self.paint(t, Style::new().magenta().bold())
    }
}

/// A writer that cuts every line to `width` visible characters (ending it with `…`), leaving
/// colour escape sequences whole: for sections whose content has no natural width.
pub(crate) struct FitWidth<'a> {
    out: &'a mut dyn Write,
    width: usize,
    line: Vec<u8>,
}

impl<'a> FitWidth<'a> {
    pub(crate) fn new(out: &'a mut dyn Write, width: usize) -> Self {
        FitWidth {
            out,
            width: width.max(20),
            line: Vec::new(),
        }
    }

    fn emit_line(&mut self) -> io::Result<()> {
        // Most lines fit: no more bytes than columns (so no more characters) and no colour.
        // They go out as they are instead of being rebuilt character by character (an eighth of
        // the instructions of writing the text report of `clones` on zstd).
        let fits = self.line.len() <= self.width && !self.line.contains(&0x1b);
        if fits && std::str::from_utf8(&self.line).is_ok() {
            self.out.write_all(&self.line)?;
        } else {
            let text = String::from_utf8_lossy(&self.line);
            self.out
                .write_all(fit_visible(&text, self.width).as_bytes())?;
        }
        self.line.clear();
        Ok(())
    }
}

impl Write for FitWidth<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.line.extend_from_slice(first);
        }
        for line in lines {
            self.emit_line()?;
            self.out.write_all(b"\n")?;
            self.line.extend_from_slice(line);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.emit_line()?;
        }
        self.out.flush()
    }
}

/// `head`, then `items` joined by `, `, then `tail`, as lines of at most `width` characters
/// where that can be: an item is never split, continuation lines are indented under the first
/// item, and `tail` goes on a line of its own when the last has no room for it. For lists with
/// no natural length (the line ranges only one side has): written on one line, they ran past
/// the width and the terminal broke them inside a range; cut, they would hide their total.
pub(crate) fn wrapped_list(head: &str, items: &[String], tail: &str, width: usize) -> Vec<String> {
    wrapped(head, items, ",", tail, width)
}

/// `head` then `text`, wrapped between words at `width` as [`wrapped_list`] wraps items: for
/// messages that name files and lines (a warning), which a cut would hide the end of.
pub(crate) fn wrapped_words(head: &str, text: &str, width: usize) -> Vec<String> {
    let words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    wrapped(head, &words, "", "", width)
}

/// [`wrapped_list`] with `joiner` after every item but the last.
fn wrapped(head: &str, items: &[String], joiner: &str, tail: &str, width: usize) -> Vec<String> {
    let indent = head.chars().count();
    let mut lines = Vec::new();
    let mut line = head.to_owned();
    let mut len = indent;
    for (k, item) in items.iter().enumerate() {
        let piece = if k + 1 < items.len() {
            format!("{item}{joiner}")
        } else {
            item.clone()
        };
        let n = piece.chars().count();
        let first_on_line = len == indent;
        if !first_on_line && len + 1 + n > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            len = indent;
        }
        if len > indent {
            line.push(' ');
            len += 1;
        }
        line.push_str(&piece);
        len += n;
    }
    let tail_apart = !tail.trim().is_empty() && len > indent;
    if tail_apart && len + tail.chars().count() > width {
        lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
        line.push_str(tail.trim_start());
    } else {
        line.push_str(tail);
    }
    lines.push(line);
    lines
}

/// `line` cut to `width` visible characters; SGR escape sequences (`ESC [ ... m`, which only our
/// own palette writes: file content is made terminal-safe first) do not count, and a reset is
/// added after a cut so colour never bleeds.
fn fit_visible(line: &str, width: usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut visible = 0;
    let mut chars = line.chars().peekable();
    let mut cut = false;
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            out.push(c);
            for e in chars.by_ref() {
                out.push(e);
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        if visible + 1 == width && chars.peek().is_some() && !cut {
            // One column left and more to come: end with an ellipsis.
            let rest_visible = chars.clone().filter(|&c| c != '\x1b').count();
            if rest_visible > 0 {
                out.push('…');
                cut = true;
                visible += 1;
                continue;
            }
        }
        if cut || visible >= width {
            cut = true;
            continue;
        }
        out.push(c);
        visible += 1;
    }
    if cut && line.contains('\x1b') {
        out.push_str("\x1b[0m");
    }
    out
}

#[cfg(test)]
mod fit_tests {
    use super::{FitWidth, fit_visible, wrapped_list, wrapped_words};
    use std::io::Write;

    #[test]
    fn lists_wrap_between_items_under_their_first() {
        let items: Vec<String> = ["11-12", "68", "80-139", "171-175", "183"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let one = wrapped_list("  only in A: ", &items, "  (75 lines)", 80);
        assert_eq!(
            one,
            ["  only in A: 11-12, 68, 80-139, 171-175, 183  (75 lines)"]
        );
        let wrapped = wrapped_list("  only in A: ", &items, "  (75 lines)", 30);
        assert_eq!(
            wrapped,
            [
                "  only in A: 11-12, 68,",
                "             80-139, 171-175,",
                "             183  (75 lines)",
            ]
        );
        // No room for the tail: a line of its own.
        let tail_apart = wrapped_list("  only in A: ", &items[..1], "  (2 lines)", 22);
        assert_eq!(tail_apart, ["  only in A: 11-12", "             (2 lines)"]);
        // Words, as a warning's are.
        let words = wrapped_words(
            "  warning: ",
            "a.c: could not parse 4 places (lines 1-2, 9)",
            28,
        );
        assert_eq!(
            words,
            [
                "  warning: a.c: could not",
                "           parse 4 places",
                "           (lines 1-2, 9)",
            ]
        );
        // An item wider than the width is not split.
        let wide = vec!["1-2".to_string(), "x".repeat(40)];
        let lines = wrapped_list("> ", &wide, "", 20);
        assert_eq!(
            lines,
            ["> 1-2,".to_string(), format!("  {}", "x".repeat(40))]
        );
    }

    #[test]
    fn every_line_written_in_pieces_is_cut_as_a_whole() {
        // Lines that fit (plain, and with wide characters that are more bytes than columns),
        // too long, coloured, and empty, written in pieces that split lines and characters.
        let lines = [
            "short",
            "exactly twenty chars",
            "a line far longer than the twenty columns",
            "ééééééééééééééé",
            "\x1b[1mbold\x1b[0m",
            "",
            "last, with no newline after it",
        ];
        let text = lines.join("\n");
        let mut written = Vec::new();
        {
            let mut out = FitWidth::new(&mut written, 20);
            for piece in text.as_bytes().chunks(7) {
                out.write_all(piece).unwrap();
            }
            out.flush().unwrap();
        }
        let expected: Vec<String> = lines.iter().map(|l| fit_visible(l, 20)).collect();
        assert_eq!(String::from_utf8(written).unwrap(), expected.join("\n"));
        assert_eq!(expected[1], "exactly twenty chars");
        assert_eq!(expected[2], "a line far longer t…");
    }

    #[test]
    fn cuts_visible_characters_only() {
        assert_eq!(fit_visible("abcdef", 4), "abc…");
        assert_eq!(fit_visible("abcd", 4), "abcd");
        let coloured = "\x1b[1mabcdef\x1b[0m";
        let fitted = fit_visible(coloured, 4);
        assert_eq!(fitted, "\x1b[1mabc…\x1b[0m\x1b[0m");
        assert_eq!(fit_visible("\x1b[2mab\x1b[0m", 4), "\x1b[2mab\x1b[0m");
    }
}
