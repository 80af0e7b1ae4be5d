//! The model downloader against a real HTTP server on loopback (std::net, written here so it
//! can misbehave on purpose): resume after a dropped connection, a wrong checksum, a stall and
//! a cancel. The upstream model hosts cannot be reached from the build machine, so this is
//! where the download path is proven; the served bytes are a real file on disk.

use rehearse_stt::download::{download_file, part_path, CancelToken, DownloadError};
use rehearse_stt::models::{sha256_file, Pin};
use rehearse_stt::{DownloadOptions, DownloadPhase, DownloadProgress};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// Serves the file, honouring Range.
    Normal,
    /// The first response promises the whole file, sends a third of it and hangs up.
    DropFirst,
    /// Serves bytes of the right length that are not the file.
    WrongBytes,
    /// Sends a quarter, then nothing for a long time while holding the connection open.
    Stall,
    /// Ignores Range and always sends the whole file with 200.
    NoRanges,
}

struct Server {
    url: String,
    /// The start offset of every request's Range header (None: no Range).
    ranges: Arc<Mutex<Vec<Option<u64>>>>,
}

fn serve(file: PathBuf, mode: Mode) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/model.bin", listener.local_addr().unwrap());
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let seen = ranges.clone();
    std::thread::spawn(move || {
        let data = std::fs::read(&file).unwrap();
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { return };
            let data = data.clone();
            let seen = seen.clone();
            // One thread per connection, so a stalled one does not block the next request.
            std::thread::spawn(move || handle(stream, &data, mode, i, &seen));
        }
    });
    Server { url, ranges }
}

fn handle(
    mut stream: TcpStream,
    data: &[u8],
    mode: Mode,
    nth: usize,
    seen: &Mutex<Vec<Option<u64>>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line
            .to_ascii_lowercase()
            .strip_prefix("range: bytes=")
            .map(str::to_string)
        {
            range = v.trim_end_matches('-').parse::<u64>().ok();
        }
    }
    seen.lock().unwrap().push(range);
    let range = if mode == Mode::NoRanges { None } else { range };
    let start = range.unwrap_or(0) as usize;
    let body: Vec<u8> = if mode == Mode::WrongBytes {
        data[start..].iter().map(|b| b ^ 0x5a).collect()
    } else {
        data[start..].to_vec()
    };
    let head = match range {
        Some(s) => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {}-{}/{}\r\nConnection: close\r\n\r\n",
            body.len(),
            s,
            data.len() - 1,
            data.len()
        ),
        None => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n",
            body.len()
        ),
    };
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    match mode {
        Mode::DropFirst if nth == 0 => {
            let _ = stream.write_all(&body[..body.len() / 3]);
            let _ = stream.flush();
            // Dropping the stream closes the connection mid-body.
        }
        Mode::Stall => {
            let _ = stream.write_all(&body[..body.len() / 4]);
            let _ = stream.flush();
            std::thread::sleep(Duration::from_secs(60));
        }
        _ => {
            for chunk in body.chunks(16 * 1024) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
            }
        }
    }
}

/// A 3 MB file of seeded pseudo-random bytes (xorshift), and its pin.
fn test_file(dir: &Path) -> (PathBuf, Pin) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..3_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let path = dir.join("source.bin");
    std::fs::write(&path, &bytes).unwrap();
    let sha = sha256_file(&path).unwrap();
    let pin = Pin {
        size_bytes: bytes.len() as u64,
        sha256: Box::leak(sha.into_boxed_str()),
    };
    (path, pin)
}

fn quick() -> DownloadOptions {
    DownloadOptions {
        stall_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_secs(2),
        max_resumes: 3,
        progress_interval: Duration::ZERO,
    }
}

/// Downloads with the quick test options, no cancel and no progress reporting.
fn fetch(url: &str, dest: &Path, pin: Pin) -> Result<PathBuf, DownloadError> {
    download_file(
        url,
        dest,
        &[pin],
        &quick(),
        &CancelToken::new(),
        &mut |_| {},
    )
}

fn record() -> (
    Arc<Mutex<Vec<DownloadProgress>>>,
    impl FnMut(DownloadProgress),
) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    (log, move |p| l.lock().unwrap().push(p))
}

#[test]
fn downloads_verifies_and_reports_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src.clone(), Mode::Normal);
    let dest = tmp.path().join("models/ggml-test.bin");
    let (log, mut sink) = record();
    let got = download_file(
        &server.url,
        &dest,
        &[pin],
        &quick(),
        &CancelToken::new(),
        &mut sink,
    )
    .unwrap();
    assert_eq!(got, dest);
    assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&src).unwrap());
    assert!(!part_path(&dest).exists());
    let log = log.lock().unwrap();
    let fetched: Vec<u64> = log
        .iter()
        .filter(|p| p.phase == DownloadPhase::Fetching)
        .map(|p| p.bytes)
        .collect();
    assert!(fetched.len() > 3, "{fetched:?}");
    assert!(fetched.windows(2).all(|w| w[0] <= w[1]), "{fetched:?}");
    assert!(log.iter().all(|p| p.total == pin.size_bytes));
    assert_eq!(log.last().map(|p| p.phase), Some(DownloadPhase::Done));
    assert_eq!(*server.ranges.lock().unwrap(), vec![None]);
}

#[test]
fn a_dropped_connection_is_resumed_with_a_range_request() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src.clone(), Mode::DropFirst);
    let dest = tmp.path().join("ggml-test.bin");
    fetch(&server.url, &dest, pin).unwrap();
    assert_eq!(sha256_file(&dest).unwrap(), pin.sha256);
    let ranges = server.ranges.lock().unwrap().clone();
    assert_eq!(ranges.len(), 2, "{ranges:?}");
    assert_eq!(ranges[0], None);
    // The second request asks for exactly what the first one did not deliver.
    assert_eq!(ranges[1], Some(pin.size_bytes / 3), "{ranges:?}");
}

#[test]
fn a_server_without_ranges_restarts_from_zero_and_still_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let dest = tmp.path().join("ggml-test.bin");
    // A stale half file from an earlier attempt.
    let bytes = std::fs::read(&src).unwrap();
    std::fs::write(part_path(&dest), &bytes[..1_000_000]).unwrap();
    let server = serve(src, Mode::NoRanges);
    fetch(&server.url, &dest, pin).unwrap();
    assert_eq!(sha256_file(&dest).unwrap(), pin.sha256);
    assert_eq!(*server.ranges.lock().unwrap(), vec![Some(1_000_000)]);
}

#[test]
fn wrong_bytes_fail_the_checksum_and_leave_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src, Mode::WrongBytes);
    let dir = tmp.path().join("models");
    let dest = dir.join("ggml-test.bin");
    let err = fetch(&server.url, &dest, pin).unwrap_err();
    assert!(
        matches!(err, DownloadError::ChecksumMismatch { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("nothing was installed"), "{err}");
    assert!(!dest.exists());
    assert!(
        !part_path(&dest).exists(),
        "the wrong bytes must not be resumed"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn a_stall_stops_within_the_timeout_and_keeps_the_part_for_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src.clone(), Mode::Stall);
    let dest = tmp.path().join("ggml-test.bin");
    let options = quick();
    let started = Instant::now();
    let err = download_file(
        &server.url,
        &dest,
        &[pin],
        &options,
        &CancelToken::new(),
        &mut |_| {},
    )
    .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, DownloadError::Stalled { .. }), "{err}");
    assert!(err.to_string().contains("stalled"), "{err}");
    // Within a generous bound of the 0.8 s stall timeout, nowhere near the server's 60 s.
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(!dest.exists());
    let kept = std::fs::metadata(part_path(&dest)).unwrap().len();
    assert_eq!(kept, pin.size_bytes / 4);
    // The next attempt against a healthy server resumes from what was kept.
    let healthy = serve(src, Mode::Normal);
    download_file(
        &healthy.url,
        &dest,
        &[pin],
        &options,
        &CancelToken::new(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(sha256_file(&dest).unwrap(), pin.sha256);
    assert_eq!(*healthy.ranges.lock().unwrap(), vec![Some(kept)]);
}

#[test]
fn cancel_keeps_the_part_and_a_later_download_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src, Mode::Normal);
    let dest = tmp.path().join("ggml-test.bin");
    let cancel = CancelToken::new();
    let c = cancel.clone();
    let mut sink = move |p: DownloadProgress| {
        if p.bytes > 1_000_000 {
            c.cancel();
        }
    };
    let err = download_file(&server.url, &dest, &[pin], &quick(), &cancel, &mut sink).unwrap_err();
    assert!(matches!(err, DownloadError::Cancelled { .. }), "{err}");
    assert!(!dest.exists());
    let kept = std::fs::metadata(part_path(&dest)).unwrap().len();
    assert!(kept > 1_000_000 && kept < pin.size_bytes, "{kept}");
    fetch(&server.url, &dest, pin).unwrap();
    assert_eq!(sha256_file(&dest).unwrap(), pin.sha256);
    assert_eq!(*server.ranges.lock().unwrap(), vec![None, Some(kept)]);
}

#[test]
fn wrong_size_and_http_errors_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, pin) = test_file(tmp.path());
    let server = serve(src, Mode::Normal);
    let dest = tmp.path().join("ggml-test.bin");
    let bigger = Pin {
        size_bytes: pin.size_bytes + 1,
        sha256: pin.sha256,
    };
    let err = download_file(
        &server.url,
        &dest,
        &[bigger],
        &quick(),
        &CancelToken::new(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, DownloadError::WrongSize { .. }), "{err}");
    assert!(err.to_string().contains("mirror"), "{err}");
    // Nothing listens on port 9 of loopback.
    let err = download_file(
        "http://127.0.0.1:9/model.bin",
        &dest,
        &[pin],
        &quick(),
        &CancelToken::new(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, DownloadError::Network { .. }), "{err}");
    assert!(err.to_string().contains("install-file"), "{err}");
    assert!(!dest.exists());
}
