//! Making file content safe to print on a terminal: a file may hold escape sequences that would
//! recolour, move the cursor, or rewrite the title of the reader's terminal.

use std::borrow::Cow;

/// `s` with control characters (other than tab) shown as Unicode control pictures or `\u{..}`
/// escapes, so no byte of a file can act on the terminal. Tabs are expanded to spaces so
/// columns line up.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            // U+2400..U+241F are the "control pictures": ␛ for ESC, ␀ for NUL.
            '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\x7f' => out.push('\u{2421}'),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Bidirectional overrides can make code read differently from what it is ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        let hostile = "a\x1b[31mred\x1b]0;title\x07 \u{202e}evil\u{9b}x";
        let safe = terminal_safe(hostile);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert!(safe.contains("␛[31mred"));
        assert!(safe.contains("\\u{202e}"));
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(terminal_safe("int x = 1;"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("\tx"), "    x");
    }
}
