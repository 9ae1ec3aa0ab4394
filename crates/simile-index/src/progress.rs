//! Progress reporting for long builds and updates. The library prints nothing; the CLI turns
//! these calls into a progress bar on a terminal.

/// A step of a build or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking the roots.
    Walking,
    /// Comparing files with the index (update): `files` whose size or mtime changed are read
    /// and hashed.
    Checking {
        /// Files found by the walk.
        files: u64,
    },
    /// Reading, tokenizing and fingerprinting files.
    Indexing {
        /// Files to index.
        files: u64,
        /// Their bytes.
        bytes: u64,
    },
    /// Merging segments.
    Merging {
        /// Postings to read.
        postings: u64,
    },
    /// Writing the catalog and publishing the commit.
    Committing,
}

/// Receives progress. Methods are called from worker threads, hence `Sync`.
pub trait Progress: Sync {
    /// A phase starts.
    fn phase(&self, phase: Phase) {
        let _ = phase;
    }

    /// Work done in the current phase: files and bytes (Indexing), postings (Merging).
    fn advance(&self, amount: u64) {
        let _ = amount;
    }

    /// Whether the caller asks the writer to stop (the CLI answers true after Ctrl-C). Asked
    /// after the walk, between chunks of files (a few megabytes each), between batches of a
    /// merge (64K postings) and before the commit; the writer then deletes what it wrote and fails with
    /// [`crate::IndexError::Interrupted`], leaving the last commit as it was.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
