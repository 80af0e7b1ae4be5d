//! The interviewer the engine uses: the LLM backend when one is configured, the offline one
//! for any turn or scorecard the LLM could not produce. Every result says which backend made it.

use crate::llm_backend::{FollowUpInput, InterviewClock, LlmInterviewer};
use crate::offline::{InterviewerConfig, OfflineInterviewer};
use crate::tradeoffs::grade_tradeoffs;
use crate::OFFLINE_GRADER;
use rehearse_content::{Prompt, Rubric};
use rehearse_core::{BoardGraph, Scorecard, Segment, Turn};
use std::sync::Arc;

/// A result and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered<T> {
    pub value: T,
    /// "offline" or the LLM's model name: what the store records as the turn's backend.
    pub backend: String,
    /// Why the LLM was not used, when one is configured and it failed.
    pub fell_back: Option<String>,
}

impl<T> Answered<T> {
    fn offline(value: T) -> Self {
        Answered {
            value,
            backend: OFFLINE_GRADER.to_string(),
            fell_back: None,
        }
    }
}

impl Answered<Turn> {
    /// The line to show the candidate when the LLM failed for this turn.
    pub fn notice(&self) -> Option<String> {
        self.fell_back.as_ref().map(|reason| {
            format!(
                "The LLM interviewer was unavailable ({reason}); the offline interviewer answered this turn."
            )
        })
    }
}

impl Answered<Scorecard> {
    /// The line to show the candidate when the LLM failed to score.
    pub fn notice(&self) -> Option<String> {
        self.fell_back.as_ref().map(|reason| {
            format!(
                "The LLM interviewer could not score this session ({reason}); the offline interviewer scored it."
            )
        })
    }
}

/// A follow-up that is due, not yet resolved: `resolve` may run on another thread (it is
/// where the LLM call happens), then the result goes back through
/// [`FallbackInterviewer::record`].
pub struct PendingTurn {
    offline_turn: Turn,
    llm: Option<(Arc<LlmInterviewer>, Vec<Segment>, Vec<String>)>,
    board: Option<BoardGraph>,
    /// The phase and the clock when the turn became due, for the LLM's prompt.
    clock: InterviewClock,
    /// The offline question when it is a challenge or a board risk: the LLM asks it first.
    ask_first: Option<String>,
}

impl PendingTurn {
    /// True when resolving asks the LLM (and may stream a draft); false for the offline
    /// interviewer's own turns (no LLM, or a phase transition).
    pub fn asks_llm(&self) -> bool {
        self.llm.is_some()
    }

    /// Asks the LLM (bounded by its client's deadline); on any error, the offline turn.
    pub fn resolve(self) -> Answered<Turn> {
        self.resolve_streaming(&mut |_| {})
    }

    /// `resolve`, with the LLM's question passed to `on_draft` as it forms (the text so far;
    /// empty when a repair attempt starts over). The draft is only a preview: the returned
    /// turn is what counts, and it is the offline turn when the LLM failed after drafting.
    pub fn resolve_streaming(self, on_draft: &mut dyn FnMut(&str)) -> Answered<Turn> {
        let Some((llm, segments, asked)) = self.llm else {
            return Answered::offline(self.offline_turn);
        };
        let now = self.offline_turn.at;
        let input = FollowUpInput {
            segments: &segments,
            now,
            asked: &asked,
            board: self.board.as_ref(),
            clock: Some(self.clock),
            ask_first: self.ask_first.as_deref(),
        };
        match llm.follow_up_streaming(&input, on_draft) {
            Ok(turn) => Answered {
                value: turn,
                backend: llm.model().to_string(),
                fell_back: None,
            },
            Err(e) => {
                tracing::warn!(error = %e, "LLM follow-up failed; the offline interviewer answers");
                Answered {
                    value: self.offline_turn,
                    backend: OFFLINE_GRADER.to_string(),
                    fell_back: Some(e.to_string()),
                }
            }
        }
    }
}

/// Offline-only when no LLM is given, and then exactly the offline interviewer.
pub struct FallbackInterviewer {
    offline: OfflineInterviewer,
    llm: Option<Arc<LlmInterviewer>>,
    /// Everything actually asked, whichever backend asked it.
    asked: Vec<String>,
}

impl FallbackInterviewer {
    pub fn new(
        prompt: &Prompt,
        rubric: &Rubric,
        config: InterviewerConfig,
        llm: Option<LlmInterviewer>,
    ) -> Self {
        FallbackInterviewer {
            offline: OfflineInterviewer::new(prompt, rubric, config),
            llm: llm.map(Arc::new),
            asked: Vec::new(),
        }
    }

    pub fn config(&self) -> &InterviewerConfig {
        self.offline.config()
    }

    /// The phase now.
    pub fn phase(&self) -> crate::PhaseStart {
        self.offline.phase()
    }

    /// See [`OfflineInterviewer::advance_clock`].
    pub fn advance_clock(&mut self, now: f64) -> Option<crate::PhaseStart> {
        self.offline.advance_clock(now)
    }

    /// See [`OfflineInterviewer::next_phase`].
    pub fn next_phase(&mut self, now: f64) -> Option<crate::PhaseStart> {
        self.offline.next_phase(now)
    }

    /// The LLM interviewer, when one is configured (for measurements: its last prompt's fit
    /// and the server's token counts).
    pub fn llm(&self) -> Option<&LlmInterviewer> {
        self.llm.as_deref()
    }

    /// The whiteboard as it is now: both backends read it for the next follow-ups.
    pub fn set_board(&mut self, board: BoardGraph) {
        self.offline.set_board(board);
    }

    /// When a follow-up is due (the offline interviewer's rules: enough speech, cooldown, turn
    /// cap, something new said), the pending turn; it holds the offline question in case the
    /// LLM fails.
    pub fn plan_at_pause(&mut self, segments: &[Segment], now: f64) -> Option<PendingTurn> {
        let transitions_before = self.offline.transitions_said();
        let offline_turn = self.offline.at_pause(segments, now)?;
        let phase = self.offline.phase();
        let clock = InterviewClock {
            phase: phase.phase,
            phase_started_s: phase.started_s,
            phase_budget_s: phase.budget_s,
            interview_s: self.offline.config().phases.total_s(),
        };
        // A phase transition is the interviewer's own line: no LLM is asked for it.
        let is_transition = self.offline.transitions_said() > transitions_before;
        let llm = self
            .llm
            .as_ref()
            .filter(|_| !is_transition)
            .map(|l| (Arc::clone(l), segments.to_vec(), self.asked.clone()));
        let board = llm.as_ref().and(self.offline.board().cloned());
        let ask_first = self.offline.last_priority().map(str::to_string);
        Some(PendingTurn {
            offline_turn,
            llm,
            board,
            clock,
            ask_first,
        })
    }

    /// Notes what was asked, so no backend asks it again.
    pub fn record(&mut self, answered: &Answered<Turn>) {
        self.asked.push(answered.value.text.clone());
    }

    /// `plan_at_pause`, `resolve` and `record` in one call, on this thread.
    pub fn at_pause(&mut self, segments: &[Segment], now: f64) -> Option<Answered<Turn>> {
        let answered = self.plan_at_pause(segments, now)?.resolve();
        self.record(&answered);
        Some(answered)
    }

    /// Replays a finished transcript as the offline interviewer does (pauses at gaps of
    /// `pause_s` and at the end), asking each due follow-up of the LLM when there is one.
    pub fn run_over_recording(
        &mut self,
        segments: &[Segment],
        duration_s: f64,
    ) -> Vec<Answered<Turn>> {
        let pause_s = self.offline.config().pause_s;
        let mut out = Vec::new();
        for (i, seg) in segments.iter().enumerate() {
            let next_start = segments.get(i + 1).map(|s| s.t0).unwrap_or(f64::INFINITY);
            let is_last = i + 1 == segments.len();
            if next_start - seg.t1 >= pause_s || is_last {
                let now = if is_last {
                    duration_s.max(seg.t1)
                } else {
                    seg.t1 + pause_s
                };
                if let Some(t) = self.at_pause(&segments[..=i], now) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The LLM's scorecard (grader: the model name), or on any error the offline one
    /// (grader "offline") with the reason.
    pub fn score(&self, segments: &[Segment]) -> Answered<Scorecard> {
        let Some(llm) = &self.llm else {
            return Answered::offline(self.offline.score(segments));
        };
        match llm.score(segments) {
            Ok(mut card) => {
                // Decisions are listed the same way whoever scores the rest of the card, but
                // the model decides the dimension's level: a pattern never overrides it.
                card.tradeoffs = grade_tradeoffs(segments);
                Answered {
                    backend: card.grader.clone(),
                    value: card,
                    fell_back: None,
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "LLM scoring failed; the offline interviewer scores");
                Answered {
                    value: self.offline.score(segments),
                    backend: OFFLINE_GRADER.to_string(),
                    fell_back: Some(e.to_string()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehearse_content::Content;
    use rehearse_core::{DimensionId, ALL_DIMENSIONS};
    use rehearse_llm::{ChatRequest, ChatResponse, LlmClient, LlmError};

    /// A model that always answers with the same scorecard JSON.
    struct Scripted(String);

    impl LlmClient for Scripted {
        fn chat(&self, _req: &ChatRequest) -> Result<ChatResponse, LlmError> {
            Ok(ChatResponse {
                text: self.0.clone(),
                finish_reason: Some("stop".into()),
                usage: None,
                model: "scripted".into(),
            })
        }
        fn chat_stream(
            &self,
            req: &ChatRequest,
            on_token: &mut dyn FnMut(&str),
        ) -> Result<ChatResponse, LlmError> {
            on_token(&self.0);
            self.chat(req)
        }
    }

    #[test]
    fn an_llm_scorecard_carries_the_same_graded_decisions() {
        let content = Content::embedded().unwrap();
        let (prompt, rubric) = content.prompt_with_rubric("doc-qa-10k").unwrap();
        let said = "I chose hybrid search over pure vectors because exact codes matter.";
        let dims: Vec<_> = ALL_DIMENSIONS
            .iter()
            .map(|id| {
                serde_json::json!({
                    "id": id.as_str(),
                    "evidence": [{"quote": said}],
                    "level": 4,
                    "suggestion": "More.",
                })
            })
            .collect();
        let answer = serde_json::json!({ "dimensions": dims }).to_string();
        let llm = LlmInterviewer::new(Arc::new(Scripted(answer)), prompt, rubric, "scripted")
            .with_config(crate::LlmInterviewerConfig {
                scoring: crate::LlmScoring::Holistic,
                ..crate::LlmInterviewerConfig::default()
            });
        let interviewer =
            FallbackInterviewer::new(prompt, rubric, InterviewerConfig::default(), Some(llm));
        let segments = vec![Segment {
            t0: 0.0,
            t1: 5.0,
            text: said.into(),
            words: Vec::new(),
        }];
        let card = interviewer.score(&segments);
        assert_eq!(card.fell_back, None, "{card:?}");
        assert_eq!(card.value.grader, "scripted");
        let offline = crate::score_transcript(rubric, &segments);
        assert_eq!(card.value.tradeoffs, offline.tradeoffs);
        assert_eq!(card.value.tradeoffs.len(), 1);
        // The model said 4 with a quote that verifies; the decision patterns grade the same
        // choice 2 but never override the model: the dimension keeps the model's level.
        assert_eq!(card.value.tradeoffs[0].level, 2);
        let tr = card
            .value
            .dimensions
            .iter()
            .find(|d| d.id == DimensionId::Tradeoffs)
            .unwrap();
        assert_eq!(tr.level, 4, "{tr:?}");
        assert_eq!(tr.evidence[0].quote, said);
    }
}
