//! The cpal side of capture: finding an input device and opening a stream on it whose
//! callback only copies samples into a channel.

use crate::processing::Raw;
use crate::AudioError;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SizedSample};
use crossbeam_channel::Sender;

/// Names of the input devices the default audio host can see.
pub fn list_input_devices() -> Result<Vec<String>, AudioError> {
    let host = cpal::default_host();
    let devices = host
        .input_devices()
        .map_err(|e| AudioError::Device(e.to_string()))?;
    Ok(devices.map(|d| d.to_string()).collect())
}

/// The system's default input device, if there is one.
pub fn default_input_device_name() -> Option<String> {
    cpal::default_host()
        .default_input_device()
        .map(|d| d.to_string())
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

/// A playing stream, the device's name, its rate and channel count.
pub(crate) type Opened = (cpal::Stream, String, u32, u16);

pub(crate) fn open_stream(device: Option<&str>, tx: Sender<Raw>) -> Result<Opened, AudioError> {
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
                // A device that went away is final; other stream errors (an overrun the host
                // recovered from) are judged by the watchdog: lost only if frames stop.
                use cpal::ErrorKind as Kind;
                let gone = matches!(
                    e.kind(),
                    Kind::DeviceNotAvailable
                        | Kind::HostUnavailable
                        | Kind::StreamInvalidated
                        | Kind::PermissionDenied
                );
                let _ = err_tx.try_send(Raw::Error {
                    message: e.to_string(),
                    gone,
                });
            },
            None,
        )
        .map_err(|e| AudioError::Device(e.to_string()))
}
