//! Interview phases: the clock moves them on by the plan, the candidate may move them on,
//! never back, and the interviewer announces a new phase only at a natural pause.

use rehearse_content::Content;
use rehearse_core::{
    phase_dimensions, DimensionId, Phase, PhasePlan, Segment, TurnRole, ALL_PHASES,
};
use rehearse_interviewer::{transition_line, InterviewerConfig, OfflineInterviewer};

fn interviewer(phases: PhasePlan) -> OfflineInterviewer {
    let content = Content::embedded().unwrap();
    let (prompt, rubric) = content.prompt_with_rubric("doc-qa-10k").unwrap();
    OfflineInterviewer::new(
        prompt,
        rubric,
        InterviewerConfig {
            phases,
            ..InterviewerConfig::default()
        },
    )
}

fn seg(t0: f64, t1: f64, text: &str) -> Segment {
    Segment {
        t0,
        t1,
        text: text.into(),
        words: Vec::new(),
    }
}

/// The phase at each second from 0 to the plan's end plus a minute, by the clock alone.
fn phases_by_clock(plan: PhasePlan) -> Vec<(Phase, f64)> {
    let mut i = interviewer(plan);
    let mut begun = vec![(i.phase().phase, i.phase().started_s)];
    for s in 0..=(plan.total_s() as usize + 60) {
        if let Some(p) = i.advance_clock(s as f64) {
            begun.push((p.phase, p.started_s));
        }
    }
    begun
}

#[test]
fn phases_follow_the_clock_in_a_full_interview() {
    let begun = phases_by_clock(PhasePlan::full_45());
    let minutes: Vec<_> = begun.iter().map(|(p, t)| (*p, t / 60.0)).collect();
    assert_eq!(
        minutes,
        vec![
            (Phase::Clarify, 0.0),
            (Phase::HighLevel, 5.0),
            (Phase::DeepDive, 15.0),
            (Phase::TradeoffsFailures, 30.0),
            (Phase::WrapUp, 40.0),
        ]
    );
}

#[test]
fn a_drill_runs_the_same_phases_in_ten_minutes() {
    let plan = PhasePlan::drill_10();
    let begun = phases_by_clock(plan);
    let order: Vec<_> = begun.iter().map(|(p, _)| *p).collect();
    assert_eq!(order, ALL_PHASES);
    let starts: Vec<_> = begun.iter().map(|(_, t)| *t).collect();
    assert_eq!(starts, vec![0.0, 60.0, 240.0, 420.0, 540.0]);
    assert_eq!(plan.budget_s(Phase::WrapUp), 60.0);
    assert_eq!(plan.total_s(), 600.0);
}

#[test]
fn next_phase_moves_on_once_and_never_back() {
    let mut i = interviewer(PhasePlan::full_45());
    let p = i.next_phase(30.0).expect("clarify -> high level");
    assert_eq!(p.phase, Phase::HighLevel);
    assert_eq!(
        p.started_s, 30.0,
        "the new phase starts now, with its whole budget"
    );
    assert_eq!(p.budget_s, 600.0);
    // The clock does not take it back, and counts the new phase's budget from now.
    assert!(i.advance_clock(300.0).is_none());
    assert_eq!(i.phase().phase, Phase::HighLevel);
    let by_clock = i.advance_clock(630.0).expect("high level ran out");
    assert_eq!(by_clock.phase, Phase::DeepDive);
    assert_eq!(i.next_phase(640.0).unwrap().phase, Phase::TradeoffsFailures);
    assert_eq!(i.next_phase(650.0).unwrap().phase, Phase::WrapUp);
    assert!(i.next_phase(660.0).is_none(), "nothing after the wrap-up");
    assert!(i.advance_clock(100_000.0).is_none());
    assert_eq!(i.phase().phase, Phase::WrapUp);
}

#[test]
fn a_transition_comes_at_a_pause_after_the_budget_and_targets_the_next_phase() {
    let mut i = interviewer(PhasePlan::drill_10());
    let mut segs = vec![seg(
        0.0,
        50.0,
        "The users are employees asking about policies, about 50 queries per second.",
    )];
    // Still in the clarify budget: an ordinary follow-up, if any.
    if let Some(t) = i.at_pause(&segs, 52.5) {
        assert_ne!(t.text, transition_line(Phase::HighLevel));
    }
    // The budget runs out while the candidate talks: nothing is said until they pause.
    assert_eq!(
        i.advance_clock(61.0).map(|p| p.phase),
        Some(Phase::HighLevel)
    );
    let before = i.turns().len();
    segs.push(seg(
        60.0,
        80.0,
        "We ingest pages and split them into chunks.",
    ));
    let t = i
        .at_pause(&segs, 82.5)
        .expect("the transition, at the pause");
    assert_eq!(t.text, transition_line(Phase::HighLevel));
    assert_eq!(t.targets, phase_dimensions(Phase::HighLevel).to_vec());
    assert_eq!(t.role, TurnRole::Interviewer);
    assert_eq!(i.turns().len(), before + 1, "stored like other turns");
    assert_eq!(i.transitions_said(), 1);
    // Said once; the next turn waits out the cooldown.
    segs.push(seg(85.0, 95.0, "Embeddings go into a vector store."));
    assert!(
        i.at_pause(&segs, 97.5).is_none(),
        "cooldown after a transition"
    );
}

#[test]
fn the_wrap_up_asks_for_a_summary_and_transitions_count_toward_no_cap() {
    let mut i = interviewer(PhasePlan::drill_10());
    let mut segs = Vec::new();
    let mut transitions = Vec::new();
    for k in 0..24 {
        let t0 = k as f64 * 30.0;
        segs.push(seg(
            t0,
            t0 + 10.0,
            "We talk about the system in general terms.",
        ));
        if let Some(t) = i.at_pause(&segs, t0 + 12.5) {
            if ALL_PHASES.iter().any(|p| transition_line(*p) == t.text) {
                transitions.push(t);
            }
        }
    }
    let lines: Vec<_> = transitions.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(
        lines,
        ALL_PHASES[1..]
            .iter()
            .map(|p| transition_line(*p))
            .collect::<Vec<_>>()
    );
    let last = transitions.last().unwrap();
    assert!(last.text.contains("summarise"), "{last:?}");
    assert!(last.targets.contains(&DimensionId::Communication));
    assert!(i.questions_asked() <= InterviewerConfig::default().max_turns);
    assert_eq!(i.turns().len(), i.questions_asked() + 4);
}

#[test]
fn follow_ups_target_the_phase_when_the_dimensions_are_equally_weak() {
    // Nothing said about any dimension: the phase's first dimension is the weakest and first.
    let mut i = interviewer(PhasePlan::full_45());
    let segs = vec![seg(0.0, 10.0, "Hmm, okay, let me think about this one.")];
    let t = i.at_pause(&segs, 12.5).expect("a follow-up");
    assert_eq!(t.targets, vec![DimensionId::Requirements], "{t:?}");
    let mut deep = interviewer(PhasePlan::full_45());
    deep.next_phase(5.0);
    deep.next_phase(6.0);
    let t = deep.at_pause(&segs, 12.5).expect("a follow-up");
    assert_eq!(t.targets, vec![DimensionId::Depth], "{t:?}");
}

#[test]
fn think_time_is_not_an_invitation() {
    // A long silence after only a few seconds of speech: the interviewer keeps listening.
    let mut i = interviewer(PhasePlan::full_45());
    let segs = vec![seg(0.0, 3.0, "So, documents.")];
    assert!(i.at_pause(&segs, 60.0).is_none());
}
