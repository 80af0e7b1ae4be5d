//! Property tests: whatever the input (arbitrary text, arbitrary JSON, mutated and truncated
//! real scenes, random element soups), `scene_to_graph` returns a graph or a clear error and
//! never panics; and the history's diffs replay to exactly the scene that was recorded.

use proptest::prelude::*;
use rehearse_board::history::{replay_at, BoardRecorder};
use rehearse_board::scene_to_graph;
use rehearse_core::BoardGraph;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::path::PathBuf;

/// The scenes in `tests/fixtures/` and the drawn ones in `tests/fixtures/drawn/`.
fn fixtures() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<String> = [dir.clone(), dir.join("drawn")]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "excalidraw"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    out.sort();
    out
}

fn assert_consistent(g: &BoardGraph) {
    let ids: HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), g.nodes.len(), "duplicate node ids");
    for e in &g.edges {
        assert!(ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()));
        assert_ne!(e.from, e.to);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|n| json!(n)),
        "[a-z0-9 ]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "rectangle",
            "ellipse",
            "diamond",
            "text",
            "arrow",
            "line",
            "frame",
            "image",
            "freedraw",
            "excalidraw",
            "a",
            "b",
            "c",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "id",
                        "type",
                        "x",
                        "y",
                        "width",
                        "height",
                        "angle",
                        "points",
                        "elements",
                        "containerId",
                        "startBinding",
                        "endBinding",
                        "elementId",
                        "isDeleted",
                        "groupIds",
                        "text",
                        "originalText",
                        "customData",
                        "rehearseType",
                        "startArrowhead",
                        "endArrowhead",
                        "version",
                        "files",
                    ]),
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// A random element drawn from a small id pool, so bindings, containers and groups point at
/// each other (and at missing, deleted or duplicated ids).
fn arb_element() -> impl Strategy<Value = Value> {
    let id = prop::sample::select(vec!["a", "b", "c", "d", "e", "f", "g", "h"]);
    let ty = prop::sample::select(vec![
        "rectangle",
        "ellipse",
        "diamond",
        "image",
        "text",
        "text",
        "arrow",
        "arrow",
        "line",
        "frame",
        "freedraw",
        "embeddable",
        "selection",
        "weird",
    ]);
    let label = prop::sample::select(vec![
        "Postgres",
        "pgvector",
        "Redis",
        "Kafka",
        "S3",
        "GPT-4",
        "LB",
        "Users",
        "API",
        "",
        "  ",
        "Query service",
        "notes about stuff",
    ]);
    let kind = prop::sample::select(vec![
        "vector_store",
        "llm",
        "queue",
        "service",
        "nonsense",
        "",
    ]);
    let coord = prop_oneof![(-500.0f64..1500.0), Just(0.0), Just(-1e300), Just(1e300)];
    (
        id.clone(),
        ty,
        label,
        (coord.clone(), coord.clone(), coord.clone(), coord.clone()),
        (
            prop::option::of(id.clone()),
            prop::option::of(id.clone()),
            prop::option::of(id),
        ),
        (
            any::<bool>(),
            prop::option::of(kind),
            0u32..5,
            prop::option::of(prop::sample::select(vec!["g1", "g2"])),
        ),
        prop::collection::vec((-300.0f64..300.0, -300.0f64..300.0), 0..4),
    )
        .prop_map(
            |(
                id,
                ty,
                label,
                (x, y, w, h),
                (start, end, container),
                (deleted, kind, version, group),
                points,
            )| {
                let mut m = Map::new();
                m.insert("id".into(), json!(id));
                m.insert("type".into(), json!(ty));
                m.insert("x".into(), json!(x));
                m.insert("y".into(), json!(y));
                m.insert("width".into(), json!(w));
                m.insert("height".into(), json!(h));
                m.insert("version".into(), json!(version));
                m.insert("isDeleted".into(), json!(deleted));
                m.insert("text".into(), json!(label));
                m.insert("containerId".into(), json!(container));
                m.insert(
                    "groupIds".into(),
                    json!(group.into_iter().collect::<Vec<_>>()),
                );
                m.insert(
                    "points".into(),
                    json!(points.iter().map(|(a, b)| [*a, *b]).collect::<Vec<_>>()),
                );
                m.insert(
                    "startBinding".into(),
                    json!(start.map(|s| json!({"elementId": s}))),
                );
                m.insert(
                    "endBinding".into(),
                    json!(end.map(|s| json!({"elementId": s}))),
                );
                m.insert("endArrowhead".into(), json!("arrow"));
                if let Some(k) = kind {
                    m.insert("customData".into(), json!({"rehearseType": k}));
                }
                Value::Object(m)
            },
        )
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(arb_element(), 0..24)
        .prop_map(|els| json!({"type": "excalidraw", "version": 2, "elements": els}).to_string())
}

/// The live elements of a scene, as the history keeps them (deleted and malformed dropped,
/// first of a duplicated id wins).
fn live_elements(scene: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(scene).unwrap();
    let mut seen = HashSet::new();
    v["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["isDeleted"] != true && e["type"].is_string())
        .filter(|e| {
            e["id"]
                .as_str()
                .is_some_and(|id| !id.is_empty() && seen.insert(id.to_string()))
        })
        .cloned()
        .collect()
}

fn versioned(scene: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut v: Value = serde_json::from_str(scene).unwrap();
    for e in v["elements"].as_array_mut().unwrap() {
        e["version"] = json!(0);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        e.to_string().hash(&mut h);
        e["version"] = json!(h.finish() % 1_000_000_007);
    }
    v.to_string()
}

/// Applies one random change to a JSON tree: a value replaced, a key dropped, an array cut.
fn mutate(v: &mut Value, path: &[usize], replacement: &Value) {
    let Some((&step, rest)) = path.split_first() else {
        *v = replacement.clone();
        return;
    };
    match v {
        Value::Array(items) if !items.is_empty() => {
            let i = step % items.len();
            if rest.is_empty() && step % 3 == 0 {
                items.truncate(i);
            } else {
                mutate(&mut items[i], rest, replacement);
            }
        }
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(step % map.len())
                .cloned()
                .unwrap_or_default();
            if rest.is_empty() && step % 3 == 0 {
                map.remove(&key);
            } else if let Some(child) = map.get_mut(&key) {
                mutate(child, rest, replacement);
            }
        }
        _ => *v = replacement.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = scene_to_graph(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        if let Ok(g) = scene_to_graph(&v.to_string()) {
            assert_consistent(&g);
        }
        let wrapped = json!({"type": "excalidraw", "elements": [v]}).to_string();
        assert_consistent(&scene_to_graph(&wrapped).unwrap());
    }

    #[test]
    fn truncated_real_scenes_are_errors_not_panics(which in 0usize..64, cut in 0.0f64..1.0) {
        let all = fixtures();
        let scene = &all[which % all.len()];
        let mut at = (scene.len() as f64 * cut) as usize;
        while !scene.is_char_boundary(at) { at -= 1; }
        match scene_to_graph(&scene[..at]) {
            Ok(g) => assert_consistent(&g),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn mutated_real_scenes_never_panic(
        which in 0usize..64,
        mutations in prop::collection::vec((prop::collection::vec(0usize..40, 1..6), arb_json()), 1..8),
    ) {
        let all = fixtures();
        let mut v: Value = serde_json::from_str(&all[which % all.len()]).unwrap();
        for (path, replacement) in &mutations {
            mutate(&mut v, path, replacement);
        }
        if let Ok(g) = scene_to_graph(&v.to_string()) {
            assert_consistent(&g);
        }
    }

    #[test]
    fn element_soups_convert_consistently(scene in soup()) {
        let g = scene_to_graph(&scene).unwrap();
        assert_consistent(&g);
    }

    #[test]
    fn history_replays_exactly_what_was_recorded(scenes in prop::collection::vec(soup(), 1..6)) {
        // Excalidraw bumps `version` on every edit: an element's version here is its content.
        let scenes: Vec<String> = scenes.iter().map(|s| versioned(s)).collect();
        let mut rec = BoardRecorder::new();
        let mut events: Vec<(f64, Vec<u8>)> = Vec::new();
        for (i, scene) in scenes.iter().enumerate() {
            if let Some(delta) = rec.record(scene).unwrap() {
                events.push((i as f64, delta.encode()));
            }
            let replayed = replay_at(events.iter().map(|(t, p)| (*t, p.as_slice())), i as f64)
                .unwrap()
                .unwrap_or_else(|| json!({"elements": []}).to_string());
            let got: Value = serde_json::from_str(&replayed).unwrap();
            prop_assert_eq!(got["elements"].as_array().unwrap(), &live_elements(scene));
            prop_assert_eq!(scene_to_graph(&replayed).unwrap(), scene_to_graph(scene).unwrap());
        }
    }
}
