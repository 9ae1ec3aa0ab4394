//! The unified diff of A against B, in the form `git apply` and `patch` accept.
//!
//! ```text
//! --- a/old/src/x.c
//! +++ b/new/src/x.c
//! @@ -10,7 +10,8 @@
//!  context
//! -removed
//! +added
//! ```
//!
//! This is the one renderer that compares text itself, and it must: a patch has to reproduce B
//! byte for byte, while the report's regions deliberately ignore whitespace, comments and
//! formatting. So the file texts are diffed line by line (imara-diff's histogram algorithm,
//! with git's slider heuristics; Myers' algorithm for texts of more than
//! [`simile::align::linediff::LARGE_DIFF_ITEMS`] lines together, where the histogram diff can
//! take quadratic time), which says how the bytes differ, not how similar the code is.
//!
//! Rules that make the output apply:
//! - Lines end only at `\n` (as for git and patch); a `\r` before it stays part of the line, so
//!   CRLF files round-trip. A last line without `\n` is followed by `\ No newline at end of file`.
//! - Paths get the `a/` and `b/` prefixes (a leading `/` or `./` is dropped first) and are
//!   C-quoted as git does when they hold a quote, a backslash or a control character; a name
//!   with a space ends with a tab (as git writes it) so GNU patch reads the whole name.
//! - A and B usually live at different paths (`old/x.c`, `new/x.c`): git applies a patch to
//!   the `+++` name and GNU patch to an existing one, so to update a tree holding A's version,
//!   strip the differing leading directory: `git apply -p2` or `patch -p2` in that tree.
//! - Identical texts give an empty diff.
//! - For `find`, the diff of each query against its best match, query by query, which needs the
//!   comparisons `--compare` keeps ([`needs_compare`] says so for a report without them). A
//!   query without a match gets a `simile: ...` note line instead (ignored by git and patch,
//!   as text between file diffs is). Two queries with the same best match give two diffs that
//!   both update that file: apply them to separate trees.
//! - For `clones`, the diff of each listed pair (A against B), best pair first. A pair of
//!   byte-identical files gets a `simile: ...` note line instead of an empty diff. A file that
//!   is part of several pairs is updated by several diffs: apply each to a tree of its own (or
//!   pick the pairs you want with `--top` and `--min-similarity`).
//! - A file that was not valid UTF-8 (or was UTF-16) was decoded for comparison; the diff is of
//!   the decoded text, so a note before the first `---` line (ignored by git and patch) says it
//!   will not apply to the original bytes. A UTF-8 byte-order mark is restored.

use crate::{Document, RenderOptions, SourceSet};
use imara_diff::InternedInput;
use simile::SourceFile;
use simile::report::{Clones, Comparison, Find, ReportBody};
use simile::source::Encoding;
use std::borrow::Cow;
use std::io::{self, Write};

/// Write the unified diff.
pub fn render(doc: &Document<'_>, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            write_comparison(out, comparison, doc.sources, options.context)
        }
        ReportBody::Clones { clones } => write_clones(out, clones, doc.sources, options.context),
        ReportBody::Find { find } => write_find(out, find, doc.sources, options.context),
    }
}

/// Whether a search report lacks the comparisons its diff needs: some query has a match but
/// no comparison with it (the search ran without `--compare`).
pub fn needs_compare(find: &Find) -> bool {
    find.queries
        .iter()
        .any(|q| !q.matches.is_empty() && q.comparison.is_none())
}

/// Write the diff of each query against its best match.
pub fn write_find(
    out: &mut dyn Write,
    find: &Find,
    sources: &SourceSet,
    context: usize,
) -> io::Result<()> {
    if needs_compare(find) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the diff format shows each query against its best match, which needs the comparison: run `simile find` with --compare",
        ));
    }
    for q in &find.queries {
        match &q.comparison {
            Some(c) => write_comparison(out, c, sources, context)?,
            None => writeln!(
                out,
                "simile: {}: no similar file, nothing to diff",
                note_path(&q.query.path)
            )?,
        }
    }
    Ok(())
}

/// Write the diff of each listed pair of a clone search, best first.
pub fn write_clones(
    out: &mut dyn Write,
    clones: &Clones,
    sources: &SourceSet,
    context: usize,
) -> io::Result<()> {
    for pair in &clones.pairs {
        let c = &pair.comparison;
        if c.a.content_hash == c.b.content_hash && c.a.bytes == c.b.bytes {
            writeln!(
                out,
                "simile: pair {}: {} and {} are byte-identical, nothing to diff",
                pair.rank,
                note_path(&c.a.path),
                note_path(&c.b.path)
            )?;
            continue;
        }
        write_comparison(out, c, sources, context)?;
    }
    Ok(())
}

/// Write the diff of one compared pair with `context` lines around each change.
pub fn write_comparison(
    out: &mut dyn Write,
    c: &Comparison,
    sources: &SourceSet,
    context: usize,
) -> io::Result<()> {
    let missing = |path: &str| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("{path}: the file's text is not available, so no diff can be written"),
        )
    };
    let a = sources.get(&c.a.path).ok_or_else(|| missing(&c.a.path))?;
    let b = sources.get(&c.b.path).ok_or_else(|| missing(&c.b.path))?;
    let (text_a, text_b) = (original_text(a), original_text(b));
    if text_a == text_b {
        return Ok(());
    }
    for f in [a, b] {
        if !matches!(f.encoding, Encoding::Utf8) {
            writeln!(
                out,
                "simile: {} was read as {} and is diffed as UTF-8 text; this patch will not apply to its original bytes.",
                note_path(&f.name),
                crate::util::encoding_name(f.encoding)
            )?;
        }
    }
    writeln!(out, "--- {}", diff_path("a/", &c.a.path))?;
    writeln!(out, "+++ {}", diff_path("b/", &c.b.path))?;
    let lines_a = split_lines(&text_a);
    let lines_b = split_lines(&text_b);
    for hunk in hunks(&lines_a, &lines_b, context as u32) {
        hunk.write(out, &lines_a, &lines_b)?;
    }
    Ok(())
}

/// The text as it was in the file, as far as it can be told: a UTF-8 byte-order mark (dropped
/// when reading) is put back.
fn original_text(f: &SourceFile) -> Cow<'_, str> {
    if f.encoding == Encoding::Utf8 && f.size == f.text.len() as u64 + 3 {
        Cow::Owned(format!("\u{feff}{}", f.text))
    } else {
        Cow::Borrowed(&f.text)
    }
}

/// Lines with their `\n` (the last one may lack it).
fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A path in a note line: git-quoted when it holds a control character, so it stays on one line.
fn note_path(path: &str) -> String {
    diff_path("", path).trim_end_matches('\t').to_string()
}

/// `a/` + the path, git-quoted when needed.
fn diff_path(prefix: &str, path: &str) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./").or_else(|| p.strip_prefix('/')) {
        p = rest;
    }
    let full = format!("{prefix}{p}");
    if !full
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        // As git does: a tab ends a name with spaces, or GNU patch stops at the first space.
        return if full.contains(' ') {
            format!("{full}\t")
        } else {
            full
        };
    }
    let mut quoted = String::from("\"");
    for c in full.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    quoted.push_str(&format!("\\{b:03o}"));
                }
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// One `@@` hunk: 0-based line ranges of A and B it covers, context included, and the changes
/// inside (0-based ranges).
struct Hunk {
    a: std::ops::Range<u32>,
    b: std::ops::Range<u32>,
    changes: Vec<imara_diff::Hunk>,
}

/// Changes grouped into hunks: changes closer than `2 * context` lines share a hunk.
fn hunks(lines_a: &[&str], lines_b: &[&str], context: u32) -> Vec<Hunk> {
    let mut input = InternedInput::default();
    input.update_before(lines_a.iter().copied());
    input.update_after(lines_b.iter().copied());
    let diff =
        simile::align::linediff::diff_bounded(&input, |diff, input| diff.postprocess_lines(input));
    let (na, nb) = (lines_a.len() as u32, lines_b.len() as u32);
    let mut out: Vec<Hunk> = Vec::new();
    for change in diff.hunks() {
        let a_from = change.before.start.saturating_sub(context);
        let b_from = change.after.start.saturating_sub(context);
        let a_to = (change.before.end + context).min(na);
        let b_to = (change.after.end + context).min(nb);
        match out.last_mut() {
            Some(h) if a_from <= h.a.end => {
                h.a.end = a_to;
                h.b.end = b_to;
                h.changes.push(change);
            }
            _ => out.push(Hunk {
                a: a_from..a_to,
                b: b_from..b_to,
                changes: vec![change],
            }),
        }
    }
    out
}

impl Hunk {
    fn write(&self, out: &mut dyn Write, lines_a: &[&str], lines_b: &[&str]) -> io::Result<()> {
        writeln!(
            out,
            "@@ -{} +{} @@",
            header_range(&self.a),
            header_range(&self.b)
        )?;
        let mut a = self.a.start;
        for change in &self.changes {
            for line in &lines_a[a as usize..change.before.start as usize] {
                write_line(out, ' ', line)?;
            }
            for line in &lines_a[change.before.start as usize..change.before.end as usize] {
                write_line(out, '-', line)?;
            }
            for line in &lines_b[change.after.start as usize..change.after.end as usize] {
                write_line(out, '+', line)?;
            }
            a = change.before.end;
        }
        for line in &lines_a[a as usize..self.a.end as usize] {
            write_line(out, ' ', line)?;
        }
        Ok(())
    }
}

/// `start,count` of a hunk header: 1-based start, or the line before an empty range.
fn header_range(r: &std::ops::Range<u32>) -> String {
    let count = r.end - r.start;
    let start = if count == 0 { r.start } else { r.start + 1 };
    format!("{start},{count}")
}

fn write_line(out: &mut dyn Write, mark: char, line: &str) -> io::Result<()> {
    write!(out, "{mark}{line}")?;
    if !line.ends_with('\n') {
        out.write_all(b"\n\\ No newline at end of file\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff_of(a: &str, b: &str) -> String {
        let fa = SourceFile::from_text("old/x.c", a, None);
        let fb = SourceFile::from_text("new/x.c", b, None);
        let c = simile::compare(&fa, &fb, &simile::AlignConfig::default());
        let sources = SourceSet::from_files([fa, fb]);
        let mut out = Vec::new();
        write_comparison(&mut out, &c, &sources, 3).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_small_change() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
        assert_eq!(
            diff_of(a, b),
            "--- a/old/x.c\n+++ b/new/x.c\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let out = diff_of("x\ny", "x\nz");
        assert_eq!(
            out,
            "--- a/old/x.c\n+++ b/new/x.c\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn insertion_at_the_start_and_identical_files() {
        assert_eq!(
            diff_of("a\n", "new\na\n"),
            "--- a/old/x.c\n+++ b/new/x.c\n@@ -1,1 +1,2 @@\n+new\n a\n"
        );
        assert_eq!(diff_of("same\n", "same\n"), "");
    }

    #[test]
    fn a_latin1_file_gets_a_note_before_the_diff() {
        let fa = simile::source::source_from_bytes(
            std::path::Path::new("old/x.c"),
            b"int m\xfcller = 1;\n".to_vec(),
            &Default::default(),
        )
        .unwrap();
        let fb = SourceFile::from_text("new/x.c", "int mueller = 1;\n", None);
        let c = simile::compare(&fa, &fb, &simile::AlignConfig::default());
        let sources = SourceSet::from_files([fa, fb]);
        let mut out = Vec::new();
        write_comparison(&mut out, &c, &sources, 3).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with(
                "simile: old/x.c was read as utf8-with-latin1 and is diffed as UTF-8 text;"
            ),
            "{out}"
        );
        assert!(
            out.contains("\n--- a/old/x.c\n+++ b/new/x.c\n@@ -1,1 +1,1 @@\n-int müller = 1;\n"),
            "{out}"
        );
    }

    #[test]
    fn odd_paths_are_quoted() {
        assert_eq!(diff_path("a/", "./src/x.c"), "a/src/x.c");
        assert_eq!(diff_path("b/", "/abs/x.c"), "b/abs/x.c");
        assert_eq!(diff_path("a/", "we\"ird\\x"), "\"a/we\\\"ird\\\\x\"");
        assert_eq!(diff_path("a/", "tab\there"), "\"a/tab\\there\"");
        assert_eq!(diff_path("a/", "my lib.rs"), "a/my lib.rs\t");
    }
}
