//! User templates: `--template FILE` renders a [minijinja](https://docs.rs/minijinja) template
//! (Jinja2 syntax) over the JSON data model, for formats simile does not ship.
//!
//! The template sees the JSON report's top-level fields as variables (`schema_version`,
//! `generator`, `kind`, and the body named by `kind`, e.g. `comparison`), plus `report`, the
//! whole document. Every field is described in `schema/report.schema.json` and, for template
//! authors, in `docs/templates.md`. Helpers:
//!
//! | helper | example | gives |
//! |---|---|---|
//! | `line(path, n)` | `line(comparison.a.path, 12)` | line 12 of that file, without its line break (`""` past the end) |
//! | `source_lines(path, start, end)` | `source_lines(c.a.path, r.a.start_line, r.a.end_line)` | those lines as a list |
//! | `code(path, start, end)` | `code(c.b.path, r.b.start_line, r.b.end_line)` | those lines joined with `\n` |
//! | filter `lines` | `r.a \| lines` | `12-40` (a span or a `{start, end}` range) |
//! | filter `percent` | `c.scores.similarity \| percent` | `82.3%` (`percent(0)` for `82%`) |
//! | filter `csv` | `c.a.path \| csv` | an RFC 4180 field, quoted when needed, formulas defused |
//! | filter `latex` | `line(p, n) \| latex` | text with LaTeX's special characters escaped |
//! | filter `md` / `mdcode` | `c.a.path \| mdcode` | escaped Markdown text / an unbreakable code span |
//!
//! The minijinja built-ins are there too (`tojson`, `escape`, `join`, `length`, `round`, loops
//! with `break`/`continue`, ...). Output is escaped by the template's file extension, ignoring a
//! trailing `.j2`/`.jinja`: HTML for `.html`/`.htm`/`.xml`, JSON for `.json`, nothing otherwise.
//! Block tags on a line of their own leave no blank line behind (`trim_blocks`,
//! `lstrip_blocks`), the final newline is kept, and printing an undefined value is an error, so a
//! misspelt field is reported instead of printing nothing. `{% include %}` and
//! `{% import %}` load files next to the template.
//!
//! Every error names the template file, line and column, and shows the line:
//!
//! ```text
//! regions.txt.j2:3:4: undefined value: comparison.scroes is undefined
//!     3 | {{ comparison.scroes.similarity }}
//!       |    ^^^^^^^^^^^^^^^^^
//! ```

use crate::{Document, SourceSet};
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The fuel a template gets by default: far more than a report needs, yet a runaway loop ends
/// (with an error naming the template) instead of hanging a CI job.
pub const DEFAULT_FUEL: u64 = 500_000_000;

/// A compiled user template.
#[derive(Debug)]
pub struct Template {
    env: Environment<'static>,
    /// Name the template is registered under (its file name).
    name: String,
    /// Where it was read from, for messages.
    path: PathBuf,
}

/// What can go wrong with a user template.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The template file could not be read.
    #[error("{path}: cannot read the template: {source}")]
    Read {
        /// The template path.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The template has an error (syntax, or a failure while rendering).
    #[error("{0}")]
    Template(Box<TemplateProblem>),
    /// The output could not be written.
    #[error("cannot write the report: {0}")]
    Write(#[from] io::Error),
}

/// An error in a template, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    /// The template file.
    pub path: String,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// 1-based column (in characters), if known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// The offending line with a marker under the failing part.
    pub excerpt: Option<String>,
}

impl fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(excerpt) = &self.excerpt {
            write!(f, "\n{excerpt}")?;
        }
        Ok(())
    }
}

impl Template {
    /// Read and compile the template at `path`. Templates it includes are looked up in the
    /// same directory.
    pub fn from_file(path: &Path) -> Result<Template, TemplateError> {
        let source = std::fs::read_to_string(path).map_err(|source| TemplateError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Template::from_source(path, source)
    }

    /// Compile `source`, which was read from `path` (used for messages, the escaping rule and
    /// includes).
    pub fn from_source(path: &Path, source: String) -> Result<Template, TemplateError> {
        let name = path
            .file_name()
            .map_or_else(|| "template".into(), |n| n.to_string_lossy().into_owned());
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut env = environment();
        env.set_loader(minijinja::path_loader(dir));
        let template = Template {
            env,
            name: name.clone(),
            path: path.to_path_buf(),
        };
        let mut env = template.env.clone();
        env.add_template_owned(name, source)
            .map_err(|e| template.problem(&e))?;
        Ok(Template { env, ..template })
    }

    /// Limit the work a render may do, in minijinja "fuel" (about one unit per instruction;
    /// `None`: no limit). Templates get [`DEFAULT_FUEL`] unless told otherwise; a template that
    /// runs out stops with an error instead of hanging.
    pub fn with_fuel(mut self, fuel: Option<u64>) -> Template {
        self.env.set_fuel(fuel);
        self
    }

    /// Render the template over `doc` to `out`.
    pub fn render(&self, doc: &Document<'_>, out: &mut dyn Write) -> Result<(), TemplateError> {
        let mut env = self.env.clone();
        add_source_helpers(&mut env, doc.sources.clone());
        let report = Value::from(minijinja::value::Serde(doc.report));
        let ctx = context! { report => report.clone(), ..report };
        let text = env
            .get_template(&self.name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| self.problem(&e))?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }

    /// A minijinja error as a located problem. An error inside an included template is
    /// reported where it happened, with the include it came through.
    fn problem(&self, err: &minijinja::Error) -> TemplateError {
        let mut innermost = err;
        let mut cause = std::error::Error::source(err);
        while let Some(c) = cause {
            if let Some(e) = c.downcast_ref::<minijinja::Error>()
                && e.line().is_some()
            {
                innermost = e;
            }
            cause = c.source();
        }
        let mut message = innermost.kind().to_string();
        if let Some(detail) = innermost.detail() {
            message.push_str(": ");
            message.push_str(detail);
        }
        if !std::ptr::eq(innermost, err) {
            message.push_str(&format!(
                " (included from {}:{})",
                self.path_of(err.name()),
                err.line().unwrap_or(0)
            ));
        } else if let Some(c) = std::error::Error::source(err) {
            message.push_str(&format!(" ({c})"));
        }
        let (column, excerpt) = match (
            innermost.template_source(),
            innermost.line(),
            innermost.range(),
        ) {
            (Some(src), Some(line), range) => locate(src, line, range),
            _ => (None, None),
        };
        TemplateError::Template(Box::new(TemplateProblem {
            path: self.path_of(innermost.name()),
            line: innermost.line(),
            column,
            message,
            excerpt,
        }))
    }

    /// The file of a template name: the user's template, or one it includes (next to it).
    fn path_of(&self, name: Option<&str>) -> String {
        match name {
            Some(name) if name != self.name => self
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .join(name)
                .display()
                .to_string(),
            _ => self.path.display().to_string(),
        }
    }
}

/// Column of `range` on `line`, and an excerpt of that line with a `^^^` marker.
fn locate(
    src: &str,
    line: usize,
    range: Option<std::ops::Range<usize>>,
) -> (Option<usize>, Option<String>) {
    let Some(text) = src.lines().nth(line.saturating_sub(1)) else {
        return (None, None);
    };
    let line_start = src
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let column = range
        .as_ref()
        .filter(|r| r.start >= line_start && r.start <= line_start + text.len())
        .and_then(|r| src.get(line_start..r.start))
        .map(|before| before.chars().count() + 1);
    let gutter = format!("{line:>5} | ");
    let mut excerpt = format!("{gutter}{text}");
    if let (Some(col), Some(r)) = (column, range) {
        let end = r.end.min(line_start + text.len());
        let width = src
            .get(r.start..end)
            .map_or(1, |s| s.chars().count().max(1));
        excerpt.push_str(&format!(
            "\n{:>5} | {}{}",
            "",
            " ".repeat(col - 1),
            "^".repeat(width)
        ));
    }
    (column, Some(excerpt))
}

/// The environment every user template runs in: settings and the helpers that need no files.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_debug(true);
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    // A template is the user's own code, but a runaway one should stop, not hang the CI job.
    env.set_fuel(Some(DEFAULT_FUEL));
    env.add_filter("percent", percent_filter);
    env.add_filter("lines", lines_filter);
    env.add_filter("csv", |s: String| csv_field(&s));
    env.add_filter("latex", |s: String| latex_escape(&s));
    env.add_filter("md", |s: String| markdown_escape(&s));
    env.add_filter("mdcode", |s: String| crate::markdown::code_span(&s, false));
    env
}

/// `line`, `source_lines` and `code`, reading the files of this document.
fn add_source_helpers(env: &mut Environment<'static>, sources: SourceSet) {
    let s1 = sources.clone();
    env.add_function("line", move |path: String, n: u32| -> String {
        s1.line(&path, n).unwrap_or("").to_string()
    });
    let s2 = sources.clone();
    env.add_function(
        "source_lines",
        move |path: String, start: u32, end: u32| -> Vec<String> {
            lines_of(&s2, &path, start, end)
        },
    );
    env.add_function(
        "code",
        move |path: String, start: u32, end: u32| -> String {
            lines_of(&sources, &path, start, end).join("\n")
        },
    );
}

fn lines_of(sources: &SourceSet, path: &str, start: u32, end: u32) -> Vec<String> {
    let Some(file) = sources.get(path) else {
        return Vec::new();
    };
    let end = end.min(file.line_count());
    (start.max(1)..=end)
        .map(|n| sources.line(path, n).unwrap_or("").to_string())
        .collect()
}

fn percent_filter(x: f64, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let digits: Option<usize> = kwargs.get("digits")?;
    kwargs.assert_all_used()?;
    Ok(format!("{:.*}%", digits.unwrap_or(1), x * 100.0))
}

/// `{start_line, end_line}` (a span) or `{start, end}` (a range) as `12-40`.
fn lines_filter(v: Value) -> Result<String, minijinja::Error> {
    if v.kind() != ValueKind::Map {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("`lines` needs a span or a line range, not {}", v.kind()),
        ));
    }
    let get = |a: &str, b: &str| -> Option<u64> {
        v.get_attr(a)
            .ok()
            .filter(|x| !x.is_undefined())
            .or_else(|| v.get_attr(b).ok())
            .and_then(|x| u64::try_from(x).ok())
    };
    match (get("start_line", "start"), get("end_line", "end")) {
        (Some(s), Some(e)) if s == e => Ok(s.to_string()),
        (Some(s), Some(e)) => Ok(format!("{s}-{e}")),
        _ => Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "`lines` needs a value with start_line/end_line or start/end",
        )),
    }
}

/// An RFC 4180 field: quoted when it holds a comma, quote or line break; formulas defused.
fn csv_field(s: &str) -> String {
    let s = crate::csv::text_cell(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c => out.push(c),
        }
    }
    out
}

fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Auto-escaping in effect for a template file name (for tests and docs).
pub fn escaping_for(name: &str) -> &'static str {
    match minijinja::default_auto_escape_callback(name) {
        AutoEscape::Html => "html",
        AutoEscape::Json => "json",
        _ => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapers() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(latex_escape("a_b & 50% {x}"), "a\\_b \\& 50\\% \\{x\\}");
        assert_eq!(markdown_escape("*a*"), "\\*a\\*");
        assert_eq!(escaping_for("page.html.j2"), "html");
        assert_eq!(escaping_for("regions.txt"), "none");
    }

    #[test]
    fn excerpt_marks_the_failing_part() {
        let src = "a\n{{ x.y }}\n";
        let (col, excerpt) = locate(src, 2, Some(5..8));
        assert_eq!(col, Some(4));
        assert_eq!(excerpt.unwrap(), "    2 | {{ x.y }}\n      |    ^^^");
    }
}
