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
    /// Transcribe on the GPU back-end compiled in (Cargo features `cuda`, `vulkan`, `metal`),
    /// falling back to the CPU with a notice. Default: on in GPU builds. `REHEARSE_USE_GPU`.
    pub use_gpu: bool,
    /// None: the system's default input.
    pub input_device: Option<String>,
    /// Vocabulary that primes whisper, so "vector store" is not heard as "meta store".
    pub whisper_prompt: Option<String>,
    pub interviewer: InterviewerConfig,
    /// The OpenAI-compatible LLM interviewer; None: the offline interviewer only.
    pub llm: Option<LlmSettings>,
    /// Hold follow-ups until the candidate is done (no interruptions at pauses).
    pub hold_questions: bool,
    /// Keep a session's recording after it is scored (false: deleted once scored; the
    /// transcript and scores stay). `REHEARSE_KEEP_AUDIO`.
    pub keep_audio: bool,
    /// Delete sessions (rows and files) older than this many days, at start and on
    /// request; None keeps them. `REHEARSE_DELETE_AFTER_DAYS`.
    pub delete_after_days: Option<u32>,
}

/// Where the LLM interviewer's server is. `Debug` never prints the key.
#[derive(Clone, PartialEq)]
pub struct LlmSettings {
    /// The API root, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// The deadline for one call to the server, retries included.
    pub timeout_s: f64,
}

/// The default deadline for one LLM call.
pub const DEFAULT_LLM_TIMEOUT_S: f64 = 30.0;

impl std::fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("timeout_s", &self.timeout_s)
            .finish()
    }
}

impl LlmSettings {
    /// The endpoint a tool was given, each part falling back to `REHEARSE_LLM_URL` and
    /// `REHEARSE_LLM_MODEL`; None while either is missing (the caller says how to give it).
    pub fn endpoint_or_env(url: Option<String>, model: Option<String>) -> Option<(String, String)> {
        let url = url.or_else(|| std::env::var("REHEARSE_LLM_URL").ok())?;
        let model = model.or_else(|| std::env::var("REHEARSE_LLM_MODEL").ok())?;
        Some((url, model))
    }

    /// From `REHEARSE_LLM_URL`, `REHEARSE_LLM_MODEL`, `REHEARSE_LLM_API_KEY` and
    /// `REHEARSE_LLM_TIMEOUT_S`, through `var` (the environment in `from_env`). None unless
    /// both the URL and the model are set.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let base_url = get("REHEARSE_LLM_URL");
        let model = get("REHEARSE_LLM_MODEL");
        let (base_url, model) = match (base_url, model) {
            (Some(u), Some(m)) => (u, m),
            (None, None) => return None,
            _ => {
                tracing::warn!("ignoring the LLM interviewer settings: REHEARSE_LLM_URL and REHEARSE_LLM_MODEL must both be set");
                return None;
            }
        };
        let mut timeout_s = DEFAULT_LLM_TIMEOUT_S;
        if let Some(t) = get("REHEARSE_LLM_TIMEOUT_S") {
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => timeout_s = v,
                _ => {
                    tracing::warn!(value = %t, "ignoring REHEARSE_LLM_TIMEOUT_S: not a positive number")
                }
            }
        }
        Some(LlmSettings {
            base_url,
            model,
            api_key: get("REHEARSE_LLM_API_KEY"),
            timeout_s,
        })
    }
}

impl Default for EngineSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        EngineSettings {
            model_id: rehearse_stt::DEFAULT_MODEL_ID.to_string(),
            whisper_threads: if cores <= 2 { 1 } else { (cores - 1).min(4) },
            use_gpu: rehearse_stt::GPU_API.is_some(),
            input_device: None,
            // Fillers first, so whisper keeps them (see rehearse_stt::FILLER_PRIMER).
            whisper_prompt: Some(format!(
                "{} {VOCABULARY_PROMPT}",
                rehearse_stt::FILLER_PRIMER
            )),
            interviewer: InterviewerConfig::default(),
            llm: None,
            hold_questions: false,
            keep_audio: true,
            delete_after_days: None,
        }
    }
}

impl EngineSettings {
    /// Defaults with `REHEARSE_MODEL`, `REHEARSE_WHISPER_THREADS` and `REHEARSE_INPUT_DEVICE`
    /// applied (unparsable values are ignored with a warning), and the LLM interviewer from
    /// `REHEARSE_LLM_URL`, `REHEARSE_LLM_MODEL`, `REHEARSE_LLM_API_KEY` (never logged) and
    /// `REHEARSE_LLM_TIMEOUT_S` (see [`LlmSettings::from_vars`]).
    pub fn from_env() -> Self {
        EngineSettings::default().with_env_overrides(|k| std::env::var(k).ok())
    }

    /// These settings with the `REHEARSE_*` variables that are set (read through `var`)
    /// taking precedence: the environment overrides the settings file.
    pub fn with_env_overrides(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let s = &mut self;
        if let Some(m) = var("REHEARSE_MODEL") {
            if !m.is_empty() {
                s.model_id = m;
            }
        }
        if let Some(t) = var("REHEARSE_WHISPER_THREADS") {
            match t.parse::<usize>() {
                Ok(n) if n > 0 => s.whisper_threads = n,
                _ => {
                    tracing::warn!(value = %t, "ignoring REHEARSE_WHISPER_THREADS: not a positive number")
                }
            }
        }
        if let Some(g) = var("REHEARSE_USE_GPU") {
            match g.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => s.use_gpu = true,
                "0" | "false" | "no" | "off" => s.use_gpu = false,
                "" => {}
                _ => tracing::warn!(value = %g, "ignoring REHEARSE_USE_GPU: not true or false"),
            }
        }
        if let Some(k) = var("REHEARSE_KEEP_AUDIO") {
            match k.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => s.keep_audio = true,
                "0" | "false" | "no" | "off" => s.keep_audio = false,
                "" => {}
                _ => tracing::warn!(value = %k, "ignoring REHEARSE_KEEP_AUDIO: not true or false"),
            }
        }
        if let Some(d) = var("REHEARSE_DELETE_AFTER_DAYS") {
            match d.trim().parse::<u32>() {
                Ok(0) => s.delete_after_days = None,
                Ok(n) => s.delete_after_days = Some(n),
                Err(_) if d.trim().is_empty() => {}
                Err(_) => {
                    tracing::warn!(value = %d, "ignoring REHEARSE_DELETE_AFTER_DAYS: not a number of days")
                }
            }
        }
        if let Some(d) = var("REHEARSE_INPUT_DEVICE") {
            if !d.is_empty() {
                s.input_device = Some(d);
            }
        }
        match LlmSettings::from_vars(&var) {
            Some(from_env) => s.llm = Some(from_env),
            None => {
                // A key from the environment still serves a server chosen in the settings file.
                if let (Some(llm), Some(key)) = (s.llm.as_mut(), var("REHEARSE_LLM_API_KEY")) {
                    if llm.api_key.is_none() && !key.trim().is_empty() {
                        llm.api_key = Some(key.trim().to_string());
                    }
                }
            }
        }
        if let Some(llm) = &s.llm {
            tracing::info!(base_url = %llm.base_url, model = %llm.model, "LLM interviewer configured");
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn llm_settings_need_url_and_model_and_hide_the_key() {
        assert_eq!(LlmSettings::from_vars(vars(&[])), None);
        assert_eq!(
            LlmSettings::from_vars(vars(&[("REHEARSE_LLM_URL", "http://x/v1")])),
            None
        );
        let s = LlmSettings::from_vars(vars(&[
            ("REHEARSE_LLM_URL", "http://x/v1"),
            ("REHEARSE_LLM_MODEL", "m"),
            ("REHEARSE_LLM_API_KEY", "sk-secret-42"),
            ("REHEARSE_LLM_TIMEOUT_S", "nope"),
        ]))
        .unwrap();
        assert_eq!(s.api_key.as_deref(), Some("sk-secret-42"));
        assert_eq!(s.timeout_s, DEFAULT_LLM_TIMEOUT_S);
        let d = format!("{s:?}");
        assert!(!d.contains("sk-secret-42") && d.contains("***"), "{d}");
    }
}
