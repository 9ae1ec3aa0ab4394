//! The licence a file is under, all its evidence read together ([`FileLicense::effective`]).
//!
//! What a file states ([`FileLicense::license`]) is often not the whole answer. zstd's headers
//! say "licensed under both the BSD-style license (found in the LICENSE file ...) and the
//! GPLv2 (found in the COPYING file ...). You may select, at your option, one of the
//! above-listed licenses": one name too vague to identify, one licence, and a choice. With the
//! tree's licence files (`LICENSE` is BSD-3-Clause, `COPYING` GPL-2.0-only) that is
//! `BSD-3-Clause OR GPL-2.0-only`. Django's files have no header at all: their licence is the
//! one of `LICENSE`. A name is resolved through a licence file only when the file's licence is
//! of the family the header names (a "BSD-style license" is never taken to be the GPL).

use super::files::TreeLicenses;
use super::header::CommentText;
use super::names;
use crate::report::{
    EffectiveBasis, EffectiveLicense, FileLicense, LicenseComparison, LicenseDetection, LicenseFile,
};

/// Phrases by which a header lets the licensee choose between the licences it names (lower
/// case).
const CHOICE_PHRASES: &[&str] = &[
    "at your option, one of",
    "at your choice",
    "your choice of",
    "you may select",
    "you may choose",
    "may be used under either",
    "under the terms of either",
    "dual licensed",
    "dual-licensed",
    "dually licensed",
    "dual license",
    "dual-license",
];

/// Whether the header offers a choice between licences (see [`CHOICE_PHRASES`]); the lines are
/// joined, so a phrase may run over a line break.
pub(crate) fn offers_choice(header: &CommentText) -> bool {
    let text = header
        .lines
        .iter()
        .map(|(_, l)| l.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    CHOICE_PHRASES.iter().any(|p| text.contains(p))
}

/// The licence `f` is under, from what it states, the licences its header names and the
/// licence files of its tree; `None` when the evidence does not add up to one expression.
pub fn effective(f: &FileLicense) -> Option<EffectiveLicense> {
    if let Some(stated) = &f.license {
        return Some(EffectiveLicense {
            expression: stated.clone(),
            basis: EffectiveBasis::Stated,
        });
    }
    if f.detections.is_empty() {
        return match from_manifest(f) {
            Manifest::Declares(e) => Some(e),
            Manifest::Contradicted => None,
            Manifest::Silent => from_license_files(&f.license_files),
        };
    }
    let mut ids: Vec<String> = Vec::new();
    let mut through_files = false;
    for d in &f.detections {
        let (id, through_file) = resolve(d, &f.license_files)?;
        through_files |= through_file;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let expression = match ids.len() {
        1 => ids.remove(0),
        _ if f.offers_choice => join_with_or(&ids),
        _ => return None,
    };
    Some(EffectiveLicense {
        expression,
        basis: if through_files {
            EffectiveBasis::HeaderAndLicenseFiles
        } else {
            EffectiveBasis::Stated
        },
    })
}

/// Give each side its tree's licence files and declared licence, and read both sides'
/// licences again with them.
pub fn attach_license_files(l: &mut LicenseComparison, a: TreeLicenses, b: TreeLicenses) {
    attach_tree(&mut l.a, a);
    attach_tree(&mut l.b, b);
    l.change = super::license_change(&l.a, &l.b);
}

/// Give one file its tree's licence files and declared licence, and read its licence again
/// with them.
pub fn attach_tree(f: &mut FileLicense, tree: TreeLicenses) {
    (f.license_files, f.declared) = (tree.files, tree.declared);
    f.effective = effective(f);
}

/// The licence a detection stands for, and whether a licence file told it: its own, else (a
/// name too vague to identify) the licence of the file it points to, or of the tree's licence
/// files when it points to none, if they all state one licence of the family it names.
fn resolve(d: &LicenseDetection, files: &[LicenseFile]) -> Option<(String, bool)> {
    if let Some(id) = &d.license {
        return Some((id.clone(), false));
    }
    let family = names::family_named(&d.evidence)?.to_ascii_lowercase();
    let candidates: Vec<&LicenseFile> = match &d.see_file {
        Some(name) => files.iter().filter(|f| file_is(f, name)).collect(),
        None => files.iter().collect(),
    };
    let licenses: Vec<&str> = candidates
        .iter()
        .filter_map(|f| f.license.as_deref())
        .filter(|l| names::family_of(l).to_ascii_lowercase() == family)
        .collect();
    match licenses.as_slice() {
        [first, rest @ ..] if rest.iter().all(|l| l == first) => Some(((*first).to_owned(), true)),
        _ => None,
    }
}

/// Whether licence file `f` is the one a header calls `name`: the same file name, or `name`
/// without the extension (`LICENSE` for `LICENSE.txt`), in any case.
fn file_is(f: &LicenseFile, name: &str) -> bool {
    let file_name = f.path.rsplit(['/', '\\']).next().unwrap_or(&f.path);
    let (file_name, name) = (file_name.to_ascii_lowercase(), name.to_ascii_lowercase());
    file_name == name
        || file_name
            .strip_prefix(&name)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// What the package's manifest says of a file's licence.
enum Manifest {
    /// It declares this licence.
    Declares(EffectiveLicense),
    /// It declares a licence, and the licence files beside it state only others: a manifest
    /// saying MIT over a `LICENSE` that is the GPL is a contradiction for a reader to settle,
    /// not an answer.
    Contradicted,
    /// No manifest, or a declaration too vague to be an SPDX expression (`BSD`).
    Silent,
}

/// The licence the package's manifest declares, weighed against the licence files beside it.
/// Licence files it does not name are notices of parts of the package (Django's
/// `LICENSE.python`, for code taken from Python). A manifest below the licence files'
/// directory would be another package's, but the search stops at the first directory holding
/// either, so a manifest is never farther than the licence files nor nearer.
fn from_manifest(f: &FileLicense) -> Manifest {
    let Some(expression) = f.declared.as_ref().and_then(|d| d.expression.as_ref()) else {
        return Manifest::Silent;
    };
    let declared: Vec<String> = super::tags::expression_ids(expression)
        .iter()
        .map(|id| without_version_scope(id))
        .collect();
    let stated: Vec<String> = f
        .license_files
        .iter()
        .filter_map(|l| l.license.as_deref())
        .flat_map(super::tags::expression_ids)
        .map(|id| without_version_scope(&id))
        .collect();
    if !stated.is_empty() && !stated.iter().any(|id| declared.contains(id)) {
        return Manifest::Contradicted;
    }
    Manifest::Declares(EffectiveLicense {
        expression: expression.clone(),
        basis: EffectiveBasis::PackageManifest,
    })
}

/// A GNU licence id without `-only` or `-or-later`: a `COPYING` holding the GPL-3.0 text reads
/// as `GPL-3.0-only` (the text cannot say "or later"; the notices that do are in the files),
/// and does not contradict a package declaring `GPL-3.0-or-later`.
fn without_version_scope(id: &str) -> String {
    id.trim_end_matches('+')
        .trim_end_matches("-or-later")
        .trim_end_matches("-only")
        .to_owned()
}

/// The one licence a tree's licence files all state, when each states one.
fn from_license_files(files: &[LicenseFile]) -> Option<EffectiveLicense> {
    let (first, rest) = files.split_first()?;
    let license = first.license.as_ref()?;
    rest.iter()
        .all(|f| f.license.as_ref() == Some(license))
        .then(|| EffectiveLicense {
            expression: license.clone(),
            basis: EffectiveBasis::LicenseFiles,
        })
}

/// `A OR B`, compound members in parentheses.
fn join_with_or(ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            if id.contains(' ') {
                format!("({id})")
            } else {
                id.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{DetectionMethod, LineRange};

    fn named(license: Option<&str>, evidence: &str, see_file: Option<&str>) -> LicenseDetection {
        LicenseDetection {
            license: license.map(str::to_owned),
            method: DetectionMethod::Name,
            confidence: names::NAME_CONFIDENCE,
            lines: LineRange { start: 5, end: 5 },
            evidence: evidence.into(),
            see_file: see_file.map(str::to_owned),
        }
    }

    fn file(path: &str, license: Option<&str>) -> LicenseFile {
        LicenseFile {
            path: path.into(),
            license: license.map(str::to_owned),
            confidence: 0.97,
        }
    }

    /// zstd's header and tree.
    fn zstd(offers_choice: bool) -> FileLicense {
        FileLicense {
            detections: vec![
                named(None, "BSD-style license", Some("LICENSE")),
                named(Some("GPL-2.0-only"), "GPLv2", Some("COPYING")),
            ],
            license_files: vec![
                file("zstd/COPYING", Some("GPL-2.0-only")),
                file("zstd/LICENSE", Some("BSD-3-Clause")),
            ],
            offers_choice,
            ..FileLicense::default()
        }
    }

    #[test]
    fn names_resolve_through_the_files_they_point_to() {
        let e = effective(&zstd(true)).unwrap();
        assert_eq!(e.expression, "BSD-3-Clause OR GPL-2.0-only");
        assert_eq!(e.basis, EffectiveBasis::HeaderAndLicenseFiles);
        // Two licences without a stated choice do not make one expression.
        assert_eq!(effective(&zstd(false)), None);
        // Without its licence files the vague name stays unresolved.
        let alone = FileLicense {
            license_files: Vec::new(),
            ..zstd(true)
        };
        assert_eq!(effective(&alone), None);
    }

    #[test]
    fn a_name_is_never_resolved_to_another_family() {
        let f = FileLicense {
            detections: vec![named(None, "BSD-style license", Some("COPYING"))],
            license_files: vec![file("COPYING", Some("GPL-2.0-only"))],
            ..FileLicense::default()
        };
        assert_eq!(effective(&f), None);
        // Pointing nowhere, it takes the tree's one licence of its family.
        let f = FileLicense {
            detections: vec![named(None, "BSD-style license", None)],
            license_files: vec![file("LICENSE.txt", Some("BSD-2-Clause"))],
            ..FileLicense::default()
        };
        let e = effective(&f).unwrap();
        assert_eq!(
            (e.expression.as_str(), e.basis),
            ("BSD-2-Clause", EffectiveBasis::HeaderAndLicenseFiles)
        );
    }

    #[test]
    fn a_file_without_licence_words_takes_its_trees_one_licence() {
        let django = FileLicense {
            license_files: vec![file("django-4.2.30/LICENSE", Some("BSD-3-Clause"))],
            ..FileLicense::default()
        };
        let e = effective(&django).unwrap();
        assert_eq!(
            (e.expression.as_str(), e.basis),
            ("BSD-3-Clause", EffectiveBasis::LicenseFiles)
        );
        // Files that disagree, or one that could not be identified, leave it open.
        for second in [Some("MIT"), None] {
            let two = FileLicense {
                license_files: vec![
                    file("LICENSE", Some("BSD-3-Clause")),
                    file("COPYING", second),
                ],
                ..FileLicense::default()
            };
            assert_eq!(effective(&two), None);
        }
    }

    fn declared(expression: Option<&str>) -> Option<crate::report::DeclaredLicense> {
        Some(crate::report::DeclaredLicense {
            manifest: "pyproject.toml".into(),
            written: expression.unwrap_or("BSD").into(),
            expression: expression.map(str::to_owned),
            files: None,
        })
    }

    #[test]
    fn a_manifest_settles_licence_files_that_disagree_unless_they_contradict_it() {
        // Django: LICENSE and LICENSE.python disagree; pyproject.toml declares BSD-3-Clause.
        let django = FileLicense {
            license_files: vec![
                file("django-5.1.15/LICENSE", Some("BSD-3-Clause")),
                file("django-5.1.15/LICENSE.python", Some("Python-2.0")),
            ],
            declared: declared(Some("BSD-3-Clause")),
            ..FileLicense::default()
        };
        let e = effective(&django).unwrap();
        assert_eq!(
            (e.expression.as_str(), e.basis),
            ("BSD-3-Clause", EffectiveBasis::PackageManifest)
        );
        // A crate: both licence texts, the choice declared.
        let dual = FileLicense {
            license_files: vec![
                file("LICENSE-APACHE", Some("Apache-2.0")),
                file("LICENSE-MIT", Some("MIT")),
            ],
            declared: declared(Some("MIT OR Apache-2.0")),
            ..FileLicense::default()
        };
        assert_eq!(effective(&dual).unwrap().expression, "MIT OR Apache-2.0");
        // A manifest alone declares; a vague one leaves the licence files to say.
        let alone = FileLicense {
            declared: declared(Some("ISC")),
            ..FileLicense::default()
        };
        assert_eq!(effective(&alone).unwrap().expression, "ISC");
        let vague = FileLicense {
            license_files: vec![file("LICENSE", Some("BSD-2-Clause"))],
            declared: declared(None),
            ..FileLicense::default()
        };
        assert_eq!(
            effective(&vague).map(|e| (e.expression, e.basis)),
            Some(("BSD-2-Clause".to_owned(), EffectiveBasis::LicenseFiles))
        );
        // Licence files that state only other licences contradict it: left open.
        let contradicted = FileLicense {
            license_files: vec![file("COPYING", Some("GPL-3.0-only"))],
            declared: declared(Some("MIT")),
            ..FileLicense::default()
        };
        assert_eq!(effective(&contradicted), None);
        // The GPL-3.0 text of a COPYING reads as -only: no contradiction of -or-later.
        let coreutils = FileLicense {
            license_files: vec![file("COPYING", Some("GPL-3.0-only"))],
            declared: declared(Some("GPL-3.0-or-later")),
            ..FileLicense::default()
        };
        assert_eq!(
            effective(&coreutils).unwrap().expression,
            "GPL-3.0-or-later"
        );
        // What the file says itself comes first.
        let stated = FileLicense {
            license: Some("blessing".into()),
            declared: declared(Some("MIT")),
            ..FileLicense::default()
        };
        assert_eq!(effective(&stated).unwrap().expression, "blessing");
    }

    #[test]
    fn a_stated_licence_is_the_effective_one() {
        let f = FileLicense {
            license: Some("MIT".into()),
            license_files: vec![file("LICENSE", Some("Apache-2.0"))],
            ..FileLicense::default()
        };
        let e = effective(&f).unwrap();
        assert_eq!(
            (e.expression.as_str(), e.basis),
            ("MIT", EffectiveBasis::Stated)
        );
    }

    #[test]
    fn choice_phrases_are_found_across_lines() {
        let text = |lines: &[&str]| CommentText {
            lines: lines
                .iter()
                .enumerate()
                .map(|(k, l)| (k as u32 + 1, (*l).to_owned()))
                .collect(),
        };
        assert!(offers_choice(&text(&[
            "in the COPYING file in the root directory of this source tree).",
            "You may select, at your option, one of the above-listed licenses."
        ])));
        assert!(offers_choice(&text(&[
            "Dual licensed under the MIT and",
            "GPL licenses."
        ])));
        // The GPL's "or (at your option) any later version" is a version, not a choice.
        assert!(!offers_choice(&text(&[
            "either version 2 of the License, or (at your option) any later version."
        ])));
    }
}
