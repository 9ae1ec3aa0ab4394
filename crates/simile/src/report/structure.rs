//! The structure part of a comparison: units (functions, methods, classes...) mapped from A to
//! B, and the file-level identifier rename map.
//!
//! A *unit* is a named piece of code a person thinks in: a function, a method, a class, a
//! struct, an enum, an impl block. Units are found by tree-sitter where simile has a grammar
//! for the language, and by a token heuristic elsewhere and where the parser failed; each unit
//! says which ([`UnitOrigin`]).

use super::comparison::LineRange;
pub use crate::structure::mapping::BodyChange;
pub use crate::structure::renames::RenameScope;
pub use crate::structure::{UnitKind, UnitOrigin};
use serde::{Deserialize, Serialize};

/// At most this many unparsed places are listed per file in [`UnitParse::error_lines`].
pub const MAX_ERROR_LINES: usize = 100;

/// How the units of A map to the units of B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitMapping {
    /// How the units of A were found.
    pub a: UnitParse,
    /// How the units of B were found.
    pub b: UnitParse,
    /// Number of entries of `units` by status.
    pub summary: UnitSummary,
    /// Every unit of A and of B exactly once: pairs and `removed` units in the order of A,
    /// then `added` units in the order of B. Nested units (methods in a class) are listed
    /// after their parent.
    pub units: Vec<UnitMatch>,
}

/// How the units of one file were found, and what the parser could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitParse {
    /// The parser: `tree-sitter-<language>` (e.g. `tree-sitter-c`), or `heuristic` for
    /// languages without a grammar (units from a token scan of braces and keywords), or `none`
    /// when units are not available for the language (plain text).
    pub parser: String,
    /// Units found (of every origin).
    pub units: u32,
    /// Units found by the token heuristic because the parser failed around them (or because
    /// the language has no grammar). Their names and line ranges are less certain.
    pub heuristic_units: u32,
    /// Places outside the parsed units where the parser failed (syntax errors, macros it
    /// could not make sense of), as merged line ranges; the first [`MAX_ERROR_LINES`] are
    /// listed in `error_lines`. Simile looked for units there with the heuristic. (Errors
    /// inside a parsed unit, such as a macro in a statement, do not affect the units and are
    /// not counted.)
    pub error_count: u32,
    /// The first [`MAX_ERROR_LINES`] of those places, in order.
    pub error_lines: Vec<LineRange>,
}

/// Number of unit entries by status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct UnitSummary {
    /// Pairs with identical bodies, same name, same relative place.
    pub identical: u32,
    /// Pairs whose bodies differ only by consistent renames of identifiers.
    pub renamed_only: u32,
    /// Pairs with changed bodies (same name).
    pub modified: u32,
    /// Pairs whose name changed.
    pub renamed: u32,
    /// Pairs (same name) whose relative order changed.
    pub moved: u32,
    /// Units only in A.
    pub removed: u32,
    /// Units only in B.
    pub added: u32,
}

/// What happened to a unit, in one word. One status per entry, by precedence: `added` /
/// `removed` for unpaired units; then `renamed` if the name changed; then `moved` if the
/// relative order changed; then what happened to the body (`identical`, `renamed-only` or
/// `modified`). The other facts stay available on the entry (`moved`, `body`, `similarity`),
/// so a renamed function that also moved and changed says all three.
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
pub enum UnitStatus {
    /// Same name, same tokens (formatting and comments may differ), same relative place.
    Identical,
    /// Same name; the body differs only by consistent renames of identifiers (every `a`
    /// became `b`, and nothing else became `b`).
    RenamedOnly,
    /// Same name; the body changed (see `similarity`).
    Modified,
    /// The name changed; the body is similar (see `similarity` and `body`).
    Renamed,
    /// Same name; the unit changed its place relative to the other paired units (see `body`
    /// for whether it also changed).
    Moved,
    /// Only in A: no unit of B corresponds.
    Removed,
    /// Only in B: no unit of A corresponds.
    Added,
}

impl UnitStatus {
    /// The word as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Identical => "identical",
            UnitStatus::RenamedOnly => "renamed-only",
            UnitStatus::Modified => "modified",
            UnitStatus::Renamed => "renamed",
            UnitStatus::Moved => "moved",
            UnitStatus::Removed => "removed",
            UnitStatus::Added => "added",
        }
    }
}

/// One entry of the mapping: a pair of corresponding units, or a unit only on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitMatch {
    /// What happened, in one word.
    pub status: UnitStatus,
    /// The unit in A (absent for `added`).
    pub a: Option<UnitInfo>,
    /// The unit in B (absent for `removed`).
    pub b: Option<UnitInfo>,
    /// For pairs: how similar the two units' tokens are, in `[0, 1]`: twice the tokens a token
    /// diff of the two units keeps, over the tokens of both (the same measure as the file's
    /// `similarity`, applied to the pair). 1.0 for identical and renamed-only bodies.
    pub similarity: Option<f64>,
    /// For pairs: what happened to the body.
    pub body: Option<BodyChange>,
    /// For pairs: the unit changed its place relative to the other paired units of its kind
    /// (it is off the longest chain of pairs in the same order in both files), or moved into
    /// another parent (a method moved to another class).
    pub moved: bool,
    /// Ids of the file's matched regions (`regions[].id`) that overlap the unit in A (or in
    /// B for added units), in order.
    pub regions: Vec<u32>,
}

/// One unit of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitInfo {
    /// Its name as written (`parse_args`, `operator==`, `~Widget`; for Rust impl blocks the
    /// implemented type, `Display for Widget`).
    pub name: String,
    /// The name with the names of the enclosing units and namespaces, joined by `::` for C++
    /// and Rust and by `.` for the other languages (`Widget::draw`, `Parser.parse`). For Go
    /// methods, the receiver type (`Server.Serve`).
    pub qualified_name: String,
    /// What kind of unit it is.
    pub kind: UnitKind,
    /// Its lines (from its first token, including decorators and template headers, to its
    /// last).
    pub lines: LineRange,
    /// Its code tokens.
    pub tokens: u32,
    /// Whether the parser found it, or the heuristic.
    pub origin: UnitOrigin,
}

/// An identifier renamed consistently between A and B, inferred from the aligned tokens of
/// the regions.
///
/// A pairing `a -> b` is a rename when, in every unit where it occurs, every aligned
/// occurrence of `a` faces `b` and every aligned occurrence of `b` faces `a` (an unchanged
/// occurrence of either counts against it). Pairings contradicted inside a unit, including by
/// two regions that disagree, are never reported. A pairing seen once is reported only when it
/// is the name of a renamed unit (one occurrence is an edit, not evidence of a renaming).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IdentifierRename {
    /// The identifier in A.
    pub a: String,
    /// The identifier in B.
    pub b: String,
    /// Aligned occurrences supporting it.
    pub occurrences: u32,
    /// `file`: consistent across the whole file. `local`: consistent inside the listed units,
    /// while `a` or `b` pairs differently elsewhere (typically a local variable or parameter
    /// renamed in some functions only).
    pub scope: RenameScope,
    /// The units of A where it occurs, in order (empty when the occurrences are all outside
    /// units, or when units were not computed).
    pub units: Vec<UnitRef>,
}

/// A reference to a unit of A.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitRef {
    /// Its qualified name.
    pub name: String,
    /// Its lines in A.
    pub lines: LineRange,
}
