//! JSON shaped like SCANOSS scan results, so compliance tooling that reads SCANOSS output
//! (dashboards, SBOM converters, policy checks) can read simile's answer.
//!
//! The document maps each scanned (query) path to a list of matches, as the SCANOSS engine and
//! `scanoss.py` write it:
//!
//! ```json
//! {
//!   "src/inflate.c": [
//!     {
//!       "id": "snippet",
//!       "status": "pending",
//!       "lines": "12-40,52-80",
//!       "oss_lines": "10-38,60-88",
//!       "matched": "83%",
//!       "file": "vendor/zlib/inflate.c",
//!       "server": { "name": "simile", "version": "0.1.0" }
//!     }
//!   ]
//! }
//! ```
//!
//! How the fields are chosen for a comparison of A (the scanned file) against B (the match):
//! - `id`: `file` when A and B are byte-identical (equal content hashes: what SCANOSS's
//!   whole-file MD5 match means), `snippet` when at least one region matched, `none`
//!   otherwise. A `none` match carries only `id` and `server`, as SCANOSS writes it.
//! - `lines` / `oss_lines`: the regions' lines in A and in B, in A's order, paired one to one
//!   (the n-th range of `lines` matches the n-th of `oss_lines`); regions that touch on both
//!   sides are merged. `all` for a `file` match.
//! - `matched`: the share of A's code tokens that are matched, rounded to a whole percent
//!   (SCANOSS counts lines; tokens ignore comments and blank lines, which is what licence
//!   provenance is about).
//! - `file`: B's path. `status` is always `pending` (nothing was reviewed yet).
//! - `licenses`: written when the report carries licence information for B (each SPDX licence
//!   found, with `source` `file_spdx_tag`, `file_header`, `component_declared` (the package
//!   manifest of B's tree) or `license_file`); simile does not
//!   invent component, vendor, version or purl fields it does not know.
//!
//! For `clones`, each file of a listed pair maps to its list of matches: the other file of each
//! of its pairs, in the order of the pairs (best first). A pair appears twice, once under each
//! of its files, seen from that file: `lines` are that file's lines, `oss_lines` the other's,
//! in that file's order, and `matched` is the share of that file's code matched in the other
//! (imports and `--ignore`d base code left out, as the clones scores are). Files without a
//! listed pair are left out: a clone search is not a scan of each file.
//!
//! For `find`, as for a SCANOSS scan of many files, each query path maps to its list of
//! matches, best first (one entry per ranked file; a query without a match gets one `none`
//! entry):
//! - `id`, `file`, `status` as above; `matched` is the share of the query's code matched in
//!   that file, imports and `--ignore`d base code left out (the ranking's `coverage_query`).
//! - `lines` / `oss_lines` come from the comparison with the best match, so only the first
//!   entry has them, and only when the search ran with `--compare`; the other entries leave
//!   them out rather than guess (the ranking knows how many lines match, not which).

use crate::Document;
use serde::Serialize;
use simile::report::{
    ClonePair, Clones, Comparison, DetectionMethod, FileLicense, FindMatch, Generator, LineRange,
    QueryResult, ReportBody,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One entry of a path's match list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanMatch {
    /// `file`, `snippet` or `none`.
    pub id: &'static str,
    /// Always `pending` (absent for `none`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Matched lines of the scanned file: `1-37,40-52`, or `all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<String>,
    /// The corresponding lines of the matched file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oss_lines: Option<String>,
    /// Share of the scanned file that matches: `97%`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The matched file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Licences of the matched file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<License>>,
    /// Who answered.
    pub server: Server,
}

/// A licence, as SCANOSS lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct License {
    /// SPDX identifier.
    pub name: String,
    /// Where it was found (`file_spdx_tag`, `license_file`, ...).
    pub source: String,
}

/// The `server` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    /// Always `simile`.
    pub name: String,
    /// The simile version.
    pub version: String,
}

/// Write the SCANOSS-style JSON.
pub fn render(doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut results: BTreeMap<&str, Vec<ScanMatch>> = BTreeMap::new();
    let generator = &doc.report.generator;
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            results
                .entry(&comparison.a.path)
                .or_default()
                .push(comparison_match(comparison, generator));
        }
        ReportBody::Clones { clones } => {
            for (path, entry) in clones_matches(clones, generator) {
                results.entry(path).or_default().push(entry);
            }
        }
        ReportBody::Find { find } => {
            for q in &find.queries {
                results
                    .entry(&q.query.path)
                    .or_default()
                    .extend(query_matches(q, generator));
            }
        }
    }
    serde_json::to_writer_pretty(&mut *out, &results)?;
    out.write_all(b"\n")
}

/// The `none` entry: nothing matched.
fn no_match(generator: &Generator) -> ScanMatch {
    ScanMatch {
        id: "none",
        status: None,
        lines: None,
        oss_lines: None,
        matched: None,
        file: None,
        licenses: None,
        server: Server {
            name: generator.name.clone(),
            version: generator.version.clone(),
        },
    }
}

/// The match entries of one query of a search, best first.
pub fn query_matches(q: &QueryResult, generator: &Generator) -> Vec<ScanMatch> {
    let entries: Vec<ScanMatch> = q
        .matches
        .iter()
        .filter_map(|m| find_match(q, m, generator))
        .collect();
    if entries.is_empty() {
        vec![no_match(generator)]
    } else {
        entries
    }
}

/// One ranked file as an entry; `None` when nothing of it matches (two empty files).
fn find_match(q: &QueryResult, m: &FindMatch, generator: &Generator) -> Option<ScanMatch> {
    // The match's own licence (`--licenses`), else the best match's from `--compare`.
    let none = ScanMatch {
        licenses: m.license.as_ref().and_then(licenses).or_else(|| {
            best_comparison(q, m)
                .and_then(|c| c.licenses.as_ref())
                .and_then(|l| licenses(&l.b))
        }),
        ..no_match(generator)
    };
    let identical = q.query.bytes > 0
        && q.query.content_hash == m.file.content_hash
        && q.query.bytes == m.file.bytes;
    if identical {
        return Some(ScanMatch {
            id: "file",
            status: Some("pending"),
            lines: Some("all".into()),
            oss_lines: Some("all".into()),
            matched: Some("100%".into()),
            file: Some(m.file.path.clone()),
            ..none
        });
    }
    if m.matched_tokens == 0 {
        return None;
    }
    // The comparison is with the best match only.
    let ranges = best_comparison(q, m)
        .filter(|c| !c.regions.is_empty())
        .map(paired_ranges);
    let (lines, oss_lines) = ranges.unzip();
    Some(ScanMatch {
        id: "snippet",
        status: Some("pending"),
        lines,
        oss_lines,
        matched: Some(format!("{:.0}%", m.coverage_query * 100.0)),
        file: Some(m.file.path.clone()),
        ..none
    })
}

/// The comparison of the query with `m`, when the search kept it (`--compare`: the best match).
fn best_comparison<'a>(q: &'a QueryResult, m: &FindMatch) -> Option<&'a Comparison> {
    q.comparison
        .as_deref()
        .filter(|c| m.rank == 1 && c.b.path == m.file.path)
}

/// The match entry for one comparison (A scanned, B matched).
pub fn comparison_match(c: &Comparison, generator: &Generator) -> ScanMatch {
    let none = no_match(generator);
    let b_licenses = c.licenses.as_ref().and_then(|l| licenses(&l.b));
    if c.a.bytes > 0 && c.a.content_hash == c.b.content_hash && c.a.bytes == c.b.bytes {
        return ScanMatch {
            id: "file",
            status: Some("pending"),
            lines: Some("all".into()),
            oss_lines: Some("all".into()),
            matched: Some("100%".into()),
            file: Some(c.b.path.clone()),
            // A whole-file copy is where its licence matters most.
            licenses: b_licenses,
            ..none
        };
    }
    if c.regions.is_empty() {
        return none;
    }
    let (lines, oss_lines) = paired_ranges(c);
    ScanMatch {
        id: "snippet",
        status: Some("pending"),
        lines: Some(lines),
        oss_lines: Some(oss_lines),
        matched: Some(format!("{:.0}%", c.scores.coverage_a * 100.0)),
        file: Some(c.b.path.clone()),
        licenses: b_licenses,
        ..none
    }
}

/// Every entry of a clone search, as (scanned path, match): each listed pair seen from A, then
/// from B, pair by pair.
pub fn clones_matches<'a>(clones: &'a Clones, generator: &Generator) -> Vec<(&'a str, ScanMatch)> {
    let mut entries = Vec::with_capacity(clones.pairs.len() * 2);
    for pair in &clones.pairs {
        for from_a in [true, false] {
            if let Some(entry) = clone_match(pair, from_a, generator) {
                let scanned = if from_a { &pair.a } else { &pair.b };
                entries.push((scanned.as_str(), entry));
            }
        }
    }
    entries
}

/// One pair seen from A (`from_a`) or from B; `None` when nothing of it matched.
fn clone_match(pair: &ClonePair, from_a: bool, generator: &Generator) -> Option<ScanMatch> {
    let c = &pair.comparison;
    let (other, coverage) = if from_a {
        (&c.b, pair.coverage_a)
    } else {
        (&c.a, pair.coverage_b)
    };
    let other_license = c
        .licenses
        .as_ref()
        .and_then(|l| licenses(if from_a { &l.b } else { &l.a }));
    let none = no_match(generator);
    if c.a.bytes > 0 && c.a.content_hash == c.b.content_hash && c.a.bytes == c.b.bytes {
        return Some(ScanMatch {
            id: "file",
            status: Some("pending"),
            lines: Some("all".into()),
            oss_lines: Some("all".into()),
            matched: Some("100%".into()),
            file: Some(other.path.clone()),
            licenses: other_license,
            ..none
        });
    }
    if c.regions.is_empty() {
        return None;
    }
    let mut spans: Vec<(LineRange, LineRange)> = c
        .regions
        .iter()
        .map(|r| {
            if from_a {
                (r.a.lines(), r.b.lines())
            } else {
                (r.b.lines(), r.a.lines())
            }
        })
        .collect();
    // In the scanned file's order: regions come in A's order, and moved ones are not in B's.
    spans.sort_by_key(|&(scanned, _)| scanned);
    let (lines, oss_lines) = joined_ranges(&spans);
    Some(ScanMatch {
        id: "snippet",
        status: Some("pending"),
        lines: Some(lines),
        oss_lines: Some(oss_lines),
        matched: Some(format!("{:.0}%", coverage * 100.0)),
        file: Some(other.path.clone()),
        licenses: other_license,
        ..none
    })
}

/// The licences a file states, as SCANOSS lists them: each identified licence once, with where
/// it was found. `None` when nothing was identified.
fn licenses(f: &FileLicense) -> Option<Vec<License>> {
    let mut list: Vec<License> = Vec::new();
    for d in &f.detections {
        let Some(name) = &d.license else { continue };
        if list.iter().any(|l| &l.name == name) {
            continue;
        }
        let source = match d.method {
            DetectionMethod::SpdxTag => "file_spdx_tag",
            DetectionMethod::LicenseText => "license_file",
            DetectionMethod::LicenseHeader | DetectionMethod::Name => "file_header",
        };
        list.push(License {
            name: name.clone(),
            source: source.into(),
        });
    }
    // The licence the package declares (SCANOSS's `component_declared`), then the licence
    // files of the file's tree, after what the file states itself.
    if let Some(expression) = f.declared.as_ref().and_then(|d| d.expression.as_ref())
        && !list.iter().any(|l| &l.name == expression)
    {
        list.push(License {
            name: expression.clone(),
            source: "component_declared".into(),
        });
    }
    for name in f.license_files.iter().filter_map(|l| l.license.as_ref()) {
        if !list.iter().any(|l| &l.name == name) {
            list.push(License {
                name: name.clone(),
                source: "license_file".into(),
            });
        }
    }
    (!list.is_empty()).then_some(list)
}

/// `lines` and `oss_lines`: region line ranges in A's order, merged where both sides touch.
fn paired_ranges(c: &Comparison) -> (String, String) {
    let spans: Vec<(LineRange, LineRange)> = c
        .regions
        .iter()
        .map(|r| (r.a.lines(), r.b.lines()))
        .collect();
    joined_ranges(&spans)
}

/// `lines` and `oss_lines` of (scanned, matched) line ranges in the scanned file's order,
/// merged where both sides touch.
fn joined_ranges(spans: &[(LineRange, LineRange)]) -> (String, String) {
    let mut pairs: Vec<(LineRange, LineRange)> = Vec::new();
    for &(a, b) in spans {
        match pairs.last_mut() {
            Some((pa, pb))
                if a.start <= pa.end + 1
                    && a.start >= pa.start
                    && b.start <= pb.end + 1
                    && b.start >= pb.start =>
            {
                pa.end = pa.end.max(a.end);
                pb.end = pb.end.max(b.end);
            }
            _ => pairs.push((a, b)),
        }
    }
    let join = |side: fn(&(LineRange, LineRange)) -> LineRange| {
        pairs
            .iter()
            .map(|p| {
                let r = side(p);
                format!("{}-{}", r.start, r.end)
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    (join(|p| p.0), join(|p| p.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use simile::report::LicenseDetection;

    fn detection(license: Option<&str>, method: DetectionMethod) -> LicenseDetection {
        LicenseDetection {
            license: license.map(str::to_owned),
            method,
            confidence: 1.0,
            lines: LineRange { start: 1, end: 3 },
            evidence: String::new(),
            see_file: None,
        }
    }

    #[test]
    fn licences_are_listed_once_with_where_they_were_found() {
        let file = FileLicense {
            license: Some("MIT".into()),
            detections: vec![
                detection(Some("MIT"), DetectionMethod::SpdxTag),
                detection(Some("MIT"), DetectionMethod::LicenseHeader),
                detection(None, DetectionMethod::Name),
                detection(Some("Zlib"), DetectionMethod::LicenseText),
            ],
            copyrights: Vec::new(),
            header: None,
            // The tree's licence files: one already stated by the file, one new.
            license_files: ["MIT", "Apache-2.0"]
                .map(|id| simile::report::LicenseFile {
                    path: "LICENSE".into(),
                    license: Some(id.into()),
                    confidence: 1.0,
                })
                .into(),
            ..FileLicense::default()
        };
        let names: Vec<(String, String)> = licenses(&file)
            .unwrap()
            .into_iter()
            .map(|l| (l.name, l.source))
            .collect();
        assert_eq!(
            names,
            [
                ("MIT".to_string(), "file_spdx_tag".to_string()),
                ("Zlib".to_string(), "license_file".to_string()),
                ("Apache-2.0".to_string(), "license_file".to_string())
            ]
        );
        assert_eq!(licenses(&FileLicense::default()), None);
    }
}
