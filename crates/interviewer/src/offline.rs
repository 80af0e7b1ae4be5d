use crate::board_probes::board_probes;
use crate::claims::{anchored_follow_up, KnownTerms};
use crate::evidence::evidence_beside_flags;
use crate::rambling::rambling;
use crate::red_flags::hear_red_flags;
use crate::score::{checks_met, dimension_level, score_transcript};
use crate::sentences::word_count;
use crate::sized_numbers::says_no_figures;
use crate::tradeoff_dimension::tradeoffs_dimension_level;
use crate::tradeoffs::grade_tradeoffs;
use rehearse_content::{Prompt, Rubric};
use rehearse_core::{
    phase_dimensions, BoardGraph, DimensionId, Phase, PhasePlan, Scorecard, Segment, Turn,
    TurnRole, REST_PRIORITY,
};
use std::collections::HashSet;

/// When the interviewer may speak.
///
/// Think-time: a silence of `pause_s` is a natural pause, but it only counts as an invitation
/// to speak once the candidate has spoken `min_speech_s` in all and said something new since
/// the interviewer's last turn; a long silence before that is the candidate thinking, and the
/// interviewer keeps listening.
#[derive(Debug, Clone)]
pub struct InterviewerConfig {
    /// Silence after speech that counts as a natural pause.
    pub pause_s: f64,
    /// Least time between two turns (follow-ups and phase transitions alike).
    pub cooldown_s: f64,
    /// Speech needed before the first follow-up: let the candidate get going.
    pub min_speech_s: f64,
    /// Most follow-up questions; phase transitions do not count.
    pub max_turns: usize,
    /// How long each phase of the interview may take.
    pub phases: PhasePlan,
}

impl Default for InterviewerConfig {
    fn default() -> Self {
        InterviewerConfig {
            pause_s: 2.5,
            cooldown_s: 20.0,
            min_speech_s: 8.0,
            max_turns: 8,
            phases: PhasePlan::full_45(),
        }
    }
}

/// What the interviewer says to move the interview into `phase`.
pub fn transition_line(phase: Phase) -> &'static str {
    match phase {
        Phase::Clarify => "Let's start with the requirements: who uses this, and at what scale?",
        Phase::HighLevel => {
            "Let's move on to the high-level design: sketch the main components and how a request flows through them."
        }
        Phase::DeepDive => "Let's move on to the deep dive: pick one component and go deeper.",
        Phase::TradeoffsFailures => {
            "Let's talk about trade-offs and failure modes: what did you give up, and what breaks first?"
        }
        Phase::WrapUp => {
            "We're nearly out of time: please summarise your design and what you would do next."
        }
    }
}

/// A phase that has begun: what the engine tells the UI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseStart {
    pub phase: Phase,
    /// Seconds from the session's start.
    pub started_s: f64,
    pub budget_s: f64,
}

/// The sort of a board probe, from its key ("spof:<node id>" -> "spof").
fn probe_sort(key: &str) -> &str {
    key.split(':').next().unwrap_or(key)
}

/// Probes about what could break (see [`board_probes`]'s keys), as opposed to what the
/// drawing leaves out.
fn is_design_risk(key: &str) -> bool {
    matches!(probe_sort(key), "spof" | "timeout" | "write-queue")
}

/// How an interviewer stops a candidate who keeps restarting ([`rambling`]) before the one
/// question they ask next: the answer is brought back to a single missing piece.
pub const RAMBLING_STOP: &str = "Let me stop you there for a moment, and take one thing at a time.";

/// What an interviewer asks of an answer that lists terms instead of a design.
pub const RECITAL_QUESTION: &str = "You've named a lot of parts. Take one request and walk me through it: what happens first, what calls what, and where does the answer come from?";

/// Below this many words a list is a pause for thought, not a recital.
const RECITAL_FROM_WORDS: usize = 40;

/// What an interviewer asks of a design laid out without a single figure ([`says_no_figures`]).
pub const NO_FIGURES_QUESTION: &str = "You haven't put a number on anything yet: how many requests at peak, and how much of the latency budget does each step get?";

/// The rubric-driven interviewer. Deterministic: the same transcript and pauses give the
/// same follow-ups.
pub struct OfflineInterviewer {
    prompt: Prompt,
    rubric: Rubric,
    config: InterviewerConfig,
    asked: HashSet<String>,
    /// Claims already quoted back (normalised), so none is quoted twice.
    quoted: HashSet<String>,
    turns: Vec<Turn>,
    /// The whiteboard as last drawn, when there is one.
    board: Option<BoardGraph>,
    /// Board probes asked, by key (gap and component), so a relabelled box is not asked twice.
    asked_probes: HashSet<String>,
    /// The phase now, and when it began (session seconds).
    phase: PhaseStart,
    /// A phase the clock moved into that the interviewer has not yet announced.
    unannounced: Option<Phase>,
    /// Transition turns said, which count toward no question cap.
    transitions: usize,
    /// Why the last question was asked, when it was a challenge or a risk the board shows:
    /// what an LLM backend is told to ask first.
    last_priority: Option<String>,
    /// The question being chosen follows a rambling stretch: it is asked after [`RAMBLING_STOP`].
    stop_before_next: bool,
    /// What follow-ups may quote, from the rubric and the prompt (fixed for the session; the
    /// board's labels are added at each question).
    prompt_terms: KnownTerms,
}

/// The rubric's phrases and known mishearings, and the prompt's subject.
fn prompt_terms(prompt: &Prompt, rubric: &Rubric) -> KnownTerms {
    let phrases = rubric.dimensions.iter().flat_map(|d| {
        d.concepts
            .iter()
            .flat_map(|c| c.phrases.iter().map(String::as_str))
    });
    let prompt_texts = [prompt.title.as_str(), prompt.brief.as_str()]
        .into_iter()
        .chain(prompt.followups.values().flatten().map(String::as_str));
    KnownTerms::new(phrases)
        .with_misheard(&rubric.misheard)
        .with_subject_of(prompt_texts)
}

impl OfflineInterviewer {
    pub fn new(prompt: &Prompt, rubric: &Rubric, config: InterviewerConfig) -> Self {
        let first_budget_s = config.phases.budget_s(Phase::Clarify);
        OfflineInterviewer {
            prompt: prompt.clone(),
            rubric: rubric.clone(),
            config,
            asked: HashSet::new(),
            quoted: HashSet::new(),
            turns: Vec::new(),
            board: None,
            asked_probes: HashSet::new(),
            phase: PhaseStart {
                phase: Phase::Clarify,
                started_s: 0.0,
                budget_s: first_budget_s,
            },
            unannounced: None,
            transitions: 0,
            last_priority: None,
            stop_before_next: false,
            prompt_terms: prompt_terms(prompt, rubric),
        }
    }

    /// The phase now.
    /// Asks `text`, a question of its own that comes before the dimensions' order, and tells
    /// an LLM backend to ask it first.
    fn ask_priority(&mut self, now: f64, text: &str, targets: &[DimensionId]) -> Turn {
        self.asked.insert(text.to_string());
        let turn = Turn {
            at: now,
            role: TurnRole::Interviewer,
            text: text.to_string(),
            targets: targets.to_vec(),
        };
        self.last_priority = Some(turn.text.clone());
        self.turns.push(turn.clone());
        turn
    }

    pub fn phase(&self) -> PhaseStart {
        self.phase
    }

    /// Follows the clock: a phase whose budget has run out at session time `now` gives way to
    /// the next (the wrap-up lasts until the end). Returns the phase begun, if any; the
    /// interviewer announces it at the next natural pause.
    pub fn advance_clock(&mut self, now: f64) -> Option<PhaseStart> {
        let mut begun = None;
        while now >= self.phase.started_s + self.phase.budget_s {
            let Some(next) = self.phase.phase.next() else {
                break;
            };
            let started_s = self.phase.started_s + self.phase.budget_s;
            self.phase = PhaseStart {
                phase: next,
                started_s,
                budget_s: self.config.phases.budget_s(next),
            };
            begun = Some(self.phase);
        }
        if let Some(p) = begun {
            tracing::debug!(phase = %p.phase, at = now, "phase by the clock");
            self.unannounced = Some(p.phase);
        }
        begun
    }

    /// The candidate moves the interview on at session time `now`: the next phase begins with
    /// its whole budget. Never backwards; None at the wrap-up. Nothing is announced: the
    /// candidate chose it.
    pub fn next_phase(&mut self, now: f64) -> Option<PhaseStart> {
        self.advance_clock(now);
        let next = self.phase.phase.next()?;
        self.phase = PhaseStart {
            phase: next,
            started_s: now,
            budget_s: self.config.phases.budget_s(next),
        };
        self.unannounced = None;
        tracing::debug!(phase = %next, at = now, "phase moved on by the candidate");
        Some(self.phase)
    }

    /// The last turn's question when it was a challenge of something said or a risk the
    /// board shows (the first two priorities of docs/judgement.md); None for a gap question,
    /// a transition or no turn.
    pub fn last_priority(&self) -> Option<&str> {
        self.last_priority.as_deref()
    }

    /// Phase transitions said so far.
    pub fn transitions_said(&self) -> usize {
        self.transitions
    }

    /// Follow-up questions asked so far (phase transitions not counted).
    pub fn questions_asked(&self) -> usize {
        self.turns.len() - self.transitions
    }

    /// The whiteboard as it is now; the next follow-ups read it.
    pub fn set_board(&mut self, board: BoardGraph) {
        self.board = Some(board);
    }

    /// What a follow-up may quote back as a technology: the rubric's phrases and the board's
    /// labels.
    fn known_terms(&self) -> KnownTerms {
        let mut known = self.prompt_terms.clone();
        if let Some(board) = &self.board {
            known.extend(board.nodes.iter().map(|n| n.label.as_str()));
        }
        known
    }

    pub fn board(&self) -> Option<&BoardGraph> {
        self.board.as_ref()
    }

    pub fn config(&self) -> &InterviewerConfig {
        &self.config
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// Called when the candidate has paused at session time `now`, with the transcript so
    /// far. Returns a turn when one is due, past the cooldown: first a transition when the
    /// clock moved into a new phase; otherwise a follow-up after enough speech, with something
    /// new said since the last turn and a question left to ask (see [`InterviewerConfig`]
    /// for think-time).
    pub fn at_pause(&mut self, segments: &[Segment], now: f64) -> Option<Turn> {
        let turn = self.next_turn(segments, now);
        let stop = std::mem::take(&mut self.stop_before_next);
        let turn = turn?;
        if !stop {
            return Some(turn);
        }
        // A candidate who keeps losing the thread is stopped, and the question that was due
        // brings them back to one missing piece: it probes the delivery and that piece at once.
        // Once: a stop with no question after it is not said, and may come at a later pause.
        self.asked.insert(RAMBLING_STOP.to_string());
        let last = self.turns.last_mut()?;
        last.text = format!("{RAMBLING_STOP} {}", last.text);
        if !last.targets.contains(&DimensionId::Communication) {
            last.targets.push(DimensionId::Communication);
        }
        self.last_priority = Some(last.text.clone());
        Some(last.clone())
    }

    /// [`Self::at_pause`]'s turn, before a rambling answer's stop is put in front of it.
    fn next_turn(&mut self, segments: &[Segment], now: f64) -> Option<Turn> {
        self.last_priority = None;
        self.advance_clock(now);
        let last_at = self.turns.last().map(|t| t.at);
        if last_at.is_some_and(|at| now - at < self.config.cooldown_s) {
            return None;
        }
        if let Some(phase) = self.unannounced.take() {
            let turn = Turn {
                at: now,
                role: TurnRole::Interviewer,
                text: transition_line(phase).to_string(),
                targets: phase_dimensions(phase).to_vec(),
            };
            tracing::debug!(%phase, at = now, "phase transition");
            self.transitions += 1;
            self.turns.push(turn.clone());
            return Some(turn);
        }
        if self.questions_asked() >= self.config.max_turns {
            return None;
        }
        if let Some(at) = last_at {
            if !segments.iter().any(|s| s.t1 > at) {
                return None;
            }
        }
        let speech: f64 = segments.iter().map(|s| (s.t1 - s.t0).max(0.0)).sum();
        if speech < self.config.min_speech_s {
            return None;
        }
        // First priority: a misconception said with confidence is challenged, politely,
        // with the candidate's own words, before any gap is probed.
        let heard = hear_red_flags(&self.rubric, segments);
        if let Some(hit) = heard.hits.iter().find(|h| {
            !self.asked.contains(&h.challenge)
                && !self.asked_probes.contains(&format!("flag:{}", h.id))
        }) {
            self.asked_probes.insert(format!("flag:{}", hit.id));
            self.asked.insert(hit.challenge.clone());
            let turn = Turn {
                at: now,
                role: TurnRole::Interviewer,
                text: hit.challenge.clone(),
                targets: hit.dimensions.first().copied().into_iter().collect(),
            };
            tracing::debug!(flag = %hit.id, at = now, "red flag challenged");
            self.last_priority = Some(turn.text.clone());
            self.turns.push(turn.clone());
            return Some(turn);
        }
        let evidence = evidence_beside_flags(&self.rubric, segments, &heard);
        let decisions = grade_tradeoffs(segments);
        // The phase's own dimensions first, then the rest.
        let in_phase = phase_dimensions(self.phase.phase);
        let priority: Vec<DimensionId> = in_phase
            .iter()
            .copied()
            .chain(REST_PRIORITY.into_iter().filter(|d| !in_phase.contains(d)))
            .collect();
        // What the board shows is missing: a specific gap, which counts as one level weaker
        // than the words alone say, and is asked before the prompt's generic questions.
        let probes: Vec<_> = self
            .board
            .as_ref()
            .map(|g| board_probes(g, segments))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !self.asked_probes.contains(&p.key) && !self.asked.contains(&p.text))
            // One probe of each sort per session: asked about one single point of failure,
            // the candidate has the point; the next question should be about something else.
            .filter(|p| {
                !self
                    .asked_probes
                    .iter()
                    .any(|k| probe_sort(k) == probe_sort(&p.key))
            })
            .collect();
        // The level the scorecard would give each dimension now.
        let level_now = |id: DimensionId| -> Option<u8> {
            let dim = self.rubric.dimension(id)?;
            let level = evidence.get(&id).map_or(0, |e| dimension_level(dim, e));
            Some(if id == DimensionId::Tradeoffs {
                tradeoffs_dimension_level(&decisions).map_or(level, |d| d.max(level))
            } else {
                level
            })
        };
        // An answer that keeps losing its thread is stopped before the next question, once (see
        // `at_pause`). A risk the board shows is asked plainly: it comes first regardless.
        let board_risk = probes.iter().any(|p| is_design_risk(&p.key));
        if !board_risk && !self.asked.contains(RAMBLING_STOP) && rambling(segments).is_some() {
            tracing::debug!(
                at = now,
                "a rambling answer is stopped before the next question"
            );
            self.stop_before_next = true;
        }
        // An answer that recites terms instead of designing (mostly lists: see `evidence`) is
        // asked to walk one request through, once: names are not a design. A sentence or two
        // ("Hmm, okay, let me think") is no recital yet.
        if !board_risk
            && !self.asked.contains(RECITAL_QUESTION)
            && evidence.values().any(|e| e.recital)
            && word_count(segments) >= RECITAL_FROM_WORDS
        {
            tracing::debug!(at = now, "a recital asked for one request's path");
            return Some(self.ask_priority(now, RECITAL_QUESTION, &[DimensionId::Architecture]));
        }
        // A design laid out without a single figure (no load, no latency, no size): early on,
        // the interviewer asks for the numbers before probing any one part, once. Deep in the
        // interview the design's own risks come first.
        if !board_risk
            && matches!(self.phase.phase, Phase::Clarify | Phase::HighLevel)
            && !self.asked.contains(NO_FIGURES_QUESTION)
            && level_now(DimensionId::Architecture).is_some_and(|l| l >= 2)
            && says_no_figures(segments)
        {
            tracing::debug!(at = now, "a design without figures asked for them");
            return Some(self.ask_priority(
                now,
                NO_FIGURES_QUESTION,
                &[DimensionId::Requirements, DimensionId::Depth],
            ));
        }
        // Past the clarify phase, with a design already laid out, an interviewer probes that
        // design against the brief rather than reopening the requirements: they count one
        // level stronger, and are no foundation to go back to.
        let design_laid_out = self.phase.phase != Phase::Clarify
            && level_now(DimensionId::Architecture).is_some_and(|l| l >= 2);
        // A board with a gap to ask about already shows what the system is made of.
        let early =
            matches!(self.phase.phase, Phase::Clarify | Phase::HighLevel) && probes.is_empty();
        // The order, most wanted first (docs/judgement.md, "Follow-ups, in priority order"):
        // a risk the board shows (a fact about this design outranks a generic question);
        // then, early on, a foundation barely said; then the weakest dimension by the level the
        // scorecard would give it now, ties to the phase's priority. Communication is asked
        // about only at the wrap-up: mid-answer, an interviewer probes the design, not the
        // delivery.
        // Between two dimensions at the same level, the one with fewer of its checks heard
        // is the thinner: a level is a floor, and the checks above it say how far past it.
        let checks_heard = |id: DimensionId| -> usize {
            self.rubric
                .dimension(id)
                .zip(evidence.get(&id))
                .map_or(0, |(dim, e)| checks_met(dim, e).len())
        };
        let mut candidates: Vec<(bool, bool, u8, bool, usize, usize, DimensionId)> = priority
            .iter()
            .enumerate()
            .filter(|(_, &id)| {
                id != DimensionId::Communication || self.phase.phase == Phase::WrapUp
            })
            .filter_map(|(rank, &id)| {
                let mut level = level_now(id)?;
                if id == DimensionId::Requirements && design_laid_out {
                    level = level.saturating_add(1);
                }
                let board_gap = probes.iter().any(|p| p.target == id);
                // A risk the board shows (a single point of failure, a model call with no
                // timeout, a direct write at a stated peak) is a fact about this design and
                // outranks any generic question; a drawing that is incomplete (a component
                // said but not drawn, drawn but not explained) only counts one level weaker.
                let board_risk = probes
                    .iter()
                    .any(|p| p.target == id && is_design_risk(&p.key));
                // Each question already asked about it counts as a level: the next question
                // moves on rather than hammering one dimension the candidate keeps avoiding.
                let asked_about = self.turns.iter().filter(|t| t.targets == [id]).count();
                let level = level.saturating_add(u8::try_from(asked_about).unwrap_or(u8::MAX));
                // Foundations first, early on: while what the system must do or what it is
                // made of is barely said, the failures and details of a design not yet
                // described are not the next question. Later phases move on regardless.
                let thin_foundation = early
                    && (id == DimensionId::Architecture
                        || (id == DimensionId::Requirements && !design_laid_out))
                    && level <= 1;
                Some((
                    !board_risk,
                    !thin_foundation,
                    level.saturating_sub(u8::from(board_gap)),
                    !board_gap,
                    checks_heard(id),
                    rank,
                    id,
                ))
            })
            .collect();
        candidates.sort();
        tracing::debug!(
            ?candidates,
            at = now,
            "follow-up candidates, most wanted first"
        );
        for (_, _, _, _, _, _, id) in candidates {
            if let Some(probe) = probes.iter().find(|p| p.target == id) {
                self.asked_probes.insert(probe.key.clone());
                self.asked.insert(probe.text.clone());
                let turn = Turn {
                    at: now,
                    role: TurnRole::Interviewer,
                    text: probe.text.clone(),
                    targets: vec![id],
                };
                tracing::debug!(dimension = %id, at = now, probe = %probe.key, "board follow-up");
                if is_design_risk(&probe.key) {
                    self.last_priority = Some(turn.text.clone());
                }
                self.turns.push(turn.clone());
                return Some(turn);
            }
            let bank = self.prompt.followups.get(&id)?;
            let unasked: Vec<&String> = bank.iter().filter(|q| !self.asked.contains(*q)).collect();
            // Built on what the candidate said when a claim fits, else the bank's question.
            if let Some(anchored) = anchored_follow_up(
                id,
                segments,
                &decisions,
                &unasked,
                &self.quoted,
                &self.known_terms(),
            )
            .filter(|a| !self.asked.contains(&a.text))
            {
                self.quoted.insert(anchored.anchor);
                if let Some(b) = anchored.bank_question {
                    self.asked.insert(b);
                }
                self.asked.insert(anchored.text.clone());
                let turn = Turn {
                    at: now,
                    role: TurnRole::Interviewer,
                    text: anchored.text,
                    targets: vec![id],
                };
                tracing::debug!(dimension = %id, at = now, "follow-up quoting the candidate");
                self.turns.push(turn.clone());
                return Some(turn);
            }
            if let Some(q) = unasked.first().copied() {
                self.asked.insert(q.clone());
                let turn = Turn {
                    at: now,
                    role: TurnRole::Interviewer,
                    text: q.clone(),
                    targets: vec![id],
                };
                tracing::debug!(dimension = %id, at = now, "follow-up");
                self.turns.push(turn.clone());
                return Some(turn);
            }
        }
        None
    }

    /// Replays a finished transcript as if live: a pause is a gap of at least `pause_s`
    /// between segments, and the end of the recording.
    pub fn run_over_recording(&mut self, segments: &[Segment], duration_s: f64) -> Vec<Turn> {
        let mut out = Vec::new();
        for (i, seg) in segments.iter().enumerate() {
            let next_start = segments.get(i + 1).map(|s| s.t0).unwrap_or(f64::INFINITY);
            let is_last = i + 1 == segments.len();
            if next_start - seg.t1 >= self.config.pause_s || is_last {
                let now = if is_last {
                    duration_s.max(seg.t1)
                } else {
                    seg.t1 + self.config.pause_s
                };
                if let Some(t) = self.at_pause(&segments[..=i], now) {
                    out.push(t);
                }
            }
        }
        out
    }

    pub fn score(&self, segments: &[Segment]) -> Scorecard {
        score_transcript(&self.rubric, segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::segs;
    use rehearse_content::Content;

    fn interviewer() -> OfflineInterviewer {
        let c = Content::embedded().unwrap();
        let (p, r) = c.prompt_with_rubric("doc-qa-10k").unwrap();
        OfflineInterviewer::new(p, r, InterviewerConfig::default())
    }

    fn seg(t0: f64, t1: f64, text: &str) -> Segment {
        Segment {
            t0,
            t1,
            text: text.into(),
            words: Vec::new(),
        }
    }

    #[test]
    fn early_on_a_design_barely_described_is_asked_about_before_its_failures() {
        let mut i = interviewer();
        let talk = vec![seg(
            0.0,
            30.0,
            "I would just use GPT-4 with LangChain, it is very good, and it would answer the questions about the pages.",
        )];
        let t = i.at_pause(&talk, 32.5).expect("a follow-up");
        assert!(
            matches!(
                t.targets[..],
                [DimensionId::Requirements] | [DimensionId::Architecture]
            ),
            "{t:?}"
        );
    }

    /// The first follow-up at the pause after `talk` ends.
    fn at_the_end(i: &mut OfflineInterviewer, talk: &[Segment]) -> Turn {
        let end = talk.last().map_or(0.0, |s| s.t1);
        i.at_pause(talk, end + 2.5).expect("a follow-up")
    }

    /// Sentences of a rambling answer about the doc-qa prompt, restarts and all.
    const RAMBLING: &[&str] = &[
        "Okay so, um, the documents, there's like ten thousand pages, you know, and people ask about policies.",
        "Actually no, wait, first the users, employees, a few hundred, maybe a thousand questions a day.",
        "So you chunk the pages and embed them and, um, put them in a vector store, basically.",
        "Where was I. Right, retrieval, you take the top five chunks for the question and send them to the model.",
        "Sorry, I'm jumping around, the permissions matter too, people should only see pages they're allowed to.",
        "And, um, you'd cache answers maybe, and check the answers somehow, yeah, that's kind of it.",
    ];

    #[test]
    fn a_rambling_answer_is_stopped_once_and_brought_back_to_one_missing_piece() {
        let mut i = interviewer();
        let talk = segs(RAMBLING);
        let end = talk.last().map_or(0.0, |s| s.t1);
        let first = at_the_end(&mut i, &talk);
        let question = first
            .text
            .strip_prefix(RAMBLING_STOP)
            .expect("the rambling is stopped first");
        assert!(
            question.trim_start().len() > 10,
            "then one question: {first:?}"
        );
        assert_eq!(first.targets.len(), 2, "{first:?}");
        assert_eq!(first.targets[1], DimensionId::Communication);
        assert_eq!(i.last_priority(), Some(first.text.as_str()));
        let mut more = talk.clone();
        more.push(seg(end + 10.0, end + 20.0, "Okay, so ingestion, retrieval and the model; the decision that matters is chunk size, sorry, where was I."));
        let next = i.at_pause(&more, end + 60.0).expect("a second follow-up");
        assert!(
            !next.text.starts_with(RAMBLING_STOP),
            "stopped once: {next:?}"
        );
    }

    #[test]
    fn a_recital_is_asked_to_walk_one_request_through() {
        let salad = [
            "Latency, throughput, embeddings, vector database, reranker, evaluation, monitoring.",
            "Chunking, caching, retries, backoff, golden set, metrics and dashboards.",
            "RAG, BM25, hybrid search, guardrails, observability, p99, SLAs and autoscaling.",
            "Kafka, Redis, Postgres, Kubernetes, load balancer, CDN and sharding.",
            "Prompt caching, token budgets, rate limits, fallbacks, circuit breakers and tracing.",
            "Fine-tuning, distillation, quantisation, batching and streaming.",
        ];
        let first = at_the_end(&mut interviewer(), &segs(&salad));
        assert_eq!(first.text, RECITAL_QUESTION);
        assert_eq!(first.targets, vec![DimensionId::Architecture]);
    }

    #[test]
    fn a_design_without_a_single_figure_is_asked_for_its_numbers_once() {
        let design = [
            "Employees ask questions about the knowledge base in a chat window.",
            "We ingest the pages, split them into chunks by heading, embed each chunk and store the vectors in pgvector with the page id.",
            "At question time the service embeds the question, retrieves the closest chunks, reranks them and sends the best ones to the model with the question.",
            "The model answers with citations to the pages it used, and the answer streams back to the user.",
            "A nightly job re-embeds pages that changed so answers stay fresh.",
        ];
        let talk = segs(&design);
        let end = talk.last().map_or(0.0, |s| s.t1);
        let mut i = interviewer();
        let first = at_the_end(&mut i, &talk);
        assert_eq!(first.text, NO_FIGURES_QUESTION);
        let mut more = talk.clone();
        more.push(seg(
            end + 5.0,
            end + 12.0,
            "The pages change every day, and the team reviews the answers.",
        ));
        let next = i.at_pause(&more, end + 60.0).expect("a second follow-up");
        assert_ne!(next.text, NO_FIGURES_QUESTION, "asked once");
        // One figure said, and the question is not asked.
        let mut sized = talk.clone();
        sized.push(seg(
            end + 1.0,
            end + 4.0,
            "About 5,000 questions a day, answered in under two seconds.",
        ));
        let first = at_the_end(&mut interviewer(), &sized);
        assert_ne!(first.text, NO_FIGURES_QUESTION);
    }

    #[test]
    fn waits_for_enough_speech_then_probes_the_weakest_dimension() {
        let mut i = interviewer();
        let short = vec![seg(0.0, 3.0, "So, documents.")];
        assert!(i.at_pause(&short, 5.5).is_none(), "too early");
        let talk = vec![
            seg(
                0.0,
                6.0,
                "The users are employees asking about policies, about 50 queries per second, answered within two seconds.",
            ),
            seg(
                6.0,
                12.0,
                "We ingest pages, split them into chunks, embed them and keep a vector store.",
            ),
        ];
        let t = i.at_pause(&talk, 14.5).expect("a follow-up");
        // Requirements and architecture have evidence; the question goes to a dimension the
        // candidate has said nothing about.
        assert_eq!(t.targets.len(), 1, "{t:?}");
        assert!(
            !matches!(
                t.targets[0],
                DimensionId::Requirements | DimensionId::Architecture | DimensionId::Communication
            ),
            "{t:?}"
        );
        assert!(i.at_pause(&talk, 20.0).is_none(), "cooldown");
        assert!(i.at_pause(&talk, 40.0).is_none(), "nothing new said");
        let mut more = talk.clone();
        more.push(seg(
            41.0,
            47.0,
            "Retrieval takes the top five chunks for the prompt.",
        ));
        let t2 = i.at_pause(&more, 49.5).expect("second follow-up");
        assert_ne!(t2.text, t.text, "never the same question twice");
    }

    #[test]
    fn never_repeats_and_respects_the_turn_cap() {
        let mut i = interviewer();
        let mut segs = Vec::new();
        let mut texts = HashSet::new();
        for k in 0..40 {
            let t0 = k as f64 * 30.0;
            segs.push(seg(
                t0,
                t0 + 10.0,
                "We talk about the system in general terms.",
            ));
            if let Some(t) = i.at_pause(&segs, t0 + 12.5) {
                assert!(texts.insert(t.text.clone()), "repeated: {}", t.text);
            }
        }
        assert_eq!(i.questions_asked(), InterviewerConfig::default().max_turns);
    }

    #[test]
    fn replaying_a_recording_asks_at_gaps_and_at_the_end() {
        let mut i = interviewer();
        let segs = vec![
            seg(0.0, 10.0, "We ingest documents and split them into chunks."),
            seg(
                14.0,
                24.0,
                "Embeddings go into a vector store for retrieval.",
            ),
            seg(25.0, 35.0, "The model writes the answer with citations."),
        ];
        let turns = i.run_over_recording(&segs, 38.0);
        assert_eq!(turns.len(), 2, "{turns:?}");
        assert!((turns[0].at - 12.5).abs() < 1e-9);
        assert!((turns[1].at - 38.0).abs() < 1e-9);
    }
}
