//! The graph as plain text, to show a person what the interviewer understood of a board
//! (`rehearse board show FILE`).

use rehearse_core::{BoardGraph, ComponentKind};
use std::collections::HashMap;
use std::fmt::Write;

/// Lists the components with their kind and label, the arrows as `A -> B (label)` (`A -- B`
/// when no direction is drawn), and the notes.
pub fn describe(graph: &BoardGraph) -> String {
    if graph.is_empty() {
        return "The board is empty: no components, arrows or notes.\n".to_string();
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for n in &graph.nodes {
        *seen.entry(n.label.as_str()).or_default() += 1;
    }
    // How a node is named in the lists: its label, with its id where that is ambiguous.
    let name_of = |id: &str| -> String {
        match graph.node(id) {
            Some(n) if n.label.is_empty() => format!("(no label, id {})", n.id),
            Some(n) if seen.get(n.label.as_str()).copied().unwrap_or(0) > 1 => {
                format!("{} (id {})", n.label, n.id)
            }
            Some(n) => n.label.clone(),
            None => format!("(id {id})"),
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "Components ({}):", graph.nodes.len());
    if graph.nodes.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for n in &graph.nodes {
        let kind = match n.kind {
            ComponentKind::Unknown => "kind not recognised".to_string(),
            k => k.display_name().to_string(),
        };
        let _ = writeln!(out, "  - {}: {kind}", name_of(&n.id));
    }
    let _ = writeln!(out, "Arrows ({}):", graph.edges.len());
    if graph.edges.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for e in &graph.edges {
        let arrow = if e.directed { "->" } else { "--" };
        let label = e
            .label
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  - {} {arrow} {}{label}",
            name_of(&e.from),
            name_of(&e.to)
        );
    }
    if !graph.notes.is_empty() {
        let _ = writeln!(out, "Notes ({}):", graph.notes.len());
        for note in &graph.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehearse_core::{BoardEdge, BoardNode};

    fn node(id: &str, kind: ComponentKind, label: &str) -> BoardNode {
        BoardNode {
            id: id.into(),
            kind,
            label: label.into(),
        }
    }

    fn edge(from: &str, to: &str, label: Option<&str>, directed: bool) -> BoardEdge {
        BoardEdge {
            from: from.into(),
            to: to.into(),
            label: label.map(Into::into),
            directed,
        }
    }

    #[test]
    fn components_arrows_and_notes_are_listed_by_label() {
        use ComponentKind::*;
        let g = BoardGraph {
            nodes: vec![
                node("c", Client, "User"),
                node("api", Service, "Chat API"),
                node("q", VectorStore, "Qdrant"),
                node("x", Unknown, "Chunker"),
            ],
            edges: vec![
                edge("c", "api", Some("question"), true),
                edge("api", "q", None, true),
                edge("api", "x", Some("sync"), false),
            ],
            notes: vec!["p95 < 2 s".into()],
        };
        assert_eq!(
            describe(&g),
            "Components (4):\n\
             \x20 - User: client\n\
             \x20 - Chat API: service\n\
             \x20 - Qdrant: vector store\n\
             \x20 - Chunker: kind not recognised\n\
             Arrows (3):\n\
             \x20 - User -> Chat API (question)\n\
             \x20 - Chat API -> Qdrant\n\
             \x20 - Chat API -- Chunker (sync)\n\
             Notes (1):\n\
             \x20 - p95 < 2 s\n"
        );
    }

    #[test]
    fn unlabelled_and_same_named_components_are_told_apart_by_id() {
        use ComponentKind::*;
        let g = BoardGraph {
            nodes: vec![
                node("w1", Worker, "Worker"),
                node("w2", Worker, "Worker"),
                node("b", Unknown, ""),
            ],
            edges: vec![edge("w1", "b", None, true)],
            notes: vec![],
        };
        let text = describe(&g);
        assert!(text.contains("  - Worker (id w1): worker\n"), "{text}");
        assert!(text.contains("  - Worker (id w2): worker\n"), "{text}");
        assert!(
            text.contains("  - Worker (id w1) -> (no label, id b)\n"),
            "{text}"
        );
        assert!(!text.contains("Notes"), "{text}");
    }

    #[test]
    fn an_empty_board_says_so() {
        assert!(describe(&BoardGraph::default()).starts_with("The board is empty"));
        let notes_only = BoardGraph {
            notes: vec!["TODO".into()],
            ..BoardGraph::default()
        };
        let text = describe(&notes_only);
        assert!(text.contains("Components (0):\n  (none)\n"), "{text}");
        assert!(text.contains("Notes (1):\n  - TODO\n"), "{text}");
    }
}
