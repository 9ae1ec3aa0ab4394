//! Licence texts and standard headers: the header comment compared with the SPDX licence list
//! by the `spdx` crate's detection (a port of askalono: normalized word bigrams, Dice score),
//! over a store of only the licences the header could match ([`super::catalogue`]: building it
//! takes a millisecond or two, where the whole store of 700 licences takes 0.12 s to load).

use super::header::CommentText;
use crate::report::LicenseDetection;

/// A match at or above this score is reported (askalono's own "confident" bar).
pub const MIN_CONFIDENCE: f32 = 0.8;

/// Licences whose text or standard header the comment contains, strongest first.
#[cfg(feature = "license-detection")]
pub fn detect(text: &CommentText) -> Vec<LicenseDetection> {
    let joined = text.joined();
    if joined.trim().is_empty() {
        return Vec::new();
    }
    let Some(catalogue) = super::catalogue::catalogue() else {
        return Vec::new();
    };
    let candidates = catalogue.candidates(&joined);
    if candidates.is_empty() {
        return Vec::new();
    }
    detect_in(&catalogue.store(&candidates), text)
}

/// [`detect`] over a given store of licences (the whole list gives the same answers, more
/// slowly).
#[cfg(feature = "license-detection")]
pub fn detect_in(store: &spdx::detection::Store, text: &CommentText) -> Vec<LicenseDetection> {
    use crate::report::{DetectionMethod, LineRange};
    use spdx::detection::scan::Scanner;
    use spdx::detection::{LicenseType, TextData};

    let joined = text.joined();
    if joined.trim().is_empty() {
        return Vec::new();
    }
    let data = TextData::new(&joined);
    // `optimize` narrows the match to the lines holding the licence, so a header with a
    // description and copyright lines around the licence still matches it in full.
    let scanner = Scanner::new(store)
        .confidence_threshold(MIN_CONFIDENCE)
        .shallow_limit(0.99)
        .optimize(true)
        .max_passes(4);
    let result = scanner.scan(&data);
    let method = |kind: LicenseType| match kind {
        LicenseType::Header => DetectionMethod::LicenseHeader,
        LicenseType::Original | LicenseType::Alternate => DetectionMethod::LicenseText,
    };
    // The text of a GNU licence is the same for `-only` and `-or-later` (the store names it
    // `GPL-2.0+`); only a notice grants "any later version". A text alone grants its version.
    let id = |name: &str, kind: LicenseType| {
        let id = canonical(name);
        match (kind, id.strip_suffix("-or-later")) {
            (LicenseType::Header, _) | (_, None) => id,
            (_, Some(base)) => format!("{base}-only"),
        }
    };
    // Line views index the joined text's lines; the last may be the empty one after the
    // final newline.
    let last = text.lines.len().saturating_sub(1);
    let line_of = |k: usize| text.lines.get(k.min(last)).map_or(0, |l| l.0);
    let whole = text
        .line_span()
        .map(|(s, e)| LineRange { start: s, end: e });
    let mut out = Vec::new();
    if result.containing.is_empty()
        && let (Some(license), Some(lines)) = (result.license, whole)
    {
        out.push(LicenseDetection {
            license: Some(canonical(license.name)),
            method: method(license.kind),
            confidence: round(result.score),
            lines,
            evidence: license.kind.to_string(),
            see_file: None,
        });
    }
    for c in &result.containing {
        let (first, end) = c.line_range;
        let lines = LineRange {
            start: line_of(first),
            end: line_of(end.saturating_sub(1).max(first)),
        };
        out.push(LicenseDetection {
            license: Some(id(c.license.name, c.license.kind)),
            method: method(c.license.kind),
            confidence: round(c.score),
            lines,
            evidence: c.license.kind.to_string(),
            see_file: None,
        });
    }
    out.sort_by(|x, y| y.confidence.total_cmp(&x.confidence));
    out.dedup_by(|x, y| x.license == y.license);
    out
}

/// The licence `text` is the whole of, and the match score: for a licence file, which holds
/// one licence's text and little else. A store of only the licences of about its size, and one
/// match of the whole text (no search for a licence inside it): a GPL-2.0 `COPYING` took 66 ms
/// as a header is searched, 4 ms so. `None` when no licence matches the whole text (a file
/// holding several licences, or a preamble): [`super::file_license`] then reads it as any
/// file.
#[cfg(feature = "license-detection")]
pub fn detect_whole(text: &str) -> Option<(String, f64)> {
    use spdx::detection::TextData;
    use spdx::detection::scan::Scanner;

    let catalogue = super::catalogue::catalogue()?;
    let candidates = catalogue.whole_text_candidates(text);
    if candidates.is_empty() {
        return None;
    }
    let store = catalogue.store(&candidates);
    let scanner = Scanner::new(&store).confidence_threshold(MIN_CONFIDENCE);
    let result = scanner.scan(&TextData::new(text));
    let license = result.license?;
    // A licence text grants its own version (`GPL-2.0+` is the store's name for the GNU text).
    let id = canonical(license.name);
    let id = match id.strip_suffix("-or-later") {
        Some(base) if license.kind != spdx::detection::LicenseType::Header => {
            format!("{base}-only")
        }
        _ => id,
    };
    Some((id, round(result.score)))
}

/// Without the `license-detection` feature, no licence text is recognized.
#[cfg(not(feature = "license-detection"))]
pub fn detect_whole(_text: &str) -> Option<(String, f64)> {
    None
}

/// Without the `license-detection` feature, licence texts are not recognized (tags, names
/// and copyright lines still are).
#[cfg(not(feature = "license-detection"))]
pub fn detect(_text: &CommentText) -> Vec<LicenseDetection> {
    Vec::new()
}

/// Whether licence texts can be recognized in this build.
pub fn available() -> bool {
    cfg!(feature = "license-detection")
}

/// The current SPDX spelling of a licence the store names by a deprecated id (`GPL-2.0+` ->
/// `GPL-2.0-or-later`, `GPL-2.0` -> `GPL-2.0-only`).
#[cfg(feature = "license-detection")]
fn canonical(name: &str) -> String {
    match spdx::Expression::canonicalize(name) {
        Ok(Some(fixed)) => fixed,
        _ => name.to_owned(),
    }
}

#[cfg(feature = "license-detection")]
fn round(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}
