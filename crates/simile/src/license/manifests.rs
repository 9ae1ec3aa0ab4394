//! The licence a package declares in its manifest: `Cargo.toml`'s `license`,
//! `pyproject.toml`'s `project.license`, `setup.cfg`'s `metadata.license`, `PKG-INFO`'s
//! `License-Expression` or `License`, `package.json`'s `license`.
//!
//! A tree with several licence files leaves a file without a header open: Django ships
//! `LICENSE` (BSD-3-Clause) and `LICENSE.python` (the PSF licence of code taken from Python);
//! a Rust crate ships `LICENSE-MIT` and `LICENSE-APACHE`. Their manifests settle it:
//! `license = "BSD-3-Clause"`, `license = "MIT OR Apache-2.0"`. [`super::files`] reads the
//! manifest of the directory it takes the licence files from, and [`super::effective`] weighs
//! it against them.
//!
//! ```
//! use simile::license::manifests::declared_in;
//! let declared = declared_in("Cargo.toml", "[package]\nname = \"x\"\nlicense = \"MIT/Apache-2.0\"\n");
//! let declared = declared.unwrap();
//! assert_eq!(declared.written, "MIT/Apache-2.0");
//! assert_eq!(declared.expression.as_deref(), Some("MIT OR Apache-2.0"));
//! ```

use super::header::CommentText;

/// Manifest file names, in the order they are trusted when one directory holds several: a
/// Python or Rust package's own manifest before `package.json`, which a Python project often
/// holds only for its JavaScript tooling (Django's has no licence; another's could name the
/// tooling's).
pub const MANIFEST_NAMES: [&str; 5] = [
    "Cargo.toml",
    "pyproject.toml",
    "setup.cfg",
    "PKG-INFO",
    "package.json",
];

/// A manifest larger than this is not read (Cargo.toml, pyproject.toml and package.json are a
/// few kilobytes; PKG-INFO holds the README, rarely over 100 KB).
pub const MAX_MANIFEST_BYTES: u64 = 512 * 1024;

/// A declaration longer than this is a licence text, not a name or an expression (the longest
/// SPDX expressions crates declare are under 100 characters).
const MAX_DECLARATION: usize = 160;

/// The licence a manifest declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The value as the manifest writes it (`MIT/Apache-2.0`, `BSD-3-Clause`, `BSD License`).
    pub written: String,
    /// The value as a canonical SPDX expression (`MIT OR Apache-2.0`), when it is one or names
    /// exactly one licence (`MIT License`); absent for a vague name (`BSD`).
    pub expression: Option<String>,
}

/// The licence the manifest called `name` (one of [`MANIFEST_NAMES`]) declares in `text`; none
/// when it declares none, or cannot be read (invalid TOML or JSON).
pub fn declared_in(name: &str, text: &str) -> Option<Declared> {
    let written = match name {
        "Cargo.toml" => cargo_toml(text),
        "pyproject.toml" => pyproject_toml(text),
        "setup.cfg" => setup_cfg(text),
        "PKG-INFO" => pkg_info(text),
        "package.json" => package_json(text),
        _ => None,
    }?;
    let written = written.trim().to_owned();
    // A whole licence text pasted in (`license = {text = "Copyright ... Permission is
    // hereby granted ..."}`, or its first line in PKG-INFO) is not a declaration this reads.
    if written.is_empty() || written.lines().count() > 1 || written.len() > MAX_DECLARATION {
        return None;
    }
    let expression = canonical(&written);
    Some(Declared {
        written,
        expression,
    })
}

/// `[package] license`, or a workspace root's `[workspace.package] license` (a member that
/// inherits it, `license.workspace = true`, declares nothing itself: the search goes on up to
/// the root).
fn cargo_toml(text: &str) -> Option<String> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let string = |item: Option<&toml_edit::Item>| item?.as_str().map(str::to_owned);
    string(doc.get("package").and_then(|p| p.get("license"))).or_else(|| {
        string(
            doc.get("workspace")
                .and_then(|w| w.get("package"))
                .and_then(|p| p.get("license")),
        )
    })
}

/// `[project] license`: an SPDX expression (PEP 639) or `{text = "..."}` (PEP 621; `{file =
/// "LICENSE"}` points at a licence file, read as such); else Poetry's `[tool.poetry] license`.
fn pyproject_toml(text: &str) -> Option<String> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let project = doc.get("project").and_then(|p| p.get("license"));
    let from_project = project.and_then(|l| {
        l.as_str()
            .or_else(|| l.get("text").and_then(toml_edit::Item::as_str))
            .map(str::to_owned)
    });
    from_project.or_else(|| {
        doc.get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|p| p.get("license"))
            .and_then(toml_edit::Item::as_str)
            .map(str::to_owned)
    })
}

/// `license = ...` in the `[metadata]` section (setuptools' declarative configuration).
fn setup_cfg(text: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_metadata = line == "[metadata]";
            continue;
        }
        if !in_metadata {
            continue;
        }
        if let Some((key, value)) = line.split_once(['=', ':'])
            && key.trim() == "license"
        {
            return Some(value.trim().to_owned());
        }
    }
    None
}

/// `License-Expression:` (core metadata 2.4), else `License:`, in the headers before the first
/// empty line (the description follows it).
fn pkg_info(text: &str) -> Option<String> {
    let headers: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).collect();
    let field = |name: &str| {
        let at = headers.iter().position(|l| {
            l.split_once(':')
                .is_some_and(|(key, _)| key.trim().eq_ignore_ascii_case(name))
        })?;
        // A field continued on the next lines is a licence text (old metadata pasted whole
        // licences there), not a name.
        if headers
            .get(at + 1)
            .is_some_and(|next| next.starts_with([' ', '\t']))
        {
            return None;
        }
        headers[at]
            .split_once(':')
            .map(|(_, v)| v.trim().to_owned())
    };
    field("License-Expression")
        .or_else(|| field("License"))
        .filter(|v| !v.eq_ignore_ascii_case("UNKNOWN"))
}

/// `"license": "MIT"`, the older `"license": {"type": "MIT"}`, or `"licenses": [{"type":
/// ...}, ...]` (several, the user's choice: joined with `OR`, as npm reads them).
fn package_json(text: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let name = |v: &serde_json::Value| {
        v.as_str()
            .or_else(|| v.get("type").and_then(serde_json::Value::as_str))
            .map(str::to_owned)
    };
    if let Some(license) = json.get("license").and_then(name) {
        return Some(license);
    }
    let several: Vec<String> = json
        .get("licenses")?
        .as_array()?
        .iter()
        .filter_map(name)
        .collect();
    (!several.is_empty()).then(|| several.join(" OR "))
}

/// `written` as a canonical SPDX expression: as it parses (`MIT/Apache-2.0` and `GPL-2.0+`
/// fixed by the `spdx` crate), else the one licence it names (`MIT License`, `Apache License
/// 2.0`), as a header's name would be read. The `spdx` crate's guesses for imprecise names are
/// not taken: it reads a bare `BSD` as BSD-2-Clause, which is one of several licences a
/// package saying `BSD` can mean.
fn canonical(written: &str) -> Option<String> {
    let precise = spdx::ParseMode {
        allow_slash_as_or_operator: true,
        allow_imprecise_license_names: false,
        allow_postfix_plus_on_gpl: true,
        allow_deprecated: true,
        allow_unknown: false,
    };
    if spdx::Expression::parse_mode(written, precise).is_ok() {
        return super::tags::canonical_expression(written);
    }
    let text = CommentText {
        lines: vec![(1, written.to_owned())],
    };
    let named = super::names::detect(&text);
    match named.as_slice() {
        [one] => one.license.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expression(name: &str, text: &str) -> Option<String> {
        declared_in(name, text).and_then(|d| d.expression)
    }

    #[test]
    fn cargo_manifests_as_crates_io_publishes_them() {
        // libz-sys 1.1.31 and openssl-src 300.6.1 (the older slash form).
        assert_eq!(
            expression(
                "Cargo.toml",
                "[package]\nname = \"libz-sys\"\nlicense = \"MIT OR Apache-2.0\"\n"
            )
            .as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            expression("Cargo.toml", "[package]\nlicense = \"MIT/Apache-2.0\"\n").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        // A workspace root declares for its members.
        assert_eq!(
            expression(
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nlicense = \"Apache-2.0\"\n"
            )
            .as_deref(),
            Some("Apache-2.0")
        );
        // A member that inherits it, or a manifest with only a licence file, declares nothing.
        for text in [
            "[package]\nname = \"a\"\nlicense.workspace = true\n",
            "[package]\nname = \"a\"\nlicense-file = \"COPYRIGHT\"\n",
            "[package\nlicense = \"MIT\"\n",
        ] {
            assert_eq!(declared_in("Cargo.toml", text), None, "{text}");
        }
    }

    #[test]
    fn python_manifests_old_and_new() {
        // Django 4.2 (PEP 621 table) and 5.1 (PEP 639 string).
        let django_42 = "[project]\nname = \"Django\"\nlicense = {text = \"BSD-3-Clause\"}\n";
        let django_51 = "[project]\nname = \"Django\"\nlicense = \"BSD-3-Clause\"\nlicense-files = [\"LICENSE\", \"LICENSE.python\"]\n";
        for text in [django_42, django_51] {
            assert_eq!(
                expression("pyproject.toml", text).as_deref(),
                Some("BSD-3-Clause")
            );
        }
        assert_eq!(
            declared_in(
                "pyproject.toml",
                "[project]\nlicense = {file = \"LICENSE\"}\n"
            ),
            None
        );
        assert_eq!(
            expression("pyproject.toml", "[tool.poetry]\nlicense = \"MIT\"\n").as_deref(),
            Some("MIT")
        );
        assert_eq!(
            expression(
                "setup.cfg",
                "[options]\nlicense = GPL\n[metadata]\nname = x\nlicense = Apache License 2.0\n"
            )
            .as_deref(),
            Some("Apache-2.0")
        );
        // PKG-INFO: the expression field first; the description after the headers never counts.
        let pkg = "Metadata-Version: 2.4\nName: x\nLicense: MIT License\nLicense-Expression: Apache-2.0\n\nLicense: GPL-3.0\n";
        assert_eq!(expression("PKG-INFO", pkg).as_deref(), Some("Apache-2.0"));
        assert_eq!(declared_in("PKG-INFO", "Name: x\nLicense: UNKNOWN\n"), None);
        let pasted =
            "Name: x\nLicense: Copyright (c) 2010 X\n        All rights reserved.\nVersion: 1\n";
        assert_eq!(declared_in("PKG-INFO", pasted), None);
    }

    #[test]
    fn package_json_forms() {
        assert_eq!(
            expression("package.json", r#"{"name": "x", "license": "ISC"}"#).as_deref(),
            Some("ISC")
        );
        assert_eq!(
            expression(
                "package.json",
                r#"{"license": {"type": "MIT", "url": "x"}}"#
            )
            .as_deref(),
            Some("MIT")
        );
        assert_eq!(
            expression(
                "package.json",
                r#"{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}"#
            )
            .as_deref(),
            Some("MIT OR Apache-2.0")
        );
        // Django's package.json (for its JavaScript tests) declares nothing.
        assert_eq!(
            declared_in("package.json", r#"{"name": "Django", "private": true}"#),
            None
        );
        assert_eq!(declared_in("package.json", "{not json"), None);
    }

    #[test]
    fn vague_or_pasted_values_are_kept_as_written_without_an_expression() {
        let vague = declared_in("setup.cfg", "[metadata]\nlicense = BSD\n").unwrap();
        assert_eq!((vague.written.as_str(), vague.expression), ("BSD", None));
        let pasted = "[project]\nlicense = {text = \"\"\"Copyright (c) 2020 X\n\nPermission is hereby granted...\"\"\"}\n";
        assert_eq!(declared_in("pyproject.toml", pasted), None);
    }
}
