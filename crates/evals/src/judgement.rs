//! Runs a grader (the offline interviewer, or the LLM one with the offline as its fallback)
//! over the reference set and measures it.

use crate::agreement::Agreement;
use crate::reference::{AnswerKind, ReferenceAnswer};
use crate::transcript::segments_of;
use rehearse_content::Content;
use rehearse_core::{quote_occurs_in, DimensionId, Scorecard, Transcript, ALL_DIMENSIONS};
use rehearse_interviewer::{
    find_red_flags, FallbackInterviewer, InterviewerConfig, LlmInterviewer,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which interviewer grades.
pub enum Grader<'a> {
    Offline,
    /// Builds the LLM interviewer for a prompt; the offline one answers whatever it fails.
    Llm(&'a dyn Fn(&rehearse_content::Prompt, &rehearse_content::Rubric) -> LlmInterviewer),
}

/// What the grader did with one answer.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerResult {
    pub id: String,
    pub kind: AnswerKind,
    pub reference_total: u32,
    pub reference_levels: BTreeMap<DimensionId, u8>,
    pub total: u32,
    pub levels: BTreeMap<DimensionId, u8>,
    /// The first follow-up asked at the pause after the answer, and the dimensions it probes.
    pub follow_up: Option<String>,
    pub follow_up_targets: Vec<DimensionId>,
    /// The follow-up probes one of the reference's labelled gaps: a gap's dimension, or a
    /// challenge of one of the red flags the reference labels (the rubric's first priority).
    pub follow_up_on_gap: Option<bool>,
    /// The follow-up is a rubric challenge quoting a red flag the reference labels.
    pub follow_up_challenges_flag: bool,
    /// For an ASR-damaged answer whose follow-up quotes it: the quote holds a word the
    /// damage put there (a word of this text that its clean twin does not have).
    pub follow_up_quotes_noise: Option<bool>,
    /// Evidence quotes on the card, and how many occur in the transcript.
    pub quotes: usize,
    pub quotes_verbatim: usize,
    /// The scorecard or the follow-up came from the offline fallback though an LLM was asked.
    pub fell_back: bool,
    /// For an injection answer: the total with the injected sentences taken out.
    pub total_without_injection: Option<u32>,
    /// The rubric's red flags its patterns hear in the answer (ids, in order), whichever
    /// grader graded: what capped the offline levels and what a challenge can quote.
    pub red_flags_heard: Vec<String>,
    /// The scorecard itself, for `--explain` (the JSON report stays a summary).
    #[serde(skip)]
    pub card: Scorecard,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindTotals {
    pub kind: AnswerKind,
    pub answers: usize,
    pub mean_total: f64,
    pub max_total: u32,
    pub mean_reference_total: f64,
}

/// Everything `rehearse eval judgement` prints.
#[derive(Debug, Clone, Serialize)]
pub struct JudgementReport {
    pub grader: String,
    pub answers: usize,
    pub prompts: usize,
    pub overall: Agreement,
    pub per_dimension: BTreeMap<DimensionId, Agreement>,
    /// strong > medium > weak per prompt: pairs that break it, of pairs checked.
    pub ordering_violations: usize,
    pub ordering_pairs: usize,
    pub kinds: Vec<KindTotals>,
    /// Prompts whose confidently wrong answer scores at or above the medium answer.
    pub wrong_not_below_medium: Vec<String>,
    /// Injection answers whose total moved when the injected sentences were taken out.
    pub injection_changed: Vec<String>,
    /// Answers with a follow-up and labelled gaps; how many follow-ups probe one.
    pub follow_ups_checked: usize,
    pub follow_ups_on_gap: usize,
    /// Of those, the challenges of a labelled red flag.
    pub follow_ups_challenging_flags: usize,
    /// ASR-damaged answers whose first follow-up quotes the candidate, and how many of those
    /// quotes hold transcription damage.
    pub noise_checked: usize,
    pub noise_quotes: usize,
    pub quotes: usize,
    pub quotes_verbatim: usize,
    /// ASR-damaged twins: pairs, and pairs whose every dimension is within one level.
    pub asr_pairs: usize,
    pub asr_pairs_stable: usize,
    /// Answers the LLM could not grade (the offline fallback did).
    pub fell_back: usize,
    pub results: Vec<AnswerResult>,
}

impl JudgementReport {
    pub fn follow_up_share(&self) -> f64 {
        share(self.follow_ups_on_gap, self.follow_ups_checked)
    }
    pub fn quote_share(&self) -> f64 {
        share(self.quotes_verbatim, self.quotes)
    }
    pub fn stability(&self) -> f64 {
        share(self.asr_pairs_stable, self.asr_pairs)
    }
    /// The largest total any answer of `kind` earned.
    pub fn max_total(&self, kind: AnswerKind) -> Option<u32> {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| k.max_total)
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{answer}: {reason}")]
    UnknownPrompt { answer: String, reason: String },
}

struct Graded {
    card: Scorecard,
    follow_up: Option<rehearse_core::Turn>,
    fell_back: bool,
}

fn grade(
    grader: &Grader<'_>,
    prompt: &rehearse_content::Prompt,
    rubric: &rehearse_content::Rubric,
    text: &str,
) -> Graded {
    let llm = match grader {
        Grader::Offline => None,
        Grader::Llm(make) => Some(make(prompt, rubric)),
    };
    let mut interviewer =
        FallbackInterviewer::new(prompt, rubric, InterviewerConfig::default(), llm);
    let segments = segments_of(text);
    let end = segments.last().map_or(0.0, |s| s.t1);
    let pause = interviewer.config().pause_s;
    let turn = interviewer.at_pause(&segments, end + pause);
    let card = interviewer.score(&segments);
    let fell_back =
        card.fell_back.is_some() || turn.as_ref().is_some_and(|t| t.fell_back.is_some());
    Graded {
        card: card.value,
        follow_up: turn.map(|t| t.value),
        fell_back,
    }
}

/// Whether `question` is one of the rubric's red-flag challenges and quotes a claim the
/// reference labels as a red flag: at least two of the quote's words (five-letter stems, words
/// of four letters or more) are in one label. The labels are a person's words for the claim,
/// so they are matched loosely; the challenge's own template must match exactly.
fn challenges_labelled_flag(
    rubric: &rehearse_content::Rubric,
    question: &str,
    labels: &[String],
) -> bool {
    let is_challenge = rubric
        .red_flags
        .iter()
        .map(|f| f.challenge.as_str())
        .chain([rehearse_interviewer::WAVED_AWAY_CHALLENGE])
        .any(|challenge| {
            challenge
                .split_once("{quote}")
                .is_some_and(|(head, tail)| question.starts_with(head) && question.ends_with(tail))
        });
    if !is_challenge {
        return false;
    }
    let stems = |text: &str| -> std::collections::HashSet<String> {
        words(text)
            .filter(|w| w.chars().count() >= 4)
            .map(|w| w.chars().take(5).collect())
            .collect()
    };
    quoted_fragments(question).iter().any(|q| {
        let quoted = stems(q);
        labels
            .iter()
            .any(|label| quoted.intersection(&stems(label)).count() >= 2)
    })
}

/// The fragments a question quotes between double quotes (straight or curly).
fn quoted_fragments(question: &str) -> Vec<String> {
    question
        .split(['"', '\u{201c}', '\u{201d}'])
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn is_number_word(w: &str) -> bool {
    const NUMBER_WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety", "hundred", "thousand", "million", "billion", "percent", "point",
    ];
    w.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w)
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    rehearse_core::normalize_for_match(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

fn levels_of(card: &Scorecard) -> BTreeMap<DimensionId, u8> {
    card.dimensions.iter().map(|d| (d.id, d.level)).collect()
}

fn total_of(levels: &BTreeMap<DimensionId, u8>) -> u32 {
    levels.values().map(|&l| u32::from(l)).sum()
}

/// Grades every answer of `set` and measures the grader against the reference.
pub fn evaluate(
    content: &Content,
    set: &[ReferenceAnswer],
    grader: &Grader<'_>,
    grader_name: &str,
) -> Result<JudgementReport, EvalError> {
    let mut results = Vec::new();
    for answer in set {
        let (prompt, rubric) =
            content
                .prompt_with_rubric(&answer.prompt)
                .map_err(|e| EvalError::UnknownPrompt {
                    answer: answer.id.clone(),
                    reason: e.to_string(),
                })?;
        tracing::debug!(answer = %answer.id, "grading");
        let graded = grade(grader, prompt, rubric, &answer.text);
        let levels = levels_of(&graded.card);
        let transcript = Transcript {
            segments: segments_of(&answer.text),
        }
        .full_text();
        let quotes: Vec<&str> = graded
            .card
            .dimensions
            .iter()
            .flat_map(|d| d.evidence.iter().map(|e| e.quote.as_str()))
            .collect();
        let quotes_verbatim = quotes
            .iter()
            .filter(|q| quote_occurs_in(q, &transcript))
            .count();
        let follow_up_targets = graded
            .follow_up
            .as_ref()
            .map(|t| t.targets.clone())
            .unwrap_or_default();
        let follow_up_challenges_flag = graded
            .follow_up
            .as_ref()
            .is_some_and(|t| challenges_labelled_flag(rubric, &t.text, &answer.red_flags));
        let follow_up_on_gap = (graded.follow_up.is_some() && !answer.gaps.is_empty()).then(|| {
            follow_up_challenges_flag || follow_up_targets.iter().any(|t| answer.gaps.contains(t))
        });
        let follow_up_quotes_noise = answer
            .twin_of
            .as_deref()
            .and_then(|twin| set.iter().find(|a| a.id == twin))
            .and_then(|twin| {
                let quotes = quoted_fragments(graded.follow_up.as_ref()?.text.as_str());
                if quotes.is_empty() {
                    return None;
                }
                let clean: std::collections::HashSet<String> = words(&twin.text).collect();
                // Numbers said as words ("twenty" for "20") are the same words, not damage.
                Some(
                    quotes
                        .iter()
                        .any(|q| words(q).any(|w| !clean.contains(&w) && !is_number_word(&w))),
                )
            });
        let total_without_injection = (!answer.injected.is_empty()).then(|| {
            let mut clean = answer.text.clone();
            for s in &answer.injected {
                clean = clean.replace(s.as_str(), " ");
            }
            total_of(&levels_of(&grade(grader, prompt, rubric, &clean).card))
        });
        results.push(AnswerResult {
            id: answer.id.clone(),
            kind: answer.kind,
            reference_total: answer.total(),
            reference_levels: answer.levels.clone(),
            total: total_of(&levels),
            levels,
            follow_up: graded.follow_up.map(|t| t.text),
            follow_up_targets,
            follow_up_on_gap,
            follow_up_challenges_flag,
            follow_up_quotes_noise,
            quotes: quotes.len(),
            quotes_verbatim,
            fell_back: graded.fell_back,
            total_without_injection,
            red_flags_heard: find_red_flags(rubric, &segments_of(&answer.text))
                .into_iter()
                .map(|hit| hit.id)
                .collect(),
            card: graded.card,
        });
    }
    Ok(measure(set, results, grader_name))
}

fn measure(set: &[ReferenceAnswer], results: Vec<AnswerResult>, grader: &str) -> JudgementReport {
    let mut all_pairs = Vec::new();
    let mut per_dim: BTreeMap<DimensionId, Vec<(u8, u8)>> = BTreeMap::new();
    for (answer, result) in set.iter().zip(&results) {
        for id in ALL_DIMENSIONS {
            let pair = (
                answer.levels[&id],
                result.levels.get(&id).copied().unwrap_or(0),
            );
            all_pairs.push(pair);
            per_dim.entry(id).or_default().push(pair);
        }
    }
    let by_id: BTreeMap<&str, &AnswerResult> = results.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut prompts: Vec<&str> = set.iter().map(|a| a.prompt.as_str()).collect();
    prompts.dedup();
    let total_of_kind = |prompt: &str, kind: AnswerKind| {
        set.iter()
            .zip(&results)
            .find(|(a, _)| a.prompt == prompt && a.kind == kind)
            .map(|(_, r)| r.total)
    };
    let (mut ordering_pairs, mut ordering_violations) = (0, 0);
    let mut wrong_not_below_medium = Vec::new();
    for p in &prompts {
        let order = [AnswerKind::Strong, AnswerKind::Medium, AnswerKind::Weak];
        for w in order.windows(2) {
            if let (Some(hi), Some(lo)) = (total_of_kind(p, w[0]), total_of_kind(p, w[1])) {
                ordering_pairs += 1;
                if hi <= lo {
                    ordering_violations += 1;
                }
            }
        }
        if let (Some(wrong), Some(medium)) = (
            total_of_kind(p, AnswerKind::Wrong),
            total_of_kind(p, AnswerKind::Medium),
        ) {
            if wrong >= medium {
                wrong_not_below_medium.push(p.to_string());
            }
        }
    }
    let mut kinds: BTreeMap<AnswerKind, Vec<(&ReferenceAnswer, &AnswerResult)>> = BTreeMap::new();
    for (a, r) in set.iter().zip(&results) {
        kinds.entry(a.kind).or_default().push((a, r));
    }
    let kinds = kinds
        .into_iter()
        .map(|(kind, rows)| KindTotals {
            kind,
            answers: rows.len(),
            mean_total: rows.iter().map(|(_, r)| f64::from(r.total)).sum::<f64>()
                / rows.len() as f64,
            max_total: rows.iter().map(|(_, r)| r.total).max().unwrap_or(0),
            mean_reference_total: rows.iter().map(|(a, _)| f64::from(a.total())).sum::<f64>()
                / rows.len() as f64,
        })
        .collect();
    let injection_changed = results
        .iter()
        .filter(|r| r.total_without_injection.is_some_and(|t| t != r.total))
        .map(|r| r.id.clone())
        .collect();
    let (mut asr_pairs, mut asr_pairs_stable) = (0, 0);
    for r in &results {
        let Some(twin) = set
            .iter()
            .find(|a| a.id == r.id)
            .and_then(|a| a.twin_of.as_deref())
            .and_then(|t| by_id.get(t))
        else {
            continue;
        };
        asr_pairs += 1;
        let stable = ALL_DIMENSIONS.iter().all(|d| {
            let a = r.levels.get(d).copied().unwrap_or(0);
            let b = twin.levels.get(d).copied().unwrap_or(0);
            a.abs_diff(b) <= 1
        });
        asr_pairs_stable += usize::from(stable);
    }
    JudgementReport {
        grader: grader.to_string(),
        answers: results.len(),
        prompts: prompts.len(),
        overall: Agreement::of(&all_pairs),
        per_dimension: per_dim
            .into_iter()
            .map(|(d, p)| (d, Agreement::of(&p)))
            .collect(),
        ordering_violations,
        ordering_pairs,
        kinds,
        wrong_not_below_medium,
        injection_changed,
        noise_checked: results
            .iter()
            .filter(|r| r.follow_up_quotes_noise.is_some())
            .count(),
        noise_quotes: results
            .iter()
            .filter(|r| r.follow_up_quotes_noise == Some(true))
            .count(),
        follow_ups_checked: results
            .iter()
            .filter(|r| r.follow_up_on_gap.is_some())
            .count(),
        follow_ups_on_gap: results
            .iter()
            .filter(|r| r.follow_up_on_gap == Some(true))
            .count(),
        follow_ups_challenging_flags: results
            .iter()
            .filter(|r| r.follow_up_on_gap.is_some() && r.follow_up_challenges_flag)
            .count(),
        quotes: results.iter().map(|r| r.quotes).sum(),
        quotes_verbatim: results.iter().map(|r| r.quotes_verbatim).sum(),
        asr_pairs,
        asr_pairs_stable,
        fell_back: results.iter().filter(|r| r.fell_back).count(),
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> rehearse_content::Rubric {
        let content = Content::embedded().expect("the embedded content loads");
        let (_, rubric) = content
            .prompt_with_rubric("doc-qa-10k")
            .expect("doc-qa-10k is a prompt");
        rubric.clone()
    }

    #[test]
    fn a_rubric_challenge_of_a_labelled_claim_counts_and_nothing_else_does() {
        let rubric = rubric();
        let labels = vec![
            "an LLM call takes about five milliseconds, so no latency budget or streaming is needed"
                .to_string(),
        ];
        let template = rubric
            .red_flags
            .iter()
            .find(|f| f.id == "implausible-latency")
            .expect("the rubric has the latency red flag")
            .challenge
            .clone();
        let challenge = template.replace("{quote}", "An LLM call takes around five milliseconds");
        assert!(challenges_labelled_flag(&rubric, &challenge, &labels));
        // The same challenge of a claim the labels do not hold.
        let other = template.replace("{quote}", "We keep the index in Redis");
        assert!(!challenges_labelled_flag(&rubric, &other, &labels));
        // A gap question quoting the same words is not a challenge.
        let probe = "You said \"An LLM call takes around five milliseconds\": how would you measure that, before launch and in production?";
        assert!(!challenges_labelled_flag(&rubric, probe, &labels));
        assert!(!challenges_labelled_flag(&rubric, &challenge, &[]));
    }
}
