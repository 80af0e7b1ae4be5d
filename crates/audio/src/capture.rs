use crate::{downmix, AudioError, Resampler, WavRecorder, TARGET_RATE};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SizedSample};
use crossbeam_channel::{bounded, Receiver, Sender};
use std::path::PathBuf;
use std::thread::JoinHandle;

/// What the capture side hands downstream: 16 kHz mono audio, or word that the device failed.
#[derive(Debug)]
pub enum MicFrames {
    Audio(Vec<f32>),
    DeviceLost(String),
}

/// Names of the input devices the default audio host can see.
pub fn list_input_devices() -> Result<Vec<String>, AudioError> {
    let host = cpal::default_host();
    let devices = host
        .input_devices()
        .map_err(|e| AudioError::Device(e.to_string()))?;
    Ok(devices.map(|d| d.to_string()).collect())
}

fn pick_device(name: Option<&str>) -> Result<cpal::Device, AudioError> {
    let host = cpal::default_host();
    match name {
        None => host.default_input_device().ok_or(AudioError::NoInputDevice),
        Some(wanted) => host
            .input_devices()
            .map_err(|e| AudioError::Device(e.to_string()))?
            .find(|d| d.to_string() == wanted)
            .ok_or_else(|| AudioError::DeviceNotFound(wanted.to_string())),
    }
}

enum Raw {
    Samples(Vec<f32>),
    Error(String),
}

/// A running microphone capture. The cpal stream lives on its own thread (it is not `Send`
/// on every platform); a second thread downmixes, resamples, writes the WAV to disk first and
/// only then forwards frames, so the recording survives whatever happens downstream.
pub struct MicCapture {
    stop_tx: Sender<()>,
    stream_thread: Option<JoinHandle<()>>,
    process_thread: Option<JoinHandle<Result<f64, AudioError>>>,
    pub device_name: String,
}

impl MicCapture {
    /// Opens `device` (None: the system default) and starts recording into `record_to`.
    pub fn start(
        device: Option<&str>,
        record_to: PathBuf,
    ) -> Result<(MicCapture, Receiver<MicFrames>), AudioError> {
        let device_wanted = device.map(str::to_string);
        let (raw_tx, raw_rx) = bounded::<Raw>(512);
        let (stop_tx, stop_rx) = bounded::<()>(1);
        let (ready_tx, ready_rx) = bounded::<Result<(String, u32, u16), AudioError>>(1);

        let stream_thread = std::thread::Builder::new()
            .name("mic-stream".into())
            .spawn(move || {
                let opened = open_stream(device_wanted.as_deref(), raw_tx);
                match opened {
                    Ok((stream, name, rate, channels)) => {
                        let _ = ready_tx.send(Ok((name, rate, channels)));
                        // Dropping the stream stops it (pause() is unsupported on some hosts).
                        let _ = stop_rx.recv();
                        drop(stream);
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            })
            .map_err(|e| AudioError::Device(e.to_string()))?;

        let (name, rate, channels) = ready_rx
            .recv()
            .map_err(|_| AudioError::Device("the capture thread stopped".into()))??;
        tracing::info!(device = %name, rate, channels, "microphone opened");

        let (process_thread, out_rx) = match spawn_processing(raw_rx, rate, channels, &record_to) {
            Ok(processing) => processing,
            Err(e) => {
                // No recording file (a full disk): close the microphone again.
                let _ = stop_tx.try_send(());
                let _ = stream_thread.join();
                return Err(e);
            }
        };
        Ok((
            MicCapture {
                stop_tx,
                stream_thread: Some(stream_thread),
                process_thread: Some(process_thread),
                device_name: name,
            },
            out_rx,
        ))
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
        let (raw_tx, raw_rx) = bounded::<Raw>(512);
        let (stop_tx, stop_rx) = bounded::<()>(1);
        let (process_thread, out_rx) = spawn_processing(raw_rx, rate, channels, &record_to)?;
        let chunk = (rate as usize / 100).max(1) * channels.max(1) as usize;
        let stream_thread = std::thread::Builder::new()
            .name("samples-feed".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                for (i, piece) in samples.chunks(chunk).enumerate() {
                    if real_time {
                        let due = started + std::time::Duration::from_millis(10 * i as u64);
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
                let _ = stop_rx.recv();
            })
            .map_err(|e| AudioError::Device(e.to_string()))?;
        Ok((
            MicCapture {
                stop_tx,
                stream_thread: Some(stream_thread),
                process_thread: Some(process_thread),
                device_name: "samples".into(),
            },
            out_rx,
        ))
    }

    /// Stops capture, finishes the WAV file and returns its duration in seconds.
    pub fn stop(mut self) -> Result<f64, AudioError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<f64, AudioError> {
        let _ = self.stop_tx.try_send(());
        if let Some(t) = self.stream_thread.take() {
            let _ = t.join();
        }
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

type Processing = (JoinHandle<Result<f64, AudioError>>, Receiver<MicFrames>);

/// The thread that downmixes, resamples and records raw input, then forwards it. A failed
/// write (a full disk) ends it with the recorder's error: the recording file is valid up to
/// what reached the disk, and the closed channel tells the consumer at once.
fn spawn_processing(
    raw_rx: Receiver<Raw>,
    rate: u32,
    channels: u16,
    record_to: &std::path::Path,
) -> Result<Processing, AudioError> {
    let mut recorder = WavRecorder::create(record_to)?;
    let mut resampler = Resampler::new(rate, TARGET_RATE)?;
    let (out_tx, out_rx) = bounded::<MicFrames>(1024);
    let process_thread = std::thread::Builder::new()
        .name("mic-process".into())
        .spawn(move || {
            for raw in raw_rx.iter() {
                match raw {
                    Raw::Samples(interleaved) => {
                        let mono = downmix(&interleaved, channels as usize);
                        let frames = resampler.push(&mono)?;
                        if frames.is_empty() {
                            continue;
                        }
                        recorder.write(&frames)?;
                        // A stalled consumer must not stop the recording.
                        let _ = out_tx.try_send(MicFrames::Audio(frames));
                    }
                    Raw::Error(message) => {
                        let _ = out_tx.send(MicFrames::DeviceLost(message));
                    }
                }
            }
            let tail = resampler.finish()?;
            recorder.write(&tail)?;
            let _ = out_tx.try_send(MicFrames::Audio(tail));
            recorder.finish()
        })
        .map_err(|e| AudioError::Device(e.to_string()))?;
    Ok((process_thread, out_rx))
}

type Opened = (cpal::Stream, String, u32, u16);

fn open_stream(device: Option<&str>, tx: Sender<Raw>) -> Result<Opened, AudioError> {
    let device = pick_device(device)?;
    let name = device.to_string();
    let supported = device
        .default_input_config()
        .map_err(|e| AudioError::Device(format!("{name}: {e}")))?;
    let config = supported.config();
    let stream = match supported.sample_format() {
        cpal::SampleFormat::F32 => build::<f32>(&device, &config, tx),
        cpal::SampleFormat::I16 => build::<i16>(&device, &config, tx),
        cpal::SampleFormat::I32 => build::<i32>(&device, &config, tx),
        cpal::SampleFormat::U16 => build::<u16>(&device, &config, tx),
        cpal::SampleFormat::U8 => build::<u8>(&device, &config, tx),
        other => Err(AudioError::Device(format!(
            "{name} delivers {other:?} samples, which Rehearse cannot read yet"
        ))),
    }?;
    stream
        .play()
        .map_err(|e| AudioError::Device(format!("{name}: {e}")))?;
    Ok((stream, name, config.sample_rate, config.channels))
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    tx: Sender<Raw>,
) -> Result<cpal::Stream, AudioError>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let err_tx = tx.clone();
    device
        .build_input_stream::<T, _, _>(
            *config,
            move |data: &[T], _| {
                // The callback only copies; all work happens on the processing thread.
                let _ = tx.try_send(Raw::Samples(
                    data.iter().map(|s| s.to_sample::<f32>()).collect(),
                ));
            },
            move |e| {
                let _ = err_tx.try_send(Raw::Error(e.to_string()));
            },
            None,
        )
        .map_err(|e| AudioError::Device(e.to_string()))
}

/// The system's default input device, if there is one.
pub fn default_input_device_name() -> Option<String> {
    cpal::default_host()
        .default_input_device()
        .map(|d| d.to_string())
}
