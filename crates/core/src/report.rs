use crate::{DimensionId, DimensionLevel, SegmentRef, TradeOffDecision};
use serde::{Deserialize, Serialize};

/// One stretch of transcribed speech, times in seconds from the start of the session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Segment {
    pub t0: f64,
    pub t1: f64,
    pub text: String,
    /// The segment's words with their own times, oldest first; empty for segments stored
    /// before word timings existed, typed in by hand, or from a backend without them.
    #[serde(default)]
    pub words: Vec<Word>,
}

impl Segment {
    /// A segment of `words`, timed from its first word's start to its last word's end; its
    /// text is the words joined with spaces.
    pub fn from_words(words: Vec<Word>) -> Segment {
        Segment {
            t0: words.first().map_or(0.0, |w| w.t0),
            t1: words.last().map_or(0.0, |w| w.t1),
            text: Segment::text_of(&words),
            words,
        }
    }

    /// The text `words` make: each trimmed, joined with spaces.
    pub fn text_of(words: &[Word]) -> String {
        words
            .iter()
            .map(|w| w.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One spoken word of a segment with its own times (seconds from the start of the session),
/// from whisper's token timestamps. The words of a segment, joined with spaces, are its text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Word {
    pub t0: f64,
    pub t1: f64,
    pub text: String,
    /// How sure the recogniser was of this word, in (0, 1]: the lowest probability whisper
    /// gave one of its text tokens. None where nothing was measured (words stored before
    /// confidences existed, other backends): such a word reads as confident, since a
    /// confidence of 1.0 would claim a measurement that was never made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub p: Option<f32>,
}

/// Words whose confidence ([`Word::p`]) is below this are uncertain: the transcript shows them
/// dimmed and the interviewer never quotes them. Measured on real recordings with tiny.en
/// (docs/benchmarks.md, "Uncertain words").
pub const UNCERTAIN_BELOW: f32 = 0.5;

impl Word {
    /// True when the recogniser was unsure of this word (see [`UNCERTAIN_BELOW`]); a word
    /// without a confidence is not.
    pub fn is_uncertain(&self) -> bool {
        self.p.is_some_and(|p| p < UNCERTAIN_BELOW)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum TurnRole {
    Interviewer,
}

/// Something the interviewer said, and the dimensions it was probing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Turn {
    pub at: f64,
    pub role: TurnRole,
    pub text: String,
    pub targets: Vec<DimensionId>,
}

/// A verbatim quote from the candidate's transcript and when it was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Evidence {
    pub quote: String,
    pub t0: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DimensionScore {
    pub id: DimensionId,
    /// 0 (no evidence) to 4 (what a strong senior candidate says).
    pub level: u8,
    pub evidence: Vec<Evidence>,
    pub suggestion: String,
    /// The dimension's checklist as graded, in the rubric's order: the level is a fixed
    /// function of the checks met. Empty on scorecards stored before checklists.
    #[serde(default)]
    pub checks: Vec<CheckResult>,
}

impl DimensionScore {
    /// Marks each open condition that holds the level back: a check that opens a level above
    /// the dimension's, none of whose group (the checks opening the same level) is met. Call
    /// once the level is final: trade-offs may reach a level through its graded decisions,
    /// and a red flag may cap one.
    pub fn mark_checks_holding_the_level(&mut self) {
        let opened: Vec<u8> = self
            .checks
            .iter()
            .filter(|c| c.met)
            .filter_map(|c| c.needed_for)
            .collect();
        let level = self.level;
        for c in &mut self.checks {
            c.holds_level = !c.met
                && c.needed_for
                    .is_some_and(|n| n > level && !opened.contains(&n));
        }
    }
}

/// One yes/no check of a dimension's checklist ("latency target"), as graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CheckResult {
    pub name: String,
    pub met: bool,
    /// The candidate's sentence that meets it (only when met).
    pub evidence: Option<Evidence>,
    /// The level this check opens, when the rubric makes it a condition: 2 where the
    /// dimension stays at 1 until one of its gate checks is met, 4 where it stays at 3 until
    /// one of its top checks is. None for a check that only counts (and on scorecards stored
    /// before this was kept).
    #[serde(default)]
    pub needed_for: Option<u8>,
    /// This open condition is what keeps the dimension below `needed_for` now: none of its
    /// group is met and the level has not got there another way. Set with the final level
    /// ([`DimensionScore::mark_checks_holding_the_level`]); the checklist names these.
    #[serde(default)]
    pub holds_level: bool,
    /// Shown and ticked, but earning no level (the rubric's `uncounted`: a product's name is
    /// no component with a job). False on scorecards stored before this was kept.
    #[serde(default)]
    pub uncounted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Scorecard {
    /// "offline" for the rubric backend, otherwise the LLM's model name.
    pub grader: String,
    pub dimensions: Vec<DimensionScore>,
    /// Each trade-off decision the candidate made, graded on its own (oldest first). Empty
    /// on scorecards stored before decisions were graded.
    #[serde(default)]
    pub tradeoffs: Vec<TradeOffDecision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AudioInfo {
    pub path: String,
    pub duration_s: f64,
    /// False when the recording is not on disk (discarded after scoring by the
    /// keep-audio setting, or removed): the transcript and scores remain.
    #[serde(default = "default_true")]
    pub available: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Transcript {
    pub segments: Vec<Segment>,
}

impl Transcript {
    pub fn full_text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Recording,
    Done,
    Interrupted,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Recording => "recording",
            SessionStatus::Done => "done",
            SessionStatus::Interrupted => "interrupted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "recording" => Some(SessionStatus::Recording),
            "done" => Some(SessionStatus::Done),
            "interrupted" => Some(SessionStatus::Interrupted),
            _ => None,
        }
    }
}

/// Everything about one practice session: the CLI's `--json` document and what Review shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionReport {
    pub session_id: String,
    pub prompt_id: String,
    pub audio: AudioInfo,
    pub transcript: Transcript,
    pub turns: Vec<Turn>,
    pub scorecard: Scorecard,
    /// Store ids of the transcript's segments, same order, for corrections.
    #[serde(default)]
    pub segment_refs: Vec<SegmentRef>,
    /// The scorecard's version (the latest); None when unscored.
    #[serde(default)]
    pub score_version: Option<u32>,
    #[serde(default = "default_done")]
    pub status: SessionStatus,
    /// RFC 3339, UTC.
    #[serde(default)]
    pub started_at: String,
}

fn default_done() -> SessionStatus {
    SessionStatus::Done
}

/// One row of the sessions list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionSummary {
    pub session_id: String,
    pub prompt_id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub duration_s: f64,
    pub status: SessionStatus,
    pub grader: Option<String>,
    /// Mean level over the eight dimensions, when scored.
    pub overall: Option<f64>,
    /// The prompt's title (its id when the prompt is no longer known).
    #[serde(default)]
    pub prompt_title: String,
    /// The latest scorecard's levels; empty when unscored.
    #[serde(default)]
    pub levels: Vec<DimensionLevel>,
    /// With a text search: the best matching transcript excerpt, matched words in `**`.
    #[serde(default)]
    pub snippet: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stored_without_a_confidence_read_as_confident() {
        let old: Word = serde_json::from_str(r#"{"t0":1.0,"t1":1.5,"text":"Pinecone"}"#).unwrap();
        assert_eq!(old.p, None);
        assert!(!old.is_uncertain());
        // A word without a confidence is stored as before, not with a null.
        assert!(!serde_json::to_string(&old).unwrap().contains("\"p\""));
        let unsure = Word {
            p: Some(UNCERTAIN_BELOW / 2.0),
            ..old.clone()
        };
        assert!(unsure.is_uncertain());
        let back: Word = serde_json::from_str(&serde_json::to_string(&unsure).unwrap()).unwrap();
        assert_eq!(back, unsure);
        let sure = Word {
            p: Some(UNCERTAIN_BELOW),
            ..old
        };
        assert!(!sure.is_uncertain(), "the threshold itself is confident");
    }

    #[test]
    fn checks_stored_before_their_conditions_were_kept_read_as_plain_checks() {
        let old: CheckResult =
            serde_json::from_str(r#"{"name":"flow","met":false,"evidence":null}"#).unwrap();
        assert_eq!(old.needed_for, None);
        assert!(!old.holds_level);
        assert!(
            !old.uncounted,
            "a check stored before counted toward the level"
        );
        let top = CheckResult {
            needed_for: Some(4),
            ..old
        };
        let back: CheckResult =
            serde_json::from_str(&serde_json::to_string(&top).unwrap()).unwrap();
        assert_eq!(back, top);
    }

    #[test]
    fn an_open_condition_holds_the_level_only_while_nothing_else_has_opened_it() {
        let check = |name: &str, met: bool, needed_for: Option<u8>| CheckResult {
            name: name.into(),
            met,
            evidence: None,
            needed_for,
            holds_level: false,
            uncounted: false,
        };
        let mut tradeoffs = DimensionScore {
            id: DimensionId::Tradeoffs,
            level: 1,
            evidence: Vec::new(),
            suggestion: String::new(),
            checks: vec![
                check("versus", false, Some(2)),
                check("cost of", false, Some(2)),
                check("because", true, None),
                check("when otherwise", false, Some(4)),
            ],
        };
        let holding = |d: &DimensionScore| -> Vec<String> {
            d.checks
                .iter()
                .filter(|c| c.holds_level)
                .map(|c| c.name.clone())
                .collect()
        };
        tradeoffs.mark_checks_holding_the_level();
        assert_eq!(holding(&tradeoffs), ["versus", "cost of", "when otherwise"]);
        // One gate check met opens level 2 for the whole group.
        tradeoffs.checks[1].met = true;
        tradeoffs.level = 2;
        tradeoffs.mark_checks_holding_the_level();
        assert_eq!(holding(&tradeoffs), ["when otherwise"]);
        // Level 2 reached through graded decisions, gate unmet: the gate holds nothing back.
        tradeoffs.checks[1].met = false;
        tradeoffs.mark_checks_holding_the_level();
        assert_eq!(holding(&tradeoffs), ["when otherwise"]);
    }

    /// The UI dims the words the engine calls uncertain: it gets the threshold as a generated
    /// constant next to the ts-rs bindings (named `export_bindings_*` so that the bindings
    /// check in scripts/lib/ipc.sh regenerates and compares it with them).
    #[cfg(feature = "ts")]
    #[test]
    fn export_bindings_uncertain_below() {
        let dir = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "./bindings".into());
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "// Generated from rehearse_core::UNCERTAIN_BELOW by rehearse-core's tests (feature ts). Do not edit this file manually.\n\n\
             /**\n * Words whose confidence (`Word.p`) is below this are uncertain: shown dimmed, never quoted.\n */\n\
             export const UNCERTAIN_BELOW = {UNCERTAIN_BELOW:?};\n"
        );
        std::fs::write(std::path::Path::new(&dir).join("uncertainBelow.ts"), text).unwrap();
    }
}
