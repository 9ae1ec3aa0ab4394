//! The byte-level scanner shared by every language.
//!
//! Written by hand rather than with a lexer generator: crates.md measured a hand lexer and
//! logos at the same ~580 MB/s in release, but the hand lexer is 2x faster in debug builds (the
//! test suite), and C preprocessor lines, Rust raw strings, C++ `R"d(...)d"`, JavaScript regex
//! literals and template strings need context a token regex does not have.
//!
//! Invariants: tokens and comments come out in increasing byte order, never overlap, and never
//! split a UTF-8 character (every boundary is an ASCII byte or the end of the text).

use super::spec::{Backtick, Heredoc, LexSpec, Rules, SingleQuote};
use super::token::{Comment, Token, TokenFlags, TokenKind, exact_hash};
use crate::source::LineIndex;

pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    rules: &'static Rules,
    spec: &'static LexSpec,
    pos: usize,
    starts: &'a [u32],
    line_cursor: usize,
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
    /// Inside a preprocessor line: where it ends (exclusive).
    pp_end: usize,
    pp_flags: u8,
    pp_expect_directive: bool,
    pp_header_name: bool,
    /// Here-documents opened on the current line, read at its end.
    heredocs: Vec<PendingHeredoc>,
}

/// A here-document whose body starts on the next line.
struct PendingHeredoc {
    terminator: Vec<u8>,
    /// The terminator may be indented (`<<-`, `<<~`, PHP).
    indented: bool,
}

/// Keywords after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, rules: &'static Rules, lines: &'a LineIndex) -> Scanner<'a> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            rules,
            spec: rules.spec,
            pos: 0,
            starts: lines.starts(),
            line_cursor: 0,
            // A C file has about one token per 8 bytes.
            tokens: Vec::with_capacity(text.len() / 6 + 16),
            comments: Vec::new(),
            pp_end: 0,
            pp_flags: 0,
            pp_expect_directive: false,
            pp_header_name: false,
            heredocs: Vec::new(),
        }
    }

    pub fn run(&mut self) {
        let spec = self.spec;
        while self.pos < self.bytes.len() {
            if self.pp_end != 0 && self.pos >= self.pp_end {
                self.end_preprocessor_line();
            }
            let b = self.bytes[self.pos];
            let next = self.peek(1);
            match b {
                b'\n' | b'\r' if !self.heredocs.is_empty() => self.heredoc_bodies(),
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.whitespace(),
                b'\\' if matches!(next, b'\n' | b'\r') => self.pos += 1,
                b'/' if spec.slash_comments && next == b'/' => self.line_comment(),
                b'/' if next == b'*' && spec.block_comment.is_some() => self.block_comment(),
                b'#' if spec.preprocessor && self.at_line_start() => self.preprocessor_start(),
                b'#' if spec.hash_comments && self.hash_starts_comment() => self.line_comment(),
                b'=' if spec.line_start_block_comments.is_some() && self.at_column_zero() => {
                    if !self.line_start_block_comment() {
                        self.punct();
                    }
                }
                b'"' => self.double_quote(),
                b'\'' => self.single_quote(),
                b'`' => self.backtick(),
                b'<' if self.pp_header_name => self.header_name(),
                b'<' if next == b'<' && spec.heredoc != Heredoc::None => {
                    if !self.heredoc_start() {
                        self.punct();
                    }
                }
                b'@' if spec.csharp_strings && matches!(next, b'"' | b'$') => {
                    self.csharp_prefixed()
                }
                b'$' if spec.csharp_strings && matches!(next, b'"' | b'@') => {
                    self.csharp_prefixed()
                }
                b'/' if spec.regex_literals && self.regex_allowed() => {
                    if !self.regex() {
                        self.punct();
                    }
                }
                b'0'..=b'9' => self.number(),
                b'.' if next.is_ascii_digit() => self.number(),
                // Unicode spaces (a no-break space pasted from a web page) separate tokens like
                // ASCII ones: formatting must never change the token stream.
                0x80.. => match self.char_at(self.pos).filter(|c| c.is_whitespace()) {
                    Some(space) => self.pos += space.len_utf8(),
                    None => self.word(),
                },
                _ if is_ident_start(b, spec) => self.word(),
                _ => self.punct(),
            }
        }
    }

    /// Skip a run of ASCII whitespace in one tight loop, rather than going round the main loop
    /// and its checks once per byte: blanks and line ends are a quarter of the bytes of zstd's
    /// C sources. A pending here-document stops the run at the end of the line, where its body
    /// starts.
    fn whitespace(&mut self) {
        let stop_at_newline = !self.heredocs.is_empty();
        let rest = &self.bytes[self.pos..];
        let run = rest
            .iter()
            .take_while(|&&c| match c {
                b' ' | b'\t' | 0x0b | 0x0c => true,
                b'\n' | b'\r' => !stop_at_newline,
                _ => false,
            })
            .count();
        self.pos += run.max(1);
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn line_of(&mut self, offset: usize) -> u32 {
        let offset = offset as u32;
        while self.line_cursor + 1 < self.starts.len()
            && self.starts[self.line_cursor + 1] <= offset
        {
            self.line_cursor += 1;
        }
        self.line_cursor as u32 + 1
    }

    /// The character starting at byte `at`, if `at` is a character boundary.
    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    /// End of the identifier starting at `from`: ASCII identifier bytes and any non-ASCII
    /// character except Unicode whitespace.
    fn ident_end(&self, from: usize) -> usize {
        let bytes = self.bytes;
        let mut end = from;
        while end < bytes.len() {
            let c = bytes[end];
            if c < 0x80 {
                if !is_ident_continue(c, self.spec) {
                    break;
                }
                end += 1;
            } else {
                match self.char_at(end) {
                    Some(ch) if ch.is_whitespace() => break,
                    Some(ch) => end += ch.len_utf8(),
                    None => end += 1,
                }
            }
        }
        end
    }

    /// Whether `pos` is in column 0: Ruby's `=begin` and Perl's POD must start there (an
    /// indented `=word` continues an expression).
    fn at_column_zero(&self) -> bool {
        self.pos == 0 || matches!(self.bytes[self.pos - 1], b'\n' | b'\r')
    }

    fn at_line_start(&self) -> bool {
        self.bytes[..self.pos]
            .iter()
            .rev()
            .take_while(|&&c| c != b'\n' && c != b'\r')
            .all(|&c| c == b' ' || c == b'\t')
    }

    fn hash_starts_comment(&self) -> bool {
        let prev = self.pos.checked_sub(1).map(|p| self.bytes[p]);
        match prev {
            None => true,
            // `$#` (shell, Perl) is a variable, not a comment.
            Some(b'$') => false,
            // Shell: `#` starts a comment only at the start of a word (`a#b` is one word).
            Some(p) if self.spec.single_quote == SingleQuote::RawString => {
                p.is_ascii_whitespace() || p == b';'
            }
            Some(_) => true,
        }
    }

    fn emit(&mut self, start: usize, end: usize, kind: TokenKind) {
        let exact = exact_hash(&self.bytes[start..end]);
        self.emit_hashed(start, end, kind, exact);
    }

    /// [`Self::emit`] for a token whose exact hash is already known.
    fn emit_hashed(&mut self, start: usize, end: usize, kind: TokenKind, exact: u64) {
        let line = self.line_of(start);
        let mut flags = 0;
        if self.pp_end != 0 && start < self.pp_end {
            flags = self.pp_flags;
        }
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            line,
            kind,
            flags: TokenFlags(flags),
            exact,
        });
    }

    fn comment(&mut self, start: usize, end: usize) {
        let line = self.line_of(start);
        self.comments.push(Comment {
            start: start as u32,
            end: end as u32,
            line,
        });
    }

    // ----- comments -------------------------------------------------------------------------

    fn line_comment(&mut self) {
        let start = self.pos;
        // In C, a backslash at the end continues a `//` comment onto the next line.
        let end = if self.spec.preprocessor {
            self.continued_line_end(start)
        } else {
            self.line_end(start)
        };
        self.comment(start, end);
        self.pos = end;
    }

    /// Offset of the first `\n` or `\r` at or after `from` (or the end).
    fn line_end(&self, from: usize) -> usize {
        memchr::memchr2(b'\n', b'\r', &self.bytes[from..]).map_or(self.bytes.len(), |o| from + o)
    }

    /// End of the line starting at or before `from`, following backslash-newline continuations.
    /// A backslash at the very end of the text continues nothing.
    fn continued_line_end(&self, from: usize) -> usize {
        let mut end = self.line_end(from);
        while end > from && end < self.bytes.len() && self.bytes[end - 1] == b'\\' {
            end = self.line_end(self.after_newline(end));
        }
        end
    }

    fn after_newline(&self, at: usize) -> usize {
        match self.bytes.get(at) {
            Some(b'\r') if self.bytes.get(at + 1) == Some(&b'\n') => at + 2,
            Some(_) => at + 1,
            None => at,
        }
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        let (open, close) = self.spec.block_comment.unwrap_or((b"/*", b"*/"));
        let mut depth = 1usize;
        let mut i = start + open.len();
        let end = loop {
            let rest = &self.bytes[i..];
            let next_close = memchr::memmem::find(rest, close);
            if self.spec.nested_block_comments {
                let next_open = memchr::memmem::find(rest, open);
                if let (Some(o), Some(c)) = (next_open, next_close)
                    && o < c
                {
                    depth += 1;
                    i += o + open.len();
                    continue;
                }
            }
            match next_close {
                Some(c) => {
                    depth -= 1;
                    i += c + close.len();
                    if depth == 0 {
                        break i;
                    }
                }
                None => break self.bytes.len(), // unterminated: runs to the end, like compilers say
            }
        };
        self.comment(start, end);
        self.pos = end;
    }

    /// Ruby `=begin ... =end`, Perl POD `=pod ... =cut`: comments that start and end at a line
    /// start. Returns false when the `=` is just an operator.
    fn line_start_block_comment(&mut self) -> bool {
        let Some((open, close)) = self.spec.line_start_block_comments else {
            return false;
        };
        let rest = &self.bytes[self.pos..];
        let opens = if open == b"=pod" {
            // Perl: any `=word` at a line start opens POD.
            rest.len() > 1 && rest[1].is_ascii_alphabetic()
        } else {
            rest.starts_with(open)
        };
        if !opens {
            return false;
        }
        let start = self.pos;
        let mut line = self.after_newline(self.line_end(start));
        let end = loop {
            if line >= self.bytes.len() {
                break self.bytes.len();
            }
            let line_end = self.line_end(line);
            if self.bytes[line..line_end].starts_with(close) {
                break line_end;
            }
            line = self.after_newline(line_end);
        };
        self.comment(start, end);
        self.pos = end;
        true
    }

    // ----- preprocessor ---------------------------------------------------------------------

    fn preprocessor_start(&mut self) {
        let end = self.continued_line_end(self.pos);
        self.pp_end = end.max(self.pos + 1);
        self.pp_flags = TokenFlags::PREPROCESSOR;
        self.pp_expect_directive = true;
        self.emit(self.pos, self.pos + 1, TokenKind::Punctuation);
        self.pos += 1;
    }

    fn end_preprocessor_line(&mut self) {
        self.pp_end = 0;
        self.pp_flags = 0;
        self.pp_expect_directive = false;
        self.pp_header_name = false;
    }

    /// `<stdio.h>` after `#include`: one string token.
    fn header_name(&mut self) {
        let start = self.pos;
        let line_end = self.line_end(start);
        match memchr::memchr(b'>', &self.bytes[start..line_end]) {
            Some(off) => {
                self.emit(start, start + off + 1, TokenKind::String);
                self.pos = start + off + 1;
            }
            None => self.punct(),
        }
        self.pp_header_name = false;
    }

    // ----- words and numbers ----------------------------------------------------------------

    fn word(&mut self) {
        let start = self.pos;
        let end = self.ident_end(start).max(start + 1);
        if self.string_prefix(start, end) {
            return;
        }
        let word = &self.bytes[start..end];
        let exact = exact_hash(word);
        let kind = if self.pp_expect_directive {
            self.pp_expect_directive = false;
            if matches!(word, b"include" | b"include_next" | b"import") {
                self.pp_header_name = true;
                self.pp_flags |= TokenFlags::IMPORT;
                // The `#` was emitted before we knew: mark it too.
                if let Some(hash) = self.tokens.last_mut() {
                    hash.flags.0 |= TokenFlags::IMPORT;
                }
            }
            TokenKind::Keyword
        } else if self.rules.is_keyword(word, exact) {
            TokenKind::Keyword
        } else {
            TokenKind::Identifier
        };
        self.emit_hashed(start, end, kind, exact);
        self.pos = end;
    }

    /// A word directly followed by a quote may be a string prefix: Python `rb"..."`, Rust
    /// `r#"..."#` and `b'x'`, C++ `u8R"(...)"` and `L"..."`. Returns true if a string was read.
    fn string_prefix(&mut self, start: usize, end: usize) -> bool {
        let quote = self.bytes.get(end).copied().unwrap_or(0);
        // The common case, a word not followed by a quote, must cost nothing.
        if !matches!(quote, b'"' | b'\'' | b'#') || end - start > 3 {
            return false;
        }
        let prefix = &self.bytes[start..end];
        let spec = self.spec;
        if spec.python_strings && matches!(quote, b'"' | b'\'') {
            let mut lower = [0u8; 3];
            for (l, c) in lower.iter_mut().zip(prefix) {
                *l = c.to_ascii_lowercase();
            }
            let lower = &lower[..prefix.len()];
            let ok = matches!(
                lower,
                b"r" | b"b" | b"u" | b"f" | b"rb" | b"br" | b"fr" | b"rf"
            );
            if ok {
                let raw = lower.contains(&b'r');
                let end = self.python_string_end(end, raw);
                self.finish_string(start, end);
                return true;
            }
        }
        if spec.rust_strings {
            let raw = matches!(prefix, b"r" | b"br" | b"cr");
            if raw
                && matches!(quote, b'"' | b'#')
                && let Some(end) = self.rust_raw_string_end(end)
            {
                self.finish_string(start, end);
                return true;
            }
            // A raw identifier, `r#type`: one identifier, not `r`, `#`, `type`.
            if prefix == b"r"
                && quote == b'#'
                && self
                    .bytes
                    .get(end + 1)
                    .is_some_and(|&c| c != b'$' && is_ident_start(c, spec))
            {
                let stop = self.ident_end(end + 1);
                self.emit(start, stop, TokenKind::Identifier);
                self.pos = stop;
                return true;
            }
            if matches!(prefix, b"b" | b"c") && quote == b'"' {
                let end = self.quoted_end(end, b'"', true, true);
                self.finish_string(start, end);
                return true;
            }
            if prefix == b"b" && quote == b'\'' {
                let end = self.quoted_end(end, b'\'', true, false);
                self.finish_string(start, end);
                return true;
            }
        }
        if spec.cpp_raw_strings || spec.preprocessor {
            let (enc, raw) = match prefix.strip_suffix(b"R") {
                Some(enc) if spec.cpp_raw_strings => (enc, true),
                _ => (prefix, false),
            };
            if matches!(enc, b"" | b"L" | b"u" | b"U" | b"u8") && (raw || !enc.is_empty()) {
                if raw && quote == b'"' {
                    if let Some(end) = self.cpp_raw_string_end(end) {
                        self.finish_string(start, end);
                        return true;
                    }
                } else if !raw && matches!(quote, b'"' | b'\'') {
                    let end = self.quoted_end(end, quote, true, false);
                    self.finish_string(start, end);
                    return true;
                }
            }
        }
        false
    }

    fn number(&mut self) {
        let start = self.pos;
        let mut i = start;
        let bytes = self.bytes;
        while i < bytes.len() {
            let c = bytes[i];
            if c.is_ascii_alphanumeric() || c == b'_' {
                let exponent = matches!(c, b'e' | b'E' | b'p' | b'P');
                i += 1;
                if exponent && matches!(bytes.get(i), Some(b'+' | b'-')) {
                    // `0x1p-3`, `1e+9`; but `0xe+1` is `0xe + 1`
                    let hex =
                        bytes[start..].starts_with(b"0x") || bytes[start..].starts_with(b"0X");
                    if !hex || matches!(c, b'p' | b'P') {
                        i += 1;
                    }
                }
            } else if c == b'.' {
                // `1.5` and `1.` continue the number; `1..2` (a range) and `1.max(2)` do not.
                let after = bytes.get(i + 1).copied().unwrap_or(0);
                if after == b'.' || (is_ident_start(after, self.spec) && !after.is_ascii_digit()) {
                    break;
                }
                i += 1;
            } else if c == b'\''
                && self.spec.cpp_raw_strings
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                i += 1; // C++14 digit separator: 1'000'000
            } else {
                break;
            }
        }
        self.emit(start, i, TokenKind::Number);
        self.pos = i;
    }

    // ----- strings --------------------------------------------------------------------------

    fn finish_string(&mut self, start: usize, end: usize) {
        self.emit(start, end, TokenKind::String);
        self.pos = end;
    }

    /// End of a string opened at `open` (the quote byte) and closed by `quote`. Escapes are
    /// honoured when `escapes`; without `multiline` an unescaped newline ends an unterminated
    /// string (so one stray quote cannot swallow the rest of the file).
    fn quoted_end(&self, open: usize, quote: u8, escapes: bool, multiline: bool) -> usize {
        let bytes = self.bytes;
        let mut i = open + 1;
        while i < bytes.len() {
            let c = bytes[i];
            if c == quote {
                return i + 1;
            }
            if c == b'\\' && escapes {
                i = self.escape_end(i);
                continue;
            }
            if (c == b'\n' || c == b'\r') && !multiline {
                return i;
            }
            i += 1;
        }
        bytes.len()
    }

    /// Where the escape sequence at `at` (a backslash) ends: a backslash-newline is one escape
    /// whatever the line ending, so a continued string reads the same in CRLF and LF files.
    fn escape_end(&self, at: usize) -> usize {
        if self.bytes[at + 1..].starts_with(b"\r\n") {
            at + 3
        } else {
            at + 2
        }
    }

    fn multiline_strings(&self) -> bool {
        // Shell, Ruby, Perl, PHP and Rust strings may span lines; C-family and Python ones may
        // not (an unterminated one ends at the line end).
        (self.spec.hash_comments && !self.spec.python_strings) || self.spec.rust_strings
    }

    fn triple_quoted_at(&self, at: usize, q: u8) -> bool {
        self.bytes.get(at) == Some(&q)
            && self.bytes.get(at + 1) == Some(&q)
            && self.bytes.get(at + 2) == Some(&q)
    }

    fn triple_end(&self, open: usize, q: u8, escapes: bool) -> usize {
        let bytes = self.bytes;
        let mut i = open + 3;
        while i < bytes.len() {
            if bytes[i] == b'\\' && escapes {
                i = self.escape_end(i);
                continue;
            }
            if self.triple_quoted_at(i, q) {
                let mut end = i + 3;
                // `""""` closes with the last three quotes
                while bytes.get(end) == Some(&q) {
                    end += 1;
                }
                return end;
            }
            i += 1;
        }
        bytes.len()
    }

    fn python_string_end(&self, open: usize, raw: bool) -> usize {
        let q = self.bytes[open];
        if self.triple_quoted_at(open, q) {
            return self.triple_end(open, q, true);
        }
        // Raw strings still cannot end with an odd backslash before the quote, so the escape
        // rule is the same for reading purposes.
        let _ = raw;
        self.quoted_end(open, q, true, false)
    }

    fn double_quote(&mut self) {
        let start = self.pos;
        let spec = self.spec;
        let end = if (spec.python_strings || spec.triple_quote_strings)
            && self.triple_quoted_at(start, b'"')
        {
            self.triple_end(start, b'"', !spec.csharp_strings)
        } else {
            self.quoted_end(start, b'"', true, self.multiline_strings())
        };
        self.finish_string(start, end);
    }

    fn single_quote(&mut self) {
        let start = self.pos;
        match self.spec.single_quote {
            SingleQuote::Punct => self.punct(),
            SingleQuote::RawString => {
                let end = self.quoted_end(start, b'\'', false, true);
                self.finish_string(start, end);
            }
            SingleQuote::String => {
                let end = if self.spec.python_strings && self.triple_quoted_at(start, b'\'') {
                    self.triple_end(start, b'\'', true)
                } else {
                    self.quoted_end(start, b'\'', true, self.multiline_strings())
                };
                self.finish_string(start, end);
            }
            SingleQuote::Char => {
                let end = self.quoted_end(start, b'\'', true, false);
                if end == start + 1 || self.bytes[end - 1] != b'\'' {
                    // A lone apostrophe (e.g. in `#error don't`): punctuation.
                    self.punct();
                } else {
                    self.finish_string(start, end);
                }
            }
            SingleQuote::CharOrLifetime => self.rust_quote(),
        }
    }

    /// Rust: `'a'`, `'\n'`, `'\u{1F600}'` are chars; `'a` and `'static` are lifetimes.
    fn rust_quote(&mut self) {
        let start = self.pos;
        let bytes = self.bytes;
        if bytes.get(start + 1) == Some(&b'\\') {
            let end = self.quoted_end(start, b'\'', true, false);
            return self.finish_string(start, end);
        }
        // One UTF-8 character, then a closing quote?
        let ch_len = std::str::from_utf8(&bytes[start + 1..(start + 5).min(bytes.len())])
            .ok()
            .or_else(|| {
                (2..=4)
                    .rev()
                    .find_map(|n| std::str::from_utf8(bytes.get(start + 1..start + n)?).ok())
            })
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8);
        // A line break is never a char literal (and `'\r\n'` must read like `'\n'`).
        let line_break = matches!(bytes.get(start + 1), Some(b'\n' | b'\r'));
        if !line_break && bytes.get(start + 1 + ch_len) == Some(&b'\'') {
            return self.finish_string(start, start + 2 + ch_len);
        }
        // A lifetime or label: `'` followed by a name.
        let end = self.ident_end(start + 1);
        if end == start + 1 {
            return self.punct();
        }
        self.emit(start, end, TokenKind::Identifier);
        self.pos = end;
    }

    fn rust_raw_string_end(&self, at: usize) -> Option<usize> {
        let bytes = self.bytes;
        let hashes = bytes[at..].iter().take_while(|&&c| c == b'#').count();
        if bytes.get(at + hashes) != Some(&b'"') {
            return None;
        }
        let body = at + hashes + 1;
        let mut closing = Vec::with_capacity(hashes + 1);
        closing.push(b'"');
        closing.extend(std::iter::repeat_n(b'#', hashes));
        Some(
            memchr::memmem::find(&bytes[body..], &closing)
                .map_or(bytes.len(), |o| body + o + closing.len()),
        )
    }

    /// C++ `R"delim( ... )delim"`; the delimiter is at most 16 characters.
    fn cpp_raw_string_end(&self, at: usize) -> Option<usize> {
        let bytes = self.bytes;
        let open_paren = at + 1 + memchr::memchr(b'(', &bytes[at + 1..(at + 18).min(bytes.len())])?;
        let delim = &bytes[at + 1..open_paren];
        if delim
            .iter()
            .any(|c| c.is_ascii_whitespace() || matches!(c, b')' | b'\\'))
        {
            return None;
        }
        let mut closing = Vec::with_capacity(delim.len() + 2);
        closing.push(b')');
        closing.extend_from_slice(delim);
        closing.push(b'"');
        let body = open_paren + 1;
        Some(
            memchr::memmem::find(&bytes[body..], &closing)
                .map_or(bytes.len(), |o| body + o + closing.len()),
        )
    }

    /// C# `@"verbatim ""quoted"""`, `$"interpolated {x}"`, `$@"..."`, `@$"..."`.
    fn csharp_prefixed(&mut self) {
        let start = self.pos;
        let mut i = start;
        let mut verbatim = false;
        while matches!(self.bytes.get(i), Some(b'@' | b'$')) {
            verbatim |= self.bytes[i] == b'@';
            i += 1;
        }
        if self.bytes.get(i) != Some(&b'"') {
            return self.punct();
        }
        let interpolated = self.bytes[start..i].contains(&b'$');
        let end = if self.triple_quoted_at(i, b'"') {
            self.triple_end(i, b'"', false)
        } else if interpolated {
            self.csharp_interpolated_end(i, verbatim)
        } else if verbatim {
            // `""` is an escaped quote in verbatim strings.
            let mut j = i + 1;
            loop {
                match self.bytes.get(j) {
                    None => break self.bytes.len(),
                    Some(b'"') if self.bytes.get(j + 1) == Some(&b'"') => j += 2,
                    Some(b'"') => break j + 1,
                    Some(_) => j += 1,
                }
            }
        } else {
            self.quoted_end(i, b'"', true, false)
        };
        self.finish_string(start, end);
    }

    /// End of `$"... {expr} ..."`: holes may hold strings with quotes (`{(ok ? "y" : "n")}`);
    /// `{{` is a literal brace.
    fn csharp_interpolated_end(&self, open: usize, verbatim: bool) -> usize {
        let bytes = self.bytes;
        let mut i = open + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'"' if verbatim && bytes.get(i + 1) == Some(&b'"') => i += 2,
                b'"' => return i + 1,
                b'\\' if !verbatim => i = self.escape_end(i),
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => i = self.template_hole_end(i + 1),
                b'\n' | b'\r' if !verbatim => return i,
                _ => i += 1,
            }
        }
        bytes.len()
    }

    fn backtick(&mut self) {
        let start = self.pos;
        match self.spec.backtick {
            Backtick::Punct => self.punct(),
            Backtick::RawString => {
                let end = self.quoted_end(start, b'`', self.spec.hash_comments, true);
                self.finish_string(start, end);
            }
            Backtick::Template => {
                let end = self.template_end(start);
                self.finish_string(start, end);
            }
        }
    }

    /// A JavaScript template literal: `` `a ${ b + `c${d}` } e` ``. Holes may nest strings and
    /// templates; the whole literal is one string token.
    fn template_end(&self, open: usize) -> usize {
        let bytes = self.bytes;
        let mut i = open + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i = self.escape_end(i),
                b'`' => return i + 1,
                b'$' if bytes.get(i + 1) == Some(&b'{') => i = self.template_hole_end(i + 2),
                _ => i += 1,
            }
        }
        bytes.len()
    }

    fn template_hole_end(&self, mut i: usize) -> usize {
        let bytes = self.bytes;
        let mut depth = 1usize;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b'`' => {
                    i = self.template_end(i);
                    continue;
                }
                q @ (b'"' | b'\'') => {
                    i = self.quoted_end(i, q, true, false);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        bytes.len()
    }

    /// A `/` starts a regex literal where an expression is expected: at the start, after an
    /// operator or opening bracket, or after keywords like `return`.
    fn regex_allowed(&self) -> bool {
        let next = self.peek(1);
        if next == b'/' || next == b'*' {
            return false;
        }
        let Some(prev) = self.tokens.last() else {
            return true;
        };
        let text =
            std::str::from_utf8(&self.bytes[prev.start as usize..prev.end as usize]).unwrap_or("");
        match prev.kind {
            TokenKind::Punctuation => !matches!(text, ")" | "]" | "}" | "++" | "--"),
            TokenKind::Keyword => REGEX_AFTER_KEYWORDS.contains(&text),
            _ => false,
        }
    }

    /// Reads `/pattern/flags`; returns false (reading nothing) if the line ends first.
    fn regex(&mut self) -> bool {
        let start = self.pos;
        let bytes = self.bytes;
        let mut i = start + 1;
        let mut in_class = false;
        loop {
            match bytes.get(i) {
                None | Some(b'\n' | b'\r') => return false,
                Some(b'\\') => i = self.escape_end(i),
                Some(b'[') => {
                    in_class = true;
                    i += 1
                }
                Some(b']') => {
                    in_class = false;
                    i += 1
                }
                Some(b'/') if !in_class => {
                    i += 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        self.finish_string(start, i);
        true
    }

    // ----- here-documents -------------------------------------------------------------------

    /// At `<<` (`<<<` in PHP): if a here-document starts here, emit the operator, remember its
    /// terminator (the body is read at the end of the line, see [`Self::heredoc_bodies`]) and
    /// return true. The delimiter word itself is tokenized as usual. Reads nothing otherwise.
    fn heredoc_start(&mut self) -> bool {
        let bytes = self.bytes;
        let start = self.pos;
        let style = self.spec.heredoc;
        let mut i = start + 2;
        let mut indented = false;
        let mut op_len = 2;
        match style {
            Heredoc::None => return false,
            Heredoc::Php => {
                if bytes.get(i) != Some(&b'<') {
                    return false;
                }
                i += 1;
                op_len = 3;
                indented = true;
                while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
            }
            Heredoc::Shell => {
                match bytes.get(i) {
                    Some(b'<') => return false, // `<<<`: a here-string
                    Some(b'-') => {
                        indented = true;
                        i += 1;
                    }
                    _ => {}
                }
                while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
            }
            Heredoc::RubyPerl => {
                if matches!(bytes.get(i), Some(b'~' | b'-')) {
                    indented = true;
                    i += 1;
                } else if !bytes
                    .get(i)
                    .is_some_and(|&c| c.is_ascii_uppercase() || matches!(c, b'_' | b'"' | b'\''))
                {
                    // `list <<item` is an append; bare here-doc words are upper case.
                    return false;
                }
            }
        }
        let Some(terminator) = self.heredoc_delimiter(i, style) else {
            return false;
        };
        self.emit(start, start + op_len, TokenKind::Punctuation);
        self.pos = start + op_len;
        self.heredocs.push(PendingHeredoc {
            terminator,
            indented,
        });
        true
    }

    /// The terminator named at `at`: a quoted word (`'EOF'`, `"EOF"`), `\EOF` (shell) or a
    /// bare word.
    fn heredoc_delimiter(&self, at: usize, style: Heredoc) -> Option<Vec<u8>> {
        let bytes = self.bytes;
        let line_end = self.line_end(at);
        let first = *bytes.get(at)?;
        if matches!(first, b'\'' | b'"') {
            let len = memchr::memchr(first, &bytes[at + 1..line_end])?;
            return (len > 0).then(|| bytes[at + 1..at + 1 + len].to_vec());
        }
        let word_start = if first == b'\\' && style == Heredoc::Shell {
            at + 1
        } else {
            at
        };
        let c = *bytes.get(word_start)?;
        if !(c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        let word_end = word_start
            + bytes[word_start..line_end]
                .iter()
                .take_while(|&&c| match style {
                    Heredoc::Shell => !c.is_ascii_whitespace() && !b";|&<>()'\"`".contains(&c),
                    _ => c.is_ascii_alphanumeric() || c == b'_',
                })
                .count();
        if style == Heredoc::Shell {
            // `$(( x << y ))` shifts: the "word" is followed by a closing parenthesis.
            let after = bytes[word_end..line_end]
                .iter()
                .find(|c| !matches!(c, b' ' | b'\t'));
            if after == Some(&b')') {
                return None;
            }
        }
        Some(bytes[word_start..word_end].to_vec())
    }

    /// At the newline ending a line that opened here-documents: each body, up to and including
    /// its terminator word, becomes one string token (an unterminated one runs to the end).
    fn heredoc_bodies(&mut self) {
        let bytes = self.bytes;
        let php = self.spec.heredoc == Heredoc::Php;
        let mut line = self.after_newline(self.pos);
        self.pos = line;
        for heredoc in std::mem::take(&mut self.heredocs) {
            if line >= bytes.len() {
                break;
            }
            let body_start = line;
            let end = loop {
                if line >= bytes.len() {
                    break bytes.len();
                }
                let line_end = self.line_end(line);
                let content = &bytes[line..line_end];
                let lead = if heredoc.indented {
                    content
                        .iter()
                        .take_while(|c| matches!(c, b' ' | b'\t'))
                        .count()
                } else {
                    0
                };
                let rest = &content[lead..];
                let n = heredoc.terminator.len();
                let closes = rest.starts_with(&heredoc.terminator)
                    && if php {
                        // `EOT;` and `EOT,` close; `EOTX` does not.
                        rest.get(n)
                            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                    } else {
                        rest[n..].iter().all(|c| matches!(c, b' ' | b'\t'))
                    };
                if closes {
                    break line + lead + n;
                }
                line = self.after_newline(line_end);
            };
            self.emit(body_start, end, TokenKind::String);
            self.pos = end;
            line = self.after_newline(self.line_end(end));
        }
    }

    // ----- punctuation ----------------------------------------------------------------------

    fn punct(&mut self) {
        let start = self.pos;
        let len = punct_len(&self.bytes[start..]);
        // Never split a UTF-8 character: non-ASCII bytes are identifier bytes, so `len` only
        // covers ASCII here, except for a stray continuation byte which we take whole.
        let mut end = start + len;
        while end < self.bytes.len() && (self.bytes[end] & 0xC0) == 0x80 {
            end += 1;
        }
        let exact = match end - start {
            1 => byte_hash(self.bytes[start]),
            _ => exact_hash(&self.bytes[start..end]),
        };
        self.emit_hashed(start, end, TokenKind::Punctuation, exact);
        self.pos = end;
    }
}

/// The [`exact_hash`] of a one-byte token, from a table made once: most punctuation is one byte
/// (`(`, `)`, `;`, `,`), and half of C's tokens are punctuation.
fn byte_hash(b: u8) -> u64 {
    static TABLE: std::sync::LazyLock<[u64; 256]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|b| exact_hash(&[b as u8])));
    TABLE[b as usize]
}

/// Per byte: [`WORD_START`] for a byte that starts an identifier, [`WORD`] for one that continues
/// it (a table lookup instead of range tests: `ident_end` ran them once per identifier byte, a
/// fifth of tokenizing zstd's C). `$` is neither; languages that allow it say so in their spec.
const IDENT_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            table[b] = WORD_START | WORD;
        } else if c.is_ascii_digit() {
            table[b] = WORD;
        }
        b += 1;
    }
    table
};
const WORD_START: u8 = 1;
const WORD: u8 = 2;

fn is_ident_start(b: u8, spec: &LexSpec) -> bool {
    IDENT_BYTES[b as usize] & WORD_START != 0 || (b == b'$' && spec.dollar_in_identifiers)
}

fn is_ident_continue(b: u8, spec: &LexSpec) -> bool {
    IDENT_BYTES[b as usize] & WORD != 0 || (b == b'$' && spec.dollar_in_identifiers)
}

/// Length of the operator at the start of `rest`, by maximal munch over the operators of the
/// languages we read (a superset is harmless: both sides of a comparison are split the same way).
///
/// `>` never combines with a following `>`: `>>` may close two template or generic argument
/// lists (`vector<vector<int>>`), which C++03 spelled `> >` and formatters may write either way.
/// Reading every `>` alone makes both spellings one token stream; a shift `a >> b` becomes
/// `>`, `>` on both sides of a comparison alike, so nothing is lost. (`>=` stays one token.)
fn punct_len(rest: &[u8]) -> usize {
    // Most punctuation (`(`, `)`, `,`, `;`, braces) starts no operator: answer those without
    // comparing against every operator (the comparisons were a sixth of tokenizing zstd's C).
    if rest.len() < 2 || !OPERATOR_START[rest[0] as usize] {
        return 1;
    }
    if rest.len() >= 3 && THREE.iter().any(|op| &rest[..3] == *op) {
        return 3;
    }
    if TWO.iter().any(|op| &rest[..2] == *op) {
        return 2;
    }
    1
}

/// The operators of three bytes of [`punct_len`].
const THREE: [&[u8; 3]; 13] = [
    b"<<=", b"===", b"!==", b"...", b"**=", b"//=", b"->*", b"<=>", b"??=", b"||=", b"&&=", b"..=",
    b"::<",
];

/// The operators of two bytes of [`punct_len`].
const TWO: [&[u8; 2]; 33] = [
    b"==", b"!=", b"<=", b">=", b"&&", b"||", b"++", b"--", b"+=", b"-=", b"*=", b"/=", b"%=",
    b"&=", b"|=", b"^=", b"<<", b"->", b"=>", b"::", b"**", b"//", b"..", b"?.", b"??", b":=",
    b"##", b".*", b"<-", b"!!", b"?:", b"@=", b"~=",
];

/// The first bytes of [`THREE`] and [`TWO`].
const OPERATOR_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < THREE.len() {
        table[THREE[i][0] as usize] = true;
        i += 1;
    }
    let mut i = 0;
    while i < TWO.len() {
        table[TWO[i][0] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_tokens_hash_as_their_text_does() {
        for b in 0..=255u8 {
            assert_eq!(byte_hash(b), exact_hash(&[b]), "byte {b}");
        }
    }
}
