//! Licences a header names without quoting: "Licensed under the Apache License 2.0", "the
//! OpenSSL license", "the GPLv2", "the BSD-style license".
//!
//! This is the weakest evidence (confidence 0.5) and is only looked for when the header has
//! neither a tag nor a licence text. Names are resolved with the `spdx` crate's identifier
//! list and its table of imprecise names; a name without a version where the family has
//! several (`BSD-style`, `GPL`, `Apache License`) is reported unresolved, with its words, so a
//! reader is never told `BSD-2-Clause` when the file says only "BSD-style".

use super::header::CommentText;
use crate::report::{DetectionMethod, LicenseDetection, LineRange};

/// Confidence of a licence named but not quoted.
pub const NAME_CONFIDENCE: f64 = 0.5;

/// Long licence names that the imprecise table does not cover, to SPDX id prefixes (the
/// version is appended: `Mozilla Public License, v. 2.0` -> `MPL-2.0`), and the version to
/// assume when none is written, if one can be assumed.
///
/// The CDDL is the one such case: a version-less "Common Development and Distribution
/// License" is the OpenSolaris/illumos header boilerplate ("CDDL HEADER START ... see
/// usr/src/OPENSOLARIS.LICENSE"), and that licence file is CDDL 1.0; CDDL 1.1 notices state
/// their version.
const LONG_NAMES: &[(&[&str], &str, Option<&str>)] = &[
    (&["apache", "license"], "Apache", None),
    (&["apache", "software", "license"], "Apache", None),
    (&["mozilla", "public", "license"], "MPL", None),
    (&["eclipse", "public", "license"], "EPL", None),
    (
        &["common", "development", "and", "distribution", "license"],
        "CDDL",
        Some("1.0"),
    ),
    (&["boost", "software", "license"], "BSL", None),
    (&["gnu", "general", "public", "license"], "GPL", None),
    (
        &["gnu", "lesser", "general", "public", "license"],
        "LGPL",
        None,
    ),
    (
        &["gnu", "library", "general", "public", "license"],
        "LGPL",
        None,
    ),
    (
        &["gnu", "affero", "general", "public", "license"],
        "AGPL",
        None,
    ),
    (&["artistic", "license"], "Artistic", None),
];

/// Families that exist in several versions or variants: named without one, they stay
/// unresolved.
const AMBIGUOUS_FAMILIES: &[&str] = &[
    "bsd", "gpl", "lgpl", "agpl", "mpl", "apache", "epl", "cddl", "cc", "artistic",
];

#[derive(Debug, Clone)]
struct Word {
    text: String,
    lower: String,
    line: u32,
}

/// Licences named in the header.
pub fn detect(text: &CommentText) -> Vec<LicenseDetection> {
    let words = words(text);
    // (detection, family): unresolved names keep their family (`GPL`, `BSD`).
    let mut found_all: Vec<(LicenseDetection, String)> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !near_license_word(&words, k) {
            k += 1;
            continue;
        }
        if let Some((mut found, family, used)) = resolve_at(&words, k) {
            found.see_file = file_reference(&words[k + used..]);
            let duplicate = found_all.iter().any(|(d, _)| {
                d.license == found.license
                    && (found.license.is_some() || d.evidence == found.evidence)
            });
            if !duplicate {
                found_all.push((found, family));
            }
            k += used.max(1);
        } else {
            k += 1;
        }
    }
    // "GNU General Public License version 2 ... See the GNU General Public License for more
    // details": the vague second mention is the licence the first names precisely.
    let resolved: Vec<String> = found_all
        .iter()
        .filter(|(d, _)| d.license.is_some())
        .map(|(_, f)| f.to_ascii_lowercase())
        .collect();
    found_all
        .into_iter()
        .filter(|(d, f)| d.license.is_some() || !resolved.contains(&f.to_ascii_lowercase()))
        .map(|(d, _)| d)
        .collect()
}

/// The family of the licence `evidence` names (`BSD` for "BSD-style license", `GPL` for "GNU
/// General Public License"), as [`detect`] read it.
pub(crate) fn family_named(evidence: &str) -> Option<String> {
    let text = CommentText {
        lines: vec![(1, evidence.to_owned())],
    };
    let words = words(&text);
    (!words.is_empty())
        .then(|| resolve_at(&words, 0))
        .flatten()
        .map(|(_, family, _)| family)
}

/// How many words after a licence's name may say which file holds it: "the BSD-style license
/// (found in the LICENSE file ...)", "a BSD-style license that can be found in the LICENSE
/// file".
const REFERENCE_REACH: usize = 10;

/// The licence file the words after a licence's name point to, before the next licence
/// (`and`, `or`): a licence file's name written as one (`LICENSE`, `COPYING.LIB`,
/// `LICENSE-MIT`), or next to the word `file` ("the file Copying"). The Apache header's "the
/// License" is the licence, not a file.
fn file_reference(after: &[Word]) -> Option<String> {
    let reach = &after[..after.len().min(REFERENCE_REACH)];
    let is_file_word =
        |w: Option<&Word>| w.is_some_and(|w| matches!(w.lower.as_str(), "file" | "files"));
    for (n, w) in reach.iter().enumerate() {
        if matches!(w.lower.as_str(), "and" | "or") {
            return None;
        }
        // `(see LICENSE-APACHE).` leaves `LICENSE-APACHE)` after the words' trimming.
        let name = w
            .text
            .trim_end_matches([')', '.', ',', ';', ':', '"', '\'']);
        if !super::files::is_license_file_name(name) {
            continue;
        }
        let stem: String = name
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let written_as_file = stem.chars().all(|c| c.is_ascii_uppercase());
        let beside_file =
            is_file_word(reach.get(n + 1)) || (n > 0 && is_file_word(reach.get(n - 1)));
        if written_as_file || beside_file {
            return Some(name.to_owned());
        }
    }
    None
}

/// `GPL-3.0-or-later` -> `GPL`, `BSD-2-Clause` -> `BSD`, `MIT` -> `MIT`.
pub(crate) fn family_of(id: &str) -> String {
    let bytes = id.as_bytes();
    let cut = (1..bytes.len())
        .find(|&k| bytes[k - 1] == b'-' && bytes[k].is_ascii_digit())
        .map_or(id.len(), |k| k - 1);
    id[..cut].to_owned()
}

fn words(text: &CommentText) -> Vec<Word> {
    let mut out = Vec::new();
    for (line, l) in &text.lines {
        for raw in l.split_whitespace() {
            let t = raw
                .trim_matches(|c: char| {
                    matches!(
                        c,
                        '(' | ')' | '"' | '\'' | ',' | ';' | ':' | '[' | ']' | '`'
                    )
                })
                .trim_end_matches('.');
            if t.is_empty() {
                continue;
            }
            out.push(Word {
                text: t.to_owned(),
                lower: t.to_ascii_lowercase(),
                line: *line,
            });
        }
    }
    out
}

/// Names count only in a sentence about licensing: within a few words of `license`,
/// `licence`, `licensed`.
fn near_license_word(words: &[Word], k: usize) -> bool {
    let from = k.saturating_sub(12);
    let to = (k + 6).min(words.len());
    words[from..to].iter().any(|w| w.lower.starts_with("licen"))
}

fn is_license_word(w: Option<&Word>) -> bool {
    w.is_some_and(|w| {
        matches!(
            w.lower.as_str(),
            "license" | "licence" | "licenses" | "licences"
        )
    })
}

fn detection(license: Option<String>, words: &[Word], evidence_len: usize) -> LicenseDetection {
    let used = &words[..evidence_len.min(words.len()).max(1)];
    LicenseDetection {
        license,
        method: DetectionMethod::Name,
        confidence: NAME_CONFIDENCE,
        lines: LineRange {
            start: used[0].line,
            end: used[used.len() - 1].line,
        },
        evidence: used
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        see_file: None,
    }
}

/// A licence named at word `k`: the detection, the licence family, and the number of words
/// it spans.
fn resolve_at(words: &[Word], k: usize) -> Option<(LicenseDetection, String, usize)> {
    let here = &words[k..];
    let w = &here[0];
    // An exact SPDX identifier: distinctive ones (`Apache-2.0`, `GPL-2.0-or-later`) alone,
    // plain words (`MIT`, `Zlib`, `OpenSSL`) only before `license`.
    if let Some(id) = spdx::license_id(&w.text) {
        let distinctive = w.text.contains(|c: char| c.is_ascii_digit() || c == '-');
        if distinctive || is_license_word(here.get(1)) {
            let n = if distinctive { 1 } else { 2 };
            return Some((
                detection(Some(canonical(id)), here, n),
                family_of(id.name),
                n,
            ));
        }
    }
    // `Apache License 2.0`, `Mozilla Public License, v. 2.0`.
    for (name, prefix, default_version) in LONG_NAMES {
        if here.len() >= name.len() && name.iter().zip(here).all(|(n, w)| w.lower == *n) {
            let mut j = name.len();
            if here
                .get(j)
                .is_some_and(|w| matches!(w.lower.as_str(), "version" | "v" | "v."))
                && j + 1 < here.len()
            {
                j += 1;
            }
            let written = here
                .get(j)
                .and_then(|w| version(w.lower.trim_start_matches('v')));
            let (version, used) = match (written, default_version) {
                (Some(v), _) => (Some(v), j + 1),
                (None, Some(v)) => (Some((*v).to_owned()), name.len()),
                (None, None) => (None, name.len()),
            };
            if let Some(version) = version {
                let candidates = [
                    format!("{prefix}-{version}"),
                    format!("{prefix}-{version}-only"),
                ];
                if let Some(id) = candidates.iter().find_map(|c| spdx::license_id(c)) {
                    return Some((
                        detection(Some(canonical(id)), here, used),
                        (*prefix).to_owned(),
                        used,
                    ));
                }
            }
            return Some((
                detection(None, here, name.len()),
                (*prefix).to_owned(),
                name.len(),
            ));
        }
    }
    // The imprecise table: `GPLv2`, `gpl v2`, `apache2`, `BSD-style license`.
    let rest: String = here
        .iter()
        .take(4)
        .map(|w| w.lower.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some((id, len)) = spdx::imprecise_license_id(&rest) {
        let matched = &rest[..len];
        let at_boundary = rest[len..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        // The table maps `gnu gpl v2` to GPL-3.0; `gpl v2` (one word on) is right.
        if !at_boundary || matched.starts_with("gnu ") {
            return None;
        }
        let used = matched.split(' ').count();
        let versioned = matched.contains(|c: char| c.is_ascii_digit());
        let family = matched.trim_end_matches(|c: char| !c.is_ascii_alphabetic());
        if versioned || !AMBIGUOUS_FAMILIES.contains(&family) {
            return Some((
                detection(Some(canonical(id)), here, used),
                family_of(id.name),
                used,
            ));
        }
        // `BSD-style license`: named, not identified.
        let span = if is_license_word(here.get(used)) {
            used + 1
        } else {
            used
        };
        return Some((detection(None, here, span), family_of(id.name), span));
    }
    None
}

/// `2`, `2.0`, `1.1` -> `2.0`, `2.0`, `1.1`.
fn version(v: &str) -> Option<String> {
    let v = v.trim_end_matches(['.', ',']);
    if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Some(if v.contains('.') {
        v.to_owned()
    } else {
        format!("{v}.0")
    })
}

/// GNU licences in their `-only` form, as the SPDX list now spells them.
fn canonical(id: spdx::LicenseId) -> String {
    if id.is_gnu() && !id.name.ends_with("-only") && !id.name.ends_with("-or-later") {
        format!("{}-only", id.name)
    } else {
        id.name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::header::strip_markers;

    /// The licences named in a comment's source.
    fn detected(src: &str) -> Vec<LicenseDetection> {
        let lines = src
            .lines()
            .enumerate()
            .map(|(k, l)| (k as u32 + 1, strip_markers(l)))
            .collect();
        detect(&CommentText { lines })
    }

    fn named(src: &str) -> Vec<(Option<String>, String)> {
        detected(src)
            .into_iter()
            .map(|d| (d.license, d.evidence))
            .collect()
    }

    #[test]
    fn openssl_names_its_licence() {
        let v3 = " * Licensed under the Apache License 2.0 (the \"License\").  You may not use\n * this file except in compliance with the License.";
        assert_eq!(
            named(v3),
            [(Some("Apache-2.0".into()), "Apache License 2.0".into())]
        );
        let v1 = " * Licensed under the OpenSSL license (the \"License\").  You may not use";
        assert_eq!(
            named(v1),
            [(Some("OpenSSL".into()), "OpenSSL license".into())]
        );
    }

    #[test]
    fn zstd_dual_licence_is_named_half_vaguely() {
        let zstd = " * This source code is licensed under both the BSD-style license (found in the\n * LICENSE file in the root directory of this source tree) and the GPLv2 (found\n * in the COPYING file in the root directory of this source tree).";
        assert_eq!(
            named(zstd),
            [
                (None, "BSD-style license".into()),
                (Some("GPL-2.0-only".into()), "GPLv2".into())
            ]
        );
    }

    fn see_files(src: &str) -> Vec<Option<String>> {
        detected(src).into_iter().map(|d| d.see_file).collect()
    }

    #[test]
    fn names_keep_the_licence_file_they_point_to() {
        let zstd = " * This source code is licensed under both the BSD-style license (found in the\n * LICENSE file in the root directory of this source tree) and the GPLv2 (found\n * in the COPYING file in the root directory of this source tree).";
        assert_eq!(
            see_files(zstd),
            [Some("LICENSE".into()), Some("COPYING".into())]
        );
        let go = "// Use of this source code is governed by a BSD-style\n// license that can be found in the LICENSE file.";
        assert_eq!(see_files(go), [Some("LICENSE".into())]);
        let lower = "Licensed under the MIT license; see the file Copying.txt for details.";
        assert_eq!(see_files(lower), [Some("Copying.txt".into())]);
        // The Apache header's "the License" is the licence itself, not a file.
        let apache = " * Licensed under the Apache License 2.0 (the \"License\").  You may not use\n * this file except in compliance with the License.";
        assert_eq!(see_files(apache), [None]);
        // A file named after the next licence is that licence's.
        let two = "Licensed under the MIT license or the Apache License 2.0 (see LICENSE-APACHE).";
        assert_eq!(see_files(two), [None, Some("LICENSE-APACHE".into())]);
    }

    #[test]
    fn prose_without_licence_names_is_ignored() {
        assert!(named("The author disclaims copyright to this source code.").is_empty());
        assert!(named("This file is licensed as described in the LICENSE file.").is_empty());
        assert!(named("We submit that the MIT group permitted this.").is_empty());
    }
}
