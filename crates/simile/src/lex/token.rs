//! The token: what every later stage works on.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// What a token is. Whitespace and comments are never tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A name: variable, function, type, macro.
    Identifier,
    /// A reserved word of the language (`if`, `struct`, `def`, `define` after `#`).
    Keyword,
    /// A numeric literal.
    Number,
    /// A string or character literal (including raw strings, template literals, regexes and
    /// `<header.h>` include names).
    String,
    /// An operator or punctuation.
    Punctuation,
}

impl TokenKind {
    /// Identifiers and literals: what normalization abstracts away.
    pub fn is_abstractable(self) -> bool {
        matches!(
            self,
            TokenKind::Identifier | TokenKind::Number | TokenKind::String
        )
    }
}

/// Extra facts about a token, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct TokenFlags(pub u8);

impl TokenFlags {
    /// Part of an include/import statement (`#include`, `import`, `use`, `using`, `from x import`).
    /// Corpus search does not let these count toward similarity by default: every file of a
    /// project shares them.
    pub const IMPORT: u8 = 1;
    /// Part of a C-preprocessor line (`#define`, `#if`, `#pragma`).
    pub const PREPROCESSOR: u8 = 2;

    /// Whether `bit` is set.
    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// One token with its position and its two hashes.
///
/// `exact` hashes the token's text; [`Token::norm`] is the same for keywords and punctuation
/// but maps every identifier, every number and every string to one class hash each, so code
/// that differs only by names and literals has equal `norm` sequences (a Type-2 clone). Both
/// are xxh3 and stable across platforms and versions, because the persistent index stores
/// them. `norm` follows from `kind` and `exact`, so it is computed, not stored: a token is 24
/// bytes instead of 32, and `clones` holds every token of a tree (712,219 on zstd's `lib/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the decoded text.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// 1-based line of the first byte.
    pub line: u32,
    /// What the token is.
    pub kind: TokenKind,
    /// Import / preprocessor flags.
    pub flags: TokenFlags,
    /// Hash of the token text.
    pub exact: u64,
}

/// Class hashes used by [`Token::norm`] for abstracted kinds.
pub(crate) const NORM_IDENTIFIER: u64 = 0x1d3f_5a0e_9b6c_2471;
pub(crate) const NORM_NUMBER: u64 = 0x6e2b_91c4_07fd_3a58;
pub(crate) const NORM_STRING: u64 = 0xa845_7c13_e2d9_60bf;

/// Hash of a token's text, as stored in [`Token::exact`].
pub fn exact_hash(text: &[u8]) -> u64 {
    xxh3_64(text)
}

/// The normalized hash for a token of `kind` whose exact hash is `exact`.
pub fn norm_hash(kind: TokenKind, exact: u64) -> u64 {
    match kind {
        TokenKind::Identifier => NORM_IDENTIFIER,
        TokenKind::Number => NORM_NUMBER,
        TokenKind::String => NORM_STRING,
        TokenKind::Keyword | TokenKind::Punctuation => exact,
    }
}

impl Token {
    /// Hash with identifiers and literals abstracted ([`norm_hash`] of the kind and text).
    pub fn norm(&self) -> u64 {
        norm_hash(self.kind, self.exact)
    }

    /// The token's text within the text it was lexed from.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start as usize..self.end as usize]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Tokens are never empty; provided for clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A comment, kept aside: not a token (so it never changes similarity), but later stages read
/// comments for licences and copyright lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of the comment's first byte (the `//`, `/*` or `#`).
    pub start: u32,
    /// Byte offset one past its last byte.
    pub end: u32,
    /// 1-based line where it starts.
    pub line: u32,
}

impl Comment {
    /// The comment's text, delimiters included.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start as usize..self.end as usize]
    }
}
