//! The HTML report: one self-contained page (inline CSS and JavaScript, no network) to open
//! in a browser or attach to a ticket.
//!
//! The page is built in two layers:
//! - **Static HTML** written here: the header of each comparison (paths, languages, scores,
//!   verdict, coverage bars, warnings; `comparison.rs`), and for a search the ranked matches of
//!   each query with score bars, the corpus summary and the skipped files (`find.rs`). Every
//!   path and name is HTML-escaped; it reads complete without JavaScript.
//! - **The interactive view** drawn by `report.js` from a JSON block in the page: the sources
//!   side by side with line numbers, each region in its own colour on both sides, the dotplot,
//!   the list of regions, and scroll synchronisation. Only the rows in sight are in the DOM
//!   (virtual scrolling), so two 250,000-line files open as quickly as two small ones. A page
//!   with several comparisons (a search of many queries with `--compare`) draws each one when
//!   it comes near the viewport or a link leads to it.
//!
//! Safety: code and paths reach the DOM only through `textContent`, never as markup. The JSON
//! block escapes `<`, `>` and `&` as `\u003c`-style escapes, so no file content can close the
//! `<script>` element that holds it. A Content-Security-Policy allows no network access at all
//! and runs only the page's own script (by its SHA-256 hash), so even markup that slipped
//! through could not execute.
//!
//! Layout of the data block, which later report kinds extend:
//! `{"report": <the JSON report>, "sources": {"<path>": ["line 1", ...]}, "views": [{"id":
//! "<section element id>", "pointer": "<JSON pointer to a comparison in report>", "focus":
//! <region index, optional>}]}`. One view per comparison shown; a view with a `focus` opens on
//! that region. A `find` page lists its ranked files and adds a view per comparison
//! (`"pointer": "/find/queries/<i>/comparison"`, the section `cmp-<i + 1>`); a `clones` page
//! (`clones.rs`) adds one per listed pair (`"/clones/pairs/<i>/comparison"`, the section
//! `cmp-<rank>`), open on the pair's largest region, and draws its cluster graph and heatmap
//! as static SVG whose edges and cells link to those sections.

mod clones;
mod comparison;
mod find;
mod structure;

use crate::{Document, SourceSet};
use base64::Engine;
use serde::Serialize;
use serde::ser::SerializeSeq;
use sha2::Digest;
use simile::report::ReportBody;
use std::collections::BTreeSet;
use std::io::{self, Write};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Write the HTML report.
pub fn render(doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut page = Page::default();
    match &doc.report.body {
        ReportBody::Comparison { comparison } => {
            page.title = format!("simile: {} ↔ {}", comparison.a.path, comparison.b.path);
            comparison::section(&mut page, comparison, "cmp-1", "/comparison");
        }
        ReportBody::Clones { clones } => clones::sections(&mut page, clones),
        ReportBody::Find { find } => find::sections(&mut page, find),
    }
    page.write(doc, out)
}

/// A page under construction: static HTML sections and the views the script draws.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Text of `<title>` (unescaped).
    pub title: String,
    /// Static HTML of the body (escaped already).
    pub body: String,
    /// Interactive views.
    pub views: Vec<View>,
    /// Files whose text the page embeds.
    pub paths: BTreeSet<String>,
    /// Style for this report kind only, after the shared style.
    pub extra_css: &'static str,
}

/// A comparison the script draws into the element with id `id`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct View {
    pub id: String,
    pub pointer: String,
    /// The region (index into the comparison's regions) the view opens on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<usize>,
}

impl Page {
    fn write(&self, doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
        let generator = &doc.report.generator;
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
             <meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>\n{CSS}{}</style>\n</head>\n<body>\n",
            content_security_policy(),
            esc_attr(&generator.name),
            esc_attr(&generator.version),
            esc(&self.title),
            self.extra_css
        )?;
        write!(
            out,
            "<header class=\"topbar\"><span class=\"brand\">simile</span><span class=\"tagline\">which file is this one similar to, and how exactly do they differ?</span><span class=\"version\">{} {}</span></header>\n<main>\n",
            esc(&generator.name),
            esc(&generator.version)
        )?;
        out.write_all(self.body.as_bytes())?;
        out.write_all(b"</main>\n<script type=\"application/json\" id=\"simile-data\">")?;
        self.write_data(doc, &mut ScriptSafe(&mut *out))?;
        write!(out, "</script>\n<script>{JS}</script>\n</body>\n</html>\n")
    }

    /// The JSON block: report, the embedded sources, and the views.
    fn write_data(&self, doc: &Document<'_>, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct Data<'a> {
            report: &'a simile::report::Report,
            sources: Sources<'a>,
            views: &'a [View],
        }
        let data = Data {
            report: doc.report,
            sources: Sources {
                set: doc.sources,
                paths: &self.paths,
            },
            views: &self.views,
        };
        serde_json::to_writer(out, &data).map_err(io::Error::from)
    }
}

/// `{"path": ["line", ...]}` for the paths the page shows, streamed without copying the text.
struct Sources<'a> {
    set: &'a SourceSet,
    paths: &'a BTreeSet<String>,
}

impl Serialize for Sources<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for path in self.paths {
            if let Some(file) = self.set.get(path) {
                map.serialize_entry(path, &Lines(file))?;
            }
        }
        map.end()
    }
}

struct Lines<'a>(&'a simile::SourceFile);

impl Serialize for Lines<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0.line_count();
        let mut seq = s.serialize_seq(Some(n as usize))?;
        for line in 1..=n {
            seq.serialize_element(self.0.line_text(line))?;
        }
        seq.end()
    }
}

/// A writer for JSON inside `<script>`: `<`, `>` and `&` (which JSON only has inside strings)
/// become `\u003c`, `\u003e`, `\u0026`, so `</script>` or `<!--` in a file cannot end the block.
struct ScriptSafe<'a>(&'a mut dyn Write);

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// The skipped files: counts by reason, and every file in a closed `<details>`.
pub(crate) fn skipped_section(b: &mut String, s: &simile::report::SkippedSummary) {
    use crate::util::{group_thousands, skip_detail};
    use std::fmt::Write;
    if s.total == 0 {
        return;
    }
    let reasons: Vec<String> = s
        .by_reason
        .iter()
        .map(|r| format!("{} {}", group_thousands(r.count), esc(r.reason.as_str())))
        .collect();
    let _ = write!(
        b,
        "<section class=\"skipped\" id=\"skipped\"><details><summary>Skipped {} file(s): {}</summary>\n\
         <table><thead><tr><th>file</th><th>reason</th><th>detail</th></tr></thead><tbody>\n",
        group_thousands(s.total),
        reasons.join(", ")
    );
    for f in &s.files {
        let _ = writeln!(
            b,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&f.path),
            esc(f.reason.as_str()),
            esc(skip_detail(f))
        );
    }
    b.push_str("</tbody></table></details></section>\n");
}

/// No network, no plugins, no frames; only the page's own script (by hash) runs.
fn content_security_policy() -> String {
    let hash = sha2::Sha256::digest(JS.as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(hash);
    format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
}

/// Text for HTML element content. Control characters (an escape sequence in a file name)
/// are shown as their pictures and bidirectional overrides as `\u{..}`, as on the terminal:
/// a name must not hide or reorder what the page says.
pub(crate) fn esc(s: &str) -> String {
    html_escape::encode_safe(&crate::terminal_safe(s)).into_owned()
}

/// Text for a double-quoted HTML attribute, made visible as [`esc`] does.
pub(crate) fn esc_attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&crate::terminal_safe(s)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_block_cannot_be_closed_by_data() {
        let mut out = Vec::new();
        ScriptSafe(&mut out)
            .write_all(br#"["</script><script>alert(1)</script>", "a && b > c"]"#)
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
    }

    #[test]
    fn control_characters_in_text_are_shown_not_obeyed() {
        assert_eq!(esc("a\x1b[31m<b>"), "a␛[31m&lt;b&gt;");
        assert_eq!(esc_attr("\u{202e}\"x"), "\\u{202e}&quot;x");
    }

    #[test]
    fn the_script_does_not_close_itself() {
        assert!(!JS.to_ascii_lowercase().contains("</script"));
        assert!(!CSS.to_ascii_lowercase().contains("</style"));
        assert!(
            !include_str!("clones.css")
                .to_ascii_lowercase()
                .contains("</style")
        );
    }
}
