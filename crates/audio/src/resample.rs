use crate::AudioError;
use rubato::{FftFixedIn, Resampler as _};

/// Averages interleaved channels into mono.
pub fn downmix(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

/// Streaming mono resampler to a fixed output rate (rubato's FFT resampler). Input may come
/// in chunks of any size; output is produced as whole internal blocks are filled.
pub struct Resampler {
    inner: Option<FftFixedIn<f32>>,
    pending: Vec<f32>,
    block: usize,
}

impl Resampler {
    pub fn new(from_rate: u32, to_rate: u32) -> Result<Self, AudioError> {
        if from_rate == to_rate {
            return Ok(Resampler {
                inner: None,
                pending: Vec::new(),
                block: 0,
            });
        }
        let block = 1024;
        let inner = FftFixedIn::<f32>::new(from_rate as usize, to_rate as usize, block, 2, 1)
            .map_err(|e| AudioError::Resample(e.to_string()))?;
        Ok(Resampler {
            inner: Some(inner),
            pending: Vec::new(),
            block,
        })
    }

    /// Feeds mono samples; returns whatever output is ready.
    pub fn push(&mut self, input: &[f32]) -> Result<Vec<f32>, AudioError> {
        let Some(inner) = self.inner.as_mut() else {
            return Ok(input.to_vec());
        };
        self.pending.extend_from_slice(input);
        let mut out = Vec::new();
        while self.pending.len() >= self.block {
            let chunk: Vec<f32> = self.pending.drain(..self.block).collect();
            let res = inner
                .process(&[chunk], None)
                .map_err(|e| AudioError::Resample(e.to_string()))?;
            out.extend_from_slice(&res[0]);
        }
        Ok(out)
    }

    /// Flushes the remainder (zero-padded) at the end of a stream.
    pub fn finish(&mut self) -> Result<Vec<f32>, AudioError> {
        let Some(inner) = self.inner.as_mut() else {
            return Ok(Vec::new());
        };
        let rest = std::mem::take(&mut self.pending);
        if rest.is_empty() {
            return Ok(Vec::new());
        }
        let ratio = inner.output_frames_next() as f64 / self.block as f64;
        let mut chunk = rest.clone();
        chunk.resize(self.block, 0.0);
        let res = inner
            .process(&[chunk], None)
            .map_err(|e| AudioError::Resample(e.to_string()))?;
        let keep = ((rest.len() as f64) * ratio).round() as usize;
        let mut out = res[0].clone();
        out.truncate(keep.min(out.len()));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
    }

    #[test]
    fn resampling_keeps_duration_and_frequency() {
        // 1 s of a 440 Hz tone at 48 kHz, fed in odd-sized chunks.
        let input: Vec<f32> = (0..48_000)
            .map(|i| (2.0 * std::f32::consts::PI * 440.0 * i as f32 / 48_000.0).sin() * 0.5)
            .collect();
        let mut r = Resampler::new(48_000, 16_000).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(777) {
            out.extend(r.push(chunk).unwrap());
        }
        out.extend(r.finish().unwrap());
        assert!((out.len() as i64 - 16_000).abs() < 400, "len {}", out.len());
        // Zero crossings of a 440 Hz tone: ~880 per second.
        let crossings = out
            .windows(2)
            .skip(200)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        assert!((830..=900).contains(&crossings), "crossings {crossings}");
    }
}
