//! `SPDX-License-Identifier:` tags, in any comment of the file.

use crate::lex::Comment;
use crate::source::SourceFile;

const TAG: &str = "SPDX-License-Identifier:";

/// A tag found in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Line of the tag.
    pub line: u32,
    /// The expression as written.
    pub written: String,
    /// The expression in canonical SPDX form (`GPL-2.0+` -> `GPL-2.0-or-later`), when it
    /// parses.
    pub canonical: Option<String>,
    /// The licence identifiers it names (canonical).
    pub ids: Vec<String>,
}

/// Every tag in the file's comments.
pub fn tags(file: &SourceFile, comments: &[Comment]) -> Vec<Tag> {
    let finder = memchr::memmem::Finder::new(TAG.as_bytes());
    let mut out = Vec::new();
    for c in comments {
        let text = c.text(&file.text);
        for pos in finder.find_iter(text.as_bytes()) {
            let rest = &text[pos + TAG.len()..];
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let written = rest[..line_end]
                .trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim()
                .to_owned();
            if written.is_empty() {
                continue;
            }
            let line = file.lines.line_of(c.start + pos as u32);
            out.push(parse_tag(line, written));
        }
    }
    out
}

fn parse_tag(line: u32, written: String) -> Tag {
    let (canonical, ids) = match canonical_with_ids(&written) {
        Some((canonical, ids)) => (Some(canonical), ids),
        None => (None, Vec::new()),
    };
    Tag {
        line,
        written,
        canonical,
        ids,
    }
}

/// `written` as a canonical SPDX expression (`GPL-2.0+` -> `GPL-2.0-or-later`,
/// `MIT/Apache-2.0` -> `MIT OR Apache-2.0`); `None` when it does not parse or names no licence.
pub(crate) fn canonical_expression(written: &str) -> Option<String> {
    canonical_with_ids(written).map(|(canonical, _)| canonical)
}

/// The licence identifiers an SPDX expression names (canonical); empty when it does not parse.
pub(crate) fn expression_ids(expression: &str) -> Vec<String> {
    canonical_with_ids(expression)
        .map(|(_, ids)| ids)
        .unwrap_or_default()
}

fn canonical_with_ids(written: &str) -> Option<(String, Vec<String>)> {
    let canonical = match spdx::Expression::canonicalize(written) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => written.to_owned(),
        Err(_) => return None,
    };
    let ids: Vec<String> = spdx::Expression::parse_mode(&canonical, spdx::ParseMode::LAX)
        .ok()?
        .requirements()
        .map(|r| r.req.license.to_string())
        .collect();
    (!ids.is_empty()).then_some((canonical, ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    #[test]
    fn tags_are_found_and_canonicalized() {
        let src = "// SPDX-License-Identifier: GPL-2.0+ OR BSD-3-Clause\nint x;\n/* SPDX-License-Identifier: MIT */\n# SPDX-License-Identifier: Not-A-Licence((\n";
        let f = SourceFile::from_text("a.c", src, None);
        let t = tokenize(&f);
        let tags = tags(&f, &t.comments);
        assert_eq!(tags.len(), 2, "{tags:?}");
        assert_eq!(tags[0].line, 1);
        assert_eq!(
            tags[0].canonical.as_deref(),
            Some("GPL-2.0-or-later OR BSD-3-Clause")
        );
        assert_eq!(tags[0].ids, ["GPL-2.0-or-later", "BSD-3-Clause"]);
        assert_eq!(tags[1].written, "MIT");
        assert_eq!(tags[1].ids, ["MIT"]);
    }
}
