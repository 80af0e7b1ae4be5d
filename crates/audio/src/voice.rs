//! Is someone speaking? A small neural voice activity detector (the `earshot` crate, weights
//! built in) scored on every 16 ms of audio. Pause detection used to rest on loudness alone,
//! and a loudness threshold cannot tell a quiet or whispered voice from silence, nor a loud
//! fan from a voice: on real recordings (`../shared/speech-real`) it dropped whole sentences
//! spoken below -40 dBFS. The detector scores the shape of the sound, not its level.

use earshot::Detector;

/// Samples per scored frame: the detector's fixed 16 ms at 16 kHz.
pub const VOICE_FRAME: usize = 256;

/// A frame scoring at least this is voice (the detector's documented default).
pub const VOICE_THRESHOLD: f32 = 0.5;

/// Scores a 16 kHz mono stream as it arrives, frame by frame.
pub struct VoiceActivity {
    detector: Detector,
    pending: Vec<f32>,
}

impl Default for VoiceActivity {
    fn default() -> Self {
        VoiceActivity {
            detector: Detector::default(),
            pending: Vec::with_capacity(VOICE_FRAME),
        }
    }
}

impl VoiceActivity {
    /// Scores the complete 16 ms frames in `pending` + `samples` (keeping any remainder for
    /// the next call) and returns the highest score among them, or `None` when no frame was
    /// completed.
    pub fn push(&mut self, samples: &[f32]) -> Option<f32> {
        let mut best: Option<f32> = None;
        for &s in samples {
            // The detector asserts its input is in [-1, 1]; resampled microphone audio can
            // overshoot a little, and a NaN from a broken device must not end a session.
            self.pending.push(if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            });
            if self.pending.len() == VOICE_FRAME {
                let score = self.detector.predict_f32(&self.pending);
                self.pending.clear();
                best = Some(best.map_or(score, |b: f32| b.max(score)));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_and_a_steady_hum_are_not_voice() {
        let mut v = VoiceActivity::default();
        assert!(v
            .push(&vec![0.0; 16_000 * 3])
            .is_some_and(|s| s < VOICE_THRESHOLD));
        let hum: Vec<f32> = (0..16_000 * 3)
            .map(|i| 0.2 * (i as f32 * 2.0 * std::f32::consts::PI * 50.0 / 16_000.0).sin())
            .collect();
        let mut v = VoiceActivity::default();
        let voiced = hum
            .chunks(VOICE_FRAME)
            .filter(|f| v.push(f).is_some_and(|s| s >= VOICE_THRESHOLD))
            .count();
        assert!(voiced < 5, "{voiced} frames of a hum heard as voice");
    }

    #[test]
    fn samples_out_of_range_are_scored_not_a_panic() {
        let mut v = VoiceActivity::default();
        let wild: Vec<f32> = (0..VOICE_FRAME * 4)
            .map(|i| match i % 4 {
                0 => 1.7,
                1 => -3.0,
                2 => f32::NAN,
                _ => f32::INFINITY,
            })
            .collect();
        assert!(v.push(&wild).is_some());
    }

    #[test]
    fn the_streaming_scores_match_the_whole_clip_scores() {
        let hum: Vec<f32> = (0..4_000).map(|i| (i as f32 * 0.05).sin() * 0.1).collect();
        let mut v = VoiceActivity::default();
        // 1000 samples: three frames scored, 232 kept for the next call.
        assert!(v.push(&hum[..1_000]).is_some());
        assert!(v.push(&hum[1_000..1_020]).is_none());
        assert_eq!(v.pending.len(), 1_020 - 3 * VOICE_FRAME);
    }
}
