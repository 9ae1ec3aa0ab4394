//! Tokenizers: source text to a stream of [`Token`]s (the second room of the pipeline).
//!
//! One scanner reads every language through a table of lexical rules (comment syntax, string
//! forms, keywords). Whitespace and comments are never tokens, so reformatting or re-commenting
//! code never changes its token stream; comments are kept aside in [`TokenizedFile::comments`]
//! for licence and copyright detection. C preprocessor lines are tokenized like code
//! (`#define X 1` is `#`, `define`, `X`, `1`) and flagged.
//!
//! ```
//! use simile::lex::{tokenize, TokenKind};
//! use simile::source::SourceFile;
//!
//! let file = SourceFile::from_text("a.c", "#include <stdio.h>\nint x = 42; // answer\n", None);
//! let tokens = tokenize(&file);
//! let texts: Vec<&str> = tokens.tokens.iter().map(|t| t.text(&file.text)).collect();
//! assert_eq!(texts, ["#", "include", "<stdio.h>", "int", "x", "=", "42", ";"]);
//! assert_eq!(tokens.tokens[4].kind, TokenKind::Identifier);
//! assert_eq!(tokens.comments[0].text(&file.text), "// answer");
//! ```

mod imports;
mod scanner;
mod spec;
mod token;

pub use token::{Comment, Token, TokenFlags, TokenKind, exact_hash, norm_hash};

use crate::source::{Language, LineIndex, SourceFile};

/// The tokens and comments of one file.
#[derive(Debug, Clone, Default)]
pub struct TokenizedFile {
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Comments in text order.
    pub comments: Vec<Comment>,
}

/// Tokenize a source file with the rules of its language.
pub fn tokenize(file: &SourceFile) -> TokenizedFile {
    tokenize_text(&file.text, file.language, &file.lines)
}

/// Tokenize `text` as `language`; `lines` must index `text`.
pub fn tokenize_text(text: &str, language: Language, lines: &LineIndex) -> TokenizedFile {
    let rules = spec::rules_for(language);
    let mut scanner = scanner::Scanner::new(text, rules, lines);
    scanner.run();
    let mut tokens = scanner.tokens;
    imports::mark_imports(&mut tokens, text, rules.spec);
    TokenizedFile {
        tokens,
        comments: scanner.comments,
    }
}

#[cfg(test)]
mod tests;
