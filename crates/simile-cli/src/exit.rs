//! Exit codes, as documented in the README:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | the command ran, but found nothing (find: some query has no match above `--min-similarity`, or there was no query file) or a gate failed (clones --fail-over) |
//! | 2 | usage error: bad flags or arguments, bad template |
//! | 3 | an input file could not be read: missing, unreadable, a directory, binary, too large |
//! | 4 | index error: corrupt, foreign, of another version, or locked by another writer |
//! | 5 | output error: the report could not be written |
//! | 70 | internal error (a bug) |
//! | 130, 143 | an index writer stopped by SIGINT (Ctrl-C) or SIGTERM, having committed nothing |

use simile::source::SourceError;
use std::process::ExitCode;

/// A process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // `Index` is used by `index`.
pub enum Code {
    Success = 0,
    NotFound = 1,
    Usage = 2,
    Input = 3,
    Index = 4,
    Output = 5,
    Internal = 70,
    /// 128 + SIGINT.
    Interrupted = 130,
    /// 128 + SIGTERM.
    Terminated = 143,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}

/// An error that knows its exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: Code,
    pub message: String,
}

impl CliError {
    pub fn new(code: Code, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
        }
    }
}

impl From<SourceError> for CliError {
    fn from(err: SourceError) -> CliError {
        // The message holds a path, which may hold any byte but `/` and NUL: line breaks and
        // escape sequences are shown as pictures, like file content.
        CliError::new(
            Code::Input,
            simile_render::terminal_safe(&err.to_string()).into_owned(),
        )
    }
}

/// Print an error and pick its exit code.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if let Some(io) = err.downcast_ref::<std::io::Error>()
        && io.kind() == std::io::ErrorKind::BrokenPipe
    {
        // `simile ... | head`: the reader left; that is not a failure.
        return Code::Success.into();
    }
    let code = err
        .downcast_ref::<CliError>()
        .map(|e| e.code)
        .or_else(|| err.downcast_ref::<SourceError>().map(|_| Code::Input))
        .unwrap_or(Code::Internal);
    // Messages name files and quote templates: nothing in them may act on the terminal. Only
    // our own messages keep their line breaks (a template error's excerpt); in any other, a
    // line break came from a file name and is shown as a picture.
    // `{err}`, not `{err:#}`: every message of ours already says its cause, and the chain
    // would repeat it (`loop: Too many levels of symbolic links: Too many levels of ...`).
    let message = err.to_string();
    if err.downcast_ref::<CliError>().is_some() {
        let lines: Vec<_> = message
            .split('\n')
            .map(simile_render::terminal_safe)
            .collect();
        eprintln!("simile: {}", lines.join("\n"));
    } else {
        eprintln!("simile: {}", simile_render::terminal_safe(&message));
    }
    code.into()
}
