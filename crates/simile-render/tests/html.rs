//! The HTML report without a browser: one self-contained file, hostile paths and code never
//! become markup, the CSP allows exactly the page's own script, and every line is embedded.
//! (tests/browser/ opens the same pages in headless Chromium.)

mod common;

use base64::Engine;
use common::{pair, render, report_of, source};
use sha2::Digest;
use simile_render::{Format, RenderOptions};

const HOSTILE_CODE: &str = "int main(void) {\n  /* </script><script>window.__pwned = 1</script> */\n  char *s = \"</textarea><img src=x onerror=\\\"window.__pwned=2\\\">\";\n  char *t = '<!-- \\' \" & &amp; ]]>';\n  return run(s, t, \"javascript:alert(3)\");\n}\nint helper(int a, int b) {\n  int total = a * 31 + b * 17;\n  total = total ^ (total >> 3);\n  return total + 0x5bd1e995;\n}\n";

fn hostile_html() -> String {
    let a = source(
        "<img src=x onerror=window.__pwned=4>.c",
        HOSTILE_CODE.as_bytes().to_vec(),
    );
    let b = source(
        "\"><script>window.__pwned=5</script>'javascript:alert(6).c",
        HOSTILE_CODE
            .replace("helper", "</script>")
            .as_bytes()
            .to_vec(),
    );
    let (report, sources) = report_of(a, b);
    render(&report, &sources, Format::Html, &RenderOptions::default())
}

#[test]
fn hostile_paths_and_code_stay_text() {
    let html = hostile_html();
    // Exactly the two scripts of the page: the JSON data block and the report's code.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<img"));
    assert!(!html.contains("</textarea>"));
    assert!(!html.contains("<!--"));
    // The paths are shown, escaped, in the static header and the title.
    assert!(html.contains("&lt;img src=x onerror=window.__pwned=4&gt;.c"));
    assert!(
        html.contains("&quot;&gt;&lt;script&gt;window.__pwned=5&lt;&#x2F;script&gt;"),
        "{html}"
    );
}

#[test]
fn the_data_block_round_trips_every_line() {
    let html = hostile_html();
    let start = html
        .find("<script type=\"application/json\" id=\"simile-data\">")
        .unwrap();
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(body).expect("valid JSON");
    let a_path = data["report"]["comparison"]["a"]["path"].as_str().unwrap();
    let lines: Vec<&str> = data["sources"][a_path]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(lines.join("\n") + "\n", HOSTILE_CODE);
    assert_eq!(data["views"][0]["pointer"], "/comparison");
    assert_eq!(data["views"][0]["id"], "cmp-1");
}

#[test]
fn the_csp_allows_only_the_pages_own_script() {
    let (a, b) = pair("decorators", "decorators.py");
    let (report, sources) = report_of(a, b);
    let html = render(&report, &sources, Format::Html, &RenderOptions::default());
    let csp_start = html.find("Content-Security-Policy\" content=\"").unwrap() + 34;
    let csp = &html[csp_start..csp_start + html[csp_start..].find('"').unwrap()];
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let script_start = html.rfind("<script>").unwrap() + "<script>".len();
    let script = &html[script_start..html.rfind("</script>").unwrap()];
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    assert!(
        csp.contains(&format!("script-src 'sha256-{hash}'")),
        "{csp}"
    );
    for tag in [
        "<link",
        "<img",
        "<iframe",
        "<object",
        "src=\"",
        "href=\"http",
    ] {
        assert!(!html.contains(tag), "no external resources: found {tag}");
    }
}

#[test]
fn a_page_for_files_without_text_still_renders() {
    let (a, b) = pair("uncompr", "uncompr.c");
    let (report, _) = report_of(a, b);
    let empty = simile_render::SourceSet::default();
    let html = render(&report, &empty, Format::Html, &RenderOptions::default());
    assert!(html.contains("\"sources\":{}"));
    assert!(html.contains("uncompr/a/uncompr.c"));
}

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
fn a_find_page_has_a_view_per_comparison_and_links_to_it() {
    let (report, sources) = common::find_report(&common::FIND_QUERIES, true);
    let html = render(&report, &sources, Format::Html, &RenderOptions::default());
    let data = data_block(&html);
    // Two of the three queries found something: two comparisons, each drawn in its section.
    assert_eq!(
        data["views"],
        serde_json::json!([
            {"id": "cmp-1", "pointer": "/find/queries/0/comparison"},
            {"id": "cmp-2", "pointer": "/find/queries/1/comparison"},
        ])
    );
    for id in ["cmp-1", "cmp-2"] {
        assert!(html.contains(&format!("<section class=\"comparison\" id=\"{id}\">")));
        // From the ranking (path and button) and from the overview.
        assert_eq!(html.matches(&format!("href=\"#{id}\"")).count(), 3, "{id}");
    }
    for q in ["q-1", "q-2", "q-3"] {
        assert!(html.contains(&format!("<section class=\"query\" id=\"{q}\">")));
    }
    // The texts of the queries and best matches only: the others are not shown.
    let sources: Vec<&String> = data["sources"].as_object().unwrap().keys().collect();
    assert_eq!(
        sources,
        [
            "decorators/a/decorators.py",
            "find/corpus/django/contrib/auth/decorators.py",
            "find/corpus/zlib-ng/uncompr.c",
            "uncompr/a/uncompr.c",
        ]
    );
    assert!(html.contains("<title>simile find: 3 queries</title>"));
    assert!(html.contains("No similar file."));
    assert!(html.contains("id=\"skipped\""));
    assert!(html.contains("find/corpus/assets/logo.bin"));
}

#[test]
fn a_find_page_without_comparisons_is_a_ranking() {
    let (report, sources) = common::find_report(&common::FIND_QUERIES, false);
    let html = render(&report, &sources, Format::Html, &RenderOptions::default());
    let data = data_block(&html);
    assert_eq!(data["views"], serde_json::json!([]));
    assert_eq!(data["sources"], serde_json::json!({}));
    assert!(!html.contains("class=\"comparison\""));
    assert!(!html.contains("to-comparison"));
    assert_eq!(
        html.matches("<tr data-rank=").count(),
        5,
        "one row per match"
    );
}

#[test]
fn hostile_names_in_a_find_page_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let query = "<img src=x onerror=window.__pwned=1>.c";
    let hostile = "\"><svg onload=window.__pwned=2>'#cmp-1.c";
    std::fs::create_dir_all(root.join("corpus")).unwrap();
    std::fs::write(root.join(query), HOSTILE_CODE).unwrap();
    std::fs::write(root.join("corpus").join(hostile), HOSTILE_CODE).unwrap();
    let (report, sources) = common::find_in(root, "corpus", &[query], true);
    let html = render(&report, &sources, Format::Html, &RenderOptions::default());
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<svg"));
    assert!(html.contains("&lt;img src=x onerror=window.__pwned=1&gt;.c"));
    assert!(
        html.contains("corpus&#x2F;&quot;&gt;&lt;svg onload=window.__pwned=2&gt;&#x27;#cmp-1.c"),
        "{html}"
    );
    // Links and ids are the page's own, never made from a path.
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(!hrefs.is_empty());
    assert!(
        hrefs.iter().all(|h| h.starts_with('#')
            && h[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')),
        "{hrefs:?}"
    );
}
