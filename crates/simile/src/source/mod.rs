//! Reading source files: from a path to decoded text with its language and line index.
//!
//! This is the first room of the pipeline (files -> tokens -> fingerprints -> ...). Everything
//! that can go wrong with a file (missing, unreadable, a directory, binary, too large) is
//! decided here and reported as a [`SourceError`] naming the path, so later stages only ever see
//! text. Nothing is silently lost: invalid UTF-8 is decoded (see [`decode`]) and flagged.

pub mod decode;
pub mod language;
mod lines;
pub mod walk;

pub use decode::Encoding;
pub use language::Language;
pub use lines::LineIndex;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Default limit on the size of one file: 64 MiB. Larger files are refused with
/// [`SourceError::TooLarge`] (the limit is configurable) so memory stays bounded: a file costs
/// about 5x its size in memory once tokenized, and a whole comparison 14 to 34 times the two
/// files' combined size (measured on 100 MB files: bench/RESULTS.md, "Robustness").
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The most bytes of text simile reads from one file, whatever `--max-size` says: 4 GiB - 1.
/// Token and line offsets are 32-bit, so a larger text cannot be addressed; a file is refused
/// when its bytes, or its text once decoded (Latin-1 bytes take two bytes in UTF-8), exceed it.
/// Memory runs out well before: a file costs about 5x its size once tokenized.
pub const MAX_TEXT_BYTES: u64 = u32::MAX as u64;

/// What decides a file's tokens, and so its fingerprints and alignments: the hash and size of
/// its bytes, and its language. Files with equal keys are copies: `clones` and `find` align a
/// copy's pairs once.
pub type ContentKey = (u64, u64, Language);

/// A decoded source file, ready to be tokenized.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path the file was read from (or a name given by the caller).
    pub path: PathBuf,
    /// The path as shown in reports: UTF-8, with undecodable bytes written as `\xNN`.
    pub name: String,
    /// The decoded text.
    pub text: String,
    /// The language used for tokenizing.
    pub language: Language,
    /// How the bytes were decoded.
    pub encoding: Encoding,
    /// Bytes that were not valid UTF-8 (read as Windows-1252).
    pub invalid_bytes: usize,
    /// Size of the file in bytes, before decoding.
    pub size: u64,
    /// xxh3-64 of the raw bytes: equal hashes mean byte-identical files.
    pub content_hash: u64,
    /// Line starts of `text`.
    pub lines: LineIndex,
}

/// Options for reading a file.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Use this language instead of detecting one.
    pub language: Option<Language>,
    /// Refuse files larger than this many bytes.
    pub max_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            language: None,
            max_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Why a file could not be read as source text. Every variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No file at that path.
    #[error("{path}: no such file")]
    NotFound {
        /// The path.
        path: String,
    },
    /// The file exists but may not be read.
    #[error("{path}: permission denied")]
    PermissionDenied {
        /// The path.
        path: String,
    },
    /// A directory was given where a file is expected.
    #[error(
        "{path}: is a directory, expected a file (use `simile find` or `simile clones` for trees)"
    )]
    IsDirectory {
        /// The path.
        path: String,
    },
    /// A device, socket or other special file.
    #[error("{path}: not a regular file ({kind})")]
    NotRegular {
        /// The path.
        path: String,
        /// What kind of special file it is.
        kind: &'static str,
    },
    /// The file contains a NUL byte near its start.
    #[error("{path}: binary file (NUL byte at offset {offset}); simile compares text")]
    Binary {
        /// The path.
        path: String,
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The file is larger than the configured limit (or than [`MAX_TEXT_BYTES`]).
    #[error(
        "{path}: {size} bytes is over the size limit of {limit} bytes ({})",
        if *limit < MAX_TEXT_BYTES { "raise it with --max-size" } else { "the most simile reads" }
    )]
    TooLarge {
        /// The path.
        path: String,
        /// The file's size (at least; it may have grown while read).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Any other I/O error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error.
        source: io::Error,
    },
}

impl SourceError {
    /// The path the error is about.
    pub fn path(&self) -> &str {
        match self {
            SourceError::NotFound { path }
            | SourceError::PermissionDenied { path }
            | SourceError::IsDirectory { path }
            | SourceError::NotRegular { path, .. }
            | SourceError::Binary { path, .. }
            | SourceError::TooLarge { path, .. }
            | SourceError::Io { path, .. } => path,
        }
    }

    fn from_io(path: &Path, err: io::Error) -> SourceError {
        let path = display_path(path);
        match err.kind() {
            io::ErrorKind::NotFound => SourceError::NotFound { path },
            io::ErrorKind::PermissionDenied => SourceError::PermissionDenied { path },
            io::ErrorKind::IsADirectory => SourceError::IsDirectory { path },
            _ => SourceError::Io { path, source: err },
        }
    }
}

/// A path as a UTF-8 string, with bytes that are not UTF-8 written as `\xNN` so that two
/// different names never display the same.
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => bytes.utf8_chunks().fold(String::new(), |mut out, chunk| {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
                out
            }),
        }
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Read, check and decode one file.
pub fn read_source(path: &Path, options: &ReadOptions) -> Result<SourceFile, SourceError> {
    let bytes = read_bytes(path, options.max_size)?;
    source_from_bytes(path, bytes, options)
}

/// Read, check and decode a regular file met in a tree walk (see [`walk::load`]): never a FIFO
/// or device, even one swapped in since the walk.
pub(crate) fn read_walked(path: &Path, options: &ReadOptions) -> Result<SourceFile, SourceError> {
    let bytes = read_regular(path, options.max_size)?;
    source_from_bytes(path, bytes, options)
}

/// Build a [`SourceFile`] from bytes already in memory (stdin, tests, an index).
pub fn source_from_bytes(
    path: &Path,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<SourceFile, SourceError> {
    if let Some(offset) = decode::binary_offset(&bytes) {
        return Err(SourceError::Binary {
            path: display_path(path),
            offset,
        });
    }
    let (size, content_hash) = (bytes.len() as u64, xxhash_rust::xxh3::xxh3_64(&bytes));
    let decoded = decode::decode_owned(bytes);
    if decoded.text.len() as u64 > MAX_TEXT_BYTES {
        return Err(SourceError::TooLarge {
            path: display_path(path),
            size: decoded.text.len() as u64,
            limit: MAX_TEXT_BYTES,
        });
    }
    let language = Language::detect(path, &decoded.text, options.language);
    let lines = LineIndex::new(&decoded.text);
    Ok(SourceFile {
        path: path.to_path_buf(),
        name: display_path(path),
        language,
        encoding: decoded.encoding,
        invalid_bytes: decoded.invalid_bytes,
        size,
        content_hash,
        lines,
        text: decoded.text,
    })
}

/// Read a file's bytes, refusing directories, special files and files over `max_size`. Reading
/// stops at `max_size + 1` bytes, so a file that grows while read cannot exhaust memory.
fn read_bytes(path: &Path, max_size: u64) -> Result<Vec<u8>, SourceError> {
    let meta = std::fs::metadata(path).map_err(|e| SourceError::from_io(path, e))?;
    check_file_type(path, &meta)?;
    let file = File::open(path).map_err(|e| SourceError::from_io(path, e))?;
    read_limited(path, file, meta.len(), max_size)
}

/// Read a file found by a tree walk: a regular file only, opened without blocking. The walk
/// saw a regular file, but it may have been replaced since (by a FIFO, whose `open` would wait
/// for a writer forever, or a device): the type is checked on the opened file itself, so no
/// swap between the check and the read can make a walk hang.
pub(crate) fn read_regular(path: &Path, max_size: u64) -> Result<Vec<u8>, SourceError> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Without O_NONBLOCK, opening a FIFO blocks until a writer opens it; with it, the
        // open returns at once and the type check below refuses the FIFO.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options
        .open(path)
        .map_err(|e| SourceError::from_io(path, e))?;
    let meta = file.metadata().map_err(|e| SourceError::from_io(path, e))?;
    if !meta.is_file() {
        check_file_type(path, &meta)?;
        return Err(SourceError::NotRegular {
            path: display_path(path),
            kind: "a FIFO",
        });
    }
    read_limited(path, file, meta.len(), max_size)
}

fn read_limited(path: &Path, file: File, len: u64, max_size: u64) -> Result<Vec<u8>, SourceError> {
    let max_size = max_size.min(MAX_TEXT_BYTES);
    if len > max_size {
        return Err(SourceError::TooLarge {
            path: display_path(path),
            size: len,
            limit: max_size,
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::from_io(path, e))?;
    if bytes.len() as u64 > max_size {
        return Err(SourceError::TooLarge {
            path: display_path(path),
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    Ok(bytes)
}

/// Regular files and pipes (as in `simile compare <(cmd) b.c`) are read; directories, devices
/// and sockets are refused, because reading them either fails or never ends.
fn check_file_type(path: &Path, meta: &std::fs::Metadata) -> Result<(), SourceError> {
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(());
    }
    if ft.is_dir() {
        return Err(SourceError::IsDirectory {
            path: display_path(path),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Ok(());
        }
        let kind = if ft.is_char_device() {
            "a character device"
        } else if ft.is_block_device() {
            "a block device"
        } else if ft.is_socket() {
            "a socket"
        } else {
            "a special file"
        };
        Err(SourceError::NotRegular {
            path: display_path(path),
            kind,
        })
    }
    #[cfg(not(unix))]
    Err(SourceError::NotRegular {
        path: display_path(path),
        kind: "a special file",
    })
}

impl SourceFile {
    /// The file's [`ContentKey`].
    pub fn content_key(&self) -> ContentKey {
        (self.content_hash, self.size, self.language)
    }

    /// A source file from a string, for tests and library users with text in memory.
    pub fn from_text(name: &str, text: &str, language: Option<Language>) -> SourceFile {
        let options = ReadOptions {
            language,
            ..ReadOptions::default()
        };
        let mut file = source_from_bytes(Path::new(name), text.as_bytes().to_vec(), &options)
            .unwrap_or_else(|_| {
                // Text with NUL bytes: keep it as text, since the caller says it is text.
                let lines = LineIndex::new(text);
                SourceFile {
                    path: PathBuf::from(name),
                    name: name.to_owned(),
                    text: text.to_owned(),
                    language: language.unwrap_or(Language::Text),
                    encoding: Encoding::Utf8,
                    invalid_bytes: 0,
                    size: text.len() as u64,
                    content_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
                    lines,
                }
            });
        file.name = name.to_owned();
        file
    }

    /// The text of line `line` (1-based), without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let range = self.lines.line_range(line, &self.text);
        &self.text[range]
    }

    /// Number of lines (a final line without a terminator counts; an empty file has 0).
    pub fn line_count(&self) -> u32 {
        self.lines.line_count(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.c");
        let err = read_source(&missing, &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, SourceError::NotFound { .. }));
        assert!(err.to_string().contains("missing.c"));

        let err = read_source(dir.path(), &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, SourceError::IsDirectory { .. }), "{err}");

        let bin = dir.path().join("a.out");
        std::fs::write(&bin, b"\x7fELF\0\0\0").unwrap();
        let err = read_source(&bin, &ReadOptions::default()).unwrap_err();
        assert!(
            matches!(err, SourceError::Binary { offset: 4, .. }),
            "{err}"
        );

        let big = dir.path().join("big.c");
        std::fs::write(&big, vec![b'x'; 2000]).unwrap();
        let opts = ReadOptions {
            max_size: 1000,
            ..ReadOptions::default()
        };
        let err = read_source(&big, &opts).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::TooLarge {
                    size: 2000,
                    limit: 1000,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn the_size_limit_is_capped_at_what_offsets_can_address() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.c");
        // Sparse: 5 GiB on paper, nothing on disk.
        let file = File::create(&path).unwrap();
        file.set_len(5 << 30).unwrap();
        let opts = ReadOptions {
            max_size: u64::MAX,
            ..ReadOptions::default()
        };
        let err = read_source(&path, &opts).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::TooLarge {
                    limit: MAX_TEXT_BYTES,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("the most simile reads"), "{err}");
        let err = read_source(&path, &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string().contains("raise it with --max-size"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused() {
        let err = read_source(Path::new("/dev/null"), &ReadOptions::default()).unwrap_err();
        assert!(matches!(err, SourceError::NotRegular { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_names_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"dir/caf\xe9.c"));
        assert_eq!(display_path(p), "dir/caf\\xE9.c");
    }

    #[test]
    fn from_text_detects_language_and_lines() {
        let f = SourceFile::from_text("x.py", "a = 1\nb = 2\n", None);
        assert_eq!(f.language, Language::Python);
        assert_eq!(f.line_count(), 2);
        assert_eq!(f.line_text(2), "b = 2");
    }
}
