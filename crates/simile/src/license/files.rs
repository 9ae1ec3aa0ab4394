//! The licence files of the source tree a file is in (`LICENSE`, `COPYING`, ...): most source
//! files carry no licence of their own, or one that points at such a file ("the BSD-style
//! license found in the LICENSE file in the root directory of this source tree", zstd), and a
//! compliance reader wants the licence that file grants. Django's 4,000 Python files have no
//! licence header at all; its `LICENSE` is BSD-3-Clause.
//!
//! From the file's directory up, the first directory holding licence files or a package
//! manifest that declares a licence ([`super::manifests`]: `Cargo.toml`, `pyproject.toml`,
//! ...) gives them (the nearest ones apply: a vendored library's own `LICENSE` over its
//! host's). The search stops at the root of a repository (a directory holding `.git`, `.hg` or
//! `.svn`), so the files of an unrelated tree above never count. Each licence file is read as a
//! text file and its licence detected as a file's own ([`super::file_license`]).
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
//! std::fs::write(tree.path().join("Cargo.toml"), "[package]\nlicense = \"MIT\"\n")?;
//! let found = license_files_of(&tree.path().join("src/lib.c"));
//! assert_eq!(found.files.len(), 1);
//! assert_eq!(found.files[0].license.as_deref(), Some("MIT"));
//! assert_eq!(found.declared.unwrap().expression.as_deref(), Some("MIT"));
//! # Ok(())
//! # }
//! ```

use super::{debian, manifests};
use crate::lex::Comment;
use crate::report::{DeclaredLicense, FileLicense, LicenseFile};
use crate::source::Language;
use crate::source::{ReadOptions, SourceFile, display_path, read_source};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// The licence evidence of the tree a file is in: its licence files, and the licence its
/// package's manifest declares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreeLicenses {
    /// The licence files, in name order.
    pub files: Vec<LicenseFile>,
    /// The licence the manifest beside them declares (see [`super::manifests`]).
    pub declared: Option<DeclaredLicense>,
}

impl TreeLicenses {
    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.declared.is_none()
    }
}

/// The licence evidence of the tree the file at `path` is in: that of the nearest directory,
/// from the file's own up to the repository root, holding licence files or a package manifest
/// that declares a licence (a vendored library's own `LICENSE` or `package.json` over its
/// host's). Empty when `path` is not a file on disk, or no such directory holds any.
pub fn license_files_of(path: &Path) -> TreeLicenses {
    LicenseFiles::default().of(path)
}

/// [`license_files_of`] for many files: each directory looked at once, each licence text
/// (by its bytes) detected once: two releases of a project side by side have the same
/// `COPYING`.
#[derive(Debug, Default)]
pub struct LicenseFiles {
    /// By directory: the licence evidence that applies to the files in it.
    by_directory: HashMap<PathBuf, TreeLicenses>,
    /// By content hash: the licence a licence file states, and the confidence.
    by_content: HashMap<u64, (Option<String>, f64)>,
    /// By directory: the Debian source tree it is in (its root, and its `debian/copyright`).
    debian_by_directory: HashMap<PathBuf, Option<Arc<DebianTree>>>,
}

/// A Debian source tree: its root and its machine-readable `debian/copyright`.
#[derive(Debug)]
struct DebianTree {
    root: PathBuf,
    copyright: debian::Dep5,
}

impl LicenseFiles {
    /// [`license_files_of`] `path`.
    pub fn of(&mut self, path: &Path) -> TreeLicenses {
        if !path.is_file() {
            return TreeLicenses::default();
        }
        // Canonical: `..` resolved, so the parents walked are the real ones and a licence
        // file's path shows without detours (`src/../LICENSE`).
        let Ok(absolute) = std::fs::canonicalize(path) else {
            return TreeLicenses::default();
        };
        let Some(directory) = absolute.parent() else {
            return TreeLicenses::default();
        };
        let mut found = self.of_directory(directory, MAX_LEVELS);
        if let Some(declared) = self.debian_declared(&absolute, directory) {
            // The packager's word on this very file, over a manifest's on the whole package.
            found.declared = Some(declared);
        }
        found
    }

    /// The licence the `debian/copyright` of the Debian source tree `file` is in declares
    /// for it, when there is such a tree and a paragraph matches the file.
    fn debian_declared(&mut self, file: &Path, directory: &Path) -> Option<DeclaredLicense> {
        let tree = self.debian_tree(directory, MAX_LEVELS)?;
        let relative = file.strip_prefix(&tree.root).ok()?;
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let (pattern, short) = tree.copyright.license_of(&relative.join("/"))?;
        // A paragraph whose `License` names nothing on its first line (only a text below)
        // declares no licence name.
        if short.is_empty() {
            return None;
        }
        Some(DeclaredLicense {
            manifest: shown_path(&tree.root.join("debian/copyright")),
            written: short.to_owned(),
            expression: debian::spdx_of(short),
            files: Some(pattern.to_owned()),
        })
    }

    /// The Debian source tree `directory` is in: the nearest directory, from it up to the
    /// repository root, holding a machine-readable `debian/copyright`.
    fn debian_tree(&mut self, directory: &Path, levels: usize) -> Option<Arc<DebianTree>> {
        if let Some(known) = self.debian_by_directory.get(directory) {
            return known.clone();
        }
        let here = read_dep5(directory).map(|copyright| {
            Arc::new(DebianTree {
                root: directory.to_path_buf(),
                copyright,
            })
        });
        let found = if here.is_some() || levels <= 1 || is_repository_root(directory) {
            here
        } else {
            directory
                .parent()
                .and_then(|parent| self.debian_tree(parent, levels - 1))
        };
        self.debian_by_directory
            .insert(directory.to_path_buf(), found.clone());
        found
    }

    fn of_directory(&mut self, directory: &Path, levels: usize) -> TreeLicenses {
        if let Some(known) = self.by_directory.get(directory) {
            return known.clone();
        }
        let here = TreeLicenses {
            files: self.licence_files_in(directory),
            declared: declared_in(directory),
        };
        let found = if !here.is_empty() || levels <= 1 || is_repository_root(directory) {
            here
        } else {
            match directory.parent() {
                Some(parent) => self.of_directory(parent, levels - 1),
                None => TreeLicenses::default(),
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

/// `directory/debian/copyright`, when it is a file in the machine-readable format.
fn read_dep5(directory: &Path) -> Option<debian::Dep5> {
    let path = directory.join("debian").join("copyright");
    let small = std::fs::metadata(&path)
        .is_ok_and(|m| m.is_file() && m.len() <= debian::MAX_COPYRIGHT_BYTES);
    if !small {
        return None;
    }
    debian::Dep5::parse(&std::fs::read_to_string(&path).ok()?)
}

/// The licence the first manifest in `directory` that declares one declares, in the order of
/// [`manifests::MANIFEST_NAMES`].
fn declared_in(directory: &Path) -> Option<DeclaredLicense> {
    manifests::MANIFEST_NAMES.iter().find_map(|name| {
        let path = directory.join(name);
        let small = std::fs::metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() <= manifests::MAX_MANIFEST_BYTES);
        if !small {
            return None;
        }
        // A manifest that is not UTF-8 (or cannot be read) declares nothing readable.
        let text = std::fs::read_to_string(&path).ok()?;
        let declared = manifests::declared_in(name, &text)?;
        Some(DeclaredLicense {
            manifest: shown_path(&path),
            written: declared.written,
            expression: declared.expression,
            files: None,
        })
    })
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

    fn licences(found: &TreeLicenses) -> Vec<(String, Option<&str>)> {
        found
            .files
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
        let none = TreeLicenses::default();
        assert_eq!(files.of(&outer.path().join("bare/src/a.c")), none);
        // Not a file on disk: nothing (standard input is `-`).
        assert_eq!(files.of(Path::new("-")), none);
        assert_eq!(files.of(&repo.join("src/missing.c")), none);
        // A licence file is found the same way from a fresh lookup.
        assert_eq!(
            license_files_of(&repo.join("src/deep/er/main.c")),
            files.of(&repo.join("src/deep/er/main.c"))
        );
    }

    #[test]
    fn the_manifest_beside_the_licence_files_or_nearer_declares_the_licence() {
        let outer = tempfile::tempdir().unwrap();
        let repo = outer.path().join("crate");
        let write = |path: &str, text: &str| {
            let path = repo.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        fs::create_dir_all(repo.join(".git")).unwrap();
        // A crate as crates.io ships libz-sys: both licence texts and the choice in Cargo.toml.
        write("LICENSE-MIT", MIT);
        write("LICENSE-APACHE", APACHE);
        write(
            "Cargo.toml",
            "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n",
        );
        write("src/lib.rs", "pub fn f() {}\n");
        // Vendored C code with its own licence file: the crate's manifest is not its licence.
        write("src/zlib/LICENSE", "SPDX-License-Identifier: Zlib\n");
        write("src/zlib/inflate.c", "int inflate(void);\n");
        // A vendored JavaScript package without a licence file: its package.json declares.
        write(
            "web/vendor/chart/package.json",
            r#"{"name": "chart", "license": "ISC"}"#,
        );
        write("web/vendor/chart/dist/chart.js", "export const x = 1;\n");
        // A member crate inheriting the licence declares nothing: the root's applies.
        write(
            "member/Cargo.toml",
            "[package]\nname = \"m\"\nlicense.workspace = true\n",
        );
        write("member/src/lib.rs", "pub fn g() {}\n");

        let mut files = LicenseFiles::default();
        let declared = |path: &str, files: &mut LicenseFiles| {
            let found = files.of(&repo.join(path));
            let d = found.declared.as_ref();
            (
                d.map(|d| {
                    Path::new(&d.manifest)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                }),
                d.and_then(|d| d.expression.clone()),
                found.files.len(),
            )
        };
        let root = (
            Some("Cargo.toml".to_string()),
            Some("MIT OR Apache-2.0".to_string()),
            2,
        );
        assert_eq!(declared("src/lib.rs", &mut files), root);
        assert_eq!(declared("member/src/lib.rs", &mut files), root);
        assert_eq!(declared("src/zlib/inflate.c", &mut files), (None, None, 1));
        assert_eq!(
            declared("web/vendor/chart/dist/chart.js", &mut files),
            (Some("package.json".to_string()), Some("ISC".to_string()), 0)
        );
    }

    #[test]
    fn a_debian_copyright_declares_per_file_over_the_manifest() {
        let outer = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = outer.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        let dep5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n\
                    Files: *\nCopyright: 2020 A\nLicense: Expat\n\n\
                    Files: src/zlib/*\nCopyright: 1995 B\nLicense: Zlib\n";
        write("pkg/debian/copyright", dep5);
        write("pkg/Cargo.toml", "[package]\nlicense = \"Apache-2.0\"\n");
        write("pkg/src/lib.rs", "pub fn f() {}\n");
        write("pkg/src/zlib/inflate.c", "int inflate(void);\n");
        // The old free-form copyright file is not read: the manifest declares.
        write(
            "old/debian/copyright",
            "This package was debianized by X.\nLicense: GPL\n",
        );
        write("old/Cargo.toml", "[package]\nlicense = \"Apache-2.0\"\n");
        write("old/src/lib.rs", "pub fn f() {}\n");
        let mut files = LicenseFiles::default();
        let declared = |path: &str, files: &mut LicenseFiles| {
            let d = files.of(&outer.path().join(path)).declared.unwrap();
            (d.expression.unwrap(), d.files)
        };
        assert_eq!(
            declared("pkg/src/lib.rs", &mut files),
            ("MIT".to_string(), Some("*".to_string()))
        );
        assert_eq!(
            declared("pkg/src/zlib/inflate.c", &mut files),
            ("Zlib".to_string(), Some("src/zlib/*".to_string()))
        );
        assert_eq!(
            declared("old/src/lib.rs", &mut files),
            ("Apache-2.0".to_string(), None)
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
        assert!(found.files.iter().all(|l| l.confidence == 0.0));
        assert_eq!(found.declared, None);
    }

    #[cfg(unix)]
    #[test]
    fn odd_manifests_declare_nothing_and_never_stop_the_search() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(
            root.join("Cargo.toml"),
            "[package]\nlicense = \"Apache-2.0\"\n",
        )
        .unwrap();
        let dir = root.join("sub");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("main.c"), "int main(void) { return 0; }\n").unwrap();
        // A manifest that loops, a FIFO, one that is not UTF-8, one too large to be a
        // manifest, a directory and invalid JSON: none declares, and none is fatal.
        std::os::unix::fs::symlink("Cargo.toml", dir.join("Cargo.toml")).unwrap();
        let fifo = std::ffi::CString::new(dir.join("pyproject.toml").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        fs::write(dir.join("PKG-INFO"), b"License: MIT\xff\n").unwrap();
        let huge = format!(
            "[metadata]\nlicense = MIT\n#{}\n",
            "x".repeat(manifests::MAX_MANIFEST_BYTES as usize)
        );
        fs::write(dir.join("setup.cfg"), huge).unwrap();
        fs::write(dir.join("package.json"), "{\"license\": ").unwrap();
        let found = license_files_of(&dir.join("main.c"));
        let declared = found.declared.expect("the root's manifest");
        assert!(declared.manifest.ends_with("Cargo.toml"), "{declared:?}");
        assert!(!declared.manifest.contains("sub"), "{declared:?}");
        assert_eq!(declared.expression.as_deref(), Some("Apache-2.0"));
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
