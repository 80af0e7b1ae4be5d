//! The thread between a stream and the session: downmixes, resamples, writes the WAV first and
//! only then forwards frames, so the recording survives whatever happens downstream. It also
//! watches the input: a stream that reports that its device went away, or that stops
//! delivering frames, is a lost microphone. The recording file outlives the stream, so a new
//! stream (another device, or the same one come back) continues it.

use crate::{downmix, AudioError, Resampler, WavRecorder, TARGET_RATE};
use crossbeam_channel::{bounded, never, select, Receiver, Sender};
use std::time::{Duration, Instant};

/// What a stream hands the processing thread.
pub(crate) enum Raw {
    /// Interleaved samples at the stream's rate.
    Samples(Vec<f32>),
    /// The stream reported an error; `gone` when the device is known to be unusable now.
    Error { message: String, gone: bool },
    /// An open input with nothing to deliver yet (a feed that ran out, as a quiet microphone
    /// would stay open): alive, but no samples.
    Idle,
}

/// What the capture side hands downstream: 16 kHz mono audio, or word that the device failed.
#[derive(Debug)]
pub enum MicFrames {
    Audio(Vec<f32>),
    /// The input stopped: it reported that it went away, or delivered nothing for
    /// [`WATCHDOG`]. What it delivered is on disk; `MicCapture::switch_input` continues the
    /// same recording on another (or the same, come back) device. Sent once per loss.
    DeviceLost {
        device: String,
        reason: String,
    },
}

/// How long an open input may deliver nothing before it counts as lost: devices deliver every
/// few tens of milliseconds. (A new stream gets longer for its first frames, and frames that
/// come again after a loss clear it.)
pub const WATCHDOG: Duration = Duration::from_millis(1_000);

/// A stream for the processing thread: where its samples come from, and their format.
pub(crate) struct StreamFeed {
    pub raw: Receiver<Raw>,
    pub rate: u32,
    pub channels: u16,
    pub device: String,
}

pub(crate) type Processing = (
    std::thread::JoinHandle<Result<f64, AudioError>>,
    Receiver<MicFrames>,
);

/// Starts the thread on its first stream; later streams arrive on `feeds`, and closing
/// `feeds` ends it (after draining the stream in use). A failed write (a full disk) ends it
/// with the recorder's error: the file is valid up to what reached the disk, and the closed
/// channel tells the consumer at once.
pub(crate) fn spawn_processing(
    first: StreamFeed,
    feeds: Receiver<StreamFeed>,
    record_to: &std::path::Path,
    watchdog: Duration,
) -> Result<Processing, AudioError> {
    let recorder = WavRecorder::create(record_to)?;
    let state = Processor::new(first, recorder, watchdog)?;
    let (out_tx, out_rx) = bounded::<MicFrames>(1024);
    let thread = std::thread::Builder::new()
        .name("mic-process".into())
        .spawn(move || state.run(&feeds, &out_tx))
        .map_err(|e| AudioError::Device(e.to_string()))?;
    Ok((thread, out_rx))
}

struct Processor {
    feed: StreamFeed,
    resampler: Resampler,
    recorder: WavRecorder,
    watchdog: Duration,
    /// When the input last showed it was alive.
    alive_at: Instant,
    /// A loss was reported and no frame has come since: say it once.
    lost: bool,
    /// The stream in use has delivered something.
    heard: bool,
}

/// How many watchdog delays a new stream has for its first frames.
const FIRST_FRAMES_GRACE: u32 = 3;

impl Processor {
    fn new(
        feed: StreamFeed,
        recorder: WavRecorder,
        watchdog: Duration,
    ) -> Result<Self, AudioError> {
        Ok(Processor {
            resampler: Resampler::new(feed.rate, TARGET_RATE)?,
            feed,
            recorder,
            watchdog,
            alive_at: Instant::now(),
            lost: false,
            heard: false,
        })
    }

    fn run(
        mut self,
        feeds: &Receiver<StreamFeed>,
        out: &Sender<MicFrames>,
    ) -> Result<f64, AudioError> {
        let check_every = (self.watchdog / 10).max(Duration::from_millis(10));
        let mut raw = self.feed.raw.clone();
        loop {
            select! {
                recv(raw) -> msg => match msg {
                    Ok(msg) => self.take(msg, out)?,
                    // The stream's thread is gone: from now on only the watchdog speaks.
                    Err(_) => raw = never(),
                },
                recv(feeds) -> feed => match feed {
                    Ok(feed) => {
                        self.switch(feed, out)?;
                        raw = self.feed.raw.clone();
                    }
                    Err(_) => {
                        // Stopped: the stream was closed first, so what it sent is all here.
                        for msg in self.feed.raw.try_iter().collect::<Vec<_>>() {
                            self.take(msg, out)?;
                        }
                        break;
                    }
                },
                default(check_every) => {}
            }
            self.check_alive(out);
        }
        self.flush_resampler(out)?;
        self.recorder.finish()
    }

    fn take(&mut self, msg: Raw, out: &Sender<MicFrames>) -> Result<(), AudioError> {
        match msg {
            Raw::Samples(interleaved) => {
                self.alive_at = Instant::now();
                self.lost = false;
                self.heard = true;
                let mono = downmix(&interleaved, self.feed.channels as usize);
                let frames = self.resampler.push(&mono)?;
                if !frames.is_empty() {
                    self.recorder.write(&frames)?;
                    // A stalled consumer must not stop the recording.
                    let _ = out.try_send(MicFrames::Audio(frames));
                }
            }
            Raw::Idle => {
                self.alive_at = Instant::now();
                self.heard = true;
            }
            Raw::Error { message, gone } => {
                tracing::info!(device = %self.feed.device, error = %message, gone, "input stream error");
                if gone {
                    self.report_lost(message, out);
                }
            }
        }
        Ok(())
    }

    fn check_alive(&mut self, out: &Sender<MicFrames>) {
        // A device just opened may take a while to deliver its first block.
        let allowed = if self.heard {
            self.watchdog
        } else {
            self.watchdog * FIRST_FRAMES_GRACE
        };
        if !self.lost && self.alive_at.elapsed() >= allowed {
            let silent_ms = self.alive_at.elapsed().as_millis();
            self.report_lost(format!("no sound arrived for {silent_ms} ms"), out);
        }
    }

    fn report_lost(&mut self, reason: String, out: &Sender<MicFrames>) {
        if self.lost {
            return;
        }
        self.lost = true;
        tracing::info!(device = %self.feed.device, %reason, "microphone lost");
        // Blocking is fine: this is sent once per loss, and a consumer that went away
        // closes the channel.
        let _ = out.send(MicFrames::DeviceLost {
            device: self.feed.device.clone(),
            reason,
        });
    }

    /// Continues the recording from another stream: what the old one left in the resampler
    /// is written first, so the new audio follows it in the same file.
    fn switch(&mut self, feed: StreamFeed, out: &Sender<MicFrames>) -> Result<(), AudioError> {
        for msg in self.feed.raw.try_iter().collect::<Vec<_>>() {
            if let Raw::Samples(_) = msg {
                self.take(msg, out)?;
            }
        }
        self.flush_resampler(out)?;
        self.resampler = Resampler::new(feed.rate, TARGET_RATE)?;
        tracing::info!(device = %feed.device, rate = feed.rate, channels = feed.channels, "recording continues on another input");
        self.feed = feed;
        self.alive_at = Instant::now();
        self.lost = false;
        self.heard = false;
        Ok(())
    }

    fn flush_resampler(&mut self, out: &Sender<MicFrames>) -> Result<(), AudioError> {
        let tail = self.resampler.finish()?;
        if !tail.is_empty() {
            self.recorder.write(&tail)?;
            let _ = out.try_send(MicFrames::Audio(tail));
        }
        Ok(())
    }
}
