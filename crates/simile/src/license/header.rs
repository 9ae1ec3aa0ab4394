//! The header: the comment text a file states its licence and copyright in, without comment
//! markers, each line keeping its line number.

use crate::lex::{Comment, Token};
use crate::source::{Language, SourceFile};

/// Words that make a comment worth reading as a header when it is not at the very top.
const LICENSE_WORDS: &[&str] = &[
    "licen",
    "copyright",
    "permission",
    "warrant",
    "blessing",
    "public domain",
    "spdx-license-identifier",
];

/// How far into a file a licence comment may start when code comes before it (an include
/// guard, a `package` line, an amalgamation's preamble).
const MAX_HEADER_START_LINE: u32 = 300;

/// How much of a plain-text file is read as its statement (licence files are shorter; a
/// long text file names its licence at the top).
const MAX_TEXT_LINES: u32 = 600;

/// Lines of comment text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentText {
    /// `(line number, text)`: comment markers and decoration removed, trimmed; empty lines
    /// kept (they separate paragraphs).
    pub lines: Vec<(u32, String)>,
}

impl CommentText {
    /// The text, one line per line.
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for (_, l) in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }

    /// First and last line numbers.
    pub fn line_span(&self) -> Option<(u32, u32)> {
        Some((self.lines.first()?.0, self.lines.last()?.0))
    }

    /// Whether any line holds a licence word.
    pub fn mentions_license(&self) -> bool {
        self.lines.iter().any(|(_, l)| {
            let lower = l.to_ascii_lowercase();
            LICENSE_WORDS.iter().any(|w| lower.contains(w))
        })
    }
}

/// The file's header: the comments before its first token; when those say nothing about
/// licences (or there are none), the first block of consecutive comments near the top that
/// does.
pub fn header(file: &SourceFile, tokens: &[Token], comments: &[Comment]) -> CommentText {
    if file.language == Language::Text {
        // A LICENSE, COPYING or README file: the text itself is the statement.
        return CommentText {
            lines: (1..=file.line_count().min(MAX_TEXT_LINES))
                .map(|l| (l, file.line_text(l).trim().to_owned()))
                .collect(),
        };
    }
    let first_code = tokens.first().map_or(u32::MAX, |t| t.start);
    let leading: Vec<&Comment> = comments
        .iter()
        .take_while(|c| c.start < first_code)
        .collect();
    let text = comment_text(file, &leading);
    if text.mentions_license() {
        return text;
    }
    for block in blocks(file, tokens, comments) {
        if block[0].line > MAX_HEADER_START_LINE {
            break;
        }
        let text = comment_text(file, &block);
        if text.mentions_license() {
            return text;
        }
    }
    text
}

/// A plain-text file's statement as one comment: its first 600 lines (`MAX_TEXT_LINES`), what
/// [`header`] reads of it. Plain text has no comments, so this is where its
/// `SPDX-License-Identifier:` tags are (a README's, a `.txt` notice's).
pub fn text_statement(file: &SourceFile) -> Comment {
    let end = if file.line_count() > MAX_TEXT_LINES {
        file.lines.line_start(MAX_TEXT_LINES + 1)
    } else {
        file.text.len() as u32
    };
    Comment {
        start: 0,
        end,
        line: 1,
    }
}

/// Runs of comments with nothing but blank space between them (no code, at most one empty
/// line).
fn blocks<'c>(
    file: &SourceFile,
    tokens: &[Token],
    comments: &'c [Comment],
) -> Vec<Vec<&'c Comment>> {
    let mut out: Vec<Vec<&Comment>> = Vec::new();
    let mut last_end_line = 0u32;
    let mut last_end = 0u32;
    for c in comments {
        if c.line > MAX_HEADER_START_LINE {
            break;
        }
        let code_between = {
            let k = tokens.partition_point(|t| t.start < last_end);
            tokens.get(k).is_some_and(|t| t.start < c.start)
        };
        match out.last_mut() {
            Some(block) if c.line <= last_end_line + 2 && !code_between => block.push(c),
            _ => out.push(vec![c]),
        }
        last_end_line = file.lines.line_of(c.end.saturating_sub(1).max(c.start));
        last_end = c.end;
    }
    out
}

/// The text of the comments, markers stripped.
pub fn comment_text(file: &SourceFile, comments: &[&Comment]) -> CommentText {
    let mut lines = Vec::new();
    for c in comments {
        let raw = c.text(&file.text);
        for (k, line) in raw.lines().enumerate() {
            lines.push((c.line + k as u32, strip_markers(line)));
        }
    }
    CommentText { lines }
}

/// Remove comment delimiters and decoration from one line of a comment: `/*`, `*/`, `//`,
/// `///`, `//!`, `#`, `--`, `;;`, leading `*` columns, `**` (SQLite), and lines that are only
/// decoration (`*****`, `=====`).
pub fn strip_markers(line: &str) -> String {
    let mut s = line.trim();
    s = s.strip_suffix("*/").unwrap_or(s).trim_end();
    for prefix in [
        "/**", "/*!", "/*", "///", "//!", "//", "#!", "#", "--", ";;", "'''", "\"\"\"",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    // Leading columns of `*` (and the `**` of SQLite headers), then a space.
    s = s.trim_start_matches('*').trim();
    // A line of decoration only.
    if s.chars()
        .all(|c| matches!(c, '*' | '=' | '-' | '_' | '~' | '#' | '/' | '+'))
    {
        return String::new();
    }
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    #[test]
    fn markers_are_stripped() {
        assert_eq!(strip_markers("/*"), "");
        assert_eq!(
            strip_markers(" * Copyright (c) 2020 X"),
            "Copyright (c) 2020 X"
        );
        assert_eq!(
            strip_markers("** The author disclaims"),
            "The author disclaims"
        );
        assert_eq!(
            strip_markers("// SPDX-License-Identifier: MIT"),
            "SPDX-License-Identifier: MIT"
        );
        assert_eq!(strip_markers("# Licensed under"), "Licensed under");
        assert_eq!(strip_markers(" *************************/"), "");
        assert_eq!(strip_markers(" */"), "");
    }

    #[test]
    fn header_is_the_leading_comment_or_the_first_licence_comment() {
        let src = "/* SQLite amalgamation: everything in one file. */\n#define X 1\n/*\n** 2001 September 15\n**\n** The author disclaims copyright to this source code.\n*/\nint x;\n";
        let f = SourceFile::from_text("a.c", src, None);
        let t = tokenize(&f);
        let h = header(&f, &t.tokens, &t.comments);
        assert_eq!(h.line_span(), Some((3, 7)));
        assert!(h.joined().contains("disclaims copyright"));
    }
}
