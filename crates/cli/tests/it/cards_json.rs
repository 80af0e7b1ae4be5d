//! The `rehearse cards ... --json` contracts the shells and scripts rely on.

use crate::common::{json, rehearse};
use serde_json::Value;

#[test]
fn cards_search_json_is_a_list_of_hits() {
    let tmp = tempfile::tempdir().unwrap();
    let v = json(&rehearse(
        tmp.path(),
        &["cards", "search", "temperature", "--json"],
    ));
    let hits = v.as_array().expect("an array");
    assert!(!hits.is_empty());
    for h in hits {
        let o = h.as_object().unwrap();
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["id", "kind", "snippet", "title"]);
        assert!(["card", "glossary", "prompt"].contains(&o["kind"].as_str().unwrap()));
        assert!(!o["id"].as_str().unwrap().is_empty());
    }
    assert!(hits
        .iter()
        .any(|h| h["kind"] == "glossary" && h["id"] == "temperature"));
    let none = json(&rehearse(
        tmp.path(),
        &["cards", "search", "zzqxv", "--json"],
    ));
    assert_eq!(none, Value::Array(vec![]));
}

#[test]
fn cards_review_then_due_json() {
    let tmp = tempfile::tempdir().unwrap();
    let due = json(&rehearse(
        tmp.path(),
        &["cards", "due", "--limit", "2", "--json"],
    ));
    assert_eq!(due.as_array().unwrap().len(), 2);
    assert_eq!(due[0]["state"], "new");
    assert_eq!(due[0]["due"], Value::Null);
    let id = due[0]["card_id"].as_str().unwrap().to_string();

    let s = json(&rehearse(
        tmp.path(),
        &["cards", "review", &id, "--grade", "easy", "--json"],
    ));
    assert_eq!(s["card_id"], id.as_str());
    assert_eq!(s["grade"], "easy");
    assert_eq!(s["state"], "review");
    assert!(s["interval_days"].as_f64().unwrap() > 1.0);
    // Reviewed and not due yet: it leaves the list.
    let due = json(&rehearse(
        tmp.path(),
        &["cards", "due", "--limit", "1000", "--json"],
    ));
    assert!(due
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["card_id"] != id.as_str()));

    let bad = rehearse(tmp.path(), &["cards", "review", &id, "--grade", "great"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("again, hard, good or easy"));
    let unknown = rehearse(tmp.path(), &["cards", "review", "nope", "--grade", "good"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no study card with id 'nope'"));
}

#[test]
fn cards_answer_checks_the_card_before_the_recording() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("missing.wav");
    let wav = wav.to_str().unwrap();
    let out = rehearse(
        tmp.path(),
        &["cards", "answer", "rag-architecture", "--audio", wav],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no key points"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = rehearse(
        tmp.path(),
        &["cards", "answer", "q-finetune-vs-rag", "--audio", wav],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.wav"));
}
