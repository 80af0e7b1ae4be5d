use crate::{Engine, EngineError};
use rehearse_audio::Utterance;
use rehearse_core::{Segment, Word};
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};

pub(crate) fn load_stt(engine: &Engine) -> Result<WhisperStt, EngineError> {
    let path = engine.verified_model()?;
    let options = WhisperOptions {
        threads: engine.settings().whisper_threads,
        initial_prompt: engine.settings().whisper_prompt.clone(),
        use_gpu: engine.settings().use_gpu,
        ..WhisperOptions::default()
    };
    Ok(WhisperStt::load(&path, options)?)
}

impl Engine {
    /// Loads the selected model once and says where it runs: the CPU, a GPU, or the CPU
    /// because the GPU could not be used (with the reason). For `rehearse models verify`.
    pub fn speech_backend(&self) -> Result<rehearse_stt::BackendChoice, EngineError> {
        Ok(load_stt(self)?.backend().clone())
    }
}

/// Transcribes an utterance or a piece of one, with the text said just before it as context
/// when it continues that text; segment times become session times.
pub(crate) fn transcribe_piece(
    stt: &mut dyn SpeechToText,
    piece: &Utterance,
    previous_text: Option<&str>,
) -> Result<Vec<Segment>, EngineError> {
    let segments = match previous_text {
        Some(text) if !text.trim().is_empty() => stt.transcribe_after(&piece.samples, text)?,
        _ => stt.transcribe(&piece.samples)?,
    };
    Ok(place_segments(segments, piece))
}

/// Segment and word times from a transcription of (the start of) `utterance` become session
/// times, clamped to the utterance.
pub(crate) fn place_segments(segments: Vec<Segment>, utterance: &Utterance) -> Vec<Segment> {
    let length = utterance.samples.len() as f64 / rehearse_audio::TARGET_RATE as f64;
    retime_segments(segments, |t| utterance.t0 + t.clamp(0.0, length))
}

/// Every segment and word time through `at`; texts trimmed, empty segments dropped.
fn retime_segments(segments: Vec<Segment>, at: impl Fn(f64) -> f64) -> Vec<Segment> {
    segments
        .into_iter()
        .map(|s| Segment {
            t0: at(s.t0),
            t1: at(s.t1),
            text: s.text.trim().to_string(),
            words: s
                .words
                .into_iter()
                .map(|w| Word {
                    t0: at(w.t0),
                    t1: at(w.t1),
                    ..w
                })
                .collect(),
        })
        .filter(|s| !s.text.is_empty())
        .collect()
}

/// Transcribes a whole recorded clip (16 kHz mono) with the same pause detection as live
/// sessions, so silence never reaches whisper. The utterances that may hold speech are packed
/// into windows of up to [`PACKED_WINDOW_S`] (see [`pack_utterances`]).
pub fn transcribe_clip(
    stt: &mut dyn SpeechToText,
    samples: &[f32],
) -> Result<Vec<Segment>, EngineError> {
    let mut utterances =
        rehearse_audio::Endpointer::cut(samples, rehearse_audio::EndpointerConfig::default());
    utterances.retain(|u| rehearse_stt::gate::may_contain_speech(&u.samples));
    let mut segments = Vec::new();
    for window in pack_utterances(&utterances, PACKED_WINDOW_S) {
        let found = stt.transcribe(&window.samples)?;
        segments.extend(retime_segments(found, |t| window.session_time(t)));
    }
    Ok(segments)
}

/// The most speech handed to whisper in one call when a recording is transcribed after the
/// fact: just under its 30 s window. Whisper hears more context per call, and the initial
/// prompt is decoded once per window instead of once per utterance. `rehearse-bench stt --mode
/// utterances --no-stream` on the bench speech (tiny.en, 1 thread, 473 words): one call per
/// utterance 9.5% WER; windows of 15 s 9.7%, ~5% faster; 20 s 9.1%; 28 s 7.8%, about the same
/// time as one call per utterance (the encoder's attention grows with the window).
pub const PACKED_WINDOW_S: f64 = 28.0;

/// Utterances laid end to end (each keeps its own lead-in and trailing pause, so whisper still
/// hears where one ends), and where each came from.
#[derive(Debug)]
pub(crate) struct PackedWindow {
    pub samples: Vec<f32>,
    /// (start in the window, start in the session, length), in seconds, in window order.
    parts: Vec<(f64, f64, f64)>,
}

impl PackedWindow {
    /// The session time of `t` seconds into the window: inside the utterance playing then,
    /// clamped to the window's audio.
    pub fn session_time(&self, t: f64) -> f64 {
        let part = self
            .parts
            .iter()
            .rev()
            .find(|(start, _, _)| t >= *start)
            .or(self.parts.first());
        match part {
            Some(&(start, session_t0, length)) => session_t0 + (t - start).clamp(0.0, length),
            None => 0.0,
        }
    }
}

/// Consecutive utterances packed greedily into windows of at most `max_s` seconds; an utterance
/// longer than that gets a window of its own.
pub(crate) fn pack_utterances(utterances: &[Utterance], max_s: f64) -> Vec<PackedWindow> {
    let rate = rehearse_audio::TARGET_RATE as f64;
    let mut windows: Vec<PackedWindow> = Vec::new();
    for u in utterances {
        let length = u.samples.len() as f64 / rate;
        let fits = windows
            .last()
            .is_some_and(|w| w.samples.len() as f64 / rate + length <= max_s);
        if !fits {
            windows.push(PackedWindow {
                samples: Vec::new(),
                parts: Vec::new(),
            });
        }
        if let Some(w) = windows.last_mut() {
            w.parts.push((w.samples.len() as f64 / rate, u.t0, length));
            w.samples.extend_from_slice(&u.samples);
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehearse_stt::SttError;

    const RATE: f64 = rehearse_audio::TARGET_RATE as f64;

    fn utterance(t0: f64, secs: f64) -> Utterance {
        let samples = vec![0.1; (secs * RATE) as usize];
        Utterance {
            t0,
            speech_len: samples.len(),
            speech_s: secs,
            samples,
        }
    }

    #[test]
    fn utterances_are_packed_in_order_up_to_the_window() {
        let us = [
            utterance(0.0, 10.0),
            utterance(15.0, 10.0),
            utterance(40.0, 10.0),
            utterance(60.0, 30.0),
            utterance(95.0, 2.0),
        ];
        let windows = pack_utterances(&us, 28.0);
        let lengths: Vec<f64> = windows
            .iter()
            .map(|w| w.samples.len() as f64 / RATE)
            .collect();
        // 10 + 10 fit, a third would not; the 30 s one stands alone; 2 s starts a new one.
        assert_eq!(lengths, vec![20.0, 10.0, 30.0, 2.0]);
        let first = &windows[0];
        assert_eq!(first.session_time(5.0), 5.0);
        // 12 s into the window is 2 s into the second utterance, which began at 15 s.
        assert_eq!(first.session_time(12.0), 17.0);
        // Past the audio: the end of the last utterance in it.
        assert_eq!(first.session_time(26.0), 25.0);
        assert_eq!(windows[1].session_time(3.0), 43.0);
        assert_eq!(windows[3].session_time(1.0), 96.0);
    }

    /// Says "w" at 1 s and 11 s into whatever it is given, and remembers what it was given.
    #[derive(Default)]
    struct MarkingStt {
        calls: Vec<usize>,
    }

    impl SpeechToText for MarkingStt {
        fn transcribe(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
            self.calls.push(samples.len());
            let word = |t: f64| Word {
                t0: t,
                t1: t + 0.5,
                text: "w".into(),
                p: Some(0.25),
            };
            Ok(vec![Segment {
                t0: 1.0,
                t1: 11.5,
                text: " w w ".into(),
                words: vec![word(1.0), word(11.0)],
            }])
        }
        fn transcribe_partial(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
            self.transcribe(samples)
        }
        fn model_name(&self) -> &str {
            "marking"
        }
    }

    /// Speech-like sound: 150 ms bursts every 250 ms (loudness rises and falls as syllables do).
    fn syllables(secs: f64) -> Vec<f32> {
        (0..(secs * RATE) as usize)
            .map(|i| {
                let t = i as f32 / RATE as f32;
                if t % 0.25 < 0.15 {
                    0.2 * (t * 2.0 * std::f32::consts::PI * 180.0).sin()
                } else {
                    0.0
                }
            })
            .collect()
    }

    #[test]
    fn a_recording_is_sent_in_packed_windows_and_its_times_come_back_as_session_times() {
        // 8 s of speech, 3 s of silence, 8 s of speech, 3 s of silence, 12 s of steady noise
        // (loud enough to be cut as an utterance; long enough that its lead-in and trailing
        // pause are under a tenth of it, as the gate's percentiles need), 2 s of silence.
        let silence = |secs: f64| vec![0.0; (secs * RATE) as usize];
        let mut audio = syllables(8.0);
        audio.extend(silence(3.0));
        audio.extend(syllables(8.0));
        audio.extend(silence(3.0));
        let mut noise_state = 1u32;
        audio.extend((0..(12.0 * RATE) as usize).map(|_| {
            noise_state = noise_state
                .wrapping_mul(1_664_525)
                .wrapping_add(1_013_904_223);
            0.2 * ((noise_state >> 8) as f32 / (1u32 << 24) as f32 - 0.5)
        }));
        audio.extend(silence(2.0));
        let mut stt = MarkingStt::default();
        let segments = transcribe_clip(&mut stt, &audio).expect("transcribed");
        // Both utterances in one call, the silence between them and the noise left out.
        assert_eq!(stt.calls.len(), 1, "{:?}", stt.calls);
        let sent_s = stt.calls[0] as f64 / RATE;
        assert!(sent_s < 19.0 && sent_s > 16.0, "{sent_s} s sent");
        let s = &segments[0];
        assert_eq!(s.text, "w w");
        // 1 s into the window is in the first utterance (which starts near 0 s); 11 s into
        // it is ~3 s into the second, which starts ~11 s into the recording: ~14 s.
        assert!(s.words[0].t0 > 0.5 && s.words[0].t0 < 1.5, "{:?}", s.words);
        assert!(
            s.words[1].t0 > 12.5 && s.words[1].t0 < 15.0,
            "{:?}",
            s.words
        );
        assert!(s.t1 > s.words[1].t0);
        // Placed in the recording, each word keeps how sure the recogniser was of it.
        assert!(s.words.iter().all(|w| w.p == Some(0.25)), "{:?}", s.words);
    }
}
