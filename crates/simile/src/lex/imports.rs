//! Marking include/import statements, so corpus search can keep them from counting: every file
//! of a project shares its import list, which says nothing about derived code.

use super::spec::LexSpec;
use super::token::{Token, TokenFlags};

/// Set [`TokenFlags::IMPORT`] on every token of an import statement: from an import word that
/// starts a statement to the `;` or the end of the line, whichever comes first outside brackets
/// (so Go's `import ( ... )` and Python's `from x import (a,\n b)` are covered whole).
pub(crate) fn mark_imports(tokens: &mut [Token], text: &str, spec: &LexSpec) {
    if spec.import_words.is_empty() {
        return;
    }
    // The lengths of the import words, as bits: nearly every token is ruled out by its length
    // alone, before its text is read (comparing every token's text with every import word
    // was 8% of tokenizing zstd's C).
    let lengths = spec
        .import_words
        .iter()
        .fold(0u64, |bits, w| bits | 1 << w.len().min(63));
    let mut i = 0;
    while i < tokens.len() {
        if lengths & 1 << tokens[i].len().min(63) == 0 {
            i += 1;
        } else if starts_statement(tokens, text, i) && is_import_word(tokens, text, spec, i) {
            i = mark_statement(tokens, text, i);
        } else {
            i += 1;
        }
    }
}

fn starts_statement(tokens: &[Token], text: &str, i: usize) -> bool {
    i == 0
        || tokens[i - 1].line != tokens[i].line
        || matches!(tokens[i - 1].text(text), ";" | "{" | "}")
}

fn is_import_word(tokens: &[Token], text: &str, spec: &LexSpec, i: usize) -> bool {
    let word = tokens[i].text(text);
    if !spec.import_words.contains(&word) {
        return false;
    }
    let next = tokens.get(i + 1).map(|t| t.text(text));
    if next.is_some_and(uses_a_value) {
        return false;
    }
    match word {
        // `using (var x = ...)`, `import(...)`, JavaScript's `import.meta.url`: expressions, not
        // imports; but Go's `import ( "fmt" ... )` and `import . "fmt"` import. (Python's
        // `from . import x` and `from .m import x` do too, so only `import` is tested for `.`.)
        "import" if spec.grouped_imports => true,
        "using" | "import" => !matches!(next, Some("(" | "." | "?.")),
        // Rust `extern crate x;`, not `extern "C" { ... }`.
        "extern" => next == Some("crate"),
        _ => true,
    }
}

/// Whether a word followed by `next` is a value being used, not an import: assigned
/// (`import = 5;`, `include += 1;` in C++, where the word is an ordinary identifier) or an
/// expression ending there (`load;`, `require,`). No import statement of any language continues
/// this way.
fn uses_a_value(next: &str) -> bool {
    let assignment = next.len() > 1
        && next.ends_with('=')
        && !matches!(next, "==" | "!=" | "<=" | ">=" | "===" | "!==");
    assignment || matches!(next, "=" | ";" | "," | ")" | "]")
}

/// Marks the statement starting at `start`; returns the index after it.
fn mark_statement(tokens: &mut [Token], text: &str, start: usize) -> usize {
    let mut depth = 0i32;
    let mut i = start;
    while i < tokens.len() {
        tokens[i].flags.0 |= TokenFlags::IMPORT;
        let t = tokens[i].text(text);
        match t {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
        i += 1;
        if (t == ";" && depth <= 0) || depth < 0 {
            break;
        }
        let line_ends = tokens.get(i).is_none_or(|n| n.line != tokens[i - 1].line);
        if line_ends && depth <= 0 {
            break;
        }
    }
    i
}
