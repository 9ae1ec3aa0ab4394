//! `simile clones` in every format, on the clones fixtures (`fixtures/clones/`, see the README
//! there): a tree with a vendored copy, a fork, a renamed copy, a copied function, a block
//! duplicated within a file and a binary file; and four submissions sharing a template.
//! Snapshots pin the text formats; the other tests check what each format promises.

mod common;

use common::{CLONES_SUBMISSIONS, CLONES_TEMPLATE, CLONES_TREE, ClonesRun, clones_report, render};
use simile::report::{Clones, Report, ReportBody};
use simile_render::{Format, RenderOptions, SourceSet};

fn options() -> RenderOptions {
    RenderOptions {
        width: 120,
        ..RenderOptions::default()
    }
}

/// The tree, with renamed copies and blocks looked for and a gate that fails.
fn tree() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        trees: &[CLONES_TREE],
        renamed: true,
        fragments: true,
        fail_over: Some(0.5),
        ..ClonesRun::default()
    })
}

/// The submissions, with the template as base code.
fn submissions() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        trees: &[CLONES_SUBMISSIONS],
        submissions: true,
        ignore: Some(CLONES_TEMPLATE),
        fragments: true,
        ..ClonesRun::default()
    })
}

/// zlib against the rest of the tree, as an upstream against a fork, best matches first.
fn old_new() -> (Report, SourceSet) {
    clones_report(&ClonesRun {
        old_new: Some((
            "tests/fixtures/clones/tree/zlib",
            "tests/fixtures/clones/tree/tools",
        )),
        renamed: true,
        sort: simile::report::PairOrder::BestMatch,
        ..ClonesRun::default()
    })
}

fn clones_of(report: &Report) -> &Clones {
    match &report.body {
        ReportBody::Clones { clones } => clones,
        other => panic!("not a clones report: {other:?}"),
    }
}

/// Every fixture run, by name.
fn fixtures() -> Vec<(&'static str, Report, SourceSet)> {
    let (t, ts) = tree();
    let (s, ss) = submissions();
    let (o, os) = old_new();
    vec![("tree", t, ts), ("submissions", s, ss), ("old-new", o, os)]
}

fn snapshot_all(format: Format, ext: &str) {
    for (name, report, sources) in fixtures() {
        let out = render(&report, &sources, format, &options());
        insta::assert_snapshot!(format!("clones-{name}.{ext}"), out);
    }
}

#[test]
fn text() {
    snapshot_all(Format::Text, "txt");
}

#[test]
fn on_a_narrow_terminal_each_path_gets_a_line_of_its_own() {
    let (report, sources) = tree();
    let shown = |path: &str| {
        path.strip_prefix(&format!("{CLONES_TREE}/"))
            .unwrap_or(path)
            .to_owned()
    };
    let pairs: Vec<(String, String)> = clones_of(&report)
        .pairs
        .iter()
        .map(|p| (shown(&p.a), shown(&p.b)))
        .collect();
    let text = |width| {
        let options = RenderOptions { width, ..options() };
        render(&report, &sources, Format::Text, &options)
    };
    // 60 columns leave no room for two path columns: each row is followed by its paths, whole.
    let narrow = text(60);
    assert!(narrow.lines().all(|l| l.chars().count() <= 60), "{narrow}");
    // Stacked rows wide enough to be shown whole end on their last column, not its padding.
    for width in [60, 70, 80, 90] {
        let text = text(width);
        assert!(
            text.lines().all(|l| !l.ends_with(' ')),
            "no trailing spaces at {width}: {text:?}"
        );
    }
    let lines: Vec<&str> = narrow.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.trim_start().starts_with("#  similarity"))
        .unwrap();
    assert!(
        lines[header].ends_with("verdict"),
        "no path columns: {}",
        lines[header]
    );
    for (i, (a, b)) in pairs.iter().enumerate() {
        let row = header + 1 + 3 * i;
        assert!(
            lines[row].trim_start().starts_with(&format!("{} ", i + 1)),
            "{narrow}"
        );
        assert_eq!(lines[row + 1].trim(), format!("A  {a}"), "{narrow}");
        assert_eq!(lines[row + 2].trim(), format!("B  {b}"), "{narrow}");
    }
    // 120 columns hold both paths beside the numbers.
    let wide = text(120);
    let lines: Vec<&str> = wide.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.trim_start().starts_with("#  similarity"))
        .unwrap();
    for (i, (a, b)) in pairs.iter().enumerate() {
        let row = lines[header + 1 + i];
        assert!(
            row.contains(a.as_str()) && row.ends_with(b.as_str()),
            "{row}"
        );
    }
}

/// With `--licenses` each pair says how its licence changed: a pair without any licence in a
/// line, a pair whose copy lost its licence with each side's under it.
#[test]
fn licences_are_a_line_per_pair_and_a_side_each_when_there_is_one() {
    let (report, sources) = clones_report(&ClonesRun {
        trees: &[CLONES_TREE],
        licenses: true,
        ..ClonesRun::default()
    });
    let text = render(&report, &sources, Format::Text, &options());
    let lines: Vec<&str> = text.lines().collect();
    let after = |k: usize| lines.get(k + 1).copied().unwrap_or("");
    let none: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k] == "   licence  none found")
        .collect();
    assert!(!none.is_empty(), "{text}");
    for k in none {
        assert!(!after(k).trim_start().starts_with("A "), "{text}");
    }
    let removed = lines
        .iter()
        .position(|l| l.starts_with("   licence  REMOVED in B"))
        .expect("the fixture's copy that lost zlib's notice");
    assert!(after(removed).trim_start().starts_with("A Zlib"), "{text}");
    assert_eq!(
        after(removed + 1).trim_start(),
        "B none identified",
        "{text}"
    );
    // Without the flag, no licence lines.
    let (report, sources) = tree();
    let text = render(&report, &sources, Format::Text, &options());
    assert!(!text.contains("   licence  "), "{text}");
}

#[test]
fn the_fixtures_hold_what_the_tests_need() {
    let (report, _) = tree();
    let c = clones_of(&report);
    let kinds: Vec<&str> = c
        .pairs
        .iter()
        .flat_map(|p| p.comparison.regions.iter())
        .map(|r| simile_render_kind(r.kind))
        .collect();
    for kind in ["identical", "renamed", "edited"] {
        assert!(kinds.contains(&kind), "a {kind} region: {kinds:?}");
    }
    let fragments = c.fragments.as_ref().expect("--fragments");
    assert!(fragments.within_file >= 1, "a block within a file");
    assert!(c.gate.as_ref().is_some_and(|g| g.failed), "the gate fails");
    assert_eq!(c.skipped.total, 1, "the binary file is skipped");
    let (report, _) = submissions();
    let c = clones_of(&report);
    assert!(c.submissions.as_ref().is_some_and(|s| !s.pairs.is_empty()));
}

fn simile_render_kind(kind: simile::align::RegionKind) -> &'static str {
    match kind {
        simile::align::RegionKind::Identical => "identical",
        simile::align::RegionKind::Renamed => "renamed",
        simile::align::RegionKind::Edited => "edited",
    }
}

#[test]
fn markdown() {
    snapshot_all(Format::Markdown, "md");
}

#[test]
fn json() {
    snapshot_all(Format::Json, "json");
}

#[test]
fn csv() {
    snapshot_all(Format::Csv, "csv");
}

#[test]
fn sarif() {
    snapshot_all(Format::Sarif, "sarif");
}

#[test]
fn scanoss() {
    snapshot_all(Format::Scanoss, "scanoss.json");
}

#[test]
fn diff() {
    let (report, sources) = tree();
    let out = render(&report, &sources, Format::Diff, &options());
    insta::assert_snapshot!("clones-tree.diff", out);
}

// ------------------------------------------------------------------ the HTML page

/// The JSON data block of a page.
fn data_block(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=\"simile-data\">")
        .unwrap();
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    serde_json::from_str(body).expect("valid JSON")
}

#[test]
fn the_page_has_a_view_per_pair_open_on_its_largest_region() {
    let (report, sources) = tree();
    let c = clones_of(&report);
    let html = render(&report, &sources, Format::Html, &options());
    let data = data_block(&html);
    let views = data["views"].as_array().unwrap();
    assert_eq!(views.len(), c.pairs.len(), "one view per listed pair");
    for (i, (v, p)) in views.iter().zip(&c.pairs).enumerate() {
        let id = format!("cmp-{}", p.rank);
        assert_eq!(v["id"], id.as_str());
        assert_eq!(v["pointer"], format!("/clones/pairs/{i}/comparison"));
        let largest = p
            .comparison
            .regions
            .iter()
            .map(|r| r.matched_tokens)
            .max()
            .unwrap();
        let focus = v["focus"].as_u64().unwrap() as usize;
        assert_eq!(p.comparison.regions[focus].matched_tokens, largest);
        assert!(html.contains(&format!("<section class=\"comparison\" id=\"{id}\">")));
        // From the table (path and button), from the graph or the heatmap.
        assert!(
            html.matches(&format!("href=\"#{id}\"")).count() >= 3,
            "{id} is linked from the table and the picture"
        );
    }
    // Exactly the texts of the listed pairs' files.
    let mut wanted: Vec<&str> = c
        .pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    wanted.sort();
    wanted.dedup();
    let embedded: Vec<&String> = data["sources"].as_object().unwrap().keys().collect();
    assert_eq!(embedded, wanted);
}

#[test]
fn the_picture_draws_every_cluster_and_a_cell_per_pair() {
    let (report, sources) = tree();
    let c = clones_of(&report);
    let html = render(&report, &sources, Format::Html, &options());
    let graph = &html[html.find("<svg class=\"cluster-graph\"").unwrap()..];
    let graph = &graph[..graph.find("</svg>").unwrap()];
    let members: usize = c.clusters.iter().map(|k| k.members.len()).sum();
    assert_eq!(graph.matches("<circle class=\"node\"").count(), members);
    for k in &c.clusters {
        assert!(graph.contains(&format!("href=\"#cluster-{}\"", k.id)));
    }
    // Pairs inside clusters are edges (the tree's two clusters hold four of its pairs).
    assert_eq!(graph.matches("<line class=\"edge").count(), 4);
    let heat = &html[html.find("<svg class=\"heat\"").unwrap()..];
    let heat = &heat[..heat.find("</svg>").unwrap()];
    // A symmetric matrix: two cells per pair.
    assert_eq!(
        heat.matches("<rect class=\"cell\"").count(),
        2 * c.pairs.len()
    );
    assert!(html.contains("Duplication gate failed"));
    assert!(html.contains("id=\"skipped\""));
    assert!(html.contains("id=\"blocks\""));
}

#[test]
fn ranked_by_best_match_the_html_table_says_whose_best_match_each_pair_is() {
    let best_cells = |html: &str| -> Vec<String> {
        html.split("<td class=\"best\">")
            .skip(1)
            .map(|cell| cell[..cell.find("</td>").unwrap()].to_owned())
            .collect()
    };
    let (report, sources) = old_new();
    let html = render(&report, &sources, Format::Html, &options());
    assert!(html.contains(">best match</th>"));
    let pairs = &clones_of(&report).pairs;
    let expected: Vec<&str> = pairs
        .iter()
        .map(|p| match p.best_match {
            simile::report::BestMatch::Both => "both",
            simile::report::BestMatch::A => "A",
            simile::report::BestMatch::B => "B",
            simile::report::BestMatch::Neither => "-",
        })
        .collect();
    assert_eq!(
        best_cells(&html),
        expected,
        "a cell per listed pair, in order"
    );
    assert!(
        expected.contains(&"both"),
        "the fixture has mutual best matches"
    );

    // Ranked by similarity, the column is not there.
    let (report, sources) = tree();
    let html = render(&report, &sources, Format::Html, &options());
    assert!(!html.contains(">best match</th>"));
    assert!(best_cells(&html).is_empty());
}

#[test]
fn submissions_and_old_new_pages_draw_their_own_matrix() {
    let (report, sources) = submissions();
    let html = render(&report, &sources, Format::Html, &options());
    let s = clones_of(&report).submissions.as_ref().unwrap();
    assert_eq!(
        html.matches("<tr id=\"spair-").count(),
        s.pairs.len(),
        "a row per submission pair"
    );
    let heat = &html[html.find("<svg class=\"heat\"").unwrap()..];
    let heat = &heat[..heat.find("</svg>").unwrap()];
    assert!(heat.contains(">alice</text>"), "submissions label the axes");
    assert_eq!(
        heat.matches("<rect class=\"cell\"").count(),
        2 * s.pairs.len()
    );

    let (report, sources) = old_new();
    let html = render(&report, &sources, Format::Html, &options());
    let heat = &html[html.find("<svg class=\"heat\"").unwrap()..];
    let heat = &heat[..heat.find("</svg>").unwrap()];
    assert!(html.contains("old files (rows) against new files (columns)"));
    assert_eq!(
        heat.matches("<rect class=\"cell\"").count(),
        1,
        "old against new: one cell per pair"
    );
    assert!(!heat.contains("class=\"self\""));
}

// ------------------------------------------------------------------ hostile names and code

/// Code that tries to end every context it could be shown in.
const HOSTILE_CODE: &str = "int main(void) {\n  /* </script><script>window.__pwned = 1</script> */\n  char *s = \"</textarea><img src=x onerror=\\\"window.__pwned=2\\\">\";\n  char *t = '<!-- \\' \" & &amp; ]]> [x](javascript:alert(3)) \x1b[31mred\x1b[0m';\n  return run(s, t, \"javascript:alert(4)\");\n}\nint helper(int a, int b) {\n  int total = a * 31 + b * 17;\n  total = total ^ (total >> 3);\n  for (int i = 0; i < a; i++) total += table[i % 7] * b - i;\n  return total + 0x5bd1e995;\n}\n";

/// File names that try the same (a name cannot hold `/`), each holding a copy of the code.
const HOSTILE_NAMES: [&str; 4] = [
    "<script>window.__pwned=5<svg onload=alert(5)>.c",
    "\"><img src=x onerror=alert(6)>'.c",
    "[click](javascript:alert(7)) | `x` *y*.c",
    "\x1b[31mred\x1b]0;title\x07.c",
];

/// A tree of hostile files that all pair with each other (two copies with every name changed,
/// so renames carry hostile text too), run with `--fragments` and a failing gate.
fn hostile() -> (tempfile::TempDir, Report, SourceSet) {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let code = if i % 2 == 0 {
            HOSTILE_CODE.to_string()
        } else {
            HOSTILE_CODE
                .replace("total", "</textarea>x")
                .replace("helper", "`$(rm -rf /)`")
        };
        std::fs::write(dir.path().join(name), code + &"x = y + z;\n".repeat(i)).unwrap();
    }
    let root = dir.path().to_str().unwrap().to_string();
    let (report, sources) = clones_report(&ClonesRun {
        trees: &[&root],
        fragments: true,
        renamed: true,
        fail_over: Some(0.1),
        ..ClonesRun::default()
    });
    assert!(
        clones_of(&report).pairs.len() >= 4,
        "the hostile files pair up"
    );
    (dir, report, sources)
}

#[test]
fn hostile_names_and_code_cannot_act_on_the_terminal() {
    let (_dir, report, sources) = hostile();
    for color in [false, true] {
        let text = render(
            &report,
            &sources,
            Format::Text,
            &RenderOptions { color, ..options() },
        );
        // The only escape sequences are the palette's colours.
        let without_sgr = strip_sgr(&text);
        assert!(
            !without_sgr.chars().any(|c| c.is_control() && c != '\n'),
            "color={color}: a control character reached the terminal:\n{text}"
        );
        assert!(text.contains("␛[31mred␛]0;title␇.c"), "{text}");
    }
}

/// `s` without `ESC [ ... m` colour sequences.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for e in chars.by_ref() {
                if e == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A Markdown line with its code spans taken out (a run of n backticks opens a span that the
/// next run of exactly n backticks closes, as CommonMark reads it).
fn outside_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        let mut j = i + run;
        let mut closed = None;
        while j < chars.len() {
            let r = chars[j..].iter().take_while(|&&c| c == '`').count();
            if r == run {
                closed = Some(j + r);
                break;
            }
            j += r.max(1);
        }
        match closed {
            Some(end) => i = end,
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

#[test]
fn hostile_names_and_code_stay_inside_markdown_code_spans() {
    let (_dir, report, sources) = hostile();
    let md = render(
        &report,
        &sources,
        Format::Markdown,
        &RenderOptions {
            full: true,
            ..options()
        },
    );
    let mut columns = None;
    for line in md.lines() {
        let bare = outside_code_spans(line);
        for bad in [
            "<script",
            "<img",
            "javascript:",
            "](",
            "\x1b",
            "\x07",
            "*y*",
        ] {
            assert!(
                !bare.contains(bad),
                "{bad:?} outside a code span in:\n{line}"
            );
        }
        // Every row of a table has as many cells as its header: no name adds a `|`.
        if line.starts_with('|') {
            let cells = bare.replace("\\|", "").matches('|').count();
            if line.starts_with("|---") || columns.is_none() {
                columns = Some(cells);
            }
            assert_eq!(Some(cells), columns, "{line}");
        } else {
            columns = None;
        }
    }
    // The HTML the report writes itself is the only HTML.
    let bare: String = md.lines().map(outside_code_spans).collect();
    let tags: Vec<&str> = bare
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .collect();
    assert!(
        tags.iter()
            .all(|t| ["details", "/details", "summary", "/summary"].contains(t)),
        "{tags:?}"
    );
}

#[test]
fn hostile_names_and_code_stay_text_in_the_page() {
    let (_dir, report, sources) = hostile();
    let html = render(&report, &sources, Format::Html, &options());
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data block and the page's script"
    );
    assert_eq!(html.matches("</script>").count(), 2);
    for bad in ["<img", "<svg onload", "</textarea", "<!--", "\x1b", "\x07"] {
        assert!(!html.contains(bad), "{bad:?} in the page");
    }
    assert!(html.contains("&lt;script&gt;window.__pwned=5&lt;svg onload=alert(5)&gt;.c"));
    // Every link is to one of the page's own ids.
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(hrefs.len() > 10);
    assert!(
        hrefs.iter().all(|h| h.starts_with('#')
            && h[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')),
        "{hrefs:?}"
    );
    // The data block holds the code as it is.
    let data = data_block(&html);
    let c = clones_of(&report);
    let lines = data["sources"][&c.pairs[0].a].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.as_str().unwrap().contains("</script><script>"))
    );
}

#[test]
fn hostile_names_stay_text_in_sarif() {
    let (_dir, report, sources) = hostile();
    let sarif = render(&report, &sources, Format::Sarif, &options());
    let json: serde_json::Value = serde_json::from_str(&sarif).expect("valid JSON");
    let run = &json["runs"][0];
    for r in run["results"].as_array().unwrap() {
        let text = r["message"]["text"].as_str().unwrap();
        // The one link of a message is to its related location: names cannot add others (a
        // bracket of a name is escaped, so it closes no link text).
        let links = text
            .match_indices("](")
            .filter(|&(i, _)| !text[..i].ends_with('\\'));
        assert_eq!(links.count(), 1, "{text}");
        assert!(text.contains("](1)"), "{text}");
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_graphic() && !b"<>\"'`[]|{}\\^ ".contains(&b)),
            "{uri}"
        );
    }
}

#[test]
fn scanoss_lists_each_pair_under_both_of_its_files() {
    for (name, report, sources) in fixtures() {
        let c = clones_of(&report);
        let out = render(&report, &sources, Format::Scanoss, &options());
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let map = json.as_object().unwrap();
        let entries: usize = map.values().map(|v| v.as_array().unwrap().len()).sum();
        assert_eq!(entries, 2 * c.pairs.len(), "{name}");
        for p in &c.pairs {
            for (scanned, other, coverage) in
                [(&p.a, &p.b, p.coverage_a), (&p.b, &p.a, p.coverage_b)]
            {
                let entry = map[scanned.as_str()]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["file"] == other.as_str())
                    .unwrap_or_else(|| panic!("{name}: {other} under {scanned}"));
                let identical = p.comparison.a.content_hash == p.comparison.b.content_hash;
                assert_eq!(entry["id"], if identical { "file" } else { "snippet" });
                if !identical {
                    assert_eq!(entry["matched"], format!("{:.0}%", coverage * 100.0));
                    let lines = entry["lines"].as_str().unwrap();
                    let oss = entry["oss_lines"].as_str().unwrap();
                    assert_eq!(lines.split(',').count(), oss.split(',').count());
                }
            }
        }
    }
}
