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
    let canonical = match spdx::Expression::canonicalize(&written) {
        Ok(Some(fixed)) => Some(fixed),
        Ok(None) => Some(written.clone()),
        Err(_) => None,
    };
    let ids: Vec<String> = canonical
        .as_deref()
        .and_then(|c| spdx::Expression::parse_mode(c, spdx::ParseMode::LAX).ok())
        .map(|e| {
            e.requirements()
                .map(|r| r.req.license.to_string())
                .collect()
        })
        .unwrap_or_default();
    let canonical = canonical.filter(|_| !ids.is_empty());
    Tag {
        line,
        written,
        canonical,
        ids,
    }
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
