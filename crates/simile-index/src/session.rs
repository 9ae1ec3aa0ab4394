//! A write session: the writer lock, new file names, and the commit. Build and update both run
//! inside one.

use crate::error::IndexError;
use crate::format::manifest::Manifest;
use crate::progress::Progress;
use crate::store::{self, WriterLock};
use std::path::{Path, PathBuf};

/// Holds the writer lock until dropped; commits at most once. A session dropped without its
/// commit (the writer failed: a full disk, an unreadable run) deletes the files it wrote before
/// letting go of the lock, so a failed build does not hold the disk space of its runs until the
/// next writer.
pub(crate) struct Session {
    pub(crate) dir: PathBuf,
    _lock: WriterLock,
    next_segment_id: u32,
    /// The generation this session commits.
    pub(crate) generation: u64,
    /// Whether the commit was published (then its own clean-up has run).
    committed: bool,
}

impl Session {
    /// A session that writes a new index at `dir` (replacing the index there, if any).
    pub(crate) fn for_build(dir: &Path) -> Result<Session, IndexError> {
        store::prepare_output(dir)?;
        let lock = WriterLock::acquire(dir)?;
        // A damaged index or one of another version is replaced, as its error suggests.
        let base = store::read_manifest(dir).ok();
        Session::start(dir, lock, base)
    }

    /// A session that updates the committed index at `dir`.
    pub(crate) fn for_update(dir: &Path) -> Result<(Session, Manifest), IndexError> {
        // Fail with "not an index" before creating a lock file in someone's directory.
        store::read_manifest(dir)?;
        let lock = WriterLock::acquire(dir)?;
        // Read again under the lock: another writer may have committed in between.
        let base = store::read_manifest(dir)?;
        let session = Session::start(dir, lock, Some(base.clone()))?;
        Ok((session, base))
    }

    fn start(dir: &Path, lock: WriterLock, base: Option<Manifest>) -> Result<Session, IndexError> {
        // New names must differ from every name any manifest ever published, including one
        // this build cannot read: start above every number in use.
        let (max_segment, max_generation) = numbers_in_use(dir)?;
        let next_segment_id = base
            .as_ref()
            .map_or(0, |m| m.next_segment_id)
            .max(max_segment.map_or(0, |s| s + 1));
        let generation = base
            .as_ref()
            .map_or(0, |m| m.generation)
            .max(max_generation)
            + 1;
        store::collect_garbage(dir, base.as_ref())?;
        Ok(Session {
            dir: dir.to_path_buf(),
            _lock: lock,
            next_segment_id,
            generation,
            committed: false,
        })
    }

    /// A fresh segment id and its path.
    pub(crate) fn new_segment(&mut self) -> (u32, PathBuf) {
        let id = self.next_segment_id;
        self.next_segment_id += 1;
        (id, self.dir.join(store::segment_name(id)))
    }

    /// The id the next segment would get (recorded in the manifest).
    pub(crate) fn next_segment_id(&self) -> u32 {
        self.next_segment_id
    }

    /// Path of this generation's catalog.
    pub(crate) fn catalog_path(&self) -> PathBuf {
        self.dir.join(store::catalog_name(self.generation))
    }

    /// Publish `manifest` (whose files are already durable) and delete what it no longer
    /// names. Readers of the old commit keep their mappings.
    pub(crate) fn commit(mut self, manifest: &Manifest) -> Result<(), IndexError> {
        debug_assert_eq!(manifest.generation, self.generation);
        // The new files' directory entries must be durable before a manifest names them.
        store::sync_dir(&self.dir)?;
        crash_point("before-publish");
        store::publish(&self.dir, manifest)?;
        self.committed = true;
        crash_point("after-publish");
        // The commit is done; what is left is tidying. A failure here (say a file still
        // mapped on a platform that refuses to delete it) is retried by the next writer.
        let _ = store::collect_garbage(&self.dir, Some(manifest));
        Ok(())
    }
}

impl Drop for Session {
    /// Without a commit, delete what this session wrote: every file of ours that the manifest
    /// on disk does not name, as the next writer would. The manifest is read again rather than
    /// remembered, because a publish that failed after its rename (syncing the directory) has
    /// put the new manifest in place, and its files must stay. If the manifest cannot be read,
    /// nothing is deleted. Errors are ignored: the next writer tidies what is left.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let keep = match store::read_manifest(&self.dir) {
            Ok(manifest) => Some(manifest),
            Err(IndexError::NoCommit { .. }) => None,
            Err(_) => return,
        };
        let _ = store::collect_garbage(&self.dir, keep.as_ref());
    }
}

/// A point where a writer stops if asked to ([`Progress::cancelled`]).
///
/// Test hooks, so tests can check what a writer that fails or is interrupted leaves behind:
/// `SIMILE_INDEX_FAIL_AT=name` makes the writer fail here with an I/O error, as a full disk
/// would; `SIMILE_INDEX_STALL_AT=name` makes it wait here until it is asked to stop (a minute
/// at most).
pub(crate) fn checkpoint(name: &str, progress: &dyn Progress) -> Result<(), IndexError> {
    let hook = |var: &str| std::env::var_os(var).is_some_and(|v| v == name);
    if hook("SIMILE_INDEX_FAIL_AT") {
        let error = std::io::Error::other(format!("failure injected at {name}"));
        return Err(IndexError::io(Path::new("SIMILE_INDEX_FAIL_AT"), error));
    }
    if hook("SIMILE_INDEX_STALL_AT") {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !progress.cancelled() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    stop_if_cancelled(progress)
}

/// [`IndexError::Interrupted`] if the caller asked the writer to stop.
pub(crate) fn stop_if_cancelled(progress: &dyn Progress) -> Result<(), IndexError> {
    if progress.cancelled() {
        return Err(IndexError::Interrupted);
    }
    Ok(())
}

/// Test hook: `SIMILE_INDEX_CRASH_AT=name` aborts the process at that point, so tests can
/// crash a writer exactly where random kills rarely land.
pub(crate) fn crash_point(name: &str) {
    if std::env::var_os("SIMILE_INDEX_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// The highest segment id and catalog generation named by files in `dir`.
fn numbers_in_use(dir: &Path) -> Result<(Option<u32>, u64), IndexError> {
    let mut max_segment: Option<u32> = None;
    let mut max_generation = 0u64;
    for entry in std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))? {
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stem = name.split('.').next().unwrap_or("");
        if let Some(n) = stem
            .strip_prefix("seg-")
            .and_then(|n| n.parse::<u32>().ok())
        {
            max_segment = max_segment.max(Some(n));
        } else if let Some(n) = stem
            .strip_prefix("files-")
            .and_then(|n| n.parse::<u64>().ok())
        {
            max_generation = max_generation.max(n);
        }
    }
    Ok((max_segment, max_generation))
}
