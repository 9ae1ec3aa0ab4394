//! # simile: which file is this one similar to, and how exactly do they differ?
//!
//! The engine behind the `simile` command, usable as a library. Data flows one way through
//! its modules:
//!
//! | room | module | job |
//! |---|---|---|
//! | files | [`source`] | read, check and decode a file; detect its language |
//! | tokens | [`lex`] | tokenize any of 16 languages (and plain text); keep comments aside |
//! | fingerprints | [`fingerprint`] | k-gram rolling hashes and robust winnowing |
//! | alignment | [`align`] | seeds -> maximal fragments -> one-to-one tiling -> regions |
//! | structure | [`structure`] | functions and types (tree-sitter), mapped A to B; the rename map |
//! | licences | [`license`] | SPDX licence and copyright statements of each file |
//! | candidates | [`search`] | corpus search: postings of shared fingerprints, ranking, verification |
//! | pairs | [`clones`] | all similar pairs of trees: clusters, submissions, duplicated blocks |
//! | report | [`report`] | the serde data model every renderer reads |
//!
//! [`compare`] runs the whole pipeline on a pair of files:
//!
//! ```
//! use simile::{compare, AlignConfig, SourceFile};
//! use simile::align::RegionKind;
//!
//! let old = SourceFile::from_text("old.c", r#"
//! int sum(int *values, int count) {
//!     int total = 0;
//!     for (int i = 0; i < count; i++) {
//!         total += values[i];
//!     }
//!     return total;
//! }
//! "#, None);
//! // The same function with its variables renamed and reformatted.
//! let new = SourceFile::from_text("new.c", r#"
//! int sum(int *xs, int n)
//! {
//!     int acc = 0;
//!     for (int i = 0; i < n; i++) { acc += xs[i]; }   /* one line now */
//!     return acc;
//! }
//! "#, None);
//!
//! let comparison = compare(&old, &new, &AlignConfig::default());
//! assert_eq!(comparison.scores.similarity, 1.0);
//! assert_eq!(comparison.regions.len(), 1);
//! assert_eq!(comparison.regions[0].kind, RegionKind::Renamed);
//! let renames: Vec<(&str, &str)> = comparison.regions[0]
//!     .renames
//!     .iter()
//!     .map(|r| (r.a.as_str(), r.b.as_str()))
//!     .collect();
//! assert_eq!(renames, [("total", "acc"), ("count", "n"), ("values", "xs")]);
//! ```
//!
//! The library leaves the allocator to the program. The `simile` binary uses jemalloc: with
//! glibc's allocator, [`clones::find_clones`] on two threads spent its time growing and locking
//! the threads' arenas, and jemalloc made it 10-19% faster on real trees (bench/RESULTS.md).
#![deny(missing_docs)]

pub mod align;
pub mod clones;
mod compare;
pub mod fingerprint;
pub mod lex;
pub mod license;
pub mod report;
pub mod search;
pub mod source;
pub mod structure;
#[cfg(test)]
mod testing;

pub use align::AlignConfig;
pub use compare::{
    CompareOptions, compare, compare_aligned, compare_tokenized, compare_tokenized_with,
    compare_with,
};
pub use report::Comparison;
pub use source::SourceFile;
