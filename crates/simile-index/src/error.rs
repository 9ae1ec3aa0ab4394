//! What can go wrong with an index, each error naming the index and saying what to do.

use std::path::Path;

/// An error opening, reading, building or updating an index. Every variant names the index
/// (or the file inside it) and says what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Nothing at that path.
    #[error("{path}: no such index (create one with `simile index build PATHS -o {path}`)")]
    NotFound {
        /// The index path.
        path: String,
    },
    /// Something is there, but it is not a simile index.
    #[error("{path}: not a simile index ({detail})")]
    NotAnIndex {
        /// The path.
        path: String,
        /// What was found instead.
        detail: String,
    },
    /// A build was interrupted before its first commit: the directory holds no index yet.
    #[error(
        "{path}: holds no committed index (a build was interrupted); run `simile index build` again"
    )]
    NoCommit {
        /// The index path.
        path: String,
    },
    /// The index was written in another on-disk format version.
    #[error(
        "{path}: index format version {found}, but this simile reads version {supported}; rebuild it with `simile index build`"
    )]
    Version {
        /// The file whose version is wrong.
        path: String,
        /// The version found.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The index holds fingerprints another simile computed (its tokenizer or hashing
    /// differs): queries would silently miss.
    #[error(
        "{path}: built by {built_by}, whose fingerprints differ from this simile's; rebuild it with `simile index build`"
    )]
    Stale {
        /// The index path.
        path: String,
        /// The simile version that built it.
        built_by: String,
    },
    /// A checksum, a size or a structural check failed.
    #[error(
        "{path}: corrupt index: {detail}; rebuild it with `simile index build` (or restore a copy)"
    )]
    Corrupt {
        /// The file that failed the check.
        path: String,
        /// What failed.
        detail: String,
    },
    /// The caller asked the writer to stop ([`crate::Progress::cancelled`], Ctrl-C in the CLI):
    /// it deleted what it had written and committed nothing.
    #[error("interrupted; nothing was committed, and the index is as its last commit left it")]
    Interrupted,
    /// Another process holds the writer lock.
    #[error("{path}: index is locked by another writer{holder}; wait for it to finish, then retry")]
    Locked {
        /// The index path.
        path: String,
        /// ` (pid N)` when the holder wrote its pid, else empty.
        holder: String,
    },
    /// `build -o PATH` where PATH holds something else.
    #[error(
        "{path}: exists and is not a simile index ({detail}); refusing to overwrite it, choose another output path"
    )]
    WouldOverwrite {
        /// The path.
        path: String,
        /// What is there.
        detail: String,
    },
    /// A root to index is missing or unreadable.
    #[error("cannot index {root}: {detail}")]
    Root {
        /// The root path.
        root: String,
        /// Why.
        detail: String,
    },
    /// Options that cannot be honoured (a root path that is not UTF-8, k or w of 0).
    #[error("{0}")]
    Invalid(String),
    /// An I/O error on a file of the index.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: simile::source::display_path(path),
            source,
        }
    }

    pub(crate) fn corrupt(path: &Path, detail: impl Into<String>) -> IndexError {
        IndexError::Corrupt {
            path: simile::source::display_path(path),
            detail: detail.into(),
        }
    }
}

/// A structural defect found while decoding a file of the index: turned into
/// [`IndexError::Corrupt`] by whoever knows the file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corruption(pub String);

impl Corruption {
    /// The error for the file at `path`.
    pub fn at(self, path: &Path) -> IndexError {
        IndexError::corrupt(path, self.0)
    }
}

/// Shorthand for a [`Corruption`] result.
pub(crate) fn corrupt<T>(detail: impl Into<String>) -> Result<T, Corruption> {
    Err(Corruption(detail.into()))
}
