//! Speech to text for Rehearse: whisper.cpp transcription behind the [`SpeechToText`]
//! trait, the model catalogue and installer, a CTranslate2 -> ggml converter (the only
//! Whisper models available from package registries are CTranslate2 ones), and WER.

pub mod backend;
pub mod budget;
pub mod convert;
pub mod cpu;
mod ct2;
mod decode_params;
pub mod download;
pub mod echo;
pub mod gate;
mod ggml;
mod half;
mod mel;
pub mod models;
pub mod quantize;
pub mod repeats;
#[cfg(test)]
mod test_words;
mod vocab;
pub mod wer;
mod whisper;
pub mod words;

pub use backend::{BackendChoice, SttBackend, GPU_API};
pub use budget::DecodeStats;
pub use convert::{convert_ct2_to_ggml, ConvertError, ConvertSummary};
pub use cpu::{build_baseline, check_cpu, CpuBaseline, UnsupportedCpu};
pub use download::{
    download_file, CancelToken, DownloadError, DownloadOptions, DownloadPhase, DownloadProgress,
};
pub use ggml::{inspect as inspect_model, GgmlError, GgmlInfo, Hparams};
pub use models::{
    install_from_ct2, model_path, verify_model, ModelError, ModelSpec, DEFAULT_MODEL_ID,
};
pub use whisper::{SttError, WhisperOptions, WhisperStt, FILLER_PRIMER};

/// Sample rate every backend expects.
pub const SAMPLE_RATE: f64 = 16_000.0;

pub trait SpeechToText: Send {
    /// `samples`: 16 kHz mono f32 in [-1, 1]. Returns segments whose times are seconds
    /// from the start of `samples`; empty text segments and non-speech markers removed.
    fn transcribe(&mut self, samples: &[f32]) -> Result<Vec<rehearse_core::Segment>, SttError>;
    /// `transcribe`, for audio that continues `previous_text` (the piece of the same
    /// utterance before it): a backend may use that text as context, as whisper does with
    /// its prompt. The default ignores it.
    fn transcribe_after(
        &mut self,
        samples: &[f32],
        previous_text: &str,
    ) -> Result<Vec<rehearse_core::Segment>, SttError> {
        let _ = previous_text;
        self.transcribe(samples)
    }
    /// A quick, provisional transcription of an utterance still in progress (live partial
    /// text): a backend may trade some accuracy for speed here. Finals use `transcribe`.
    fn transcribe_partial(
        &mut self,
        samples: &[f32],
    ) -> Result<Vec<rehearse_core::Segment>, SttError> {
        self.transcribe(samples)
    }
    /// Hands the backend a flag that abandons a `transcribe_partial` in progress once set:
    /// the caller no longer wants that text (a final for the same speech is waiting). The
    /// call then ends early with `SttError::Cancelled`. Backends that cannot stop early keep
    /// this default and simply finish.
    fn set_partial_cancel(&mut self, _flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {}
    /// CPU threads for full-quality passes (`transcribe`, `transcribe_after`) from now on,
    /// if more than the backend's own setting; partials keep that setting. The live
    /// transcriber gives finals every core (see `StreamConfig::final_threads`). Backends
    /// without a thread setting keep this default and ignore it.
    fn set_final_threads(&mut self, _threads: usize) {}
    fn model_name(&self) -> &str;
}
