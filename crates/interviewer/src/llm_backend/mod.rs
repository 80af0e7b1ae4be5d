//! The LLM interviewer: follow-ups and scorecards from any OpenAI-compatible model, asked for
//! schema-constrained JSON and checked before anything is used. The transcript is fenced as
//! data in every prompt; a score counts only with quotes that really occur in the transcript.
//!
//! `prompt` writes what the model is told, `fit` keeps it inside the window, `wire` holds the
//! JSON asked for and the checks an answer must pass; this module asks and enforces.

mod checklist_calls;
mod fit;
mod prompt;
mod wire;

pub use fit::{LlmInterviewerConfig, LlmScoring, PromptFit, TEMPLATE_MARGIN_TOKENS};

use crate::injection::addresses_the_grader;
use crate::uncertain::UnsureWords;
use rehearse_content::{Prompt, Rubric};
use rehearse_core::{
    normalize_for_match, quote_occurs_in, BoardGraph, DimensionId, DimensionScore, Evidence, Phase,
    Scorecard, Segment, Turn, TurnRole,
};
use rehearse_llm::{
    chat_json, chat_json_stream, estimate_messages, ChatRequest, ChatResponse, JsonFieldStream,
    LlmClient, LlmError, Message, ResponseFormat, TokenCalibration, Usage,
};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use wire::{
    check_follow_up, check_scorecard, first_question, follow_up_schema, scorecard_schema,
    FollowUpAnswer, ScoreAnswer,
};

/// Why the LLM backend gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The client failed (after its own retries), or the output stayed invalid after the
    /// repair attempt.
    #[error("{0}")]
    Llm(#[from] LlmError),
    /// Nothing to work on yet.
    #[error("the transcript is empty")]
    EmptyTranscript,
    /// The model's checklists hold not one check its quotes back, on an answer where the
    /// offline coverage check hears plenty: a verdict that cannot be told from a failure.
    #[error("the model backed none of its checks with the candidate's words, though the answer covers {offline_total} of 32 levels by the offline check")]
    NothingVerified { offline_total: u32 },
}

/// Where the interview stands, for the follow-up prompt: the phase, its budget and the clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterviewClock {
    pub phase: Phase,
    /// Seconds from the session's start.
    pub phase_started_s: f64,
    pub phase_budget_s: f64,
    /// The whole interview's planned length.
    pub interview_s: f64,
}

/// What one follow-up is asked from.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpInput<'a> {
    pub segments: &'a [Segment],
    /// Seconds from the session's start.
    pub now: f64,
    /// Questions already asked, by any backend: never asked again.
    pub asked: &'a [String],
    pub board: Option<&'a BoardGraph>,
    pub clock: Option<InterviewClock>,
    /// What the offline checks found to ask before any gap (a red flag's challenge, a risk
    /// the board shows): the model is told to ask about it first.
    pub ask_first: Option<&'a str>,
}

/// What the last call to the server reported, for measurements.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LastCall {
    pub fit: PromptFit,
    /// The server's own token counts, when it sent them.
    pub usage: Option<Usage>,
}

/// The interviewer backed by a chat model.
pub struct LlmInterviewer {
    client: Arc<dyn LlmClient>,
    prompt: Prompt,
    rubric: Rubric,
    model: String,
    config: LlmInterviewerConfig,
    /// How far the token estimate runs low for this model, learnt from `usage.prompt_tokens`.
    calibration: TokenCalibration,
    last_call: Mutex<LastCall>,
}

impl LlmInterviewer {
    pub fn new(
        client: Arc<dyn LlmClient>,
        prompt: &Prompt,
        rubric: &Rubric,
        model: impl Into<String>,
    ) -> Self {
        LlmInterviewer {
            client,
            prompt: prompt.clone(),
            rubric: rubric.clone(),
            model: model.into(),
            config: LlmInterviewerConfig::default(),
            calibration: TokenCalibration::new(),
            last_call: Mutex::new(LastCall::default()),
        }
    }

    pub fn config(&self) -> &LlmInterviewerConfig {
        &self.config
    }

    /// How the last prompt was fitted and what the server said it cost.
    pub fn last_call(&self) -> LastCall {
        *self.last_call.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes what the server reported for a call sent with `messages` (learns the estimate's
    /// error from `usage.prompt_tokens`).
    fn note_call(&self, messages: &[Message], fit: PromptFit, response: &ChatResponse) {
        if let Some(u) = response.usage {
            self.calibration
                .observe(estimate_messages(messages), u.prompt_tokens);
            tracing::debug!(
                prompt_tokens = u.prompt_tokens,
                estimated = fit.estimated_tokens,
                budget = fit.budget_tokens,
                "LLM prompt size"
            );
        }
        *self.last_call.lock().unwrap_or_else(|p| p.into_inner()) = LastCall {
            fit,
            usage: response.usage,
        };
    }

    pub fn with_config(mut self, config: LlmInterviewerConfig) -> Self {
        self.config = config;
        self
    }

    /// The name recorded as the backend of its turns and the grader of its scorecards.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The request `follow_up_streaming` sends (schema-constrained JSON: gaps, targets, then
    /// the question), and how its transcript was fitted.
    pub fn follow_up_request(&self, input: &FollowUpInput<'_>) -> (ChatRequest, PromptFit) {
        let schema = follow_up_schema(&self.rubric);
        let (messages, fit) = self.follow_up_prompt(input);
        let req = ChatRequest::new(messages)
            .max_tokens(self.config.follow_up_max_tokens)
            .temperature(self.config.temperature)
            .response_format(ResponseFormat::JsonSchema {
                name: "follow_up".into(),
                schema,
            });
        (req, fit)
    }

    /// The follow-up, streamed: the model's JSON is read as it arrives and `on_draft` gets the
    /// question's text so far each time it grows (an empty text when a repair attempt starts
    /// over). The returned turn is the validated one; a caller shows it in place of the draft.
    pub fn follow_up_streaming(
        &self,
        input: &FollowUpInput<'_>,
        on_draft: &mut dyn FnMut(&str),
    ) -> Result<Turn, BackendError> {
        let FollowUpInput {
            segments,
            now,
            asked,
            ..
        } = *input;
        if segments.iter().all(|s| s.text.trim().is_empty()) {
            return Err(BackendError::EmptyTranscript);
        }
        let (req, fit) = self.follow_up_request(input);
        let asked_norm: HashSet<String> = asked.iter().map(|q| normalize_for_match(q)).collect();
        let known: HashSet<DimensionId> = self.rubric.dimensions.iter().map(|d| d.id).collect();
        let unsure = UnsureWords::new(segments, &self.rubric.misheard);
        let validate = |a: &FollowUpAnswer| check_follow_up(a, &known, &asked_norm, &unsure);
        let mut field = JsonFieldStream::new("question");
        let mut attempt_now = 0;
        // What the draft shows: the first question only (the turn keeps no more, see
        // `first_question`), so the draft stops growing where the turn will end.
        let mut shown_len = 0;
        let mut on_token = |attempt: u32, piece: &str| {
            if attempt != attempt_now {
                attempt_now = attempt;
                field = JsonFieldStream::new("question");
                shown_len = 0;
                on_draft("");
            }
            if field.push(piece) {
                let shown = first_question(field.text());
                if shown.len() != shown_len {
                    shown_len = shown.len();
                    on_draft(shown);
                }
            }
        };
        let (answer, response) = chat_json_stream::<FollowUpAnswer>(
            self.client.as_ref(),
            &req,
            validate,
            &mut on_token,
        )?;
        self.note_call(&req.messages, fit, &response);
        let mut targets: Vec<DimensionId> = Vec::new();
        for t in &answer.targets {
            if let Ok(id) = t.parse::<DimensionId>() {
                if !targets.contains(&id) {
                    targets.push(id);
                }
            }
        }
        Ok(Turn {
            at: now,
            role: TurnRole::Interviewer,
            text: first_question(&answer.question).to_string(),
            targets,
        })
    }

    /// A scorecard from the model, by checklist calls or in one call (see
    /// [`LlmInterviewerConfig::scoring`]). Holistic: validated, then enforced: quotes that do
    /// not occur in the transcript are dropped, kept quotes get the start time of the segment
    /// that holds them, and a dimension with no verified quote left is level 0. The grader is
    /// the model name.
    pub fn score(&self, segments: &[Segment]) -> Result<Scorecard, BackendError> {
        match self.config.scoring {
            LlmScoring::Checklist => self.score_by_checklist(segments),
            LlmScoring::Holistic => self.score_holistic(segments),
        }
    }

    /// Every dimension's level in one call (`LlmScoring::Holistic`).
    pub fn score_holistic(&self, segments: &[Segment]) -> Result<Scorecard, BackendError> {
        let schema = scorecard_schema(&self.rubric);
        let (messages, fit) = self.score_prompt(segments);
        let req = ChatRequest::new(messages)
            .max_tokens(self.config.score_max_tokens)
            .temperature(self.config.temperature)
            .response_format(ResponseFormat::JsonSchema {
                name: "scorecard".into(),
                schema,
            });
        let rubric_ids: Vec<DimensionId> = self.rubric.dimensions.iter().map(|d| d.id).collect();
        let validate = |a: &ScoreAnswer| check_scorecard(a, &rubric_ids);
        let (answer, response) = chat_json::<ScoreAnswer>(self.client.as_ref(), &req, validate)?;
        self.note_call(&req.messages, fit, &response);
        Ok(self.enforce(answer, segments))
    }

    fn enforce(&self, answer: ScoreAnswer, segments: &[Segment]) -> Scorecard {
        let dimensions = self
            .rubric
            .dimensions
            .iter()
            .map(|dim| {
                let given = answer
                    .dimensions
                    .iter()
                    .find(|d| d.id.parse::<DimensionId>().ok() == Some(dim.id));
                let mut evidence: Vec<Evidence> = Vec::new();
                let mut level = 0;
                let mut suggestion = String::new();
                if let Some(d) = given {
                    for q in &d.evidence {
                        let quote = q.quote.trim();
                        let Some(t0) = quote_t0(quote, segments) else {
                            tracing::debug!(dimension = %dim.id, "dropped a quote not in the transcript");
                            continue;
                        };
                        // Words addressed to the grader are no evidence of anything, even
                        // though they were said.
                        if addresses_the_grader(quote) {
                            tracing::debug!(dimension = %dim.id, "dropped a quote that speaks to the grader");
                            continue;
                        }
                        if evidence
                            .iter()
                            .any(|e| normalize_for_match(&e.quote) == normalize_for_match(quote))
                        {
                            continue;
                        }
                        evidence.push(Evidence {
                            quote: quote.to_string(),
                            t0,
                        });
                    }
                    level = if evidence.is_empty() { 0 } else { d.level.min(4) };
                    suggestion = d.suggestion.trim().to_string();
                }
                if suggestion.is_empty() {
                    suggestion = dim.suggestion.clone();
                }
                DimensionScore {
                    id: dim.id,
                    level,
                    evidence,
                    suggestion,
                    checks: Vec::new(),
                }
            })
            .collect();
        Scorecard {
            grader: self.model.clone(),
            dimensions,
            tradeoffs: Vec::new(),
        }
    }
}

/// The start time of the segment holding `quote`, or of the first of up to three consecutive
/// segments that hold it together; None when it does not occur in the transcript.
pub fn quote_t0(quote: &str, segments: &[Segment]) -> Option<f64> {
    if normalize_for_match(quote).is_empty() {
        return None;
    }
    for span in 1..=3 {
        for (i, window) in segments.windows(span).enumerate() {
            let text = window
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if quote_occurs_in(quote, &text) {
                return Some(segments[i].t0);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::seg;

    #[test]
    fn quotes_find_their_segment() {
        let segs = vec![
            seg(0.0, "We cache answers."),
            seg(6.0, "Retrieval uses a vector store,"),
            seg(12.0, "with a reranker on top."),
        ];
        assert_eq!(quote_t0("uses a vector store", &segs), Some(6.0));
        assert_eq!(quote_t0("vector store with a reranker", &segs), Some(6.0));
        assert_eq!(quote_t0("a graph database", &segs), None);
        assert_eq!(quote_t0(" ... ", &segs), None);
    }
}
