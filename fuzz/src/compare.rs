//! Target `compare`: winnowing, alignment, structure (tree-sitter), renames, licences and every
//! renderer, on an arbitrary pair of files.
//!
//! Input: byte 0 picks the language of both files, byte 1 the settings (the defaults, or small
//! k, w and region minimums that make every short run a match), bytes 2-3 where A ends and B
//! begins; the rest are the two files' bytes.
//!
//! Invariants (the engine's property-test invariants, `crates/simile/tests/common`): scores in
//! [0, 1]; regions inside both files, on whole tokens, never overlapping on one side; line
//! ranges that agree with byte spans; a one-to-one token matching whose every pair lies in one
//! region; compare(B, A) mirrors compare(A, B); a file is 1.0 similar to itself. Every format
//! renders; the text report holds no control character but line breaks, and the HTML page no
//! `<script>` element but its own two.

use crate::common::{alignment_violations, mirror_violations, report_violations};
use simile::align::{Side, align};
use simile::fingerprint::FingerprintConfig;
use simile::lex::tokenize;
use simile::report::Report;
use simile::source::{Language, SourceFile};
use simile::{AlignConfig, CompareOptions, compare_with};
use simile_render::{Document, Format, RenderOptions, SourceSet, render};

/// Run the target on one input.
pub fn run(data: &[u8]) {
    let [pick, settings, s0, s1, rest @ ..] = data else {
        return;
    };
    let language = Language::ALL[*pick as usize % Language::ALL.len()];
    let split = u16::from_le_bytes([*s0, *s1]) as usize % (rest.len() + 1);
    let (a, b) = rest.split_at(split);
    let a = named(crate::tokenize::load(a, language), "a");
    let b = named(crate::tokenize::load(b, language), "b");
    check_pair(&a, &b, config(*settings));
}

fn named(mut file: SourceFile, name: &str) -> SourceFile {
    file.name = name.to_string();
    file.path = name.into();
    file
}

/// The settings byte: mostly the defaults, else tiny k and w that turn every short shared run
/// into a fragment (where tie-breaking is hardest).
pub fn config(byte: u8) -> AlignConfig {
    if byte < 128 {
        return AlignConfig::default();
    }
    let k = 1 + (byte as usize & 7);
    let w = 1 + ((byte as usize >> 3) & 3);
    AlignConfig {
        fingerprint: FingerprintConfig { k, w },
        min_fragment_tokens: k,
        min_region_tokens: 1 + (byte as usize >> 5 & 3) * 4,
        max_gap_lines: u32::from(byte & 1) * 3,
        renames: byte & 2 == 0,
    }
}

/// Compare `a` and `b` every way and check every invariant.
pub fn check_pair(a: &SourceFile, b: &SourceFile, config: AlignConfig) {
    let full = compare_with(a, b, &CompareOptions::full(config));
    assert_clean("compare(A, B)", report_violations(&full, a, b));

    let tokens_only = CompareOptions::tokens_only(config);
    let forward = compare_with(a, b, &tokens_only);
    let mirrored = compare_with(b, a, &tokens_only);
    assert_clean("compare(B, A)", mirror_violations(&forward, &mirrored));

    let (ta, tb) = (tokenize(a), tokenize(b));
    let alignment = align(
        Side {
            tokens: &ta.tokens,
            text: &a.text,
            lines: &a.lines,
        },
        Side {
            tokens: &tb.tokens,
            text: &b.text,
            lines: &b.lines,
        },
        &config,
    );
    assert_clean(
        "alignment",
        alignment_violations(&alignment, ta.tokens.len(), tb.tokens.len(), &config),
    );

    if !ta.tokens.is_empty() {
        let itself = compare_with(a, a, &tokens_only);
        assert_eq!(
            itself.scores.similarity, 1.0,
            "A is not fully similar to itself"
        );
    }

    render_everything(full, a, b);
}

fn assert_clean(what: &str, errors: Vec<String>) {
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

/// Every format, with both text layouts; checks what no content may get into the output.
fn render_everything(comparison: simile::Comparison, a: &SourceFile, b: &SourceFile) {
    let report = Report::comparison(comparison);
    let sources = SourceSet::from_files([a.clone(), b.clone()]);
    let doc = Document {
        report: &report,
        sources: &sources,
    };
    for (name, format) in Format::ALL {
        for side_by_side in [false, true] {
            if side_by_side && format != Format::Text {
                continue;
            }
            let options = RenderOptions {
                full: true,
                side_by_side,
                width: 60,
                ..RenderOptions::default()
            };
            let mut out = Vec::new();
            render(format, &doc, &options, &mut out).unwrap_or_else(|e| panic!("{name}: {e}"));
            match format {
                Format::Text => assert_terminal_safe(&out),
                Format::Html => assert_own_scripts_only(&out),
                _ => {}
            }
        }
    }
}

/// No byte of a file can act on a terminal: no control character but the line break.
pub fn assert_terminal_safe(out: &[u8]) {
    let text = std::str::from_utf8(out).expect("the text report is UTF-8");
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("control character {c:?} in the text report");
    }
}

/// The page's own `<script>` elements (the data block and the program) and no other.
pub fn assert_own_scripts_only(out: &[u8]) {
    let page = String::from_utf8_lossy(out).to_ascii_lowercase();
    assert_eq!(
        page.matches("<script").count(),
        2,
        "a <script> element from content"
    );
    assert_eq!(
        page.matches("</script").count(),
        2,
        "a </script> from content"
    );
}
