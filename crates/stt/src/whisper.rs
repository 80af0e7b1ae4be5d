//! whisper.cpp backend (through whisper-rs).

use crate::backend::{BackendChoice, SttBackend};
use crate::budget::{DecodeBudget, DecodeStats};
use crate::decode_params::{
    full_params, prompt_with_context, tune_for_final, tune_for_partial, Pass, LOGPROB_THOLD,
    MIN_SAMPLES, NO_SPEECH_THOLD,
};
use crate::echo;
use crate::gate::may_contain_speech;
use crate::ggml::{self, GgmlError};
use crate::{SpeechToText, SAMPLE_RATE};
use rehearse_core::Segment;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use tracing::{debug, info, warn};
use whisper_rs::{
    FullParams, WhisperContext, WhisperContextParameters, WhisperError, WhisperState,
};

const REINSTALL: &str =
    "reinstall it with `bash scripts/setup.sh` or `rehearse models install tiny.en --from-ct2 DIR`";

#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("speech model not found at {path}; run `bash scripts/setup.sh` or `rehearse models install tiny.en --from-ct2 DIR`")]
    ModelMissing { path: PathBuf },
    #[error("speech model {path} is unusable: {reason}; {REINSTALL}")]
    ModelInvalid { path: PathBuf, reason: GgmlError },
    #[error("whisper.cpp could not load {path} ({source}); {REINSTALL}, and check there is ~300 MB of free memory")]
    ModelLoad { path: PathBuf, source: WhisperError },
    /// The CPU lacks an instruction set whisper.cpp was compiled for: checked before loading,
    /// because running it would die with SIGILL.
    #[error(transparent)]
    UnsupportedCpu(#[from] crate::cpu::UnsupportedCpu),
    #[error("transcription failed ({0}); try again, and if it keeps failing, {REINSTALL}")]
    Transcribe(WhisperError),
    /// A live partial abandoned on request (`SpeechToText::set_partial_cancel`).
    #[error("provisional transcription cancelled: a final was due")]
    Cancelled,
}

/// Primes whisper to write fillers down instead of cleaning them away (the delivery analytics
/// count them). Measured with `cargo run -p rehearse-stt --example filler_rate` (tiny.en,
/// 24 espeak-ng clips, 96 fillers): with the vocabulary prompt alone 50 % of fillers and 2 % of
/// "um"/"uh"/"erm" survive; with this in front of it 86 % and 73 %, and the word error rate on
/// the other words drops from 16.3 % to 13.7 %.
pub const FILLER_PRIMER: &str =
    "Um, so, uh, I think, like, we need a cache, you know. Erm, and then, uh, the queue.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhisperOptions {
    /// CPU threads for whisper.cpp. Keep it at or below the physical cores: oversubscribed,
    /// whisper.cpp's spinning threads slow it down 10-20x.
    pub threads: usize,
    /// Text that primes the decoder, e.g. system-design vocabulary ("Kafka, sharding, p99").
    pub initial_prompt: Option<String>,
    /// Run on the GPU back-end this build was compiled with (`cuda`, `vulkan`, `metal`
    /// features); falls back to the CPU, with a notice, when it cannot. Default: on in GPU
    /// builds. No effect in a CPU-only build.
    pub use_gpu: bool,
    /// whisper.cpp's flash attention: less memory; on a 2-core CPU it was slower (see
    /// `rehearse-bench stt`); on an H100 18% faster, but the bench speech's WER went from
    /// 7.8% to 15.9% (README "GPU builds"), so off everywhere by default.
    pub flash_attn: bool,
    /// Beam search width; 1 = greedy decoding (the default: measured fastest on 2 cores).
    pub beam_size: usize,
}

impl Default for WhisperOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Leave a core for audio capture and the UI.
        let threads = if cores <= 2 { 1 } else { (cores - 1).min(4) };
        WhisperOptions {
            threads,
            initial_prompt: None,
            use_gpu: crate::backend::GPU_API.is_some(),
            flash_attn: false,
            beam_size: 1,
        }
    }
}

pub struct WhisperStt {
    // The context owns the weights; the state (decoder buffers, ~tens of MB) is reused.
    _ctx: WhisperContext,
    state: WhisperState,
    options: WhisperOptions,
    name: String,
    backend: BackendChoice,
    /// Set by the caller to abandon the partial in progress.
    partial_cancel: Option<Arc<AtomicBool>>,
    /// What the last call decoded (see [`crate::budget`]).
    last_decode: DecodeStats,
    /// Threads for finals, when more than `options.threads` (`set_final_threads`).
    final_threads: usize,
}

fn load_context(
    model_path: &Path,
    options: &WhisperOptions,
    use_gpu: bool,
) -> Result<(WhisperContext, WhisperState), WhisperError> {
    let mut params = WhisperContextParameters::default();
    params.use_gpu(use_gpu).flash_attn(options.flash_attn);
    let ctx = WhisperContext::new_with_params(model_path, params)?;
    let state = ctx.create_state()?;
    Ok((ctx, state))
}

/// On the GPU when this build has a GPU back-end, `use_gpu` is set and ggml sees a device;
/// otherwise, or when loading there fails, on the CPU, with the reason in the notice.
fn load_on_best_backend(
    model_path: &Path,
    options: &WhisperOptions,
) -> Result<(WhisperContext, WhisperState, BackendChoice), WhisperError> {
    let cpu = |choice: BackendChoice| {
        load_context(model_path, options, false).map(|(c, s)| (c, s, choice))
    };
    let Some(api) = crate::backend::GPU_API else {
        return cpu(BackendChoice::cpu());
    };
    if !options.use_gpu {
        return cpu(BackendChoice::cpu());
    }
    let devices = crate::backend::gpu_devices();
    let Some(device) = devices.first() else {
        let choice = BackendChoice::cpu_fallback(api, &format!("no {api} device found"));
        warn!(notice = ?choice.gpu_notice, "speech model on the CPU");
        return cpu(choice);
    };
    match load_context(model_path, options, true) {
        Ok((c, s)) => Ok((
            c,
            s,
            BackendChoice {
                backend: SttBackend::Gpu {
                    api: api.to_string(),
                    device: device.clone(),
                },
                gpu_notice: None,
            },
        )),
        Err(e) => {
            let choice =
                BackendChoice::cpu_fallback(api, &format!("loading on {device} failed ({e})"));
            warn!(notice = ?choice.gpu_notice, "speech model on the CPU");
            cpu(choice)
        }
    }
}

/// whisper.cpp prints its progress to stderr unless its log hook is replaced; route it into
/// `tracing` (targets `whisper_rs::...`) instead.
fn install_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(whisper_rs::install_logging_hooks);
}

/// "ggml-tiny.en.bin" -> "tiny.en".
fn name_from_path(path: &Path) -> String {
    let file = path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let stem = file.strip_suffix(".bin").unwrap_or(&file);
    stem.strip_prefix("ggml-").unwrap_or(stem).to_string()
}

impl WhisperStt {
    /// Loads a ggml model. The file's structure is checked first, so a missing, truncated or
    /// foreign file gives an `SttError` instead of reaching whisper.cpp (which may abort).
    pub fn load(model_path: &Path, options: WhisperOptions) -> Result<Self, SttError> {
        crate::cpu::check_cpu()?;
        install_logging();
        if !model_path.is_file() {
            return Err(SttError::ModelMissing {
                path: model_path.to_path_buf(),
            });
        }
        let info = ggml::inspect(model_path).map_err(|reason| SttError::ModelInvalid {
            path: model_path.to_path_buf(),
            reason,
        })?;
        debug!(?info, "model file structure ok");
        let started = std::time::Instant::now();
        let load_err = |source| SttError::ModelLoad {
            path: model_path.to_path_buf(),
            source,
        };
        let (ctx, state, backend) = load_on_best_backend(model_path, &options).map_err(load_err)?;
        let name = name_from_path(model_path);
        info!(model = %name, threads = options.threads, backend = %backend.backend, load_ms = started.elapsed().as_millis() as u64, "speech model loaded");
        Ok(WhisperStt {
            _ctx: ctx,
            state,
            options,
            name,
            backend,
            partial_cancel: None,
            last_decode: DecodeStats::default(),
            final_threads: 0,
        })
    }

    /// The back-end in use, and why not the GPU if one was asked for.
    pub fn backend(&self) -> &BackendChoice {
        &self.backend
    }

    /// How many tokens the last call decoded, against its budget ([`crate::budget`]).
    pub fn last_decode(&self) -> DecodeStats {
        self.last_decode
    }

    pub fn options(&self) -> &WhisperOptions {
        &self.options
    }
}

/// whisper.cpp polls this between graph computations and decoder steps; `true` stops it.
unsafe extern "C" fn abort_when_set(flag: *mut std::ffi::c_void) -> bool {
    // SAFETY: `install_cancel` passes a pointer to an `AtomicBool` that the caller's `Arc`
    // keeps alive for the whole `full` call that polls it.
    unsafe { (*(flag as *const AtomicBool)).load(Ordering::Relaxed) }
}

/// Makes `params` stop whisper.cpp once `flag` is set. Through the raw API: whisper-rs 0.16's
/// `set_abort_callback_safe` hands its trampoline a pointer to a boxed trait object while
/// reading it as the closure type itself.
fn install_cancel(params: &mut FullParams<'_, '_>, flag: &Arc<AtomicBool>) {
    // SAFETY: the callback only reads the `AtomicBool` behind the pointer, and `flag` (held in
    // `WhisperStt::partial_cancel` and by the caller) outlives the `full` call these params
    // are consumed by.
    unsafe {
        params.set_abort_callback(Some(abort_when_set));
        params.set_abort_callback_user_data(Arc::as_ptr(flag) as *mut std::ffi::c_void);
    }
}

impl WhisperStt {
    fn transcribe_pass(
        &mut self,
        samples: &[f32],
        pass: Pass,
        context: Option<&str>,
    ) -> Result<Vec<Segment>, SttError> {
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        if !may_contain_speech(samples) {
            debug!(
                audio_s = samples.len() as f64 / SAMPLE_RATE,
                "silence or steady noise without a voice, not transcribed"
            );
            return Ok(Vec::new());
        }
        let prompt = prompt_with_context(self.options.initial_prompt.as_deref(), context);
        let out = self.decode(samples, pass, &prompt)?;
        // A final that writes the prompt back instead of the speech under it is decoded
        // again without the prompt (see `crate::echo`); a partial is soon replaced.
        let echoed = match pass {
            Pass::Final => out
                .iter()
                .find(|seg| echo::is_prompt_echo(seg, &prompt, samples)),
            Pass::Partial => None,
        };
        if let Some(seg) = echoed {
            debug!(
                audio_s = samples.len() as f64 / SAMPLE_RATE,
                echo = %seg.text,
                "the prompt came back as text: decoding again without it"
            );
            let again = self.decode(samples, pass, "")?;
            return Ok(again
                .into_iter()
                .filter(|seg| !echo::is_prompt_echo(seg, &prompt, samples))
                .collect());
        }
        Ok(out)
    }

    /// One whisper call over `samples` (padded to whisper's shortest input) with `prompt`.
    fn decode(
        &mut self,
        samples: &[f32],
        pass: Pass,
        prompt: &str,
    ) -> Result<Vec<Segment>, SttError> {
        let duration = samples.len() as f64 / SAMPLE_RATE;
        let padded;
        let audio = if samples.len() < MIN_SAMPLES {
            padded = [samples, &vec![0.0; MIN_SAMPLES - samples.len()]].concat();
            &padded[..]
        } else {
            samples
        };
        let mut params = full_params(&self.options, prompt);
        let threads = match pass {
            Pass::Final => {
                tune_for_final(&mut params, audio.len());
                self.options.threads.max(self.final_threads).max(1)
            }
            Pass::Partial => {
                tune_for_partial(&mut params, audio.len());
                self.options.threads.max(1)
            }
        };
        params.set_n_threads(threads as i32);
        let cancel = match pass {
            Pass::Partial => self.partial_cancel.clone(),
            Pass::Final => None,
        };
        if let Some(flag) = &cancel {
            install_cancel(&mut params, flag);
        }
        let budget = DecodeBudget::for_clip(duration);
        budget.install(&mut params);
        let started = std::time::Instant::now();
        let outcome = self.state.full(params, audio);
        self.last_decode = DecodeStats {
            threads,
            ..budget.stats()
        };
        if self.last_decode.cut {
            debug!(audio_s = duration, stats = ?self.last_decode, "decoding stopped at the token budget");
        }
        if cancel.is_some_and(|f| f.load(Ordering::Relaxed)) {
            debug!(
                audio_s = duration,
                took_ms = started.elapsed().as_millis() as u64,
                "partial cancelled"
            );
            return Err(SttError::Cancelled);
        }
        outcome.map_err(SttError::Transcribe)?;
        let mut out = Vec::new();
        let eot = self._ctx.token_eot();
        for seg in self.state.as_iter() {
            let raw = seg.to_str_lossy().map_err(SttError::Transcribe)?;
            let Some(text) = clean_text(&raw) else {
                debug!(text = %raw.trim(), "dropped non-speech segment");
                continue;
            };
            let no_speech = seg.no_speech_probability();
            let logprob = mean_text_logprob(&seg, eot);
            if no_speech > NO_SPEECH_THOLD && logprob < LOGPROB_THOLD {
                debug!(%text, no_speech, logprob, "dropped a segment whisper itself doubts is speech");
                continue;
            }
            // Timestamps are in centiseconds; clamp to the real audio, not the padding.
            let t0 = (seg.start_timestamp() as f64 / 100.0).clamp(0.0, duration);
            let t1 = (seg.end_timestamp() as f64 / 100.0).clamp(t0, duration);
            let mut words = match pass {
                Pass::Final => crate::words::segment_words(&seg, eot, t0, t1),
                Pass::Partial => Vec::new(),
            };
            // The leading punctuation `clean_text` took off the text.
            let lone_marks = words
                .iter()
                .take_while(|w| !w.text.chars().any(char::is_alphanumeric))
                .count();
            words.drain(..lone_marks);
            out.push(Segment {
                t0,
                t1,
                text,
                words,
            });
        }
        if self.last_decode.cut && crate::repeats::trim_echo_tail(&mut out) {
            debug!("removed the echo a decoding loop left when it was cut");
        }
        let repeats = crate::repeats::filter_repeats(&mut out);
        if repeats > 0 {
            debug!(repeats, "removed repetition-loop output");
        }
        debug!(
            audio_s = duration,
            ?pass,
            took_ms = started.elapsed().as_millis() as u64,
            segments = out.len(),
            "transcribed"
        );
        Ok(out)
    }
}

impl SpeechToText for WhisperStt {
    fn transcribe(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
        self.transcribe_pass(samples, Pass::Final, None)
    }

    fn transcribe_after(
        &mut self,
        samples: &[f32],
        previous_text: &str,
    ) -> Result<Vec<Segment>, SttError> {
        self.transcribe_pass(samples, Pass::Final, Some(previous_text))
    }

    fn transcribe_partial(&mut self, samples: &[f32]) -> Result<Vec<Segment>, SttError> {
        self.transcribe_pass(samples, Pass::Partial, None)
    }

    fn set_partial_cancel(&mut self, flag: Arc<AtomicBool>) {
        self.partial_cancel = Some(flag);
    }

    fn set_final_threads(&mut self, threads: usize) {
        self.final_threads = threads;
    }

    fn model_name(&self) -> &str {
        &self.name
    }
}

/// Mean log probability of a segment's text tokens (special tokens, ids >= end-of-text,
/// left out); 0 for a segment without any.
fn mean_text_logprob(seg: &whisper_rs::WhisperSegment<'_>, eot: i32) -> f32 {
    let (mut sum, mut n) = (0.0f32, 0u32);
    for i in 0..seg.n_tokens() {
        if let Some(tok) = seg.get_token(i) {
            let data = tok.token_data();
            if data.id < eot {
                sum += data.plog;
                n += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f32
    }
}

/// Removes whisper's non-speech markers ("[BLANK_AUDIO]", "(music)", "[no audio]", "*sigh*")
/// and returns the remaining text, or `None` if nothing speech-like is left.
pub fn clean_text(raw: &str) -> Option<String> {
    let mut text = String::with_capacity(raw.len());
    let mut depth = 0usize;
    // Square brackets are never speech in Whisper's output: strip them wherever they are.
    for c in raw.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Parentheses and asterisks mark non-speech only when they wrap the whole segment.
    let whole_marker =
        |open: char, close: char| text.starts_with(open) && text.ends_with(close) && text.len() > 1;
    if whole_marker('(', ')') || whole_marker('*', '*') {
        return None;
    }
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    // A segment that continues a sentence can open with its punctuation (", he was not",
    // ". . . , Montreal"): the text starts at its first word.
    let text = text.trim_start_matches([',', '.', ';', ':', ' ', '-']);
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_speech_markers_are_dropped() {
        for m in [
            "[BLANK_AUDIO]",
            " (music)",
            "[no audio]",
            "*sigh*",
            "♪",
            " ... ",
            "",
            "[ Silence ]",
        ] {
            assert_eq!(clean_text(m), None, "{m:?}");
        }
        assert_eq!(
            clean_text(" We shard by user id."),
            Some("We shard by user id.".into())
        );
        assert_eq!(
            clean_text("Then [BLANK_AUDIO] we cache"),
            Some("Then we cache".into())
        );
        assert_eq!(
            clean_text("A cache (Redis) in front"),
            Some("A cache (Redis) in front".into())
        );
        assert_eq!(
            clean_text(", he was not. . . , ill"),
            Some("he was not. . . , ill".into())
        );
        assert_eq!(clean_text("... so"), Some("so".into()));
    }

    #[test]
    fn default_threads_leave_a_core_free() {
        let t = WhisperOptions::default().threads;
        assert!((1..=4).contains(&t));
    }

    #[test]
    fn model_name_comes_from_the_file_name() {
        assert_eq!(name_from_path(Path::new("/m/ggml-tiny.en.bin")), "tiny.en");
        assert_eq!(name_from_path(Path::new("custom.bin")), "custom");
    }
}
