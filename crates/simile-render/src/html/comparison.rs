//! The static part of a comparison's section: file cards, scores, verdict, coverage bars,
//! region counts, the units, renames and licences ([`super::structure`]) and warnings. The interactive view (`report.js`) fills the `.viewer` element.

use super::{Page, View, esc, esc_attr};
use crate::util::{group_thousands, line_range, percent};
use simile::report::{Comparison, FileInfo};
use std::fmt::Write;

/// Add the section of comparison `c` (found at JSON pointer `pointer` in the report) to the
/// page, as the element with id `id`.
pub(crate) fn section(page: &mut Page, c: &Comparison, id: &str, pointer: &str) {
    let b = &mut page.body;
    let _ = write!(
        b,
        "<section class=\"comparison\" id=\"{}\">\n<div class=\"summary\">\n<div class=\"files\">\n",
        esc_attr(id)
    );
    file_card(b, "A", "a", &c.a);
    file_card(b, "B", "b", &c.b);
    b.push_str("</div>\n");
    scores(b, c);
    b.push_str("</div>\n");
    super::structure::facts(b, c);
    warnings(b, c);
    b.push_str(
        "<div class=\"viewer\"><noscript><p class=\"noscript\">The side-by-side view needs JavaScript; \
         the summary above is complete without it.</p></noscript></div>\n</section>\n",
    );
    page.views.push(View {
        id: id.to_string(),
        pointer: pointer.to_string(),
        focus: None,
    });
    page.paths.insert(c.a.path.clone());
    page.paths.insert(c.b.path.clone());
}

fn file_card(b: &mut String, label: &str, class: &str, f: &FileInfo) {
    let encoding = match f.encoding {
        simile::source::Encoding::Utf8 => String::new(),
        other => format!(" · {}", esc(&crate::util::encoding_name(other))),
    };
    let _ = writeln!(
        b,
        "<div class=\"file file-{class}\"><span class=\"side side-{class}\">{label}</span>\
         <code class=\"path\" title=\"{}\">{}</code>\
         <span class=\"meta\">{} · {} lines · {} tokens · {} bytes{encoding}</span></div>",
        esc_attr(&f.path),
        esc(&f.path),
        esc(f.language.name()),
        group_thousands(f.lines as u64),
        group_thousands(f.tokens as u64),
        group_thousands(f.bytes),
    );
}

fn scores(b: &mut String, c: &Comparison) {
    let s = &c.scores;
    let verdict = c.verdict.as_str();
    let _ = write!(
        b,
        "<div class=\"scores\">\n<div class=\"score-main\"><div class=\"big\">{}</div><div class=\"label\">similarity</div></div>\n\
         <div class=\"verdict verdict-{verdict}\" title=\"{}\">{}</div>\n<div class=\"coverage\">\n",
        percent(s.similarity),
        esc_attr(verdict_explanation(verdict)),
        verdict.replace('-', " ")
    );
    for (label, class, value) in [("A", "a", s.coverage_a), ("B", "b", s.coverage_b)] {
        let _ = writeln!(
            b,
            "<div class=\"cov\"><span class=\"cov-label\">{label} covered</span>\
             <span class=\"bar\"><span class=\"fill fill-{class}\" style=\"width:{:.2}%\"></span></span>\
             <span class=\"cov-value\">{}</span></div>",
            value * 100.0,
            percent(value)
        );
    }
    b.push_str("</div>\n<dl class=\"facts\">\n");
    let sum = &c.summary;
    let _ = write!(
        b,
        "<div><dt>matched</dt><dd>{} tokens · {} / {} lines</dd></div>\n\
         <div><dt>regions</dt><dd><span class=\"k-identical\">{} identical</span> · <span class=\"k-renamed\">{} renamed</span> · <span class=\"k-edited\">{} edited</span>{}</dd></div>\n",
        group_thousands(s.matched_tokens as u64),
        group_thousands(s.matched_lines_a as u64),
        group_thousands(s.matched_lines_b as u64),
        sum.identical,
        sum.renamed,
        sum.edited,
        if sum.moved > 0 {
            format!(" · <span class=\"k-moved\">{} moved</span>", sum.moved)
        } else {
            String::new()
        }
    );
    if let Some(l) = &s.longest_fragment {
        let _ = writeln!(
            b,
            "<div><dt>longest</dt><dd>{} tokens · A {} ↔ B {}</dd></div>",
            group_thousands(l.tokens as u64),
            line_range(l.a),
            line_range(l.b)
        );
    }
    let only =
        |ranges: &[simile::report::LineRange]| -> u32 { ranges.iter().map(|r| r.len()).sum() };
    let _ = write!(
        b,
        "<div><dt>only in A / B</dt><dd>{} / {} lines</dd></div>\n</dl>\n</div>\n",
        group_thousands(only(&c.only_in_a) as u64),
        group_thousands(only(&c.only_in_b) as u64)
    );
}

fn verdict_explanation(verdict: &str) -> &'static str {
    match verdict {
        "identical" => "every token matches, in order",
        "near-identical" => "similarity of at least 90%",
        "derived" => "similarity of at least 50%, or one file at least 70% covered",
        "shares-fragments" => "some code matches",
        _ => "nothing matches",
    }
}

fn warnings(b: &mut String, c: &Comparison) {
    if c.warnings.is_empty() {
        return;
    }
    b.push_str("<ul class=\"warnings\">\n");
    for w in &c.warnings {
        let path = w
            .path
            .as_deref()
            .map(|p| format!("<code>{}</code>: ", esc(p)))
            .unwrap_or_default();
        let _ = writeln!(b, "<li>{path}{}</li>", esc(&w.message));
    }
    b.push_str("</ul>\n");
}
