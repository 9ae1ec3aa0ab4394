//! The page's account of what a comparison says beyond its regions: the function-level
//! mapping, the renamed identifiers, and each side's licence and copyright, each in a
//! `<details>` under the summary (the licence open when it changed).

use super::esc;
use crate::util::{
    group_thousands, line_range, percent, shown_license, unit_body_note, unit_counts, unit_rank,
};
use simile::report::{
    Comparison, FileLicense, IdentifierRename, LicenseChange, LicenseComparison, RenameScope,
    UnitInfo, UnitMapping, UnitMatch, UnitStatus,
};
use std::fmt::Write;

/// Add the facts of `c` that it has (units, renames, licences).
pub(crate) fn facts(b: &mut String, c: &Comparison) {
    let has_units = c.units.as_ref().is_some_and(|m| !m.units.is_empty());
    if !has_units && c.renames.is_empty() && c.licenses.is_none() {
        return;
    }
    b.push_str("<div class=\"facts\">\n");
    if let Some(m) = c.units.as_ref().filter(|_| has_units) {
        units(b, m);
    }
    if !c.renames.is_empty() {
        renames(b, &c.renames);
    }
    if let Some(l) = &c.licenses {
        licenses(b, l);
    }
    b.push_str("</div>\n");
}

fn units(b: &mut String, m: &UnitMapping) {
    let counts = unit_counts(&m.summary);
    let mut listed: Vec<&UnitMatch> = m.units.iter().collect();
    listed.sort_by_key(|u| {
        let first = u.a.as_ref().or(u.b.as_ref()).map(|i| i.lines.start);
        (unit_rank(u.status), first)
    });
    let _ = write!(
        b,
        "<details class=\"fact units\"><summary>Functions: {}</summary>\n<table><thead><tr>\
         <th>status</th><th>kind</th><th>A</th><th>B</th><th class=\"num\">similarity</th><th>notes</th>\
         </tr></thead><tbody>\n",
        esc(&counts.join(", "))
    );
    for u in listed {
        let kind =
            u.a.as_ref()
                .or(u.b.as_ref())
                .map_or("", |i| i.kind.as_str());
        let mut notes: Vec<&str> = Vec::new();
        if u.moved && u.status != UnitStatus::Moved {
            notes.push("moved");
        }
        notes.extend(unit_body_note(u));
        let _ = writeln!(
            b,
            "<tr class=\"u-{status}\"><td>{status}</td><td>{kind}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            unit_cell(u.a.as_ref()),
            unit_cell(u.b.as_ref()),
            u.similarity.map_or_else(String::new, percent),
            notes.join("; "),
            status = u.status.as_str(),
            kind = esc(kind),
        );
    }
    b.push_str("</tbody></table></details>\n");
}

fn unit_cell(u: Option<&UnitInfo>) -> String {
    u.map_or_else(String::new, |u| {
        format!(
            "<code>{}</code> <span class=\"lines\">{}</span>",
            esc(&u.qualified_name),
            line_range(u.lines)
        )
    })
}

fn renames(b: &mut String, renames: &[IdentifierRename]) {
    let _ = write!(
        b,
        "<details class=\"fact renames\"><summary>Renamed identifiers: {}</summary>\n<table><thead><tr>\
         <th>A</th><th>B</th><th class=\"num\">occurrences</th><th>scope</th></tr></thead><tbody>\n",
        renames.len()
    );
    for r in renames {
        let scope = match r.scope {
            RenameScope::File => "whole file".to_owned(),
            RenameScope::Local => {
                let names: Vec<String> = r
                    .units
                    .iter()
                    .map(|u| format!("<code>{}</code>", esc(&u.name)))
                    .collect();
                format!("in {}", names.join(", "))
            }
        };
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"num\">{}</td><td>{scope}</td></tr>",
            esc(&r.a),
            esc(&r.b),
            group_thousands(r.occurrences as u64)
        );
    }
    b.push_str("</tbody></table></details>\n");
}

fn licenses(b: &mut String, l: &LicenseComparison) {
    let (change, alarming) = match l.change {
        LicenseChange::Same => ("same", false),
        LicenseChange::Changed => ("CHANGED", true),
        LicenseChange::Added => ("added in B", false),
        LicenseChange::Removed => ("REMOVED in B", true),
        LicenseChange::NoneFound => ("none found", false),
    };
    let copyright = if l.copyright_changed {
        " · copyright changed"
    } else {
        ""
    };
    let _ = write!(
        b,
        "<details class=\"fact licences\"{}><summary>Licence: <span class=\"{}\">{change}</span>{copyright}</summary>\n\
         <table><thead><tr><th></th><th>licence</th><th>evidence</th><th>copyright</th><th>licence files and manifest</th>\
         </tr></thead><tbody>\n",
        if alarming { " open" } else { "" },
        if alarming { "alarm" } else { "calm" },
    );
    for (label, f) in [("A", &l.a), ("B", &l.b)] {
        let _ = writeln!(
            b,
            "<tr><th>{label}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            license_cell(f),
            evidence_cell(f),
            f.copyrights
                .iter()
                .map(|c| esc(&c.statement))
                .collect::<Vec<_>>()
                .join("<br>"),
            tree_cell(f)
        );
    }
    b.push_str("</tbody></table></details>\n");
}

/// The tree's licence files, each with its licence, and the licence its manifest declares.
fn tree_cell(f: &FileLicense) -> String {
    let files = f.license_files.iter().map(|lf| {
        format!(
            "<code>{}</code> {}",
            esc(&lf.path),
            lf.license.as_deref().map_or_else(
                || "unidentified".to_owned(),
                |id| format!("<code>{}</code> ({:.2})", esc(id), lf.confidence)
            )
        )
    });
    let declared = f.declared.iter().map(|d| {
        let license = d.expression.as_deref().map_or_else(
            || format!("“{}” (not an SPDX expression)", esc(&d.written)),
            |e| format!("<code>{}</code>", esc(e)),
        );
        let files = d.files.as_deref().map_or_else(String::new, |pattern| {
            format!(" (<code>Files:</code> <code>{}</code>)", esc(pattern))
        });
        format!(
            "<code>{}</code>{files} declares {license}",
            esc(&d.manifest)
        )
    });
    files.chain(declared).collect::<Vec<_>>().join("<br>")
}

/// The effective licence and its basis, else the stated one.
pub(super) fn license_cell(f: &FileLicense) -> String {
    match shown_license(f) {
        Some((license, basis)) => {
            let basis = basis.map_or_else(String::new, |n| {
                format!(" <span class=\"basis\">({})</span>", esc(&n))
            });
            format!("<code>{}</code>{basis}", esc(license))
        }
        None => "<span class=\"basis\">none identified</span>".to_owned(),
    }
}

/// Each detection: what, how, where.
fn evidence_cell(f: &FileLicense) -> String {
    f.detections
        .iter()
        .map(|d| {
            let what = d.license.as_deref().map_or_else(
                || "unidentified".to_owned(),
                |id| format!("<code>{}</code>", esc(id)),
            );
            let see = d
                .see_file
                .as_deref()
                .map_or_else(String::new, |s| format!(", see <code>{}</code>", esc(s)));
            format!(
                "{what}: “{}”, {:.2}, line {}{see}",
                esc(&d.evidence),
                d.confidence,
                line_range(d.lines)
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}
