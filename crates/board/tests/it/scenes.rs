//! Scene -> graph on Excalidraw scenes in the saved format: every `*.excalidraw` file in
//! `tests/fixtures/` (scenes saved from the app and hand-made edge cases) must convert and
//! keep the graph's invariants; some have specific expectations.

use rehearse_board::history::{replay_final, BoardRecorder};
use rehearse_board::{scene_to_graph, BoardError};
use rehearse_core::{BoardGraph, ComponentKind};
use std::collections::HashSet;
use std::path::PathBuf;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> String {
    let path = fixtures_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn all_fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "excalidraw"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// What holds for any graph: unique node ids, edges between nodes, one-line trimmed labels,
/// nothing deleted in it.
fn check_invariants(name: &str, scene: &str, g: &BoardGraph) {
    let ids: HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), g.nodes.len(), "{name}: duplicate node ids");
    let value: serde_json::Value = serde_json::from_str(scene).unwrap();
    let deleted: HashSet<&str> = value["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["isDeleted"] == true)
        .filter_map(|e| e["id"].as_str())
        .collect();
    for n in &g.nodes {
        assert!(
            !deleted.contains(n.id.as_str()),
            "{name}: deleted node {}",
            n.id
        );
        assert_eq!(n.label, n.label.trim(), "{name}: label not trimmed");
        assert!(
            !n.label.contains('\n'),
            "{name}: multi-line label {:?}",
            n.label
        );
    }
    for e in &g.edges {
        assert!(
            ids.contains(e.from.as_str()),
            "{name}: edge from a non-node {e:?}"
        );
        assert!(
            ids.contains(e.to.as_str()),
            "{name}: edge to a non-node {e:?}"
        );
        assert_ne!(e.from, e.to, "{name}: self-loop {e:?}");
    }
    for note in &g.notes {
        assert!(!note.trim().is_empty(), "{name}: empty note");
    }
}

#[test]
fn every_fixture_converts_and_keeps_the_invariants() {
    let fixtures = all_fixtures();
    assert!(fixtures.len() >= 3, "fixtures missing: {fixtures:?}");
    for (name, scene) in &fixtures {
        let g = scene_to_graph(scene).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_invariants(name, scene, &g);
        assert!(!g.nodes.is_empty(), "{name}: no components read");
        // A bare elements array is read the same.
        let v: serde_json::Value = serde_json::from_str(scene).unwrap();
        let bare = serde_json::to_string(&v["elements"]).unwrap();
        assert_eq!(
            scene_to_graph(&bare).unwrap(),
            g,
            "{name}: bare array differs"
        );
        println!(
            "{name}: {} nodes, {} edges, {} notes",
            g.nodes.len(),
            g.edges.len(),
            g.notes.len()
        );
    }
}

#[test]
fn every_fixture_survives_the_history_round_trip() {
    for (name, scene) in all_fixtures() {
        let mut rec = BoardRecorder::new();
        let delta = rec
            .record(&scene)
            .unwrap()
            .expect("a first scene is a change");
        assert!(
            rec.record(&scene).unwrap().is_none(),
            "{name}: same scene twice"
        );
        let payload = delta.encode();
        let replayed = replay_final([(0.0, payload.as_slice())]).unwrap().unwrap();
        assert_eq!(
            scene_to_graph(&replayed).unwrap(),
            scene_to_graph(&scene).unwrap(),
            "{name}: the replayed board reads differently"
        );
    }
}

fn node<'a>(g: &'a BoardGraph, label: &str) -> &'a rehearse_core::BoardNode {
    g.nodes
        .iter()
        .find(|n| n.label == label)
        .unwrap_or_else(|| panic!("no node {label:?} in {:#?}", g.nodes))
}

fn has_edge(g: &BoardGraph, from: &str, to: &str, directed: bool) -> bool {
    let (f, t) = (&node(g, from).id, &node(g, to).id);
    g.edges
        .iter()
        .any(|e| &e.from == f && &e.to == t && e.directed == directed)
}

#[test]
fn a_rag_board_reads_as_typed_components_and_labelled_arrows() {
    let g = scene_to_graph(&fixture("rag-single-vector-store.excalidraw")).unwrap();
    let kinds: Vec<(&str, ComponentKind)> =
        g.nodes.iter().map(|n| (n.label.as_str(), n.kind)).collect();
    use ComponentKind::*;
    assert_eq!(
        kinds,
        [
            ("Client", Client),
            ("API gateway", ApiGateway),
            ("Query service", Service),
            ("Postgres + pgvector", VectorStore),
            ("GPT-4o", Llm),
            ("Embedding model", EmbeddingModel),
            ("Ingestion worker", Worker),
            ("S3 (raw docs)", ObjectStorage),
        ],
        "the deleted \"Old cache\" is gone"
    );
    assert_eq!(g.edges.len(), 7, "{:#?}", g.edges);
    assert!(has_edge(&g, "Client", "API gateway", true));
    assert!(has_edge(&g, "Query service", "Postgres + pgvector", true));
    // Drawn from the worker to S3 with the head at the start: S3 feeds the worker.
    assert!(has_edge(&g, "S3 (raw docs)", "Ingestion worker", true));
    let to_llm = g
        .edges
        .iter()
        .find(|e| e.to == node(&g, "GPT-4o").id)
        .unwrap();
    assert_eq!(to_llm.label.as_deref(), Some("prompt + chunks"));
    assert_eq!(g.notes, ["p95 < 2 s, 50 QPS"]);
}

#[test]
fn library_groups_unbound_arrows_and_frames_are_read() {
    let g = scene_to_graph(&fixture("write-path-library-groups.excalidraw")).unwrap();
    use ComponentKind::*;
    assert_eq!(node(&g, "Users").kind, Client);
    assert_eq!(node(&g, "LB").kind, LoadBalancer);
    // Free text grouped with its box is the box's label; the type comes from customData.
    assert_eq!(node(&g, "Orders API").kind, Service);
    assert_eq!(node(&g, "Postgres").kind, RelationalDb);
    assert_eq!(g.nodes.len(), 4, "{:#?}", g.nodes);
    assert!(has_edge(&g, "Users", "LB", true));
    // Unbound arrows attach to the shapes their ends lie in.
    assert!(has_edge(&g, "LB", "Orders API", true));
    assert!(has_edge(&g, "Orders API", "Postgres", true));
    let write = g
        .edges
        .iter()
        .find(|e| e.to == node(&g, "Postgres").id)
        .unwrap();
    assert_eq!(write.label.as_deref(), Some("INSERT order"));
    assert_eq!(
        g.edges.len(),
        3,
        "the arrow to nowhere and the line are not edges"
    );
    assert!(g.notes.contains(&"10k writes/s at peak".to_string()));
    assert!(
        g.notes.contains(&"Write path".to_string()),
        "the frame's name"
    );
}

#[test]
fn a_messy_board_is_read_as_far_as_it_makes_sense() {
    let g = scene_to_graph(&fixture("messy-tolerant.excalidraw")).unwrap();
    use ComponentKind::*;
    assert_eq!(node(&g, "Redis").kind, Cache);
    assert_eq!(node(&g, "Kafka").kind, Queue);
    let image = g.nodes.iter().find(|n| n.id == "img1").unwrap();
    assert_eq!((image.kind, image.label.as_str()), (Monitoring, ""));
    assert!(g.node("blank").is_none(), "a bare region is decoration");
    assert!(g.node("gone").is_none());
    assert!(g.node("emb1").is_none(), "an embed with no words or arrows");
    // Double-headed: no direction.
    assert!(has_edge(&g, "Checkout service", "Redis", false));
    assert!(
        has_edge(&g, "Checkout service", "Kafka", true),
        "elbow arrow"
    );
    assert!(g
        .edges
        .iter()
        .any(|e| e.from == node(&g, "Checkout service").id && e.to == "img1" && e.directed));
    assert_eq!(
        g.edges.len(),
        3,
        "the arrow into the deleted shape is dropped"
    );
    // Text whose container was deleted is a note.
    assert_eq!(g.notes, ["Stripe"]);
}

#[test]
fn scenes_saved_from_the_app_are_typed_from_the_library_and_from_labels() {
    let g = scene_to_graph(&fixture("app-doc-qa-board.excalidraw")).unwrap();
    use ComponentKind::*;
    assert_eq!(node(&g, "Chunk vectors").kind, VectorStore);
    assert_eq!(node(&g, "Ingest queue").kind, Queue);
    assert!(has_edge(&g, "Ingest queue", "Chunk vectors", true));
    let g = scene_to_graph(&fixture("app-freehand-labels.excalidraw")).unwrap();
    assert_eq!(node(&g, "Web app").kind, Client);
    assert_eq!(node(&g, "Kong gateway").kind, ApiGateway);
    assert_eq!(node(&g, "Redis").kind, Cache);
    assert_eq!(node(&g, "Postgres primary").kind, RelationalDb);
    let writes = g
        .edges
        .iter()
        .find(|e| e.to == node(&g, "Postgres primary").id)
        .unwrap();
    assert_eq!(writes.label.as_deref(), Some("writes"));
    assert!(g.notes.contains(&"TODO: add monitoring".to_string()));
}

#[test]
fn malformed_scenes_are_clear_errors() {
    let cases = [
        ("", "not valid JSON"),
        ("{\"type\":\"excalidraw\",\"elements\":[", "not valid JSON"),
        ("{\"type\":\"excalidraw\"}", "no `elements` array"),
        ("{\"elements\":{}}", "`elements` is not an array"),
        ("42", "expected an Excalidraw scene"),
        ("\"elements\"", "expected an Excalidraw scene"),
    ];
    for (input, says) in cases {
        let err = scene_to_graph(input).unwrap_err();
        assert!(err.to_string().contains(says), "{input:?}: {err}");
    }
    let deep = "[".repeat(10_000);
    assert!(matches!(scene_to_graph(&deep), Err(BoardError::Json(_))));
    // Elements that are not elements are skipped, not errors.
    let g = scene_to_graph(r#"[1, null, "x", {}, {"id": 5, "type": "rectangle"}, {"id": "a"}]"#)
        .unwrap();
    assert!(g.is_empty());
}
