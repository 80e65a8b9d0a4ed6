//! Progress on stderr: a spinner per stage when stderr is a terminal, nothing with `--quiet`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Self { quiet }
    }

    /// Runs `f` with a spinner named `what` (shown only on a terminal, and only if `f` takes a
    /// while), then a line saying how long it took.
    pub fn stage<T, E>(&self, what: &str, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        if self.quiet {
            return f();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        let t = std::time::Instant::now();
        let out = f();
        bar.finish_and_clear();
        if out.is_ok() {
            eprintln!("{what}: {:.1} s", t.elapsed().as_secs_f64());
        }
        out
    }

    /// A line of information on stderr.
    pub fn note(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}
