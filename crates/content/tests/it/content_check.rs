//! The shipped content passes the validator, and broken trees are reported with `file:line`.

use rehearse_content::{
    check_dir, check_embedded, check_summary, CardKind, Content, ContentProblem, ALL_AREAS,
};
use rehearse_core::ALL_DIMENSIONS;
use std::path::Path;

fn shipped_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

fn show(problems: &[ContentProblem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shipped_content_has_no_problems() {
    let embedded = check_embedded();
    assert!(embedded.is_empty(), "{}", show(&embedded));
    let on_disk = check_dir(&shipped_root());
    assert!(on_disk.is_empty(), "{}", show(&on_disk));
    assert_eq!(check_summary(&[]), "content OK: no problems found");
}

#[test]
fn shipped_content_has_the_required_counts() {
    let c = Content::embedded().unwrap();
    for area in ALL_AREAS {
        let cards = c.cards_in(area);
        let overviews = cards
            .iter()
            .filter(|x| x.kind == CardKind::Overview)
            .count();
        let concepts = cards.iter().filter(|x| x.kind == CardKind::Concept).count();
        assert_eq!(overviews, 1, "{area} needs exactly one overview");
        assert!(concepts >= 4, "{area} has {concepts} concept cards");
        assert_eq!(cards[0].kind, CardKind::Overview);
    }
    let questions: Vec<_> = c
        .cards()
        .iter()
        .filter(|x| x.kind == CardKind::Question)
        .collect();
    assert_eq!(questions.len(), 10);
    for q in &questions {
        assert!(q.key_points.len() >= 3, "{} has too few key points", q.id);
        assert!(
            q.key_points.iter().all(|k| k.phrases.len() >= 2),
            "{}",
            q.id
        );
        assert!(
            !q.weak_answers.is_empty() && !q.followups.is_empty(),
            "{}",
            q.id
        );
    }
    let mistakes = c
        .cards()
        .iter()
        .filter(|x| x.kind == CardKind::Mistake)
        .count();
    assert!(mistakes >= 5, "{mistakes} mistake cards");
    assert!(c.glossary().len() >= 60, "{} terms", c.glossary().len());
    for required in [
        "context-window",
        "temperature",
        "tokenisation",
        "cosine-similarity",
        "top-k",
        "reranking",
        "chunking",
        "hallucination",
        "fine-tuning-vs-rag",
        "prompt-injection",
        "sse",
        "react",
        "embeddings",
        "vector-store",
        "bm25",
        "hybrid-search",
        "eval-set",
        "faithfulness",
        "guardrails",
        "rate-limit",
        "backoff",
        "idempotency",
    ] {
        assert!(c.term(required).is_some(), "glossary lacks {required}");
    }
    assert!(c.prompts().len() >= 15, "{} prompts", c.prompts().len());
    for p in c.prompts() {
        assert!(!p.scale_hints.is_empty(), "{} has no scale hints", p.id);
        assert!(
            p.reference_outline.len() > 200,
            "{} has a thin outline",
            p.id
        );
        for d in ALL_DIMENSIONS {
            assert!(!p.followups[&d].is_empty(), "{} lacks {d}", p.id);
        }
    }
    assert!(c.card("q-debug-rag").is_some());
}

#[test]
fn key_points_match_spoken_answers_on_whole_words() {
    let c = Content::embedded().unwrap();
    let q = c.card("q-agent-loops").unwrap();
    let kp = q.key_points.iter().find(|k| k.id == "repeat").unwrap();
    assert_eq!(
        kp.covered_by("If it calls the SAME TOOL, twice, it's stuck."),
        Some("same tool")
    );
    assert_eq!(kp.covered_by("the samet oolbox"), None);
}

/// A minimal good tree: the shipped rubric, one prompt, two cards and a glossary.
fn good_tree(root: &Path) {
    let shipped = shipped_root();
    for dir in ["prompts", "rubrics", "cards/agents"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    // The shipped rubric without its `cards` lists, which name cards this tree lacks.
    let rubric = std::fs::read_to_string(shipped.join("rubrics/system-design.toml")).unwrap();
    let rubric: String = rubric
        .lines()
        .filter(|l| !l.starts_with("cards = "))
        .map(|l| format!("{l}\n"))
        .collect();
    write(root, "rubrics/system-design.toml", &rubric);
    std::fs::copy(
        shipped.join("prompts/doc-qa-10k.md"),
        root.join("prompts/doc-qa-10k.md"),
    )
    .unwrap();
    write(root, "cards/agents/a.md", CARD_A);
    write(root, "cards/agents/b.md", CARD_B);
    write(root, "glossary.toml", GLOSSARY);
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

const CARD_A: &str = "+++\nid = \"card-a\"\nkind = \"concept\"\narea = \"agents\"\ntitle = \"A\"\ntags = [\"x\"]\nrelated = [\"card-b\"]\n+++\nBody A\n";
const CARD_B: &str = "+++\nid = \"card-b\"\nkind = \"question\"\narea = \"agents\"\ntitle = \"B\"\ntags = []\nkey_points = [\n  { id = \"k1\", text = \"One\", phrases = [\"one\", \"first\"] },\n]\n+++\nBody B\n";
const GLOSSARY: &str = "[[terms]]\nid = \"term-a\"\nterm = \"Term A\"\ndefinition = \"A term.\"\nsee_also = [\"card-a\"]\n";

fn has(problems: &[ContentProblem], needle_file_line: &str, message: &str) -> bool {
    problems.iter().any(|p| {
        let s = p.to_string();
        s.contains(needle_file_line) && s.contains(message)
    })
}

#[test]
fn a_good_fixture_tree_loads() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    let problems = check_dir(tmp.path());
    assert!(problems.is_empty(), "{}", show(&problems));
    let c = Content::load_dir(tmp.path()).unwrap();
    assert_eq!(c.cards().len(), 2);
    assert_eq!(c.glossary()[0].see_also, vec!["card-a".to_string()]);
}

#[test]
fn duplicate_id_across_two_files_names_both() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    write(
        tmp.path(),
        "cards/agents/b.md",
        &CARD_B.replace("card-b", "card-a"),
    );
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "cards/agents/b.md:2:", "duplicate id 'card-a'")
            && has(&problems, "", "cards/agents/a.md:2"),
        "{}",
        show(&problems)
    );
    let err = Content::load_dir(tmp.path()).unwrap_err().to_string();
    assert!(
        err.contains("cards/agents/") && err.contains("more problems"),
        "{err}"
    );
}

#[test]
fn broken_related_reference_points_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    write(
        tmp.path(),
        "cards/agents/a.md",
        &CARD_A.replace("[\"card-b\"]", "[\"card-b\",\n  \"nope\"]"),
    );
    let problems = check_dir(tmp.path());
    assert_eq!(problems.len(), 1, "{}", show(&problems));
    assert!(
        has(&problems, "cards/agents/a.md:8:", "refers to 'nope'"),
        "{}",
        show(&problems)
    );
}

#[test]
fn toml_syntax_error_is_reported_on_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    write(
        tmp.path(),
        "cards/agents/a.md",
        &CARD_A.replace("title = \"A\"", "title = = \"A\""),
    );
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "cards/agents/a.md:5:", ""),
        "{}",
        show(&problems)
    );
    write(
        tmp.path(),
        "glossary.toml",
        "[[terms]]\nid = \"t\"\nterm = \"T\n",
    );
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "glossary.toml:3:", ""),
        "{}",
        show(&problems)
    );
}

#[test]
fn question_without_key_points_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    let no_kp =
        "+++\nid = \"card-b\"\nkind = \"question\"\narea = \"agents\"\ntitle = \"B\"\n+++\nBody\n";
    write(tmp.path(), "cards/agents/b.md", no_kp);
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "cards/agents/b.md:3:", "key_points"),
        "{}",
        show(&problems)
    );
    let no_phrases = CARD_B.replace("phrases = [\"one\", \"first\"]", "phrases = []");
    write(tmp.path(), "cards/agents/b.md", &no_phrases);
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "cards/agents/b.md:8:", "no phrases"),
        "{}",
        show(&problems)
    );
}

#[test]
fn unknown_kind_area_and_field_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    let bad = CARD_A
        .replace("\"concept\"", "\"lesson\"")
        .replace("area = \"agents\"", "area = \"robots\"")
        .replace("tags = [\"x\"]", "tags = [\"x\"]\ncolour = \"red\"");
    write(tmp.path(), "cards/agents/a.md", &bad);
    let problems = check_dir(tmp.path());
    assert!(
        has(&problems, "cards/agents/a.md:3:", "unknown kind 'lesson'"),
        "{}",
        show(&problems)
    );
    assert!(
        has(&problems, "cards/agents/a.md:4:", "unknown area 'robots'"),
        "{}",
        show(&problems)
    );
    assert!(
        has(&problems, "cards/agents/a.md:7:", "unknown field 'colour'"),
        "{}",
        show(&problems)
    );
}

#[test]
fn several_problems_in_one_tree_are_all_reported() {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    // A broken see_also, a card with a missing title, a prompt without a rubric dimension
    // and a wrong rubric, and a syntax error in another card.
    write(
        tmp.path(),
        "glossary.toml",
        &GLOSSARY.replace("card-a", "card-z"),
    );
    write(
        tmp.path(),
        "cards/agents/a.md",
        &CARD_A.replace("title = \"A\"\n", ""),
    );
    write(
        tmp.path(),
        "cards/agents/c.md",
        "+++\nid = \"c\"\nkind = [\n+++\nBody\n",
    );
    let prompt = std::fs::read_to_string(tmp.path().join("prompts/doc-qa-10k.md"))
        .unwrap()
        .replace("rubric = \"system-design\"", "rubric = \"nope\"");
    let start = prompt.find("communication = [").unwrap();
    let end = start + prompt[start..].find("]\n").unwrap() + 2;
    let prompt = format!("{}{}", &prompt[..start], &prompt[end..]);
    write(tmp.path(), "prompts/doc-qa-10k.md", &prompt);
    let problems = check_dir(tmp.path());
    let text = show(&problems);
    assert!(has(&problems, "glossary.toml:5:", "card-z"), "{text}");
    assert!(has(&problems, "cards/agents/a.md:2:", "'title'"), "{text}");
    assert!(
        has(
            &problems,
            "prompts/doc-qa-10k.md:",
            "no questions for 'communication'"
        ),
        "{text}"
    );
    assert!(has(&problems, "cards/agents/c.md:", ""), "{text}");
    assert!(
        has(&problems, "prompts/doc-qa-10k.md:4:", "rubric 'nope'"),
        "{text}"
    );
    assert!(problems.len() >= 5, "{text}");
    assert!(check_summary(&problems).ends_with("problems found"));
    let err = Content::load_dir(tmp.path()).unwrap_err().to_string();
    assert!(err.contains("more problems"), "{err}");
}

/// The problems `content check` finds in a good tree whose shipped rubric has `from` replaced by
/// `to` (which must occur in it).
fn problems_with_rubric_edit(from: &str, to: &str) -> Vec<ContentProblem> {
    let tmp = tempfile::tempdir().unwrap();
    good_tree(tmp.path());
    let path = tmp.path().join("rubrics/system-design.toml");
    let rubric = std::fs::read_to_string(&path).unwrap();
    let bad = rubric.replacen(from, to, 1);
    assert_ne!(bad, rubric, "the shipped rubric holds {from}");
    std::fs::write(&path, bad).unwrap();
    check_dir(tmp.path())
}

#[test]
fn a_mishearing_that_is_a_rubric_phrase_is_reported() {
    // "backoff" is a phrase of reliability's retries check: never quoting it would be wrong.
    let problems = problems_with_rubric_edit("misheard = [", "misheard = [\"backoff\", ");
    assert!(
        has(
            &problems,
            "rubrics/system-design.toml:",
            "misheard form \"backoff\" is empty or one of the rubric's own phrases"
        ),
        "{}",
        show(&problems)
    );
}

#[test]
fn an_uncounted_check_that_is_not_a_concept_is_reported() {
    let problems = problems_with_rubric_edit(
        "uncounted = [\"named products\"]",
        "uncounted = [\"brand names\"]",
    );
    assert!(
        has(
            &problems,
            "rubrics/system-design.toml:",
            "names 'brand names' (gate, top_requires or uncounted), which is not one of its concepts"
        ),
        "{}",
        show(&problems)
    );
}
