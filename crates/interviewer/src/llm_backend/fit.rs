//! Fitting a prompt into the model's window: the budget a call may spend, the calibrated
//! token estimate, and the transcript's older part replaced by an extractive summary when the
//! whole does not fit.

use super::prompt::{fence, segment_line, summary_line, SUMMARY_INTRO, SYSTEM};
use super::LlmInterviewer;
use crate::summary::extractive_summary;
use rehearse_core::Segment;
use rehearse_llm::{estimate_messages, estimate_tokens, Message};

/// How much the LLM interviewer may send and ask for.
#[derive(Debug, Clone)]
pub struct LlmInterviewerConfig {
    /// The prompt (all messages) is kept under this estimate; when the transcript does not
    /// fit, its older part is replaced by an extractive summary (and, if even that is too
    /// long, its oldest minutes are left out).
    pub max_prompt_tokens: u64,
    /// The model's context window (llama.cpp's n_ctx): a prompt never takes more than this
    /// minus the answer's `max_tokens` and a margin for the chat template.
    pub context_window: u64,
    pub follow_up_max_tokens: u32,
    pub score_max_tokens: u32,
    /// The answer of one dimension's checklist call (a quote and a verdict per check).
    pub checklist_max_tokens: u32,
    pub temperature: f32,
    /// How the model scores: a checklist call per dimension (the default), or every level
    /// at once in one call.
    pub scoring: LlmScoring,
}

/// How an LLM scores an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LlmScoring {
    /// One call per dimension, answering its yes/no checks with quotes; the level follows
    /// from the checks met (issue 18: a small model cannot judge eight holistic levels at
    /// once, narrow checks with a quote each it can).
    #[default]
    Checklist,
    /// One call that writes every dimension's level with quotes.
    Holistic,
}

/// Tokens left for the chat template's own markers (role tags, separators) around messages.
pub const TEMPLATE_MARGIN_TOKENS: u64 = 64;

/// The estimate is multiplied by this on top of the learnt calibration: it was at most 5%
/// under the real count in the measurements (see `rehearse_llm::estimate_tokens`).
const ESTIMATE_MARGIN: f64 = 1.05;

impl Default for LlmInterviewerConfig {
    fn default() -> Self {
        LlmInterviewerConfig {
            max_prompt_tokens: 6_000,
            // The smallest window any current server runs with by default (llama.cpp,
            // Ollama, LM Studio); raise it for providers with more.
            context_window: 4_096,
            follow_up_max_tokens: 400,
            score_max_tokens: 1_500,
            checklist_max_tokens: 700,
            temperature: 0.2,
            scoring: LlmScoring::default(),
        }
    }
}

impl LlmInterviewerConfig {
    /// The most prompt tokens a call that may answer with `answer_tokens` can send.
    pub fn prompt_budget(&self, answer_tokens: u32) -> u64 {
        self.max_prompt_tokens.min(
            self.context_window
                .saturating_sub(u64::from(answer_tokens))
                .saturating_sub(TEMPLATE_MARGIN_TOKENS),
        )
    }
}

/// How a prompt's transcript was fitted into the window (for logs, tests and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PromptFit {
    /// The prompt's estimated tokens, calibration and margin included.
    pub estimated_tokens: u64,
    /// The budget it had to fit.
    pub budget_tokens: u64,
    pub verbatim_segments: usize,
    /// Older segments represented by the summary.
    pub summarised_segments: usize,
    pub summary_sentences: usize,
    /// Older stretches of the summary left out because even the coarsest summary did not fit.
    pub dropped_parts: usize,
}

impl LlmInterviewer {
    /// The calibrated estimate, with its margin, of `messages`' prompt tokens.
    pub fn estimate_prompt_tokens(&self, messages: &[Message]) -> u64 {
        let raw = estimate_messages(messages) as f64 * ESTIMATE_MARGIN;
        self.calibration.apply(raw.ceil() as u64)
    }

    /// The messages for a task: the system message, then the task text followed by the
    /// transcript. When the whole transcript does not fit the budget for an answer of
    /// `answer_tokens`, the newest part stays verbatim and the older part is replaced by an
    /// extractive summary (fenced as data too); minutes of the summary are left out, oldest
    /// first, only when even the summary does not fit.
    pub fn fit_messages(
        &self,
        task: &str,
        segments: &[Segment],
        answer_tokens: u32,
    ) -> (Vec<Message>, PromptFit) {
        let budget = self.config.prompt_budget(answer_tokens);
        let scale = |tokens: u64| -> u64 {
            self.calibration
                .apply((tokens as f64 * ESTIMATE_MARGIN).ceil() as u64)
        };
        let build = |summary: &str, verbatim: &[Segment], summarised: usize| {
            vec![
                Message::system(SYSTEM),
                Message::user(format!(
                    "{task}\n\n{summary}{}",
                    fence(verbatim, summarised)
                )),
            ]
        };
        let all = build("", segments, 0);
        let all_tokens = self.estimate_prompt_tokens(&all);
        let mut fit = PromptFit {
            estimated_tokens: all_tokens,
            budget_tokens: budget,
            verbatim_segments: segments.len(),
            ..PromptFit::default()
        };
        if all_tokens <= budget {
            return (all, fit);
        }
        let fixed = self.estimate_prompt_tokens(&build("", &[], 0)) + 24;
        let available = budget.saturating_sub(fixed);
        // The newest 70% of the room goes to verbatim transcript, the rest to the summary.
        let mut verbatim_tokens = 0;
        let mut first_verbatim = segments.len();
        while first_verbatim > 0 {
            let t = scale(estimate_tokens(&segment_line(
                &segments[first_verbatim - 1],
            )));
            if (verbatim_tokens + t) * 10 > available * 7 {
                break;
            }
            verbatim_tokens += t;
            first_verbatim -= 1;
        }
        let older = &segments[..first_verbatim];
        let intro_tokens = scale(estimate_tokens(SUMMARY_INTRO) + 12);
        let room = available.saturating_sub(verbatim_tokens + intro_tokens);
        // Finer summaries first; coarser ones when the finer do not fit; if even the coarsest
        // does not, its oldest stretches are left out.
        let mut kept: Vec<String> = Vec::new();
        let mut kept_sentences = 0;
        let mut dropped = 0;
        for (minutes_per_part, per_part) in [(1, 2), (1, 1), (5, 2), (10, 2), (10, 1)] {
            let parts = extractive_summary(older, minutes_per_part, per_part);
            let lines: Vec<(String, u64, usize)> = parts
                .iter()
                .map(|p| {
                    let line = summary_line(p);
                    let t = scale(estimate_tokens(&line));
                    (line, t, p.sentences.len())
                })
                .collect();
            let total: u64 = lines.iter().map(|l| l.1).sum();
            kept.clear();
            kept_sentences = 0;
            dropped = 0;
            let mut left = room;
            // Newest first, so that what is left out is the oldest.
            for (line, t, n) in lines.iter().rev() {
                if *t <= left && dropped == 0 {
                    left -= t;
                    kept.push(line.clone());
                    kept_sentences += n;
                } else {
                    dropped += 1;
                }
            }
            kept.reverse();
            if total <= room {
                break;
            }
        }
        let summary = if kept.is_empty() {
            String::new()
        } else {
            format!(
                "{SUMMARY_INTRO}\n<summary>\n{}</summary>\n\n",
                kept.concat()
            )
        };
        let mut messages = build(&summary, &segments[first_verbatim..], first_verbatim);
        // The parts were estimated one by one; the whole is checked and, if rounding put it
        // over, the oldest verbatim lines go.
        while self.estimate_prompt_tokens(&messages) > budget && first_verbatim < segments.len() {
            first_verbatim += 1;
            messages = build(&summary, &segments[first_verbatim..], first_verbatim);
        }
        fit = PromptFit {
            estimated_tokens: self.estimate_prompt_tokens(&messages),
            budget_tokens: budget,
            verbatim_segments: segments.len() - first_verbatim,
            summarised_segments: first_verbatim,
            summary_sentences: kept_sentences,
            dropped_parts: dropped,
        };
        tracing::debug!(?fit, "LLM interviewer prompt fitted to the window");
        (messages, fit)
    }
}
