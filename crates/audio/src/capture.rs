use crate::cpal_input::open_stream;
use crate::processing::{spawn_processing, Raw, StreamFeed, WATCHDOG};
use crate::AudioError;
use crossbeam_channel::{bounded, Receiver, Sender};
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use crate::processing::MicFrames;

/// How long a stream that is asked to close may take before it is left behind: one whose
/// sound server died may never return, and must not hold up the session.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// How long a device may take to open.
const OPEN_WAIT: Duration = Duration::from_secs(10);

/// What a fed capture (see [`MicCapture::from_samples_then`]) does once its samples are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedEnd {
    /// Stays open and silent until stopped, as a quiet microphone does.
    StayOpen,
    /// Delivers nothing more, as a microphone whose sound server died.
    GoDead,
}

/// A running microphone capture. The cpal stream lives on its own thread (it is not `Send`
/// on every platform); a second thread downmixes, resamples, writes the WAV to disk first and
/// only then forwards frames, so the recording survives whatever happens downstream. The
/// stream can be replaced (see [`switch_input`](Self::switch_input)) while the recording goes
/// on in the same file.
pub struct MicCapture {
    stream: Option<StreamThread>,
    /// New streams for the processing thread; closing it stops the recording.
    feeds_tx: Option<Sender<StreamFeed>>,
    process_thread: Option<JoinHandle<Result<f64, AudioError>>>,
    pub device_name: String,
}

impl MicCapture {
    /// Opens `device` (None: the system default) and starts recording into `record_to`.
    pub fn start(
        device: Option<&str>,
        record_to: PathBuf,
    ) -> Result<(MicCapture, Receiver<MicFrames>), AudioError> {
        let (stream, feed) = open_device(device)?;
        Self::begin(stream, feed, record_to, WATCHDOG)
    }

    /// A capture fed from `samples` (at `rate`, interleaved `channels`) instead of a device:
    /// the same processing, recording and hand-over as the microphone's, for tests and tools
    /// that have no microphone. Chunks of 10 ms are handed over in real time when `real_time`,
    /// else as fast as they are taken; once all are fed the "device" stays open and silent
    /// until stopped, as a quiet microphone does.
    pub fn from_samples(
        samples: Vec<f32>,
        rate: u32,
        channels: u16,
        real_time: bool,
        record_to: PathBuf,
    ) -> Result<(MicCapture, Receiver<MicFrames>), AudioError> {
        let feed = SamplesFeed {
            samples,
            rate,
            channels,
            real_time,
            end: FeedEnd::StayOpen,
        };
        Self::from_samples_then(feed, record_to, WATCHDOG)
    }

    /// [`from_samples`](Self::from_samples) with the end chosen and the watchdog's delay
    /// (how long no samples means a lost input), for tests of a microphone that disappears.
    pub fn from_samples_then(
        feed: SamplesFeed,
        record_to: PathBuf,
        watchdog: Duration,
    ) -> Result<(MicCapture, Receiver<MicFrames>), AudioError> {
        let (stream, feed) = feed.spawn()?;
        Self::begin(stream, feed, record_to, watchdog)
    }

    fn begin(
        stream: StreamThread,
        feed: StreamFeed,
        record_to: PathBuf,
        watchdog: Duration,
    ) -> Result<(MicCapture, Receiver<MicFrames>), AudioError> {
        let device_name = feed.device.clone();
        let (feeds_tx, feeds_rx) = bounded::<StreamFeed>(1);
        match spawn_processing(feed, feeds_rx, &record_to, watchdog) {
            Ok((process_thread, out_rx)) => Ok((
                MicCapture {
                    stream: Some(stream),
                    feeds_tx: Some(feeds_tx),
                    process_thread: Some(process_thread),
                    device_name,
                },
                out_rx,
            )),
            Err(e) => {
                // No recording file (a full disk): close the microphone again.
                stream.close();
                Err(e)
            }
        }
    }

    /// Continues the recording on `device` (None: the system default), e.g. after the one in
    /// use was lost: the old stream is closed, and what the new one hears is appended to the
    /// same file. Returns the new device's name. On error the capture stays without input
    /// (and records nothing) until a switch succeeds or it is stopped.
    pub fn switch_input(&mut self, device: Option<&str>) -> Result<String, AudioError> {
        if let Some(old) = self.stream.take() {
            old.close();
        }
        let opened = open_device(device)?;
        self.continue_with(opened)
    }

    /// [`switch_input`](Self::switch_input) to samples fed as a device would deliver them,
    /// for tests of a recording that goes on after its input was lost.
    pub fn switch_to_samples(&mut self, feed: SamplesFeed) -> Result<String, AudioError> {
        if let Some(old) = self.stream.take() {
            old.close();
        }
        let opened = feed.spawn()?;
        self.continue_with(opened)
    }

    fn continue_with(
        &mut self,
        (stream, feed): (StreamThread, StreamFeed),
    ) -> Result<String, AudioError> {
        let name = feed.device.clone();
        let sent = self.feeds_tx.as_ref().map(|tx| tx.send(feed));
        if !matches!(sent, Some(Ok(()))) {
            stream.close();
            return Err(AudioError::Device("the recording has already ended".into()));
        }
        self.stream = Some(stream);
        self.device_name = name.clone();
        Ok(name)
    }

    /// Stops capture, finishes the WAV file and returns its duration in seconds.
    pub fn stop(mut self) -> Result<f64, AudioError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<f64, AudioError> {
        if let Some(stream) = self.stream.take() {
            stream.close();
        }
        // The stream is closed: the processing thread drains it and finishes the file.
        drop(self.feeds_tx.take());
        match self.process_thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| AudioError::Device("the audio processing thread panicked".into()))?,
            None => Ok(0.0),
        }
    }
}

impl Drop for MicCapture {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// The thread that holds a stream open until asked to close.
struct StreamThread {
    stop_tx: Sender<()>,
    thread: JoinHandle<()>,
}

impl StreamThread {
    /// Closes the stream, waiting at most [`CLOSE_WAIT`] for it.
    fn close(self) {
        let _ = self.stop_tx.try_send(());
        let deadline = Instant::now() + CLOSE_WAIT;
        while !self.thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if self.thread.is_finished() {
            let _ = self.thread.join();
        } else {
            tracing::warn!("an input stream did not close in time and was left behind");
        }
    }
}

fn open_device(device: Option<&str>) -> Result<(StreamThread, StreamFeed), AudioError> {
    let device_wanted = device.map(str::to_string);
    let (raw_tx, raw_rx) = bounded::<Raw>(512);
    let (stop_tx, stop_rx) = bounded::<()>(1);
    let (ready_tx, ready_rx) = bounded::<Result<(String, u32, u16), AudioError>>(1);
    let thread = std::thread::Builder::new()
        .name("mic-stream".into())
        .spawn(
            move || match open_stream(device_wanted.as_deref(), raw_tx) {
                Ok((stream, name, rate, channels)) => {
                    let _ = ready_tx.send(Ok((name, rate, channels)));
                    // Dropping the stream stops it (pause() is unsupported on some hosts).
                    let _ = stop_rx.recv();
                    drop(stream);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            },
        )
        .map_err(|e| AudioError::Device(e.to_string()))?;
    let stream = StreamThread { stop_tx, thread };
    let (name, rate, channels) = match ready_rx.recv_timeout(OPEN_WAIT) {
        Ok(opened) => opened?,
        Err(_) => {
            stream.close();
            return Err(AudioError::Device(format!(
                "the microphone did not open within {} s",
                OPEN_WAIT.as_secs()
            )));
        }
    };
    tracing::info!(device = %name, rate, channels, "microphone opened");
    let feed = StreamFeed {
        raw: raw_rx,
        rate,
        channels,
        device: name,
    };
    Ok((stream, feed))
}

/// Samples fed to a capture as a device would deliver them (see
/// [`MicCapture::from_samples_then`]).
pub struct SamplesFeed {
    pub samples: Vec<f32>,
    pub rate: u32,
    pub channels: u16,
    pub real_time: bool,
    pub end: FeedEnd,
}

/// How often an open, silent feed says it is still there.
const IDLE_EVERY: Duration = Duration::from_millis(100);

impl SamplesFeed {
    fn spawn(self) -> Result<(StreamThread, StreamFeed), AudioError> {
        let SamplesFeed {
            samples,
            rate,
            channels,
            real_time,
            end,
        } = self;
        let (raw_tx, raw_rx) = bounded::<Raw>(512);
        let (stop_tx, stop_rx) = bounded::<()>(1);
        let chunk = (rate as usize / 100).max(1) * channels.max(1) as usize;
        let thread = std::thread::Builder::new()
            .name("samples-feed".into())
            .spawn(move || {
                let started = Instant::now();
                for (i, piece) in samples.chunks(chunk).enumerate() {
                    if real_time {
                        let due = started + Duration::from_millis(10 * i as u64);
                        if stop_rx.recv_deadline(due).is_ok() {
                            return;
                        }
                    } else if stop_rx.try_recv().is_ok() {
                        return;
                    }
                    if raw_tx.send(Raw::Samples(piece.to_vec())).is_err() {
                        break; // processing ended (a failed write): wait for stop below
                    }
                }
                match end {
                    FeedEnd::GoDead => {
                        let _ = stop_rx.recv();
                    }
                    FeedEnd::StayOpen => {
                        while stop_rx.recv_timeout(IDLE_EVERY).is_err() {
                            if raw_tx.send(Raw::Idle).is_err() {
                                let _ = stop_rx.recv();
                                return;
                            }
                        }
                    }
                }
            })
            .map_err(|e| AudioError::Device(e.to_string()))?;
        let feed = StreamFeed {
            raw: raw_rx,
            rate,
            channels,
            device: "samples".into(),
        };
        Ok((StreamThread { stop_tx, thread }, feed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 16_000;
    const SHORT_WATCHDOG: Duration = Duration::from_millis(300);

    fn tone(seconds: f64) -> Vec<f32> {
        (0..(seconds * RATE as f64) as usize)
            .map(|i| (i as f32 * 0.05).sin() * 0.5)
            .collect()
    }

    fn feed(samples: Vec<f32>, end: FeedEnd) -> SamplesFeed {
        SamplesFeed {
            samples,
            rate: RATE,
            channels: 1,
            real_time: true,
            end,
        }
    }

    /// Audio samples received until the first loss (or `within`), and when the loss came.
    fn until_lost(frames: &Receiver<MicFrames>, within: Duration) -> (usize, Option<Instant>) {
        let deadline = Instant::now() + within;
        let mut audio = 0;
        while let Ok(msg) = frames.recv_deadline(deadline) {
            match msg {
                MicFrames::Audio(a) => audio += a.len(),
                MicFrames::DeviceLost { device, reason } => {
                    assert_eq!(device, "samples");
                    assert!(reason.contains("no sound"), "{reason}");
                    return (audio, Some(Instant::now()));
                }
            }
        }
        (audio, None)
    }

    #[test]
    fn an_input_that_stops_delivering_is_reported_lost_once_within_the_watchdog() {
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("rec.wav");
        let fed = tone(0.5);
        let start = Instant::now();
        let (capture, frames) = MicCapture::from_samples_then(
            feed(fed.clone(), FeedEnd::GoDead),
            wav.clone(),
            SHORT_WATCHDOG,
        )
        .unwrap();
        let (audio, lost_at) = until_lost(&frames, Duration::from_secs(5));
        let lost_after = lost_at.expect("the loss is reported").duration_since(start);
        // 0.5 s of samples, then the watchdog (checked every tenth of its delay).
        assert!(
            lost_after >= Duration::from_millis(700) && lost_after < Duration::from_millis(1_400),
            "{lost_after:?}"
        );
        assert!(audio > RATE as usize * 4 / 10, "{audio}");
        // Said once, not at every check.
        std::thread::sleep(SHORT_WATCHDOG * 3);
        assert!(frames
            .try_iter()
            .all(|m| !matches!(m, MicFrames::DeviceLost { .. })));
        let closing = Instant::now();
        let seconds = capture.stop().unwrap();
        assert!(closing.elapsed() < Duration::from_secs(1));
        assert!((seconds - 0.5).abs() < 0.02, "{seconds}");
        let reader = hound::WavReader::open(&wav).unwrap();
        assert!((reader.duration() as i64 - fed.len() as i64).abs() < 320);
    }

    #[test]
    fn an_open_quiet_input_is_not_lost() {
        let tmp = tempfile::tempdir().unwrap();
        let (capture, frames) = MicCapture::from_samples_then(
            feed(tone(0.1), FeedEnd::StayOpen),
            tmp.path().join("rec.wav"),
            SHORT_WATCHDOG,
        )
        .unwrap();
        let (_, lost_at) = until_lost(&frames, SHORT_WATCHDOG * 5);
        assert!(lost_at.is_none());
        capture.stop().unwrap();
    }

    #[test]
    fn a_new_input_continues_the_same_recording_after_a_loss() {
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("rec.wav");
        let (first, second) = (tone(0.4), vec![0.25_f32; RATE as usize / 2]);
        let (mut capture, frames) = MicCapture::from_samples_then(
            feed(first.clone(), FeedEnd::GoDead),
            wav.clone(),
            SHORT_WATCHDOG,
        )
        .unwrap();
        let (_, lost_at) = until_lost(&frames, Duration::from_secs(5));
        assert!(lost_at.is_some());
        let name = capture
            .switch_to_samples(feed(second.clone(), FeedEnd::GoDead))
            .unwrap();
        assert_eq!(name, "samples");
        // The new input is watched too: when it stops, that is a new loss.
        let (audio, lost_again) = until_lost(&frames, Duration::from_secs(5));
        assert!(lost_again.is_some());
        assert!((audio as i64 - second.len() as i64).abs() < 320, "{audio}");
        let seconds = capture.stop().unwrap();
        assert!((seconds - 0.9).abs() < 0.03, "{seconds}");
        // One file: the first input's audio, then the second's.
        let read: Vec<i16> = hound::WavReader::open(&wav)
            .unwrap()
            .into_samples()
            .map(|s| s.unwrap())
            .collect();
        assert!((read.len() as i64 - (first.len() + second.len()) as i64).abs() < 320);
        let constant = (0.25 * i16::MAX as f32) as i16;
        let tail = &read[read.len() - 4_000..];
        assert!(
            tail.iter().all(|v| (v - constant).abs() <= 1),
            "the second input is at the end"
        );
        let head = &read[..4_000];
        assert!(
            head.iter().any(|v| (v - constant).abs() > 100),
            "the first input is at the start"
        );
    }
}
