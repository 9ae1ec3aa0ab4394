//! [`Index`]: one committed state of an index, opened for reading, and the
//! [`PostingsSource`] that `simile find` searches.
//!
//! Opening reads the manifest, maps its catalog and segments and checks what is cheap to check
//! (sizes against the manifest, headers, footers, directories, the whole catalog). Blocks and
//! long lists are verified each time they are decoded. The snapshot never changes: a writer
//! committing meanwhile creates new files and unlinks old ones, which leaves these mappings
//! intact.

use crate::error::{Corruption, IndexError};
use crate::format::catalog::{self, Catalog, NO_SEGMENT};
use crate::format::manifest::{FileRef, Manifest};
use crate::format::segment::{self, Segment};
use crate::format::{FORMAT_VERSION, HeaderError};
use crate::store;
use serde::Serialize;
use simile::fingerprint::FingerprintConfig;
use simile::search::{FileId, IndexedFile, PostingsSource};
use simile::source::display_path;
use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A committed state of an index, ready for queries.
///
/// ```no_run
/// use simile::search::PostingsSource;
/// # fn main() -> Result<(), simile_index::IndexError> {
/// let index = simile_index::Index::open("corpus.simile")?;
/// let mut files = Vec::new();
/// let holders = index.postings(0x1234_5678_9abc_def0, 100, &mut files);
/// // A damaged block is never read as postings: the lookup is dropped and the error kept
/// // (also as `PostingsSource::failure`, for code generic over sources).
/// if let Some(err) = index.integrity_error() {
///     return Err(err);
/// }
/// # Ok(()) }
/// ```
pub struct Index {
    dir: PathBuf,
    manifest: Manifest,
    catalog: Catalog,
    segments: Vec<OpenSegment>,
    failure: OnceLock<(PathBuf, String)>,
    /// (content hash, id) of live files, sorted; built on the first content lookup (a search
    /// asks it once per query for byte-identical copies).
    by_content: OnceLock<Vec<(u64, FileId)>>,
}

pub(crate) struct OpenSegment {
    pub(crate) id: u32,
    pub(crate) path: PathBuf,
    pub(crate) segment: Segment,
    /// Some file ids in it were removed since it was written: counts need decoding.
    pub(crate) has_removed: bool,
}

/// Failure to open a commit's files.
enum OpenFailure {
    /// A file named by the manifest is gone: a writer may have committed meanwhile.
    Vanished(PathBuf),
    Error(IndexError),
}

impl From<IndexError> for OpenFailure {
    fn from(e: IndexError) -> OpenFailure {
        OpenFailure::Error(e)
    }
}

impl Index {
    /// Open the index at `dir` (the directory written by [`crate::build`]).
    pub fn open(dir: impl AsRef<Path>) -> Result<Index, IndexError> {
        let dir = dir.as_ref();
        // A writer commits by renaming a new manifest into place and then deletes the files
        // only the old one named; a reader caught between the two reads the manifest again.
        const ATTEMPTS: usize = 20;
        let mut attempt = 0;
        loop {
            let manifest = store::read_manifest(dir)?;
            let generation = manifest.generation;
            match Index::open_commit(dir, manifest) {
                Ok(index) => return Ok(index),
                Err(OpenFailure::Error(e)) => return Err(e),
                Err(OpenFailure::Vanished(path)) => {
                    attempt += 1;
                    let now = store::read_manifest(dir)?;
                    if now.generation == generation || attempt >= ATTEMPTS {
                        return Err(IndexError::corrupt(
                            &path,
                            "named by the MANIFEST but missing",
                        ));
                    }
                }
            }
        }
    }

    fn open_commit(dir: &Path, manifest: Manifest) -> Result<Index, OpenFailure> {
        let manifest_path = dir.join(store::MANIFEST);
        if manifest.k == 0 || manifest.w == 0 {
            return Err(IndexError::corrupt(&manifest_path, "k and w must be positive").into());
        }
        let config = FingerprintConfig {
            k: manifest.k as usize,
            w: manifest.w as usize,
        };
        if crate::canary::canary(&config) != manifest.fingerprint_canary {
            return Err(IndexError::Stale {
                path: display_path(dir),
                built_by: manifest.created_by.clone(),
            }
            .into());
        }
        let (catalog_path, file) = open_named(dir, &manifest.catalog)?;
        let catalog = Catalog::open(&file).map_err(|e| match e {
            catalog::OpenError::Io(e) => IndexError::io(&catalog_path, e),
            catalog::OpenError::Header(h) => header_error(&catalog_path, h, "catalog"),
            catalog::OpenError::Corrupt(c) => c.at(&catalog_path),
        })?;
        let mut segments = Vec::with_capacity(manifest.segments.len());
        for s in &manifest.segments {
            if segments.iter().any(|o: &OpenSegment| o.id == s.id) || s.id == NO_SEGMENT {
                return Err(IndexError::corrupt(
                    &manifest_path,
                    format!("segment id {} twice", s.id),
                )
                .into());
            }
            let (path, file) = open_named(dir, &s.file)?;
            let segment = Segment::open(&file).map_err(|e| match e {
                segment::OpenError::Io(e) => IndexError::io(&path, e),
                segment::OpenError::Header(h) => header_error(&path, h, "segment"),
                segment::OpenError::Corrupt(c) => c.at(&path),
            })?;
            let info = segment.info();
            if info.keys != s.keys || info.postings != s.postings {
                return Err(IndexError::corrupt(&path, "counts differ from the MANIFEST").into());
            }
            if info.postings > 0 && info.doc_max as usize >= catalog.len() {
                return Err(IndexError::corrupt(
                    &path,
                    format!(
                        "names file id {} but the catalog has {}",
                        info.doc_max,
                        catalog.len()
                    ),
                )
                .into());
            }
            segments.push(OpenSegment {
                id: s.id,
                path,
                segment,
                has_removed: false,
            });
        }
        for id in 0..catalog.len() as u32 {
            let seg = catalog.segment(id).unwrap_or(NO_SEGMENT);
            if seg == NO_SEGMENT {
                continue;
            }
            match segments.iter_mut().find(|s| s.id == seg) {
                Some(s) => s.has_removed |= !catalog.is_live(id),
                // Postings of removed files may have been merged away with their segment.
                None if !catalog.is_live(id) => {}
                None => {
                    return Err(IndexError::corrupt(
                        &catalog_path,
                        format!("file id {id} names segment {seg}, which the MANIFEST lacks"),
                    )
                    .into());
                }
            }
        }
        Ok(Index {
            dir: dir.to_path_buf(),
            manifest,
            catalog,
            segments,
            failure: OnceLock::new(),
            by_content: OnceLock::new(),
        })
    }

    /// The index directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The commit this snapshot reads.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub(crate) fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub(crate) fn segments(&self) -> &[OpenSegment] {
        &self.segments
    }

    /// The first damaged block or list met by a lookup since the index was opened. Lookups
    /// that meet damage leave it out of their answer (they never return unverified postings),
    /// so a search must check this before trusting its result.
    pub fn integrity_error(&self) -> Option<IndexError> {
        self.failure
            .get()
            .map(|(path, detail)| IndexError::Corrupt {
                path: display_path(path),
                detail: detail.clone(),
            })
    }

    fn fail(&self, path: &Path, c: Corruption) {
        let _ = self.failure.set((path.to_path_buf(), c.0));
    }

    /// Number of fingerprints of a live file, without building its [`IndexedFile`].
    pub fn fingerprint_count(&self, id: FileId) -> Option<u32> {
        self.catalog
            .is_live(id)
            .then(|| self.catalog.fingerprints(id))
            .flatten()
    }

    /// Live file ids, in id order.
    pub fn live_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.catalog.len() as u32).filter(|&id| self.catalog.is_live(id))
    }

    /// Figures about the index, for `simile index stats`.
    pub fn stats(&self) -> Stats {
        let m = &self.manifest;
        let mut languages: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
        for id in self.live_ids() {
            if let Some(r) = self.catalog.record(id) {
                let e = languages.entry(r.language.name()).or_default();
                e.0 += 1;
                e.1 += r.size;
            }
        }
        let mut languages: Vec<LanguageStats> = languages
            .into_iter()
            .map(|(language, (files, bytes))| LanguageStats {
                language: language.to_string(),
                files,
                bytes,
            })
            .collect();
        languages.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.language.cmp(&b.language)));
        let segments: Vec<SegmentStats> = m
            .segments
            .iter()
            .map(|s| SegmentStats {
                name: s.file.name.clone(),
                bytes: s.file.bytes,
                fingerprints: s.keys,
                postings: s.postings,
            })
            .collect();
        let manifest_bytes = std::fs::metadata(self.dir.join(store::MANIFEST))
            .map(|m| m.len())
            .unwrap_or(0);
        let disk_bytes =
            manifest_bytes + m.catalog.bytes + segments.iter().map(|s| s.bytes).sum::<u64>();
        Stats {
            index: display_path(&self.dir),
            format_version: FORMAT_VERSION,
            generation: m.generation,
            created_by: m.created_by.clone(),
            committed_unix: m.committed_unix,
            k: m.k,
            w: m.w,
            roots: m.roots.clone(),
            files: self.catalog.live_count() as u64,
            removed_file_slots: (self.catalog.len() - self.catalog.live_count()) as u64,
            source_bytes: m.totals.source_bytes,
            tokens: m.totals.tokens,
            fingerprints: segments.iter().map(|s| s.fingerprints).sum(),
            postings: m.totals.postings,
            stored_postings: segments.iter().map(|s| s.postings).sum(),
            disk_bytes,
            disk_to_source: if m.totals.source_bytes == 0 {
                0.0
            } else {
                disk_bytes as f64 / m.totals.source_bytes as f64
            },
            segments,
            languages,
            skipped: m.skipped.clone(),
        }
    }
}

fn open_named(dir: &Path, file: &FileRef) -> Result<(PathBuf, File), OpenFailure> {
    let path = dir.join(&file.name);
    if file.name.contains(['/', '\\']) || file.name.starts_with('.') {
        return Err(IndexError::corrupt(
            &dir.join(store::MANIFEST),
            format!("names a file outside the index: {}", file.name),
        )
        .into());
    }
    let f = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(OpenFailure::Vanished(path)),
        Err(e) => return Err(IndexError::io(&path, e).into()),
    };
    let len = f.metadata().map_err(|e| IndexError::io(&path, e))?.len();
    if len != file.bytes {
        return Err(IndexError::corrupt(
            &path,
            format!(
                "{len} bytes, the MANIFEST says {} (truncated or overwritten)",
                file.bytes
            ),
        )
        .into());
    }
    Ok((path, f))
}

fn header_error(path: &Path, h: HeaderError, kind: &str) -> IndexError {
    match h {
        HeaderError::Foreign => IndexError::corrupt(path, format!("not a simile {kind} file")),
        HeaderError::Version(found) => IndexError::Version {
            path: display_path(path),
            found,
            supported: FORMAT_VERSION,
        },
        HeaderError::Corrupt(c) => c.at(path),
    }
}

impl PostingsSource for Index {
    fn fingerprint_config(&self) -> FingerprintConfig {
        FingerprintConfig {
            k: self.manifest.k as usize,
            w: self.manifest.w as usize,
        }
    }

    fn file_count(&self) -> usize {
        self.catalog.len()
    }

    fn file(&self, id: FileId) -> Option<IndexedFile> {
        if !self.catalog.is_live(id) {
            return None;
        }
        let r = self.catalog.record(id)?;
        Some(IndexedFile {
            name: display_path(&r.path),
            path: r.path,
            language: r.language,
            size: r.size,
            mtime_ns: r.mtime_ns,
            content_hash: r.content_hash,
            tokens: r.tokens,
            fingerprints: r.fingerprints,
        })
    }

    fn postings(&self, hash: u64, limit: usize, out: &mut Vec<FileId>) -> usize {
        let start = out.len();
        let mut total = 0usize;
        for seg in &self.segments {
            let postings = match seg.segment.lookup(hash) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(c) => {
                    self.fail(&seg.path, c);
                    continue;
                }
            };
            let before = out.len();
            let result = if !seg.has_removed {
                // Every id in the segment is live: the stored count is the answer, and the
                // ids are only read while they can still be returned.
                total += postings.count as usize;
                if total <= limit {
                    postings.for_each(|d| out.push(d))
                } else {
                    Ok(())
                }
            } else {
                // Some ids were removed: the live ones must be counted. They are listed only
                // while the total can still be within the limit.
                let mut live = 0usize;
                let r = postings.for_each(|d| {
                    if self.catalog.is_live(d) {
                        live += 1;
                        if total + live <= limit {
                            out.push(d);
                        }
                    }
                });
                if r.is_ok() {
                    total += live;
                }
                r
            };
            if let Err(c) = result {
                out.truncate(before);
                self.fail(&seg.path, c);
            }
        }
        if total > limit {
            out.truncate(start);
        }
        total
    }

    fn fingerprint_count(&self, id: FileId) -> Option<u32> {
        Index::fingerprint_count(self, id)
    }

    fn files_with_content(&self, content_hash: u64, out: &mut Vec<FileId>) {
        let table = self.by_content.get_or_init(|| {
            let mut v: Vec<(u64, FileId)> = self
                .live_ids()
                .filter_map(|id| Some((self.catalog.content_hash(id)?, id)))
                .collect();
            v.sort_unstable();
            v
        });
        let start = table.partition_point(|&(h, _)| h < content_hash);
        out.extend(
            table[start..]
                .iter()
                .take_while(|&&(h, _)| h == content_hash)
                .map(|&(_, id)| id),
        );
    }

    fn failure(&self) -> Option<String> {
        self.integrity_error().map(|e| e.to_string())
    }
}

/// Figures about an index (`simile index stats`; JSON with `--format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The index directory.
    pub index: String,
    /// On-disk format version.
    pub format_version: u32,
    /// Commit number.
    pub generation: u64,
    /// The simile version that made the commit.
    pub created_by: String,
    /// Commit time (seconds since the Unix epoch).
    pub committed_unix: u64,
    /// k-gram length.
    pub k: u32,
    /// Winnowing window.
    pub w: u32,
    /// Roots indexed.
    pub roots: Vec<String>,
    /// Live files.
    pub files: u64,
    /// Ids of removed or changed files not yet reclaimed by a full compaction.
    pub removed_file_slots: u64,
    /// Bytes of source indexed.
    pub source_bytes: u64,
    /// Code tokens.
    pub tokens: u64,
    /// Distinct fingerprints, summed over segments.
    pub fingerprints: u64,
    /// (fingerprint, file) postings of live files.
    pub postings: u64,
    /// Postings stored, including those of removed files awaiting a merge.
    pub stored_postings: u64,
    /// Size of the index on disk (manifest, catalog, segments).
    pub disk_bytes: u64,
    /// `disk_bytes / source_bytes`.
    pub disk_to_source: f64,
    /// Segments, oldest first.
    pub segments: Vec<SegmentStats>,
    /// Live files by language, largest first.
    pub languages: Vec<LanguageStats>,
    /// Files the last walk skipped, by reason.
    pub skipped: BTreeMap<String, u64>,
}

/// One segment in [`Stats`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentStats {
    /// File name.
    pub name: String,
    /// Size.
    pub bytes: u64,
    /// Distinct fingerprints.
    pub fingerprints: u64,
    /// Postings stored.
    pub postings: u64,
}

/// One language in [`Stats`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageStats {
    /// Language name.
    pub language: String,
    /// Live files.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
}
