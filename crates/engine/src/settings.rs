use rehearse_interviewer::InterviewerConfig;

/// The words of the domain that tiny models most often mishear.
pub const VOCABULARY_PROMPT: &str = "A system design interview: requirements, architecture, \
chunks, embeddings, vector store, retrieval, reranker, LLM, latency, cache, queue, database, \
trade-offs, evaluation.";

/// What the engine needs from the user's settings.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    pub model_id: String,
    /// whisper.cpp threads. More threads than free cores makes whisper.cpp spin and slow
    /// down many times over, so the default leaves a core for capture and the UI.
    pub whisper_threads: usize,
    /// None: the system's default input.
    pub input_device: Option<String>,
    /// Vocabulary that primes whisper, so "vector store" is not heard as "meta store".
    pub whisper_prompt: Option<String>,
    pub interviewer: InterviewerConfig,
}

impl Default for EngineSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        EngineSettings {
            model_id: rehearse_stt::DEFAULT_MODEL_ID.to_string(),
            whisper_threads: if cores <= 2 { 1 } else { (cores - 1).min(4) },
            input_device: None,
            whisper_prompt: Some(VOCABULARY_PROMPT.to_string()),
            interviewer: InterviewerConfig::default(),
        }
    }
}

impl EngineSettings {
    /// Defaults with `REHEARSE_MODEL`, `REHEARSE_WHISPER_THREADS` and `REHEARSE_INPUT_DEVICE`
    /// applied (unparsable values are ignored with a warning).
    pub fn from_env() -> Self {
        let mut s = EngineSettings::default();
        if let Ok(m) = std::env::var("REHEARSE_MODEL") {
            if !m.is_empty() {
                s.model_id = m;
            }
        }
        if let Ok(t) = std::env::var("REHEARSE_WHISPER_THREADS") {
            match t.parse::<usize>() {
                Ok(n) if n > 0 => s.whisper_threads = n,
                _ => {
                    tracing::warn!(value = %t, "ignoring REHEARSE_WHISPER_THREADS: not a positive number")
                }
            }
        }
        if let Ok(d) = std::env::var("REHEARSE_INPUT_DEVICE") {
            if !d.is_empty() {
                s.input_device = Some(d);
            }
        }
        s
    }
}
