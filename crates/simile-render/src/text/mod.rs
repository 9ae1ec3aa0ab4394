//! The terminal report. One file per report kind: [`comparison`] for `compare` (and the
//! comparison part of other commands).
//!
//! Long regions are summarised (their first and last `context` lines) unless `full` is set, so a
//! comparison of two 250,000-line files stays readable. Every piece of file content (code and
//! paths) passes through [`terminal_safe`](crate::terminal_safe) and lines are cut to the
//! terminal width.

pub mod comparison;
pub mod structure;

use crate::{Document, RenderOptions};
use owo_colors::{OwoColorize, Style};
use simile::align::RegionKind;
use simile::report::ReportBody;
use std::io::{self, Write};

/// Write the text report.
pub fn render(doc: &Document<'_>, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            comparison::write(out, comparison, doc.sources, options)
        }
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
