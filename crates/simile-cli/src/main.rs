//! The `simile` command: flags (clap) -> library calls -> a renderer. It computes nothing
//! itself; see the `simile` crate for the engine and `simile-render` for the formats.

mod cli;
mod commands;
mod exit;
mod memory;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// jemalloc instead of the system allocator. Measured on `simile clones` (bench/RESULTS.md):
/// glibc's per-thread arenas grew in small `mprotect` steps (1,313 calls on zstd's `lib/`) and
/// locked each other when one thread freed what another had allocated (1,467 `futex` calls;
/// 14 and 46 with jemalloc). zstd takes 10% less time, OpenSSL 8%, Django 4.2 + 5.1 19%, for
/// 2-11% more peak memory. mimalloc saved as much time but doubled the peak memory; jemalloc's
/// transparent huge pages helped the small trees and slowed Django, so they stay off.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // A panic is a bug: report it as one (exit 70), never as a wrong answer.
    let result = std::panic::catch_unwind(|| commands::run(args));
    match result {
        Ok(Ok(code)) => code.into(),
        Ok(Err(err)) => exit::report_error(&err),
        Err(_) => {
            eprintln!(
                "simile: internal error (a bug); please report it with the command that caused it"
            );
            exit::Code::Internal.into()
        }
    }
}
