//! `build`: index source trees into a new index (replacing the one at the path, if any).

use crate::error::IndexError;
use crate::format::catalog::{self, FileRecord, NO_SEGMENT};
use crate::format::manifest::{FileRef, Manifest, SegmentRef, Totals, WalkRecord};
use crate::indexer::{Indexer, Job, JobResult, Written};
use crate::progress::{Phase, Progress};
use crate::session::Session;
use simile::fingerprint::FingerprintConfig;
use simile::source::display_path;
use simile::source::walk::{self, Skipped, WalkOptions, WalkedFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Default memory for buffered postings before they are spilled to a run segment.
pub const DEFAULT_MEMORY: usize = 256 << 20;

/// How to build an index.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Directories or files to index.
    pub roots: Vec<PathBuf>,
    /// How to walk them (recorded; `update` walks the same way).
    pub walk: WalkOptions,
    /// k and w of the fingerprints (queries use the same).
    pub fingerprint: FingerprintConfig,
    /// Bytes of postings buffered in memory before a run is written to disk.
    pub memory: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            roots: Vec::new(),
            walk: WalkOptions::default(),
            fingerprint: FingerprintConfig::default(),
            memory: DEFAULT_MEMORY,
        }
    }
}

/// What a build or update did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The generation committed (unchanged when an update found nothing to do).
    pub generation: u64,
    /// Whether a new commit was made.
    pub committed: bool,
    /// Live files in the index afterwards.
    pub files: u64,
    /// Files fingerprinted in this run (new and changed).
    pub indexed: u64,
    /// Bytes of the files fingerprinted in this run.
    pub indexed_bytes: u64,
    /// Update: files not in the index before.
    pub added: u64,
    /// Update: files whose content changed.
    pub changed: u64,
    /// Update: files whose mtime changed but not their content.
    pub touched: u64,
    /// Update: files gone (or now skipped).
    pub removed: u64,
    /// Update: files found unchanged by size and mtime.
    pub unchanged: u64,
    /// Files the walk saw but did not index.
    pub skipped: Vec<Skipped>,
    /// Segments merged.
    pub merged_segments: u64,
    /// Wall time.
    pub seconds: f64,
}

/// Build an index of `options.roots` at `index` (a directory; created if missing). An index
/// already there is replaced by a new commit: its readers keep their snapshot, and a build
/// killed at any moment leaves it as it was.
pub fn build(
    index: &Path,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Summary, IndexError> {
    let started = Instant::now();
    let config = options.fingerprint;
    if config.k == 0 || config.w == 0 || config.k > 1024 || config.w > 1024 {
        return Err(IndexError::Invalid(format!(
            "k and w must be between 1 and 1024 (got k={}, w={})",
            config.k, config.w
        )));
    }
    if options.roots.is_empty() {
        return Err(IndexError::Invalid(
            "nothing to index: give at least one path".into(),
        ));
    }
    let roots = absolute_roots(&options.roots)?;
    // Bad output paths, roots and globs fail before anything is created; an index already
    // there is locked first, so a second writer fails before a long walk.
    crate::store::check_output(index)?;
    let early = if index.is_dir() {
        Some(Session::for_build(index)?)
    } else {
        None
    };
    let found = walk_roots(&roots, &options.walk, index, progress)?;
    crate::session::stop_if_cancelled(progress)?;
    let mut session = match early {
        Some(session) => session,
        None => Session::for_build(index)?,
    };

    let jobs: Vec<Job<'_>> = found
        .files
        .iter()
        .map(|file| Job {
            file,
            known_hash: None,
        })
        .collect();
    let mut indexer = Indexer::new(&options.walk, config, options.memory);
    let results = indexer.index(&mut session, &jobs, 0, progress)?;
    let segment = indexer.finish(&mut session, progress)?;

    let mut records = Vec::with_capacity(results.len());
    let mut skipped = found.skipped;
    for result in results {
        match result {
            JobResult::Indexed(id, mut record) => {
                debug_assert_eq!(id as usize, records.len());
                record.segment = segment.as_ref().map_or(NO_SEGMENT, |s| s.id);
                records.push(record);
            }
            JobResult::SameContent => {}
            JobResult::Skipped(s) => skipped.push(s),
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let segments: Vec<Written> = segment.into_iter().collect();
    let manifest = commit(
        session,
        CommitInput {
            roots: &roots,
            walk: WalkRecord::from(&options.walk),
            config,
            records: &records,
            segments: &segments,
            skipped: &skipped,
        },
        progress,
    )?;
    Ok(Summary {
        generation: manifest.generation,
        committed: true,
        files: manifest.totals.files,
        indexed: records.len() as u64,
        indexed_bytes: manifest.totals.source_bytes,
        added: records.len() as u64,
        skipped,
        seconds: started.elapsed().as_secs_f64(),
        ..Summary::default()
    })
}

/// Roots as absolute, UTF-8 paths (they are recorded in the manifest and walked again by
/// `update` from any working directory).
fn absolute_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>, IndexError> {
    roots
        .iter()
        .map(|r| {
            let abs = std::path::absolute(r).map_err(|e| IndexError::Root {
                root: display_path(r),
                detail: e.to_string(),
            })?;
            if abs.to_str().is_none() {
                return Err(IndexError::Invalid(format!(
                    "{}: a root path must be valid UTF-8 to be recorded in the index",
                    display_path(r)
                )));
            }
            Ok(abs)
        })
        .collect()
}

/// Walk the roots, leaving out the index itself when it lies inside one.
pub(crate) fn walk_roots(
    roots: &[PathBuf],
    options: &WalkOptions,
    index: &Path,
    progress: &dyn Progress,
) -> Result<walk::Walk, IndexError> {
    progress.phase(Phase::Walking);
    for root in roots {
        if let Err(e) = std::fs::metadata(root) {
            return Err(IndexError::Root {
                root: display_path(root),
                detail: if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".into()
                } else {
                    e.to_string()
                },
            });
        }
    }
    let mut found = walk::walk(roots, options).map_err(|e| {
        if roots.iter().any(|r| display_path(r) == e.path()) {
            IndexError::Root {
                root: e.path().to_string(),
                detail: e.to_string(),
            }
        } else {
            // Not a root: a glob that does not parse.
            IndexError::Invalid(format!("invalid --glob: {e}"))
        }
    })?;
    let index_abs = std::path::absolute(index).unwrap_or_else(|_| index.to_path_buf());
    let index_real = std::fs::canonicalize(index).ok();
    found.files.retain(|f: &WalkedFile| {
        !f.path.starts_with(&index_abs)
            && index_real.as_ref().is_none_or(|r| !f.path.starts_with(r))
    });
    Ok(found)
}

/// Everything a commit records.
pub(crate) struct CommitInput<'a> {
    pub(crate) roots: &'a [PathBuf],
    pub(crate) walk: WalkRecord,
    pub(crate) config: FingerprintConfig,
    pub(crate) records: &'a [FileRecord],
    /// Segments of the commit, oldest first.
    pub(crate) segments: &'a [Written],
    pub(crate) skipped: &'a [Skipped],
}

/// Write the catalog, then publish a manifest naming it and `segments`.
pub(crate) fn commit(
    session: Session,
    input: CommitInput<'_>,
    progress: &dyn Progress,
) -> Result<Manifest, IndexError> {
    progress.phase(Phase::Committing);
    let catalog_path = session.catalog_path();
    let written = catalog::write(&catalog_path, input.records)
        .map_err(|e| IndexError::io(&catalog_path, e))?;
    let mut totals = Totals {
        file_slots: input.records.len() as u64,
        ..Totals::default()
    };
    for r in input.records.iter().filter(|r| r.live) {
        totals.files += 1;
        totals.source_bytes += r.size;
        totals.tokens += u64::from(r.tokens);
        totals.postings += u64::from(r.fingerprints);
    }
    let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
    for (reason, count) in walk::skip_counts(input.skipped) {
        skipped.insert(reason.as_str().to_string(), count as u64);
    }
    let manifest = Manifest {
        generation: session.generation,
        created_by: format!("simile {}", env!("CARGO_PKG_VERSION")),
        committed_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        k: input.config.k as u32,
        w: input.config.w as u32,
        fingerprint_canary: crate::canary::canary(&input.config),
        roots: input
            .roots
            .iter()
            .map(|r| r.to_string_lossy().into_owned())
            .collect(),
        walk: input.walk,
        catalog: FileRef {
            name: file_name(&catalog_path),
            bytes: written.bytes,
            xxh3: written.checksum,
        },
        segments: input
            .segments
            .iter()
            .map(|s| SegmentRef {
                id: s.id,
                file: FileRef {
                    name: file_name(&s.path),
                    bytes: s.written.bytes,
                    xxh3: s.written.checksum,
                },
                keys: s.written.info.keys,
                postings: s.written.info.postings,
            })
            .collect(),
        next_segment_id: session.next_segment_id(),
        totals,
        skipped,
    };
    crate::session::checkpoint("before-publish", progress)?;
    session.commit(&manifest)?;
    Ok(manifest)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
