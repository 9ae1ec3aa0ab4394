//! `simile index build|update|stats|check`: flags to `simile_index` calls, results to text or
//! JSON. Progress goes to stderr only when it is a terminal; summaries go to stderr unless
//! `--quiet`; `stats` and `check` write their report to stdout.

use crate::cli::{
    Cli, IndexBuildArgs, IndexCheckArgs, IndexCommand, IndexStatsArgs, IndexUpdateArgs, TextOrJson,
};
use crate::exit::{CliError, Code};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use simile_index::{IndexError, Phase, Progress, Summary};
use simile_render::terminal_safe;
use std::io::{IsTerminal, Write};
use std::time::Duration;

pub fn run(cli: &Cli, command: &IndexCommand) -> anyhow::Result<Code> {
    match command {
        IndexCommand::Build(args) => build(cli, args),
        IndexCommand::Update(args) => update(cli, args),
        IndexCommand::Stats(args) => stats(args),
        IndexCommand::Check(args) => check(args),
    }
}

/// Exit codes for index errors: a missing root is unreadable input (3), bad options a usage
/// error (2), everything else about the index 4.
pub(crate) fn index_error(err: IndexError) -> anyhow::Error {
    let code = match &err {
        IndexError::Root { .. } => Code::Input,
        IndexError::Invalid(_) => Code::Usage,
        IndexError::Interrupted => Code::Interrupted,
        _ => Code::Index,
    };
    CliError::new(code, terminal_safe(&err.to_string())).into()
}

fn build(cli: &Cli, args: &IndexBuildArgs) -> anyhow::Result<Code> {
    let options = simile_index::BuildOptions {
        roots: args.paths.clone(),
        walk: args.walk.options(),
        fingerprint: simile::fingerprint::FingerprintConfig {
            k: args.k as usize,
            w: args.w as usize,
        },
        memory: memory(args.memory.memory),
    };
    let bar = Bar::new(cli.quiet);
    let summary =
        simile_index::build(&args.output, &options, &bar).map_err(|e| bar.stop.error(e))?;
    bar.finish();
    if !cli.quiet {
        let rate = summary.indexed_bytes as f64 / summary.seconds.max(1e-9) / 1e6;
        eprintln!(
            "simile: indexed {} files ({}) into {} in {:.1} s ({rate:.0} MB/s)",
            thousands(summary.indexed),
            bytes(summary.indexed_bytes),
            terminal_safe(&args.output.display().to_string()),
            summary.seconds,
        );
        report_skipped(&summary);
    }
    Ok(Code::Success)
}

fn update(cli: &Cli, args: &IndexUpdateArgs) -> anyhow::Result<Code> {
    let options = simile_index::UpdateOptions {
        memory: memory(args.memory.memory),
        compact: args.compact,
    };
    let bar = Bar::new(cli.quiet);
    let summary =
        simile_index::update(&args.index, &options, &bar).map_err(|e| bar.stop.error(e))?;
    bar.finish();
    if !cli.quiet {
        let what = if summary.committed {
            format!("updated to generation {}", summary.generation)
        } else {
            "already up to date".to_string()
        };
        eprintln!(
            "simile: {} {what} in {:.1} s: {} added, {} changed, {} removed, {} unchanged{}; {} files",
            terminal_safe(&args.index.display().to_string()),
            summary.seconds,
            thousands(summary.added),
            thousands(summary.changed),
            thousands(summary.removed),
            thousands(summary.unchanged + summary.touched),
            if summary.merged_segments > 0 {
                format!("; merged {} segments", summary.merged_segments)
            } else {
                String::new()
            },
            thousands(summary.files),
        );
        report_skipped(&summary);
    }
    Ok(Code::Success)
}

fn memory(bytes: u64) -> usize {
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

fn report_skipped(summary: &Summary) {
    if summary.skipped.is_empty() {
        return;
    }
    let counts: Vec<String> = simile::source::walk::skip_counts(&summary.skipped)
        .into_iter()
        .map(|(reason, n)| format!("{} {}", thousands(n as u64), reason.as_str()))
        .collect();
    eprintln!(
        "simile: skipped {} files: {}",
        thousands(summary.skipped.len() as u64),
        counts.join(", ")
    );
}

fn stats(args: &IndexStatsArgs) -> anyhow::Result<Code> {
    let index = simile_index::Index::open(&args.index).map_err(index_error)?;
    let stats = index.stats();
    let mut out = std::io::stdout().lock();
    let text = match args.format {
        TextOrJson::Json => serde_json::to_string_pretty(&stats)? + "\n",
        TextOrJson::Text => stats_text(&stats),
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(output_error)?;
    Ok(Code::Success)
}

fn stats_text(s: &simile_index::Stats) -> String {
    let mut lines = vec![
        ("index", terminal_safe(&s.index).into_owned()),
        (
            "commit",
            format!(
                "generation {}, {} by {}, format {}",
                s.generation,
                utc(s.committed_unix),
                s.created_by,
                s.format_version
            ),
        ),
        ("roots", terminal_safe(&s.roots.join(", ")).into_owned()),
        ("k, w", format!("{}, {}", s.k, s.w)),
        (
            "files",
            if s.removed_file_slots > 0 {
                format!(
                    "{} ({} ids of removed files awaiting compaction)",
                    thousands(s.files),
                    thousands(s.removed_file_slots)
                )
            } else {
                thousands(s.files)
            },
        ),
        (
            "source",
            format!("{}, {} tokens", bytes(s.source_bytes), thousands(s.tokens)),
        ),
        (
            "fingerprints",
            format!(
                "{} distinct, {} postings{}",
                thousands(s.fingerprints),
                thousands(s.postings),
                if s.stored_postings != s.postings {
                    format!(" ({} stored)", thousands(s.stored_postings))
                } else {
                    String::new()
                }
            ),
        ),
        (
            "on disk",
            format!(
                "{} ({:.2} x the source)",
                bytes(s.disk_bytes),
                s.disk_to_source
            ),
        ),
        ("segments", s.segments.len().to_string()),
    ];
    for seg in &s.segments {
        lines.push((
            "",
            format!(
                "{}  {}, {} fingerprints, {} postings",
                seg.name,
                bytes(seg.bytes),
                thousands(seg.fingerprints),
                thousands(seg.postings)
            ),
        ));
    }
    let languages: Vec<String> = s
        .languages
        .iter()
        .map(|l| {
            format!(
                "{} {} files {}",
                l.language,
                thousands(l.files),
                bytes(l.bytes)
            )
        })
        .collect();
    if !languages.is_empty() {
        lines.push(("languages", languages.join(", ")));
    }
    if !s.skipped.is_empty() {
        let skipped: Vec<String> = s
            .skipped
            .iter()
            .map(|(r, n)| format!("{} {r}", thousands(*n)))
            .collect();
        lines.push(("skipped", skipped.join(", ")));
    }
    let mut out = String::new();
    for (label, value) in lines {
        out.push_str(&format!("{label:<13}{value}\n"));
    }
    out
}

fn check(args: &IndexCheckArgs) -> anyhow::Result<Code> {
    let report = simile_index::check(&args.index).map_err(index_error)?;
    let text = match args.format {
        TextOrJson::Json => serde_json::to_string_pretty(&report)? + "\n",
        TextOrJson::Text => format!(
            "ok: {}: generation {}, {} files, {} segments, {} fingerprints, {} postings, {} verified (content digest {})\n",
            terminal_safe(&args.index.display().to_string()),
            report.generation,
            thousands(report.files),
            report.segments,
            thousands(report.fingerprints),
            thousands(report.postings),
            bytes(report.bytes),
            report.content_digest
        ),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(output_error)?;
    Ok(Code::Success)
}

fn output_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return e.into();
    }
    CliError::new(
        Code::Output,
        format!("standard output: cannot write the report: {e}"),
    )
    .into()
}

/// A writer's progress bar on stderr, drawn only when stderr is a terminal and not `--quiet`,
/// and its way to hear that the writer should stop.
struct Bar {
    bar: Option<ProgressBar>,
    stop: stop::Requests,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        let show = !quiet && std::io::stderr().is_terminal();
        Bar {
            bar: show.then(|| {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            }),
            stop: stop::Requests::listen(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    /// A writer that failed or was interrupted leaves no half-drawn bar above its error.
    fn drop(&mut self) {
        self.finish();
    }
}

impl Progress for Bar {
    fn cancelled(&self) -> bool {
        self.stop.requested()
    }

    fn phase(&self, phase: Phase) {
        // Walking and checking write nothing: a signal then ends the process at once.
        self.stop
            .set_nothing_written(matches!(phase, Phase::Walking | Phase::Checking { .. }));
        let Some(bar) = &self.bar else { return };
        let (message, length, bytes) = match phase {
            Phase::Walking => ("walking", None, false),
            Phase::Checking { files } => ("checking", Some(files), false),
            Phase::Indexing { bytes, .. } => ("indexing", Some(bytes), true),
            Phase::Merging { postings } => ("merging", Some(postings), false),
            Phase::Committing => ("committing", None, false),
        };
        let template = match (length.is_some(), bytes) {
            (false, _) => "{spinner} {msg} {elapsed}",
            (true, true) => {
                "{spinner} {msg:<10} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
            }
            (true, false) => "{spinner} {msg:<10} [{bar:40}] {human_pos}/{human_len} eta {eta}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message);
        bar.set_length(length.unwrap_or(0));
        bar.set_position(0);
    }

    fn advance(&self, amount: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(amount);
        }
    }
}

/// Ctrl-C (SIGINT) and SIGTERM during `index build` and `index update`. Killed at once, a
/// writer leaves its runs and segments on disk until the next writer deletes them (the last
/// commit is safe either way). So while it writes, the first signal only asks it to stop: it
/// stops at its next check (a chunk of files, a batch of a merge), deletes what it
/// wrote and exits 130 (143 for SIGTERM). While nothing is written yet (the walk, checking
/// files against the index), and at a second signal, the process ends at once as usual.
mod stop {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    pub(super) struct Requests {
        requested: Arc<AtomicBool>,
        nothing_written: Arc<AtomicBool>,
        /// Set by SIGTERM only, for the exit code.
        terminated: Arc<AtomicBool>,
    }

    impl Requests {
        /// Install the handlers (once per process: the CLI runs one writer).
        pub(super) fn listen() -> Requests {
            let requests = Requests {
                requested: Arc::new(AtomicBool::new(false)),
                nothing_written: Arc::new(AtomicBool::new(true)),
                terminated: Arc::new(AtomicBool::new(false)),
            };
            #[cfg(unix)]
            requests.register();
            requests
        }

        #[cfg(unix)]
        fn register(&self) {
            use signal_hook::consts::{SIGINT, SIGTERM};
            use signal_hook::flag;
            for signal in [SIGINT, SIGTERM] {
                let status = 128 + signal;
                // The order matters (signal-hook's documented double Ctrl-C): the shutdowns
                // look at the flags before this signal sets `requested`.
                let registered = flag::register_conditional_shutdown(
                    signal,
                    status,
                    Arc::clone(&self.nothing_written),
                )
                .and_then(|_| {
                    flag::register_conditional_shutdown(signal, status, Arc::clone(&self.requested))
                })
                .and_then(|_| flag::register(signal, Arc::clone(&self.requested)));
                let registered = match signal {
                    SIGTERM => registered
                        .and_then(|_| flag::register(signal, Arc::clone(&self.terminated))),
                    _ => registered,
                };
                // Without the handlers, a signal ends the process as it always did.
                let _ = registered;
            }
        }

        /// The error of a writer: an interruption by SIGTERM gets that signal's exit code.
        pub(super) fn error(&self, err: simile_index::IndexError) -> anyhow::Error {
            let terminated = self.terminated.load(Ordering::Relaxed);
            match err {
                simile_index::IndexError::Interrupted if terminated => {
                    let message = simile_index::IndexError::Interrupted.to_string();
                    crate::exit::CliError::new(crate::exit::Code::Terminated, message).into()
                }
                err => super::index_error(err),
            }
        }

        pub(super) fn requested(&self) -> bool {
            self.requested.load(Ordering::Relaxed)
        }

        pub(super) fn set_nothing_written(&self, nothing: bool) {
            self.nothing_written.store(nothing, Ordering::Relaxed);
        }
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in decimal units.
fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

/// Seconds since the epoch as a UTC date and time (civil-from-days, H. Hinnant).
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500_000), "1.5 MB");
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_764_150_000), "2025-11-26 09:40:00 UTC");
    }
}
