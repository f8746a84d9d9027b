//! Progress on stderr while tagging: only on a terminal and without `--quiet`. A bar with
//! bytes and ETA when every input is a regular file (its size is known), else a spinner;
//! both show articles, paragraphs and paragraphs per second.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display over a run of inputs.
pub struct Progress {
    bar: ProgressBar,
    /// Bytes read so far, counted by the feed readers.
    pub bytes: Arc<AtomicU64>,
    started: Instant,
}

impl Progress {
    /// A display for `inputs`; hidden when `quiet` or stderr is not a terminal.
    pub fn new(quiet: bool, inputs: &[PathBuf]) -> Progress {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            visible_bar(inputs)
        };
        Progress {
            bar,
            bytes: Arc::new(AtomicU64::new(0)),
            started: Instant::now(),
        }
    }

    /// True when nothing is shown (so the feed need not count bytes).
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Shows the counts so far.
    pub fn show(&self, articles: usize, paragraphs: usize) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{articles} articles, {paragraphs} paragraphs, {:.0}/s",
            paragraphs as f64 / secs
        ));
    }

    /// Runs `f` with the bar cleared, so a message printed in it stays readable.
    pub fn suspend(&self, f: impl FnOnce()) {
        self.bar.suspend(f)
    }

    /// Seconds since the run started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Removes the display.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn visible_bar(inputs: &[PathBuf]) -> ProgressBar {
    let total: Option<u64> = inputs
        .iter()
        .map(|p| {
            (p.as_os_str() != "-")
                .then(|| std::fs::metadata(p).ok())
                .flatten()
                .filter(|m| m.is_file())
                .map(|m| m.len())
        })
        .sum();
    let target = ProgressDrawTarget::stderr_with_hz(4);
    let bar = match total {
        Some(total) => {
            let bar = ProgressBar::with_draw_target(Some(total), target);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ETA {eta} {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        }
        None => {
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {msg}")
                    .expect("valid template"),
            );
            bar
        }
    };
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}
