//! `simile compare A B`.

use crate::cli::{Cli, CompareArgs};
use crate::exit::{CliError, Code};
use crate::output;
use simile::license::files::LicenseFiles;
use simile::report::{Comparison, Report};
use simile::source::{self, Language, ReadOptions, SourceFile};
use simile_render::SourceSet;
use std::io::Read;
use std::path::Path;

pub fn run(cli: &Cli, args: &CompareArgs) -> anyhow::Result<Code> {
    if args.a == Path::new("-") && args.b == Path::new("-") {
        return Err(CliError::new(
            Code::Usage,
            "only one of the two files can be `-` (standard input)",
        )
        .into());
    }
    // A broken template is a usage error: find it before reading and comparing anything.
    let template = output::load_template(args.output.template.as_deref())?;
    let options = args.input.read_options();
    let (a, b) = rayon_join(|| read(&args.a, &options), || read(&args.b, &options));
    let (a, b) = stdin_as_its_counterpart((a?, &args.a), (b?, &args.b), options.language);
    if !cli.quiet {
        for f in [&a, &b] {
            if f.invalid_bytes > 0 {
                eprintln!(
                    "simile: warning: {}: not valid UTF-8; {} byte(s) read as Windows-1252",
                    simile_render::terminal_safe(&f.name),
                    f.invalid_bytes
                );
            }
        }
    }
    let options = args.analysis.options(args.align.config());
    // The licence files of the trees the two files are in, read while the files are compared
    // (detecting a licence text takes as long as comparing two 500-line files).
    let (mut comparison, license_files) = rayon_join(
        || simile::compare_with(&a, &b, &options),
        || {
            options.licenses.then(|| {
                let mut files = LicenseFiles::default();
                (files.of(&args.a), files.of(&args.b))
            })
        },
    );
    if let (Some(l), Some((files_a, files_b))) = (&mut comparison.licenses, license_files) {
        simile::license::effective::attach_license_files(l, files_a, files_b);
    }
    let report = Report::comparison(comparison);
    let sources = SourceSet::from_files([a, b]);
    output::render(
        cli.color,
        &args.output,
        template.as_ref(),
        &report,
        &sources,
    )?;
    Ok(Code::Success)
}

/// Standard input has no file name to tell its language: unless `--lang` or a shebang says
/// otherwise, it is read as the language of the file it is compared with, so that
/// `git show HEAD~3:src/foo.c | simile compare - src/foo.c` compares C with C, not plain text
/// with C (zstd's `entropy_common.c`, 1.4.9 against 1.5.7: 75.3% similar read as text, 96.6%
/// read as C).
fn stdin_as_its_counterpart(
    (mut a, path_a): (SourceFile, &Path),
    (mut b, path_b): (SourceFile, &Path),
    forced: Option<Language>,
) -> (SourceFile, SourceFile) {
    let unnamed = |file: &SourceFile, path: &Path| {
        path == Path::new("-") && forced.is_none() && file.language == Language::Text
    };
    if unnamed(&a, path_a) {
        a.language = b.language;
    } else if unnamed(&b, path_b) {
        b.language = a.language;
    }
    (a, b)
}

/// Each side's licence files ([`LicenseFiles`]), when the comparison has licences.
pub(super) fn add_license_files(c: &mut Comparison, files: &mut LicenseFiles) {
    if let Some(l) = &mut c.licenses {
        let (a, b) = (
            files.of(Path::new(&c.a.path)),
            files.of(Path::new(&c.b.path)),
        );
        simile::license::effective::attach_license_files(l, a, b);
    }
}

pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<SourceFile, source::SourceError> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(options.max_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| source::SourceError::Io {
                path: "-".into(),
                source: e,
            })?;
        if bytes.len() as u64 > options.max_size {
            return Err(source::SourceError::TooLarge {
                path: "-".into(),
                size: bytes.len() as u64,
                limit: options.max_size,
            });
        }
        return source::source_from_bytes(Path::new("-"), bytes, options);
    }
    source::read_source(path, options)
}

/// Read both files at once: on a cold cache, reading is the slow part.
fn rayon_join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|s| {
        let hb = s.spawn(b);
        let ra = a();
        (
            ra,
            hb.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    })
}
