//! `rehearse practice --board scene.excalidraw`: board-aware interviewing headless. The answer
//! is spoken by espeak-ng at test time (with real pauses) and transcribed by the real model;
//! the board is a scene in Excalidraw's saved format. And the errors for a bad board file.

use crate::common::rehearse;
use rehearse_testkit::speak_ssml_to_wav as speak_ssml;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../board/tests/fixtures")
        .join(name)
}

/// Walks the drawn request path (everything on the board is explained), states a trade-off,
/// and never mentions replicas, failover, timeouts or retries.
const ANSWER: &str = "<speak>\
The users are employees, and we expect about fifty queries per second. \
The client calls the API gateway, and the gateway forwards each question to the query service. \
<break time=\"3500ms\"/>\
The query service embeds the question with the embedding model, and searches Postgres with pgvector for the top five chunks. \
Then GPT four o writes the answer with citations. \
<break time=\"3500ms\"/>\
An ingestion worker reads the raw documents from S3, chunks them, and upserts the vectors into pgvector. \
I chose pgvector versus a dedicated vector database because we already run Postgres, at the cost of slower search at large scale. \
<break time=\"3500ms\"/>\
Chunks are five hundred tokens, and the prompt holds the top five chunks with their page links. \
<break time=\"3500ms\"/>\
That is the design.\
</speak>";

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn a_follow_up_names_the_single_point_of_failure_drawn_on_the_board() {
    assert!(
        std::env::var("REHEARSE_MODELS_DIR").is_ok(),
        "REHEARSE_MODELS_DIR must point at the installed speech model"
    );
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("answer.wav");
    speak_ssml(ANSWER, &wav);
    let data = tmp.path().join("data");
    let board = fixture("rag-single-vector-store.excalidraw");
    let args = |board: Option<&Path>| {
        let mut a = vec![
            "practice".to_string(),
            "--prompt".into(),
            "doc-qa-10k".into(),
            "--audio".into(),
            wav.display().to_string(),
            "--json".into(),
        ];
        if let Some(b) = board {
            a.extend(["--board".into(), b.display().to_string()]);
        }
        a
    };
    let run = |board: Option<&Path>| {
        let a = args(board);
        let out = rehearse(&data, &a.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            out.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let turns: Vec<String> = v["turns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["text"].as_str().unwrap().to_string())
            .collect();
        (v, turns)
    };

    let (v, turns) = run(Some(&board));
    let text = v["transcript"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    println!("transcript: {text}\nturns with the board: {turns:#?}");
    let spof = turns
        .iter()
        .find(|t| t.contains("is a single node on the request path"))
        .unwrap_or_else(|| panic!("no single-point-of-failure follow-up: {turns:#?}"));
    assert!(
        spof.contains("\u{201c}Postgres + pgvector\u{201d}"),
        "named by its label on the board: {spof}"
    );

    // The same answer without a board: nothing names the drawn component.
    let (_, plain) = run(None);
    println!("turns without a board: {plain:#?}");
    assert!(
        plain.iter().all(|t| !t.contains("single node")),
        "{plain:#?}"
    );
}

#[test]
fn a_malformed_board_file_is_a_clear_error_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("a.wav");
    std::fs::write(&wav, b"not audio either").unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "truncated.excalidraw",
            b"{\"type\":\"excalidraw\",\"elements\":[{\"id\":",
            "not valid JSON",
        ),
        (
            "notes.excalidraw",
            b"{\"type\":\"notes\"}",
            "no `elements` array",
        ),
        (
            "binary.excalidraw",
            &[0xff, 0xfe, 0x00, 0x01],
            "could not read the board file",
        ),
    ];
    for (name, bytes, says) in cases {
        let board = tmp.path().join(name);
        std::fs::write(&board, bytes).unwrap();
        let out = rehearse(
            tmp.path(),
            &[
                "practice",
                "--prompt",
                "doc-qa-10k",
                "--audio",
                wav.to_str().unwrap(),
                "--board",
                board.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success(), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
    }
    let missing = tmp.path().join("missing.excalidraw");
    let out = rehearse(
        tmp.path(),
        &[
            "practice",
            "--prompt",
            "doc-qa-10k",
            "--audio",
            wav.to_str().unwrap(),
            "--board",
            missing.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("could not read the board file")
            && err.contains("missing.excalidraw"),
        "{err}"
    );
    let list = rehearse(tmp.path(), &["sessions", "list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).trim(), "[]");
}

/// `rehearse board show`: what the interviewer reads from a diagram drawn by hand (logos with
/// captions, an arrow bound to a caption), in words and as JSON; and a clear error for a
/// file that is not a board.
#[test]
fn board_show_prints_the_graph_the_interviewer_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = fixture("drawn/llm-gateway-logos.excalidraw");
    let out = rehearse(&data, &["board", "show", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for label in ["LLM gateway", "Anthropic Claude", "Product apps"] {
        assert!(text.contains(label), "{label} missing from:\n{text}");
    }
    assert!(text.contains("->"), "no arrows in:\n{text}");
    let json = rehearse(&data, &["board", "show", file.to_str().unwrap(), "--json"]);
    assert!(json.status.success());
    let graph: rehearse_core::BoardGraph = serde_json::from_slice(&json.stdout).unwrap();
    assert!(graph.nodes.iter().any(|n| n.label == "LLM gateway"));
    assert!(!graph.edges.is_empty());
    let bad = tmp.path().join("not-a-board.excalidraw");
    std::fs::write(&bad, "{ this is not json").unwrap();
    let out = rehearse(&data, &["board", "show", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a whiteboard"), "{err}");
}
