//! The licence part of a comparison: the licence and copyright lines each file states, and
//! whether the licence changed between A and B.

use super::comparison::LineRange;
use serde::{Deserialize, Serialize};

/// Licences and copyright statements of both files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LicenseComparison {
    /// What file A states.
    pub a: FileLicense,
    /// What file B states.
    pub b: FileLicense,
    /// Whether the licence changed from A to B: their `effective` licences compared when both
    /// have one, else what they state.
    pub change: LicenseChange,
    /// True when the copyright statements differ (holders or years), ignoring formatting.
    pub copyright_changed: bool,
}

/// The licence and copyright statements found in one file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileLicense {
    /// The file's licence as an SPDX expression, when it can be stated: the
    /// `SPDX-License-Identifier` tag(s) if present (joined with `AND` when a file has
    /// several); otherwise the licence(s) whose text or standard header the header comment
    /// contains; otherwise the one licence the header names. Absent when nothing was found, or
    /// when the header names several licences without saying how they combine (see
    /// `detections`).
    pub license: Option<String>,
    /// Every piece of licence evidence found, strongest first.
    pub detections: Vec<LicenseDetection>,
    /// Copyright statements, in order.
    pub copyrights: Vec<Copyright>,
    /// The lines of the comment(s) read as the file's header (the comments before the first
    /// line of code, or the first licence-like comment near the top).
    pub header: Option<LineRange>,
    /// The licence files (`LICENSE`, `COPYING`, ...) of the source tree the file is in: those
    /// of the nearest directory, from the file's own up to the repository root, that holds
    /// any. The licence a file without a header of its own is under, or the one its header
    /// points to ("found in the LICENSE file"). Empty when the file is not on disk (standard
    /// input) or no such file was found. Since schema 1.4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub license_files: Vec<LicenseFile>,
    /// The licence the file's package declares for it: the `Files` paragraph of a Debian
    /// source tree's `debian/copyright` (machine-readable, DEP-5) that matches the file, the
    /// nearest such file above it; else the package manifest of the file's tree
    /// (`Cargo.toml`'s `license`, `pyproject.toml`'s `project.license`, `setup.cfg`,
    /// `PKG-INFO`, `package.json`): the manifest of the nearest directory, from the file's own
    /// up, that holds licence files or a manifest declaring a licence (the one
    /// `license_files` come from). Absent when the file is not on disk or nothing declares one.
    /// Since schema 1.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<DeclaredLicense>,
    /// The header lets the licensee choose between the licences it names ("You may select,
    /// at your option, one of the above-listed licenses", "dual-licensed"): several licences
    /// then combine with `OR` in `effective`. Since schema 1.5.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offers_choice: bool,
    /// The licence the file is under, all its evidence read together: `license` when the file
    /// states one; else the licences its header names, each resolved through the licence file
    /// it points to ("the BSD-style license (found in the LICENSE file)" and that `LICENSE` is
    /// BSD-3-Clause), joined with `OR` when the header offers a choice; else, for a file whose
    /// header says nothing of its licence, the licence its package's manifest declares
    /// (`declared`), unless the licence files beside the manifest all state others; else the
    /// one licence its tree's licence files state. Absent when the evidence does not add up to
    /// one expression (a licence left unresolved, several licences without a stated choice,
    /// licence files that disagree and no manifest to settle it). Since schema 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<EffectiveLicense>,
}

/// The licence a file is under, and what says so (see [`FileLicense::effective`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EffectiveLicense {
    /// An SPDX expression.
    pub expression: String,
    /// Where it comes from.
    pub basis: EffectiveBasis,
}

/// What an [`EffectiveLicense`] rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EffectiveBasis {
    /// The file states it (`FileLicense::license`).
    Stated,
    /// The file's header names the licence(s) and points to the licence file(s) that hold
    /// them; at least one name was resolved through its file.
    HeaderAndLicenseFiles,
    /// The file's header says nothing of a licence; its tree's licence files all state this
    /// one.
    LicenseFiles,
    /// The file's header says nothing of a licence; its package's manifest declares this one
    /// (`FileLicense::declared`). Since schema 1.6.
    PackageManifest,
}

impl EffectiveBasis {
    /// The words reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            EffectiveBasis::Stated => "stated",
            EffectiveBasis::HeaderAndLicenseFiles => "header-and-license-files",
            EffectiveBasis::LicenseFiles => "license-files",
            EffectiveBasis::PackageManifest => "package-manifest",
        }
    }
}

/// The licence a package manifest declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeclaredLicense {
    /// The manifest's path: relative to the working directory when under it, else absolute.
    pub manifest: String,
    /// The value as the manifest writes it (`MIT/Apache-2.0`, `BSD License`).
    pub written: String,
    /// The value as a canonical SPDX expression (`MIT OR Apache-2.0`); absent when it is too
    /// vague to be one (`BSD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// For a `debian/copyright` (DEP-5), the `Files:` pattern that gives the file its licence
    /// (`src/zlib/*`); absent for a package manifest, which speaks for the whole package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<String>,
}

/// A licence file of the source tree a compared file is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LicenseFile {
    /// Its path: relative to the working directory when under it, else absolute.
    pub path: String,
    /// The licence it states, as an SPDX expression, found as in a file's header (tags,
    /// licence texts, then names); absent when none could be identified.
    pub license: Option<String>,
    /// How sure the detection of `license` is, in `[0, 1]` (see
    /// [`LicenseDetection::confidence`]); 0 without a licence.
    pub confidence: f64,
}

/// One piece of licence evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LicenseDetection {
    /// The SPDX licence identifier or expression. Absent for a licence named too vaguely to
    /// identify (`the BSD-style license`): `evidence` then holds the words.
    pub license: Option<String>,
    /// How it was found.
    pub method: DetectionMethod,
    /// How sure the detection is, in `[0, 1]`. Tags: 1.0. Licence texts and standard headers:
    /// the similarity of the comment text to the SPDX licence text (the `spdx` crate's
    /// detection, an askalono port; 0.8 and above is a match, 1.0 is verbatim). Names: 0.5
    /// (the header names the licence but does not quote it).
    pub confidence: f64,
    /// Where the evidence is.
    pub lines: LineRange,
    /// The evidence: the tag's expression as written, the matched licence's kind (`licence
    /// text`, `licence header`), or the words naming the licence.
    pub evidence: String,
    /// The licence file a named licence is said to be found in, as the header writes its name
    /// (`LICENSE`, `COPYING`): "the GPLv2 (found in the COPYING file ...)". Since schema 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see_file: Option<String>,
}

/// How a licence was detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DetectionMethod {
    /// An `SPDX-License-Identifier:` tag in a comment.
    SpdxTag,
    /// The comment contains the licence's text (as in the SPDX licence list).
    LicenseText,
    /// The comment contains the licence's standard notice (e.g. "This program is free
    /// software; you can redistribute it ..." for the GPL).
    LicenseHeader,
    /// The comment names the licence ("Licensed under the Apache License 2.0", "the GPLv2")
    /// without quoting it.
    Name,
}

/// A copyright statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Copyright {
    /// Its lines (a statement may continue on the next comment line).
    pub lines: LineRange,
    /// The statement as written, comment markers removed and whitespace collapsed.
    pub statement: String,
    /// The years it names, in order (`1995-2016, 2018` is two ranges).
    pub years: Vec<YearRange>,
    /// Who holds it, without the years, the `(c)` and `All rights reserved`; absent when the
    /// statement names none.
    pub holder: Option<String>,
}

/// A year or an inclusive range of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct YearRange {
    /// First year.
    pub start: u16,
    /// Last year (equal to `start` for a single year).
    pub end: u16,
}

/// How the licence changed from A to B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseChange {
    /// Both files state the same licence(s).
    Same,
    /// The files state different licences.
    Changed,
    /// Only B states a licence.
    Added,
    /// Only A states a licence (B's header lost it).
    Removed,
    /// Neither file states a licence simile could identify.
    NoneFound,
}

impl LicenseChange {
    /// The word as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenseChange::Same => "same",
            LicenseChange::Changed => "changed",
            LicenseChange::Added => "added",
            LicenseChange::Removed => "removed",
            LicenseChange::NoneFound => "none-found",
        }
    }
}
