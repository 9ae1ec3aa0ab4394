//! The structure and licence sections of the text report: units (what happened to each
//! function and type), the identifier rename map, and the licences and copyright statements.
//!
//! Identical units are counted, not listed (unless `full`); the other units are grouped by
//! what happened to them, most telling first (renamed, removed, added, moved, modified,
//! renamed-only), and long lists are cut to [`MAX_LISTED`] entries unless `full` is set.

use super::Palette;
use crate::RenderOptions;
use owo_colors::Style;
use simile::report::{
    BodyChange, Comparison, FileLicense, IdentifierRename, LicenseChange, LicenseComparison,
    LineRange, RenameScope, UnitInfo, UnitMapping, UnitMatch, UnitStatus,
};
use std::io::{self, Write};

/// Entries listed per section unless `full`.
pub const MAX_LISTED: usize = 40;

/// Write the units, renames and licences sections (each only when the comparison has it).
pub(crate) fn write(
    out: &mut dyn Write,
    c: &Comparison,
    paint: &Palette,
    options: &RenderOptions,
) -> io::Result<()> {
    let view = View { paint, options };
    // Every line of these sections is cut to the terminal width: names, rename lists and
    // licence evidence have no natural bound.
    let mut out = super::FitWidth::new(out, options.width);
    if let Some(units) = &c.units {
        view.units(&mut out, units)?;
    }
    if !c.renames.is_empty() {
        view.renames(&mut out, &c.renames)?;
    }
    if let Some(licenses) = &c.licenses {
        view.licenses(&mut out, licenses)?;
    }
    out.flush()
}

struct View<'a> {
    paint: &'a Palette,
    options: &'a RenderOptions,
}

fn lines(r: LineRange) -> String {
    if r.start == r.end {
        r.start.to_string()
    } else {
        format!("{}-{}", r.start, r.end)
    }
}

fn safe(s: &str) -> String {
    crate::terminal_safe(s).into_owned()
}

/// Cut `s` to `width` characters, with an ellipsis.
fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Order of the groups in the listing.
fn rank(status: UnitStatus) -> u8 {
    match status {
        UnitStatus::Renamed => 0,
        UnitStatus::Removed => 1,
        UnitStatus::Added => 2,
        UnitStatus::Moved => 3,
        UnitStatus::Modified => 4,
        UnitStatus::RenamedOnly => 5,
        UnitStatus::Identical => 6,
    }
}

impl View<'_> {
    fn status(&self, status: UnitStatus) -> String {
        let style = match status {
            UnitStatus::Identical => Style::new().green(),
            UnitStatus::RenamedOnly | UnitStatus::Renamed => Style::new().cyan(),
            UnitStatus::Modified => Style::new().yellow(),
            UnitStatus::Moved => Style::new().magenta().bold(),
            UnitStatus::Removed => Style::new().red(),
            UnitStatus::Added => Style::new().green(),
        };
        let word = format!("{:<12}", status.as_str());
        word.replacen(
            status.as_str(),
            &self.paint.paint(status.as_str(), style),
            1,
        )
    }

    fn units(&self, out: &mut dyn Write, m: &UnitMapping) -> io::Result<()> {
        let p = self.paint;
        let parse = |u: &simile::report::UnitParse| {
            let heuristic = if u.heuristic_units > 0 {
                format!(", {} by heuristic", u.heuristic_units)
            } else {
                String::new()
            };
            format!("{} ({}{heuristic})", u.units, u.parser)
        };
        writeln!(
            out,
            "  {}       A {}  B {}",
            p.bold("units"),
            parse(&m.a),
            parse(&m.b)
        )?;
        let s = &m.summary;
        let counts = [
            (s.identical, "identical"),
            (s.renamed_only, "renamed-only"),
            (s.modified, "modified"),
            (s.renamed, "renamed"),
            (s.moved, "moved"),
            (s.removed, "removed"),
            (s.added, "added"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
        if parts.is_empty() {
            writeln!(out, "              no units on either side")?;
        } else {
            writeln!(out, "              {}", parts.join(", "))?;
        }
        let mut listed: Vec<&UnitMatch> = m
            .units
            .iter()
            .filter(|u| self.options.full || u.status != UnitStatus::Identical)
            .collect();
        listed.sort_by_key(|u| rank(u.status));
        if listed.is_empty() {
            return writeln!(out);
        }
        writeln!(out)?;
        let shown = if self.options.full {
            listed.len()
        } else {
            listed.len().min(MAX_LISTED)
        };
        let name_width = listed[..shown]
            .iter()
            .map(|u| self.name(u).chars().count())
            .max()
            .unwrap_or(0)
            .min(self.options.width.saturating_sub(60).max(24));
        for u in &listed[..shown] {
            self.unit_line(out, u, name_width)?;
        }
        if shown < listed.len() {
            writeln!(
                out,
                "    {}",
                p.dim(&format!(
                    "... {} more (--full lists every unit)",
                    listed.len() - shown
                ))
            )?;
        }
        writeln!(out)
    }

    fn name(&self, u: &UnitMatch) -> String {
        let q = |i: &UnitInfo| safe(&i.qualified_name);
        match (&u.a, &u.b) {
            (Some(a), Some(b)) if a.qualified_name != b.qualified_name => {
                format!("{} -> {}", q(a), q(b))
            }
            (Some(a), _) => q(a),
            (None, Some(b)) => q(b),
            (None, None) => String::new(),
        }
    }

    fn unit_line(&self, out: &mut dyn Write, u: &UnitMatch, name_width: usize) -> io::Result<()> {
        let p = self.paint;
        let info = u.a.as_ref().or(u.b.as_ref());
        let kind = info.map_or("", |i| i.kind.as_str());
        let name = clip(&self.name(u), name_width);
        let side = |label: &str, i: &Option<UnitInfo>| {
            i.as_ref()
                .map_or(String::new(), |i| format!("{label} {}", lines(i.lines)))
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(sim) = u.similarity
            && u.body == Some(BodyChange::Modified)
        {
            notes.push(format!("{:.1}%", sim * 100.0));
        }
        match (u.status, u.body) {
            (UnitStatus::Renamed | UnitStatus::Moved, Some(BodyChange::Identical)) => {
                notes.push("same body".into())
            }
            (UnitStatus::Renamed | UnitStatus::Moved, Some(BodyChange::RenamedOnly)) => {
                notes.push("renamed-only body".into())
            }
            _ => {}
        }
        if u.moved && u.status != UnitStatus::Moved {
            notes.push(p.moved("moved"));
        }
        let heuristic = [&u.a, &u.b].iter().any(|i| {
            i.as_ref()
                .is_some_and(|i| i.origin == simile::report::UnitOrigin::Heuristic)
        });
        if heuristic {
            notes.push(p.dim("(heuristic)"));
        }
        let row = format!(
            "    {} {:<9} {:<name_width$}  {:<14} {:<14} {}",
            self.status(u.status),
            kind,
            name,
            side("A", &u.a),
            side("B", &u.b),
            notes.join("  ")
        );
        writeln!(out, "{}", row.trim_end())
    }

    fn renames(&self, out: &mut dyn Write, renames: &[IdentifierRename]) -> io::Result<()> {
        let p = self.paint;
        writeln!(out, "  {}", p.bold("renamed identifiers"))?;
        let shown = if self.options.full {
            renames.len()
        } else {
            renames.len().min(MAX_LISTED)
        };
        let width = renames[..shown]
            .iter()
            .map(|r| r.a.chars().count() + r.b.chars().count() + 4)
            .max()
            .unwrap_or(0)
            .min(48);
        for r in &renames[..shown] {
            let pair = clip(&format!("{} -> {}", safe(&r.a), safe(&r.b)), width);
            let scope = match r.scope {
                RenameScope::File => "whole file".to_owned(),
                RenameScope::Local => {
                    let names: Vec<String> =
                        r.units.iter().take(4).map(|u| safe(&u.name)).collect();
                    let more = if r.units.len() > 4 {
                        format!(" +{}", r.units.len() - 4)
                    } else {
                        String::new()
                    };
                    format!("in {}{more}", names.join(", "))
                }
            };
            writeln!(
                out,
                "    {:<width$}  {:>5}x  {}",
                pair,
                r.occurrences,
                p.dim(&scope)
            )?;
        }
        if shown < renames.len() {
            writeln!(
                out,
                "    {}",
                p.dim(&format!(
                    "... {} more (--full lists all)",
                    renames.len() - shown
                ))
            )?;
        }
        writeln!(out)
    }

    fn licenses(&self, out: &mut dyn Write, l: &LicenseComparison) -> io::Result<()> {
        let p = self.paint;
        let change = match l.change {
            LicenseChange::Same => p.paint("same", Style::new().green()),
            LicenseChange::Changed => p.paint("CHANGED", Style::new().red().bold()),
            LicenseChange::Added => p.paint("added in B", Style::new().yellow()),
            LicenseChange::Removed => p.paint("REMOVED in B", Style::new().red().bold()),
            LicenseChange::NoneFound => p.dim("none found"),
        };
        let copyright = if l.copyright_changed {
            "; copyright changed"
        } else {
            ""
        };
        writeln!(out, "  {}    {change}{copyright}", p.bold("licence"))?;
        self.file_license(out, "A", &l.a)?;
        self.file_license(out, "B", &l.b)?;
        writeln!(out)
    }

    fn file_license(&self, out: &mut dyn Write, label: &str, f: &FileLicense) -> io::Result<()> {
        let p = self.paint;
        let stated = f
            .license
            .as_deref()
            .map_or_else(|| p.dim("(no licence identified)"), |l| p.bold(&safe(l)));
        writeln!(out, "    {}  {stated}", p.bold(label))?;
        for d in &f.detections {
            let what = d
                .license
                .as_deref()
                .map_or_else(|| "unidentified".to_owned(), safe);
            let method = match d.method {
                simile::report::DetectionMethod::SpdxTag => "SPDX tag",
                simile::report::DetectionMethod::LicenseText => "licence text",
                simile::report::DetectionMethod::LicenseHeader => "standard header",
                simile::report::DetectionMethod::Name => "named",
            };
            let evidence = if d.method == simile::report::DetectionMethod::Name {
                format!(" \"{}\"", clip(&safe(&d.evidence), 60))
            } else {
                String::new()
            };
            writeln!(
                out,
                "       {}",
                p.dim(&format!(
                    "{what}: {method}{evidence}, confidence {:.2}, line {}",
                    d.confidence,
                    lines(d.lines)
                ))
            )?;
        }
        for c in f
            .copyrights
            .iter()
            .take(if self.options.full { usize::MAX } else { 8 })
        {
            writeln!(
                out,
                "       {}",
                clip(
                    &safe(&c.statement),
                    self.options.width.saturating_sub(8).max(40)
                )
            )?;
        }
        if !self.options.full && f.copyrights.len() > 8 {
            writeln!(
                out,
                "       {}",
                p.dim(&format!("... {} more", f.copyrights.len() - 8))
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Document, Format, RenderOptions, SourceSet, render};
    use simile::report::Report;
    use simile::{AlignConfig, SourceFile, compare};

    const A: &str = "# SPDX-License-Identifier: MIT\n\ndef area(width, height):\n    result = width * height\n    if result < 0:\n        raise ValueError(\"negative area\")\n    return result\n\n\ndef old_helper(x):\n    return [x] * 3 + [x + 1] * 2 + [x - 1]\n\n\ndef perimeter(width, height):\n    total = 2 * (width + height)\n    if total < 0:\n        raise ValueError(\"negative perimeter\")\n    return total\n";

    fn text_report(a: &str, b: &str, full: bool) -> String {
        let fa = SourceFile::from_text("a.py", a, None);
        let fb = SourceFile::from_text("b.py", b, None);
        let config = AlignConfig {
            min_region_tokens: 10,
            ..AlignConfig::default()
        };
        let report = Report::comparison(compare(&fa, &fb, &config));
        let sources = SourceSet::from_files([fa, fb]);
        let mut out = Vec::new();
        let options = RenderOptions {
            full,
            ..RenderOptions::default()
        };
        let doc = Document {
            report: &report,
            sources: &sources,
        };
        render(Format::Text, &doc, &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn units_renames_and_licences_are_shown() {
        let b = A
            .replace("def perimeter", "def outline")
            .replace("result", "value")
            .replace(
                "# SPDX-License-Identifier: MIT",
                "# SPDX-License-Identifier: Apache-2.0",
            );
        let b = b.replace(
            "def old_helper(x):\n    return [x] * 3 + [x + 1] * 2 + [x - 1]\n",
            "def new_helper(items, key):\n    return sorted({k: v for k, v in items}.get(key, []))\n",
        );
        let text = text_report(A, &b, false);
        let section = &text[text.find("  units ").expect("units section")..];
        assert!(section.contains("3 (tree-sitter-python)"), "{section}");
        assert!(
            section.contains("renamed      function  perimeter -> outline"),
            "{section}"
        );
        assert!(
            section.contains("removed      function  old_helper"),
            "{section}"
        );
        assert!(
            section.contains("added        function  new_helper"),
            "{section}"
        );
        assert!(section.contains("renamed-only function  area"), "{section}");
        assert!(section.contains("result -> value"), "{section}");
        assert!(section.contains("licence    CHANGED"), "{section}");
        assert!(section.contains("A  MIT"), "{section}");
        assert!(section.contains("B  Apache-2.0"), "{section}");
        // Identical units are counted, listed only with --full.
        let same = text_report(A, A, false);
        assert!(same.contains("3 identical"));
        assert!(!same.contains("identical    function"));
        let full = text_report(A, A, true);
        assert!(full.contains("identical    function  area"), "{full}");
    }
}
