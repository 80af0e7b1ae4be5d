//! Any bytes: a graph or a `BoardError`, never a panic; a graph's edges join its nodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(graph) = rehearse_board::scene_to_graph(text) {
        for e in &graph.edges {
            assert!(graph.node(&e.from).is_some() && graph.node(&e.to).is_some());
            assert_ne!(e.from, e.to);
        }
    }
});
