//! SIGINT and SIGTERM: remove the temp files of outputs being written, then exit with
//! 128 + the signal's number (130, 143), as a shell reports a process ended by it.

/// Starts a thread that waits for SIGINT or SIGTERM. The signal handler itself only wakes
/// the thread (signal-hook's self-pipe); the thread does what a handler may not (take a
/// lock, remove files) and exits.
#[cfg(unix)]
pub fn remove_temp_files_on_signal() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(e) => {
            super::warn(format!(
                "cannot watch for SIGINT and SIGTERM ({e}); an interrupted run may leave a \
                 temp file beside its output"
            ));
            return;
        }
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            chaff::io::atomic::remove_temp_files();
            std::process::exit(128 + signal);
        }
    });
}

/// Elsewhere the default handling stays.
#[cfg(not(unix))]
pub fn remove_temp_files_on_signal() {}
