//! Downloading a model file: resumable (`<file>.part` + HTTP Range), with progress, cancel, a
//! stall timeout and a checksum check before the file appears under its real name.
//!
//! Blocking on purpose: the engine runs it on a thread of its own, like the LLM client (ureq).

use crate::models::{sha256_file, Pin};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};

/// Stops a download from another thread. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where the download stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadPhase {
    /// Bytes are arriving.
    Fetching,
    /// Every byte is here; the checksum is being computed.
    Verifying,
    /// Verified and in place.
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadProgress {
    pub phase: DownloadPhase,
    /// Bytes on disk so far (a resumed download starts above zero).
    pub bytes: u64,
    pub total: u64,
}

#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// No byte for this long while connecting or receiving = stalled: the download stops with
    /// [`DownloadError::Stalled`] (and resumes next time).
    pub stall_timeout: Duration,
    pub connect_timeout: Duration,
    /// How many times a dropped connection is picked up again (from where it stopped)
    /// within one call.
    pub max_resumes: u32,
    /// Least time between two progress reports while fetching.
    pub progress_interval: Duration,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            stall_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(15),
            max_resumes: 5,
            progress_interval: Duration::from_millis(100),
        }
    }
}

const RESUME_HINT: &str = "run the download again: it resumes where it stopped";

/// Every message says what happened and what to do; none loses what was already fetched
/// unless the bytes were wrong.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("download cancelled; the {done_mb:.1} MB fetched so far are kept in {part} and the next download resumes from there", done_mb = *bytes as f64 / 1e6)]
    Cancelled { part: PathBuf, bytes: u64 },
    #[error("the download from {url} stalled: no data for {secs} s (at {done_mb:.1} of {total_mb:.1} MB); check the network and {RESUME_HINT}", secs = stall.as_secs_f64(), done_mb = *bytes as f64 / 1e6, total_mb = *total as f64 / 1e6)]
    Stalled {
        url: String,
        stall: Duration,
        bytes: u64,
        total: u64,
    },
    #[error("could not reach {url} ({reason}); check the network or the address, or download the file some other way and run `rehearse models install-file PATH`")]
    Network { url: String, reason: String },
    #[error("the connection to {url} dropped {times} times (at {done_mb:.1} MB, last: {reason}); {RESUME_HINT}", done_mb = *bytes as f64 / 1e6)]
    Interrupted {
        url: String,
        times: u32,
        bytes: u64,
        reason: String,
    },
    #[error(
        "{url} answered HTTP {status}; check the address (a --url mirror must serve the same file)"
    )]
    Http { url: String, status: u16 },
    #[error("{url} offers {offered} bytes but the model is {expected} bytes: it is a different file; check the address (a --url mirror must serve the same file)")]
    WrongSize {
        url: String,
        offered: u64,
        expected: u64,
    },
    #[error("the file from {url} is not the expected model (sha256 {got}, expected {expected}); it was deleted and nothing was installed. A --url mirror must serve the same file; otherwise try again")]
    ChecksumMismatch {
        url: String,
        got: String,
        expected: String,
    },
    #[error("cannot write {path}: {source} (check the folder is writable and has {need_mb:.0} MB free)", need_mb = *need as f64 / 1e6)]
    Io {
        path: PathBuf,
        need: u64,
        source: io::Error,
    },
}

/// `<dest>.part`: where the bytes collect until they are verified.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    dest.with_file_name(name)
}

/// Downloads `url` to `dest`, which appears (atomically, by rename) only once its size and
/// sha256 match one of `accepted` (the one whose size the server offers; the first when it
/// offers none). Resumes from `<dest>.part` when one is there. A cancel or a stall keeps the
/// part file; a checksum mismatch deletes it.
pub fn download_file(
    url: &str,
    dest: &Path,
    accepted: &[Pin],
    options: &DownloadOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(DownloadProgress),
) -> Result<PathBuf, DownloadError> {
    let part = part_path(dest);
    // fetch_once relies on at least one accepted file.
    if accepted.is_empty() {
        return Err(DownloadError::WrongSize {
            url: url.to_string(),
            offered: 0,
            expected: 0,
        });
    }
    let largest = accepted.iter().map(|p| p.size_bytes).max().unwrap_or(0);
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DownloadError::Io {
            path,
            need: largest,
            source,
        }
    };
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        // Statuses are handled here (206 vs 200 vs 416 matter), not turned into errors.
        .http_status_as_error(false)
        .timeout_connect(Some(options.connect_timeout))
        .timeout_recv_response(Some(options.stall_timeout))
        // Restarts on every read: this is the stall timeout, not a cap on the whole download.
        .timeout_per_read(Some(options.stall_timeout))
        .user_agent(concat!("rehearse/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();

    let mut drops = 0u32;
    let expected = loop {
        if cancel.is_cancelled() {
            return Err(cancelled(&part));
        }
        let mut have = file_len(&part).map_err(io_err(&part))?;
        if have > largest {
            warn!(part = %part.display(), have, "part file is longer than the model; starting over");
            remove_if_exists(&part).map_err(io_err(&part))?;
            have = 0;
        }
        if let Some(pin) = accepted.iter().find(|p| p.size_bytes == have) {
            break *pin;
        }
        let (fetched, pin) = fetch_once(
            &agent, url, &part, have, accepted, options, cancel, progress,
        )?;
        match fetched {
            Fetch::Complete => break pin,
            Fetch::Dropped(reason) => {
                drops += 1;
                let bytes = file_len(&part).unwrap_or(0);
                if drops > options.max_resumes {
                    return Err(DownloadError::Interrupted {
                        url: url.to_string(),
                        times: drops,
                        bytes,
                        reason,
                    });
                }
                warn!(url, bytes, %reason, attempt = drops, "connection dropped; resuming");
            }
        }
    };

    progress(DownloadProgress {
        phase: DownloadPhase::Verifying,
        bytes: expected.size_bytes,
        total: expected.size_bytes,
    });
    let got = sha256_file(&part).map_err(io_err(&part))?;
    if got != expected.sha256 {
        // Wrong bytes cannot be resumed into right ones.
        remove_if_exists(&part).map_err(io_err(&part))?;
        return Err(DownloadError::ChecksumMismatch {
            url: url.to_string(),
            got,
            expected: expected.sha256.to_string(),
        });
    }
    std::fs::rename(&part, dest).map_err(io_err(dest))?;
    info!(url, dest = %dest.display(), "downloaded and verified");
    progress(DownloadProgress {
        phase: DownloadPhase::Done,
        bytes: expected.size_bytes,
        total: expected.size_bytes,
    });
    Ok(dest.to_path_buf())
}

enum Fetch {
    Complete,
    /// The connection ended early; the part file holds what arrived.
    Dropped(String),
}

/// One request from `have` on. Returns how it ended and the accepted file the server offers.
#[allow(clippy::too_many_arguments)]
fn fetch_once(
    agent: &ureq::Agent,
    url: &str,
    part: &Path,
    mut have: u64,
    accepted: &[Pin],
    options: &DownloadOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(DownloadProgress),
) -> Result<(Fetch, Pin), DownloadError> {
    let first = accepted[0];
    let stalled = |bytes, total| DownloadError::Stalled {
        url: url.to_string(),
        stall: options.stall_timeout,
        bytes,
        total,
    };
    let mut request = agent.get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    debug!(url, from = have, "requesting");
    let response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Timeout(_)) => return Err(stalled(have, first.size_bytes)),
        Err(ureq::Error::Io(e)) if is_timeout(&e) => return Err(stalled(have, first.size_bytes)),
        Err(ureq::Error::Io(e)) if have > 0 => return Ok((Fetch::Dropped(e.to_string()), first)),
        Err(e) => {
            return Err(DownloadError::Network {
                url: url.to_string(),
                reason: e.to_string(),
            })
        }
    };
    let status = response.status().as_u16();
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let mut offered = None;
    let truncate = match status {
        206 => {
            let range = response
                .headers()
                .get("content-range")
                .and_then(|v| v.to_str().ok());
            let start = range.and_then(content_range_start);
            if start != Some(have) {
                // A range other than the one asked for: not worth trusting; start over.
                warn!(
                    url,
                    ?start,
                    have,
                    "server sent another range; starting over"
                );
                std::fs::remove_file(part).ok();
                return Ok((
                    Fetch::Dropped("the server sent another range".into()),
                    first,
                ));
            }
            offered = range.and_then(content_range_total);
            false
        }
        200 => {
            if have > 0 {
                info!(url, "server ignores Range requests; starting over");
            }
            have = 0;
            true
        }
        416 => {
            // The part file does not fit the server's file: drop it and start over.
            std::fs::remove_file(part).ok();
            return Ok((
                Fetch::Dropped("the server refused the resume range".into()),
                first,
            ));
        }
        _ => {
            return Err(DownloadError::Http {
                url: url.to_string(),
                status,
            })
        }
    };
    let offered = offered.or(length.map(|len| have + len));
    let pin = match offered {
        // No size given: the first accepted file, checked by size and sha256 at the end.
        None => first,
        Some(size) => *accepted
            .iter()
            .find(|p| p.size_bytes == size)
            .ok_or_else(|| DownloadError::WrongSize {
                url: url.to_string(),
                offered: size,
                expected: first.size_bytes,
            })?,
    };
    let total = pin.size_bytes;
    let io_err = |source| DownloadError::Io {
        path: part.to_path_buf(),
        need: total,
        source,
    };
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(!truncate)
        .truncate(truncate)
        .open(part)
        .map_err(io_err)?;
    let mut body = response.into_body().into_reader();
    let mut buf = vec![0u8; 64 * 1024];
    let mut last_report = Instant::now() - options.progress_interval;
    let result = loop {
        if cancel.is_cancelled() {
            file.sync_all().map_err(io_err)?;
            return Err(cancelled(part));
        }
        match body.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                let n = n.min((total - have) as usize);
                file.write_all(&buf[..n]).map_err(io_err)?;
                have += n as u64;
                if last_report.elapsed() >= options.progress_interval || have == total {
                    last_report = Instant::now();
                    progress(DownloadProgress {
                        phase: DownloadPhase::Fetching,
                        bytes: have,
                        total,
                    });
                }
                if have == total {
                    break Ok(());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    // What arrived is kept whatever happens next, so the next attempt resumes after it.
    file.sync_all().map_err(io_err)?;
    match result {
        Ok(()) if have == total => Ok((Fetch::Complete, pin)),
        Ok(()) => Ok((
            Fetch::Dropped(format!(
                "the server closed the connection at {have} of {total} bytes"
            )),
            pin,
        )),
        Err(e) if is_timeout(&e) => Err(stalled(have, total)),
        Err(e) => Ok((Fetch::Dropped(e.to_string()), pin)),
    }
}

/// "bytes 100-199/200" -> 200.
fn content_range_total(v: &str) -> Option<u64> {
    v.rsplit('/').next()?.trim().parse().ok()
}

/// "bytes 100-199/200" -> 100.
fn content_range_start(v: &str) -> Option<u64> {
    let range = v.trim().strip_prefix("bytes")?.trim_start();
    range.split('-').next()?.trim().parse().ok()
}

fn is_timeout(e: &io::Error) -> bool {
    if matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) {
        return true;
    }
    matches!(
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>()),
        Some(ureq::Error::Timeout(_))
    )
}

fn cancelled(part: &Path) -> DownloadError {
    DownloadError::Cancelled {
        part: part.to_path_buf(),
        bytes: file_len(part).unwrap_or(0),
    }
}

fn file_len(path: &Path) -> io::Result<u64> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Copies a local file into place the same way a download lands: into a part file, checked,
/// then renamed. Used to install a ggml file the user already has.
pub fn copy_verified(src: &Path, dest: &Path, expected: Option<Pin>) -> Result<(), CopyError> {
    let part = part_path(dest);
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CopyError::Io { path, source }
    };
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    {
        let mut from = File::open(src).map_err(io_err(src))?;
        let mut to = File::create(&part).map_err(io_err(&part))?;
        io::copy(&mut from, &mut to).map_err(io_err(&part))?;
        to.sync_all().map_err(io_err(&part))?;
    }
    if let Some(pin) = expected {
        let got = sha256_file(&part).map_err(io_err(&part))?;
        if got != pin.sha256 {
            remove_if_exists(&part).ok();
            return Err(CopyError::Checksum {
                got,
                expected: pin.sha256.to_string(),
            });
        }
    }
    std::fs::rename(&part, dest).map_err(io_err(dest))?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the copy does not match the source's checksum (sha256 {got}, expected {expected}); check the disk and try again")]
    Checksum { got: String, expected: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_parsed() {
        assert_eq!(content_range_start("bytes 100-199/200"), Some(100));
        assert_eq!(content_range_start("bytes 0-9/10"), Some(0));
        assert_eq!(content_range_start("items 1-2/3"), None);
        assert_eq!(content_range_start("bytes */200"), None);
        assert_eq!(content_range_total("bytes 100-199/200"), Some(200));
        assert_eq!(content_range_total("bytes 100-199/*"), None);
    }

    #[test]
    fn part_file_sits_beside_the_model() {
        assert_eq!(
            part_path(Path::new("/m/ggml-base.en.bin")),
            Path::new("/m/ggml-base.en.bin.part")
        );
    }

    #[test]
    fn cancel_token_is_shared_by_clones() {
        let a = CancelToken::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
    }
}
