//! `debian/copyright` in Debian's machine-readable format (DEP-5): the licence of each file of
//! a Debian source tree, as its packager recorded it.
//!
//! A source package unpacked with `apt-get source` holds the upstream tree and `debian/`; its
//! `debian/copyright` maps file patterns to licences (`Files: src/zlib/*` / `License: Zlib`),
//! the last paragraph whose patterns match a file giving its licence. That is per file, where
//! licence files and manifests speak for whole directories, so [`super::files`] prefers it as
//! the declared licence. Licences are written as DEP-5 short names (`GPL-2+`, `Expat`,
//! `BSD-3-clause`, `LGPL-3+ or GPL-2+`); [`spdx_of`] translates them.
//!
//! ```
//! use simile::license::debian::{Dep5, spdx_of};
//! let text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
//!             \n\
//!             Files: *\nCopyright: 1995 Jean-loup Gailly\nLicense: Zlib\n\
//!             \n\
//!             Files: contrib/minizip/*\nCopyright: 1998 Gilles Vollant\nLicense: GPL-2+\n";
//! let dep5 = Dep5::parse(text).unwrap();
//! assert_eq!(dep5.license_of("deflate.c"), Some(("*", "Zlib")));
//! assert_eq!(dep5.license_of("contrib/minizip/zip.c").unwrap().1, "GPL-2+");
//! assert_eq!(spdx_of("GPL-2+").as_deref(), Some("GPL-2.0-or-later"));
//! ```

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A `debian/copyright` larger than this is not read (Boost's, with 1,541 paragraphs, is 450
/// KB; Chromium's 400 KB).
pub const MAX_COPYRIGHT_BYTES: u64 = 4 * 1024 * 1024;

/// The `Files` paragraphs of a machine-readable `debian/copyright`.
#[derive(Debug, Clone)]
pub struct Dep5 {
    /// Every pattern of every paragraph, one glob each.
    globs: GlobSet,
    /// Per glob of `globs`: its paragraph (an index into `paragraphs`) and the pattern.
    patterns: Vec<(usize, String)>,
    /// Per `Files` paragraph, in order: the first line of its `License` field.
    paragraphs: Vec<String>,
}

impl Dep5 {
    /// Parse `text`; `None` when it is not in the machine-readable format (no `Format:` field
    /// naming it in the first paragraph) or names no file's licence.
    pub fn parse(text: &str) -> Option<Dep5> {
        let mut paragraphs = paragraphs(text);
        let header = paragraphs.next()?;
        let format = field(&header, "Format")?;
        if !(format.contains("copyright-format") || format.contains("dep5")) {
            return None;
        }
        let mut builder = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        let mut licences = Vec::new();
        for paragraph in paragraphs {
            let (Some(files), Some(license)) =
                (field(&paragraph, "Files"), field(&paragraph, "License"))
            else {
                // A stand-alone `License` paragraph holds a licence's text, not a file's.
                continue;
            };
            let short = license.lines().next().unwrap_or("").trim().to_owned();
            let index = licences.len();
            licences.push(short);
            for pattern in files.split_whitespace() {
                let relative = pattern.strip_prefix("./").unwrap_or(pattern);
                // `*` matches `/` too, as DEP-5 says. DEP-5 defines no `[...]` classes, but
                // packagers write them (coreutils' `lib/rand-isaac.[ch]`) and mean them; a
                // pattern whose brackets make no class is taken with literal brackets.
                let glob = |pattern: &str| {
                    GlobBuilder::new(pattern)
                        .literal_separator(false)
                        .backslash_escape(true)
                        .build()
                };
                if let Ok(glob) = glob(relative).or_else(|_| glob(&escape_brackets(relative))) {
                    builder.add(glob);
                    patterns.push((index, pattern.to_owned()));
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        Some(Dep5 {
            globs: builder.build().ok()?,
            patterns,
            paragraphs: licences,
        })
    }

    /// The pattern that gives the file at `relative` (to the source tree's root, `/`
    /// separated) its licence, and that licence's short name: the last paragraph matching
    /// wins, as DEP-5 says.
    pub fn license_of(&self, relative: &str) -> Option<(&str, &str)> {
        let best = self
            .globs
            .matches(relative)
            .into_iter()
            .max_by_key(|&g| (self.patterns[g].0, g))?;
        let (paragraph, pattern) = &self.patterns[best];
        Some((pattern.as_str(), self.paragraphs[*paragraph].as_str()))
    }
}

/// `pattern` with its brackets literal characters.
fn escape_brackets(pattern: &str) -> String {
    pattern.replace('[', "\\[").replace(']', "\\]")
}

/// The paragraphs of a control file: runs of lines between empty lines.
fn paragraphs(text: &str) -> impl Iterator<Item = Vec<&str>> {
    let mut lines = text.lines().peekable();
    std::iter::from_fn(move || {
        while lines.next_if(|l| l.trim().is_empty()).is_some() {}
        let paragraph: Vec<&str> =
            std::iter::from_fn(|| lines.next_if(|l| !l.trim().is_empty())).collect();
        (!paragraph.is_empty()).then_some(paragraph)
    })
}

/// Field `name` of a paragraph (case-insensitive), its continuation lines joined with
/// newlines.
fn field(paragraph: &[&str], name: &str) -> Option<String> {
    let start = paragraph.iter().position(|l| {
        l.split_once(':')
            .is_some_and(|(key, _)| !key.starts_with([' ', '\t']) && key.eq_ignore_ascii_case(name))
    })?;
    let (_, first) = paragraph[start].split_once(':')?;
    let mut value = first.trim().to_owned();
    for line in paragraph[start + 1..]
        .iter()
        .take_while(|l| l.starts_with([' ', '\t']))
    {
        value.push('\n');
        value.push_str(line.trim());
    }
    Some(value)
}

/// A DEP-5 licence short name (`GPL-2+`, `LGPL-3+ or GPL-2+`, `Expat`, `BSD-3-clause`,
/// `GPL-2+ with Autoconf exception`) as a canonical SPDX expression; `None` when a part of it
/// has no exact SPDX counterpart (`public-domain`, a bare `GPL`, `Artistic`, which DEP-5
/// leaves unversioned), or commas set its precedence (`A or B, and C`).
pub fn spdx_of(short: &str) -> Option<String> {
    if short.contains([',', '(', ')']) {
        return None;
    }
    let words: Vec<&str> = short.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut term: Vec<&str> = Vec::new();
    for word in words.iter().copied().chain(["or"]) {
        let operator = match word.to_ascii_lowercase().as_str() {
            "or" => "OR",
            "and" => "AND",
            _ => {
                term.push(word);
                continue;
            }
        };
        out.push(spdx_term(&term)?);
        out.push(operator.to_owned());
        term.clear();
    }
    out.pop();
    super::tags::canonical_expression(&out.join(" "))
}

/// One licence, possibly `with` an exception.
fn spdx_term(words: &[&str]) -> Option<String> {
    match words {
        [name] => spdx_license(name).map(|(id, _)| id),
        [name, with, exception @ ..] if with.eq_ignore_ascii_case("with") => {
            let (id, version) = spdx_license(name)?;
            let exception = spdx_exception(exception, version)?;
            Some(format!("{id} WITH {exception}"))
        }
        _ => None,
    }
}

/// The SPDX id of a DEP-5 short name, and its major version (for GNU licences' exceptions).
fn spdx_license(name: &str) -> Option<(String, Option<u32>)> {
    let (base, or_later) = match name.strip_suffix('+') {
        Some(base) => (base, true),
        None => (name, false),
    };
    let lower = base.to_ascii_lowercase();
    if lower == "expat" {
        return Some(("MIT".into(), None));
    }
    for family in ["AGPL", "LGPL", "GPL", "GFDL"] {
        let Some(version) = lower.strip_prefix(&family.to_ascii_lowercase()) else {
            continue;
        };
        // DEP-5's `GFDL-NIV-1.3`: no invariant sections, SPDX's `-no-invariants` variant.
        let (version, variant) = match version.strip_prefix("-niv") {
            Some(rest) if family == "GFDL" => (rest, "-no-invariants"),
            _ => (version, ""),
        };
        let version = version.trim_start_matches(['-', 'v']);
        if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
            // A bare `GPL` names no version: no SPDX id says that.
            return None;
        }
        let version = if version.contains('.') {
            version.to_owned()
        } else {
            format!("{version}.0")
        };
        let major = version.split('.').next()?.parse().ok();
        let id = spdx::gnu_license_id(&format!("{family}-{version}{variant}"), or_later)?;
        return Some((id.name.to_owned(), major));
    }
    // `BSD-3-clause`, `ZLIB`: the SPDX id in another case; `Apache-2`, `MPL-2`: without `.0`.
    let by_name = |candidate: &str| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(candidate))
            .map(|l| l.name.to_owned())
    };
    let id = by_name(base).or_else(|| {
        base.ends_with(|c: char| c.is_ascii_digit())
            .then(|| by_name(&format!("{base}.0")))
            .flatten()
    })?;
    Some((if or_later { format!("{id}+") } else { id }, None))
}

/// The SPDX exception `words` name (`Autoconf exception`, `OpenSSL exception`), for a licence
/// of major version `version`: the one exception of that name, or of that name and version.
fn spdx_exception(words: &[&str], version: Option<u32>) -> Option<String> {
    let name = words
        .iter()
        .copied()
        .filter(|w| !w.eq_ignore_ascii_case("exception"))
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        return None;
    }
    // `Autoconf exception` is `Autoconf-exception-2.0` or `-3.0`; `Linux-syscall-note
    // exception` is SPDX's `Linux-syscall-note`.
    let lower = name.to_ascii_lowercase();
    let prefix = format!("{lower}-exception");
    let named: Vec<&str> = spdx::identifiers::EXCEPTIONS
        .iter()
        .map(|e| e.name)
        .filter(|e| {
            let e = e.to_ascii_lowercase();
            e == lower || e.starts_with(&prefix)
        })
        .collect();
    match named.as_slice() {
        [one] => Some((*one).to_owned()),
        several => {
            let version = version?;
            let versioned: Vec<&&str> = several
                .iter()
                .filter(|e| e.ends_with(&format!("-{version}.0")))
                .collect();
            match versioned.as_slice() {
                [one] => Some((**one).to_owned()),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// zlib1g's `debian/copyright` (Debian 12): `Files-Excluded` in the header, one licence.
    const ZLIB: &str = include_str!("../../tests/data/debian/zlib1g.copyright");
    /// coreutils' (Debian 12): ten paragraphs, `and` expressions, stand-alone licence
    /// paragraphs, and a `[ch]` class where DEP-5 only defines `*` and `?`.
    const COREUTILS: &str = include_str!("../../tests/data/debian/coreutils.copyright");

    #[test]
    fn the_last_matching_paragraph_gives_the_licence() {
        let zlib = Dep5::parse(ZLIB).unwrap();
        assert_eq!(zlib.license_of("deflate.c"), Some(("*", "Zlib")));
        assert_eq!(
            zlib.license_of("contrib/minizip/unzip.c"),
            Some(("contrib/minizip/*", "Zlib"))
        );
        let coreutils = Dep5::parse(COREUTILS).unwrap();
        assert_eq!(coreutils.license_of("src/ls.c"), Some(("*", "GPL-3+")));
        assert_eq!(
            coreutils.license_of("lib/fts.c"),
            Some(("lib/fts.c", "GPL-3+ and BSD-4-clause-UC"))
        );
        assert_eq!(
            coreutils.license_of("lib/inet_ntop.c").map(|l| l.1),
            Some("GPL-3+ and ISC")
        );
        // `*` crosses directories; `[ch]` is the class packagers mean by it.
        assert_eq!(
            coreutils.license_of("doc/coreutils.texi").map(|l| l.1),
            Some("GFDL-NIV-1.3")
        );
        assert_eq!(
            coreutils.license_of("lib/rand-isaac.h").map(|l| l.0),
            Some("lib/rand-isaac.[ch]")
        );
        assert_eq!(
            spdx_of("GPL-3+ and BSD-4-clause-UC").as_deref(),
            Some("GPL-3.0-or-later AND BSD-4-Clause-UC")
        );
    }

    #[test]
    fn only_the_machine_readable_format_is_read() {
        assert!(Dep5::parse("This package was debianized by X.\n\nLicense: GPL\n").is_none());
        // The header alone names no file.
        assert!(
            Dep5::parse(
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            )
            .is_none()
        );
        // A bracket that opens no class is a literal character; an unknown paragraph order or
        // a pattern matching nothing is harmless.
        let odd = "Format: http://dep.debian.net/deps/dep5\n\nFiles: *\nLicense: MIT\n\nFiles: a[1.c\nLicense: ISC\n";
        let dep5 = Dep5::parse(odd).unwrap();
        assert_eq!(dep5.license_of("a[1.c").map(|l| l.1), Some("ISC"));
        assert_eq!(dep5.license_of("a1.c").map(|l| l.1), Some("MIT"));
    }

    #[test]
    fn short_names_become_spdx_expressions() {
        for (short, spdx) in [
            ("GPL-2+", Some("GPL-2.0-or-later")),
            ("GPL-2", Some("GPL-2.0-only")),
            ("GPLv3+", Some("GPL-3.0-or-later")),
            ("LGPL-2.1+", Some("LGPL-2.1-or-later")),
            (
                "LGPL-3+ or GPL-2+",
                Some("LGPL-3.0-or-later OR GPL-2.0-or-later"),
            ),
            ("Expat", Some("MIT")),
            ("BSD-3-clause", Some("BSD-3-Clause")),
            ("ZLIB", Some("Zlib")),
            ("BSL-1.0 and MIT", Some("BSL-1.0 AND MIT")),
            ("Apache-2", Some("Apache-2.0")),
            ("GFDL-NIV-1.3", Some("GFDL-1.3-no-invariants-only")),
            (
                "GPL-2+ with Autoconf exception",
                Some("GPL-2.0-or-later WITH Autoconf-exception-2.0"),
            ),
            (
                "GPL-2 with Linux-syscall-note exception",
                Some("GPL-2.0-only WITH Linux-syscall-note"),
            ),
            ("public-domain", None),
            ("GPL", None),
            ("permissive", None),
            ("GPL-1+ or Artistic", None),
            ("GPL-2+ or Artistic-2.0, and BSD-3-clause", None),
        ] {
            assert_eq!(spdx_of(short).as_deref(), spdx, "{short}");
        }
    }
}
