//! The licence files of the source tree a file is in (`LICENSE`, `COPYING`, ...): most source
//! files carry no licence of their own, or one that points at such a file ("the BSD-style
//! license found in the LICENSE file in the root directory of this source tree", zstd), and a
//! compliance reader wants the licence that file grants. Django's 4,000 Python files have no
//! licence header at all; its `LICENSE` is BSD-3-Clause.
//!
//! From the file's directory up, the first directory holding licence files gives them (the
//! nearest ones apply: a vendored library's own `LICENSE` over its host's). The search stops at
//! the root of a repository (a directory holding `.git`, `.hg` or `.svn`), so the files of an
//! unrelated tree above never count. Each licence file is read as a text file and its licence
//! detected as a file's own ([`super::file_license`]).
//!
//! This reads the file system, so it is not part of [`crate::compare`] (which compares texts,
//! whatever their paths): a caller that compares files on disk gives them to the comparison
//! with [`super::effective::attach_license_files`], which also reads each side's effective
//! licence again with them (`simile compare` does, while it compares).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use simile::license::files::license_files_of;
//! let tree = tempfile::tempdir()?;
//! std::fs::create_dir_all(tree.path().join("src"))?;
//! std::fs::write(tree.path().join("src/lib.c"), "int f(void) { return 1; }\n")?;
//! std::fs::write(tree.path().join("LICENSE"), "SPDX-License-Identifier: MIT\n")?;
//! let found = license_files_of(&tree.path().join("src/lib.c"));
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].license.as_deref(), Some("MIT"));
//! # Ok(())
//! # }
//! ```

use crate::lex::Comment;
use crate::report::{FileLicense, LicenseFile};
use crate::source::Language;
use crate::source::{ReadOptions, SourceFile, display_path, read_source};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Directories looked at, from the file's own up, at most.
const MAX_LEVELS: usize = 32;

/// A licence file larger than this is not read (the GPL-3.0 is 35 KB; a bigger "LICENSE" is a
/// list of third-party notices, not one licence).
const MAX_LICENSE_FILE_BYTES: u64 = 256 * 1024;

/// Names of licence files, lower case, before any extension or suffix (`LICENSE.txt`,
/// `LICENSE-MIT`, `COPYING.LIB`, `LICENCE.md`).
const LICENSE_FILE_STEMS: [&str; 4] = ["license", "licence", "copying", "unlicense"];

/// Directories that mark the root of a repository: the search goes no higher.
const REPOSITORY_MARKERS: [&str; 3] = [".git", ".hg", ".svn"];

/// Whether a file of this name is a licence file: a licence stem, alone or followed by a
/// separator (`LICENSE-MIT`), and not source code (`license_check.py` is a program).
pub fn is_license_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem_first = LICENSE_FILE_STEMS.iter().any(|stem| {
        lower
            .strip_prefix(stem)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_']))
    });
    let code = Language::from_path(Path::new(name)).is_some_and(|l| l != Language::Text);
    stem_first && !code
}

/// The licence files that apply to the file at `path`: those of the nearest directory, from
/// the file's own up to the repository root, that holds any; in name order. Empty when `path`
/// is not a file on disk, or no such directory holds one.
pub fn license_files_of(path: &Path) -> Vec<LicenseFile> {
    LicenseFiles::default().of(path)
}

/// [`license_files_of`] for many files: each directory looked at once, each licence text
/// (by its bytes) detected once: two releases of a project side by side have the same
/// `COPYING`.
#[derive(Debug, Default)]
pub struct LicenseFiles {
    /// By directory: the licence files that apply to the files in it.
    by_directory: HashMap<PathBuf, Vec<LicenseFile>>,
    /// By content hash: the licence a licence file states, and the confidence.
    by_content: HashMap<u64, (Option<String>, f64)>,
}

impl LicenseFiles {
    /// [`license_files_of`] `path`.
    pub fn of(&mut self, path: &Path) -> Vec<LicenseFile> {
        if !path.is_file() {
            return Vec::new();
        }
        // Canonical: `..` resolved, so the parents walked are the real ones and a licence
        // file's path shows without detours (`src/../LICENSE`).
        let Ok(absolute) = std::fs::canonicalize(path) else {
            return Vec::new();
        };
        let Some(directory) = absolute.parent() else {
            return Vec::new();
        };
        self.of_directory(directory, MAX_LEVELS)
    }

    fn of_directory(&mut self, directory: &Path, levels: usize) -> Vec<LicenseFile> {
        if let Some(known) = self.by_directory.get(directory) {
            return known.clone();
        }
        let here = self.licence_files_in(directory);
        let found = if !here.is_empty() || levels <= 1 || is_repository_root(directory) {
            here
        } else {
            match directory.parent() {
                Some(parent) => self.of_directory(parent, levels - 1),
                None => Vec::new(),
            }
        };
        self.by_directory
            .insert(directory.to_path_buf(), found.clone());
        found
    }

    /// The licence files directly in `directory`, in name order, each with its licence (the
    /// texts not met before detected in parallel). A directory that cannot be listed has none.
    fn licence_files_in(&mut self, directory: &Path) -> Vec<LicenseFile> {
        let Ok(entries) = std::fs::read_dir(directory) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| is_license_file_name(&e.file_name().to_string_lossy()))
            // Follows a symbolic link, as reading does; a directory named LICENSE is not one.
            .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()))
            .map(|e| e.path())
            .collect();
        paths.sort();
        let options = ReadOptions {
            language: Some(Language::Text),
            max_size: MAX_LICENSE_FILE_BYTES,
        };
        // A file that cannot be read, or is too large to be one licence, is listed with none.
        let sources: Vec<Option<SourceFile>> = paths
            .iter()
            .map(|p| read_source(p, &options).ok())
            .collect();
        let new: Vec<&SourceFile> = sources
            .iter()
            .flatten()
            .filter(|s| !self.by_content.contains_key(&s.content_hash))
            .collect();
        let detected: Vec<(u64, (Option<String>, f64))> = new
            .par_iter()
            .map(|s| (s.content_hash, detect_license_text(s)))
            .collect();
        self.by_content.extend(detected);
        paths
            .iter()
            .zip(&sources)
            .map(|(path, source)| {
                let (license, confidence) = source
                    .as_ref()
                    .and_then(|s| self.by_content.get(&s.content_hash).cloned())
                    .unwrap_or((None, 0.0));
                LicenseFile {
                    path: shown_path(path),
                    license,
                    confidence,
                }
            })
            .collect()
    }
}

fn is_repository_root(directory: &Path) -> bool {
    REPOSITORY_MARKERS
        .iter()
        .any(|m| directory.join(m).exists())
}

/// The licence a licence file states, and the confidence (0 without one): first as the
/// whole text of one licence ([`super::text::detect_whole`], quick), else as a file's header
/// ([`super::file_license`]) that is the whole file: tags, licence texts and notices, names.
fn detect_license_text(source: &SourceFile) -> (Option<String>, f64) {
    if let Some((license, confidence)) = super::text::detect_whole(&source.text) {
        return (Some(license), confidence);
    }
    let whole = Comment {
        start: 0,
        end: source.text.len() as u32,
        line: 1,
    };
    let stated: FileLicense = super::file_license(source, &[], &[whole]);
    let confidence = stated
        .detections
        .iter()
        .filter(|d| stated.license.is_some() && d.license == stated.license)
        .map(|d| d.confidence)
        .fold(0.0, f64::max);
    (stated.license, confidence)
}

/// `path` (canonical) as reports show it: relative to the working directory when it is under
/// it (as the compared files' paths usually are), else absolute.
fn shown_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    display_path(relative.as_deref().unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// The MIT and Apache-2.0 texts this repository is under: real licence files.
    const MIT: &str = include_str!("../../../../LICENSE-MIT");
    const APACHE: &str = include_str!("../../../../LICENSE-APACHE");

    fn licences(found: &[LicenseFile]) -> Vec<(String, Option<&str>)> {
        found
            .iter()
            .map(|l| {
                let name = Path::new(&l.path).file_name().unwrap().to_string_lossy();
                (name.into_owned(), l.license.as_deref())
            })
            .collect()
    }

    #[test]
    fn the_nearest_directory_with_licence_files_gives_them_up_to_the_repository_root() {
        let outer = tempfile::tempdir().unwrap();
        let repo = outer.path().join("repo");
        let write = |path: &str, text: &str| {
            let path = outer.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        // Above the repository: never looked at.
        write("LICENSE", APACHE);
        fs::create_dir_all(repo.join(".git")).unwrap();
        write("repo/LICENSE-MIT", MIT);
        write("repo/LICENSE-APACHE", APACHE);
        write("repo/src/deep/er/main.c", "int main(void) { return 0; }\n");
        // A vendored library's own licence applies to its files.
        write(
            "repo/vendor/zlib/COPYING.txt",
            "SPDX-License-Identifier: Zlib\n",
        );
        write("repo/vendor/zlib/src/inflate.c", "int inflate(void);\n");
        // Neither a directory named like a licence file nor a program is a licence file.
        fs::create_dir_all(repo.join("tools/LICENSE")).unwrap();
        write("repo/tools/license_check.py", "print('MIT')\n");
        write("repo/tools/run.sh", "exit 0\n");
        // A repository without licence files has none, whatever lies above it.
        fs::create_dir_all(outer.path().join("bare/.git")).unwrap();
        write("bare/src/a.c", "int a;\n");

        let mut files = LicenseFiles::default();
        let both = [
            ("LICENSE-APACHE".to_string(), Some("Apache-2.0")),
            ("LICENSE-MIT".to_string(), Some("MIT")),
        ];
        assert_eq!(licences(&files.of(&repo.join("src/deep/er/main.c"))), both);
        assert_eq!(licences(&files.of(&repo.join("tools/run.sh"))), both);
        assert_eq!(
            licences(&files.of(&repo.join("vendor/zlib/src/inflate.c"))),
            [("COPYING.txt".to_string(), Some("Zlib"))]
        );
        assert_eq!(files.of(&outer.path().join("bare/src/a.c")), []);
        // Not a file on disk: nothing (standard input is `-`).
        assert_eq!(files.of(Path::new("-")), []);
        assert_eq!(files.of(&repo.join("src/missing.c")), []);
        // A licence file is found the same way from a fresh lookup.
        assert_eq!(
            license_files_of(&repo.join("src/deep/er/main.c")),
            files.of(&repo.join("src/deep/er/main.c"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn odd_licence_files_are_listed_without_a_licence_or_skipped_never_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::write(p.join("main.c"), "int main(void) { return 0; }\n").unwrap();
        // Too large to be one licence: listed, with no licence.
        fs::write(p.join("LICENSE-THIRD-PARTY"), MIT.repeat(300)).unwrap();
        // A symbolic link that loops, and one to nowhere: not files, skipped.
        std::os::unix::fs::symlink("COPYING", p.join("COPYING")).unwrap();
        std::os::unix::fs::symlink("missing", p.join("LICENSE.md")).unwrap();
        // A FIFO would block a reader: not a regular file, skipped.
        let fifo = std::ffi::CString::new(p.join("LICENCE").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        // Binary: listed, with no licence.
        fs::write(p.join("UNLICENSE"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
        let found = license_files_of(&p.join("main.c"));
        assert_eq!(
            licences(&found),
            [
                ("LICENSE-THIRD-PARTY".to_string(), None),
                ("UNLICENSE".to_string(), None)
            ]
        );
        assert!(found.iter().all(|l| l.confidence == 0.0));
    }

    #[test]
    fn a_licence_file_is_read_as_one_licence_or_else_as_any_file() {
        let dir = tempfile::tempdir().unwrap();
        let detect = |name: &str, text: &str| {
            fs::write(dir.path().join(name), text).unwrap();
            let options = ReadOptions {
                language: Some(Language::Text),
                max_size: MAX_LICENSE_FILE_BYTES,
            };
            detect_license_text(&read_source(&dir.path().join(name), &options).unwrap())
        };
        // The whole text of one licence: found quickly, with its score.
        let (mit, score) = detect("LICENSE", MIT);
        assert_eq!(
            (mit.as_deref(), score >= 0.9),
            (Some("MIT"), true),
            "{score}"
        );
        // Two licences in one file: no single licence is the whole text; read as any file,
        // the tags say which.
        let (both, _) = detect(
            "COPYING",
            "SPDX-License-Identifier: MIT\nSPDX-License-Identifier: Apache-2.0\n",
        );
        assert_eq!(both.as_deref(), Some("MIT AND Apache-2.0"));
        // Prose that names no licence.
        assert_eq!(detect("LICENCE.md", "See the website.\n"), (None, 0.0));
    }

    #[test]
    fn licence_file_names() {
        for name in [
            "LICENSE",
            "LICENCE",
            "License.txt",
            "LICENSE-MIT",
            "LICENSE.BSD-3-Clause",
            "COPYING",
            "COPYING.LIB",
            "license.md",
            "UNLICENSE",
            "LICENSE_APACHE",
        ] {
            assert!(is_license_file_name(name), "{name}");
        }
        for name in [
            "LICENSES",
            "licensed.c",
            "license_check.py",
            "COPYRIGHT",
            "README",
        ] {
            assert!(!is_license_file_name(name), "{name}");
        }
    }
}
