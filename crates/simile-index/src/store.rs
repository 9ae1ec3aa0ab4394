//! The index directory: which files it holds, the writer lock, atomic commits and clean-up.
//!
//! ```text
//! corpus.simile/
//!   MANIFEST           the commit record (format::manifest); replaced by rename, never edited
//!   LOCK               held (flock) by the one writer; holds its pid for the error message
//!   files-000007.cat   catalog of generation 7
//!   seg-000012.sgm     segments, named by id; ids are never reused
//!   MANIFEST.<pid>.tmp, seg-*.sgm.lists.tmp
//!                      files of a writer at work (or killed at work)
//! ```
//!
//! Invariants:
//! - A file named by a published manifest is never modified; writers create new files and
//!   only delete files no longer named by the current manifest. A reader that mapped the files
//!   of an older commit keeps a consistent snapshot: unlinking leaves its mappings valid.
//! - A new file gets a name no published manifest ever used (segment ids and generations only
//!   grow), so a reader never opens a half-written file under a published name.
//! - Everything a commit names is made durable (fsync) before the manifest that names it is
//!   renamed into place, and the directory is synced after the rename.
//! - Only the lock holder deletes. Leftovers of a killed writer (unreferenced segments and
//!   catalogs, `*.tmp`) are deleted by the next writer before it starts.

use crate::error::IndexError;
use crate::format::manifest::{self, Manifest};
use simile::source::display_path;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Name of the manifest.
pub const MANIFEST: &str = "MANIFEST";
/// Name of the lock file.
pub const LOCK: &str = "LOCK";

/// File name of segment `id`.
pub fn segment_name(id: u32) -> String {
    format!("seg-{id:06}.sgm")
}

/// File name of the catalog of `generation`.
pub fn catalog_name(generation: u64) -> String {
    format!("files-{generation:06}.cat")
}

/// Whether simile writes files of this name into an index directory.
fn is_ours(name: &str) -> bool {
    name == MANIFEST
        || name == LOCK
        || (name.starts_with("MANIFEST.") && name.ends_with(".tmp"))
        || (name.starts_with("seg-")
            && (name.ends_with(".sgm") || name.ends_with(".sgm.lists.tmp")))
        || (name.starts_with("files-") && name.ends_with(".cat"))
}

/// Read the committed manifest of the index at `dir`, with errors that say what is at `dir`
/// when it is not an index.
pub fn read_manifest(dir: &Path) -> Result<Manifest, IndexError> {
    let shown = display_path(dir);
    let meta = match fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(IndexError::NotFound { path: shown });
        }
        Err(e) => return Err(IndexError::io(dir, e)),
    };
    if !meta.is_dir() {
        let mut head = [0u8; 8];
        let is_manifest = File::open(dir)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == manifest::MAGIC;
        let detail = if is_manifest {
            "this is the MANIFEST inside an index; give the index directory instead".to_string()
        } else {
            "a file; an index is a directory written by `simile index build`".to_string()
        };
        return Err(IndexError::NotAnIndex {
            path: shown,
            detail,
        });
    }
    let path = dir.join(MANIFEST);
    match fs::read(&path) {
        Ok(bytes) => manifest::decode(&bytes, &path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if dir.join(LOCK).exists() {
                Err(IndexError::NoCommit { path: shown })
            } else {
                Err(IndexError::NotAnIndex {
                    path: shown,
                    detail: "a directory without a MANIFEST".into(),
                })
            }
        }
        Err(e) => Err(IndexError::io(&path, e)),
    }
}

/// Make `dir` ready to receive a new index, refusing to overwrite anything that is not one.
pub fn prepare_output(dir: &Path) -> Result<(), IndexError> {
    check_output(dir)?;
    fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))
}

/// Whether a new index may be written at `dir`: nothing there, an empty directory, an index
/// (or the leftovers of an interrupted build). Creates nothing.
pub fn check_output(dir: &Path) -> Result<(), IndexError> {
    let shown = display_path(dir);
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(IndexError::io(dir, e)),
        Ok(m) if !m.is_dir() => {
            return Err(IndexError::WouldOverwrite {
                path: shown,
                detail: "a file".into(),
            });
        }
        Ok(_) => {}
    }
    let manifest_path = dir.join(MANIFEST);
    if manifest_path.exists() {
        let mut head = [0u8; 8];
        let ours = File::open(&manifest_path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && &head == manifest::MAGIC;
        if !ours {
            return Err(IndexError::WouldOverwrite {
                path: shown,
                detail: "its MANIFEST is not a simile manifest".into(),
            });
        }
        // An index (perhaps damaged, perhaps of another version): rebuilding it is what the
        // error messages for those cases recommend.
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_ours) {
            return Err(IndexError::WouldOverwrite {
                path: shown,
                detail: format!(
                    "a directory holding other files, such as {}",
                    name.to_string_lossy()
                ),
            });
        }
    }
    Ok(())
}

/// The writer lock: held for the life of this value (and released by the OS if the process
/// dies, however it dies).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Take the lock of the index at `dir`, or fail at once with [`IndexError::Locked`].
    pub fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        let path = dir.join(LOCK);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| IndexError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let holder = text
                    .trim()
                    .parse::<u32>()
                    .map(|pid| format!(" (pid {pid})"))
                    .unwrap_or_default();
                return Err(IndexError::Locked {
                    path: display_path(dir),
                    holder,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(IndexError::io(&path, e)),
        }
        // The pid is informative only: the lock itself is the flock.
        let _ = file
            .set_len(0)
            .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
            .and_then(|()| file.flush());
        Ok(WriterLock { _file: file })
    }
}

/// Atomically replace the manifest of `dir` with `manifest`: write a temporary file, make it
/// durable, rename it over `MANIFEST`, make the rename durable.
pub fn publish(dir: &Path, manifest: &Manifest) -> Result<(), IndexError> {
    let tmp = dir.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
    let bytes = manifest::encode(manifest);
    let write = || -> io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()
    };
    write().map_err(|e| IndexError::io(&tmp, e))?;
    crate::session::crash_point("before-rename");
    let target = dir.join(MANIFEST);
    fs::rename(&tmp, &target).map_err(|e| IndexError::io(&target, e))?;
    sync_dir(dir)
}

/// Make the directory entries of `dir` (creations, renames) durable.
pub fn sync_dir(dir: &Path) -> Result<(), IndexError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| IndexError::io(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Delete every file simile wrote into `dir` that `keep` does not name (leftovers of an
/// earlier commit, or of a writer that was killed). Only the lock holder may call this.
pub fn collect_garbage(dir: &Path, keep: Option<&Manifest>) -> Result<Vec<PathBuf>, IndexError> {
    let mut referenced: Vec<&str> = vec![MANIFEST, LOCK];
    if let Some(m) = keep {
        referenced.push(&m.catalog.name);
        referenced.extend(m.segments.iter().map(|s| s.file.name.as_str()));
    }
    let mut removed = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))? {
        let entry = entry.map_err(|e| IndexError::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_ours(name) && !referenced.contains(&name) {
            let path = entry.path();
            match fs::remove_file(&path) {
                Ok(()) => removed.push(path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(IndexError::io(&path, e)),
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_ours(&segment_name(3)));
        assert!(is_ours(&catalog_name(12)));
        assert!(is_ours("MANIFEST.123.tmp"));
        assert!(is_ours("seg-000004.sgm.lists.tmp"));
        assert!(!is_ours("notes.txt"));
        assert!(!is_ours("draft.tmp"), "only our own temporary files");
        assert!(!is_ours("seg-1.c"));
    }

    #[test]
    fn second_writer_is_refused_with_pid() {
        let dir = tempfile::tempdir().unwrap();
        let lock = WriterLock::acquire(dir.path()).unwrap();
        let err = WriterLock::acquire(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, IndexError::Locked { .. }));
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(lock);
        WriterLock::acquire(dir.path()).expect("released on drop");
    }

    #[test]
    fn output_checks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            prepare_output(&file),
            Err(IndexError::WouldOverwrite { .. })
        ));
        let other = dir.path().join("src");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("main.c"), "int x;").unwrap();
        let err = prepare_output(&other).unwrap_err().to_string();
        assert!(err.contains("main.c"), "{err}");
        let fresh = dir.path().join("new/idx");
        prepare_output(&fresh).unwrap();
        assert!(fresh.is_dir());
        fs::write(fresh.join("seg-000001.sgm"), "partial").unwrap();
        fs::write(fresh.join(LOCK), "").unwrap();
        prepare_output(&fresh).expect("leftovers of a killed build are ours");
    }

    #[test]
    fn open_errors_say_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        assert!(matches!(
            read_manifest(&missing),
            Err(IndexError::NotFound { .. })
        ));
        let file = dir.path().join("a.c");
        fs::write(&file, "int main;").unwrap();
        assert!(matches!(
            read_manifest(&file),
            Err(IndexError::NotAnIndex { .. })
        ));
        assert!(matches!(
            read_manifest(dir.path()),
            Err(IndexError::NotAnIndex { .. })
        ));
        fs::write(dir.path().join(LOCK), "").unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            Err(IndexError::NoCommit { .. })
        ));
    }

    #[test]
    fn publish_and_collect() {
        let dir = tempfile::tempdir().unwrap();
        let m = manifest::sample();
        for name in [
            m.catalog.name.as_str(),
            m.segments[0].file.name.as_str(),
            "seg-000009.sgm",
            "MANIFEST.77.tmp",
            "draft.tmp",
            "README",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        publish(dir.path(), &m).unwrap();
        assert_eq!(read_manifest(dir.path()).unwrap(), m);
        let removed = collect_garbage(dir.path(), Some(&m)).unwrap();
        let mut names: Vec<_> = removed
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["MANIFEST.77.tmp", "seg-000009.sgm"]);
        assert!(
            dir.path().join("README").exists() && dir.path().join("draft.tmp").exists(),
            "foreign files are left alone"
        );
    }
}
