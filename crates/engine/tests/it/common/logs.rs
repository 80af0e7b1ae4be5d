//! The test binary's one tracing subscriber. All the engine's integration tests share one
//! process, and a process's global subscriber can be set only once, so every test that wants
//! logs goes through here instead of installing its own: the first call installs it.
//!
//! It shows warnings in the test's output, and while a [`LogCapture`] is alive it also copies
//! every event at TRACE, from every thread, into the capture's buffer (`log` records too).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use tracing_subscriber::filter::{dynamic_filter_fn, LevelFilter};
use tracing_subscriber::prelude::*;

/// Whether a capture is alive; read for every event, so an atomic rather than the buffer's lock.
static CAPTURING: AtomicBool = AtomicBool::new(false);
/// The capture's buffer. Its lock is also what lets one capture at a time run.
static CAPTURED: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static ONE_CAPTURE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Installs the subscriber if no test has yet.
pub fn init() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let shown = tracing_subscriber::fmt::layer()
            .with_test_writer()
            .with_filter(LevelFilter::WARN);
        let captured = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(|| CaptureWriter)
            .with_filter(dynamic_filter_fn(|_, _| CAPTURING.load(Ordering::SeqCst)));
        tracing_subscriber::registry()
            .with(shown)
            .with(captured)
            .try_init()
            .expect("only this module installs a global subscriber in the engine's tests");
    });
}

/// Everything logged, at every level and from every thread, from now until it is dropped.
/// A second capture waits for the first to end.
pub fn capture() -> LogCapture {
    init();
    let turn = ONE_CAPTURE_AT_A_TIME
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    lock_captured().clear();
    CAPTURING.store(true, Ordering::SeqCst);
    LogCapture { _turn: turn }
}

pub struct LogCapture {
    _turn: MutexGuard<'static, ()>,
}

impl LogCapture {
    /// What was logged so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&lock_captured()).into_owned()
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        CAPTURING.store(false, Ordering::SeqCst);
        lock_captured().clear();
    }
}

fn lock_captured() -> MutexGuard<'static, Vec<u8>> {
    // A test that panicked mid-write leaves the bytes usable.
    CAPTURED.lock().unwrap_or_else(PoisonError::into_inner)
}

struct CaptureWriter;

impl Write for CaptureWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if CAPTURING.load(Ordering::SeqCst) {
            lock_captured().extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
