//! Where a report goes (stdout or `--output FILE`) and whether it is coloured.

use crate::cli::OutputArgs;
use crate::exit::{CliError, Code};
use anstream::ColorChoice;
use simile::report::Report;
use simile_render::template::{Template, TemplateError};
use simile_render::{Document, Format, RenderOptions, SourceSet};
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// When to colour the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Whether to colour output written to stdout (files are never coloured).
pub fn use_color(when: ColorWhen, to_file: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && ColorChoice::global() != ColorChoice::Never
        }
    }
}

/// Open the destination of a report.
pub fn open(path: Option<&Path>) -> Result<Box<dyn Write>, CliError> {
    match path {
        None => Ok(Box::new(io::BufWriter::new(io::stdout().lock()))),
        Some(p) => File::create(p)
            .map(|f| Box::new(io::BufWriter::new(f)) as Box<dyn Write>)
            .map_err(|e| {
                CliError::new(
                    Code::Output,
                    format!("{}: cannot write the report: {e}", p.display()),
                )
            }),
    }
}

/// Width of the text report: `COLUMNS` when set (at least 40), else, for a report written to
/// standard output, the width of its terminal (shells keep `COLUMNS` to themselves unless it is
/// exported, so a report on a 200-column terminal was cut to 120), else 120 (a pipe, a file).
pub fn width(to_stdout: bool) -> usize {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    let terminal = || {
        let size = to_stdout.then(|| terminal_size::terminal_size_of(io::stdout()));
        size.flatten().map(|(w, _)| w.0 as usize)
    };
    columns
        .or_else(terminal)
        .filter(|&w| w >= 40)
        .unwrap_or(120)
}

/// Read and compile `--template FILE`, if given. Errors are usage errors (exit 2) that name the
/// template's line and column.
pub fn load_template(path: Option<&Path>) -> Result<Option<Template>, CliError> {
    path.map(|p| Template::from_file(p).map_err(template_error))
        .transpose()
}

/// Render `report` as the output flags say (`--format` or `template`, `--output`, `--full`,
/// `--context`, `--side-by-side`), coloured as `--color` says: what every command ends with.
pub fn render(
    color: ColorWhen,
    args: &OutputArgs,
    template: Option<&Template>,
    report: &Report,
    sources: &SourceSet,
) -> anyhow::Result<()> {
    let options = RenderOptions {
        color: use_color(color, args.output.is_some()),
        full: args.full,
        context: args.context,
        width: width(args.output.is_none()),
        side_by_side: args.side_by_side,
    };
    let doc = Document { report, sources };
    write_report(
        &doc,
        args.format.format(),
        template,
        &options,
        args.output.as_deref(),
    )
}

/// Render `doc` with `template` (when given) or in `format`, to `--output FILE` or stdout.
pub fn write_report(
    doc: &Document<'_>,
    format: Format,
    template: Option<&Template>,
    options: &RenderOptions,
    path: Option<&Path>,
) -> anyhow::Result<()> {
    let mut out = open(path)?;
    let result = match template {
        Some(t) => t.render(doc, &mut out).map_err(|e| match e {
            TemplateError::Write(io) => io,
            other => io::Error::other(template_error(other)),
        }),
        None => simile_render::render(format, doc, options, &mut out),
    };
    result
        .and_then(|()| out.flush())
        .map_err(|e| write_error(e, path, "the report"))
}

/// Write `bytes`, `what` (a document made in memory: the schema, a completion script, a manual
/// page), to standard output; a failed write is an output error (exit 5), a closed pipe none.
pub fn write_stdout(bytes: &[u8], what: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| write_error(e, None, what))
}

fn template_error(e: TemplateError) -> CliError {
    match e {
        TemplateError::Read { .. } => CliError::new(Code::Usage, e.to_string()),
        TemplateError::Template(problem) => {
            CliError::new(Code::Usage, format!("template error: {problem}"))
        }
        TemplateError::Write(io) => {
            CliError::new(Code::Output, format!("cannot write the report: {io}"))
        }
    }
}

/// A failed write as an output error (exit 5), except a closed pipe, which is not a failure.
fn write_error(e: io::Error, path: Option<&Path>, what: &str) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return e.into();
    }
    // A template that failed while rendering carries its own (usage) error.
    if e.get_ref().is_some_and(|inner| inner.is::<CliError>()) {
        let inner = e.into_inner().expect("checked above");
        return match inner.downcast::<CliError>() {
            Ok(cli) => (*cli).into(),
            Err(other) => anyhow::anyhow!(other),
        };
    }
    let target = path.map_or_else(
        || "standard output".to_string(),
        |p| p.display().to_string(),
    );
    CliError::new(Code::Output, format!("{target}: cannot write {what}: {e}")).into()
}
