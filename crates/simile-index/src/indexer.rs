//! Turning files into postings with bounded memory.
//!
//! Files are read, tokenized and fingerprinted in parallel (rayon) in chunks of a few
//! megabytes, so only one chunk of sources is in memory at a time. Their fingerprints are packed
//! as `hash << 32 | file id` into a run buffer of fixed capacity; a full buffer is sorted
//! (in parallel, in place) and written out as a run segment. At the end the runs are merged
//! into one segment. Peak memory is the run buffer plus one chunk, whatever the corpus size.

use crate::error::IndexError;
use crate::format::catalog::FileRecord;
use crate::format::catalog::NO_SEGMENT;
use crate::format::segment::{Segment, SegmentWriter, WrittenSegment};
use crate::merge;
use crate::progress::{Phase, Progress};
use crate::session::Session;
use rayon::prelude::*;
use simile::fingerprint::FingerprintConfig;
use simile::search::index_fingerprints;
use simile::source::walk::{self, Skipped, WalkOptions, WalkedFile};
use std::fs::File;
use std::path::PathBuf;
use std::time::SystemTime;

/// Files are fingerprinted in chunks of about this many bytes of source.
const CHUNK_BYTES: u64 = 8 << 20;
/// ... or of at most this many files.
const CHUNK_FILES: usize = 2048;
/// Bytes per buffered posting (a packed u128).
const POSTING_BYTES: usize = 16;

/// A file to index; `known_hash` is the content hash recorded for it by the previous commit,
/// in which case a file with the same content is not fingerprinted again.
pub(crate) struct Job<'a> {
    pub(crate) file: &'a WalkedFile,
    pub(crate) known_hash: Option<u64>,
}

/// What became of a job.
pub(crate) enum JobResult {
    /// Fingerprinted under this file id.
    Indexed(u32, FileRecord),
    /// Same content as `known_hash`: nothing to index.
    SameContent,
    /// Not indexable (binary, vanished, minified...).
    Skipped(Skipped),
}

enum Fingerprinted {
    Indexed(FileRecord, Vec<u64>),
    SameContent,
    Skipped(Skipped),
}

/// A written run or segment.
pub(crate) struct Written {
    pub(crate) id: u32,
    pub(crate) path: PathBuf,
    pub(crate) written: WrittenSegment,
}

/// Fingerprints files into run segments of a session.
pub(crate) struct Indexer<'a> {
    walk: &'a WalkOptions,
    config: FingerprintConfig,
    run: Vec<u128>,
    capacity: usize,
    runs: Vec<Written>,
}

impl<'a> Indexer<'a> {
    /// An indexer buffering at most `memory` bytes of postings between spills.
    pub(crate) fn new(walk: &'a WalkOptions, config: FingerprintConfig, memory: usize) -> Self {
        let capacity = (memory / POSTING_BYTES).max(1024);
        Indexer {
            walk,
            config,
            run: Vec::new(),
            capacity,
            runs: Vec::new(),
        }
    }

    /// Index `jobs` in order; the files indexed get ids `first_id, first_id + 1, ...` in job
    /// order. Returns one result per job.
    pub(crate) fn index(
        &mut self,
        session: &mut Session,
        jobs: &[Job<'_>],
        first_id: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<JobResult>, IndexError> {
        let total_bytes: u64 = jobs.iter().map(|j| j.file.size).sum();
        progress.phase(Phase::Indexing {
            files: jobs.len() as u64,
            bytes: total_bytes,
        });
        let mut results = Vec::with_capacity(jobs.len());
        let mut next_id = first_id;
        let mut start = 0;
        while start < jobs.len() {
            let end = chunk_end(jobs, start);
            let chunk: Vec<Fingerprinted> = jobs[start..end]
                .par_iter()
                .map(|job| {
                    let f = fingerprint(job, self.walk, &self.config);
                    progress.advance(job.file.size);
                    f
                })
                .collect();
            for f in chunk {
                results.push(match f {
                    Fingerprinted::Indexed(record, hashes) => {
                        let id = next_id;
                        next_id = next_id.checked_add(1).ok_or_else(|| {
                            IndexError::Invalid("more than 4 billion files in one index".into())
                        })?;
                        self.push(session, id, &hashes)?;
                        JobResult::Indexed(id, record)
                    }
                    Fingerprinted::SameContent => JobResult::SameContent,
                    Fingerprinted::Skipped(s) => JobResult::Skipped(s),
                });
            }
            start = end;
        }
        Ok(results)
    }

    fn push(&mut self, session: &mut Session, id: u32, hashes: &[u64]) -> Result<(), IndexError> {
        if !self.run.is_empty() && self.run.len() + hashes.len() > self.capacity {
            self.spill(session)?;
        }
        if self.run.capacity() == 0 {
            self.run.reserve_exact(self.capacity);
        }
        self.run.extend(
            hashes
                .iter()
                .map(|&h| (u128::from(h) << 32) | u128::from(id)),
        );
        Ok(())
    }

    /// Sort the buffer and write it as a run segment.
    fn spill(&mut self, session: &mut Session) -> Result<(), IndexError> {
        if self.run.is_empty() {
            return Ok(());
        }
        self.run.par_sort_unstable();
        let (id, path) = session.new_segment();
        let io = |e| IndexError::io(&path, e);
        let mut writer = SegmentWriter::create(&path).map_err(io)?;
        let mut docs: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < self.run.len() {
            let key = (self.run[i] >> 32) as u64;
            docs.clear();
            while i < self.run.len() && (self.run[i] >> 32) as u64 == key {
                docs.push(self.run[i] as u32);
                i += 1;
            }
            writer.add(key, &docs).map_err(io)?;
        }
        // Runs are not synced: only the final segment is named by a manifest.
        let written = writer.finish(false).map_err(io)?;
        self.run.clear();
        self.runs.push(Written { id, path, written });
        Ok(())
    }

    /// Spill what is buffered and merge the runs into one durable segment (`None` when no
    /// file had a fingerprint).
    pub(crate) fn finish(
        mut self,
        session: &mut Session,
        progress: &dyn Progress,
    ) -> Result<Option<Written>, IndexError> {
        self.spill(session)?;
        self.run = Vec::new();
        match self.runs.len() {
            0 => Ok(None),
            1 => {
                let only = self.runs.pop().expect("one run");
                File::open(&only.path)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| IndexError::io(&only.path, e))?;
                Ok(Some(only))
            }
            _ => {
                let mut open = Vec::with_capacity(self.runs.len());
                for run in &self.runs {
                    let file = File::open(&run.path).map_err(|e| IndexError::io(&run.path, e))?;
                    let segment = Segment::open(&file).map_err(|e| {
                        IndexError::corrupt(&run.path, format!("run unreadable: {e:?}"))
                    })?;
                    open.push((run.path.clone(), segment));
                }
                let inputs: Vec<merge::Input<'_>> = open
                    .iter()
                    .map(|(path, segment)| merge::Input { path, segment })
                    .collect();
                let (id, path) = session.new_segment();
                let written = merge::merge(&inputs, &|d| Some(d), &path, progress)?;
                drop(inputs);
                drop(open);
                for run in &self.runs {
                    std::fs::remove_file(&run.path).map_err(|e| IndexError::io(&run.path, e))?;
                }
                Ok(Some(Written { id, path, written }))
            }
        }
    }
}

/// The end of the chunk starting at `start`.
fn chunk_end(jobs: &[Job<'_>], start: usize) -> usize {
    let mut bytes = 0u64;
    let mut end = start;
    while end < jobs.len() && end - start < CHUNK_FILES && (end == start || bytes < CHUNK_BYTES) {
        bytes += jobs[end].file.size;
        end += 1;
    }
    end
}

/// Read, tokenize and fingerprint one file.
fn fingerprint(job: &Job<'_>, walk: &WalkOptions, config: &FingerprintConfig) -> Fingerprinted {
    let source = match walk::load(job.file, walk) {
        Ok(s) => s,
        Err(skipped) => return Fingerprinted::Skipped(skipped),
    };
    if job.known_hash == Some(source.content_hash) {
        return Fingerprinted::SameContent;
    }
    let tokens = simile::lex::tokenize(&source).tokens;
    let hashes = index_fingerprints(&tokens, config);
    let record = FileRecord {
        path: job.file.path.clone(),
        // Size and mtime as the walk saw them *before* the read: if the file changes after,
        // the next update sees a different mtime and looks again.
        size: job.file.size,
        mtime_ns: mtime_ns(job.file.mtime),
        content_hash: source.content_hash,
        tokens: u32::try_from(tokens.len()).unwrap_or(u32::MAX),
        fingerprints: hashes.len() as u32,
        language: source.language,
        live: true,
        segment: NO_SEGMENT,
    };
    Fingerprinted::Indexed(record, hashes)
}

/// Nanoseconds since the Unix epoch (negative before it, 0 when unknown).
pub(crate) fn mtime_ns(time: Option<SystemTime>) -> i64 {
    let Some(t) = time else { return 0 };
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}
