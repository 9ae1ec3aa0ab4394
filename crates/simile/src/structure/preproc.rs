//! Reading a C-family token stream the way the first branch of every `#if` sees it.
//!
//! Code like `#ifdef X\nint f(int a) {\n#else\nint f(int a, int b) {\n#endif` has two opening
//! braces for one closing brace. Counting braces in the first branch only (what a compiler
//! with every condition true would see, and what ctags does) keeps the nesting right. Used by
//! the chunker and by the heuristic.

use crate::lex::{Token, TokenFlags};

/// A conditional or other directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// `#if`, `#ifdef`, `#ifndef`.
    If,
    /// `#else`, `#elif`, `#elifdef`, `#elifndef`.
    Else,
    /// `#endif`.
    Endif,
    /// Any other directive (`#define`, `#include`, `#pragma`, ...).
    Other,
}

/// What the walk reports, in token order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Token `index` is code in the first branch of every enclosing conditional.
    Code(usize),
    /// A directive line starts at token `index`; `depth` is the conditional nesting after it.
    Directive {
        /// First token of the line (the `#`).
        index: usize,
        /// Which directive.
        kind: Directive,
        /// Number of open conditionals after this line.
        depth: usize,
    },
}

/// Walk `tokens`, calling `f` for every directive and every token of live code. Tokens of
/// directive lines and of `#else` branches are not reported as code.
pub fn walk(tokens: &[Token], text: &str, mut f: impl FnMut(Event)) {
    let bytes = text.as_bytes();
    // For each open conditional: whether we are in its first branch.
    let mut stack: Vec<bool> = Vec::new();
    let mut dead = 0usize; // open conditionals currently in a later branch
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.flags.has(TokenFlags::PREPROCESSOR) && bytes.get(t.start as usize) == Some(&b'#') {
            let kind = match tokens.get(i + 1).map(|n| n.text(text)) {
                Some("if" | "ifdef" | "ifndef") => Directive::If,
                Some("else" | "elif" | "elifdef" | "elifndef") => Directive::Else,
                Some("endif") => Directive::Endif,
                _ => Directive::Other,
            };
            match kind {
                Directive::If => stack.push(true),
                Directive::Else => {
                    if let Some(first) = stack.last_mut()
                        && *first
                    {
                        *first = false;
                        dead += 1;
                    }
                }
                Directive::Endif => {
                    if let Some(first) = stack.pop()
                        && !first
                    {
                        dead -= 1;
                    }
                }
                Directive::Other => {}
            }
            f(Event::Directive {
                index: i,
                kind,
                depth: stack.len(),
            });
            // Skip the rest of the directive line (continuation lines included).
            let line_end = directive_end(tokens, i);
            i = line_end;
            continue;
        }
        if dead == 0 && !t.flags.has(TokenFlags::PREPROCESSOR) {
            f(Event::Code(i));
        }
        i += 1;
    }
}

/// One past the last token of the directive starting at `i`: the flagged run, up to the next
/// line-leading `#`.
fn directive_end(tokens: &[Token], i: usize) -> usize {
    let line = tokens[i].line;
    let mut j = i + 1;
    while j < tokens.len() && tokens[j].flags.has(TokenFlags::PREPROCESSOR) {
        // A new directive on a later line starts its own run (two directives back to back
        // are both flagged).
        if tokens[j].line != line && is_hash(tokens, j) {
            break;
        }
        j += 1;
    }
    j
}

fn is_hash(tokens: &[Token], j: usize) -> bool {
    // A directive's `#` is always a one-byte punctuation token.
    tokens[j].end - tokens[j].start == 1 && tokens[j].kind == crate::lex::TokenKind::Punctuation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use crate::source::SourceFile;

    #[test]
    fn later_branches_are_skipped() {
        let src =
            "#ifdef X\nint f(int a) {\n#else\nint f(int a, int b) {\n#endif\n  return a;\n}\n";
        let f = SourceFile::from_text("a.c", src, None);
        let tokens = tokenize(&f).tokens;
        let mut code = Vec::new();
        let mut depths = Vec::new();
        walk(&tokens, &f.text, |e| match e {
            Event::Code(i) => code.push(tokens[i].text(&f.text).to_owned()),
            Event::Directive { depth, .. } => depths.push(depth),
        });
        assert_eq!(
            code.join(" "),
            "int f ( int a ) { return a ; }",
            "only the first branch"
        );
        assert_eq!(depths, [1, 1, 0]);
    }
}
