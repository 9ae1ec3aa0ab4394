//! The structure and licence sections of the text report: units (what happened to each
//! function and type), the identifier rename map, and the licences and copyright statements.
//!
//! Identical units are counted, not listed (unless `full`); the other units are grouped by
//! what happened to them, most telling first (renamed, removed, added, moved, modified,
//! renamed-only), and long lists are cut to [`MAX_LISTED`] entries unless `full` is set.

use super::Palette;
use crate::RenderOptions;
use crate::util::{shown_license, unit_body_note, unit_counts, unit_rank};
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

/// A manifest's declared licence: its SPDX expression, else what it writes, marked as not one
/// (`BSD`), each styled by the caller.
fn declared_words(
    d: &simile::report::DeclaredLicense,
    expression: impl Fn(&str) -> String,
    vague: impl Fn(String) -> String,
) -> String {
    match &d.expression {
        Some(e) => expression(e),
        None => vague(format!("\"{}\" (not an SPDX expression)", safe(&d.written))),
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

/// Between a unit's old and new name.
const RENAME_ARROW: &str = " -> ";

/// One row of the units table, its cells ready to lay out.
struct UnitRow<'u> {
    unit: &'u UnitMatch,
    kind: &'static str,
    /// The unit's name, or `old -> new` for a renamed unit, whole.
    name: String,
    a: String,
    b: String,
    notes: String,
    /// Visible characters of `notes` (which may hold colour codes).
    notes_width: usize,
}

/// How the units table is laid out: the width of the name column (with the two spaces after
/// it), and of the sides'. Names are never cut: cut to a column,
/// `ZSTD_compressBlock_doubleFast` and `ZSTD_compressBlock_doubleFast_extDict` read the same,
/// and a rename lost its new name. The name column is as wide as the widest name that lets its
/// row fit the terminal; a longer name goes on a line of its own, after its status and kind,
/// and the rest of its row on the next line, in the columns. When that would be most rows (a
/// narrow terminal), the table is `stacked` instead: every row without its name, and the name
/// on a line of its own under it, from the left. (The renamed identifiers table does the same
/// with its pairs, the `clones` and `find` tables with paths.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnitLayout {
    name: usize,
    a: usize,
    b: usize,
    stacked: bool,
}

/// Columns before a unit's name: "    " status(12) " " kind(9) " ".
const UNIT_NAME_COLUMN: usize = 4 + 12 + 1 + 9 + 1;

impl UnitLayout {
    fn for_rows(rows: &[UnitRow<'_>], width: usize) -> UnitLayout {
        let widest =
            |cell: &dyn Fn(&UnitRow<'_>) -> usize| rows.iter().map(cell).max().unwrap_or(0);
        let a = widest(&|r| r.a.chars().count());
        let b = widest(&|r| r.b.chars().count());
        let notes = widest(&|r| r.notes_width);
        // name "  " A "  " B "  " notes
        let room = width.saturating_sub(UNIT_NAME_COLUMN + 2 + a + 2 + b + 2 + notes);
        let fitting: Vec<usize> = rows
            .iter()
            .map(|r| r.name.chars().count())
            .filter(|&n| n <= room)
            .collect();
        let stacked = fitting.len() * 2 < rows.len();
        let name = fitting.into_iter().max().filter(|_| !stacked);
        UnitLayout {
            name: name.map_or(0, |n| n + 2),
            a,
            b,
            stacked,
        }
    }

    /// Whether `name` goes in the name column of its row.
    fn holds(&self, name: &str) -> bool {
        !self.stacked && name.chars().count() + 2 <= self.name
    }
}

/// `name` (a name, or `old -> new`) on a line of its own after `first` (as wide as `indent`),
/// whole; a rename longer than the `width` breaks before its arrow, its new name on the next
/// line after `indent`.
fn write_name_alone(
    out: &mut dyn Write,
    (first, indent): (&str, &str),
    name: &str,
    width: usize,
) -> io::Result<()> {
    let fits = indent.len() + name.chars().count() <= width;
    match name.split_once(RENAME_ARROW) {
        Some((old, new)) if !fits => {
            writeln!(out, "{first}{old}")?;
            writeln!(out, "{indent}{}{new}", RENAME_ARROW.trim_start())
        }
        _ => writeln!(out, "{first}{name}"),
    }
}

/// The width of the column of `old -> new` pairs in the renamed identifiers table: the widest
/// pair that leaves room, on a terminal `width` wide, for the count and a `whole file` scope
/// after it. A longer pair goes on a line of its own, whole (cut to a fixed 48 columns, as they
/// were, `ZSTD_fillDoubleHashTable -> ZSTD_fillDoubleHash…` hid the new name).
fn rename_column(pairs: &[String], width: usize) -> usize {
    // "    " pair "  " "12345x" "  " "whole file"
    let room = width.saturating_sub(4 + 2 + 6 + 2 + "whole file".len());
    pairs
        .iter()
        .map(|p| p.chars().count())
        .filter(|&n| n <= room)
        .max()
        .unwrap_or(0)
}

/// Whether the licences of the two sides' licence files differ; `None` when neither side has
/// any (nothing to say).
fn license_files_change(l: &LicenseComparison) -> Option<bool> {
    let ids = |f: &FileLicense| -> std::collections::BTreeSet<Option<String>> {
        f.license_files.iter().map(|l| l.license.clone()).collect()
    };
    let (a, b) = (ids(&l.a), ids(&l.b));
    (!a.is_empty() || !b.is_empty()).then(|| a != b)
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
        let parts = unit_counts(&m.summary);
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
        listed.sort_by_key(|u| unit_rank(u.status));
        if listed.is_empty() {
            return writeln!(out);
        }
        writeln!(out)?;
        let shown = if self.options.full {
            listed.len()
        } else {
            listed.len().min(MAX_LISTED)
        };
        let rows: Vec<UnitRow> = listed[..shown].iter().map(|u| self.unit_row(u)).collect();
        let layout = UnitLayout::for_rows(&rows, self.options.width);
        for row in &rows {
            self.write_unit_row(out, row, &layout)?;
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
                format!("{}{RENAME_ARROW}{}", q(a), q(b))
            }
            (Some(a), _) => q(a),
            (None, Some(b)) => q(b),
            (None, None) => String::new(),
        }
    }

    /// The cells of `u`'s row: its name and sides whole, its notes plain (to measure) and
    /// painted (to write).
    fn unit_row<'u>(&self, u: &'u UnitMatch) -> UnitRow<'u> {
        let p = self.paint;
        let info = u.a.as_ref().or(u.b.as_ref());
        let side = |label: &str, i: &Option<UnitInfo>| {
            i.as_ref()
                .map_or(String::new(), |i| format!("{label} {}", lines(i.lines)))
        };
        let mut notes: Vec<(String, String)> = Vec::new();
        let mut note = |plain: &str, painted: String| notes.push((plain.to_owned(), painted));
        if let Some(sim) = u.similarity
            && u.body == Some(BodyChange::Modified)
        {
            let sim = format!("{:.1}%", sim * 100.0);
            note(&sim, sim.clone());
        }
        if let Some(body) = unit_body_note(u) {
            note(body, body.into());
        }
        if u.moved && u.status != UnitStatus::Moved {
            note("moved", p.moved("moved"));
        }
        let heuristic = [&u.a, &u.b].iter().any(|i| {
            i.as_ref()
                .is_some_and(|i| i.origin == simile::report::UnitOrigin::Heuristic)
        });
        if heuristic {
            note("(heuristic)", p.dim("(heuristic)"));
        }
        let (plain, painted): (Vec<String>, Vec<String>) = notes.into_iter().unzip();
        UnitRow {
            unit: u,
            kind: info.map_or("", |i| i.kind.as_str()),
            name: self.name(u),
            a: side("A", &u.a),
            b: side("B", &u.b),
            notes_width: plain.join("  ").chars().count(),
            notes: painted.join("  "),
        }
    }

    fn write_unit_row(
        &self,
        out: &mut dyn Write,
        row: &UnitRow<'_>,
        layout: &UnitLayout,
    ) -> io::Result<()> {
        let UnitLayout {
            name: name_width,
            a: a_width,
            b: b_width,
            stacked,
        } = *layout;
        let head = format!("    {} {:<9} ", self.status(row.unit.status), row.kind);
        let cells = |head: &str, name: &str| {
            let line = format!(
                "{head}{name:<name_width$}{:<a_width$}  {:<b_width$}  {}",
                row.a, row.b, row.notes
            );
            line.trim_end().to_owned()
        };
        let width = self.options.width;
        if stacked {
            writeln!(out, "{}", cells(&head, ""))?;
            return write_name_alone(out, ("      ", "      "), &row.name, width);
        }
        if layout.holds(&row.name) {
            return writeln!(out, "{}", cells(&head, &row.name));
        }
        // Too long for the column: on a line of its own after the status and kind, the rest
        // of the row under it.
        let indent = " ".repeat(UNIT_NAME_COLUMN);
        write_name_alone(out, (&head, &indent), &row.name, width)?;
        writeln!(out, "{}", cells(&indent, ""))
    }

    fn renames(&self, out: &mut dyn Write, renames: &[IdentifierRename]) -> io::Result<()> {
        let p = self.paint;
        writeln!(out, "  {}", p.bold("renamed identifiers"))?;
        let shown = if self.options.full {
            renames.len()
        } else {
            renames.len().min(MAX_LISTED)
        };
        let pairs: Vec<String> = renames[..shown]
            .iter()
            .map(|r| format!("{}{RENAME_ARROW}{}", safe(&r.a), safe(&r.b)))
            .collect();
        let column = rename_column(&pairs, self.options.width);
        for (r, pair) in renames[..shown].iter().zip(&pairs) {
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
            let in_column = pair.chars().count() <= column;
            if !in_column {
                // Too long for the column: the pair on a line of its own, its count under it.
                write_name_alone(out, ("    ", "    "), pair, self.options.width)?;
            }
            let pair = if in_column { pair.as_str() } else { "" };
            writeln!(
                out,
                "    {pair:<column$}  {:>5}x  {}",
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
        let files = match license_files_change(l) {
            Some(true) => format!(
                "; licence files {}",
                p.paint("CHANGED", Style::new().red().bold())
            ),
            Some(false) => "; licence files same".to_owned(),
            None => String::new(),
        };
        writeln!(out, "  {}    {change}{copyright}{files}", p.bold("licence"))?;
        self.file_license(out, "A", &l.a)?;
        self.file_license(out, "B", &l.b)?;
        writeln!(out)
    }

    fn file_license(&self, out: &mut dyn Write, label: &str, f: &FileLicense) -> io::Result<()> {
        let p = self.paint;
        // The effective licence, and what it rests on when the file does not state it alone.
        let stated = match shown_license(f) {
            Some((license, basis)) => {
                let basis = basis.map_or_else(String::new, |note| {
                    format!("  {}", p.dim(&format!("({})", safe(&note))))
                });
                format!("{}{basis}", p.bold(&safe(license)))
            }
            None => p.dim("(no licence identified)"),
        };
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
            let see = d
                .see_file
                .as_deref()
                .map_or_else(String::new, |f| format!(", see {}", safe(f)));
            writeln!(
                out,
                "       {}",
                p.dim(&format!(
                    "{what}: {method}{evidence}, confidence {:.2}, line {}{see}",
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
        for l in &f.license_files {
            let license = match &l.license {
                Some(id) => format!("{} ({:.2})", p.bold(&safe(id)), l.confidence),
                None => p.dim("(no licence identified)"),
            };
            writeln!(out, "       licence file {}  {license}", safe(&l.path))?;
        }
        if let Some(d) = &f.declared {
            let files = d.files.as_deref().map_or_else(String::new, |pattern| {
                format!(" (Files: {})", safe(pattern))
            });
            writeln!(
                out,
                "       declared in {}{files}  {}",
                safe(&d.manifest),
                declared_words(d, |id| p.bold(&safe(id)), |w| p.dim(&w))
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
        text_report_at(a, b, full, RenderOptions::default().width)
    }

    fn text_report_at(a: &str, b: &str, full: bool, width: usize) -> String {
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
            width,
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

    /// A after a release that gave its functions and a variable long names.
    fn with_long_names() -> String {
        A.replace(
            "def perimeter",
            "def perimeter_of_the_rectangle_in_the_plane",
        )
        .replace("result", "the_area_of_the_rectangle_in_square_units")
        .replace(
            "def area",
            "def area_of_the_rectangle_in_square_units_rounded_to_a_unit",
        )
    }

    #[test]
    fn long_names_are_never_cut_on_a_narrow_terminal() {
        let b = with_long_names();
        let old_new = "perimeter -> perimeter_of_the_rectangle_in_the_plane";
        // Wide enough: one row a unit, the names in a column, whole.
        let wide = text_report_at(A, &b, false, 160);
        let row = wide
            .lines()
            .find(|l| l.contains(old_new))
            .unwrap_or_else(|| panic!("{wide}"));
        assert!(row.contains("A 14-18") && row.contains("B 14-18"), "{wide}");
        // 120 columns: the column is as wide as the names that fit; a longer one goes on a line
        // of its own after its status and kind, the rest of its row under it, in the columns.
        let medium = text_report_at(A, &b, false, 120);
        let area = "area -> area_of_the_rectangle_in_square_units_rounded_to_a_unit";
        let lines: Vec<&str> = medium.lines().collect();
        let at = lines
            .iter()
            .position(|l| *l == format!("    renamed      function  {area}"))
            .unwrap_or_else(|| panic!("{medium}"));
        let column = "    renamed      function  ".len() + old_new.len() + 2;
        assert_eq!(
            lines[at + 1],
            format!("{}A 3-7    B 3-7    renamed-only body", " ".repeat(column)),
            "{medium}"
        );
        assert!(
            lines.contains(
                &format!("    renamed      function  {old_new}  A 14-18  B 14-18  same body")
                    .as_str()
            ),
            "{medium}"
        );
        // 66 columns: each name on a line of its own under its row, whole; a rename longer
        // than the line breaks before its arrow; the row keeps its sides and notes.
        let narrow = text_report_at(A, &b, false, 66);
        let units = &narrow[narrow.find("  units ").expect("units")..];
        let units = &units[..units.find("  licence").expect("licence section")];
        let lines: Vec<&str> = units.lines().collect();
        let at = |text: &str| {
            lines
                .iter()
                .position(|l| l.trim_start() == text)
                .unwrap_or_else(|| panic!("{text:?} on a line of its own:\n{units}"))
        };
        let renamed = at(old_new);
        assert!(
            lines[renamed - 1].starts_with("    renamed      function  A 14-18  B 14-18"),
            "{units}"
        );
        let area = at("area");
        assert_eq!(
            lines[area + 1].trim_start(),
            "-> area_of_the_rectangle_in_square_units_rounded_to_a_unit",
            "{units}"
        );
        // The renamed identifiers: a pair too long for its column on a line of its own, its
        // count under it.
        let pair = at("result -> the_area_of_the_rectangle_in_square_units");
        assert!(lines[pair + 1].trim_start().starts_with("3x  "), "{units}");
        assert!(
            units.lines().all(|l| l.chars().count() <= 66),
            "every line within the width:\n{units}"
        );
        assert!(!units.contains('…'), "nothing cut:\n{units}");
    }
}
