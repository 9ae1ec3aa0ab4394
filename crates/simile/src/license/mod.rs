//! Licences and copyright: what each file states, and whether it changed between A and B.
//!
//! Reads the comments the tokenizer kept aside (comments never change similarity, but they
//! carry the licence). Evidence, strongest first:
//! 1. [`tags`]: `SPDX-License-Identifier:` tags anywhere in the comments (confidence 1.0).
//! 2. [`text`]: the header comment compared with the licence texts and standard headers of
//!    the SPDX licence list, embedded in the `spdx` crate (confidence = the match score).
//! 3. [`names`]: licences the header names without quoting them (confidence 0.5), looked for
//!    only when 1 and 2 found nothing.
//!
//! Copyright statements come from [`copyright`], on the header. The header is found by
//! [`header`]: the comments before the first line of code, or the first licence-like comment
//! near the top. [`files`] finds the licence files (`LICENSE`, `COPYING`) of the tree a file
//! on disk is in, with the licence its package's manifest declares ([`manifests`]), for a
//! caller to add to what the file states.

#[cfg(feature = "license-detection")]
mod bigrams;
#[cfg(feature = "license-detection")]
pub mod catalogue;
pub mod copyright;
pub mod debian;
pub mod effective;
pub mod files;
pub mod header;
pub mod manifests;
pub mod names;
#[cfg(test)]
mod store_order;
pub mod tags;
pub mod text;

use crate::lex::{Comment, Token};
use crate::report::{
    Copyright, DetectionMethod, FileLicense, LicenseChange, LicenseComparison, LicenseDetection,
    LineRange,
};
use crate::source::{Language, SourceFile};
use std::collections::BTreeSet;

/// What one file states about its licence and copyright.
pub fn file_license(file: &SourceFile, tokens: &[Token], comments: &[Comment]) -> FileLicense {
    let header = header::header(file, tokens, comments);
    // Plain text has no comments: its tags are in its text, where its header is.
    let statement;
    let comments = if file.language == Language::Text && comments.is_empty() {
        statement = [header::text_statement(file)];
        &statement[..]
    } else {
        comments
    };
    let tags = tags::tags(file, comments);
    let mut detections: Vec<LicenseDetection> = tags
        .iter()
        .map(|t| LicenseDetection {
            license: t.canonical.clone().or_else(|| Some(t.written.clone())),
            method: DetectionMethod::SpdxTag,
            confidence: if t.canonical.is_some() { 1.0 } else { 0.5 },
            lines: LineRange {
                start: t.line,
                end: t.line,
            },
            evidence: t.written.clone(),
            see_file: None,
        })
        .collect();
    let named = names::detect(&header);
    // Tags are the file's own statement and win anyway; a header without a licence word holds
    // no licence text. Either way the licence matcher is not needed.
    let texts = if tags.is_empty() && header.mentions_license() {
        text::detect(&header)
    } else {
        Vec::new()
    };
    let (texts, contradicted): (Vec<_>, Vec<_>) =
        texts.into_iter().partition(|t| !contradicts(t, &named));
    detections.extend(texts);
    if detections.is_empty() || !contradicted.is_empty() {
        detections.extend(named);
    }
    let license = stated_license(&tags, &detections);
    let mut stated = FileLicense {
        license,
        copyrights: copyright::copyrights(&header),
        header: header
            .line_span()
            .map(|(start, end)| LineRange { start, end }),
        offers_choice: effective::offers_choice(&header),
        detections,
        license_files: Vec::new(),
        declared: None,
        effective: None,
    };
    stated.effective = effective::effective(&stated);
    stated
}

/// A text match short of verbatim is dropped when the header names the same licence family
/// in another version: the short GPL-2.0-only notice ("under the terms of the GNU General
/// Public License version 2 as published by ...") scores 0.81 against the GPL-3.0 header.
fn contradicts(text: &LicenseDetection, named: &[LicenseDetection]) -> bool {
    const VERBATIM: f64 = 0.95;
    let Some(id) = text.license.as_deref() else {
        return false;
    };
    text.confidence < VERBATIM
        && named.iter().any(|n| {
            n.license
                .as_deref()
                .is_some_and(|other| other != id && names::family_of(other) == names::family_of(id))
        })
}

/// The one expression the evidence supports, if it supports one.
fn stated_license(tags: &[tags::Tag], detections: &[LicenseDetection]) -> Option<String> {
    let mut from_tags: Vec<String> = Vec::new();
    for t in tags {
        if let Some(c) = &t.canonical
            && !from_tags.contains(c)
        {
            from_tags.push(c.clone());
        }
    }
    if !from_tags.is_empty() {
        return Some(if from_tags.len() == 1 {
            from_tags.remove(0)
        } else {
            from_tags
                .iter()
                .map(|e| {
                    if e.contains(" OR ") {
                        format!("({e})")
                    } else {
                        e.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        });
    }
    // Texts and headers, else names: one licence, and no unresolved name beside it.
    for methods in [
        &[DetectionMethod::LicenseText, DetectionMethod::LicenseHeader][..],
        &[DetectionMethod::Name][..],
    ] {
        let relevant: Vec<&LicenseDetection> = detections
            .iter()
            .filter(|d| methods.contains(&d.method))
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let distinct: BTreeSet<Option<&str>> =
            relevant.iter().map(|d| d.license.as_deref()).collect();
        return match distinct.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(one)] => Some((*one).to_owned()),
            _ => None,
        };
    }
    None
}

/// The licence identifiers of an expression.
fn expression_ids(expr: &str) -> BTreeSet<String> {
    if let Ok(e) = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX) {
        return e
            .requirements()
            .map(|r| r.req.license.to_string())
            .collect();
    }
    [expr.to_owned()].into()
}

/// The licence identifiers a file states (from its expression, else from its detections).
fn license_ids(f: &FileLicense) -> BTreeSet<String> {
    if let Some(expr) = &f.license {
        return expression_ids(expr);
    }
    f.detections
        .iter()
        .filter_map(|d| d.license.clone())
        .collect()
}

/// Compare what two files state.
pub fn compare_licenses(a: FileLicense, b: FileLicense) -> LicenseComparison {
    let change = license_change(&a, &b);
    let copyright_changed = copyright_key(&a.copyrights) != copyright_key(&b.copyrights);
    LicenseComparison {
        a,
        b,
        change,
        copyright_changed,
    }
}

/// How the licence changed from `a` to `b`: between their effective licences when both have
/// one, else between what they state (a side whose licence files are unknown, such as
/// standard input, is not "changed" for want of them).
pub fn license_change(a: &FileLicense, b: &FileLicense) -> LicenseChange {
    let (ids_a, ids_b) = match (&a.effective, &b.effective) {
        (Some(ea), Some(eb)) => (
            expression_ids(&ea.expression),
            expression_ids(&eb.expression),
        ),
        _ => (license_ids(a), license_ids(b)),
    };
    match (ids_a.is_empty(), ids_b.is_empty()) {
        (true, true) => LicenseChange::NoneFound,
        (true, false) => LicenseChange::Added,
        (false, true) => LicenseChange::Removed,
        _ if ids_a == ids_b => LicenseChange::Same,
        _ => LicenseChange::Changed,
    }
}

/// Holders (lower case, whitespace collapsed) and years: what a copyright change is about.
fn copyright_key(c: &[Copyright]) -> BTreeSet<(String, Vec<(u16, u16)>)> {
    c.iter()
        .map(|c| {
            (
                c.holder.clone().unwrap_or_default().to_lowercase(),
                c.years.iter().map(|y| (y.start, y.end)).collect(),
            )
        })
        .collect()
}
