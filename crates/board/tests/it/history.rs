//! A simulated 45-minute session: 400 edits to a board that grows to about 30 components,
//! recorded as diffs. Prints the stored size (against storing a full snapshot per change)
//! and checks that replaying the log gives the board exactly as it was at any moment.

use rehearse_board::history::{replay_at, BoardRecorder};
use rehearse_board::scene_to_graph;
use serde_json::{json, Value};
use std::time::Instant;

const BUILD: &str = if cfg!(debug_assertions) {
    "debug"
} else {
    "release"
};

/// A tiny deterministic generator (no dependency needed for a fixed simulation).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const LABELS: &[&str] = &[
    "Client",
    "CDN",
    "LB",
    "API gateway",
    "Query service",
    "Ingestion worker",
    "Kafka",
    "Redis",
    "Postgres",
    "DynamoDB",
    "pgvector",
    "S3",
    "Elasticsearch",
    "GPT-4o",
    "Embedding model",
    "Reranker",
    "Stripe",
    "Prometheus",
];

struct Board {
    elements: Vec<Value>,
    next_id: usize,
    clock: u64,
}

impl Board {
    fn touch(&mut self, i: usize) {
        self.clock += 1;
        let e = &mut self.elements[i];
        e["version"] = json!(e["version"].as_u64().unwrap_or(1) + 1);
        e["versionNonce"] = json!(self.clock * 7919 % 2_147_483_647);
        e["updated"] = json!(1_764_080_000_000u64 + self.clock * 1_000);
    }

    fn base(&mut self, ty: &str, x: f64, y: f64, w: f64, h: f64) -> Value {
        self.next_id += 1;
        json!({
            "id": format!("el{}-{}", self.next_id, "x".repeat(12)), "type": ty, "x": x, "y": y,
            "width": w, "height": h, "angle": 0, "strokeColor": "#1e1e1e",
            "backgroundColor": "transparent", "fillStyle": "solid", "strokeWidth": 2,
            "strokeStyle": "solid", "roughness": 1, "opacity": 100, "groupIds": [],
            "frameId": null, "index": format!("a{}", self.next_id), "roundness": {"type": 3},
            "seed": self.next_id * 104_729, "version": 1, "versionNonce": self.next_id * 31,
            "isDeleted": false, "boundElements": [], "updated": 1_764_080_000_000u64,
            "link": null, "locked": false
        })
    }

    fn add_component(&mut self, label: &str, x: f64, y: f64) -> usize {
        let mut rect = self.base("rectangle", x, y, 180.0, 80.0);
        let mut text = self.base("text", x + 40.0, y + 28.0, 100.0, 25.0);
        rect["boundElements"] = json!([{"type": "text", "id": text["id"]}]);
        text["text"] = json!(label);
        text["originalText"] = json!(label);
        text["containerId"] = rect["id"].clone();
        for (k, v) in [
            ("fontSize", json!(20)),
            ("fontFamily", json!(5)),
            ("textAlign", json!("center")),
            ("verticalAlign", json!("middle")),
            ("autoResize", json!(true)),
            ("lineHeight", json!(1.25)),
        ] {
            text[k] = v;
        }
        self.elements.push(rect);
        self.elements.push(text);
        self.elements.len() - 2
    }

    fn add_arrow(&mut self, from: usize, to: usize) {
        let (a, b) = (&self.elements[from], &self.elements[to]);
        let (x1, y1) = (
            a["x"].as_f64().unwrap() + 180.0,
            a["y"].as_f64().unwrap() + 40.0,
        );
        let (x2, y2) = (b["x"].as_f64().unwrap(), b["y"].as_f64().unwrap() + 40.0);
        let (fid, tid) = (a["id"].clone(), b["id"].clone());
        let mut arrow = self.base("arrow", x1, y1, (x2 - x1).abs(), (y2 - y1).abs());
        arrow["points"] = json!([[0, 0], [x2 - x1, y2 - y1]]);
        arrow["startBinding"] = json!({"elementId": fid, "focus": 0, "gap": 5});
        arrow["endBinding"] = json!({"elementId": tid, "focus": 0, "gap": 5});
        arrow["startArrowhead"] = Value::Null;
        arrow["endArrowhead"] = json!("arrow");
        arrow["elbowed"] = json!(false);
        arrow["roundness"] = json!({"type": 2});
        self.elements.push(arrow);
    }

    fn shapes(&self) -> Vec<usize> {
        (0..self.elements.len())
            .filter(|&i| {
                self.elements[i]["type"] == "rectangle" && self.elements[i]["isDeleted"] == false
            })
            .collect()
    }

    fn scene(&self) -> String {
        json!({"type": "excalidraw", "version": 2, "source": "https://excalidraw.com",
               "elements": self.elements, "appState": {"viewBackgroundColor": "#ffffff"},
               "files": {}})
        .to_string()
    }
}

#[test]
fn a_45_minute_session_of_400_edits_stays_small_and_replays_exactly() {
    let mut rng = Lcg(2026);
    let mut board = Board {
        elements: Vec::new(),
        next_id: 0,
        clock: 0,
    };
    let mut rec = BoardRecorder::new();
    let mut log: Vec<(f64, Vec<u8>)> = Vec::new();
    let mut scenes: Vec<(f64, String)> = Vec::new();
    let mut snapshot_bytes = 0usize;
    let session_s = 45.0 * 60.0;
    for edit in 0..400 {
        let at = session_s * (edit as f64 + 1.0) / 401.0;
        let shapes = board.shapes();
        let roll = rng.below(100);
        if shapes.len() < 30 && (shapes.len() < 4 || roll < 25) {
            let label = LABELS[rng.below(LABELS.len())];
            let i = board.add_component(label, rng.below(1600) as f64, rng.below(900) as f64);
            if !shapes.is_empty() {
                board.add_arrow(shapes[rng.below(shapes.len())], i);
            }
        } else if roll < 70 {
            // A drag: the shape, its label and its arrows move together.
            let i = shapes[rng.below(shapes.len())];
            let (dx, dy) = (rng.below(200) as f64 - 100.0, rng.below(200) as f64 - 100.0);
            for j in [i, i + 1] {
                board.elements[j]["x"] = json!(board.elements[j]["x"].as_f64().unwrap() + dx);
                board.elements[j]["y"] = json!(board.elements[j]["y"].as_f64().unwrap() + dy);
                board.touch(j);
            }
            let id = board.elements[i]["id"].clone();
            for k in 0..board.elements.len() {
                let e = &board.elements[k];
                if e["type"] == "arrow"
                    && (e["startBinding"]["elementId"] == id || e["endBinding"]["elementId"] == id)
                {
                    board.elements[k]["points"][1][0] =
                        json!(board.elements[k]["points"][1][0].as_f64().unwrap() + dx);
                    board.touch(k);
                }
            }
        } else if roll < 90 {
            // Relabel.
            let i = shapes[rng.below(shapes.len())] + 1;
            let label = format!("{} {}", LABELS[rng.below(LABELS.len())], edit);
            board.elements[i]["text"] = json!(label);
            board.elements[i]["originalText"] = json!(label);
            board.touch(i);
        } else if roll < 95 && shapes.len() > 4 {
            // Delete a component (Excalidraw keeps it, marked deleted).
            let i = shapes[rng.below(shapes.len())];
            for j in [i, i + 1] {
                board.elements[j]["isDeleted"] = json!(true);
                board.touch(j);
            }
        } else {
            // Connect two components.
            let (a, b) = (
                shapes[rng.below(shapes.len())],
                shapes[rng.below(shapes.len())],
            );
            if a != b {
                board.add_arrow(a, b);
            }
        }
        let scene = board.scene();
        snapshot_bytes += scene.len();
        if let Some(delta) = rec.record(&scene).unwrap() {
            log.push((at, delta.encode()));
        }
        if edit % 50 == 0 {
            // A selection or scroll change: the same elements again, nothing stored.
            assert!(rec.record(&scene).unwrap().is_none());
        }
        scenes.push((at, scene));
    }
    let stored: usize = log.iter().map(|(_, p)| p.len()).sum();
    let final_scene = &scenes.last().unwrap().1;
    let t = Instant::now();
    let final_graph = scene_to_graph(final_scene).unwrap();
    let first_ms = t.elapsed().as_secs_f64() * 1e3; // includes compiling the keyword rules
    let t = Instant::now();
    let _ = scene_to_graph(final_scene).unwrap();
    let convert_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "45-minute board: {} events, {} elements at the end ({} components, {} arrows); \
         history stored {:.1} KiB ({:.0} B/event) vs {:.1} KiB as full snapshots; final scene {:.1} KiB",
        log.len(),
        board.elements.len(),
        final_graph.nodes.len(),
        final_graph.edges.len(),
        stored as f64 / 1024.0,
        stored as f64 / log.len() as f64,
        snapshot_bytes as f64 / 1024.0,
        final_scene.len() as f64 / 1024.0,
    );
    println!(
        "scene -> graph of the final board: {convert_ms:.2} ms ({first_ms:.0} ms the first time, \
         compiling the keyword rules; {BUILD} build)"
    );
    assert_eq!(log.len(), 400, "every edit is one event");
    assert!(
        final_graph.nodes.len() >= 20,
        "the board grew: {}",
        final_graph.nodes.len()
    );
    assert!(
        stored * 20 < snapshot_bytes,
        "diffs must be far smaller than snapshots: {stored} vs {snapshot_bytes}"
    );

    // The board at any moment is the board as it was then.
    let events = || log.iter().map(|(t, p)| (*t, p.as_slice()));
    let started = Instant::now();
    for k in (0..scenes.len()).step_by(37).chain([scenes.len() - 1]) {
        let (at, scene) = &scenes[k];
        let replayed = replay_at(events(), *at).unwrap().unwrap();
        assert_eq!(
            scene_to_graph(&replayed).unwrap(),
            scene_to_graph(scene).unwrap(),
            "at {at:.1} s"
        );
        let live: Vec<Value> = serde_json::from_str::<Value>(scene).unwrap()["elements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["isDeleted"] == false)
            .cloned()
            .collect();
        let got: Value = serde_json::from_str(&replayed).unwrap();
        assert_eq!(got["elements"].as_array().unwrap(), &live, "at {at:.1} s");
    }
    assert!(
        replay_at(events(), 0.0).unwrap().is_none(),
        "nothing drawn before the first edit"
    );
    let t = Instant::now();
    let _ = replay_at(events(), f64::INFINITY).unwrap();
    println!(
        "replaying all {} events: {:.1} ms ({BUILD} build); checks took {:.0} ms",
        log.len(),
        t.elapsed().as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64() * 1e3
    );
}
