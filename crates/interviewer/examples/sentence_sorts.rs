//! Prints how the offline grader reads each sentence of a text file (says / mentions /
//! lists) and the evidence it finds: `cargo run -p rehearse-interviewer --example
//! sentence_sorts -- FILE [PROMPT]`. For looking at why an answer scored what it did.

use rehearse_content::Content;
use rehearse_core::Segment;
use rehearse_interviewer::{find_evidence, sort_of};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("give a text file")?;
    let prompt = args.next().unwrap_or_else(|| "doc-qa-10k".into());
    let text = std::fs::read_to_string(path)?;
    let content = Content::embedded()?;
    let (_, rubric) = content.prompt_with_rubric(&prompt)?;
    let segments = vec![Segment {
        t0: 0.0,
        t1: 60.0,
        text: text.clone(),
        words: Vec::new(),
    }];
    for s in text.split_inclusive(['.', '?', '!']) {
        println!("{:?}: {}", sort_of(s), s.trim());
    }
    for (dim, ev) in find_evidence(rubric, &segments) {
        println!(
            "\n{dim}: concepts {:?}",
            ev.concepts.keys().collect::<Vec<_>>()
        );
        for (name, e) in &ev.concepts {
            println!("  {name}: {}", e.quote);
        }
        println!(
            "  mentioned {:?}, numbers {}",
            ev.mentioned.keys().collect::<Vec<_>>(),
            ev.numbers.len()
        );
    }
    Ok(())
}
