//! Audio that is not worth handing to whisper: silence and steady noise. Whisper primed with
//! an initial prompt invents text in both, so such audio never reaches it; whole recordings
//! are gated utterance by utterance before their speech is packed into longer windows.
//!
//! A voice comes first: audio in which the voice detector hears [`MIN_VOICED_S`] of voice is
//! passed however quiet it is. The level checks alone dropped a whispered sentence of a real
//! recording (`../shared/speech-real/mfa_thoughts.wav`, mostly below -50 dBFS) as silence.

use crate::SAMPLE_RATE;
use earshot::Detector;

/// Whether `samples` (16 kHz mono) may hold speech: a voice is heard in it, or it is neither
/// silent nor steady noise.
pub fn may_contain_speech(samples: &[f32]) -> bool {
    voiced_seconds(samples) >= MIN_VOICED_S || (!is_silent(samples) && !is_steady_noise(samples))
}

/// Voice this long (a short word) makes a clip worth transcribing whatever its level.
pub const MIN_VOICED_S: f64 = 0.2;

/// Samples per frame the voice detector scores (16 ms), and the score that counts as voice
/// (the `earshot` crate's default).
const VOICE_FRAME: usize = 256;
const VOICE_THRESHOLD: f32 = 0.5;

/// Seconds of `samples` in which the voice detector (`earshot`, a small neural network with
/// built-in weights) hears a voice.
pub fn voiced_seconds(samples: &[f32]) -> f64 {
    let mut detector = Detector::default();
    let mut frame = [0.0f32; VOICE_FRAME];
    let voiced = samples
        .chunks_exact(VOICE_FRAME)
        .filter(|chunk| {
            // The detector asserts its input is in [-1, 1] (audio may overshoot; a NaN is 0).
            for (to, &from) in frame.iter_mut().zip(chunk.iter()) {
                *to = if from.is_finite() {
                    from.clamp(-1.0, 1.0)
                } else {
                    0.0
                };
            }
            detector.predict_f32(&frame) >= VOICE_THRESHOLD
        })
        .count();
    (voiced * VOICE_FRAME) as f64 / SAMPLE_RATE
}

/// Loudest 30 ms frame quieter than this RMS (-50 dBFS) = nothing was said. Whisper cannot be
/// trusted with such input: primed with an initial prompt it "hears" e.g. "you" in silence,
/// with a no-speech probability near zero, so its own no-speech check does not catch it.
const SILENCE_RMS: f32 = 0.003;
const FRAME: usize = 480;

pub(crate) fn is_silent(samples: &[f32]) -> bool {
    samples.chunks(FRAME).all(|frame| {
        let power = frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32;
        power.sqrt() < SILENCE_RMS
    })
}

/// Loudest frames over quietest frames (95th over 10th percentile of 30 ms RMS, after a
/// 100 Hz high-pass) below this = steady noise, not speech. Speech rises and falls with every
/// syllable and word (20 dB and more between a vowel and a gap, still ~10 dB in a noisy room);
/// a fan, hiss or hum does not. The pause detector passes such noise on when it is louder than
/// its floor from the start, and whisper, primed with a prompt, then invents sentences in it
/// (measured: "The data is very important..." in 30 s of -40 dBFS white noise).
const MIN_SPEECH_DYNAMICS: f32 = 3.0;

/// Steady noise: no syllable-rate rise and fall in loudness. See [`MIN_SPEECH_DYNAMICS`].
pub(crate) fn is_steady_noise(samples: &[f32]) -> bool {
    // One-pole high-pass at ~100 Hz: rumble and DC drift (brown noise, a bumped desk) swing
    // the frame loudness without being speech.
    let a = 1.0 / (1.0 + 2.0 * std::f32::consts::PI * 100.0 / SAMPLE_RATE as f32);
    let (mut prev_x, mut prev_y) = (0.0f32, 0.0f32);
    let filtered: Vec<f32> = samples
        .iter()
        .map(|&x| {
            prev_y = a * (prev_y + x - prev_x);
            prev_x = x;
            prev_y
        })
        .collect();
    let mut rms: Vec<f32> = filtered
        .chunks_exact(FRAME)
        .map(|f| (f.iter().map(|s| s * s).sum::<f32>() / FRAME as f32).sqrt())
        .collect();
    if rms.len() < 10 {
        return false;
    }
    rms.sort_by(f32::total_cmp);
    let p10 = rms[rms.len() / 10];
    let p95 = rms[rms.len() * 95 / 100];
    p95 < MIN_SPEECH_DYNAMICS * p10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_and_faint_noise_count_as_silent_speech_does_not() {
        assert!(is_silent(&[0.0; 16_000]));
        let hiss: Vec<f32> = (0..16_000)
            .map(|i| if i % 2 == 0 { 0.002 } else { -0.002 })
            .collect();
        assert!(is_silent(&hiss));
        let mut word = hiss.clone();
        for (i, s) in word[8_000..8_480].iter_mut().enumerate() {
            *s = 0.05 * (i as f32 * 0.3).sin();
        }
        assert!(!is_silent(&word));
    }

    fn xorshift(seed: u64) -> impl FnMut() -> f32 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        }
    }

    #[test]
    fn audio_out_of_range_is_gated_not_a_panic() {
        let loud: Vec<f32> = (0..16_000).map(|i| 2.0 * (i as f32 * 0.05).sin()).collect();
        let _ = may_contain_speech(&loud);
        let broken = vec![f32::NAN; 16_000];
        assert_eq!(voiced_seconds(&broken), 0.0);
    }

    #[test]
    fn steady_noise_is_told_from_speech_like_sound() {
        let n = 16_000 * 5;
        let mut r = xorshift(3);
        let white: Vec<f32> = (0..n).map(|_| 0.03 * r()).collect();
        assert!(is_steady_noise(&white));
        // Rumble: leaky-integrated white noise, loudness wandering below 10 Hz.
        let mut r = xorshift(4);
        let mut acc = 0.0f32;
        let brown: Vec<f32> = (0..n)
            .map(|_| {
                acc = 0.998 * acc + 0.02 * r();
                acc
            })
            .collect();
        assert!(is_steady_noise(&brown));
        // "Syllables": 150 ms bursts of a voiced-like tone every 250 ms, over the white noise.
        let speechy: Vec<f32> = white
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let t = i as f32 / 16_000.0;
                let on = (t % 0.25) < 0.15;
                w + if on {
                    0.1 * (t * 2.0 * std::f32::consts::PI * 180.0).sin()
                } else {
                    0.0
                }
            })
            .collect();
        assert!(!is_steady_noise(&speechy));
        // Too short to judge: left to whisper.
        assert!(!is_steady_noise(&white[..FRAME * 5]));
    }
}
