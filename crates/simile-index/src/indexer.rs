//! Turning files into postings with bounded memory.
//!
//! Files are read, tokenized and fingerprinted in parallel (rayon) in chunks of a few
//! megabytes, a few chunks at a time; a file's source is dropped once it is fingerprinted, so
//! only the files being read are in memory, with the hashes of the chunks waiting their turn.
//! The fingerprints are packed as `hash << 32 | file id` into a run buffer of fixed capacity,
//! chunk after chunk in order; a full buffer is sorted (in parallel, in place) and written out
//! as a run segment. At the end the runs are merged into one segment. Peak memory is the run
//! buffer plus those few chunks' hashes, whatever the corpus size.

use crate::error::IndexError;
use crate::format::catalog::FileRecord;
use crate::format::catalog::NO_SEGMENT;
use crate::format::segment::{Segment, SegmentWriter, WrittenSegment};
use crate::merge;
use crate::progress::{Phase, Progress};
use crate::session::{Session, stop_if_cancelled};
use rayon::prelude::*;
use simile::fingerprint::FingerprintConfig;
use simile::search::index_fingerprints;
use simile::source::walk::{self, Skipped, WalkOptions, WalkedFile};
use std::collections::BTreeMap;
use std::fs::File;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    ///
    /// Chunks are fingerprinted as parallel tasks, up to [`CHUNKS_IN_FLIGHT`] at a time, and
    /// pushed into the run buffer strictly in order by whichever task finds the next chunk
    /// done. Fingerprinting one chunk at a time left a core idle at the end of every chunk
    /// (waiting on its slowest file) and while the chunk was pushed: on the 479 MB benchmark
    /// build the files' fingerprinting took 4.0 s of CPU but 2.4 s of wall time on two
    /// cores. Ids, runs and spills are the same either way, so the index is byte-identical.
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
        let pipeline = Pipeline {
            jobs,
            chunks: chunk_bounds(jobs),
            walk: self.walk,
            config: self.config,
            progress,
            done: Mutex::new(BTreeMap::new()),
            next_chunk: AtomicUsize::new(0),
            sink: Mutex::new(Sink {
                indexer: self,
                session,
                results: Vec::with_capacity(jobs.len()),
                next_id: first_id,
                error: None,
            }),
        };
        rayon::in_place_scope(|scope| {
            for chunk in 0..pipeline.chunks.len().min(CHUNKS_IN_FLIGHT) {
                let pipeline = &pipeline;
                scope.spawn(move |scope| pipeline.run_chunk(scope, chunk));
            }
        });
        let sink = pipeline
            .sink
            .into_inner()
            .expect("a panicking task fails the scope before this");
        match sink.error {
            Some(e) => Err(e),
            None => Ok(sink.results),
        }
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

    /// Merge the runs and what is buffered into one durable segment (`None` when no file had
    /// a fingerprint). What is buffered is written as a run only when it is the only one;
    /// otherwise it is sorted and merged from memory with the runs on disk.
    pub(crate) fn finish(
        mut self,
        session: &mut Session,
        progress: &dyn Progress,
    ) -> Result<Option<Written>, IndexError> {
        if self.runs.is_empty() {
            self.spill(session)?;
            self.run = Vec::new();
            let Some(only) = self.runs.pop() else {
                return Ok(None);
            };
            File::open(&only.path)
                .and_then(|f| f.sync_all())
                .map_err(|e| IndexError::io(&only.path, e))?;
            return Ok(Some(only));
        }
        crate::session::checkpoint("before-final-merge", progress)?;
        self.run.par_sort_unstable();
        let mut open = Vec::with_capacity(self.runs.len());
        for run in &self.runs {
            let file = File::open(&run.path).map_err(|e| IndexError::io(&run.path, e))?;
            let segment = Segment::open(&file)
                .map_err(|e| IndexError::corrupt(&run.path, format!("run unreadable: {e:?}")))?;
            open.push((run.path.clone(), segment));
        }
        let (id, path) = session.new_segment();
        let mut inputs: Vec<merge::Input<'_>> = open
            .iter()
            .map(|(path, segment)| merge::Input {
                path,
                postings: merge::InputPostings::Segment(segment),
            })
            .collect();
        if !self.run.is_empty() {
            inputs.push(merge::Input {
                path: &path,
                postings: merge::InputPostings::Sorted(&self.run),
            });
        }
        let written = merge::merge(&inputs, &|d| Some(d), &path, progress)?;
        drop(inputs);
        drop(open);
        for run in &self.runs {
            std::fs::remove_file(&run.path).map_err(|e| IndexError::io(&run.path, e))?;
        }
        Ok(Some(Written { id, path, written }))
    }
}

/// Chunks fingerprinted or waiting to be pushed at any time: more than one, so that a core never
/// waits for the end of a chunk (2, 3, 4 and 8 were within the noise of each other on two
/// cores: each chunk is itself fingerprinted in parallel), and few, so that the hashes waiting
/// their turn stay small.
const CHUNKS_IN_FLIGHT: usize = 3;

/// The jobs of one [`Indexer::index`] call, cut into chunks, and what the chunk tasks share.
struct Pipeline<'p, 'j, 'w> {
    jobs: &'p [Job<'j>],
    chunks: Vec<Range<usize>>,
    walk: &'p WalkOptions,
    config: FingerprintConfig,
    progress: &'p dyn Progress,
    /// Chunks fingerprinted and not yet pushed, by chunk number.
    done: Mutex<BTreeMap<usize, Vec<Fingerprinted>>>,
    /// The chunk to push next (written under `sink`'s lock, read without it).
    next_chunk: AtomicUsize,
    sink: Mutex<Sink<'p, 'w>>,
}

/// Where fingerprinted chunks go, in order: the run buffer, and the result of each job.
struct Sink<'p, 'w> {
    indexer: &'p mut Indexer<'w>,
    session: &'p mut Session,
    results: Vec<JobResult>,
    next_id: u32,
    /// The first error; after it nothing more is pushed or started.
    error: Option<IndexError>,
}

impl<'p, 'w> Pipeline<'p, '_, 'w> {
    /// Fingerprint chunk `chunk`, then push every chunk that is next in order, unless another
    /// task is pushing (it will find this one).
    fn run_chunk<'s>(&'s self, scope: &rayon::Scope<'s>, chunk: usize) {
        let fingerprinted: Vec<Fingerprinted> = self.jobs[self.chunks[chunk].clone()]
            .par_iter()
            .map(|job| {
                let f = fingerprint(job, self.walk, &self.config);
                self.progress.advance(job.file.size);
                f
            })
            .collect();
        lock(&self.done).insert(chunk, fingerprinted);
        loop {
            let Ok(mut sink) = self.sink.try_lock() else {
                // Another task is pushing, and checks `done` again after it lets go.
                return;
            };
            self.push_ready(scope, &mut sink);
            drop(sink);
            // A chunk may have been left in `done` by a task that found the sink locked just
            // before it was let go: take it if it is next.
            let next = self.next_chunk.load(Ordering::Acquire);
            if !lock(&self.done).contains_key(&next) {
                return;
            }
        }
    }

    /// Push the chunks that are next in order, starting a new chunk's task for each.
    fn push_ready<'s>(&'s self, scope: &rayon::Scope<'s>, sink: &mut Sink<'p, 'w>) {
        loop {
            let next = self.next_chunk.load(Ordering::Acquire);
            let Some(fingerprinted) = lock(&self.done).remove(&next) else {
                return;
            };
            if sink.error.is_none()
                && let Err(e) =
                    stop_if_cancelled(self.progress).and_then(|()| sink.push_chunk(fingerprinted))
            {
                sink.error = Some(e);
            }
            self.next_chunk.store(next + 1, Ordering::Release);
            let following = next + CHUNKS_IN_FLIGHT;
            if following < self.chunks.len() && sink.error.is_none() {
                scope.spawn(move |scope| self.run_chunk(scope, following));
            }
        }
    }
}

impl Sink<'_, '_> {
    /// Give ids to the indexed files of one chunk, in order, and buffer their postings.
    fn push_chunk(&mut self, chunk: Vec<Fingerprinted>) -> Result<(), IndexError> {
        for f in chunk {
            self.results.push(match f {
                Fingerprinted::Indexed(record, hashes) => {
                    let id = self.next_id;
                    self.next_id = self.next_id.checked_add(1).ok_or_else(|| {
                        IndexError::Invalid("more than 4 billion files in one index".into())
                    })?;
                    self.indexer.push(self.session, id, &hashes)?;
                    JobResult::Indexed(id, record)
                }
                Fingerprinted::SameContent => JobResult::SameContent,
                Fingerprinted::Skipped(s) => JobResult::Skipped(s),
            });
        }
        Ok(())
    }
}

/// Lock a mutex of the pipeline; a poisoned one means a task panicked, which the scope
/// propagates anyway, so its data is still taken.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The jobs cut into chunks of about [`CHUNK_BYTES`] or at most [`CHUNK_FILES`] files.
fn chunk_bounds(jobs: &[Job<'_>]) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < jobs.len() {
        let end = chunk_end(jobs, start);
        chunks.push(start..end);
        start = end;
    }
    chunks
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
