//! Hostile content and hostile file names through every output format, end to end, for
//! `compare` and for `find` (with `--compare`): script tags, event-handler attributes,
//! `javascript:` URLs, Markdown and HTML injection, terminal escape sequences, bidirectional
//! overrides, spreadsheet formulas, and names with line breaks, quotes and bytes that are not
//! UTF-8. Whatever a file holds or is called must stay data: the terminal report passes no
//! control character through, the HTML page runs only its own script, Markdown keeps code in
//! code, SARIF, JSON and SCANOSS are valid JSON that names the files exactly, CSV cells never
//! start a formula nor hold a control character, and the unified diff keeps one header per
//! line with names git-quoted (its content lines are the files' bytes: a patch must be). The browser test
//! (tests/browser/report.test.mjs) opens such pages and checks that nothing runs.

mod common;

use common::*;
use serde_json::Value;
use std::ffi::OsString;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

const FORMATS: [&str; 8] = [
    "text", "json", "markdown", "html", "sarif", "csv", "diff", "scanoss",
];

/// Code whose comments and strings carry every kind of payload, repeated so it forms regions.
fn hostile_code(variant: &str) -> String {
    let payload = [
        "/* </script><script>alert('content')</script> <img src=x onerror=\"alert(1)\"> */",
        "char *url = \"javascript:alert(2)\"; /* <a href=\"javascript:alert(3)\">x</a> */",
        "char *md = \"](javascript:alert(4)) | --- | <b>bold</b> ``` ~~~ \\n# Heading\";",
        "char *esc = \"\x1b]0;pwned\x07\x1b[2J\x1b[31mred\u{9b}31m\"; /* \u{202e} evil \u{202c} */",
        "char *formula = \"=HYPERLINK(\\\"http://evil\\\")\"; /* @SUM(A1) +1 -1 */",
    ]
    .join("\n");
    let body = "int total = 0;\nfor (int i = 0; i < count; i++) {\n    total += values[i] * 31 + key;\n}\nreturn total ^ (total >> 3);\n";
    format!(
        "{payload}\nint sum_{variant}(int *values, int count, int key) {{\n{body}}}\n{payload}\nint again_{variant}(int *values, int count, int key) {{\n{body}}}\n"
    )
}

/// File names with a line break, quotes, markup, a formula, an escape sequence and a byte that
/// is not UTF-8 (shown as `\xFF`).
fn hostile_names() -> (OsString, OsString) {
    // No `/` in a name: `<script>` stays unclosed (a browser still runs what follows).
    let a = b"=cmd|' -C calc'!A1 <script>alert(5)\n# heading.c".to_vec();
    let mut b = b"\"><img src=x onerror=alert(6)>'\x1b[31m[x](javascript:alert(7)) ".to_vec();
    b.extend_from_slice(b"\xff.c");
    (OsString::from_vec(a), OsString::from_vec(b))
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = hostile_names();
    let a = dir.path().join(a);
    fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let b = dir.path().join("corpus").join(b);
    fs::write(&a, hostile_code("one")).unwrap();
    fs::write(&b, hostile_code("two")).unwrap();
    // Distractors, so the find report has a ranking.
    fs::write(
        dir.path().join("corpus/plain.c"),
        "int main(void) { return 0; }\n",
    )
    .unwrap();
    (dir, a, b)
}

fn run(dir: &Path, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = simile()
        .current_dir(dir)
        .args(args)
        .args(["--color", "always"])
        .env("COLUMNS", "100")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe(&out.stderr, "stderr");
    out.stdout
}

/// The outputs of `compare A B` and `find A --in corpus --compare`, in every format.
fn outputs() -> Vec<(String, &'static str, Vec<u8>)> {
    let (dir, a, b) = setup();
    let rel_a = a.strip_prefix(dir.path()).unwrap().as_os_str().to_owned();
    let rel_b = b.strip_prefix(dir.path()).unwrap().as_os_str().to_owned();
    let mut all = Vec::new();
    for format in FORMATS {
        let compare: Vec<&std::ffi::OsStr> = vec![
            "compare".as_ref(),
            &rel_a,
            &rel_b,
            "-f".as_ref(),
            format.as_ref(),
            "--full".as_ref(),
        ];
        all.push(("compare".to_string(), format, run(dir.path(), &compare)));
        let find: Vec<&std::ffi::OsStr> = vec![
            "find".as_ref(),
            &rel_a,
            "--in".as_ref(),
            "corpus".as_ref(),
            "--compare".as_ref(),
            "-f".as_ref(),
            format.as_ref(),
        ];
        all.push(("find".to_string(), format, run(dir.path(), &find)));
    }
    all
}

/// No control character but the line break (and, with `--color always`, the SGR colour codes
/// simile writes itself) and no bidirectional override.
fn assert_terminal_safe(out: &[u8], what: &str) {
    let text = String::from_utf8(out.to_vec()).expect("UTF-8 output");
    // simile's own colours: ESC [ digits and ; then m. Anything else after an ESC is from a file.
    let mut rest = text.as_str();
    while let Some(at) = rest.find('\x1b') {
        let tail = &rest[at + 1..];
        let sgr = tail.strip_prefix('[').and_then(|t| {
            let end = t.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            t[end..].starts_with('m').then_some(end + 2)
        });
        let Some(len) = sgr else {
            panic!(
                "{what}: a raw escape sequence: {:?}",
                &rest[at..(at + 12).min(rest.len())]
            );
        };
        rest = &tail[len..];
    }
    let stripped = strip_sgr(&text);
    if let Some(c) = stripped.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{what}: control character {c:?} passed through");
    }
    for payload in ["pwned\x07", "\x1b]0;"] {
        assert!(!text.contains(payload), "{what}: {payload:?}");
    }
}

fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Markdown with every code block and code span removed: what a viewer renders as markup.
fn markdown_outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) && trimmed.trim_start_matches('`').trim().is_empty()
            {
                fence = None;
            }
            continue;
        }
        let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
        if ticks >= 3 {
            fence = Some("`".repeat(ticks));
            continue;
        }
        out.push_str(&without_code_spans(line));
        out.push('\n');
    }
    assert!(fence.is_none(), "a code block is never closed");
    out
}

fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let n = after.len() - after.trim_start_matches('`').len();
        let body = &after[n..];
        // The span ends at the next run of exactly n backticks.
        let mut search = 0;
        let mut end = None;
        while let Some(k) = body[search..].find('`') {
            let at = search + k;
            let run = body[at..].len() - body[at..].trim_start_matches('`').len();
            if run == n {
                end = Some(at + n);
                break;
            }
            search = at + run;
        }
        match end {
            Some(e) => rest = &body[e..],
            None => {
                // Not a span: the backticks are literal.
                out.push_str(&after[..n]);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn hostile_content_and_names_stay_data_in_every_format() {
    let outputs = outputs();
    assert_eq!(outputs.len(), 16);
    for (command, format, out) in &outputs {
        let what = format!("{command} -f {format}");
        let text = String::from_utf8(out.clone()).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
        assert!(!text.is_empty(), "{what}: empty");
        match *format {
            "text" => {
                assert_terminal_safe(out, &what);
                // The names are shown, as pictures where they hold control characters.
                assert!(text.contains("<script>alert(5)␊# heading.c"), "{what}");
                assert!(text.contains("\\xFF.c"), "{what}");
                // ... and the content too, as pictures.
                assert!(
                    text.contains("␛]0;pwned␇␛[2J"),
                    "{what}: the code is not shown"
                );
            }
            "html" => {
                let lower = text.to_ascii_lowercase();
                assert_eq!(
                    lower.matches("<script").count(),
                    2,
                    "{what}: a script from a file"
                );
                assert_eq!(lower.matches("</script").count(), 2, "{what}");
                for tag in html_tags(&text) {
                    let lower = tag.to_ascii_lowercase();
                    let name: String = lower
                        .trim_start_matches(['<', '/'])
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    assert!(
                        !["img", "svg", "iframe", "object", "embed", "script"]
                            .contains(&name.as_str()),
                        "{what}: a <{name}> element from a file: {tag}"
                    );
                    for (attr, value) in attributes(&lower) {
                        assert!(!attr.starts_with("on"), "{what}: {attr}= in {tag}");
                        if ["href", "src", "action", "formaction", "xlink:href"]
                            .contains(&attr.as_str())
                        {
                            assert!(
                                !value.trim_start().starts_with("javascript:"),
                                "{what}: {tag}"
                            );
                        }
                    }
                }
                assert!(!text.contains("<b>bold"), "{what}: markup from a file");
                // The code is in the page's data, its escape and `<` escaped for JSON in HTML.
                assert!(
                    text.contains("\\u001b]0;pwned\\u0007"),
                    "{what}: the code is not in the page"
                );
                assert!(
                    text.contains("content=\"default-src 'none'; script-src 'sha256-"),
                    "{what}: the Content-Security-Policy"
                );
                assert!(!text.contains('\x1b'), "{what}: a raw escape byte");
            }
            "markdown" => {
                let markup = markdown_outside_code(&text);
                let lower = markup.to_ascii_lowercase();
                for raw in [
                    "<script",
                    "<img",
                    "<a ",
                    "<b>bold",
                    "javascript:",
                    "](",
                    "\x1b",
                ] {
                    assert!(
                        !lower.contains(raw),
                        "{what}: {raw:?} outside code:\n{markup}"
                    );
                }
                // A name's line break cannot start a heading of its own.
                for line in markup.lines() {
                    assert!(!line.starts_with("# heading"), "{what}: {line}");
                }
                assert!(!text.contains('\x1b'), "{what}");
            }
            "json" | "sarif" | "scanoss" => {
                let value: Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
                let flat = value.to_string();
                assert!(
                    flat.contains("<script>alert(5)\\n# heading.c"),
                    "{what}: the name is kept exactly"
                );
                assert!(
                    flat.contains("\\\\xFF.c"),
                    "{what}: a byte that is not UTF-8"
                );
                if *format == "sarif" {
                    sarif_uris_are_uris(&value, &what);
                }
            }
            "csv" => {
                assert!(!text.contains('\x1b'), "{what}: a raw escape byte");
                for (i, cell) in csv_cells(&text).iter().enumerate() {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@']),
                        "{what}: cell {i} starts a formula: {cell:?}"
                    );
                }
            }
            "diff" => {
                // Content lines reproduce the files' bytes, escape sequences included, as `git
                // diff` does: a patch must, to apply. Names are git-quoted (`"a\033[2J..."`).
                for line in text.lines().filter(|l| {
                    !l.starts_with([' ', '+', '-'])
                        || l.starts_with("--- ")
                        || l.starts_with("+++ ")
                }) {
                    assert!(
                        !line.chars().any(|c| c.is_control()),
                        "{what}: a control character outside content: {line:?}"
                    );
                }
                for line in text
                    .lines()
                    .filter(|l| l.starts_with("--- ") || l.starts_with("+++ "))
                {
                    assert!(
                        line.starts_with("--- \"")
                            || line.starts_with("+++ \"")
                            || !line.contains("heading"),
                        "{what}: a name with a line break is quoted: {line}"
                    );
                }
                assert!(
                    !text
                        .lines()
                        .any(|l| l == "# heading.c" || l == "# heading.c\""),
                    "{what}: a name's line break split a header"
                );
            }
            _ => unreachable!(),
        }
    }
}

/// The tags of an HTML page outside its own `<script>` and `<style>` elements.
fn html_tags(page: &str) -> Vec<String> {
    let mut body = String::new();
    let mut rest = page;
    // The page's two script elements and its style element hold code, not markup.
    while let Some(start) = rest.find("<script").or_else(|| rest.find("<style")) {
        let close = if rest[start..].starts_with("<script") {
            "</script>"
        } else {
            "</style>"
        };
        body.push_str(&rest[..start]);
        let end = rest[start..].find(close).expect("closed") + start + close.len();
        rest = &rest[end..];
    }
    body.push_str(rest);
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(k) = body[at..].find('<') {
        let start = at + k;
        let end = body[start..]
            .find('>')
            .map_or(body.len(), |e| start + e + 1);
        tags.push(body[start..end].to_string());
        at = end;
    }
    tags
}

/// The (name, value) attributes of a tag such as `<a href="x" title='y' hidden>`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut chars = inner.chars().peekable();
    // The element name.
    while chars.next_if(|c| !c.is_whitespace()).is_some() {}
    let mut out = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/') {
            name.push(c);
        }
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(q) => {
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name, value));
    }
    out
}

/// Every `uri` in a SARIF log is a URI reference: no space, quote, angle bracket, control or
/// non-ASCII character (they are percent-encoded).
fn sarif_uris_are_uris(value: &Value, what: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "uri" {
                    let uri = v.as_str().unwrap();
                    assert!(
                        uri.chars().all(|c| c.is_ascii_graphic()
                            && !matches!(c, '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')),
                        "{what}: uri {uri:?}"
                    );
                }
                sarif_uris_are_uris(v, what);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| sarif_uris_are_uris(v, what)),
        _ => {}
    }
}

/// The cells of an RFC 4180 document.
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',' | '\n') => cells.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() {
        cells.push(cell);
    }
    cells
}
