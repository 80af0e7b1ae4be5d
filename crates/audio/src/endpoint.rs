use crate::voice::{VoiceActivity, VOICE_THRESHOLD};
use crate::TARGET_RATE;

/// Tuning for pause detection. Defaults suit a close microphone in a quiet room.
#[derive(Debug, Clone)]
pub struct EndpointerConfig {
    /// Silence that ends an utterance.
    pub end_silence_s: f64,
    /// Speech shorter than this is treated as a click or a cough.
    pub min_speech_s: f64,
    /// Long monologues are cut here so transcription keeps up.
    pub max_utterance_s: f64,
    /// Audio kept before the detected start so first syllables are not clipped.
    pub pre_roll_s: f64,
    /// RMS below this is never speech, whatever the noise floor.
    pub min_threshold: f32,
}

impl Default for EndpointerConfig {
    fn default() -> Self {
        EndpointerConfig {
            end_silence_s: 0.7,
            min_speech_s: 0.25,
            max_utterance_s: 20.0,
            pre_roll_s: 0.3,
            min_threshold: 0.01,
        }
    }
}

/// A stretch of speech cut at pauses, ready for transcription.
#[derive(Debug, Clone)]
pub struct Utterance {
    /// Seconds from the start of the stream.
    pub t0: f64,
    pub samples: Vec<f32>,
    /// How many of `samples` lead up to the end of the last speech frame; the rest is the
    /// trailing pause that closed the utterance (nothing to transcribe in it).
    pub speech_len: usize,
    /// Seconds of speech-level frames in it (pauses inside it not counted).
    pub speech_s: f64,
}

const FRAME: usize = (TARGET_RATE as usize) / 100 * 3; // 30 ms

/// Cuts a 16 kHz stream into utterances at pauses and remembers when speech last ended (the
/// interviewer waits for a natural pause before it speaks). A frame is speech when the voice
/// detector hears a voice in it ([`crate::voice`]: quiet and whispered speech too) or when it
/// is clearly louder than the adaptive noise floor (a cough, a laugh, a word the detector
/// doubts: whether that is speech is left to the gate and whisper, which see the context).
pub struct Endpointer {
    config: EndpointerConfig,
    voice: VoiceActivity,
    noise_floor: f32,
    partial_frame: Vec<f32>,
    pre_roll: std::collections::VecDeque<f32>,
    current: Option<Utterance>,
    silence_run: f64,
    samples_seen: u64,
    last_speech_end: Option<f64>,
}

impl Endpointer {
    pub fn new(config: EndpointerConfig) -> Self {
        Endpointer {
            config,
            voice: VoiceActivity::default(),
            noise_floor: 0.0,
            partial_frame: Vec::with_capacity(FRAME),
            pre_roll: std::collections::VecDeque::new(),
            current: None,
            silence_run: 0.0,
            samples_seen: 0,
            last_speech_end: None,
        }
    }

    /// Every utterance in a whole clip (16 kHz mono), the last one closed at its end.
    pub fn cut(samples: &[f32], config: EndpointerConfig) -> Vec<Utterance> {
        let mut endpointer = Endpointer::new(config);
        let mut utterances = endpointer.push(samples);
        utterances.extend(endpointer.finish());
        utterances
    }

    /// Seconds of audio seen so far.
    pub fn now_s(&self) -> f64 {
        self.samples_seen as f64 / TARGET_RATE as f64
    }

    pub fn in_speech(&self) -> bool {
        self.current.is_some() && self.silence_run < self.config.end_silence_s
    }

    /// The utterance in progress (not yet closed by a pause), if any, its samples so far.
    pub fn current(&self) -> Option<&Utterance> {
        self.current.as_ref()
    }

    /// Seconds of pause at the end of the utterance in progress (0 while speech goes on).
    pub fn silence_run_s(&self) -> f64 {
        self.silence_run
    }

    pub fn config(&self) -> &EndpointerConfig {
        &self.config
    }

    /// When the candidate last stopped speaking, if they have spoken at all.
    pub fn last_speech_end_s(&self) -> Option<f64> {
        if self.in_speech() {
            None
        } else {
            self.last_speech_end
        }
    }

    fn threshold(&self) -> f32 {
        (self.noise_floor * 3.0).max(self.config.min_threshold)
    }

    pub fn push(&mut self, samples: &[f32]) -> Vec<Utterance> {
        let mut done = Vec::new();
        for &s in samples {
            self.partial_frame.push(s);
            if self.partial_frame.len() == FRAME {
                let frame = std::mem::take(&mut self.partial_frame);
                if let Some(u) = self.push_frame(&frame) {
                    done.push(u);
                }
                self.partial_frame = frame;
                self.partial_frame.clear();
            }
        }
        done
    }

    fn push_frame(&mut self, frame: &[f32]) -> Option<Utterance> {
        let frame_s = FRAME as f64 / TARGET_RATE as f64;
        let t_start = self.now_s();
        self.samples_seen += frame.len() as u64;
        let rms = (frame.iter().map(|v| v * v).sum::<f32>() / frame.len() as f32).sqrt();
        let voiced = self
            .voice
            .push(frame)
            .is_some_and(|score| score >= VOICE_THRESHOLD);
        let is_speech = voiced || rms > self.threshold();
        if !is_speech {
            // Track the noise floor slowly upwards, quickly downwards.
            let rate = if rms < self.noise_floor { 0.2 } else { 0.02 };
            self.noise_floor += (rms - self.noise_floor) * rate;
        }
        match self.current.as_mut() {
            None => {
                if is_speech {
                    let pre: Vec<f32> = self.pre_roll.drain(..).collect();
                    let t0 = (t_start - pre.len() as f64 / TARGET_RATE as f64).max(0.0);
                    let mut samples = pre;
                    samples.extend_from_slice(frame);
                    let speech_len = samples.len();
                    self.current = Some(Utterance {
                        t0,
                        samples,
                        speech_len,
                        speech_s: frame_s,
                    });
                    self.silence_run = 0.0;
                } else {
                    self.pre_roll.extend(frame.iter().copied());
                    let max = (self.config.pre_roll_s * TARGET_RATE as f64) as usize;
                    while self.pre_roll.len() > max {
                        self.pre_roll.pop_front();
                    }
                }
                None
            }
            Some(u) => {
                u.samples.extend_from_slice(frame);
                if is_speech {
                    u.speech_s += frame_s;
                    self.silence_run = 0.0;
                    u.speech_len = u.samples.len();
                } else {
                    self.silence_run += frame_s;
                }
                let length = u.samples.len() as f64 / TARGET_RATE as f64;
                if self.silence_run >= self.config.end_silence_s
                    || length >= self.config.max_utterance_s
                {
                    self.last_speech_end = Some(self.now_s() - self.silence_run);
                    return self.close();
                }
                None
            }
        }
    }

    fn close(&mut self) -> Option<Utterance> {
        let u = self.current.take()?;
        self.silence_run = 0.0;
        (u.speech_s >= self.config.min_speech_s).then_some(u)
    }

    /// Ends the stream: returns the utterance in progress, if it holds speech.
    pub fn finish(&mut self) -> Option<Utterance> {
        if self.current.is_some() {
            self.last_speech_end = Some(self.now_s() - self.silence_run);
        }
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(secs: f64) -> Vec<f32> {
        (0..(secs * TARGET_RATE as f64) as usize)
            .map(|i| (i as f32 * 0.1).sin() * 0.3)
            .collect()
    }

    fn noise(secs: f64, amp: f32) -> Vec<f32> {
        let mut x: u32 = 12345;
        (0..(secs * TARGET_RATE as f64) as usize)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((x >> 16) as f32 / 32_768.0 - 1.0) * amp
            })
            .collect()
    }

    #[test]
    fn cuts_at_pauses_and_reports_times() {
        let mut e = Endpointer::new(EndpointerConfig::default());
        let mut audio = noise(1.0, 0.002);
        audio.extend(tone(2.0));
        audio.extend(noise(1.5, 0.002));
        audio.extend(tone(1.0));
        audio.extend(noise(1.0, 0.002));
        let mut us = e.push(&audio);
        us.extend(e.finish());
        assert_eq!(us.len(), 2);
        assert!((us[0].t0 - 0.7).abs() < 0.1, "t0 {}", us[0].t0);
        assert!((us[1].t0 - 4.2).abs() < 0.1, "t0 {}", us[1].t0);
        // The voice detector hears ~0.1 s past the end of a sound.
        let end = e.last_speech_end_s().unwrap();
        assert!((end - 5.5).abs() < 0.2, "end {end}");
    }

    #[test]
    fn silence_and_low_noise_make_no_utterances() {
        let mut e = Endpointer::new(EndpointerConfig::default());
        let mut us = e.push(&vec![0.0; 16_000 * 10]);
        us.extend(e.push(&noise(10.0, 0.005)));
        us.extend(e.finish());
        assert!(us.is_empty());
        assert!(e.last_speech_end_s().is_none());
    }

    #[test]
    fn long_monologues_are_cut() {
        let mut e = Endpointer::new(EndpointerConfig {
            max_utterance_s: 5.0,
            ..Default::default()
        });
        let mut us = e.push(&tone(12.0));
        us.extend(e.finish());
        assert_eq!(us.len(), 3);
    }
}
