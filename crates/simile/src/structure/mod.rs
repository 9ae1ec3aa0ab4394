//! Structure: the functions, methods and types of a file (its *units*), and how the units of A
//! map to the units of B.
//!
//! This room sits beside alignment: it reads the tokens (and the text) of each file, and the
//! token matching of the alignment, and tells *what* happened to each function: kept, changed,
//! renamed, moved, added or removed.
//!
//! - [`extract_units`] parses a file with tree-sitter ([`parse`]; grammars in [`languages`])
//!   and lists its units with name, kind and range. Large files are cut at top-level
//!   boundaries into chunks parsed in parallel ([`chunks`]). Where the parse has errors, units
//!   the parser found are kept and the [`heuristic`] (a scan of braces, keywords and
//!   `name(...) {` heads) looks for functions in the unparsed lines, so no function is lost
//!   silently; languages without a grammar get the heuristic alone.
//! - [`mapping`] pairs the units of A with those of B one to one: candidates are pairs sharing
//!   aligned tokens or a name, weighted by their share of aligned tokens and a bonus for the
//!   same name, and the pairing maximises the total weight ([`assignment`], exact on each
//!   connected component of candidates). Pairs are then classified (identical, renamed-only,
//!   modified, renamed, moved).
//! - [`renames`] infers the file-level identifier rename map from the aligned tokens, checked
//!   for consistency inside each unit.
//!
//! Invariants: units are sorted by start (a parent before the units nested in it); a unit's
//! token range holds exactly the tokens inside its byte range; every unit has a name.
//!
//! [`crate::compare`] runs all of this and puts the result in the report
//! ([`crate::report::Comparison::units`] and [`crate::report::Comparison::renames`]):
//!
//! ```
//! use simile::{compare, AlignConfig, SourceFile};
//! use simile::report::UnitStatus;
//!
//! let old = SourceFile::from_text("geometry.py", r#"
//! def area(width, height):
//!     if width < 0 or height < 0:
//!         raise ValueError("negative size")
//!     return width * height
//!
//! def perim(width, height):
//!     if width < 0 or height < 0:
//!         raise ValueError("negative size")
//!     return 2 * (width + height)
//! "#, None);
//! // `perim` renamed to `perimeter`; in `area`, `width` and `height` renamed.
//! let new = SourceFile::from_text("geometry.py", r#"
//! def area(w, h):
//!     if w < 0 or h < 0:
//!         raise ValueError("negative size")
//!     return w * h
//!
//! def perimeter(width, height):
//!     if width < 0 or height < 0:
//!         raise ValueError("negative size")
//!     return 2 * (width + height)
//! "#, None);
//!
//! let c = compare(&old, &new, &AlignConfig::default());
//! let units = c.units.expect("computed by default");
//! let status: Vec<(&str, UnitStatus)> = units
//!     .units
//!     .iter()
//!     .map(|u| (u.a.as_ref().unwrap().name.as_str(), u.status))
//!     .collect();
//! assert_eq!(status, [("area", UnitStatus::RenamedOnly), ("perim", UnitStatus::Renamed)]);
//! let renames: Vec<(&str, &str)> = c.renames.iter().map(|r| (r.a.as_str(), r.b.as_str())).collect();
//! assert!(renames.contains(&("width", "w")) && renames.contains(&("perim", "perimeter")));
//! ```

pub mod assignment;
pub mod chunks;
pub mod heuristic;
pub mod languages;
pub mod mapping;
pub mod parse;
pub mod preproc;
pub mod renames;

use crate::lex::{Token, TokenizedFile};
use crate::source::SourceFile;
use serde::{Deserialize, Serialize};

pub use parse::extract_units;

/// Units nested deeper than this (counting enclosing namespaces) are not listed: their code is
/// part of the innermost listed unit. Real code nests a few levels (a method in a class in a
/// namespace); without a bound, 100,000 nested `class A {` made every unit carry a qualified
/// name of all its ancestors, quadratic in the depth (2.5 GB and an 800 MB report for 20,000
/// levels; found by the deep-nesting test of the bad-input catalogue).
pub const MAX_UNIT_DEPTH: usize = 64;

/// What kind of unit.
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
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// A free function (also a named arrow function or function expression in JavaScript).
    Function,
    /// A function inside a class, struct, impl block, trait or interface (also a C++ member
    /// function defined outside its class, `Widget::draw`, and a Go method).
    Method,
    /// A class (also a Java record, a TypeScript abstract class).
    Class,
    /// A struct.
    Struct,
    /// A union.
    Union,
    /// An enum.
    Enum,
    /// An interface (Java, TypeScript, Go).
    Interface,
    /// A Rust trait.
    Trait,
    /// A Rust impl block.
    Impl,
}

impl UnitKind {
    /// The word as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Function => "function",
            UnitKind::Method => "method",
            UnitKind::Class => "class",
            UnitKind::Struct => "struct",
            UnitKind::Union => "union",
            UnitKind::Enum => "enum",
            UnitKind::Interface => "interface",
            UnitKind::Trait => "trait",
            UnitKind::Impl => "impl",
        }
    }

    /// Units pair only within a category: a function never pairs with a struct, nor an impl
    /// block with the struct it implements.
    pub fn category(self) -> Category {
        match self {
            UnitKind::Function | UnitKind::Method => Category::Callable,
            UnitKind::Class | UnitKind::Struct | UnitKind::Union | UnitKind::Enum => Category::Type,
            UnitKind::Interface | UnitKind::Trait => Category::Interface,
            UnitKind::Impl => Category::Impl,
        }
    }

    /// Whether units of this kind hold other units (methods, nested types).
    pub fn is_container(self) -> bool {
        !matches!(self, UnitKind::Function | UnitKind::Method)
    }
}

/// Groups of unit kinds that may pair with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Functions and methods.
    Callable,
    /// Classes, structs, unions, enums.
    Type,
    /// Interfaces and traits.
    Interface,
    /// Impl blocks.
    Impl,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 4] = [
        Category::Callable,
        Category::Type,
        Category::Interface,
        Category::Impl,
    ];
}

/// How a unit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UnitOrigin {
    /// By the tree-sitter parser: name, kind and range are exact.
    Parsed,
    /// By the token heuristic, where the parser failed or the language has no grammar: the
    /// name and range are a good guess (first `#if` branch only, macros taken at face value).
    Heuristic,
}

/// A unit of one file, in byte and token coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Its name as written.
    pub name: String,
    /// The name with the enclosing units' and namespaces' names.
    pub qualified_name: String,
    /// What kind of unit.
    pub kind: UnitKind,
    /// Byte offset of its first byte.
    pub start: u32,
    /// Byte offset one past its last byte.
    pub end: u32,
    /// First token inside it.
    pub token_start: u32,
    /// One past the last token inside it.
    pub token_end: u32,
    /// Index (in [`FileUnits::units`]) of the unit it is nested in.
    pub parent: Option<u32>,
    /// Parser or heuristic.
    pub origin: UnitOrigin,
}

impl Unit {
    /// Number of tokens inside it.
    pub fn token_count(&self) -> u32 {
        self.token_end - self.token_start
    }
}

/// Who found the units of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitParser {
    /// A tree-sitter grammar, by its crate name (`tree-sitter-c`).
    TreeSitter(&'static str),
    /// The token heuristic alone (no grammar for the language).
    Heuristic,
    /// Nothing: the language has no notion of units here (plain text).
    None,
}

impl UnitParser {
    /// The name written in reports.
    pub fn name(self) -> &'static str {
        match self {
            UnitParser::TreeSitter(name) => name,
            UnitParser::Heuristic => "heuristic",
            UnitParser::None => "none",
        }
    }
}

/// The units of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUnits {
    /// Units sorted by start, parents before their children.
    pub units: Vec<Unit>,
    /// Who found them.
    pub parser: UnitParser,
    /// Byte ranges the parser could not parse, sorted and merged.
    pub error_spans: Vec<(u32, u32)>,
}

impl FileUnits {
    /// Number of units the heuristic found.
    pub fn heuristic_count(&self) -> usize {
        self.units
            .iter()
            .filter(|u| u.origin == UnitOrigin::Heuristic)
            .count()
    }
}

/// Index of the first token starting at or after byte `offset`.
pub(crate) fn token_at(tokens: &[Token], offset: u32) -> u32 {
    tokens.partition_point(|t| t.start < offset) as u32
}

/// Units of a tokenized source file (a convenience over [`extract_units`]).
pub fn units_of(file: &SourceFile, tokens: &TokenizedFile) -> FileUnits {
    extract_units(file, &tokens.tokens)
}
