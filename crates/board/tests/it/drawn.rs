//! Precision and recall of `scene_to_graph` on diagrams drawn the way people draw them in
//! Excalidraw (`tests/fixtures/drawn/*.excalidraw`), each next to a `<name>.expected.toml`
//! with the graph a person sees. Components are matched by normalised label, edges by the
//! labels of their ends (either way round when either side has no direction), notes by
//! normalised text. Prints a table per file and in total; asserts floors on the totals.
//!
//! `cargo test -p rehearse-board --test it drawn:: -- --nocapture` shows the table.

use rehearse_board::{describe, scene_to_graph};
use rehearse_core::BoardGraph;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    component: Vec<ExpectedComponent>,
    #[serde(default)]
    edge: Vec<ExpectedEdge>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedComponent {
    label: String,
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedEdge {
    from: String,
    to: String,
    label: Option<String>,
    #[serde(default = "directed_by_default")]
    directed: bool,
}

fn directed_by_default() -> bool {
    true
}

fn drawn_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drawn")
}

/// Every drawn scene with its expectation, by file stem.
fn drawn_fixtures() -> Vec<(String, String, Expected)> {
    let mut out: Vec<(String, String, Expected)> = std::fs::read_dir(drawn_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "excalidraw"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let scene = std::fs::read_to_string(&p).unwrap();
            let expected_path = p.with_extension("expected.toml");
            let text = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            let expected: Expected = toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            (stem, scene, expected)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Lower case, punctuation as spaces, single spaces: "Payments (Stripe)" == "payments stripe".
fn norm(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    comp_found: usize,
    comp_expected: usize,
    comp_matched: usize,
    kind_given: usize,
    kind_right: usize,
    edge_found: usize,
    edge_expected: usize,
    edge_matched: usize,
    edge_label_given: usize,
    edge_label_right: usize,
    note_expected: usize,
    note_matched: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.comp_found += o.comp_found;
        self.comp_expected += o.comp_expected;
        self.comp_matched += o.comp_matched;
        self.kind_given += o.kind_given;
        self.kind_right += o.kind_right;
        self.edge_found += o.edge_found;
        self.edge_expected += o.edge_expected;
        self.edge_matched += o.edge_matched;
        self.edge_label_given += o.edge_label_given;
        self.edge_label_right += o.edge_label_right;
        self.note_expected += o.note_expected;
        self.note_matched += o.note_matched;
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Scores one graph; `misses` collects what was expected and not found (and vice versa).
fn score(g: &BoardGraph, want: &Expected, misses: &mut Vec<String>) -> Score {
    let mut s = Score {
        comp_found: g.nodes.len(),
        comp_expected: want.component.len(),
        edge_found: g.edges.len(),
        edge_expected: want.edge.len(),
        note_expected: want.notes.len(),
        ..Score::default()
    };

    let mut used = vec![false; g.nodes.len()];
    for c in &want.component {
        let hit = g
            .nodes
            .iter()
            .enumerate()
            .find(|(i, n)| !used[*i] && norm(&n.label) == norm(&c.label));
        match hit {
            Some((i, n)) => {
                used[i] = true;
                s.comp_matched += 1;
                if let Some(kind) = &c.kind {
                    s.kind_given += 1;
                    if n.kind.as_str() == kind {
                        s.kind_right += 1;
                    } else {
                        misses.push(format!(
                            "kind of {:?}: {} (expected {kind})",
                            c.label,
                            n.kind.as_str()
                        ));
                    }
                }
            }
            None => misses.push(format!("missing component {:?}", c.label)),
        }
    }
    for (i, n) in g.nodes.iter().enumerate() {
        if !used[i] {
            misses.push(format!(
                "extra component {:?} ({})",
                n.label,
                n.kind.as_str()
            ));
        }
    }

    let label_of: HashMap<&str, String> = g
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), norm(&n.label)))
        .collect();
    let ends = |id: &str| label_of.get(id).cloned().unwrap_or_default();
    let mut used = vec![false; g.edges.len()];
    for e in &want.edge {
        let (from, to) = (norm(&e.from), norm(&e.to));
        let hit = g.edges.iter().enumerate().find(|(i, f)| {
            let (ff, ft) = (ends(&f.from), ends(&f.to));
            !used[*i]
                && ((ff == from && ft == to)
                    || ((!e.directed || !f.directed) && ff == to && ft == from))
        });
        match hit {
            Some((i, f)) => {
                used[i] = true;
                s.edge_matched += 1;
                if let Some(label) = &e.label {
                    s.edge_label_given += 1;
                    if f.label.as_deref().map(norm) == Some(norm(label)) {
                        s.edge_label_right += 1;
                    } else {
                        misses.push(format!(
                            "label of {} -> {}: {:?} (expected {label:?})",
                            e.from, e.to, f.label
                        ));
                    }
                }
            }
            None => misses.push(format!("missing edge {} -> {}", e.from, e.to)),
        }
    }
    for (i, f) in g.edges.iter().enumerate() {
        if !used[i] {
            misses.push(format!(
                "extra edge {:?} -> {:?} ({:?})",
                ends(&f.from),
                ends(&f.to),
                f.label
            ));
        }
    }

    let mut used = vec![false; g.notes.len()];
    for n in &want.notes {
        match g
            .notes
            .iter()
            .enumerate()
            .find(|(i, f)| !used[*i] && norm(f) == norm(n))
        {
            Some((i, _)) => {
                used[i] = true;
                s.note_matched += 1;
            }
            None => misses.push(format!("missing note {n:?}")),
        }
    }
    for (i, n) in g.notes.iter().enumerate() {
        if !used[i] {
            misses.push(format!("extra note {n:?}"));
        }
    }
    s
}

fn row(name: &str, s: &Score) -> String {
    format!(
        "{name:<34} {:>3}/{:<3} {:>5.2} {:>5.2} | {:>3}/{:<3} {:>5.2} {:>5.2} {:>5.2} | {:>5.2} | {:>5.2}",
        s.comp_found,
        s.comp_expected,
        ratio(s.comp_matched, s.comp_found),
        ratio(s.comp_matched, s.comp_expected),
        s.edge_found,
        s.edge_expected,
        ratio(s.edge_matched, s.edge_found),
        ratio(s.edge_matched, s.edge_expected),
        ratio(s.edge_label_right, s.edge_label_given),
        ratio(s.kind_right, s.kind_given),
        ratio(s.note_matched, s.note_expected),
    )
}

#[test]
fn drawn_diagrams_are_read_as_a_person_reads_them() {
    let fixtures = drawn_fixtures();
    assert!(
        fixtures.len() >= 8,
        "drawn fixtures missing: {}",
        fixtures.len()
    );
    println!(
        "{:<34} {:>7} {:>5} {:>5} | {:>7} {:>5} {:>5} {:>5} | {:>5} | {:>5}",
        "file", "comps", "P", "R", "edges", "P", "R", "label", "kind", "notes"
    );
    let mut total = Score::default();
    let mut worst_recall: f64 = 1.0;
    for (name, scene, want) in &fixtures {
        let g = scene_to_graph(scene).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut misses = Vec::new();
        let s = score(&g, want, &mut misses);
        println!("{}", row(name, &s));
        for m in &misses {
            println!("    {m}");
        }
        worst_recall = worst_recall
            .min(ratio(s.comp_matched, s.comp_expected))
            .min(ratio(s.edge_matched, s.edge_expected));
        total.add(&s);
    }
    println!("{}", row("TOTAL", &total));

    let comp_p = ratio(total.comp_matched, total.comp_found);
    let comp_r = ratio(total.comp_matched, total.comp_expected);
    let edge_p = ratio(total.edge_matched, total.edge_found);
    let edge_r = ratio(total.edge_matched, total.edge_expected);
    let floors = [
        ("component precision", comp_p, 0.95),
        ("component recall", comp_r, 0.95),
        ("edge precision", edge_p, 0.95),
        ("edge recall", edge_r, 0.9),
        ("worst per-file recall", worst_recall, 0.8),
    ];
    for (what, got, floor) in floors {
        assert!(got >= floor, "{what} {got:.2} is under its floor {floor}");
    }
}

#[test]
fn the_description_of_a_drawn_board_names_what_a_person_sees() {
    for (name, scene, want) in drawn_fixtures() {
        let text = describe(&scene_to_graph(&scene).unwrap());
        for c in &want.component {
            assert!(
                text.contains(&c.label),
                "{name}: {:?} not in\n{text}",
                c.label
            );
        }
        for n in &want.notes {
            assert!(
                text.contains(n.as_str()),
                "{name}: note {n:?} not in\n{text}"
            );
        }
        if name == "rag-pipeline-frames" {
            println!("{text}");
            assert!(text.contains("  - Qdrant: vector store\n"), "{text}");
            assert!(
                text.contains("  - Retriever -> Qdrant (top-20)\n"),
                "{text}"
            );
        }
    }
}

#[test]
fn drawn_scenes_convert_the_same_from_a_bare_elements_array() {
    for (name, scene, _) in drawn_fixtures() {
        let g = scene_to_graph(&scene).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v: serde_json::Value = serde_json::from_str(&scene).unwrap();
        let bare = serde_json::to_string(&v["elements"]).unwrap();
        assert_eq!(scene_to_graph(&bare).unwrap(), g, "{name}");
        let ids: std::collections::HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids.len(), g.nodes.len(), "{name}: duplicate node ids");
        for e in &g.edges {
            assert!(
                ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()),
                "{name}: {e:?}"
            );
            assert_ne!(e.from, e.to, "{name}: self-loop {e:?}");
        }
    }
}
