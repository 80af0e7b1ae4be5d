//! Interview phases in the engine: the interview length picks the phase plan; a live session
//! announces the first phase at start, moves on when the candidate asks, and by the clock.

use rehearse_core::{EngineEvent, InterviewLength, Phase, PhasePlan};
use rehearse_engine::{default_app_settings, engine_settings, Engine, EnginePaths, EngineSettings};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn the_interview_length_picks_the_phase_plan() {
    let mut app = default_app_settings();
    app.interview_length = InterviewLength::Full45;
    let (s, _) = engine_settings(&app, None, |_| None);
    assert_eq!(s.interviewer.phases, PhasePlan::full_45());
    app.interview_length = InterviewLength::Drill10;
    let (s, _) = engine_settings(&app, None, |_| None);
    assert_eq!(s.interviewer.phases, PhasePlan::drill_10());
    assert_eq!(s.interviewer.phases.total_s(), 600.0);
}

fn phases(events: &Mutex<Vec<EngineEvent>>) -> Vec<(Phase, f64, f64)> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Phase {
                phase,
                started_s,
                budget_s,
            } => Some((*phase, *started_s, *budget_s)),
            _ => None,
        })
        .collect()
}

fn wait_for(events: &Mutex<Vec<EngineEvent>>, count: usize, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline && phases(events).len() < count {
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
#[ignore = "needs the virtual microphone and the installed model: run `bash scripts/test.sh`"]
fn a_live_session_moves_through_phases_by_request_and_by_the_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = EnginePaths::new(tmp.path().to_path_buf());
    paths.models_dir = rehearse_testkit::models_dir();
    let mut settings = EngineSettings::default();
    // The high-level design lasts two seconds, so the clock moves the session on within the test.
    settings.interviewer.phases = PhasePlan {
        budgets_s: [600.0, 2.0, 600.0, 600.0, 600.0],
    };
    let engine = Engine::new(paths, settings).unwrap();
    let events: Arc<Mutex<Vec<EngineEvent>>> = Arc::default();
    let sink = {
        let events = events.clone();
        Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
    };
    let live = engine.start_live("doc-qa-10k", sink).unwrap();
    assert_eq!(phases(&events), vec![(Phase::Clarify, 0.0, 600.0)]);
    std::thread::sleep(Duration::from_millis(500));
    live.next_phase().unwrap();
    wait_for(&events, 2, Duration::from_secs(5));
    wait_for(&events, 3, Duration::from_secs(10));
    let report = live.stop().unwrap();
    let seen = phases(&events);
    assert_eq!(
        seen.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![Phase::Clarify, Phase::HighLevel, Phase::DeepDive],
        "{seen:?}"
    );
    let (_, asked_at, budget) = seen[1];
    assert!(asked_at > 0.0 && budget == 2.0, "{seen:?}");
    assert!(
        (seen[2].1 - (asked_at + 2.0)).abs() < 1e-9,
        "the deep dive begins when the high-level budget ran out: {seen:?}"
    );
    assert!(seen[2].1 <= report.audio.duration_s + 1.0);
}
