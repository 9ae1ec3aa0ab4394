//! Progress on stderr: bars and spinners when stderr is a terminal and `--quiet` is not given,
//! nothing otherwise (a pipe or a log file never fills with bar redraws).

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;
use std::time::Duration;

/// Progress bars on stderr, or nothing (not a terminal, or `--quiet`).
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress { enabled }
    }

    pub fn spinner(&self, message: &'static str) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner().with_message(message);
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }

    pub fn bar(&self, message: &'static str, len: usize) -> ProgressBar {
        self.bar_of(message, len, "files")
    }

    /// A bar counting `unit`s (files, pairs).
    pub fn bar_of(&self, message: &'static str, len: usize, unit: &str) -> ProgressBar {
        // A single file is over before a bar would be seen.
        if !self.enabled || len < 2 {
            return ProgressBar::hidden();
        }
        let template =
            format!("{{msg:>9}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)");
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        ProgressBar::new(len as u64)
            .with_style(style)
            .with_message(message)
    }
}

/// The engine's steps, each shown as its own bar (files read, pairs verified...).
pub struct Stages<'a> {
    progress: &'a Progress,
    current: Mutex<Option<ProgressBar>>,
}

impl<'a> Stages<'a> {
    pub fn new(progress: &'a Progress) -> Stages<'a> {
        Stages {
            progress,
            current: Mutex::new(None),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Clear the last bar.
    pub fn finish(&self) {
        if let Some(bar) = self.lock().take() {
            bar.finish_and_clear();
        }
    }
}

impl simile::clones::Progress for Stages<'_> {
    fn stage(&self, name: &'static str, total: usize) {
        // The engine's steps count files, except verification, which counts pairs.
        let unit = if name == "verifying" {
            "pairs"
        } else {
            "files"
        };
        let bar = self.progress.bar_of(name, total, unit);
        if let Some(previous) = self.lock().replace(bar) {
            previous.finish_and_clear();
        }
    }

    fn tick(&self) {
        if let Some(bar) = self.lock().as_ref() {
            bar.inc(1);
        }
    }
}
