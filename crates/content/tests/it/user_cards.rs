//! The user's own cards, loaded beside the shipped ones from a folder on disk.

use rehearse_content::Content;
use std::path::Path;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const MY_CARD: &str = "+++\nid = \"my-kv-cache\"\nkind = \"concept\"\narea = \"llm-apis\"\n\
title = \"KV cache, in my words\"\ntags = [\"mine\"]\nrelated = [\"streaming-responses\"]\n+++\n\
The KV cache keeps attention keys and values so each new token costs one step, not the whole prompt.\n";

#[test]
fn a_users_card_joins_the_shipped_ones() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "cards/llm-apis/my-kv-cache.md", MY_CARD);
    let shipped = Content::embedded().unwrap().cards().len();
    let (content, problems) = Content::embedded_with_user_cards(tmp.path()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(content.cards().len(), shipped + 1);
    let card = content.card("my-kv-cache").expect("the user's card");
    assert_eq!(card.title, "KV cache, in my words");
}

#[test]
fn a_broken_user_card_is_reported_by_full_path_and_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "cards/llm-apis/my-kv-cache.md", MY_CARD);
    write(
        tmp.path(),
        "cards/agents/broken.md",
        "+++\nid = \"broken\"\nkind = \"concept\"\narea = \"agents\"\ntitle = \"Broken\"\nrelated = [\"no-such-card\"]\n+++\nBody\n",
    );
    let shipped = Content::embedded().unwrap().cards().len();
    let (content, problems) = Content::embedded_with_user_cards(tmp.path()).unwrap();
    assert_eq!(
        content.cards().len(),
        shipped,
        "the user's cards are left out"
    );
    let full = tmp
        .path()
        .join("cards/agents/broken.md")
        .display()
        .to_string();
    assert!(
        problems
            .iter()
            .any(|p| p.file == full && p.message.contains("no-such-card")),
        "{problems:?}"
    );
}

#[test]
fn no_user_folder_is_not_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let (content, problems) = Content::embedded_with_user_cards(tmp.path()).unwrap();
    assert!(problems.is_empty());
    assert_eq!(
        content.cards().len(),
        Content::embedded().unwrap().cards().len()
    );
}
