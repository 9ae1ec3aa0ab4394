//! SARIF 2.1.0 for code scanning (GitHub code scanning, GitLab, VS Code's SARIF viewer, ...).
//!
//! One run per report, all results at level `note` but a changed licence's (`warning`), one
//! file per report kind:
//! - [`comparison`] (`compare`): each matched region is one result: its location is the code
//!   in A (the query), its related location the code in B, and its message links to it
//!   (`Lines 10-40 are identical to lines 12-42 of [b.c](1)`), so a code-scanning UI shows
//!   "this code duplicates X" on A's lines. Rules: `simile/identical-code`,
//!   `simile/renamed-code`, `simile/edited-code`; a moved region says so in its message and in
//!   `properties.moved`. The pair's scores are in `run.properties.simile`. When B's licence
//!   differs from A's, or B lost it, one more result of rule `simile/license-changed`, at level
//!   `warning`, on B's header (module `license`).
//! - [`find`] (`find`): each ranked match is one result of rule `simile/similar-file` (`q.c is
//!   87.0% similar to [x.c](1)`), located on the whole query with the whole match as related
//!   location, its scores in `properties`; with `--compare`, the regions of the comparison with
//!   the best match follow as region results. Skipped files and query warnings are
//!   `toolExecutionNotifications` of the run's invocation.
//! - [`clones`] (`clones`): each region of each listed pair is a region result (located in A,
//!   B as related location, the pair named in the message); with `--fragments` each duplicated
//!   block is a result of rule `simile/duplicated-block`; the `--fail-over` gate's verdict is a
//!   notification of the invocation (`error`, exit code 1, when it failed).
//!
//! Columns count Unicode code points (`run.columnKind`), as the report does; end columns are
//! exclusive, as SARIF wants. A whole-file location gives lines only (none for an empty file).
//!
//! The output is checked in tests against the official OASIS schema
//! (`schema/sarif-schema-2.1.0.json`).
//!
//! The types are a small subset of SARIF written here rather than taken from `serde-sarif`:
//! that crate compiles only when another crate happens to enable `serde/derive`, brings
//! `typed-builder`, `strum` and a code-generating build script for ~150 types, while simile
//! writes a dozen of them; the schema test guards the shape either way.

pub mod clones;
pub mod comparison;
pub mod find;
mod license;

use crate::Document;
use crate::util::kind_word;
use serde::Serialize;
use simile::align::RegionKind;
use simile::report::{FileInfo, Generator, ReportBody, Span};
use std::collections::HashMap;
use std::io::{self, Write};

/// The `$schema` URI written into the log.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// A SARIF log.
#[derive(Debug, Clone, Serialize)]
pub struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    properties: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    /// The exit code, when it says something (the `--fail-over` gate of `clones`).
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Debug, Clone, Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Debug, Clone, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: String,
    version: String,
    semantic_version: String,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: Message,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Debug, Clone, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
struct Message {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

impl Message {
    fn text(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            markdown: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_language: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    related_locations: Vec<Location>,
    properties: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u32>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

impl SarifRegion {
    /// Where a region lies, to the column.
    fn span(span: &Span) -> SarifRegion {
        SarifRegion {
            start_line: span.start_line,
            start_column: Some(span.start_column),
            end_line: span.end_line,
            end_column: Some(span.end_column.max(1)),
        }
    }

    /// Every line of a file of `lines` lines; none for an empty file (SARIF lines start at 1).
    fn whole_file(lines: u32) -> Option<SarifRegion> {
        (lines > 0).then_some(SarifRegion {
            start_line: 1,
            start_column: None,
            end_line: lines,
            end_column: None,
        })
    }
}

/// The run's artifacts: each file once, by path, with its index.
#[derive(Debug, Default)]
struct Artifacts {
    list: Vec<Artifact>,
    index: HashMap<String, usize>,
}

impl Artifacts {
    /// The index of `f`, added if new.
    fn add(&mut self, f: &FileInfo) -> usize {
        self.insert(&f.path, Some(f.bytes), Some(f.language.to_string()))
    }

    /// The index of the file at `path`, added if new, when only its path (and maybe its
    /// language) is known.
    fn add_path(&mut self, path: &str, language: Option<String>) -> usize {
        self.insert(path, None, language)
    }

    fn insert(&mut self, path: &str, length: Option<u64>, language: Option<String>) -> usize {
        if let Some(&i) = self.index.get(path) {
            return i;
        }
        let i = self.list.len();
        self.list.push(Artifact {
            location: ArtifactLocation {
                uri: path_uri(path),
                index: None,
            },
            length,
            source_language: language,
        });
        self.index.insert(path.to_string(), i);
        i
    }
}

/// Write the SARIF log.
pub fn render(doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
    let runs = match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            vec![comparison::comparison_run(
                comparison,
                &doc.report.generator,
            )]
        }
        ReportBody::Find { find } => vec![find::find_run(find, &doc.report.generator)],
        ReportBody::Clones { clones } => {
            vec![clones::clones_run(clones, &doc.report.generator)]
        }
    };
    let log = SarifLog {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs,
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

const RULES: [(RegionKind, &str, &str); 3] = [
    (
        RegionKind::Identical,
        "simile/identical-code",
        "IdenticalCode",
    ),
    (RegionKind::Renamed, "simile/renamed-code", "RenamedCode"),
    (RegionKind::Edited, "simile/edited-code", "EditedCode"),
];

/// The driver, with these rules.
fn tool(generator: &Generator, rules: Vec<Rule>) -> Tool {
    Tool {
        driver: Driver {
            name: generator.name.clone(),
            version: generator.version.clone(),
            semantic_version: generator.version.clone(),
            information_uri: env!("CARGO_PKG_REPOSITORY"),
            rules,
        },
    }
}

/// The rules of a comparison's results: its regions', in the order of [`RULES`] (a result's
/// `ruleIndex`), then the licence rule, at [`LICENSE_RULE_INDEX`].
fn comparison_rules() -> Vec<Rule> {
    let mut rules = region_rules();
    rules.push(license::license_rule());
    rules
}

/// Where [`comparison_rules`] puts the licence rule.
const LICENSE_RULE_INDEX: usize = RULES.len();

fn region_rules() -> Vec<Rule> {
    RULES
        .iter()
        .map(|&(kind, id, name)| {
            let (short, full) = match kind {
                RegionKind::Identical => (
                    "Code identical to code in another file",
                    "The same sequence of tokens appears in another file; whitespace, comments and formatting may differ.",
                ),
                RegionKind::Renamed => (
                    "Code identical to code in another file up to renaming",
                    "The same code appears in another file with identifiers or literals changed consistently (a Type-2 clone).",
                ),
                RegionKind::Edited => (
                    "Code copied from another file and edited",
                    "Code matches another file in runs separated by small edits (a Type-3 clone).",
                ),
            };
            Rule {
                id,
                name,
                short_description: Message::text(short),
                full_description: Message::text(full),
                help: Message {
                    text: format!("{full} The related location shows the other copy. Decide whether the copy is intended (vendored or generated code, a licence to respect) or should be shared."),
                    markdown: Some(format!("{full}\n\nThe related location shows the other copy. Decide whether the copy is intended (vendored or generated code, a licence to respect) or should be shared.")),
                },
                default_configuration: Configuration { level: "note" },
                properties: RuleProperties {
                    tags: vec!["duplicate-code", "provenance", kind_word(kind)],
                },
            }
        })
        .collect()
}

fn physical(path: &str, index: usize, region: Option<SarifRegion>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: path_uri(path),
            index: Some(index),
        },
        region,
    }
}

/// Brackets and backslashes in message text are escaped, since `[text](id)` is a link there.
fn escape_link_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path as a URI reference: relative paths stay relative (code scanning resolves them
/// against the repository root), absolute ones become `file://` URIs; everything but unreserved
/// characters and `/` is percent-encoded.
pub fn path_uri(path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let mut out = String::with_capacity(p.len() + 8);
    if p.starts_with('/') {
        out.push_str("file://");
    }
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_uri("src/a.c"), "src/a.c");
        assert_eq!(path_uri("./src/a b.c"), "src/a%20b.c");
        assert_eq!(path_uri("/tmp/x#y.c"), "file:///tmp/x%23y.c");
        assert_eq!(path_uri("ü.c"), "%C3%BC.c");
    }

    #[test]
    fn link_text_is_escaped() {
        assert_eq!(escape_link_text("a[1].c"), "a\\[1\\].c");
    }
}
