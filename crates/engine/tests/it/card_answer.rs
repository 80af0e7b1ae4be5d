//! "Answer out loud" for a study card: the errors reported before anything is recorded, and
//! (ignored by default) a real spoken answer played into the virtual microphone, recorded,
//! transcribed by the installed model and graded against the card's key points.

use rehearse_core::ReviewGrade;
use rehearse_engine::{Engine, EngineError, EnginePaths, EngineSettings};
use rehearse_testkit::speak_aloud as speak;
use std::time::Duration;

const CARD: &str = "q-debug-rag";

const GOOD_ANSWER: &str = "First I would ask: is it a retrieval problem or a generation problem? \
    I would log the retrieved chunks for the failing questions, and check the right document is in the top K. \
    If retrieval is wrong, I look at chunking and the embedding model. \
    If generation is wrong, I look at the prompt and the context assembly. \
    Then I build a test set from the failures and measure the recall.";

const POOR_ANSWER: &str =
    "The model is hallucinating, so I would switch to a bigger and more expensive model.";

fn engine_with_model(dir: &std::path::Path) -> Engine {
    let models = rehearse_testkit::models_dir();
    let mut paths = EnginePaths::new(dir.to_path_buf());
    paths.models_dir = models;
    Engine::new(paths, EngineSettings::default()).unwrap()
}

fn answers_dir_is_empty(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir.join("answers")).map_or(true, |mut d| d.next().is_none())
}

#[test]
fn bad_cards_and_a_missing_model_are_reported_before_recording() {
    let tmp = tempfile::tempdir().unwrap();
    // No model in this data folder's models/.
    let engine = Engine::new(
        EnginePaths::new(tmp.path().to_path_buf()),
        EngineSettings::default(),
    )
    .unwrap();
    assert!(matches!(
        engine.start_card_answer("no-such-card"),
        Err(EngineError::UnknownCard(_))
    ));
    assert!(matches!(
        engine.start_card_answer("rag-architecture"),
        Err(EngineError::NoKeyPoints(_))
    ));
    assert!(matches!(
        engine.start_card_answer(CARD),
        Err(EngineError::Model(_))
    ));
    assert!(answers_dir_is_empty(tmp.path()), "nothing was recorded");
}

#[test]
#[ignore = "needs the virtual microphone and the model: run bash scripts/test.sh"]
fn a_spoken_answer_to_a_card_is_recorded_transcribed_and_graded() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_model(tmp.path());

    // A good answer covers most key points.
    let rec = engine.start_card_answer(CARD).unwrap();
    assert_eq!(rec.card_id(), CARD);
    let wav = rec.wav_path().to_path_buf();
    assert!(
        wav.starts_with(tmp.path().join("answers")),
        "{}",
        wav.display()
    );
    std::thread::sleep(Duration::from_millis(500));
    speak(GOOD_ANSWER);
    std::thread::sleep(Duration::from_millis(800));
    let good = rec.stop().unwrap();
    println!("good answer: {:?}", good.transcript);
    println!(
        "covered: {:?}; missed: {:?}",
        good.coverage
            .covered
            .iter()
            .map(|c| (&c.key_point_id, &c.matched_phrase))
            .collect::<Vec<_>>(),
        good.coverage
            .missed
            .iter()
            .map(|m| &m.key_point_id)
            .collect::<Vec<_>>()
    );
    let text = good.transcript.to_lowercase();
    assert!(text.contains("retriev"), "{text}");
    let total = good.coverage.covered.len() + good.coverage.missed.len();
    assert_eq!(total, 5, "q-debug-rag has five key points");
    assert!(
        good.coverage.covered.len() >= 4,
        "most key points covered: {:?}",
        good.coverage
    );
    assert!(matches!(
        good.coverage.suggested_grade,
        ReviewGrade::Good | ReviewGrade::Easy
    ));
    for c in &good.coverage.covered {
        assert!(
            rehearse_core::quote_occurs_in(&c.matched_phrase, &good.transcript),
            "the matched phrase '{}' is in the transcript",
            c.matched_phrase
        );
    }
    assert!(!wav.exists(), "the graded recording is deleted");

    // A poor answer covers none.
    let rec = engine.start_card_answer(CARD).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    speak(POOR_ANSWER);
    std::thread::sleep(Duration::from_millis(800));
    let poor = rec.stop().unwrap();
    println!("poor answer: {:?}", poor.transcript);
    assert!(
        poor.transcript.to_lowercase().contains("model"),
        "{}",
        poor.transcript
    );
    assert!(poor.coverage.covered.is_empty(), "{:?}", poor.coverage);
    assert_eq!(poor.coverage.suggested_grade, ReviewGrade::Again);

    // Dropping an answer without stopping it cancels it and discards the recording.
    let rec = engine.start_card_answer(CARD).unwrap();
    let wav = rec.wav_path().to_path_buf();
    std::thread::sleep(Duration::from_millis(300));
    drop(rec);
    assert!(!wav.exists());
    assert!(answers_dir_is_empty(tmp.path()));
}
