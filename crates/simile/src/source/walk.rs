//! Walking source trees: which files of a directory are read, and why the others are not.
//!
//! The walk is ripgrep's (the `ignore` crate): `.gitignore`, `.ignore` and `.git/info/exclude`
//! are honoured, hidden files skipped, unless told otherwise. Every file that is seen but not
//! read is reported with a [`SkipReason`]: nothing is dropped silently (jscpd's silent 1 MB cap
//! is what users complain about). Walking yields paths and metadata only; [`load`] reads a file
//! and applies the content checks (binary, minified, generated).
//!
//! Generated files are *kept* by default: vendored amalgamations (sqlite3.c) and generated
//! tables (OpenSSL's `*_err.c`, "DO NOT EDIT") are exactly what provenance questions are about.

use super::{Language, ReadOptions, SourceError, SourceFile, display_path};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Include hidden files and directories.
    pub hidden: bool,
    /// Do not read `.gitignore`, `.ignore` and git exclude files.
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and reported).
    pub follow_links: bool,
    /// Glob patterns (gitignore syntax); `!pattern` excludes. Empty: every file.
    pub globs: Vec<String>,
    /// Only files of these languages (by name and extension); empty: all.
    pub languages: Vec<Language>,
    /// Read every file as this language instead of detecting it.
    pub force_language: Option<Language>,
    /// Skip files larger than this many bytes.
    pub max_size: u64,
    /// Keep minified files (by default they are skipped).
    pub keep_minified: bool,
    /// Skip generated files (marked `@generated` or `DO NOT EDIT` near the top).
    pub skip_generated: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            hidden: false,
            no_ignore: false,
            follow_links: false,
            globs: Vec::new(),
            languages: Vec::new(),
            force_language: None,
            max_size: 16 * 1024 * 1024,
            keep_minified: false,
            skip_generated: false,
        }
    }
}

/// Why a file was not read.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// A NUL byte near the start.
    Binary,
    /// Larger than the size limit.
    TooLarge,
    /// Very long lines: minified or machine-packed code.
    Minified,
    /// Marked as generated (only with `skip_generated`).
    Generated,
    /// Permission denied.
    Unreadable,
    /// A symbolic link that leads back into its own ancestry.
    SymlinkLoop,
    /// A FIFO, socket or device.
    NotRegular,
    /// Gone (or changed type) between the walk and the read.
    Vanished,
    /// Any other I/O error.
    Error,
}

impl SkipReason {
    /// The reason as written in summaries.
    pub fn as_str(&self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Minified => "minified",
            SkipReason::Generated => "generated",
            SkipReason::Unreadable => "unreadable",
            SkipReason::SymlinkLoop => "symlink loop",
            SkipReason::NotRegular => "not a regular file",
            SkipReason::Vanished => "vanished",
            SkipReason::Error => "error",
        }
    }
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skipped {
    /// Its path.
    pub path: String,
    /// Why.
    pub reason: SkipReason,
    /// Details (the OS error, the size and limit).
    pub detail: String,
}

/// A file found by the walk, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// The path (root joined with the path below it).
    pub path: PathBuf,
    /// Size from the walk's metadata.
    pub size: u64,
    /// Modification time from the walk's metadata.
    pub mtime: Option<SystemTime>,
}

/// The result of a walk: files to read, in path order, and what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Files to read, sorted by path.
    pub files: Vec<WalkedFile>,
    /// Files seen but not read.
    pub skipped: Vec<Skipped>,
}

/// Walk `roots` (directories or files). Errors about single entries become [`Skipped`]
/// entries; only a root that does not exist is an error.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Result<Walk, SourceError> {
    let Some((first, rest)) = roots.split_first() else {
        return Ok(Walk::default());
    };
    for root in roots {
        std::fs::metadata(root).map_err(|e| SourceError::from_io(root, e))?;
    }
    let mut builder = ignore::WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .parents(!options.no_ignore)
        // A tree that is not a git repository still has .gitignore files worth honouring.
        .require_git(false)
        .follow_links(options.follow_links);
    if !options.globs.is_empty() {
        let mut overrides = ignore::overrides::OverrideBuilder::new(first);
        for glob in &options.globs {
            overrides.add(glob).map_err(|e| SourceError::Io {
                path: glob.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()),
            })?;
        }
        let built = overrides.build().map_err(|e| SourceError::Io {
            path: options.globs.join(" "),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()),
        })?;
        builder.overrides(built);
    }

    // The walker reads a directory's ignore files when it lists the directory: one that is a
    // FIFO would block the walk forever (and a link to /dev/zero never end). Such a directory
    // is not entered, and said; checked as each directory is met (`filter_entry`), and for the
    // roots here.
    let special = Arc::new(Mutex::new(Vec::new()));
    if !options.no_ignore {
        for root in roots {
            if let Some(skip) = special_ignore_file(root) {
                return Err(SourceError::NotRegular {
                    path: skip.path,
                    kind: "an ignore file that is a FIFO, socket or device",
                });
            }
        }
        let special = Arc::clone(&special);
        builder.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            match is_dir.then(|| special_ignore_file(entry.path())).flatten() {
                Some(skip) => {
                    special.lock().unwrap_or_else(|p| p.into_inner()).push(skip);
                    false
                }
                None => true,
            }
        });
    }
    let found = Mutex::new(Walk::default());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            let outcome = classify_entry(entry, options);
            let mut guard = found.lock().unwrap_or_else(|p| p.into_inner());
            match outcome {
                Some(Ok(file)) => guard.files.push(file),
                Some(Err(skip)) => guard.skipped.push(skip),
                None => {}
            }
            ignore::WalkState::Continue
        })
    });
    let mut walk = found.into_inner().unwrap_or_else(|p| p.into_inner());
    walk.skipped
        .extend(special.lock().unwrap_or_else(|p| p.into_inner()).drain(..));
    walk.files.sort_by(|a, b| a.path.cmp(&b.path));
    walk.files.dedup_by(|a, b| a.path == b.path);
    walk.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    pause_after_walk();
    Ok(walk)
}

/// Ignore files of `dir` that the walker would read and that are not regular files (a FIFO, a
/// socket, a link to a device): the directory is skipped, reported under the ignore file's
/// path. Ignore files of the directories *above* a root are read before the walk starts and
/// are not checked.
fn special_ignore_file(dir: &Path) -> Option<Skipped> {
    for name in [".gitignore", ".ignore", ".git/info/exclude"] {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let ft = meta.file_type();
        if ft.is_file() || ft.is_dir() {
            continue;
        }
        return Some(skipped(
            &path,
            SkipReason::NotRegular,
            "an ignore file that is not a regular file (a FIFO, socket or device); its directory is skipped",
        ));
    }
    None
}

/// Test hook: with `SIMILE_TEST_PAUSE_AFTER_WALK=PATH`, a walk that has listed its files reads
/// PATH to its end before returning. A test makes PATH a FIFO, so the walk waits until the
/// test, having changed the tree (deleted or truncated a listed file), closes the FIFO: the
/// window between listing and reading becomes deterministic.
fn pause_after_walk() {
    if let Some(path) = std::env::var_os("SIMILE_TEST_PAUSE_AFTER_WALK") {
        let _ = std::fs::read(path);
    }
}

/// One entry of the walk: a file to read, a skip to report, or nothing (directories).
fn classify_entry(
    entry: Result<ignore::DirEntry, ignore::Error>,
    options: &WalkOptions,
) -> Option<Result<WalkedFile, Skipped>> {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => return Some(Err(skip_from_walk_error(&err))),
    };
    let ft = entry.file_type()?;
    if ft.is_dir() {
        return None;
    }
    let path = entry.path();
    if ft.is_symlink() {
        // Not followed (follow_links is off): like ripgrep, links are not read.
        return None;
    }
    if !options.languages.is_empty() {
        let lang = Language::from_path(path).unwrap_or(Language::Text);
        if !options.languages.contains(&lang) {
            return None;
        }
    }
    if !ft.is_file() {
        return Some(Err(skipped(
            path,
            SkipReason::NotRegular,
            "a FIFO, socket or device",
        )));
    }
    let meta = match entry.metadata() {
        Ok(m) => m,
        Err(err) => return Some(Err(skip_from_walk_error(&err))),
    };
    if meta.len() > options.max_size {
        let detail = format!(
            "{} bytes, over the limit of {}",
            meta.len(),
            options.max_size
        );
        return Some(Err(skipped(path, SkipReason::TooLarge, &detail)));
    }
    Some(Ok(WalkedFile {
        path: path.to_path_buf(),
        size: meta.len(),
        mtime: meta.modified().ok(),
    }))
}

fn skipped(path: &Path, reason: SkipReason, detail: &str) -> Skipped {
    Skipped {
        path: display_path(path),
        reason,
        detail: detail.to_string(),
    }
}

fn skip_from_walk_error(err: &ignore::Error) -> Skipped {
    let mut path = None;
    let mut cur = err;
    // Unwrap the error's context to find the path and the root cause.
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            ignore::Error::Loop { child, .. } => {
                let p = path.unwrap_or_else(|| child.clone());
                return skipped(&p, SkipReason::SymlinkLoop, &err.to_string());
            }
            ignore::Error::Io(io) => {
                let reason = match io.kind() {
                    std::io::ErrorKind::PermissionDenied => SkipReason::Unreadable,
                    std::io::ErrorKind::NotFound => SkipReason::Vanished,
                    _ => SkipReason::Error,
                };
                let p = path.unwrap_or_default();
                return skipped(&p, reason, &io.to_string());
            }
            _ => {
                let p = path.unwrap_or_default();
                return skipped(&p, SkipReason::Error, &err.to_string());
            }
        }
    }
}

/// Read a walked file and apply the content checks. The file may have changed since the walk:
/// a file that vanished, grew past the limit or became a directory is skipped, not fatal.
pub fn load(file: &WalkedFile, options: &WalkOptions) -> Result<SourceFile, Skipped> {
    let read_options = ReadOptions {
        language: options.force_language,
        max_size: options.max_size,
    };
    let source = super::read_walked(&file.path, &read_options)
        .map_err(|e| skip_from_source_error(&file.path, e))?;
    if !options.keep_minified && is_minified(&source) {
        return Err(skipped(
            &file.path,
            SkipReason::Minified,
            "lines average over 300 characters",
        ));
    }
    if options.skip_generated && is_generated(&source.text) {
        return Err(skipped(
            &file.path,
            SkipReason::Generated,
            "marked as generated near the top",
        ));
    }
    Ok(source)
}

fn skip_from_source_error(path: &Path, err: SourceError) -> Skipped {
    let reason = match &err {
        SourceError::NotFound { .. } | SourceError::IsDirectory { .. } => SkipReason::Vanished,
        SourceError::PermissionDenied { .. } => SkipReason::Unreadable,
        SourceError::NotRegular { .. } => SkipReason::NotRegular,
        SourceError::Binary { .. } => SkipReason::Binary,
        SourceError::TooLarge { .. } => SkipReason::TooLarge,
        SourceError::Io { .. } => SkipReason::Error,
    };
    skipped(path, reason, &err.to_string())
}

/// Minified: at least 2 KB whose lines average over 300 characters, or any line over 20,000
/// characters in a file of mostly long lines. Hand-written code averages 30-40 characters a
/// line; sqlite3.c averages 36.
pub fn is_minified(source: &SourceFile) -> bool {
    let len = source.text.len();
    let lines = source.line_count().max(1) as usize;
    if len < 2048 {
        return false;
    }
    if name_says_minified(&source.name) {
        return true;
    }
    len / lines > 300
}

fn name_says_minified(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".min.js", ".min.css", ".min.mjs", "-min.js", ".bundle.js"]
        .iter()
        .any(|s| lower.ends_with(s))
}

/// Generated: `@generated`, `DO NOT EDIT` or `autogenerated` in the first five lines.
pub fn is_generated(text: &str) -> bool {
    text.lines().take(5).any(|l| {
        let lower = l.to_ascii_lowercase();
        l.contains("@generated")
            || l.contains("DO NOT EDIT")
            || lower.contains("autogenerated")
            || lower.contains("auto-generated")
    })
}

/// Counts of skipped files by reason.
pub fn skip_counts(skipped: &[Skipped]) -> Vec<(SkipReason, usize)> {
    let mut counts: std::collections::BTreeMap<SkipReason, usize> =
        std::collections::BTreeMap::new();
    for s in skipped {
        *counts.entry(s.reason.clone()).or_default() += 1;
    }
    counts.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::create_dir_all(p.join("src/sub")).unwrap();
        fs::create_dir_all(p.join(".hidden")).unwrap();
        fs::write(p.join("src/a.c"), "int main(void) { return 0; }\n").unwrap();
        fs::write(p.join("src/sub/b.py"), "print('hi')\n").unwrap();
        fs::write(p.join("src/ignored.c"), "int x;\n").unwrap();
        fs::write(p.join(".gitignore"), "ignored.c\n").unwrap();
        fs::write(p.join(".hidden/h.c"), "int h;\n").unwrap();
        fs::write(p.join("blob.bin"), b"\x7fELF\0\0\0\0").unwrap();
        fs::write(p.join("app.min.js"), "var a=1;".repeat(400)).unwrap();
        fs::write(p.join("big.c"), vec![b'x'; 5000]).unwrap();
        dir
    }

    fn names(walk: &Walk, root: &Path) -> Vec<String> {
        walk.files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn honours_gitignore_hidden_and_size() {
        let dir = tree();
        let opts = WalkOptions {
            max_size: 4096,
            ..WalkOptions::default()
        };
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        // `.gitignore` itself is hidden, like every dot file
        assert_eq!(
            names(&walk, dir.path()),
            ["app.min.js", "blob.bin", "src/a.c", "src/sub/b.py"]
        );
        assert_eq!(walk.skipped.len(), 1);
        assert_eq!(walk.skipped[0].reason, SkipReason::TooLarge);
        assert!(walk.skipped[0].path.ends_with("big.c"));
    }

    #[test]
    fn hidden_no_ignore_globs_and_languages() {
        let dir = tree();
        let root = [dir.path().to_path_buf()];
        let all = walk(
            &root,
            &WalkOptions {
                hidden: true,
                no_ignore: true,
                ..WalkOptions::default()
            },
        )
        .unwrap();
        let n = names(&all, dir.path());
        assert!(
            n.contains(&".hidden/h.c".to_string()) && n.contains(&"src/ignored.c".to_string()),
            "{n:?}"
        );

        let c_only = walk(
            &root,
            &WalkOptions {
                languages: vec![Language::C],
                ..WalkOptions::default()
            },
        )
        .unwrap();
        assert_eq!(names(&c_only, dir.path()), ["big.c", "src/a.c"]);

        let globbed = walk(
            &root,
            &WalkOptions {
                globs: vec!["*.py".into()],
                ..WalkOptions::default()
            },
        )
        .unwrap();
        assert_eq!(names(&globbed, dir.path()), ["src/sub/b.py"]);
    }

    #[test]
    fn load_skips_binary_and_minified() {
        let dir = tree();
        let opts = WalkOptions::default();
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        let reasons: Vec<_> = walk
            .files
            .iter()
            .filter_map(|f| load(f, &opts).err())
            .map(|s| s.reason)
            .collect();
        // app.min.js by name, big.c (one 5,000-character line) by shape, blob.bin by its NUL
        assert_eq!(
            reasons,
            [
                SkipReason::Minified,
                SkipReason::Minified,
                SkipReason::Binary
            ]
        );
    }

    #[test]
    fn vanished_files_are_skipped_not_fatal() {
        let dir = tree();
        let opts = WalkOptions::default();
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        let a = walk
            .files
            .iter()
            .find(|f| f.path.ends_with("src/a.c"))
            .unwrap();
        fs::remove_file(&a.path).unwrap();
        assert_eq!(load(a, &opts).unwrap_err().reason, SkipReason::Vanished);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_replaced_by_a_fifo_after_the_walk_is_skipped_not_waited_for() {
        let dir = tree();
        let opts = WalkOptions::default();
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        let a = walk
            .files
            .iter()
            .find(|f| f.path.ends_with("src/a.c"))
            .unwrap()
            .clone();
        fs::remove_file(&a.path).unwrap();
        let c_path = std::ffi::CString::new(a.path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        // Opening a FIFO for reading waits for a writer: run the load on a thread and give up
        // on it (failing) rather than hang the suite if it ever blocks.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(load(&a, &opts).map(|_| ()).unwrap_err()));
        let skip = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("reading a FIFO swapped in after the walk hangs");
        assert_eq!(skip.reason, SkipReason::NotRegular, "{skip:?}");
        assert!(skip.path.ends_with("src/a.c"));
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_whose_ignore_file_is_a_fifo_is_skipped_not_waited_for() {
        let dir = tree();
        let gate = dir.path().join("src/sub/.gitignore");
        let c_path = std::ffi::CString::new(gate.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(walk(&[root], &WalkOptions::default()).unwrap()));
        let walk = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("a FIFO named .gitignore hangs the walk");
        assert!(
            walk.skipped
                .iter()
                .any(|s| s.reason == SkipReason::NotRegular
                    && s.path.ends_with("src/sub/.gitignore"))
        );
        let names = names(&walk, dir.path());
        assert!(names.contains(&"src/a.c".to_string()), "{names:?}");
        assert!(!names.contains(&"src/sub/b.py".to_string()), "{names:?}");
    }

    #[test]
    fn a_file_truncated_after_the_walk_is_read_as_it_is_now() {
        let dir = tree();
        let opts = WalkOptions::default();
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        let a = walk
            .files
            .iter()
            .find(|f| f.path.ends_with("src/a.c"))
            .unwrap();
        fs::write(&a.path, "int m;\n").unwrap();
        let source = load(a, &opts).unwrap();
        assert_eq!(source.text, "int m;\n");
        assert!(a.size > source.size, "the walk saw the old size");
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = walk(&[PathBuf::from("/no/such/dir")], &WalkOptions::default()).unwrap_err();
        assert!(matches!(err, SourceError::NotFound { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported() {
        let dir = tree();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("src/loop")).unwrap();
        let opts = WalkOptions {
            follow_links: true,
            ..WalkOptions::default()
        };
        let walk = walk(&[dir.path().to_path_buf()], &opts).unwrap();
        assert!(
            walk.skipped
                .iter()
                .any(|s| s.reason == SkipReason::SymlinkLoop),
            "{:?}",
            walk.skipped
        );
        assert!(walk.files.iter().any(|f| f.path.ends_with("src/a.c")));
    }

    #[test]
    fn generated_markers() {
        assert!(is_generated(
            "/* Generated by util/mkerr.pl DO NOT EDIT */\n"
        ));
        assert!(is_generated(
            "// Code generated by protoc-gen-go. DO NOT EDIT.\n"
        ));
        assert!(!is_generated("int main() {}\n"));
    }
}
