//! The Markdown of what a comparison says beyond its regions: the function-level mapping, the
//! renamed identifiers, and each side's licence and copyright.

use super::{code_span, escape_text};
use crate::util::{
    group_thousands, line_range, percent, shown_license, unit_body_note, unit_counts, unit_rank,
};
use simile::report::{
    FileLicense, IdentifierRename, LicenseChange, LicenseComparison, RenameScope, UnitInfo,
    UnitMapping, UnitMatch, UnitStatus,
};
use std::io::{self, Write};

/// Units listed without `--full`: the changed ones first, so a review comment stays readable.
const MAX_UNITS: usize = 40;

/// Renamed identifiers listed without `--full`.
const MAX_RENAMES: usize = 20;

/// Copyright statements listed per side.
const MAX_COPYRIGHTS: usize = 4;

/// The function-level mapping: a count per status, then a table of the units that changed
/// (identical ones too with `full`).
pub(super) fn units(out: &mut dyn Write, m: &UnitMapping, full: bool) -> io::Result<()> {
    let counted = unit_counts(&m.summary);
    if counted.is_empty() {
        return Ok(());
    }
    writeln!(out, "**Functions:** {}.\n", counted.join(", "))?;
    let mut shown: Vec<&UnitMatch> = m
        .units
        .iter()
        .filter(|u| full || u.status != UnitStatus::Identical)
        .collect();
    shown.sort_by_key(|u| {
        (
            unit_rank(u.status),
            u.a.as_ref().or(u.b.as_ref()).map(|i| i.lines.start),
        )
    });
    if shown.is_empty() {
        return Ok(());
    }
    let limit = if full { usize::MAX } else { MAX_UNITS };
    writeln!(out, "| status | kind | A | B | similarity | notes |")?;
    writeln!(out, "|---|---|---|---|---:|---|")?;
    for u in shown.iter().take(limit) {
        let kind =
            u.a.as_ref()
                .or(u.b.as_ref())
                .map_or("", |i| i.kind.as_str());
        let similarity = u.similarity.map_or_else(String::new, percent);
        let mut notes = Vec::new();
        if u.moved && u.status != UnitStatus::Moved {
            notes.push("moved".to_owned());
        }
        notes.extend(unit_body_note(u).map(str::to_owned));
        writeln!(
            out,
            "| {} | {kind} | {} | {} | {similarity} | {} |",
            u.status.as_str(),
            unit_cell(u.a.as_ref()),
            unit_cell(u.b.as_ref()),
            notes.join("; ")
        )?;
    }
    if shown.len() > limit {
        writeln!(
            out,
            "\n… and {} more (`--full` lists every unit).",
            shown.len() - limit
        )?;
    }
    writeln!(out)
}

/// "`name` (12-40)", or empty for a side without the unit.
fn unit_cell(u: Option<&UnitInfo>) -> String {
    u.map_or_else(String::new, |u| {
        format!(
            "{} ({})",
            code_span(&u.qualified_name, true),
            line_range(u.lines)
        )
    })
}

/// The renamed identifiers of the whole file, most supported first.
pub(super) fn renames(
    out: &mut dyn Write,
    renames: &[IdentifierRename],
    full: bool,
) -> io::Result<()> {
    if renames.is_empty() {
        return Ok(());
    }
    writeln!(out, "**Renamed identifiers:** {}.\n", renames.len())?;
    writeln!(out, "| A | B | occurrences | scope |")?;
    writeln!(out, "|---|---|---:|---|")?;
    let limit = if full { usize::MAX } else { MAX_RENAMES };
    for r in renames.iter().take(limit) {
        let scope = match r.scope {
            RenameScope::File => "whole file".to_owned(),
            RenameScope::Local => {
                let names: Vec<String> = r
                    .units
                    .iter()
                    .take(3)
                    .map(|u| code_span(&u.name, true))
                    .collect();
                let more = if r.units.len() > 3 { ", …" } else { "" };
                format!("in {}{more}", names.join(", "))
            }
        };
        writeln!(
            out,
            "| {} | {} | {} | {scope} |",
            code_span(&r.a, true),
            code_span(&r.b, true),
            group_thousands(r.occurrences as u64)
        )?;
    }
    if renames.len() > limit {
        writeln!(
            out,
            "\n… and {} more (`--full` lists them all).",
            renames.len() - limit
        )?;
    }
    writeln!(out)
}

/// Each side's licence (effective, with what it rests on), copyright and licence files, and
/// whether they changed.
pub(super) fn licenses(out: &mut dyn Write, l: &LicenseComparison) -> io::Result<()> {
    let change = match l.change {
        LicenseChange::Same => "same",
        LicenseChange::Changed => "**changed**",
        LicenseChange::Added => "added in B",
        LicenseChange::Removed => "**removed in B**",
        LicenseChange::NoneFound => "none found",
    };
    let copyright = if l.copyright_changed {
        " · copyright changed"
    } else {
        ""
    };
    writeln!(out, "**Licence:** {change}{copyright}.\n")?;
    let says_nothing = |f: &FileLicense| {
        f.detections.is_empty()
            && f.copyrights.is_empty()
            && f.license_files.is_empty()
            && f.declared.is_none()
    };
    if says_nothing(&l.a) && says_nothing(&l.b) {
        // "None found" says it all: no table of empty cells in a review comment.
        return Ok(());
    }
    writeln!(
        out,
        "| | licence | copyright | licence files and manifest |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for (label, f) in [("A", &l.a), ("B", &l.b)] {
        writeln!(
            out,
            "| {label} | {} | {} | {} |",
            license_cell(f),
            copyright_cell(f),
            license_files_cell(f)
        )?;
    }
    writeln!(out)
}

/// The effective licence and its basis, else the stated one, else what the header names.
pub(super) fn license_cell(f: &FileLicense) -> String {
    if let Some((license, basis)) = shown_license(f) {
        let basis = basis.map_or_else(String::new, |n| format!(" ({})", escape_text(&n)));
        return format!("{}{basis}", code_span(license, true));
    }
    let named: Vec<String> = f
        .detections
        .iter()
        .map(|d| match &d.license {
            Some(id) => code_span(id, true),
            None => format!("“{}”", escape_text(&d.evidence)),
        })
        .collect();
    if named.is_empty() {
        "none identified".to_owned()
    } else {
        format!("unresolved: {}", named.join(", "))
    }
}

fn copyright_cell(f: &FileLicense) -> String {
    let mut shown: Vec<String> = f
        .copyrights
        .iter()
        .take(MAX_COPYRIGHTS)
        .map(|c| escape_text(&c.statement))
        .collect();
    if f.copyrights.len() > MAX_COPYRIGHTS {
        shown.push(format!("… {} more", f.copyrights.len() - MAX_COPYRIGHTS));
    }
    shown.join("<br>")
}

fn license_files_cell(f: &FileLicense) -> String {
    let files = f.license_files.iter().map(|l| {
        let license = l
            .license
            .as_deref()
            .map_or_else(|| "unidentified".to_owned(), |id| code_span(id, true));
        format!("{} {license}", code_span(&l.path, true))
    });
    let declared = f.declared.iter().map(|d| {
        let license = d.expression.as_deref().map_or_else(
            || format!("“{}” (not an SPDX expression)", escape_text(&d.written)),
            |e| code_span(e, true),
        );
        let files = d.files.as_deref().map_or_else(String::new, |pattern| {
            format!(" (`Files:` {})", code_span(pattern, true))
        });
        format!("{}{files} declares {license}", code_span(&d.manifest, true))
    });
    files.chain(declared).collect::<Vec<_>>().join("<br>")
}
