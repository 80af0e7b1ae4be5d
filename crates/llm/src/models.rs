//! Which models an OpenAI-compatible server offers (`GET {base_url}/models`), and finding a
//! server on this machine at the ports local servers listen on by default.

use std::time::Duration;

use serde::Deserialize;

use crate::error::LlmError;

/// Local servers and the port each listens on out of the box.
pub const USUAL_LOCAL_SERVERS: [(&str, u16); 3] = [
    ("Ollama", 11434),
    ("LM Studio", 1234),
    ("llama.cpp server", 8080),
];

#[derive(Deserialize)]
struct ModelList {
    data: Vec<ModelEntry>,
}

#[derive(Deserialize)]
struct ModelEntry {
    id: String,
}

/// The model ids the server at `base_url` (e.g. `http://127.0.0.1:11434/v1`) lists, within
/// `timeout`. No key is sent: this is for servers on this machine.
pub fn list_models(base_url: &str, timeout: Duration) -> Result<Vec<String>, LlmError> {
    let base = base_url.trim().trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(LlmError::Config(format!(
            "the base URL {base:?} must start with http:// or https://"
        )));
    }
    let url = format!("{base}/models");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(&url).call().map_err(|e| LlmError::Connect {
        url: url.clone(),
        detail: e.to_string(),
    })?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(LlmError::Rejected {
            status,
            message: format!("{url} is not a model list"),
        });
    }
    let not_a_list = |detail: String| LlmError::Rejected {
        status,
        message: format!("{url} did not answer with a model list: {detail}"),
    };
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| not_a_list(e.to_string()))?;
    let list: ModelList = serde_json::from_str(&body).map_err(|e| not_a_list(e.to_string()))?;
    Ok(list.data.into_iter().map(|m| m.id).collect())
}

/// A server that answered with its models.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundServer {
    pub name: String,
    pub base_url: String,
    pub models: Vec<String>,
}

/// Asks each `(name, port)` on 127.0.0.1 for its models; those that answer, in order.
pub fn find_local_servers(candidates: &[(&str, u16)], timeout: Duration) -> Vec<FoundServer> {
    candidates
        .iter()
        .filter_map(|(name, port)| {
            let base_url = format!("http://127.0.0.1:{port}/v1");
            let models = list_models(&base_url, timeout)
                .inspect_err(|e| tracing::debug!(%base_url, error = %e, "no local LLM server"))
                .ok()?;
            Some(FoundServer {
                name: (*name).to_string(),
                base_url,
                models,
            })
        })
        .collect()
}
