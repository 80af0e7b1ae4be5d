//! The offline grader measured on the repository's graded reference set, with floors a
//! little under what it measures (docs/judgement.md): a change that makes the interviewer's
//! judgement worse fails here. `rehearse eval judgement --verbose` prints the same table
//! with a line per answer.

use rehearse_content::Content;
use rehearse_evals::{evaluate, load_set, render_table, repository_set_dir, AnswerKind, Grader};

#[test]
fn offline_grader_agrees_with_the_reference_levels_and_cannot_be_gamed() {
    let set = load_set(&repository_set_dir()).expect("the reference set loads");
    let content = Content::embedded().expect("content");
    let report = evaluate(&content, &set, &Grader::Offline, "offline").expect("evaluates");
    println!("{}", render_table(&report, true));
    // Floors a little under what was measured on 2026-12-07, fourth session (docs/judgement.md):
    // within one 95 %, kappa 0.85, salad at most 3/32 (the target is 4), every wrong answer
    // below its medium, first follow-up on a gap 82 % (a labelled red flag challenged counts),
    // 7 of 12 twins stable.
    assert!(report.answers >= 60, "the set shrank: {}", report.answers);
    assert!(
        report.overall.within_one >= 0.93,
        "within one level: {:.2}",
        report.overall.within_one
    );
    assert!(
        report.overall.kappa >= 0.83,
        "weighted kappa: {:.2}",
        report.overall.kappa
    );
    let salad = report.max_total(AnswerKind::Salad).unwrap_or(0);
    assert!(salad <= 4, "a keyword salad earned {salad}/32");
    assert!(
        report.injection_changed.is_empty(),
        "injected words moved a score: {:?}",
        report.injection_changed
    );
    assert_eq!(
        report.ordering_violations, 0,
        "strong > medium > weak broken"
    );
    assert!(
        report.wrong_not_below_medium.is_empty(),
        "confidently wrong answers at or above medium: {:?}",
        report.wrong_not_below_medium
    );
    assert_eq!(
        report.quotes_verbatim, report.quotes,
        "a quote that was never said"
    );
    assert_eq!(
        report.noise_quotes, 0,
        "a follow-up quoted transcription damage"
    );
    assert!(
        report.follow_up_share() >= 0.80,
        "first follow-ups on a gap: {:.2}",
        report.follow_up_share()
    );
    assert!(
        report.stability() >= 0.40,
        "ASR twins stable: {:.2}",
        report.stability()
    );
}

/// The check sets (`evals/judgement-*`, not tuned on when written, and not held to the
/// reference set's agreement floors) still hold what must hold for any answer: words to the
/// grader move no total, a keyword salad earns at most 4/32, a confidently wrong answer scores
/// below the medium answer of its prompt, every quote was said, and no follow-up quotes
/// transcription damage.
#[test]
fn on_every_check_set_injections_and_salads_buy_nothing() {
    let content = Content::embedded().expect("content");
    let evals = repository_set_dir()
        .parent()
        .map(std::path::Path::to_path_buf)
        .expect("evals/ holds the sets");
    for name in [
        "judgement-check",
        "judgement-fresh",
        "judgement-unseen",
        "judgement-blind",
        "judgement-blind2",
        "judgement-blind3",
        "judgement-blind4",
        "judgement-blind5",
        "judgement-blind6",
        "judgement-blind7",
    ] {
        let set = load_set(&evals.join(name)).expect("the check set loads");
        let report = evaluate(&content, &set, &Grader::Offline, "offline").expect("evaluates");
        assert!(report.answers >= 16, "{name} shrank: {}", report.answers);
        assert!(
            report.injection_changed.is_empty(),
            "{name}: injected words moved a score: {:?}",
            report.injection_changed
        );
        let salad = report.max_total(AnswerKind::Salad).unwrap_or(0);
        assert!(salad <= 4, "{name}: a keyword salad earned {salad}/32");
        assert!(
            report.wrong_not_below_medium.is_empty(),
            "{name}: confidently wrong at or above medium: {:?}",
            report.wrong_not_below_medium
        );
        assert_eq!(
            report.quotes_verbatim, report.quotes,
            "{name}: a quote never said"
        );
        assert_eq!(report.noise_quotes, 0, "{name}: a follow-up quoted damage");
    }
}

/// The offline interviewer's first follow-up at the repository's answer moments
/// (evals/followups): floors a little under what was measured on 2026-12-06 (97 % acceptable,
/// 91 % of the expected kind), and never a noise quote or a repeat.
#[test]
fn first_follow_ups_are_acceptable_and_never_quote_noise() {
    let content = Content::embedded().expect("content");
    let report =
        rehearse_evals::evaluate_follow_ups(&content, &rehearse_evals::repository_moments_dir())
            .expect("the moments load");
    println!("{}", rehearse_evals::render_follow_ups(&report, true));
    assert!(report.moments >= 30, "the set shrank: {}", report.moments);
    let share = |n: usize| n as f64 / report.moments as f64;
    assert!(
        share(report.acceptable) >= 0.93,
        "acceptable: {}",
        report.acceptable
    );
    assert!(
        share(report.right_kind) >= 0.87,
        "of the expected kind: {}",
        report.right_kind
    );
    assert_eq!(
        report.noise_quotes, 0,
        "a follow-up quoted transcription noise"
    );
    assert_eq!(report.repeats, 0, "a question was asked twice");
}
