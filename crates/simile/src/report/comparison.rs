//! The comparison of two files.

use super::license::LicenseComparison;
use super::structure::{IdentifierRename, UnitMapping};
use crate::align::linediff::LineOpKind;
use crate::align::{AlignConfig, RegionKind};
use crate::source::{Encoding, Language};
use serde::{Deserialize, Serialize};

/// Everything simile knows about how file A relates to file B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comparison {
    /// File A (the first argument, or the query).
    pub a: FileInfo,
    /// File B (the second argument, or the match).
    pub b: FileInfo,
    /// Similarity and coverage scores.
    pub scores: Scores,
    /// One word for the relation, derived from the scores.
    pub verdict: Verdict,
    /// Counts of regions by kind.
    pub summary: RegionSummary,
    /// Matched regions, in order of their position in A.
    pub regions: Vec<Region>,
    /// Lines of A holding code that matches nothing in B (outside all regions).
    pub only_in_a: Vec<LineRange>,
    /// Lines of B holding code that matches nothing in A (outside all regions).
    pub only_in_b: Vec<LineRange>,
    /// The settings the comparison ran with.
    pub settings: AlignConfig,
    /// Things the reader should know: lossy decoding, empty files, lines the parser could
    /// not read.
    pub warnings: Vec<Warning>,
    /// Functions, methods and types of A mapped to those of B (identical, renamed-only,
    /// modified, renamed, moved, removed, added). Absent when structure was not computed
    /// (`--no-structure`, or a corpus search that only ranks files).
    #[serde(default)]
    pub units: Option<UnitMapping>,
    /// The file-level identifier rename map: names that became other names consistently,
    /// most occurrences first. Empty when nothing was renamed (or renames were not computed).
    #[serde(default)]
    pub renames: Vec<IdentifierRename>,
    /// The licence and copyright statements of both files, and whether the licence changed.
    /// Absent when not computed (`--no-license`).
    #[serde(default)]
    pub licenses: Option<LicenseComparison>,
}

/// Facts about one compared file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileInfo {
    /// The path as given (undecodable bytes written as `\xNN`).
    pub path: String,
    /// The language it was tokenized as.
    pub language: Language,
    /// Size in bytes.
    pub bytes: u64,
    /// Number of lines.
    pub lines: u32,
    /// Number of code tokens (comments and whitespace are not tokens).
    pub tokens: u32,
    /// How the bytes were decoded.
    pub encoding: Encoding,
    /// xxh3-64 of the raw bytes, 16 hex digits: equal for byte-identical files.
    pub content_hash: String,
}

/// The scores. `similarity` is symmetric; the coverages say how much of each side is matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scores {
    /// Matched tokens of both sides over all tokens of both sides, in `[0, 1]`.
    pub similarity: f64,
    /// Share of A's tokens matched in B.
    pub coverage_a: f64,
    /// Share of B's tokens matched in A.
    pub coverage_b: f64,
    /// Matched tokens of A (equal to those of B: the matching is one to one).
    pub matched_tokens: u32,
    /// Matched lines of A: lines with at least one matched token.
    pub matched_lines_a: u32,
    /// Matched lines of B.
    pub matched_lines_b: u32,
    /// The longest single run of matched tokens, if any.
    pub longest_fragment: Option<LongestFragment>,
}

/// The longest matched fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LongestFragment {
    /// Its length in tokens.
    pub tokens: u32,
    /// Its lines in A.
    pub a: LineRange,
    /// Its lines in B.
    pub b: LineRange,
}

/// A verdict: how the two files relate, in one word.
///
/// `identical`: every token matches, in order (formatting and comments may differ).
/// `near-identical`: similarity at least 0.9. `derived`: similarity at least 0.5, or one side
/// at least 70% covered (one file contains much of the other). `shares-fragments`: some code
/// matches. `unrelated`: nothing matches.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every token matches, in order.
    Identical,
    /// Similarity of at least 0.9.
    NearIdentical,
    /// Similarity of at least 0.5, or one side at least 70% covered.
    Derived,
    /// Some code matches.
    SharesFragments,
    /// Nothing matches.
    Unrelated,
}

impl Verdict {
    /// The verdict for these scores. `in_order` says whether the whole match is one identical,
    /// unmoved run.
    pub fn from_scores(
        similarity: f64,
        coverage_a: f64,
        coverage_b: f64,
        matched: u32,
        identical_in_order: bool,
    ) -> Verdict {
        if identical_in_order && similarity >= 1.0 {
            Verdict::Identical
        } else if similarity >= 0.9 {
            Verdict::NearIdentical
        } else if similarity >= 0.5 || coverage_a.max(coverage_b) >= 0.7 {
            Verdict::Derived
        } else if matched > 0 {
            Verdict::SharesFragments
        } else {
            Verdict::Unrelated
        }
    }

    /// The word as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Identical => "identical",
            Verdict::NearIdentical => "near-identical",
            Verdict::Derived => "derived",
            Verdict::SharesFragments => "shares-fragments",
            Verdict::Unrelated => "unrelated",
        }
    }
}

/// Number of regions of each kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct RegionSummary {
    /// Identical regions.
    pub identical: u32,
    /// Renamed regions.
    pub renamed: u32,
    /// Edited regions.
    pub edited: u32,
    /// Regions (of any kind) whose position changed relative to the rest.
    pub moved: u32,
}

/// An inclusive range of 1-based line numbers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct LineRange {
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
}

impl LineRange {
    /// Number of lines.
    pub fn len(&self) -> u32 {
        self.end + 1 - self.start
    }

    /// Never empty; for clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Where a region lies in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Span {
    /// First line.
    pub start_line: u32,
    /// Last line (inclusive).
    pub end_line: u32,
    /// Column of the first character (1-based, in characters).
    pub start_column: u32,
    /// Column one past the last character (1-based, in characters).
    pub end_column: u32,
    /// Byte offset of the first byte (0-based).
    pub start_byte: u32,
    /// Byte offset one past the last byte.
    pub end_byte: u32,
    /// Tokens inside the span (matched or not).
    pub tokens: u32,
}

impl Span {
    /// The span's lines.
    pub fn lines(&self) -> LineRange {
        LineRange {
            start: self.start_line,
            end: self.end_line,
        }
    }
}

/// A matched region: code of A and code of B that correspond.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Region {
    /// 1-based number, in order of position in A.
    pub id: u32,
    /// `identical`, `renamed` or `edited`.
    pub kind: RegionKind,
    /// True when the region's position changed relative to the rest of the matched code
    /// (e.g. a function moved from the top of A to the bottom of B).
    pub moved: bool,
    /// Where it is in A.
    pub a: Span,
    /// Where it is in B.
    pub b: Span,
    /// Tokens matched inside the region (the same count on both sides).
    pub matched_tokens: u32,
    /// Identifiers and literals that differ consistently between the sides, most frequent
    /// first (empty for identical regions).
    pub renames: Vec<Rename>,
    /// For `edited` regions: the line diff inside the region, in order (empty otherwise).
    pub diff: Vec<DiffHunk>,
}

/// One consistent renaming inside a region: every `a` became `b`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rename {
    /// The name or literal in A.
    pub a: String,
    /// The name or literal in B.
    pub b: String,
    /// What was renamed.
    pub kind: RenameKind,
    /// How many aligned occurrences support it.
    pub count: u32,
}

/// What a rename is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RenameKind {
    /// An identifier.
    Identifier,
    /// A number, string or character literal.
    Literal,
}

/// A run of lines inside an edited region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DiffHunk {
    /// `equal`, `removed` (only in A), `added` (only in B) or `changed`.
    pub op: LineOpKind,
    /// Lines of A, absent for `added`.
    pub a: Option<LineRange>,
    /// Lines of B, absent for `removed`.
    pub b: Option<LineRange>,
}

/// Something the reader should know about the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Warning {
    /// The file it is about, if any.
    pub path: Option<String>,
    /// What happened.
    pub message: String,
}
