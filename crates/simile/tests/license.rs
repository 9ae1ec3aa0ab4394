//! Licence and copyright detection on real headers (zstd, SQLite, OpenSSL, zlib, Django,
//! libsqlite3-sys) and on the standard notices of MIT, Apache-2.0, BSD-3-Clause, GPL-2.0,
//! CDDL-1.0 and MPL-2.0.

use simile::lex::tokenize;
use simile::license::file_license;
use simile::report::{DetectionMethod, FileLicense, LicenseChange};
use simile::source::{ReadOptions, SourceFile, read_source};
use simile::{AlignConfig, CompareOptions, compare_with};
use std::path::Path;

fn data(path: &str) -> SourceFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    read_source(&p, &ReadOptions::default()).expect("test data")
}

fn detect(file: &SourceFile) -> FileLicense {
    let t = tokenize(file);
    file_license(file, &t.tokens, &t.comments)
}

fn ids(f: &FileLicense) -> Vec<(Option<String>, DetectionMethod)> {
    f.detections
        .iter()
        .map(|d| (d.license.clone(), d.method))
        .collect()
}

fn holders(f: &FileLicense) -> Vec<String> {
    f.copyrights
        .iter()
        .map(|c| c.holder.clone().unwrap_or_default())
        .collect()
}

// ----- real headers -----------------------------------------------------------------------------

#[test]
fn zstd_dual_licence_is_named_but_not_combined() {
    let f = detect(&data("pairs/zstd_fast/1.4.9.c"));
    // "licensed under both the BSD-style license (...) and the GPLv2": the header names the
    // licences without their texts; BSD-style says no clause count, so it stays unresolved,
    // and with two licences named the file's expression is not guessed.
    assert_eq!(
        ids(&f),
        [
            (None, DetectionMethod::Name),
            (Some("GPL-2.0-only".into()), DetectionMethod::Name)
        ]
    );
    assert_eq!(f.detections[0].evidence, "BSD-style license");
    assert!(f.detections.iter().all(|d| d.confidence == 0.5));
    assert_eq!(f.license, None);
    assert_eq!(holders(&f), ["Yann Collet, Facebook, Inc"]);
    assert_eq!(f.copyrights[0].years[0].start, 2016);
    assert_eq!(f.copyrights[0].years[0].end, 2021);
    // 1.5.7 changed the holder: Meta, no year.
    let g = detect(&data("pairs/zstd_fast/1.5.7.c"));
    assert_eq!(holders(&g), ["Meta Platforms, Inc. and affiliates"]);
    assert!(g.copyrights[0].years.is_empty());
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn sqlite_blessing_is_the_blessing_licence() {
    let f = detect(&data("c/sqlite-wasm32-wasi-vfs-head.c"));
    assert_eq!(f.license.as_deref(), Some("blessing"), "{f:?}");
    let d = &f.detections[0];
    assert_eq!(d.method, DetectionMethod::LicenseText);
    assert!(d.confidence >= 0.9, "{d:?}");
    // "The author disclaims copyright": no copyright statement.
    assert!(f.copyrights.is_empty(), "{:?}", f.copyrights);
}

#[test]
fn openssl_licence_change_from_openssl_to_apache() {
    let old = detect(&data("pairs/openssl_nseq/1.1.1w.c"));
    let new = detect(&data("pairs/openssl_nseq/3.6.c"));
    assert_eq!(old.license.as_deref(), Some("OpenSSL"));
    assert_eq!(new.license.as_deref(), Some("Apache-2.0"));
    assert_eq!(holders(&old), ["The OpenSSL Project Authors"]);
    assert_eq!(new.copyrights[0].years[0].end, 2021);

    let c = compare_with(
        &data("pairs/openssl_nseq/1.1.1w.c"),
        &data("pairs/openssl_nseq/3.6.c"),
        &CompareOptions::full(AlignConfig::default()),
    );
    let l = c.licenses.expect("licences computed");
    assert_eq!(l.change, LicenseChange::Changed);
    assert!(l.copyright_changed, "1999-2018 -> 1999-2021");
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn zlib_licence_text() {
    let f = detect(&data("c/zlib-head.h"));
    assert_eq!(f.license.as_deref(), Some("Zlib"));
    assert!(f.detections[0].confidence >= 0.95);
    assert_eq!(holders(&f), ["Jean-loup Gailly and Mark Adler"]);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn django_and_rusqlite_licence_files() {
    let django = detect(&data("licenses/django-LICENSE"));
    assert_eq!(
        django.license.as_deref(),
        Some("BSD-3-Clause"),
        "{django:?}"
    );
    assert_eq!(
        holders(&django),
        ["Django Software Foundation and individual contributors"]
    );
    let mit = detect(&data("licenses/libsqlite3-sys-LICENSE"));
    assert_eq!(mit.license.as_deref(), Some("MIT"), "{mit:?}");
    assert_eq!(holders(&mit), ["The rusqlite developers"]);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn zstd_licence_file() {
    let f = detect(&data("licenses/zstd-LICENSE"));
    assert_eq!(f.license.as_deref(), Some("BSD-3-Clause"), "{f:?}");
    assert_eq!(holders(&f), ["Meta Platforms, Inc. and affiliates"]);
    // zstd's COPYING is the GPL v2 text: the text grants version 2, not "any later version"
    // (only a notice does), whatever alias the licence list files the text under.
    let gpl = detect(&data("licenses/zstd-COPYING"));
    assert_eq!(gpl.license.as_deref(), Some("GPL-2.0-only"), "{gpl:?}");
    assert_eq!(gpl.detections[0].method, DetectionMethod::LicenseText);
    assert!(gpl.detections[0].confidence > 0.95);
}

#[test]
fn python_files_without_header_state_nothing() {
    let f = detect(&data("pairs/django_sessions_db/5.1.py"));
    assert_eq!(f.license, None);
    assert!(f.detections.is_empty());
    assert!(f.copyrights.is_empty());
}

// ----- standard notices ---------------------------------------------------------------------------

fn c_with_header(header: &str) -> SourceFile {
    let text =
        format!("/*\n{header}\n */\n\n#include <stdio.h>\n\nint main(void)\n{{\n\treturn 0;\n}}\n");
    SourceFile::from_text("notice.c", &text, None)
}

fn starred(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                " *".to_owned()
            } else {
                format!(" * {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const MIT: &str = r#"Copyright (c) 2024 Example Corp.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."#;

const APACHE: &str = r#"Copyright 2024 Example Corp.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License."#;

const BSD3: &str = r#"Copyright (c) 2019-2024, Example Project Authors
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."#;

const GPL2_OR_LATER: &str = r#"Copyright (C) 2024 Example Author <author@example.org>

This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation; either version 2 of the License, or
(at your option) any later version.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
GNU General Public License for more details.

You should have received a copy of the GNU General Public License along
with this program; if not, write to the Free Software Foundation, Inc.,
51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA."#;

const GPL2_ONLY: &str = r#"Copyright (C) 2024 Example Author

This program is free software; you can redistribute it and/or modify
it under the terms of the GNU General Public License version 2 as
published by the Free Software Foundation.

This program is distributed in the hope that it will be useful,
but WITHOUT ANY WARRANTY; without even the implied warranty of
MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
GNU General Public License for more details."#;

const CDDL: &str = r#"CDDL HEADER START

The contents of this file are subject to the terms of the
Common Development and Distribution License (the "License").
You may not use this file except in compliance with the License.

You can obtain a copy of the license at usr/src/OPENSOLARIS.LICENSE
or http://www.opensolaris.org/os/licensing.
See the License for the specific language governing permissions
and limitations under the License.

When distributing Covered Code, include this CDDL HEADER in each
file and include the License file at usr/src/OPENSOLARIS.LICENSE.
If applicable, add the following below this CDDL HEADER, with the
fields enclosed by brackets "[]" replaced with your own identifying
information: Portions Copyright [yyyy] [name of copyright owner]

CDDL HEADER END

Copyright 2008 Sun Microsystems, Inc.  All rights reserved.
Use is subject to license terms."#;

const MPL: &str = r#"This Source Code Form is subject to the terms of the Mozilla Public
License, v. 2.0. If a copy of the MPL was not distributed with this
file, You can obtain one at http://mozilla.org/MPL/2.0/."#;

fn notice(header: &str) -> FileLicense {
    detect(&c_with_header(&starred(header)))
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn mit_notice() {
    let f = notice(MIT);
    assert_eq!(f.license.as_deref(), Some("MIT"), "{f:?}");
    assert_eq!(f.detections[0].method, DetectionMethod::LicenseText);
    assert!(f.detections[0].confidence >= 0.95);
    assert_eq!(holders(&f), ["Example Corp"]);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn apache_notice() {
    let f = notice(APACHE);
    assert_eq!(f.license.as_deref(), Some("Apache-2.0"), "{f:?}");
    assert_eq!(f.detections[0].method, DetectionMethod::LicenseHeader);
    assert_eq!(holders(&f), ["Example Corp"]);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn bsd3_notice() {
    let f = notice(BSD3);
    assert_eq!(f.license.as_deref(), Some("BSD-3-Clause"), "{f:?}");
    assert_eq!(holders(&f), ["Example Project Authors"]);
    assert_eq!(f.copyrights[0].years[0].start, 2019);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn gpl2_notices() {
    let later = notice(GPL2_OR_LATER);
    assert_eq!(
        later.license.as_deref(),
        Some("GPL-2.0-or-later"),
        "{later:?}"
    );
    assert_eq!(holders(&later), ["Example Author <author@example.org>"]);
    let only = notice(GPL2_ONLY);
    assert!(
        only.license
            .as_deref()
            .is_some_and(|l| l.starts_with("GPL-2.0")),
        "{only:?}"
    );
}

#[test]
fn cddl_notice() {
    let f = notice(CDDL);
    assert_eq!(f.license.as_deref(), Some("CDDL-1.0"), "{f:?}");
    assert_eq!(holders(&f), ["Sun Microsystems, Inc"]);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn mpl_notice() {
    let f = notice(MPL);
    assert_eq!(f.license.as_deref(), Some("MPL-2.0"), "{f:?}");
}

#[test]
fn tags_win_over_texts() {
    let header = format!("SPDX-License-Identifier: Apache-2.0 OR MIT\n\n{MIT}");
    let f = notice(&header);
    assert_eq!(f.license.as_deref(), Some("Apache-2.0 OR MIT"));
    assert_eq!(f.detections[0].method, DetectionMethod::SpdxTag);
    assert_eq!(f.detections[0].confidence, 1.0);
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn licence_removed_and_added() {
    let with = c_with_header(&starred(MIT));
    let without = SourceFile::from_text("bare.c", "int main(void)\n{\n\treturn 0;\n}\n", None);
    let options = CompareOptions::full(AlignConfig::default());
    let removed = compare_with(&with, &without, &options).licenses.unwrap();
    assert_eq!(removed.change, LicenseChange::Removed);
    let added = compare_with(&without, &with, &options).licenses.unwrap();
    assert_eq!(added.change, LicenseChange::Added);
    let same = compare_with(&with, &with, &options).licenses.unwrap();
    assert_eq!(same.change, LicenseChange::Same);
    assert!(!same.copyright_changed);
    let none = compare_with(&without, &without, &options).licenses.unwrap();
    assert_eq!(none.change, LicenseChange::NoneFound);
}

/// Two trees, each with a `LICENSE` of the given text and a `src/lib.c` of the given source.
fn tree_pair(
    licenses: (&str, &str),
    sources: (&str, &str),
) -> (tempfile::TempDir, [std::path::PathBuf; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, license, source) in [
        ("old", licenses.0, sources.0),
        ("new", licenses.1, sources.1),
    ] {
        let root = dir.path().join(name);
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join("LICENSE"), license).unwrap();
        std::fs::write(root.join("src/lib.c"), source).unwrap();
        paths.push(root.join("src/lib.c"));
    }
    (dir, [paths[0].clone(), paths[1].clone()])
}

/// Compare two files on disk as `simile compare` does: licence files included.
fn compare_on_disk(a: &Path, b: &Path) -> simile::report::LicenseComparison {
    use simile::license::effective::attach_license_files;
    use simile::license::files::license_files_of;
    let read = |p: &Path| read_source(p, &ReadOptions::default()).unwrap();
    let options = CompareOptions::full(AlignConfig::default());
    let mut l = compare_with(&read(a), &read(b), &options).licenses.unwrap();
    attach_license_files(&mut l, license_files_of(a), license_files_of(b));
    l
}

#[test]
#[cfg_attr(
    not(feature = "license-detection"),
    ignore = "licence texts need the license-detection feature"
)]
fn files_without_a_licence_of_their_own_take_their_trees() {
    use simile::report::EffectiveBasis;
    const CODE: &str = "int area(int w, int h)\n{\n\treturn w * h;\n}\n";
    let pointing = format!("/* This file is licensed as described in the LICENSE file. */\n{CODE}");
    let (_dir, [a, b]) = tree_pair((MIT, MIT), (CODE, &pointing));
    let l = compare_on_disk(&a, &b);
    for side in [&l.a, &l.b] {
        let e = side.effective.as_ref().expect("effective licence");
        assert_eq!(e.expression, "MIT");
        assert_eq!(e.basis, EffectiveBasis::LicenseFiles);
    }
    assert_eq!(l.change, LicenseChange::Same);
    // The same code relicensed by its tree.
    let (_dir, [a, b]) = tree_pair((MIT, BSD3), (CODE, CODE));
    let l = compare_on_disk(&a, &b);
    assert_eq!(l.change, LicenseChange::Changed);
    assert_eq!(
        l.b.effective.as_ref().map(|e| e.expression.as_str()),
        Some("BSD-3-Clause")
    );
    // A licence of its own wins over the tree's.
    let own = c_with_header(&starred(APACHE)).text.to_string();
    let (_dir, [a, b]) = tree_pair((MIT, MIT), (&own, CODE));
    let l = compare_on_disk(&a, &b);
    let e = l.a.effective.as_ref().unwrap();
    assert_eq!(
        (e.expression.as_str(), e.basis),
        ("Apache-2.0", EffectiveBasis::Stated)
    );
    assert_eq!(l.change, LicenseChange::Changed);
}

#[test]
fn tags_in_plain_text_are_read_from_its_text() {
    // Plain text has no comments; a README or a notice states its licence in its text.
    let readme = SourceFile::from_text(
        "README.md",
        "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n# Title\n\nSome words.\n",
        None,
    );
    let notice = SourceFile::from_text(
        "NOTICE.txt",
        "SPDX-License-Identifier: MIT\nCopyright (c) 2024 Example Corp.\n",
        None,
    );
    for (file, id) in [(&readme, "CC-BY-4.0"), (&notice, "MIT")] {
        let f = detect(file);
        assert_eq!(f.license.as_deref(), Some(id), "{}", file.name);
        assert_eq!(f.detections[0].method, DetectionMethod::SpdxTag);
        assert_eq!(f.detections[0].lines.start, 1);
    }
    // Only the text read as its statement counts: a tag past its first 600 lines does not.
    let long = format!("{}SPDX-License-Identifier: MIT\n", "word\n".repeat(700));
    let f = detect(&SourceFile::from_text("long.txt", &long, None));
    assert!(f.detections.is_empty(), "{:?}", f.detections);
}
