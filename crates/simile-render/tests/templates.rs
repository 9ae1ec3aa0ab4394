//! User templates: the shipped examples render the fixtures (pinned with insta), errors name
//! the template's line and column, escaping follows the file extension, includes work.

mod common;

use common::{pair, repo_root, report_of, source};
use simile_render::Document;
use simile_render::template::{Template, TemplateError};
use std::path::Path;

fn render_with(template: &Template, pair_name: &str, file: &str) -> String {
    let (a, b) = pair(pair_name, file);
    let (report, sources) = report_of(a, b);
    let mut out = Vec::new();
    template
        .render(
            &Document {
                report: &report,
                sources: &sources,
            },
            &mut out,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out).unwrap()
}

fn from_source(name: &str, src: &str) -> Result<Template, TemplateError> {
    Template::from_source(Path::new(name), src.to_string())
}

fn problem(err: TemplateError) -> simile_render::template::TemplateProblem {
    match err {
        TemplateError::Template(p) => *p,
        other => panic!("expected a template problem, got {other}"),
    }
}

#[test]
fn example_templates_render_the_fixtures() {
    for name in [
        "regions.txt.j2",
        "review-comment.md.j2",
        "regions.csv.j2",
        "report.tex.j2",
    ] {
        let template = Template::from_file(&repo_root().join("templates").join(name))
            .unwrap_or_else(|e| panic!("{e}"));
        for (pair_name, file) in [("decorators", "decorators.py"), ("uncompr", "uncompr.c")] {
            let out = render_with(&template, pair_name, file);
            insta::assert_snapshot!(format!("{name}.{pair_name}"), out);
        }
    }
}

#[test]
fn one_line_per_region() {
    let template = Template::from_file(&repo_root().join("templates/regions.txt.j2")).unwrap();
    let out = render_with(&template, "decorators", "decorators.py");
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(
        out.lines()
            .all(|l| l.starts_with("decorators/a/decorators.py:")),
        "{out}"
    );
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let err = from_source(
        "bad.txt.j2",
        "line one\n{% for r in comparison.regions %}\n{{ r.id }\n{% endfor %}\n",
    )
    .expect_err("unbalanced braces");
    let p = problem(err);
    assert_eq!(p.path, "bad.txt.j2");
    assert_eq!(p.line, Some(3), "{p}");
    assert!(p.column.is_some(), "{p}");
    assert!(p.to_string().starts_with("bad.txt.j2:3:"), "{p}");
    assert!(p.to_string().contains("syntax error"), "{p}");
}

#[test]
fn a_misspelt_field_is_an_error_with_its_position() {
    let t = from_source("typo.txt", "ok\n  {{ comparison.scroes.similarity }}\n").unwrap();
    let (a, b) = pair("uncompr", "uncompr.c");
    let (report, sources) = report_of(a, b);
    let err = t
        .render(
            &Document {
                report: &report,
                sources: &sources,
            },
            &mut Vec::new(),
        )
        .expect_err("undefined field");
    let p = problem(err);
    // The column is where the undefined attribute is looked up: `.scroes`.
    assert_eq!((p.line, p.column), (Some(2), Some(16)), "{p}");
    let shown = p.to_string();
    assert!(shown.contains("typo.txt:2:16: "), "{shown}");
    assert!(
        shown.contains("    2 |   {{ comparison.scroes.similarity }}"),
        "{shown}"
    );
    assert!(shown.contains("^^^"), "{shown}");
}

#[test]
fn helpers_give_code_and_formatted_numbers() {
    let t = from_source(
        "h.txt",
        "{% set c = comparison %}{{ line(c.a.path, 1) }}|{{ source_lines(c.a.path, 1, 2) | length }}|{{ c.scores.similarity | percent }}|{{ c.regions[0].a | lines }}|{{ line(c.a.path, 99999) }}|",
    )
    .unwrap();
    let out = render_with(&t, "uncompr", "uncompr.c");
    assert_eq!(
        out,
        "/* uncompr.c -- decompress a memory buffer|2|24.8%|51-80||"
    );
}

#[test]
fn html_templates_escape_and_text_templates_do_not() {
    let a = source(
        "<b>a</b>.c",
        b"int f(int x) { return x * 2 + 1; }\nint g(int y) { return y - 7 * 3; }\n".to_vec(),
    );
    let b = source(
        "b&c.c",
        b"int f(int x) { return x * 2 + 1; }\nint g(int y) { return y - 7 * 3; }\n".to_vec(),
    );
    let (report, sources) = report_of(a, b);
    let doc = Document {
        report: &report,
        sources: &sources,
    };
    let mut html = Vec::new();
    from_source(
        "page.html.j2",
        "<p>{{ comparison.a.path }} {{ comparison.b.path }}</p>",
    )
    .unwrap()
    .render(&doc, &mut html)
    .unwrap();
    assert_eq!(
        String::from_utf8(html).unwrap(),
        "<p>&lt;b&gt;a&lt;&#x2f;b&gt;.c b&amp;c.c</p>"
    );
    let mut text = Vec::new();
    from_source("page.txt", "{{ comparison.a.path }}")
        .unwrap()
        .render(&doc, &mut text)
        .unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), "<b>a</b>.c");
}

#[test]
fn includes_are_read_next_to_the_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("part.j2"), "[{{ comparison.verdict }}]").unwrap();
    std::fs::write(
        dir.path().join("main.txt.j2"),
        "verdict {% include \"part.j2\" %} end\n",
    )
    .unwrap();
    let t = Template::from_file(&dir.path().join("main.txt.j2")).unwrap();
    assert_eq!(
        render_with(&t, "uncompr", "uncompr.c"),
        "verdict [shares-fragments] end\n"
    );
    // An error in the included file names that file.
    std::fs::write(dir.path().join("part.j2"), "{{ nope.x }}").unwrap();
    let t = Template::from_file(&dir.path().join("main.txt.j2")).unwrap();
    let (a, b) = pair("uncompr", "uncompr.c");
    let (report, sources) = report_of(a, b);
    let err = t
        .render(
            &Document {
                report: &report,
                sources: &sources,
            },
            &mut Vec::new(),
        )
        .unwrap_err();
    let p = problem(err);
    assert!(p.path.ends_with("part.j2"), "{p}");
    assert_eq!(p.line, Some(1));
}

#[test]
fn a_missing_template_file_is_a_read_error_naming_it() {
    let err = Template::from_file(Path::new("no/such/template.j2")).unwrap_err();
    assert!(matches!(err, TemplateError::Read { .. }));
    assert!(
        err.to_string()
            .starts_with("no/such/template.j2: cannot read the template")
    );
}

fn render_find(template: &Template, compare: bool) -> Result<String, TemplateError> {
    let (report, sources) = common::find_report(&common::FIND_QUERIES, compare);
    let mut out = Vec::new();
    template.render(
        &Document {
            report: &report,
            sources: &sources,
        },
        &mut out,
    )?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn the_find_template_writes_one_line_per_match() {
    let template = Template::from_file(&repo_root().join("templates/matches.txt.j2")).unwrap();
    for (name, compare) in [("find", true), ("find-ranking", false)] {
        let out = render_find(&template, compare).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(format!("matches.txt.j2.{name}"), out);
        // 2 + 3 matches, and a line for the query that found nothing.
        assert_eq!(out.lines().count(), 6, "{out}");
        assert_eq!(out.contains("region(s)"), compare, "{out}");
        assert_eq!(
            out.lines().last(),
            Some("sqlite-lib/a/lib.rs: no similar file")
        );
    }
}

#[test]
fn a_template_sees_the_find_report_and_the_compared_texts() {
    let t = from_source(
        "f.txt",
        "{{ kind }}|{{ find.queries | length }}|{{ find.corpus.files }}|{{ line(find.queries[0].query.path, 1) }}|{{ line(find.queries[0].matches[0].file.path, 6) }}|{{ find.skipped.total }}",
    )
    .unwrap();
    assert_eq!(
        render_find(&t, true).unwrap(),
        "find|3|5|/* uncompr.c -- decompress a memory buffer|#include \"zbuild.h\"|2"
    );
}

#[test]
fn a_comparison_template_over_a_find_report_says_what_is_missing() {
    let template = Template::from_file(&repo_root().join("templates/regions.txt.j2")).unwrap();
    let p = problem(render_find(&template, true).expect_err("no comparison variable"));
    assert!(p.path.ends_with("regions.txt.j2"), "{p}");
    assert!(p.message.contains("undefined"), "{p}");
}

/// The tree of `tests/fixtures/clones/`, as `simile clones` finds it.
fn render_clones(template: &Template) -> Result<String, TemplateError> {
    let (report, sources) = common::clones_report(&common::ClonesRun {
        trees: &[common::CLONES_TREE],
        renamed: true,
        fragments: true,
        ..common::ClonesRun::default()
    });
    let mut out = Vec::new();
    template.render(
        &Document {
            report: &report,
            sources: &sources,
        },
        &mut out,
    )?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn the_clones_template_writes_one_line_per_pair() {
    let template = Template::from_file(&repo_root().join("templates/clones.txt.j2")).unwrap();
    let out = render_clones(&template).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("clones.txt.j2.tree", out);
    assert_eq!(out.lines().count(), 7, "one line per listed pair:\n{out}");
    assert!(
        out.lines().next().unwrap().starts_with(
            "tests/fixtures/clones/tree/vendor/minizip/uncompr.c:8: #1 100.0% similar to tests/fixtures/clones/tree/zlib/uncompr.c:8 (identical)"
        ),
        "{out}"
    );
}

#[test]
fn a_template_sees_the_clones_report_and_the_pairs_texts() {
    let t = from_source(
        "c.txt",
        "{{ kind }}|{{ clones.mode }}|{{ clones.summary.files }}|{{ clones.pairs | length }}|{{ clones.clusters[0].members | length }}|{{ clones.fragments.within_file }}|{{ clones.files | selectattr(\"pairs\", \"eq\", 0) | map(attribute=\"path\") | join(\",\") }}|{{ line(clones.pairs[0].a, 1) }}|{{ clones.skipped.total }}",
    )
    .unwrap();
    assert_eq!(
        render_clones(&t).unwrap(),
        "clones|all|7|7|3|1|tests/fixtures/clones/tree/dup/crc.c|/* uncompr.c -- decompress a memory buffer|1"
    );
}
