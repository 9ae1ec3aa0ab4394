//! The licence result of a comparison: when B's licence differs from A's or B lost it, one
//! result of rule `simile/license-changed` at level `warning`, located on B's header (or B as
//! a whole when it has none), with A's header as related location. A copy that changed or
//! dropped the licence of the code it copied is what a compliance gate looks for; a licence
//! added, kept, or found on neither side makes no result.

use super::{
    Artifacts, Configuration, Location, Message, PhysicalLocation, Rule, RuleProperties,
    SarifRegion, SarifResult, escape_link_text, physical,
};
use crate::util::{percent, shown_license};
use simile::report::{
    Comparison, FileInfo, FileLicense, FindMatch, LicenseChange, LineRange, QueryResult,
};

/// The rule's id.
pub const LICENSE_CHANGED: &str = "simile/license-changed";

pub(super) fn license_rule() -> Rule {
    let full = "The other file's licence differs from this file's, or this file states none where the other states one. Licences are read as `simile compare` reads them: SPDX tags, licence texts and notices, licence names resolved through the licence files they point to, and the licence files of each file's tree.";
    let help = "Code copied under one licence keeps it: check that this file may carry the licence it now has, or restore the original notice.";
    Rule {
        id: LICENSE_CHANGED,
        name: "LicenseChanged",
        short_description: Message::text("Licence changed or removed in a copy"),
        full_description: Message::text(full),
        help: Message {
            text: format!("{full} {help}"),
            markdown: Some(format!("{full}\n\n{help}")),
        },
        default_configuration: Configuration { level: "warning" },
        properties: RuleProperties {
            tags: vec!["license", "provenance"],
        },
    }
}

/// The licence result of `c`, if its licence changed or was removed in B.
pub(super) fn license_result(
    c: &Comparison,
    rule_index: usize,
    artifacts: &mut Artifacts,
) -> Option<SarifResult> {
    let l = c.licenses.as_ref()?;
    let how = match l.change {
        LicenseChange::Changed => "changed",
        LicenseChange::Removed => "removed",
        LicenseChange::Same | LicenseChange::Added | LicenseChange::NoneFound => return None,
    };
    let (a_index, b_index) = (artifacts.add(&c.a), artifacts.add(&c.b));
    let (license_a, license_b) = (described(&l.a), described(&l.b));
    let text = match l.change {
        LicenseChange::Removed => format!(
            "This file states no licence; [{}](1), the code it matches, is under {license_a}.",
            escape_link_text(&c.a.path)
        ),
        _ => format!(
            "This file is under {license_b}; [{}](1), the code it matches, is under {license_a}.",
            escape_link_text(&c.a.path)
        ),
    };
    Some(warning(
        rule_index,
        text,
        physical(&c.b.path, b_index, header_region(&l.b, &c.b)),
        (
            physical(&c.a.path, a_index, header_region(&l.a, &c.a)),
            "the licence of the matching file".into(),
        ),
        serde_json::json!({
            "change": how,
            "licenseA": expression(&l.a),
            "licenseB": expression(&l.b),
            "copyrightChanged": l.copyright_changed,
        }),
    ))
}

/// A `simile/license-changed` warning at `at`, the other file's header as related location.
fn warning(
    rule_index: usize,
    text: String,
    at: PhysicalLocation,
    (related, why): (PhysicalLocation, String),
    properties: serde_json::Value,
) -> SarifResult {
    SarifResult {
        rule_id: LICENSE_CHANGED,
        rule_index,
        level: "warning",
        message: Message::text(text),
        locations: vec![Location {
            id: None,
            physical_location: at,
            message: None,
        }],
        related_locations: vec![Location {
            id: Some(1),
            physical_location: related,
            message: Some(Message::text(why)),
        }],
        properties,
    }
}

/// The licence result of a search's match (`find --licenses`), if the query, as the copy under
/// scrutiny, is under another licence than the match or states none where the match states
/// one: located on the query's header, the match's header as related location.
pub(super) fn match_license_result(
    q: &QueryResult,
    m: &FindMatch,
    rule_index: usize,
    artifacts: &mut Artifacts,
) -> Option<SarifResult> {
    let (lq, lm) = (q.license.as_ref()?, m.license.as_ref()?);
    // The query is A and the match B in `license_change`: "added" is a match with a licence
    // the query does not state.
    let how = match m.license_change? {
        LicenseChange::Changed => "changed",
        LicenseChange::Added => "removed",
        LicenseChange::Same | LicenseChange::Removed | LicenseChange::NoneFound => return None,
    };
    let (q_index, m_index) = (artifacts.add(&q.query), artifacts.add(&m.file));
    let (license_q, license_m) = (described(lq), described(lm));
    let text = match how {
        "removed" => format!(
            "This file states no licence; [{}](1), which it is {} similar to, is under {license_m}.",
            escape_link_text(&m.file.path),
            percent(m.similarity)
        ),
        _ => format!(
            "This file is under {license_q}; [{}](1), which it is {} similar to, is under {license_m}.",
            escape_link_text(&m.file.path),
            percent(m.similarity)
        ),
    };
    Some(warning(
        rule_index,
        text,
        physical(&q.query.path, q_index, header_region(lq, &q.query)),
        (
            physical(&m.file.path, m_index, header_region(lm, &m.file)),
            format!("the licence of the similar file (rank {})", m.rank),
        ),
        serde_json::json!({
            "change": how,
            "licenseQuery": expression(lq),
            "licenseMatch": expression(lm),
            "rank": m.rank,
        }),
    ))
}

/// The licence a file is under, as the report shows it.
fn expression(f: &FileLicense) -> Option<&str> {
    shown_license(f).map(|(license, _)| license)
}

/// `MIT`, `BSD-3-Clause (licence files; the file names none)`, or "no identified licence".
fn described(f: &FileLicense) -> String {
    match shown_license(f) {
        Some((license, Some(note))) => format!("{license} ({note})"),
        Some((license, None)) => license.to_owned(),
        None => "no identified licence".to_owned(),
    }
}

/// The header's lines, else the whole file.
fn header_region(f: &FileLicense, info: &FileInfo) -> Option<SarifRegion> {
    match f.header {
        Some(LineRange { start, end }) => Some(SarifRegion {
            start_line: start,
            start_column: None,
            end_line: end,
            end_column: None,
        }),
        None => SarifRegion::whole_file(info.lines),
    }
}
