//! # simile-index: the persistent corpus index of simile
//!
//! An index stores, for every file of one or more source trees, its winnowed fingerprints
//! ([`simile::search::index_fingerprints`]) and its metadata (path, size, mtime, content hash,
//! language, token count), and answers the questions of corpus search through
//! [`simile::search::PostingsSource`]: which files hold this fingerprint, and how many.
//!
//! ```
//! use simile::search::{index_fingerprints, PostingsSource};
//! use simile_index::{build, BuildOptions, Index, NoProgress};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let tree = tempfile::tempdir()?;
//! let code = "int add(int a, int b) { int s = a + b; if (s > 100) { s = 100; } return s; }\n";
//! std::fs::write(tree.path().join("a.c"), code)?;
//! std::fs::write(tree.path().join("b.c"), format!("/* copy */\n{code}"))?;
//! std::fs::write(tree.path().join("c.py"), "def f(x):\n    return [i * i for i in range(x)]\n")?;
//!
//! let out = tempfile::tempdir()?;
//! let path = out.path().join("corpus.simile");
//! let options = BuildOptions { roots: vec![tree.path().to_path_buf()], ..BuildOptions::default() };
//! let summary = build(&path, &options, &NoProgress)?;
//! assert_eq!(summary.files, 3);
//!
//! let index = Index::open(&path)?;
//! let query = simile::SourceFile::from_text("q.c", code, None);
//! let hashes = index_fingerprints(&simile::lex::tokenize(&query).tokens, &index.fingerprint_config());
//! let mut holders = Vec::new();
//! assert_eq!(index.postings(hashes[0], 10, &mut holders), 2);
//! let names: Vec<String> = holders.iter().map(|&id| index.file(id).unwrap().name).collect();
//! assert!(names[0].ends_with("a.c") && names[1].ends_with("b.c"));
//! assert!(index.integrity_error().is_none());
//! # Ok(()) }
//! ```
//!
//! ## Storage: immutable, checksummed, memory-mapped segments
//!
//! An index is a directory (see [`store`] for its files and invariants): a manifest (the commit
//! record, replaced by an atomic rename), a catalog of file metadata, and segments of postings.
//! Segments are sorted maps from fingerprint to file ids, written once and never modified
//! (layout and rationale in [`format::segment`]); an update adds a segment and marks removed
//! files in a new catalog; segments are merged by a size-tiered policy ([`merge`]).
//!
//! Why not an embedded database: the postings are written once in bulk and then only read,
//! the one workload where a general store adds cost and nothing else, and search needs what a
//! key-value store does not give for free (a document frequency next to each key, read without
//! the list; a checksum on everything read). Measured here on real postings, those of the
//! 97,000-file benchmark index (1.05 GB of source from the registry corpora, 4.77 M distinct
//! fingerprints, 28.9 M postings), each engine bulk-loaded in key order with the same value
//! encoding, then asked for the 20,388 fingerprints of ten 2,000-line query files
//! (`bench/storage-compare`; 2-core shared machine, lookups in thread CPU time, two runs):
//!
//! | engine | bulk load (wall) | size | CPU per lookup |
//! |---|---|---|---|
//! | these segments | 0.48 s | 99 MB | 0.84-0.90 us (checksums verified) |
//! | redb 4.6 | 6.3 s | 143 MB | 1.20-1.28 us |
//! | LMDB (heed 0.23) | 1.5-1.7 s | 150 MB | 0.99-1.12 us |
//! | fjall 3.1 | 2.4 s | 189 MB | 106 us |
//!
//! Segments are the smallest (a third less than the next), the fastest to write and to read,
//! and verify every byte they return, which none of the others do on read. Beyond that, fjall
//! takes an exclusive lock on its directory for a whole process, and redb does too unless
//! opened in a multi-process mode; LMDB allows readers during a write but brings C code and a
//! map size fixed up front. Immutable segments give readers during a write for free: a reader
//! maps the files of one commit, and writers never touch a published file.
//!
//! ## Crash safety and concurrency
//!
//! - One writer at a time: `build` and `update` hold an exclusive `flock` on `LOCK` (released by
//!   the kernel however the process dies); a second writer gets [`IndexError::Locked`] naming
//!   the holder's pid.
//! - A commit makes every new file durable, then renames a new manifest over the old one and
//!   syncs the directory. A writer killed at any moment leaves the last commit intact; the next
//!   writer deletes its leftovers.
//! - Readers ([`Index::open`]) take no lock and see exactly one commit for as long as they keep
//!   it open.
//! - Every file carries the on-disk format version, and every commit the digest of the
//!   fingerprints its simile computes for a fixed sample: an index of another format, or one
//!   whose fingerprints this simile would not reproduce, gives an error asking for a rebuild.
//! - Every byte is checksummed (headers, footers, block directories and catalogs when opened;
//!   each block and long list when decoded; whole files by [`check()`]). A damaged or foreign
//!   file gives an error naming it, never a wrong posting.
#![deny(missing_docs)]

mod build;
mod canary;
mod check;
mod error;
pub mod format;
mod indexer;
pub mod merge;
mod progress;
mod session;
mod snapshot;
pub mod store;
mod update;

pub use build::{BuildOptions, DEFAULT_MEMORY, Summary, build};
pub use check::{CheckReport, check, content_digest};
pub use error::{Corruption, IndexError};
pub use progress::{NoProgress, Phase, Progress};
pub use snapshot::{Index, LanguageStats, SegmentStats, Stats};
pub use update::{UpdateOptions, update};
