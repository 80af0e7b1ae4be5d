//! How one whisper call is set up: the decoding parameters (thresholds, the prompt with the
//! words said before the audio) and the encoder sized to the clip, for finals and for live
//! partials. Each setting says what it was measured against.

use crate::{WhisperOptions, SAMPLE_RATE};
use whisper_rs::{FullParams, SamplingStrategy};

pub(crate) fn full_params(options: &WhisperOptions, prompt: &str) -> FullParams<'static, 'static> {
    let mut p = if options.beam_size > 1 {
        FullParams::new(SamplingStrategy::BeamSearch {
            beam_size: options.beam_size as i32,
            patience: -1.0,
        })
    } else {
        FullParams::new(SamplingStrategy::Greedy { best_of: 1 })
    };
    p.set_n_threads(options.threads.max(1) as i32);
    p.set_language(Some("en"));
    p.set_translate(false);
    // whisper's own carry-over of text between its 30 s windows invites repetition loops;
    // the text before a piece is handed over explicitly instead (`transcribe_after`).
    p.set_no_context(true);
    p.set_suppress_blank(true);
    // Non-speech symbols, as OpenAI's decoder suppresses them by default.
    p.set_suppress_nst(true);
    // whisper.cpp's (and OpenAI's) thresholds, set here so they are ours to see: a window
    // whose tokens are too repetitive (compression entropy) or too unsure (mean log
    // probability) is decoded again at a higher temperature; one judged silent is skipped.
    p.set_no_speech_thold(NO_SPEECH_THOLD);
    p.set_entropy_thold(2.4);
    p.set_logprob_thold(LOGPROB_THOLD);
    p.set_print_special(false);
    p.set_print_progress(false);
    p.set_print_realtime(false);
    p.set_print_timestamps(false);
    if !prompt.is_empty() {
        // whisper-rs panics on interior NULs and leaks one small copy of the prompt per
        // call (it hands a raw CString to C); both are harmless once NULs are removed
        // (`prompt_with_context`).
        p.set_initial_prompt(prompt);
    }
    p
}

/// Words of the previous piece given to whisper as context: enough for the sentence a piece
/// continues, few enough to cost little decoding (each prompt token is decoded every call).
pub(crate) const CONTEXT_WORDS: usize = 30;

/// The initial prompt, then the last [`CONTEXT_WORDS`] words said just before the audio
/// (whisper reads its prompt as the text preceding the audio), without NULs.
pub(crate) fn prompt_with_context(initial: Option<&str>, context: Option<&str>) -> String {
    let tail = context.map(|c| {
        let words: Vec<&str> = c.split_whitespace().collect();
        words[words.len().saturating_sub(CONTEXT_WORDS)..].join(" ")
    });
    let joined = [initial.map(str::trim), tail.as_deref()]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    joined.chars().filter(|&c| c != '\0').collect()
}

/// OpenAI's rule, applied per segment as well (whisper.cpp applies it per 30 s window only):
/// a segment that whisper itself thinks is probably not speech and whose words it is unsure
/// of is dropped. Either alone is not enough: quiet speech can have a high no-speech
/// probability, and jargon a low log probability.
pub(crate) const NO_SPEECH_THOLD: f32 = 0.6;
pub(crate) const LOGPROB_THOLD: f32 = -1.0;

/// Whisper's shortest comfortable input; shorter clips are padded with silence.
pub(crate) const MIN_SAMPLES: usize = SAMPLE_RATE as usize;

/// What a call to whisper is for: a final (full quality, with word timings) or a live
/// partial (quick: see [`tune_for_partial`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    Final,
    Partial,
}

/// Partials: the encoder sized to the clip (`audio_ctx`, 50 positions a second plus a
/// margin, as whisper.cpp's stream example does) instead of its fixed 30 s window, one
/// segment, no timestamps, no temperature fallback. Measured with rehearse-engine's
/// `stream_latency` example (tiny.en, one thread, a busy 2-core machine): 0.4-0.9 s for a
/// 1-4 s clip instead of 2.7-2.9 s with the full window, 2x cheaper at 16 s; the text differs
/// from the full-window text by a WER of 0-0.18 on clips of 2 s and more.
pub(crate) fn tune_for_partial(p: &mut FullParams<'_, '_>, samples: usize) {
    p.set_audio_ctx(encoder_ctx_for(samples));
    p.set_single_segment(true);
    p.set_no_timestamps(true);
    p.set_temperature_inc(0.0);
}

/// Encoder positions (20 ms each) beyond the clip: too tight a context makes whisper drop
/// the last words.
pub(crate) const ENCODER_CTX_MARGIN: i32 = 64;

/// Whisper's encoder sized to a clip: 50 positions a second plus a margin, rounded up to a
/// multiple of [`ENCODER_CTX_ALIGN`], at most the model's full 30 s window (1500 positions).
pub(crate) fn encoder_ctx_for(samples: usize) -> i32 {
    let seconds = samples as f64 / SAMPLE_RATE;
    let ctx = (seconds * 50.0).ceil() as u32 + ENCODER_CTX_MARGIN as u32;
    (ctx.next_multiple_of(ENCODER_CTX_ALIGN) as i32).min(FULL_ENCODER_CTX)
}

/// The encoder's self-attention multiplies matrices whose sides are the number of positions;
/// ggml hands them to llamafile's tiled kernels (tinyBLAS) only when the rows come in fours
/// and the shared side in eights (`llamafile_sgemm`: `k % KN`, `m % 4`), and otherwise falls
/// back to one dot product at a time (`ggml_vec_dot_f16`), several times slower. Profiled
/// with `perf` on `rehearse-bench stt --mode utterances --no-stream` (tiny.en, 1 thread):
/// that fallback was a fifth of all the time. Aligned to 8: 14.0-14.6 s -> 10.9-11.6 s, the
/// same WER.
pub(crate) const ENCODER_CTX_ALIGN: u32 = 8;

pub(crate) const FULL_ENCODER_CTX: i32 = 1500;

/// The smallest encoder a final gets: 4 s (see [`tune_for_final`]).
pub(crate) const FINAL_MIN_ENCODER_CTX: i32 = 200;

/// Finals: the encoder sized to the utterance too (at least 4 s), with everything else at
/// full quality (segments, token timestamps, temperature fallback). The full 30 s window
/// costs as much for a 3 s utterance as for a 30 s one, and it is what the candidate waits
/// for after a pause. `rehearse-bench stt --mode utterances --no-stream` (tiny.en, 1 thread,
/// 171.5 s of speech, 473 words): full window 55.7 s, WER 11.2%; sized, at least 10 s,
/// 25.8 s, WER 9.5%. The live transcriber's pieces (rehearse-engine's `piece_wer` example,
/// same speech): at least 10 s 24.0 s, WER 10.6%; 6 s 20.3 s, 4 s 19.7 s, no floor 19.2 s,
/// all 10.4%. The 4 s floor keeps the smallest clips (padded to 1 s) off the tightest
/// encoders for little cost.
pub(crate) fn tune_for_final(p: &mut FullParams<'_, '_>, samples: usize) {
    p.set_token_timestamps(true);
    if (samples as f64) < FALLBACK_FROM_S * SAMPLE_RATE {
        p.set_temperature_inc(0.0);
    }
    if let Some(ctx) = final_encoder_ctx(samples) {
        p.set_audio_ctx(ctx);
    }
}

/// Finals of clips shorter than this are decoded once, without whisper's temperature
/// fallback. What the fallback mostly caught on them was a repetition loop, and each retry
/// looped again up to the token budget (`crate::budget`), which now ends loops and has their
/// echo trimmed: a live piece's speculative final of 4.2 s took 2.2 s that way. Streaming the
/// bench speech (`rehearse-bench stt --mode utterances`, tiny.en, 1 thread): partial lag max
/// 2.2-2.3 s -> 1.3 s, the same WER per file (9.0 / 14.7 / 8.0%). Longer clips (a recording's
/// packed windows) keep the fallback: their budget (216 tokens and up) is about whisper's own
/// limit of 224 a window, where whisper's loop check and retries take over as before; the
/// batch WER is the same either way.
pub(crate) const FALLBACK_FROM_S: f64 = 20.0;

/// The encoder size for a final, or None for whisper's full window.
pub(crate) fn final_encoder_ctx(samples: usize) -> Option<i32> {
    let ctx = encoder_ctx_for(samples).max(FINAL_MIN_ENCODER_CTX);
    (ctx < FULL_ENCODER_CTX).then_some(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_is_sized_to_the_clip_with_a_floor_for_finals() {
        let secs = |s: f64| (s * SAMPLE_RATE) as usize;
        // Partials: 50 positions a second plus the margin, rounded up to a multiple of 8.
        assert_eq!(encoder_ctx_for(secs(2.0)), 168);
        assert_eq!(encoder_ctx_for(secs(60.0)), FULL_ENCODER_CTX);
        // Finals: never under 4 s, and the full window from about 28.7 s on.
        assert_eq!(final_encoder_ctx(secs(1.0)), Some(FINAL_MIN_ENCODER_CTX));
        assert_eq!(
            final_encoder_ctx(secs(20.0)),
            Some(1000 + ENCODER_CTX_MARGIN)
        );
        assert_eq!(final_encoder_ctx(secs(29.0)), None);
        assert_eq!(final_encoder_ctx(secs(45.0)), None);
    }

    #[test]
    fn every_sized_encoder_fits_the_tiled_kernels() {
        for tenths in 1..=300 {
            let samples = (f64::from(tenths) / 10.0 * SAMPLE_RATE) as usize;
            let seconds = samples as f64 / SAMPLE_RATE;
            let ctx = encoder_ctx_for(samples);
            let wanted = (seconds * 50.0).ceil() as i32 + ENCODER_CTX_MARGIN;
            if ctx < FULL_ENCODER_CTX {
                assert_eq!(ctx % 8, 0, "{seconds} s: {ctx} positions");
                assert!((wanted..wanted + 8).contains(&ctx), "{seconds} s: {ctx}");
            } else {
                assert!(wanted > FULL_ENCODER_CTX - 8, "{seconds} s: {wanted}");
            }
        }
    }

    #[test]
    fn the_prompt_ends_with_the_last_words_said_before_the_audio() {
        assert_eq!(prompt_with_context(None, None), "");
        assert_eq!(prompt_with_context(Some(" Um, so. "), None), "Um, so.");
        let said: String = (1..=40).map(|i| format!("w{i} ")).collect();
        let prompt = prompt_with_context(Some("Um, so."), Some(&said));
        assert!(prompt.starts_with("Um, so. w11 w12"), "{prompt}");
        assert!(prompt.ends_with("w40"), "{prompt}");
        assert_eq!(prompt_with_context(None, Some("a\0b")), "ab");
    }
}
